package formats_test

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/formats"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ranked renders a ranked profile as "A>B=C" → count, groups in the
// profile's canonical order; "" is a blank ballot.
func ranked(p *voting.Profile) map[string]int64 {
	names := p.Candidates()
	out := map[string]int64{}
	for r, c := range p.Ballots() {
		var b strings.Builder
		for gi, g := range r {
			if gi > 0 {
				b.WriteByte('>')
			}
			for j, cand := range g {
				if j > 0 {
					b.WriteByte('=')
				}
				b.WriteString(names[cand])
			}
		}
		out[b.String()] += c
	}
	return out
}

// cardinal renders a cardinal profile as "A:5 B:- C:0" → count.
func cardinal(p *voting.CardinalProfile) map[string]int64 {
	names := p.Candidates()
	out := map[string]int64{}
	for s, c := range p.Ballots() {
		var parts []string
		for cand, v := range s {
			val := "-"
			if v != voting.NoScore {
				val = strconv.Itoa(v)
			}
			parts = append(parts, names[cand]+":"+val)
		}
		out[strings.Join(parts, " ")] += c
	}
	return out
}

func read(t *testing.T, f formats.Format, src string) *formats.Election {
	t.Helper()
	e, err := formats.Read(strings.NewReader(src), f, formats.ReadOptions{})
	require.NoError(t, err)
	return e
}

