package formats_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/formats"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// structure renders ballots by candidate index, so that names with
// separators in them cannot alias.
func structure(e *formats.Election) map[string]int64 {
	out := map[string]int64{}
	if e.Ranked != nil {
		for r, c := range e.Ranked.Ballots() {
			out[fmt.Sprint(r)] += c
		}
		return out
	}
	for s, c := range e.Cardinal.Ballots() {
		out[fmt.Sprint(s)] += c
	}
	return out
}

// sameElection reports how got, read back from f, differs from want in
// what f carries.
func sameElection(want, got *formats.Election, f formats.Format) error {
	switch {
	case !slices.Equal(want.Candidates, got.Candidates):
		return fmt.Errorf("candidates %q, want %q", got.Candidates, want.Candidates)
	case (want.Ranked == nil) != (got.Ranked == nil):
		return fmt.Errorf("ballot kind changed")
	case f != formats.CSV && want.Title != got.Title:
		return fmt.Errorf("title %q, want %q", got.Title, want.Title)
	case (f == formats.BLT || f == formats.HIL) && max(want.Seats, 1) != got.Seats:
		return fmt.Errorf("seats %d, want %d", got.Seats, want.Seats)
	case f == formats.BLT && !slices.Equal(want.Withdrawn, got.Withdrawn):
		return fmt.Errorf("withdrawn %v, want %v", got.Withdrawn, want.Withdrawn)
	}
	if want.Cardinal != nil {
		ws, gs := want.Cardinal.Spec(), got.Cardinal.Spec()
		if ws.Kind != gs.Kind || ws.Min != gs.Min || ws.Max != gs.Max || !slices.Equal(ws.Scale, gs.Scale) {
			return fmt.Errorf("spec %+v, want %+v", gs, ws)
		}
	}
	w, g := structure(want), structure(got)
	if fmt.Sprint(w) != fmt.Sprint(g) {
		return fmt.Errorf("ballots %v, want %v", g, w)
	}
	return nil
}

// roundTrip writes e in f and reads it back.
func roundTrip(e *formats.Election, f formats.Format) (*formats.Election, []byte, error) {
	var buf bytes.Buffer
	if err := formats.Write(&buf, e, f); err != nil {
		return nil, nil, err
	}
	policy := voting.UnrankedLast
	if e.Ranked != nil {
		policy = e.Ranked.Policy()
	}
	back, err := formats.Read(bytes.NewReader(buf.Bytes()), f, formats.ReadOptions{Policy: policy})
	return back, buf.Bytes(), err
}

func rankedElection(t *testing.T, names []string, ballots map[string]int64) *formats.Election {
	t.Helper()
	p, err := voting.NewProfile(names, voting.UnrankedLast)
	require.NoError(t, err)
	keys := make([]string, 0, len(ballots))
	for k := range ballots {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		var r voting.Ranking
		for _, g := range bytes.Split([]byte(k), []byte(">")) {
			if len(g) == 0 {
				continue
			}
			var group []int
			for _, c := range bytes.Split(g, []byte("=")) {
				group = append(group, slices.Index(names, string(c)))
			}
			r = append(r, group)
		}
		require.NoError(t, p.Add(r, ballots[k]))
	}
	return &formats.Election{Title: "Test election", Candidates: names, Ranked: p}
}

func TestRoundTrip(t *testing.T) {
	strict := rankedElection(t, []string{"A", "B", "C"}, map[string]int64{"A>B>C": 5, "C>B>A": 4, "B>A>C": 1})
	truncated := rankedElection(t, []string{"A", "B", "C"}, map[string]int64{"A>B>C": 5, "C": 4, "": 2})
	tied := rankedElection(t, []string{"A", "B", "C"}, map[string]int64{"A>B=C": 5, "C=A>B": 4})
	tiedTruncated := rankedElection(t, []string{"Doña García", "Sue Ye (蘇業)", "x,y \"z\""}, map[string]int64{"Doña García=Sue Ye (蘇業)": 5, "x,y \"z\"": 1})
	tied.Seats, tied.Withdrawn = 2, []int{1}
	tiedTruncated.Meta = map[string]string{"description": "names that need quoting"}

	approval, err := voting.NewCardinalProfile([]string{"A", "B", "C"}, voting.CardinalSpec{Kind: voting.Approval})
	require.NoError(t, err)
	require.NoError(t, approval.Add([]int{1, 0, voting.NoScore}, 3))
	require.NoError(t, approval.Add([]int{voting.NoScore, voting.NoScore, voting.NoScore}, 1))
	graded, err := voting.NewCardinalProfile([]string{"A", "B"}, voting.CardinalSpec{Kind: voting.Graded, Scale: voting.DefaultGrades()})
	require.NoError(t, err)
	require.NoError(t, graded.Add([]int{5, 0}, 2))
	require.NoError(t, graded.Add([]int{voting.NoScore, 3}, 1))
	score, err := voting.NewCardinalProfile([]string{"Memphis", "Nashville"}, voting.CardinalSpec{Kind: voting.Score, Min: 1, Max: 10})
	require.NoError(t, err)
	require.NoError(t, score.Add([]int{10, 3}, 42))
	require.NoError(t, score.Add([]int{2, 2}, 1))

	all := formats.Formats()
	const (
		soc, soi, toc, toi, cat = formats.PrefLibSOC, formats.PrefLibSOI, formats.PrefLibTOC, formats.PrefLibTOI, formats.PrefLibCAT
		blt, hil, abif, csv     = formats.BLT, formats.HIL, formats.ABIF, formats.CSV
	)
	tests := []struct {
		name string
		e    *formats.Election
		ok   []formats.Format // the others must refuse with ErrUnsupported
	}{
		{"strict complete", strict, []formats.Format{soc, soi, toc, toi, blt, hil, abif, csv}},
		{"strict truncated", truncated, []formats.Format{soi, toi, blt, hil, abif, csv}},
		{"ties", tied, []formats.Format{toc, toi, blt, abif, csv}},
		// a '"' in a name: BLT cannot quote it, HIL puts it in parentheses
		{"ties, truncation, odd names", tiedTruncated, []formats.Format{toi, abif, csv}},
		{"approval", &formats.Election{Title: "Approval", Cardinal: approval, Categories: []string{"Oui", "Non"}}, []formats.Format{cat, abif}},
		{"graded", &formats.Election{Title: "Graded", Cardinal: graded}, []formats.Format{cat}},
		{"score", &formats.Election{Title: "Score", Cardinal: score}, []formats.Format{abif}},
	}
	for _, tt := range tests {
		ok := tt.ok
		if tt.e.Candidates == nil {
			if tt.e.Ranked != nil {
				tt.e.Candidates = tt.e.Ranked.Candidates()
			} else {
				tt.e.Candidates = tt.e.Cardinal.Candidates()
			}
		}
		for _, f := range all {
			t.Run(tt.name+"/"+f.String(), func(t *testing.T) {
				back, out, err := roundTrip(tt.e, f)
				if !slices.Contains(ok, f) {
					assert.ErrorIs(t, err, formats.ErrUnsupported, string(out))
					return
				}
				require.NoError(t, err, string(out))
				assert.NoError(t, sameElection(tt.e, back, f), string(out))
			})
		}
	}
}

