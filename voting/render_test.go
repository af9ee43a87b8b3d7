package voting_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/civickit/civickit/voting"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateRender = flag.Bool("update", false, "rewrite the golden files of testdata/render")

// renderAwkward is a candidate name that must be escaped in XML.
const renderAwkward = "A&B <x>"

// renderProfile builds a profile from ballots written "A > B" with names
// separated by " > " (names may hold spaces and symbols).
func renderProfile(t *testing.T, names []string, ballots map[string]int64) *voting.Profile {
	t.Helper()
	p, err := voting.NewProfile(names, voting.UnrankedLast)
	require.NoError(t, err)
	keys := make([]string, 0, len(ballots))
	for k := range ballots {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		var rk voting.Ranking
		for _, n := range strings.Split(k, " > ") {
			i := slices.Index(names, n)
			require.GreaterOrEqual(t, i, 0, n)
			rk = append(rk, []int{i})
		}
		require.NoError(t, p.Add(rk, ballots[k]))
	}
	return p
}

// renderCase is one result rendered to golden files.
type renderCase struct {
	name   string
	result *voting.Result
}

func renderCases(t *testing.T) []renderCase {
	t.Helper()
	reg := voting.NewRegistry()
	run := func(method string, p *voting.Profile, o voting.Options) *voting.Result {
		m, err := reg.Lookup(method)
		require.NoError(t, err)
		r, err := m.Run(voting.Input{Ranked: p}, o)
		require.NoError(t, err)
		return r
	}
	tn := readElections(t, "tennessee.txt", voting.UnrankedLast)[0].Profile
	// Plurality tie between "A&B <x>" and Bea, 3 each, decided by lot.
	tie := renderProfile(t, []string{renderAwkward, "Bea", "Cy"}, map[string]int64{
		renderAwkward + " > Bea": 3,
		"Bea > Cy":               3,
		"Cy > " + renderAwkward:  2,
	})
	// IRV with truncated ballots (exhausted votes) and an elimination tie
	// between Cy and Dee in the first round.
	exh := renderProfile(t, []string{renderAwkward, "Bea", "Cy", "Dee"}, map[string]int64{
		renderAwkward:                 5,
		"Bea > " + renderAwkward:      4,
		"Cy > Bea":                    2,
		"Dee":                         1,
		"Dee > Cy > " + renderAwkward: 1,
	})
	return []renderCase{
		{"plurality_tennessee", run("plurality", tn, voting.Options{})},
		{"irv_tennessee", run("irv", tn, voting.Options{})},
		{"schulze_tennessee", run("schulze", tn, voting.Options{})},
		{"plurality_tie_lot", run("plurality", tie, voting.Options{Tie: voting.Lot(2)})},
		{"irv_exhausted_tie", run("irv", exh, voting.Options{Tie: voting.Chain(voting.Backward(), voting.Lot(2))})},
	}
}

// renderGolden compares got with testdata/render/file, or rewrites the file
// under -update.
func renderGolden(t *testing.T, file string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "render", file)
	if *updateRender {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file: run go test ./voting/ -run TestRenderGolden -update")
	require.Equal(t, string(want), string(got), "%s differs from the golden file (go test ./voting/ -run TestRenderGolden -update rewrites it)", path)
}

func renderAll(t *testing.T, r *voting.Result) (text, svg, js []byte) {
	t.Helper()
	var tb, sb bytes.Buffer
	require.NoError(t, r.WriteText(&tb))
	require.NoError(t, r.WriteSVG(&sb))
	j, err := json.MarshalIndent(r.Named(), "", "  ")
	require.NoError(t, err)
	return tb.Bytes(), sb.Bytes(), append(j, '\n')
}

func TestRenderGolden(t *testing.T) {
	for _, tc := range renderCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			text, svg, js := renderAll(t, tc.result)
			renderGolden(t, tc.name+".txt", text)
			renderGolden(t, tc.name+".svg", svg)
			renderGolden(t, tc.name+".json", js)
			// A second rendering gives the same bytes.
			text2, svg2, js2 := renderAll(t, tc.result)
			require.Equal(t, string(text), string(text2))
			require.Equal(t, string(svg), string(svg2))
			require.Equal(t, string(js), string(js2))
		})
	}
}