func TestPublishedPrefLib(t *testing.T) {
	// The same Netflix election in the current and the legacy layout.
	for _, file := range []string{"ED-00004-00000006.soc", "ED-00004-00000006-legacy.soc"} {
		t.Run(file, func(t *testing.T) {
			src, err := os.ReadFile("testdata/" + file)
			require.NoError(t, err)
			f, err := formats.Detect(file, src)
			require.NoError(t, err)
			assert.Equal(t, formats.PrefLibSOC, f)
			e, err := formats.Read(bytes.NewReader(src), f, formats.ReadOptions{})
			require.NoError(t, err)
			assert.Equal(t, []string{"National Lampoon's Vacation", "The X-Files: Season 3", "The Fifth Element"}, e.Candidates)
			assert.Equal(t, int64(940), e.Ranked.Voters())
			assert.Equal(t, 6, e.Ranked.Distinct())
			v, x, fifth := "National Lampoon's Vacation", "The X-Files: Season 3", "The Fifth Element"
			assert.Equal(t, map[string]int64{
				x + ">" + v + ">" + fifth: 300, x + ">" + fifth + ">" + v: 269, fifth + ">" + x + ">" + v: 150,
				v + ">" + x + ">" + fifth: 90, fifth + ">" + v + ">" + x: 74, v + ">" + fifth + ">" + x: 57,
			}, ranked(e.Ranked))
		})
	}
	e := read(t, formats.PrefLibSOC, mustRead(t, "testdata/ED-00004-00000006.soc"))
	assert.Equal(t, "Netflix Prize Data", e.Title)
	assert.Equal(t, "2013-08-17", e.Meta["publication_date"])
	assert.Equal(t, "induced", e.Meta["modification_type"])

	// Debian 2002 project leader: Bdale Garbee was elected (Condorcet
	// method) ahead of Raphael Hertzog and Branden Robinson.
	d := read(t, formats.PrefLibSOI, mustRead(t, "testdata/ED-00002-00000001.soi"))
	assert.Equal(t, "Debian 2002 Leader", d.Title)
	assert.Equal(t, int64(475), d.Ranked.Voters())
	assert.Equal(t, 41, d.Ranked.Distinct())
	assert.Equal(t, "Bdale Garbee", d.Candidates[d.Ranked.Pairwise().CondorcetWinner()])
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

const tennToi = `# FILE NAME: tenn.toi
# TITLE: Tennessee
# DATA TYPE: toi
# NUMBER ALTERNATIVES: 4
# NUMBER VOTERS: 104
# NUMBER UNIQUE ORDERS: 5
# ALTERNATIVE NAME 1: Memphis
# ALTERNATIVE NAME 2: Nashville
# ALTERNATIVE NAME 3: Chattanooga
# ALTERNATIVE NAME 4: Knoxville
42: 1,2,3,4
26: 2, {4, 3}, 1
15: {3,4}
17: 4,3,2,1
4:
`

func TestReadHandWritten(t *testing.T) {
	tennessee := map[string]int64{
		"Memphis>Nashville>Chattanooga>Knoxville": 42,
		"Nashville>Chattanooga=Knoxville>Memphis": 26,
		"Chattanooga=Knoxville":                   15,
		"Knoxville>Chattanooga>Nashville>Memphis": 17,
		"": 4,
	}
	tests := []struct {
		name   string
		format formats.Format
		src    string
		want   map[string]int64
		title  string
		seats  int
	}{
		{"toi ties truncation blank", formats.PrefLibTOI, tennToi, tennessee, "Tennessee", 0},
		{"soc legacy", formats.PrefLibSOC, "2\n1,A\n2,B\n5,5,2\n3,1,2\n2,2,1\n",
			map[string]int64{"A>B": 3, "B>A": 2}, "", 0},
		{"toc legacy with ties", formats.PrefLibTOC, "3\n1,A\n2,B\n3,C\n5,5,2\n3,1,{2,3}\n2,{1,2,3}\n",
			map[string]int64{"A>B=C": 3, "A=B=C": 2}, "", 0},
		{"soi repeated orders merge", formats.PrefLibSOI,
			"# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n# NUMBER VOTERS: 3\n1: 1\n2: 1\n",
			map[string]int64{"A": 3}, "", 0},
		{"blt", formats.BLT, `# a comment before the header
4 2 # candidates, seats
-2
# OpenSTV comment
3 1 3 4 0
4 1 3 2 0
2 4 1=3 0
1 2 0 1 2 0
2 2=4=3 1 0
1 3 - 4 2 0# skipped rank
5 0
0 # end of ballots
"Adam" "Basil"
Charlotte
"Donald" # a comment
"Title of it"
`, map[string]int64{
			"Adam>Charlotte>Donald": 3, "Adam>Charlotte>Basil": 4, "Donald>Adam=Charlotte": 2,
			"Basil": 2, "Basil=Charlotte=Donald>Adam": 2, "Charlotte>Donald>Basil": 1, "": 5,
		}, "Title of it", 2},
		{"hil", formats.HIL, "3 1\n1 2 1 3 0\n1 2 1 3 0\n1 3 0\n1 0\n0\n\"Candidate  1\" \"Candidate  2\" \"Candidate  3\" \"f:a1\"\n",
			map[string]int64{"Candidate  2>Candidate  1>Candidate  3": 2, "Candidate  3": 1, "": 1}, "f:a1", 1},
		{"hil parentheses", formats.HIL, "2 1\n1 2 1 0\n0\n(Alice B.)\n(Bob)\n(Staff #3 ballot)\n",
			map[string]int64{"Bob>Alice B.": 1}, "Staff #3 ballot", 1},
		{"abif", formats.ABIF, `ABIF
{"title": "Tennessee capitol example"}
{"description": "Hypothetical"}
# candidates
=Memph:[Memphis, TN]
=Nash:[Nashville, TN]
=Chat:[Chattanooga, TN]
=Knox:[Knoxville, TN]
42:Memph>Nash>Chat>Knox
26: Nash > Chat = Knox > Memph # overvote
15:Chat,Knox
17:Knox>Chat>Nash>Memph
4:
`, map[string]int64{
			"Memphis, TN>Nashville, TN>Chattanooga, TN>Knoxville, TN": 42,
			"Nashville, TN>Chattanooga, TN=Knoxville, TN>Memphis, TN": 26,
			"Chattanooga, TN=Knoxville, TN":                           15,
			"Knoxville, TN>Chattanooga, TN>Nashville, TN>Memphis, TN": 17,
			"": 4,
		}, "Tennessee capitol example", 0},
		{"abif undeclared and bracketed", formats.ABIF, "5:[A,X]>[B,Y]>C\n4:[A,X]>[B,Y]\n",
			map[string]int64{"A,X>B,Y>C": 5, "A,X>B,Y": 4}, "", 0},
		{"csv", formats.CSV, "\xef\xbb\xbfMemphis,Nashville,Chattanooga,Knoxville,Count\n1,2,3,4,42\n4,1,2,2,26\n,,1,1,15\n4,3,2,1,17\n,,,,4\n",
			tennessee2(), "", 0},
		{"csv without counts, gaps in ranks", formats.CSV, "A,B,\"C, Jr\"\n1,3,\n5,,5\n1,3,\n",
			map[string]int64{"A>B": 2, "A=C, Jr": 1}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := read(t, tt.format, tt.src)
			require.NotNil(t, e.Ranked)
			assert.Equal(t, tt.want, ranked(e.Ranked))
			assert.Equal(t, tt.title, e.Title)
			assert.Equal(t, tt.seats, e.Seats)
		})
	}
}