func TestRoundTripMeta(t *testing.T) {
	src := mustRead(t, "testdata/ED-00004-00000006.soc")
	e := read(t, formats.PrefLibSOC, src)
	var buf bytes.Buffer
	require.NoError(t, formats.Write(&buf, e, formats.PrefLibSOC))
	assert.Equal(t, src, buf.String(), "a PrefLib file is written back byte for byte")

	back, out, err := roundTrip(e, formats.ABIF)
	require.NoError(t, err)
	assert.Equal(t, e.Meta, back.Meta, string(out))

	cat := read(t, formats.PrefLibCAT, "# NUMBER ALTERNATIVES: 1\n# NUMBER CATEGORIES: 2\n# CATEGORY NAME 1: Oui\n# CATEGORY NAME 2: Non\n# ALTERNATIVE NAME 1: A\n1: 1,{}\n")
	back, _, err = roundTrip(cat, formats.PrefLibCAT)
	require.NoError(t, err)
	assert.Equal(t, []string{"Oui", "Non"}, back.Categories)

	abif := read(t, formats.ABIF, "{\"title\": \"T\"}\n=M:[Memphis, TN]\n=N:[Nashville]\n1:M>N\n")
	var ab bytes.Buffer
	require.NoError(t, formats.Write(&ab, abif, formats.ABIF))
	assert.Equal(t, "{\"title\": \"T\"}\n=M:[Memphis, TN]\n=N:[Nashville]\n1:M>N\n", ab.String(), "tokens are kept")

	blt := read(t, formats.BLT, "2 1\n1 1 0\n0\n\"A\" \"B\" \"T\" \"\" \"a note\"\n")
	back, _, err = roundTrip(blt, formats.BLT)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"comment": "a note"}, back.Meta)
}

func TestWriteRefuses(t *testing.T) {
	e := rankedElection(t, []string{"A", "B"}, map[string]int64{"A>B": 1})
	for _, tt := range []struct {
		name string
		e    *formats.Election
		f    formats.Format
	}{
		{"no profile", &formats.Election{}, formats.BLT},
		{"stale candidates", &formats.Election{Candidates: []string{"X", "Y"}, Ranked: e.Ranked}, formats.BLT},
		{"withdrawn out of range", &formats.Election{Ranked: e.Ranked, Withdrawn: []int{2}}, formats.BLT},
		{"withdrawn in HIL", &formats.Election{Ranked: e.Ranked, Withdrawn: []int{1}}, formats.HIL},
		{"quote in BLT name", rankedElection(t, []string{`say "hi"`}, nil), formats.BLT},
		{"bracket in ABIF name", rankedElection(t, []string{"a]b"}, nil), formats.ABIF},
		{"line break in PrefLib name", rankedElection(t, []string{"a\nb"}, nil), formats.PrefLibSOI},
		{"count as CSV name", rankedElection(t, []string{"Count"}, nil), formats.CSV},
	} {
		err := formats.Write(&bytes.Buffer{}, tt.e, tt.f)
		assert.ErrorIs(t, err, formats.ErrUnsupported, tt.name)
	}
	assert.ErrorIs(t, formats.Write(&bytes.Buffer{}, e, formats.Format(99)), formats.ErrUnknownFormat)
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWritePassesIOErrors(t *testing.T) {
	e := rankedElection(t, []string{"A", "B"}, map[string]int64{"A>B": 1})
	for _, f := range []formats.Format{formats.PrefLibSOC, formats.BLT, formats.ABIF, formats.CSV} {
		assert.ErrorContains(t, formats.Write(failingWriter{}, e, f), "disk full", f)
	}
}