func TestWriteTextContent(t *testing.T) {
	cases := map[string]*voting.Result{}
	for _, tc := range renderCases(t) {
		cases[tc.name] = tc.result
	}
	text := func(name string) string {
		var b strings.Builder
		require.NoError(t, cases[name].WriteText(&b))
		return b.String()
	}
	for name := range cases {
		s := text(name)
		for _, r := range s {
			require.False(t, unicode.IsControl(r) && r != '\n', "%s: control character %q in the text report", name, r)
		}
		require.Contains(t, s, "Ballots counted: ")
	}

	p := text("plurality_tennessee")
	require.Contains(t, p, "Method: Plurality (first past the post) — plurality\n")
	require.Contains(t, p, "Winner: Memphis\n")
	require.Contains(t, p, "Ranking: 1. Memphis  2. Nashville  3. Knoxville  4. Chattanooga\n")
	require.Regexp(t, `(?m)^  Memphis +42 +42\.0% +elected$`, p)
	require.Regexp(t, `(?m)^  Chattanooga +15 +15\.0% +—$`, p)
	require.NotContains(t, p, "Round 1", "a one-round count is shown once, not again as a round")

	irv := text("irv_tennessee")
	require.Contains(t, irv, "Winner: Knoxville\n")
	require.Contains(t, irv, "  Transfers: Chattanooga → Knoxville 15\n")
	require.Contains(t, irv, "  Transfers: Nashville → Knoxville 26\n")
	require.Regexp(t, `(?m)^  Knoxville +58 +58\.0% +elected$`, irv)
	require.Regexp(t, `(?m)^  Chattanooga +15 +15\.0% +eliminated$`, irv)
	require.Equal(t, 3, strings.Count(irv, "\nRound "), irv)
	// Round 3 lists only the two candidates left.
	r3 := irv[strings.Index(irv, "Round 3"):]
	require.NotContains(t, r3, "Nashville  ")

	sch := text("schulze_tennessee")
	require.Contains(t, sch, "Ranking: 1. Nashville  2. Chattanooga  3. Knoxville  4. Memphis\n")
	require.Contains(t, sch, "columns: Nashville, Chattanooga, Knoxville, Memphis.")
	require.Regexp(t, `(?m)^  Nashville +— +68 +68 +58$`, sch)  // pairwise row
	require.Regexp(t, `(?m)^  Chattanooga +0 +— +83 +58$`, sch) // strengths row
	require.Contains(t, sch, "Notes:\n- Defeats are measured by winning votes")

	tie := text("plurality_tie_lot")
	r := cases["plurality_tie_lot"]
	require.True(t, r.Tied())
	elected := r.Candidates[r.Elected[0]]
	require.Equal(t, "Bea", elected, "the lot, not candidate order, decides this tie")
	require.Contains(t, tie, "Tied winners: A&B <x>, Bea\n")
	require.Contains(t, tie, "Tie broken: elected "+elected+" by lot(seed=2)\n")
	require.Regexp(t, `(?m)^  `+regexp.QuoteMeta(elected)+` +3 +37\.5% +elected$`, tie)
	require.Regexp(t, `tied, not elected\n`, tie)

	ex := text("irv_exhausted_tie")
	require.Contains(t, ex, "  Tie-break: backward then lot(seed=2)\n")
	require.Contains(t, ex, "→ exhausted 1")
	require.Contains(t, ex, "  Exhausted ballots (so far): 1\n")
}

// svgCheck parses an SVG with a strict XML decoder over every token and
// returns the text content and the ids the document defines and refers to.
func svgCheck(t *testing.T, svg []byte) (text string, root xml.StartElement, ids map[string]string) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	d.Strict = true
	ids = map[string]string{} // id -> element name
	var chars strings.Builder
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "the SVG is not well-formed XML")
		switch tk := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				root = tk.Copy()
			}
			depth++
			for _, a := range tk.Attr {
				if a.Name.Local == "id" {
					_, dup := ids[a.Value]
					require.False(t, dup, "duplicate id %q", a.Value)
					ids[a.Value] = tk.Name.Local
				}
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			chars.Write(tk)
			chars.WriteByte('\n')
		}
	}
	require.Equal(t, 0, depth)
	return chars.String(), root, ids
}