func tennessee2() map[string]int64 {
	return map[string]int64{
		"Memphis>Nashville>Chattanooga>Knoxville": 42,
		"Nashville>Chattanooga=Knoxville>Memphis": 26,
		"Chattanooga=Knoxville":                   15,
		"Knoxville>Chattanooga>Nashville>Memphis": 17,
		"": 4,
	}
}

func TestReadDetails(t *testing.T) {
	blt := read(t, formats.BLT, "4 2\n-2 -4\n1 1 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"D\"\n\"T\"\n\"Source\"\n\"Note\"\n")
	assert.Equal(t, []int{1, 3}, blt.Withdrawn)
	assert.Equal(t, map[string]string{"source": "Source", "comment": "Note"}, blt.Meta)

	abif := read(t, formats.ABIF, "{\"title\": \"T\"}\n{version: \"0.1\"}\n{max_rating: 6}\n=c1:[Doña García Márquez]\n=c2:[Sue Ye (蘇業)]\n1:c1>c2\n")
	assert.Equal(t, []string{"Doña García Márquez", "Sue Ye (蘇業)"}, abif.Candidates)
	assert.Equal(t, []string{"c1", "c2"}, abif.Tokens)
	assert.Equal(t, map[string]string{"version": "0.1", "max_rating": "6"}, abif.Meta)

	skip, err := formats.Read(strings.NewReader(tennToi), formats.PrefLibTOI, formats.ReadOptions{Policy: voting.UnrankedSkip})
	require.NoError(t, err)
	assert.Equal(t, voting.UnrankedSkip, skip.Ranked.Policy())
}

func TestReadCardinal(t *testing.T) {
	tests := []struct {
		name   string
		format formats.Format
		src    string
		spec   voting.CardinalSpec
		want   map[string]int64
		cats   []string
	}{
		{"cat two categories is approval", formats.PrefLibCAT, `# FILE NAME: 00026-00000001.cat
# TITLE: Example
# DATA TYPE: cat
# NUMBER ALTERNATIVES: 3
# NUMBER VOTERS: 6
# NUMBER UNIQUE PREFERENCES: 3
# NUMBER CATEGORIES: 2
# CATEGORY NAME 1: Yes
# CATEGORY NAME 2: No
# ALTERNATIVE NAME 1: A
# ALTERNATIVE NAME 2: B
# ALTERNATIVE NAME 3: C
3: 2,{1,3}
2: {},{1,2,3}
1: {1,2},{}
`, voting.CardinalSpec{Kind: voting.Approval}, map[string]int64{
			"A:0 B:1 C:0": 3, "A:0 B:0 C:0": 2, "A:1 B:1 C:-": 1,
		}, []string{"Yes", "No"}},
		{"cat three categories is graded", formats.PrefLibCAT, `# NUMBER ALTERNATIVES: 2
# NUMBER CATEGORIES: 3
# CATEGORY NAME 1: Good
# CATEGORY NAME 2: Fair
# CATEGORY NAME 3: Bad
# ALTERNATIVE NAME 1: A
# ALTERNATIVE NAME 2: B
4: 1,{},2
1: {},{},{}
`, voting.CardinalSpec{Kind: voting.Graded, Scale: []string{"Bad", "Fair", "Good"}}, map[string]int64{
			"A:2 B:0": 4, "A:- B:-": 1,
		}, []string{"Good", "Fair", "Bad"}},
		{"abif scores", formats.ABIF, `{"title": "Tennessee capitol example"}
=Memph:[Memphis]
=Nash:[Nashville]
=Chat:[Chattanooga]
=Knox:[Knoxville]
42:Memph/5>Nash/2>Chat/1>Knox/0
26:Nash/5>Chat/3>Knox/2>Memph/0
15:Memph,Nash/290,Chat/400,Knox/296
10:
`, voting.CardinalSpec{Kind: voting.Score, Min: 0, Max: 400}, map[string]int64{
			"Memphis:5 Nashville:2 Chattanooga:1 Knoxville:0":       42,
			"Memphis:0 Nashville:5 Chattanooga:3 Knoxville:2":       26,
			"Memphis:- Nashville:290 Chattanooga:400 Knoxville:296": 15,
			"Memphis:- Nashville:- Chattanooga:- Knoxville:-":       10,
		}, nil},
		{"abif approval", formats.ABIF, "{\"max_rating\": 1}\n{\"min_rating\": 0}\n21:A/1\n13:A/1=B/1\n",
			voting.CardinalSpec{Kind: voting.Approval}, map[string]int64{"A:1 B:-": 21, "A:1 B:1": 13}, nil},
		{"abif declared range", formats.ABIF, "{\"max_rating\": \"10\"}\n{\"min_rating\": 2}\n1:A/3,B/10\n",
			voting.CardinalSpec{Kind: voting.Score, Min: 2, Max: 10}, map[string]int64{"A:3 B:10": 1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := read(t, tt.format, tt.src)
			require.NotNil(t, e.Cardinal)
			assert.Nil(t, e.Ranked)
			assert.Equal(t, tt.spec, e.Cardinal.Spec())
			assert.Equal(t, tt.want, cardinal(e.Cardinal))
			assert.Equal(t, tt.cats, e.Categories)
		})
	}
}