func svgAttr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func TestWriteSVG(t *testing.T) {
	for _, tc := range renderCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, tc.result.WriteSVG(&b))
			svg := b.Bytes()
			text, root, ids := svgCheck(t, svg)
			require.Equal(t, "svg", root.Name.Local)
			require.Equal(t, "http://www.w3.org/2000/svg", root.Name.Space)
			require.Equal(t, "1.1", svgAttr(root, "version"))
			require.Equal(t, "img", svgAttr(root, "role"))
			require.NotEmpty(t, svgAttr(root, "width"))
			labels := strings.Fields(svgAttr(root, "aria-labelledby"))
			require.Len(t, labels, 2)
			require.Equal(t, "title", ids[labels[0]], "aria-labelledby must name the <title>")
			require.Equal(t, "desc", ids[labels[1]], "aria-labelledby must name the <desc>")
			// Every fill="url(#…)" refers to a defined pattern.
			for _, ref := range svgRefs(`url\(#([^)]+)\)`, string(svg)) {
				require.Equal(t, "pattern", ids[ref], "undefined pattern %q", ref)
			}
			for _, name := range tc.result.Candidates {
				var esc strings.Builder
				require.NoError(t, xml.EscapeText(&esc, []byte(name)))
				require.Contains(t, string(svg), esc.String(), "candidate name not written escaped")
				require.Contains(t, text, name, "candidate name missing from the decoded text")
			}
			require.NotContains(t, string(svg), renderAwkward, "a name was written unescaped")
			// The winner is labelled in words, not by colour alone.
			require.Contains(t, text, "elected")
		})
	}
}

func svgRefs(expr, s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(expr).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestWriteSVGRounds(t *testing.T) {
	cases := map[string]*voting.Result{}
	for _, tc := range renderCases(t) {
		cases[tc.name] = tc.result
	}
	svg := func(name string) string {
		var b strings.Builder
		require.NoError(t, cases[name].WriteSVG(&b))
		return b.String()
	}
	irv := svg("irv_tennessee")
	for _, want := range []string{">Round 1<", ">Round 2<", ">Round 3<", ">+15<", ">+26<",
		">15 (15.0%), eliminated<", ">58 (58.0%), elected<", "Chattanooga to Knoxville 15"} {
		require.Contains(t, irv, want)
	}
	require.Len(t, regexp.MustCompile(`<path d="M[^"]*Z"[^>]*><title>`).FindAllString(irv, -1), 2, "one band per transfer")
	require.NotContains(t, irv, ">Exhausted<", "no exhausted row without exhausted ballots")

	ex := svg("irv_exhausted_tie")
	require.Contains(t, ex, ">Exhausted<")
	require.Contains(t, ex, "tie-break: backward then lot(seed=2)")

	pl := svg("plurality_tennessee")
	require.Contains(t, pl, ">42 (42.0%), elected<")
	require.Contains(t, pl, ">Votes<")
	require.Contains(t, pl, ">Candidate<")
	require.NotContains(t, pl, ">Round 1<")
	// Bars in ranking order: Memphis, Nashville, Knoxville, Chattanooga.
	order := []int{strings.Index(pl, ">Memphis<"), strings.Index(pl, ">Nashville<"), strings.Index(pl, ">Knoxville<"), strings.Index(pl, ">Chattanooga<")}
	require.True(t, slices.IsSorted(order) && order[0] > 0, "%v", order)

	tie := svg("plurality_tie_lot")
	require.Contains(t, tie, ", elected by lot(seed=2)<")
	require.Contains(t, tie, ", tied, not elected<")

	sch := svg("schulze_tennessee")
	require.Contains(t, sch, ">1. Nashville, elected<")
	require.Contains(t, sch, ">68 win<")
}

func TestNamedRoundTrip(t *testing.T) {
	for _, tc := range renderCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.result
			n := r.Named()
			// Through JSON and back, nothing is lost.
			b, err := json.Marshal(n)
			require.NoError(t, err)
			var back voting.NamedResult
			require.NoError(t, json.Unmarshal(b, &back))
			require.Equal(t, n, back)
			// Field names the CLI relies on.
			var raw map[string]any
			require.NoError(t, json.Unmarshal(b, &raw))
			for _, k := range []string{"method", "winners", "elected", "tied", "ballots", "candidates"} {
				require.Contains(t, raw, k)
			}
			// Names map back to the indices.
			idx := func(names []string) []int {
				out := []int{}
				for _, s := range names {
					i := slices.Index(r.Candidates, s)
					require.GreaterOrEqual(t, i, 0, s)
					out = append(out, i)
				}
				return out
			}
			require.Equal(t, r.Method, back.Method)
			require.Equal(t, r.Variant, back.Variant)
			require.Equal(t, r.Ballots, back.Ballots)
			require.Equal(t, r.Tied(), back.Tied)
			require.Equal(t, r.TieBreak, back.TieBreak)
			require.Equal(t, r.Winners, idx(back.Winners))
			require.Equal(t, r.Elected, idx(back.Elected))
			require.Len(t, back.Ranking, len(r.Ranking))
			for i, g := range back.Ranking {
				require.Equal(t, r.Ranking[i], idx(g))
			}
			if len(r.Scores) > 0 {
				require.Len(t, back.Scores, len(r.Scores))
				for i, s := range r.Scores {
					require.Equal(t, s, back.Scores[r.Candidates[i]])
				}
			}
			require.Len(t, back.Rounds, len(r.Rounds))
			for k, rd := range r.Rounds {
				nr := back.Rounds[k]
				active := 0
				for i, v := range rd.Counts {
					if rd.Active == nil || rd.Active[i] {
						active++
						require.Equal(t, v, nr.Counts[r.Candidates[i]])
					}
				}
				require.Len(t, nr.Counts, active)
				require.Equal(t, rd.Eliminated, renderNilIfEmpty(idx(nr.Eliminated)))
				require.Equal(t, rd.Elected, renderNilIfEmpty(idx(nr.Elected)))
				require.Len(t, nr.Transfers, len(rd.Transfers))
				for i, tr := range rd.Transfers {
					nt := nr.Transfers[i]
					require.Equal(t, r.Candidates[tr.From], nt.From)
					require.Equal(t, tr.Votes, nt.Votes)
					if tr.To < 0 {
						require.Equal(t, voting.ExhaustedName, nt.To)
						require.True(t, nt.Exhausted)
					} else {
						require.Equal(t, r.Candidates[tr.To], nt.To)
						require.False(t, nt.Exhausted)
					}
				}
				require.Equal(t, rd.Exhausted, nr.Exhausted)
			}
			if r.Pairwise != nil {
				for i, row := range r.Pairwise.M {
					for j, v := range row {
						if i != j {
							require.Equal(t, v, back.Pairwise[r.Candidates[i]][r.Candidates[j]])
						}
					}
				}
			}
		})
	}
}

func renderNilIfEmpty(s []int) []int {
	if len(s) == 0 {
		return nil
	}
	return s
}

// TestNamedExhaustedTransfer checks the IRV case really moves votes to
// "exhausted", so that the round trip above covers it.
func TestNamedExhaustedTransfer(t *testing.T) {
	var found bool
	for _, tc := range renderCases(t) {
		for _, rd := range tc.result.Named().Rounds {
			for _, tr := range rd.Transfers {
				found = found || (tr.To == voting.ExhaustedName && tr.Exhausted)
			}
		}
	}
	require.True(t, found)
}

type renderFailWriter struct{}

var errRenderWrite = errors.New("disk full")

func (renderFailWriter) Write([]byte) (int, error) { return 0, errRenderWrite }

func TestRenderWriteErrors(t *testing.T) {
	r := renderCases(t)[1].result
	require.ErrorIs(t, r.WriteText(renderFailWriter{}), errRenderWrite)
	require.ErrorIs(t, r.WriteSVG(renderFailWriter{}), errRenderWrite)
}

// TestRenderHandBuilt renders results no method produced: no ranking, an
// index with no name, negative scores, nothing to chart.
func TestRenderHandBuilt(t *testing.T) {
	for _, r := range []*voting.Result{
		{Method: "custom", Candidates: []string{"X", "Y"}, Winners: []int{1}, Elected: []int{1}, Scores: []float64{-3, -1.5}},
		{Method: "custom", Candidates: []string{"X"}, Winners: []int{1}, Elected: []int{1},
			Rounds: []voting.Round{{Counts: []float64{1, 2}}, {Counts: []float64{0, 3}, Active: []bool{false, true}, Elected: []int{1}}}},
		{},
	} {
		var tb, sb bytes.Buffer
		require.NoError(t, r.WriteText(&tb))
		require.NoError(t, r.WriteSVG(&sb))
		svgCheck(t, sb.Bytes())
		_, err := json.Marshal(r.Named())
		require.NoError(t, err)
	}
	r := &voting.Result{Method: "custom", Candidates: []string{"X", "Y"}, Winners: []int{1}, Elected: []int{1}, Scores: []float64{-3, -1.5}}
	var b strings.Builder
	require.NoError(t, r.WriteText(&b))
	require.NotContains(t, b.String(), "Ranking:", "no ranking was given")
	require.Regexp(t, `(?m)^  Y +-1\.5 +elected$`, b.String())
	require.Regexp(t, `(?m)^  X +-3\.0 +—$`, b.String())
}