func TestReadErrors(t *testing.T) {
	const hdr = "# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n# ALTERNATIVE NAME 3: C\n"
	tests := []struct {
		name   string
		format formats.Format
		src    string
		line   int
		rule   string
	}{
		{"unknown candidate", formats.PrefLibSOI, hdr + "1: 1,2\n2: 1,7\n", 6, "unknown candidate"},
		{"duplicate in ballot", formats.PrefLibTOI, hdr + "1: 1,{2,1}\n", 5, "duplicate candidate in ballot"},
		{"zero count", formats.PrefLibSOI, hdr + "0: 1\n", 5, "count not a positive integer"},
		{"negative count", formats.PrefLibSOI, hdr + "-1: 1\n", 5, "count not a positive integer"},
		{"huge count", formats.PrefLibSOI, hdr + "99999999999999999999: 1\n", 5, "count not a positive integer"},
		{"count overflow", formats.PrefLibSOI, hdr + "9007199254740992: 1\n1: 2\n", 6, "total count overflows"},
		{"tie in strict", formats.PrefLibSOI, hdr + "1: 1,{2,3}\n", 5, "tie in a strict order file"},
		{"incomplete in complete", formats.PrefLibTOC, hdr + "1: 1,{2,3}\n1: 1,2\n", 6, "incomplete order in a complete file"},
		{"empty group", formats.PrefLibTOI, hdr + "1: 1,{}\n", 5, "empty tie group"},
		{"trailing comma", formats.PrefLibSOI, hdr + "1: 1,\n", 5, "expected a candidate number"},
		{"missing colon", formats.PrefLibSOI, hdr + "1 1,2\n", 5, "expected ':' after the count"},
		{"voters mismatch", formats.PrefLibSOI, "# NUMBER ALTERNATIVES: 1\n# NUMBER VOTERS: 5\n# ALTERNATIVE NAME 1: A\n1: 1\n3: 1\n", 2, "voters mismatch"},
		{"unique mismatch", formats.PrefLibSOI, "# NUMBER ALTERNATIVES: 1\n# NUMBER UNIQUE ORDERS: 3\n# ALTERNATIVE NAME 1: A\n1: 1\n", 2, "unique orders mismatch"},
		{"missing name", formats.PrefLibSOI, "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n1: 1\n", 3, "missing alternative name"},
		{"name out of range", formats.PrefLibSOI, "# NUMBER ALTERNATIVES: 1\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n", 3, "alternative number out of range"},
		{"duplicate name", formats.PrefLibSOI, "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: A\n", 3, "duplicate candidate name"},
		{"header after data", formats.PrefLibSOI, hdr + "1: 1\n# TITLE: late\n", 6, "header line after the preferences"},
		{"data type mismatch", formats.PrefLibSOC, "# DATA TYPE: toi\n" + hdr, 1, "data type mismatch"},
		{"no alternatives", formats.PrefLibSOI, "# TITLE: x\n1: 1\n", 2, "missing header field"},
		{"repeated header", formats.PrefLibSOI, "# TITLE: x\n# TITLE: y\n", 2, "header field repeated"},
		{"legacy voters", formats.PrefLibSOC, "1\n1,A\n5,5,1\n4,1\n", 3, "voters mismatch"},
		{"legacy truncated", formats.PrefLibSOC, "2\n1,A\n", 0, "end of file in the alternatives"},
		{"cat categories", formats.PrefLibCAT, "# NUMBER ALTERNATIVES: 1\n# NUMBER CATEGORIES: 2\n# CATEGORY NAME 1: Y\n# CATEGORY NAME 2: N\n# ALTERNATIVE NAME 1: A\n1: 1\n", 6, "categories mismatch"},
		{"cat one category", formats.PrefLibCAT, "# NUMBER CATEGORIES: 1\n", 1, "categories out of range"},
		{"blt unknown candidate", formats.BLT, "2 1\n1 1 2 0\n1 3 0\n0\n\"A\" \"B\"\n", 3, "unknown candidate"},
		{"blt duplicate", formats.BLT, "2 1\n1 1 1 0\n", 2, "duplicate candidate in ballot"},
		{"blt weight", formats.BLT, "2 1\n1.5 1 0\n", 2, "weight not a positive integer"},
		{"blt unterminated", formats.BLT, "2 1\n1 1 2\n", 2, "ballot not terminated by 0"},
		{"blt comment cuts ballot", formats.BLT, "2 1\n1 1 # 2 0\n", 2, "ballot not terminated by 0"},
		{"hil has no comments", formats.HIL, "2 1\n1 1 0 # x\n", 2, "weight not a positive integer"},
		{"blt dangling equals", formats.BLT, "2 1\n1 1= 0\n", 2, "'=' without a candidate after it"},
		{"blt names", formats.BLT, "2 1\n1 1 0\n0\n\"A\"\n", 0, "missing candidate names"},
		{"blt no end", formats.BLT, "2 1\n1 1 0\n", 0, "end of file before the 0 that ends the ballots"},
		{"blt seats", formats.BLT, "2 0\n", 1, "seats not a positive integer"},
		{"blt withdrawn", formats.BLT, "2 1\n-3\n", 2, "unknown candidate"},
		{"blt extra text", formats.BLT, "1 1\n0\nA T S C X\n", 3, "unexpected text after the title"},
		{"blt quote", formats.BLT, "1 1\n0\n\"A\n", 3, "unterminated name"},
		{"hil tie", formats.HIL, "2 1\n1 1=2 0\n", 2, "tie in a HIL file"},
		{"hil withdrawn", formats.HIL, "2 1\n-1\n", 2, "withdrawn candidates in a HIL file"},
		{"abif duplicate", formats.ABIF, "1:A>B>A\n", 1, "duplicate candidate in ballot"},
		{"abif count", formats.ABIF, "=A:[a]\nx:A\n", 2, "unrecognised line"},
		{"abif zero count", formats.ABIF, "0:A\n", 1, "count not a positive integer"},
		{"abif mixed", formats.ABIF, "1:A/3>B/2\n2:A>B\n", 2, "mixed ranked and rated ballots"},
		{"abif redeclared", formats.ABIF, "=A:[x]\n=A:[y]\n", 2, "candidate declared twice"},
		{"abif same name", formats.ABIF, "=A:[x]\n=B:[x]\n", 2, "duplicate candidate name"},
		{"abif name clash with token", formats.ABIF, "=A:[B]\n1:A>B\n", 2, "duplicate candidate name"},
		{"abif separator", formats.ABIF, "1:A>>B\n", 1, "expected a candidate token"},
		{"abif bad meta", formats.ABIF, "{\"a\": \n", 1, "metadata not a JSON object"},
		{"abif range", formats.ABIF, "{\"max_rating\": 5}\n1:A/3\n2:B/7\n", 3, "rating out of range"},
		{"abif weighted", formats.ABIF, "1:A*2,B*3\n", 1, "weighted ballots not supported"},
		{"abif empty", formats.ABIF, "# nothing\n", 0, "no candidates"},
		{"csv rank", formats.CSV, "A,B\n1,x\n", 2, "rank not a positive integer"},
		{"csv count", formats.CSV, "A,count\n1,0\n", 2, "count not a positive integer"},
		{"csv fields", formats.CSV, "A,B\n1,2\n1\n", 3, "wrong number of fields"},
		{"csv names", formats.CSV, "A,A\n", 1, "duplicate candidate name"},
		{"csv quote", formats.CSV, "A,B\n\"1,2\n", 2, "csv syntax"},
		{"csv empty", formats.CSV, "", 0, "empty input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := formats.Read(strings.NewReader(tt.src), tt.format, formats.ReadOptions{})
			require.Error(t, err)
			assert.ErrorIs(t, err, formats.ErrParse)
			var pe *formats.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.rule, pe.Rule, err.Error())
			assert.Equal(t, tt.line, pe.Line, err.Error())
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	err := &formats.ParseError{Line: 7, Rule: "unknown candidate", Detail: "7"}
	assert.Equal(t, "formats: line 7: unknown candidate: 7", err.Error())
	assert.Equal(t, "formats: no candidates", (&formats.ParseError{Rule: "no candidates"}).Error())
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestReadPassesIOErrors(t *testing.T) {
	for _, f := range formats.Formats() {
		_, err := formats.Read(failingReader{}, f, formats.ReadOptions{})
		require.Error(t, err, f)
		assert.NotErrorIs(t, err, formats.ErrParse, f)
		assert.Contains(t, err.Error(), "disk on fire", f)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		head string
		want formats.Format
	}{
		{"x.SOI", "", formats.PrefLibSOI},
		{"x.blt", "", formats.BLT},
		{"A1.HIL", "", formats.HIL},
		{"e.abif", "", formats.ABIF},
		{"e.cat", "", formats.PrefLibCAT},
		{"stdin", "# FILE NAME: x\n# DATA TYPE: toc\n", formats.PrefLibTOC},
		{"stdin", "4\n1,A\n", formats.PrefLibTOI},
		{"stdin", "\n4 2\n-2\n", formats.BLT},
		{"stdin", "4 2 -2\n", formats.BLT},
		{"stdin", "# TITLE: x\n# NUMBER ALTERNATIVES: 2\n", formats.PrefLibTOI},
		{"stdin", "# NUMBER ALTERNATIVES: 2\n# NUMBER CATEGORIES: 2\n", formats.PrefLibCAT},
		{"stdin", "{\"title\": \"x\"}\n", formats.ABIF},
		{"stdin", "# comment\n42:Memph>Nash\n", formats.ABIF},
		{"stdin", "Memphis,Nashville\n1,2\n", formats.CSV},
	}
	for _, tt := range tests {
		f, err := formats.Detect(tt.name, []byte(tt.head))
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.want, f, tt.head)
	}
	_, err := formats.Detect("x.txt", []byte("hello\n"))
	assert.ErrorIs(t, err, formats.ErrUnknownFormat)
	_, err = formats.Detect("x", nil)
	assert.ErrorIs(t, err, formats.ErrUnknownFormat)
}

func TestParseFormat(t *testing.T) {
	for _, f := range formats.Formats() {
		g, err := formats.ParseFormat("." + strings.ToUpper(f.String()))
		require.NoError(t, err)
		assert.Equal(t, f, g)
	}
	_, err := formats.ParseFormat("xls")
	assert.ErrorIs(t, err, formats.ErrUnknownFormat)
}

// The example: at half a billion voters a one-vote lead still
// elects the leader, and a total past voting.MaxVoters (which the reader
// once accepted up to 2^63) is a parse error of the kernel kind invalid.
func TestLargeCounts(t *testing.T) {
	const hdr = "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n"
	e, err := formats.Read(strings.NewReader(hdr+"500000000: 1,2\n500000001: 2,1\n"), formats.PrefLibSOC, formats.ReadOptions{})
	require.NoError(t, err)
	irv, err := voting.NewRegistry().Lookup("irv")
	require.NoError(t, err)
	r, err := irv.Run(voting.Input{Ranked: e.Ranked}, voting.Options{})
	require.NoError(t, err)
	assert.Equal(t, []int{1}, r.Winners)

	_, err = formats.Read(strings.NewReader(hdr+"7000000000000000000: 1,2\n"), formats.PrefLibSOC, formats.ReadOptions{})
	assert.ErrorIs(t, err, formats.ErrParse)
	assert.ErrorIs(t, err, civickit.ErrInvalid)
}

// A profile a reader built takes more ballots: an existing ranking is
// counted again, not added as a second distinct ballot.
func TestAddToReadProfile(t *testing.T) {
	const hdr = "# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n# ALTERNATIVE NAME 3: C\n"
	e, err := formats.Read(strings.NewReader(hdr+"3: 1,2,3\n2: 2,{1,3}\n"), formats.PrefLibTOC, formats.ReadOptions{})
	require.NoError(t, err)
	p := e.Ranked
	require.NoError(t, p.Add(voting.Ranking{{1}, {2, 0}}, 4))
	require.NoError(t, p.Add(voting.Ranking{{0}, {1}, {2}}, 1))
	assert.Equal(t, 2, p.Distinct())
	assert.Equal(t, int64(10), p.Voters())
	assert.Equal(t, map[string]int64{"A>B>C": 4, "B>A=C": 6}, ranked(p))
	q, err := p.Restrict([]int{1, 0, 2})
	require.NoError(t, err)
	require.NoError(t, q.Merge(q))
	assert.Equal(t, int64(20), q.Voters())
	assert.Equal(t, 2, q.Distinct())
}