// TestRenderOddNames: names that look like markup or placeholders, or
// hold control characters, are written as they are (escaped in SVG) and
// never break the text report's lines.
func TestRenderOddNames(t *testing.T) {
	names := []string{"{id}", "Line\nbreak", `Quote "q" 'a'`}
	p := renderProfile(t, names, map[string]int64{"{id} > Line\nbreak": 3, "Line\nbreak > {id}": 2, `Quote "q" 'a' > {id}`: 1})
	m, err := voting.NewRegistry().Lookup("irv")
	require.NoError(t, err)
	r, err := m.Run(voting.Input{Ranked: p}, voting.Options{})
	require.NoError(t, err)

	var sb, tb bytes.Buffer
	require.NoError(t, r.WriteSVG(&sb))
	text, root, _ := svgCheck(t, sb.Bytes())
	require.Contains(t, text, "{id}")
	require.Contains(t, text, `Quote "q" 'a'`)
	require.Contains(t, text, "Line break", "control characters become spaces")
	require.NotContains(t, svgAttr(root, "aria-labelledby"), "{")

	require.NoError(t, r.WriteText(&tb))
	require.Contains(t, tb.String(), "Winner: {id}\n")
	require.Regexp(t, `(?m)^  Line break +2 `, tb.String(), "a newline in a name becomes a space")

	// Another result gets other ids; the same result the same ones.
	var again, other bytes.Buffer
	require.NoError(t, r.WriteSVG(&again))
	require.Equal(t, sb.String(), again.String())
	require.NoError(t, renderCases(t)[1].result.WriteSVG(&other))
	_, root2, _ := svgCheck(t, other.Bytes())
	require.NotEqual(t, svgAttr(root, "aria-labelledby"), svgAttr(root2, "aria-labelledby"))
}

// STAR's rounds count different things: scores, then ballots. Each is
// named with its unit, and in the chart each round has its own scale (the
// runoff's ballots were drawn on the scores' axis).
func TestRenderSTARRounds(t *testing.T) {
	p, err := voting.NewCardinalProfile([]string{"Allison", "Bill", "Carmen"}, voting.CardinalSpec{Kind: voting.Score, Min: 0, Max: 5})
	require.NoError(t, err)
	require.NoError(t, p.Add([]int{5, 4, 0}, 40))
	require.NoError(t, p.Add([]int{0, 5, 3}, 35))
	require.NoError(t, p.Add([]int{2, 0, 5}, 25))
	m, err := voting.NewRegistry().Lookup("star")
	require.NoError(t, err)
	r, err := m.Run(voting.Input{Cardinal: p}, voting.Options{})
	require.NoError(t, err)

	var text strings.Builder
	require.NoError(t, r.WriteText(&text))
	assert.Contains(t, text.String(), "Round 1: scoring (columns: candidate, score, status)")
	assert.Contains(t, text.String(), "Round 2: automatic runoff (columns: candidate, ballots, status)")

	var svg strings.Builder
	require.NoError(t, r.WriteSVG(&svg))
	out := svg.String()
	assert.Contains(t, out, "each round on its own scale")
	width := func(title string) string {
		i := strings.Index(out, "<title>"+title)
		require.GreaterOrEqual(t, i, 0, title)
		j := strings.Index(out[i:], `width="`) + i + len(`width="`)
		return out[j : j+strings.IndexByte(out[j:], '"')]
	}
	// The leader of each round fills the bar: 335 points, 65 ballots.
	assert.Equal(t, width("Round 1: scoring, Bill: 335"), width("Round 2: automatic runoff, Allison: 65"))
}
