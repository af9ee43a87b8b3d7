package voting

import (
	"encoding/xml"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Results that print themselves: a plain-text report (WriteText), a JSON
// form with names instead of indices (Named) and an SVG chart (WriteSVG).
// All three are deterministic: the same Result always gives the same bytes.

// WriteText writes a plain-text report of r: the method, the ballots
// counted, the winners and any tie-break, the ranking, the scores, each
// round as a table with its transfers, the exhausted ballots and the notes,
// then the pairwise matrix and the path strengths when present.
//
// The report uses no colour and no control codes. Every line can be read
// on its own (by a screen reader, say): table rows start with the candidate
// name, each table is preceded by a line naming its columns, and a status
// is written as a word, never shown by position alone.
func (r *Result) WriteText(w io.Writer) error {
	c := newRenderCtx(r)
	var b strings.Builder
	c.writeText(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

// NamedResult is a Result with candidate names in place of indices, for
// JSON output. Maps are keyed by candidate name (names are unique in a
// profile); encoding/json writes their keys sorted.
type NamedResult struct {
	Method     string   `json:"method"`
	Variant    string   `json:"variant,omitempty"`
	Candidates []string `json:"candidates"`
	// Winners is the winner set before any tie-break; Elected the outcome
	// after it. Tied is true when the tie policy chose among Winners.
	Winners  []string   `json:"winners"`
	Elected  []string   `json:"elected"`
	Tied     bool       `json:"tied"`
	TieBreak string     `json:"tie_break,omitempty"`
	Ranking  [][]string `json:"ranking,omitempty"`
	// Scores maps each candidate to its final score, when the method has
	// one.
	Scores map[string]float64 `json:"scores,omitempty"`
	Rounds []NamedRound       `json:"rounds"`
	// Pairwise[a][b] is the number of voters ranking a above b (a ≠ b).
	Pairwise map[string]map[string]int64 `json:"pairwise,omitempty"`
	// Strengths[a][b] is the strength of the strongest path from a to b.
	Strengths map[string]map[string]float64 `json:"strengths,omitempty"`
	Ballots   int64                         `json:"ballots"`
	Notes     []string                      `json:"notes,omitempty"`
}

// NamedRound is a Round with names. Counts holds the candidates still in
// the count that round (all of them when the round does not say).
type NamedRound struct {
	Counts     map[string]float64 `json:"counts"`
	Eliminated []string           `json:"eliminated,omitempty"`
	Elected    []string           `json:"elected,omitempty"`
	Transfers  []NamedTransfer    `json:"transfers,omitempty"`
	Exhausted  float64            `json:"exhausted,omitempty"`
	TieBreak   string             `json:"tie_break,omitempty"`
	Note       string             `json:"note,omitempty"`
}

// NamedTransfer is a Transfer with names: To is "exhausted" (and
// Exhausted true) for votes that leave the count.
type NamedTransfer struct {
	From      string  `json:"from"`
	To        string  `json:"to"`
	Votes     float64 `json:"votes"`
	Exhausted bool    `json:"exhausted,omitempty"`
}

// ExhaustedName is the To of a NamedTransfer whose ballots exhausted.
const ExhaustedName = "exhausted"

// Named returns r with candidate names in place of indices. An index with
// no name (a hand-built Result) is written "#i".
func (r *Result) Named() NamedResult {
	c := newRenderCtx(r)
	names := func(cs []int) []string {
		if cs == nil {
			return nil
		}
		out := make([]string, len(cs))
		for i, x := range cs {
			out[i] = c.rawName(x)
		}
		return out
	}
	n := NamedResult{
		Method:     r.Method,
		Variant:    r.Variant,
		Candidates: slices.Clone(r.Candidates),
		Winners:    names(r.Winners),
		Elected:    names(r.Elected),
		Tied:       r.Tied(),
		TieBreak:   r.TieBreak,
		Ballots:    r.Ballots,
		Notes:      slices.Clone(r.Notes),
	}
	if n.Candidates == nil {
		n.Candidates = []string{}
	}
	if n.Winners == nil {
		n.Winners = []string{}
	}
	if n.Elected == nil {
		n.Elected = []string{}
	}
	for _, g := range r.Ranking {
		n.Ranking = append(n.Ranking, names(g))
	}
	if len(r.Scores) > 0 {
		n.Scores = make(map[string]float64, len(r.Scores))
		for i, s := range r.Scores {
			n.Scores[c.rawName(i)] = s
		}
	}
	n.Rounds = []NamedRound{} // always present in JSON, empty for one-step methods
	for _, rd := range r.Rounds {
		nr := NamedRound{
			Counts:     map[string]float64{},
			Eliminated: names(rd.Eliminated),
			Elected:    names(rd.Elected),
			Exhausted:  rd.Exhausted,
			TieBreak:   rd.TieBreak,
			Note:       rd.Note,
		}
		for i, v := range rd.Counts {
			if roundActive(rd, i) {
				nr.Counts[c.rawName(i)] = v
			}
		}
		for _, t := range rd.Transfers {
			nt := NamedTransfer{From: c.rawName(t.From), To: c.rawName(t.To), Votes: t.Votes}
			if t.To < 0 {
				nt.To, nt.Exhausted = ExhaustedName, true
			}
			nr.Transfers = append(nr.Transfers, nt)
		}
		n.Rounds = append(n.Rounds, nr)
	}
	if m := r.Pairwise; m != nil {
		n.Pairwise = map[string]map[string]int64{}
		for i, row := range m.M {
			cells := map[string]int64{}
			for j, v := range row {
				if i != j {
					cells[c.rawName(j)] = v
				}
			}
			n.Pairwise[c.rawName(i)] = cells
		}
	}
	if len(r.Strengths) > 0 {
		n.Strengths = map[string]map[string]float64{}
		for i, row := range r.Strengths {
			cells := map[string]float64{}
			for j, v := range row {
				if i != j {
					cells[c.rawName(j)] = v
				}
			}
			n.Strengths[c.rawName(i)] = cells
		}
	}
	return n
}

// roundActive reports whether candidate i is in the count in rd; a round
// without Active (a one-round count) holds every candidate.
func roundActive(rd Round, i int) bool {
	if rd.Active == nil {
		return true
	}
	return i < len(rd.Active) && rd.Active[i]
}

// renderCtx holds what the three renderings share: the display order of
// the candidates, the number format and the unit of the counts.
type renderCtx struct {
	r     *Result
	n     int   // number of candidates (names or counts, whichever is longer)
	order []int // candidates in display order: by the ranking, then by index
	dec   int   // decimals for counts, scores and transfers
	title string
	unit  string // "Votes", "Points", "Score", ...
	share bool   // counts are votes whose share of the round is meaningful
	// rounds names what each round counts, for methods whose rounds count
	// different things (STAR: scores, then ballots); nil when every round
	// counts unit.
	rounds []renderRound
}

// renderRound is what one round of a method counts, and its name.
type renderRound struct{ unit, name string }

// roundUnit is the unit of round k.
func (c *renderCtx) roundUnit(k int) string {
	if k < len(c.rounds) {
		return c.rounds[k].unit
	}
	return c.unit
}

// roundTitle is "Round k", with the round's name when it has one.
func (c *renderCtx) roundTitle(k int) string {
	if k < len(c.rounds) && c.rounds[k].name != "" {
		return fmt.Sprintf("Round %d: %s", k+1, c.rounds[k].name)
	}
	return fmt.Sprintf("Round %d", k+1)
}

// renderRounds lists the methods whose rounds count different things.
var renderRounds = map[string][]renderRound{
	"star": {{"Score", "scoring"}, {"Ballots", "automatic runoff"}},
}

// renderUnits names what the counts of the built-in methods are; share is
// set when each count is a number of ballots and the round's counts add up
// to the ballots still in the count.
var renderUnits = map[string]struct {
	unit  string
	share bool
}{
	"plurality":           {"Votes", true},
	"irv":                 {"Votes", true},
	"two-round":           {"Votes", true},
	"coombs":              {"Votes", true},
	"smith-irv":           {"Votes", true},
	"tideman-alternative": {"Votes", true},
	"bucklin":             {"Votes", false},
	"approval":            {"Approvals", false},
	"borda":               {"Points", false},
	"dowdall":             {"Points", false},
	"positional":          {"Points", false},
	"baldwin":             {"Borda score", false},
	"nanson":              {"Borda score", false},
}

func newRenderCtx(r *Result) *renderCtx {
	c := &renderCtx{r: r, n: len(r.Candidates), unit: "Score", title: r.Method}
	c.n = max(c.n, len(r.Scores))
	for _, rd := range r.Rounds {
		c.n = max(c.n, len(rd.Counts))
	}
	if u, ok := renderUnits[r.Method]; ok {
		c.unit, c.share = u.unit, u.share
	}
	c.rounds = renderRounds[r.Method]
	for _, m := range builtins() {
		if m.Name == r.Method && m.Title != "" {
			c.title = m.Title
		}
	}
	if c.title == "" {
		c.title = "Result"
	}
	seen := make([]bool, c.n)
	for _, g := range r.Ranking {
		g = slices.Clone(g)
		slices.Sort(g)
		for _, x := range g {
			if x >= 0 && x < c.n && !seen[x] {
				seen[x] = true
				c.order = append(c.order, x)
			}
		}
	}
	var rest []int
	for x := range c.n {
		if !seen[x] {
			rest = append(rest, x)
		}
	}
	if len(r.Scores) == c.n {
		// Unranked candidates follow by score, best first.
		slices.SortStableFunc(rest, func(a, b int) int {
			switch sa, sb := r.Scores[a], r.Scores[b]; {
			case sa > sb:
				return -1
			case sa < sb:
				return 1
			}
			return 0
		})
	}
	c.order = append(c.order, rest...)
	var vals []float64
	vals = append(vals, r.Scores...)
	for _, rd := range r.Rounds {
		for i, v := range rd.Counts {
			if roundActive(rd, i) {
				vals = append(vals, v)
			}
		}
		vals = append(vals, rd.Exhausted)
		for _, t := range rd.Transfers {
			vals = append(vals, t.Votes)
		}
	}
	c.dec = renderDecimals(vals)
	return c
}

// renderDecimals returns the fewest decimals (at most 4) that write every
// value of vals exactly.
func renderDecimals(vals []float64) int {
	d := 0
	for _, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e12 {
			continue
		}
		for d < 4 {
			x := v * math.Pow10(d)
			if math.Abs(x-math.Round(x)) <= 1e-6*math.Max(1, math.Abs(x))*1e-3 {
				break
			}
			d++
		}
	}
	return d
}

// num writes a count, a score or a strength; values too large to be
// counts (an infinitely strong defeat is reported as MaxFloat64) are "∞".
func (c *renderCtx) num(v float64) string {
	return renderNum(v, c.dec)
}

func renderNum(v float64, dec int) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case v >= math.MaxFloat64:
		return "∞"
	case v <= -math.MaxFloat64:
		return "-∞"
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if strings.HasPrefix(s, "-") && strings.Trim(s, "-0.") == "" {
		s = s[1:] // no "-0"
	}
	return s
}

// rawName is candidate x's name as given ("exhausted" for -1).
func (c *renderCtx) rawName(x int) string {
	if x < 0 {
		return ExhaustedName
	}
	if x < len(c.r.Candidates) {
		return c.r.Candidates[x]
	}
	return "#" + strconv.Itoa(x)
}

// name is candidate x's name for display: control characters (a newline
// in a name would break a table) become spaces.
func (c *renderCtx) name(x int) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, c.rawName(x))
}

func (c *renderCtx) names(cs []int) string {
	parts := make([]string, len(cs))
	for i, x := range cs {
		parts[i] = c.name(x)
	}
	return strings.Join(parts, ", ")
}

// sorted returns cs in display order.
func (c *renderCtx) sorted(cs []int) []int {
	pos := make(map[int]int, len(c.order))
	for i, x := range c.order {
		pos[x] = i
	}
	s := slices.Clone(cs)
	slices.SortStableFunc(s, func(a, b int) int {
		pa, oka := pos[a]
		pb, okb := pos[b]
		if !oka {
			pa = len(c.order) + a
		}
		if !okb {
			pb = len(c.order) + b
		}
		return pa - pb
	})
	return s
}

// roundShares returns each active candidate's share of the round, in
// percent, or nil when shares do not apply.
func (c *renderCtx) roundShares(rd Round) []float64 {
	if !c.share {
		return nil
	}
	total := 0.0
	for i, v := range rd.Counts {
		if roundActive(rd, i) {
			if v < 0 {
				return nil
			}
			total += v
		}
	}
	if total <= 0 {
		return nil
	}
	out := make([]float64, len(rd.Counts))
	for i, v := range rd.Counts {
		out[i] = 100 * v / total
	}
	return out
}

func renderPercent(v float64) string { return renderNum(v, 1) + "%" }

// roundStatus says what became of candidate x in rd.
func roundStatus(rd Round, x int) string {
	el, out := slices.Contains(rd.Elected, x), slices.Contains(rd.Eliminated, x)
	switch {
	case el && out:
		return "elected, eliminated"
	case el:
		return "elected"
	case out:
		return "eliminated"
	}
	return "—"
}

// oneCount reports whether the rounds add nothing to the scores: a single
// round whose counts are the scores, with no movement recorded.
func (c *renderCtx) oneCount() bool {
	r := c.r
	if len(r.Rounds) != 1 {
		return false
	}
	rd := r.Rounds[0]
	if len(rd.Eliminated) > 0 || len(rd.Transfers) > 0 || rd.Exhausted != 0 || rd.TieBreak != "" || rd.Note != "" {
		return false
	}
	return len(r.Scores) == 0 || slices.Equal(rd.Counts, r.Scores)
}

func (c *renderCtx) moving() bool {
	for _, rd := range c.r.Rounds {
		if len(rd.Transfers) > 0 || rd.Exhausted != 0 {
			return true
		}
	}
	return false
}

// ranking writes "1. A  2. B = C  4. D" (places as in sport: tied
// candidates share a place, the next place skips).
func (c *renderCtx) ranking() string {
	var parts []string
	place := 1
	for _, g := range c.r.Ranking {
		if len(g) == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%d. %s", place, strings.Join(c.nameList(c.sorted(g)), " = ")))
		place += len(g)
	}
	return strings.Join(parts, "  ")
}

func (c *renderCtx) nameList(cs []int) []string {
	out := make([]string, len(cs))
	for i, x := range cs {
		out[i] = c.name(x)
	}
	return out
}

// methodLine names the method and its variant; outcomeLines state the
// winners and any tie-break. Both are shared by the text report and the
// chart descriptions.
func (c *renderCtx) methodLine() string {
	r := c.r
	s := c.title
	if r.Method != "" && r.Method != c.title {
		s += " — " + r.Method
	}
	if r.Variant != "" {
		s += ", variant " + r.Variant
	}
	return s
}

func (c *renderCtx) outcomeLines() []string {
	r := c.r
	var out []string
	switch {
	case r.Tied():
		out = append(out, "Tied winners: "+c.names(r.Winners))
		by := ""
		if r.TieBreak != "" {
			by = " by " + r.TieBreak
		}
		out = append(out, "Tie broken: elected "+c.names(r.Elected)+by)
	case len(r.Winners) == 0 && len(r.Elected) == 0:
		out = append(out, "Winner: none")
	default:
		ws := r.Elected
		if len(ws) == 0 {
			ws = r.Winners
		}
		label := "Winner: "
		if len(ws) > 1 {
			label = "Winners: "
		}
		out = append(out, label+c.names(ws))
		if r.TieBreak != "" {
			out = append(out, "Tie-break used during the count: "+r.TieBreak)
		}
	}
	return out
}

// renderTable is a table whose rows start with a candidate name.
type renderTable struct {
	head  []string
	right []bool // right-align the column
	rows  [][]string
}

func (t renderTable) write(b *strings.Builder, indent string) {
	width := make([]int, len(t.head))
	for _, row := range append([][]string{t.head}, t.rows...) {
		for i, cell := range row {
			width[i] = max(width[i], utf8.RuneCountInString(cell))
		}
	}
	for _, row := range append([][]string{t.head}, t.rows...) {
		var line strings.Builder
		line.WriteString(indent)
		for i, cell := range row {
			if i > 0 {
				line.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(cell))
			if t.right[i] {
				line.WriteString(pad + cell)
			} else {
				line.WriteString(cell + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
}

func (c *renderCtx) writeText(b *strings.Builder) {
	r := c.r
	fmt.Fprintf(b, "Method: %s\n", c.methodLine())
	fmt.Fprintf(b, "Ballots counted: %d\n", r.Ballots)
	for _, l := range c.outcomeLines() {
		b.WriteString(l + "\n")
	}
	if len(r.Ranking) > 0 {
		fmt.Fprintf(b, "Ranking: %s\n", c.ranking())
	}

	one := c.oneCount()
	if len(r.Scores) > 0 || one {
		b.WriteString("\n")
		var shares []float64
		if one {
			shares = c.roundShares(r.Rounds[0])
		}
		unit := c.unit
		fmt.Fprintf(b, "%s, best first (columns: candidate, %s%s, status):\n",
			renderHeading(one, len(r.Scores) > 0), strings.ToLower(unit), renderIf(shares != nil, ", share"))
		t := renderTable{head: []string{"Candidate", unit}, right: []bool{false, true}}
		if shares != nil {
			t.head, t.right = append(t.head, "Share"), append(t.right, true)
		}
		t.head, t.right = append(t.head, "Status"), append(t.right, false)
		vals := r.Scores
		if len(vals) == 0 {
			vals = r.Rounds[0].Counts
		}
		for _, x := range c.order {
			if x >= len(vals) || (len(r.Scores) == 0 && !roundActive(r.Rounds[0], x)) {
				continue
			}
			row := []string{c.name(x), c.num(vals[x])}
			if shares != nil {
				row = append(row, renderPercent(shares[x]))
			}
			st := "—"
			switch {
			case slices.Contains(r.Elected, x):
				st = "elected"
			case slices.Contains(r.Winners, x):
				st = "tied, not elected"
			}
			t.rows = append(t.rows, append(row, st))
		}
		t.write(b, "  ")
	}

	if !one {
		moving := c.moving()
		for k, rd := range r.Rounds {
			b.WriteString("\n")
			shares := c.roundShares(rd)
			unit := c.roundUnit(k)
			fmt.Fprintf(b, "%s (columns: candidate, %s%s, status):\n", c.roundTitle(k), strings.ToLower(unit), renderIf(shares != nil, ", share"))
			t := renderTable{head: []string{"Candidate", unit}, right: []bool{false, true}}
			if shares != nil {
				t.head, t.right = append(t.head, "Share"), append(t.right, true)
			}
			t.head, t.right = append(t.head, "Status"), append(t.right, false)
			for _, x := range c.order {
				if x >= len(rd.Counts) || !roundActive(rd, x) {
					continue
				}
				row := []string{c.name(x), c.num(rd.Counts[x])}
				if shares != nil {
					row = append(row, renderPercent(shares[x]))
				}
				t.rows = append(t.rows, append(row, roundStatus(rd, x)))
			}
			t.write(b, "  ")
			if len(rd.Transfers) > 0 {
				parts := make([]string, len(rd.Transfers))
				for i, tr := range rd.Transfers {
					parts[i] = fmt.Sprintf("%s → %s %s", c.name(tr.From), c.name(tr.To), c.num(tr.Votes))
				}
				fmt.Fprintf(b, "  Transfers: %s\n", strings.Join(parts, ", "))
			}
			if moving {
				fmt.Fprintf(b, "  Exhausted ballots (so far): %s\n", c.num(rd.Exhausted))
			}
			if rd.TieBreak != "" {
				fmt.Fprintf(b, "  Tie-break: %s\n", rd.TieBreak)
			}
			if rd.Note != "" {
				fmt.Fprintf(b, "  Note: %s\n", rd.Note)
			}
		}
	}

	if m := r.Pairwise; m != nil && m.N > 0 {
		b.WriteString("\n")
		order := c.matrixOrder(m.N)
		fmt.Fprintf(b, "Pairwise comparisons: each row gives the voters ranking its candidate above the candidate of each column; columns: %s.\n",
			strings.Join(c.nameList(order), ", "))
		c.matrixTable(order, func(i, j int) string {
			if i >= len(m.M) || j >= len(m.M[i]) {
				return ""
			}
			return strconv.FormatInt(m.M[i][j], 10)
		}).write(b, "  ")
	}
	if len(r.Strengths) > 0 {
		b.WriteString("\n")
		order := c.matrixOrder(len(r.Strengths))
		fmt.Fprintf(b, "Path strengths: each row gives the strength of the strongest path from its candidate to the candidate of each column; columns: %s.\n",
			strings.Join(c.nameList(order), ", "))
		dec := renderDecimals(slices.Concat(r.Strengths...))
		c.matrixTable(order, func(i, j int) string {
			if j >= len(r.Strengths[i]) {
				return ""
			}
			return renderNum(r.Strengths[i][j], dec)
		}).write(b, "  ")
	}
	if len(r.Notes) > 0 {
		b.WriteString("\nNotes:\n")
		for _, n := range r.Notes {
			fmt.Fprintf(b, "- %s\n", n)
		}
	}
}

func renderHeading(one, scores bool) string {
	switch {
	case one:
		return "Count"
	case scores:
		return "Final scores"
	}
	return "Count"
}

func renderIf(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}

// matrixOrder returns the display order restricted to the n candidates of
// a matrix.
func (c *renderCtx) matrixOrder(n int) []int {
	var out []int
	for _, x := range c.order {
		if x < n {
			out = append(out, x)
		}
	}
	for x := len(c.order); x < n; x++ {
		out = append(out, x)
	}
	return out
}

func (c *renderCtx) matrixTable(order []int, cell func(i, j int) string) renderTable {
	t := renderTable{head: []string{"Candidate"}, right: []bool{false}}
	for _, j := range order {
		t.head, t.right = append(t.head, c.name(j)), append(t.right, true)
	}
	for _, i := range order {
		row := []string{c.name(i)}
		for _, j := range order {
			if i == j {
				row = append(row, "—")
			} else {
				row = append(row, cell(i, j))
			}
		}
		t.rows = append(t.rows, row)
	}
	return t
}

// ---------------------------------------------------------------------------
// SVG

// Chart geometry, in pixels. Text widths are estimated from the number of
// characters (fontSize × 0.6 per character, generous for sans-serif).
const (
	svgFont    = 14.0
	svgChar    = svgFont * 0.6
	svgMargin  = 20.0
	svgRowH    = 30.0
	svgBarH    = 20.0
	svgPlotW   = 400.0
	svgRoundW  = 150.0 // longest bar of a round column
	svgGutter  = 110.0 // between round columns, where transfers are drawn
	svgTitleSz = 18.0
)

const (
	svgInk       = "#1a202c"
	svgMuted     = "#4a5568"
	svgBarFill   = "#90a4be"
	svgBarStroke = "#2d3748"
	svgWinFill   = "#1f4e79"
	svgOutStroke = "#9b2c2c"
	svgGrid      = "#e2e8f0"
	svgBand      = "#5a7fa8"
)

// WriteSVG draws r as a standalone SVG 1.1 image.
//
// A result with one count (or only scores) becomes a horizontal bar chart
// of the counts or scores, best first, with the value written by each bar;
// the elected candidate's bar is hatched and labelled "elected". A result
// of several rounds becomes a chart of rounds: one column per round, a bar
// per candidate still in the count, eliminated candidates' bars
// cross-hatched with a dashed outline and labelled "eliminated", and the
// votes transferred drawn as bands from the eliminated candidate to the
// receivers in the next column, with the votes written on them. A result
// with neither (a pairwise method) shows its ranking and, when present,
// the pairwise matrix.
//
// The image has role="img" and is labelled by its <title> and a <desc>
// that states the whole result in words. Sizes are computed from the data
// and the output is deterministic. Names are escaped.
func (r *Result) WriteSVG(w io.Writer) error {
	c := newRenderCtx(r)
	s := &svgDoc{c: c, id: svgID(r)}
	switch {
	case len(r.Rounds) > 1:
		s.rounds()
	case len(r.Scores) > 0 || len(r.Rounds) == 1:
		s.bars()
	default:
		s.rankingChart()
	}
	_, err := io.WriteString(w, s.String())
	return err
}

// svgDoc accumulates the body of a chart, then wraps it.
type svgDoc struct {
	c     *renderCtx
	body  strings.Builder
	w, h  float64
	title string
	desc  string
	id    string // prefix of the document's ids
}

// style fills in the id prefix of a bar style.
func (s *svgDoc) style(st string) string { return strings.ReplaceAll(st, "{id}", s.id) }

// svgID derives the prefix of a document's ids from the result, so that
// several charts can be inlined in one page without their ids (which
// label the image and name its patterns) clashing, and the same result
// always gives the same ids.
func svgID(r *Result) string {
	h := fnv.New32a()
	fmt.Fprintf(h, "%q %q %q %v %v %v %v %v %v %v %d %q", r.Method, r.Variant, r.Candidates, r.Winners, r.Elected,
		r.Ranking, r.Scores, r.Rounds, r.Strengths, r.TieBreak, r.Ballots, r.Notes)
	if r.Pairwise != nil {
		fmt.Fprintf(h, " %v", r.Pairwise.M)
	}
	return fmt.Sprintf("ck%08x", h.Sum32())
}

func svgEsc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // writes to a Builder: no error
	return b.String()
}

// svgNum writes a coordinate with at most one decimal.
func svgNum(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

func svgTextW(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * 0.6
}

func (s *svgDoc) printf(format string, args ...any) {
	fmt.Fprintf(&s.body, format, args...)
}

// text writes a text element; anchor is "start", "middle" or "end".
func (s *svgDoc) text(x, y float64, anchor, attrs, content string) {
	a := ""
	if anchor != "start" {
		a = ` text-anchor="` + anchor + `"`
	}
	if attrs != "" {
		attrs = " " + attrs
	}
	s.printf("<text x=\"%s\" y=\"%s\"%s%s>%s</text>\n", svgNum(x), svgNum(y), a, attrs, svgEsc(content))
}

func (s *svgDoc) header(title, subtitle string) {
	s.text(svgMargin, svgMargin+svgTitleSz, "start", fmt.Sprintf(`font-size="%s" font-weight="bold"`, svgNum(svgTitleSz)), title)
	s.text(svgMargin, svgMargin+svgTitleSz+22, "start", `fill="`+svgMuted+`"`, subtitle)
	s.w = max(s.w, svgTextW(title, svgTitleSz)+2*svgMargin, svgTextW(subtitle, svgFont)+2*svgMargin)
}

// String returns the whole document.
func (s *svgDoc) String() string {
	id := s.id
	var b strings.Builder
	fmt.Fprintf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%s\" height=\"%s\" viewBox=\"0 0 %s %s\" role=\"img\" aria-labelledby=\"%s-title %s-desc\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" font-size=\"%s\" fill=\"%s\">\n",
		svgNum(math.Ceil(s.w)), svgNum(math.Ceil(s.h)), svgNum(math.Ceil(s.w)), svgNum(math.Ceil(s.h)), id, id, svgNum(svgFont), svgInk)
	fmt.Fprintf(&b, "<title id=\"%s-title\">%s</title>\n", id, svgEsc(s.title))
	fmt.Fprintf(&b, "<desc id=\"%s-desc\">%s</desc>\n", id, svgEsc(s.desc))
	b.WriteString("<defs>\n")
	// Elected: dark stripes. Eliminated: a red cross-hatch on white.
	fmt.Fprintf(&b, "<pattern id=\"%s-elected\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\" patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"%s\"/><rect width=\"3\" height=\"8\" fill=\"#ffffff\" fill-opacity=\"0.45\"/></pattern>\n", id, svgWinFill)
	fmt.Fprintf(&b, "<pattern id=\"%s-eliminated\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\"><rect width=\"8\" height=\"8\" fill=\"#ffffff\"/><path d=\"M0 0L8 8M8 0L0 8\" stroke=\"%s\" stroke-width=\"1.2\"/></pattern>\n", id, svgOutStroke)
	b.WriteString("</defs>\n")
	b.WriteString(`<rect width="100%" height="100%" fill="#ffffff"/>` + "\n")
	b.WriteString(s.body.String())
	b.WriteString("</svg>\n")
	return b.String()
}

// Bar styles; {id} stands for the document's id prefix (see style).
const (
	styleBar        = `fill="` + svgBarFill + `" stroke="` + svgBarStroke + `" stroke-width="1"`
	styleElected    = `fill="url(#{id}-elected)" stroke="` + svgInk + `" stroke-width="2"`
	styleEliminated = `fill="url(#{id}-eliminated)" stroke="` + svgOutStroke + `" stroke-width="1.5" stroke-dasharray="4 2"`
)

// legend draws swatches with their labels from (x, y) and returns the
// height used.
func (s *svgDoc) legend(x, y float64, items [][2]string) float64 {
	cx := x
	for _, it := range items {
		style, label := it[0], it[1]
		if style == "band" {
			s.printf("<rect x=\"%s\" y=\"%s\" width=\"24\" height=\"8\" fill=\"%s\" fill-opacity=\"0.35\"/>\n", svgNum(cx), svgNum(y-10), svgBand)
		} else {
			s.printf("<rect x=\"%s\" y=\"%s\" width=\"24\" height=\"14\" %s/>\n", svgNum(cx), svgNum(y-12), s.style(style))
		}
		s.text(cx+30, y, "start", "", label)
		cx += 30 + svgTextW(label, svgFont) + 24
	}
	s.w = max(s.w, cx+svgMargin)
	return 24
}

// svgNiceScale returns the axis bounds and tick step covering [lo, hi].
func svgNiceScale(lo, hi float64) (float64, float64, float64) {
	lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	if hi-lo <= 0 || math.IsInf(hi-lo, 0) || math.IsNaN(hi-lo) {
		return 0, 1, 0.2
	}
	raw := (hi - lo) / 5
	mag := math.Pow10(int(math.Floor(math.Log10(raw))))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	return math.Floor(lo/step) * step, math.Ceil(hi/step) * step, step
}

func svgTickLabel(v, step float64) string {
	dec := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	if step/math.Pow10(-dec) != math.Trunc(step/math.Pow10(-dec)) {
		dec++
	}
	return renderNum(v, dec)
}

// finalStatus returns the label of candidate x in the final count.
func (c *renderCtx) finalStatus(x int) string {
	r := c.r
	switch {
	case slices.Contains(r.Elected, x) && r.Tied() && r.TieBreak != "":
		return "elected by " + r.TieBreak
	case slices.Contains(r.Elected, x):
		return "elected"
	case slices.Contains(r.Winners, x):
		return "tied, not elected"
	}
	return ""
}

// bars draws a one-count result as horizontal bars.
func (s *svgDoc) bars() {
	c, r := s.c, s.c.r
	vals := r.Scores
	var shares []float64
	unit := c.unit
	if len(vals) == 0 || c.oneCount() {
		vals = r.Rounds[0].Counts
		shares = c.roundShares(r.Rounds[0])
	}
	var cands []int
	for _, x := range c.order {
		if x < len(vals) && (len(r.Scores) > 0 || roundActive(r.Rounds[0], x)) {
			cands = append(cands, x)
		}
	}
	lo, hi := 0.0, 0.0
	for _, x := range cands {
		if v := vals[x]; !math.IsNaN(v) && !math.IsInf(v, 0) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	lo, hi, step := svgNiceScale(lo, hi)

	s.title = fmt.Sprintf("%s: %s by candidate", c.title, strings.ToLower(unit))
	sub := fmt.Sprintf("%d ballots counted. %s.", r.Ballots, strings.Join(c.outcomeLines(), ". "))
	s.header(s.title, sub)

	// Labels and geometry.
	nameW := 0.0
	labels := make(map[int]string, len(cands))
	labelW := 0.0
	for _, x := range cands {
		nameW = max(nameW, svgTextW(c.name(x), svgFont))
		l := c.num(vals[x])
		if shares != nil {
			l += " (" + renderPercent(shares[x]) + ")"
		}
		if st := c.finalStatus(x); st != "" {
			l += ", " + st
		}
		labels[x] = l
		labelW = max(labelW, svgTextW(l, svgFont))
	}
	top := svgMargin + svgTitleSz + 66
	x0 := svgMargin + max(nameW, svgTextW("Candidate", svgFont)) + 10
	scale := func(v float64) float64 {
		if math.IsInf(v, 1) || v > hi {
			v = hi
		}
		if math.IsInf(v, -1) || v < lo {
			v = lo
		}
		return x0 + (v-lo)/(hi-lo)*svgPlotW
	}
	bottom := top + float64(len(cands))*svgRowH

	// Grid and axis.
	s.printf("<g stroke=\"%s\" stroke-width=\"1\">\n", svgGrid)
	for t := lo; t <= hi+step/2; t += step {
		s.printf("<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>\n", svgNum(scale(t)), svgNum(top), svgNum(scale(t)), svgNum(bottom))
	}
	s.printf("</g>\n")
	s.printf("<g stroke=\"%s\" stroke-width=\"1\">\n", svgMuted)
	s.printf("<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>\n", svgNum(x0), svgNum(bottom), svgNum(x0+svgPlotW), svgNum(bottom))
	s.printf("<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>\n", svgNum(scale(0)), svgNum(top), svgNum(scale(0)), svgNum(bottom))
	for t := lo; t <= hi+step/2; t += step {
		s.printf("<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>\n", svgNum(scale(t)), svgNum(bottom), svgNum(scale(t)), svgNum(bottom+5))
	}
	s.printf("</g>\n")
	for t := lo; t <= hi+step/2; t += step {
		s.text(scale(t), bottom+20, "middle", `fill="`+svgMuted+`"`, svgTickLabel(t, step))
	}
	s.text(x0+svgPlotW/2, bottom+42, "middle", `font-weight="bold"`, unit)
	s.text(x0-10, top-8, "end", `font-weight="bold"`, "Candidate")

	// Bars.
	for i, x := range cands {
		y := top + float64(i)*svgRowH
		cy := y + svgRowH/2
		v := vals[x]
		a, b := scale(0), scale(v)
		if b < a {
			a, b = b, a
		}
		style := styleBar
		if slices.Contains(r.Elected, x) {
			style = styleElected
		}
		s.printf("<g>\n<title>%s</title>\n", svgEsc(c.name(x)+": "+labels[x]))
		s.text(x0-10, cy+5, "end", "", c.name(x))
		s.printf("<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" %s/>\n", svgNum(a), svgNum(cy-svgBarH/2), svgNum(math.Max(b-a, 0)), svgNum(svgBarH), s.style(style))
		weight := ""
		if slices.Contains(r.Elected, x) {
			weight = `font-weight="bold"`
		}
		s.text(math.Max(b, scale(0))+6, cy+5, "start", weight, labels[x])
		s.printf("</g>\n")
	}
	s.w = max(s.w, x0+svgPlotW+6+labelW+svgMargin)
	y := bottom + 70
	if len(r.Elected) > 0 {
		y += s.legend(svgMargin, y, [][2]string{{styleElected, "hatched bar: elected"}})
	}
	s.h = y + svgMargin - 10

	var d []string
	d = append(d, c.methodLine()+".", sub)
	var parts []string
	for _, x := range cands {
		parts = append(parts, c.name(x)+" "+labels[x])
	}
	d = append(d, unit+", best first: "+strings.Join(parts, "; ")+".")
	s.desc = strings.Join(d, " ")
}

// rounds draws a multi-round result, one column per round.
func (s *svgDoc) rounds() {
	c, r := s.c, s.c.r
	s.title = c.title + ": count by round"
	sub := fmt.Sprintf("%d ballots counted. %s.", r.Ballots, strings.Join(c.outcomeLines(), ". "))
	s.header(s.title, sub)

	// Rows: every candidate in display order, then the exhausted ballots
	// when any were recorded.
	rows := slices.Clone(c.order)
	exhaustedRow := false
	for _, rd := range r.Rounds {
		exhaustedRow = exhaustedRow || rd.Exhausted != 0
		for _, t := range rd.Transfers {
			exhaustedRow = exhaustedRow || t.To < 0
		}
	}
	if exhaustedRow {
		rows = append(rows, -1)
	}
	rowOf := make(map[int]int, len(rows))
	for i, x := range rows {
		rowOf[x] = i
	}
	// One scale for every round, unless the rounds count different
	// things (STAR's scores, then ballots): then each round has its own.
	roundMax := func(rd Round) float64 {
		m := rd.Exhausted
		for i, v := range rd.Counts {
			if roundActive(rd, i) && v < math.MaxFloat64 {
				m = max(m, v)
			}
		}
		return m
	}
	scales := make([]float64, len(r.Rounds))
	maxV := 0.0
	for k, rd := range r.Rounds {
		scales[k] = roundMax(rd)
		maxV = max(maxV, scales[k])
	}
	for k := range scales {
		if c.rounds == nil {
			scales[k] = maxV
		}
		if scales[k] <= 0 {
			scales[k] = 1
		}
	}
	if maxV <= 0 {
		maxV = 1
	}
	barLenIn := func(k int, v float64) float64 {
		return math.Max(0, math.Min(v, scales[k])) / scales[k] * svgRoundW
	}

	// Value labels, to size the columns.
	type cell struct {
		x     int
		label string
		style string
		v     float64
	}
	cols := make([][]cell, len(r.Rounds))
	labelW := 0.0
	for k, rd := range r.Rounds {
		shares := c.roundShares(rd)
		for _, x := range rows {
			if x < 0 {
				l := c.num(rd.Exhausted)
				cols[k] = append(cols[k], cell{x: -1, label: l, v: rd.Exhausted})
				labelW = max(labelW, svgTextW(l, svgFont))
				continue
			}
			if x >= len(rd.Counts) || !roundActive(rd, x) {
				continue
			}
			l := c.num(rd.Counts[x])
			if shares != nil {
				l += " (" + renderPercent(shares[x]) + ")"
			}
			style := styleBar
			if st := roundStatus(rd, x); st != "—" {
				l += ", " + st
				if slices.Contains(rd.Elected, x) {
					style = styleElected
				} else {
					style = styleEliminated
				}
			}
			cols[k] = append(cols[k], cell{x: x, label: l, style: style, v: rd.Counts[x]})
			labelW = max(labelW, svgTextW(l, svgFont))
		}
	}

	for _, rd := range r.Rounds {
		if rd.TieBreak != "" {
			labelW = max(labelW, svgTextW("tie-break: "+rd.TieBreak, 12)-svgRoundW-6)
		}
	}
	nameW := svgTextW("Exhausted", svgFont)
	for _, x := range rows {
		if x >= 0 {
			nameW = max(nameW, svgTextW(c.name(x), svgFont))
		}
	}
	left := svgMargin + nameW + 14
	colW := svgRoundW + 6 + labelW
	gutter := svgGutter
	if !c.moving() {
		gutter = 40
	}
	colX := func(k int) float64 { return left + float64(k)*(colW+gutter) }
	top := svgMargin + svgTitleSz + 50
	rowsTop := top + 34
	rowY := func(i int) float64 { return rowsTop + float64(i)*svgRowH + svgRowH/2 }
	bottom := rowsTop + float64(len(rows))*svgRowH

	// Round headings, with the round's tie-break.
	for k, rd := range r.Rounds {
		s.text(colX(k), top+4, "start", `font-weight="bold"`, c.roundTitle(k))
		if rd.TieBreak != "" {
			s.text(colX(k), top+22, "start", `font-size="12" fill="`+svgMuted+`"`, "tie-break: "+rd.TieBreak)
		}
	}
	// Row names and guides.
	for i, x := range rows {
		y := rowY(i)
		if x < 0 {
			s.text(left-14, y+5, "end", `font-style="italic"`, "Exhausted")
		} else {
			attr := ""
			if slices.Contains(r.Elected, x) {
				attr = `font-weight="bold"`
			}
			s.text(left-14, y+5, "end", attr, c.name(x))
		}
		s.printf("<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"1\"/>\n",
			svgNum(left-8), svgNum(y+svgRowH/2), svgNum(colX(len(r.Rounds)-1)+colW), svgNum(y+svgRowH/2), svgGrid)
	}

	// Transfers, behind the bars: from the right edge of the eliminated
	// candidate's column to the start of the receiver's bar.
	type lab struct {
		x, y float64
		s    string
	}
	var labs []lab
	for k, rd := range r.Rounds {
		if k+1 >= len(r.Rounds) {
			break
		}
		fanOut := map[int]int{}
		for _, t := range rd.Transfers {
			fanOut[t.From]++
		}
		for _, t := range rd.Transfers {
			fi, ok1 := rowOf[t.From]
			ti, ok2 := rowOf[max(t.To, -1)]
			if !ok1 || !ok2 || t.Votes <= 0 {
				continue
			}
			x1, x2 := colX(k)+colW+4, colX(k+1)
			y1, y2 := rowY(fi), rowY(ti)
			th := math.Max(2, math.Min(svgBarH, t.Votes/maxV*svgBarH*2))
			xm := (x1 + x2) / 2
			s.printf("<path d=\"M%s %sC%s %s %s %s %s %sL%s %sC%s %s %s %s %s %sZ\" fill=\"%s\" fill-opacity=\"0.35\" stroke=\"%s\" stroke-width=\"0.5\"><title>%s</title></path>\n",
				svgNum(x1), svgNum(y1-th/2), svgNum(xm), svgNum(y1-th/2), svgNum(xm), svgNum(y2-th/2), svgNum(x2), svgNum(y2-th/2),
				svgNum(x2), svgNum(y2+th/2), svgNum(xm), svgNum(y2+th/2), svgNum(xm), svgNum(y1+th/2), svgNum(x1), svgNum(y1+th/2),
				svgBand, svgBand, svgEsc(fmt.Sprintf("%s → %s: %s", c.name(t.From), c.name(t.To), c.num(t.Votes))))
			// The label sits near the source, or near the receiver when the
			// source sends votes to several receivers.
			u := 0.2
			if fanOut[t.From] > 1 {
				u = 0.8
			}
			lx := (1-u)*(1-u)*(1-u)*x1 + 3*(1-u)*u*xm + u*u*u*x2
			ly := (1-u)*(1-u)*(1+2*u)*y1 + u*u*(3-2*u)*y2
			labs = append(labs, lab{lx, ly, "+" + c.num(t.Votes)})
		}
	}
	// A line from each eliminated bar's label to its bands.
	for k, col := range cols {
		if k+1 >= len(r.Rounds) || len(r.Rounds[k].Transfers) == 0 {
			continue
		}
		for _, cl := range col {
			if cl.x >= 0 && slices.Contains(r.Rounds[k].Eliminated, cl.x) {
				y := rowY(rowOf[cl.x])
				xs := colX(k) + barLenIn(k, cl.v) + 6 + svgTextW(cl.label, svgFont) + 4
				if xs < colX(k)+colW+4 {
					s.printf("<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"1\" stroke-dasharray=\"2 2\"/>\n",
						svgNum(xs), svgNum(y), svgNum(colX(k)+colW+4), svgNum(y), svgBand)
				}
			}
		}
	}

	// Bars and their values.
	for k, col := range cols {
		for _, cl := range col {
			y := rowY(rowOf[cl.x])
			x := colX(k)
			name := "Exhausted"
			style := `fill="#cbd5e0" stroke="` + svgMuted + `" stroke-width="1"`
			if cl.x >= 0 {
				name, style = c.name(cl.x), cl.style
			}
			tip := fmt.Sprintf("Round %d, %s: %s", k+1, name, cl.label)
			if c.rounds != nil {
				tip = fmt.Sprintf("%s, %s: %s %s", c.roundTitle(k), name, cl.label, strings.ToLower(c.roundUnit(k)))
			}
			s.printf("<g>\n<title>%s</title>\n", svgEsc(tip))
			s.printf("<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" %s/>\n", svgNum(x), svgNum(y-svgBarH/2), svgNum(barLenIn(k, cl.v)), svgNum(svgBarH), s.style(style))
			attr := ""
			if cl.style == styleElected {
				attr = `font-weight="bold"`
			}
			s.text(x+barLenIn(k, cl.v)+6, y+5, "start", attr, cl.label)
			s.printf("</g>\n")
		}
	}
	// Transfer values, over everything, on a white ground.
	for _, l := range labs {
		w := svgTextW(l.s, 12) + 6
		s.printf("<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"16\" rx=\"3\" fill=\"#ffffff\" stroke=\"%s\" stroke-width=\"0.5\"/>\n", svgNum(l.x-w/2), svgNum(l.y-8), svgNum(w), svgBand)
		s.text(l.x, l.y+4, "middle", `font-size="12"`, l.s)
	}

	s.w = max(s.w, colX(len(r.Rounds)-1)+colW+svgMargin)
	y := bottom + 28
	scaleNote := fmt.Sprintf("Bar length: %s, on the same scale in every round.", strings.ToLower(c.unit))
	if c.rounds != nil {
		var parts []string
		for k := range r.Rounds {
			parts = append(parts, fmt.Sprintf("round %d %s", k+1, strings.ToLower(c.roundUnit(k))))
		}
		scaleNote = "Bar length: each round on its own scale (" + strings.Join(parts, ", ") + ")."
	}
	s.text(svgMargin, y, "start", `fill="`+svgMuted+`"`, scaleNote)
	s.w = max(s.w, svgMargin+svgTextW(scaleNote, svgFont)+svgMargin)
	y += 30
	items := [][2]string{{styleElected, "elected"}, {styleEliminated, "eliminated"}}
	if c.moving() {
		items = append(items, [2]string{"band", "votes transferred to the next round"})
	}
	y += s.legend(svgMargin, y, items)
	s.h = y + svgMargin - 10

	// The description states the whole count in words.
	d := []string{c.methodLine() + ".", sub}
	for k, rd := range r.Rounds {
		var parts []string
		for _, cl := range cols[k] {
			if cl.x >= 0 {
				parts = append(parts, c.name(cl.x)+" "+cl.label)
			}
		}
		line := fmt.Sprintf("Round %d: %s.", k+1, strings.Join(parts, "; "))
		if c.rounds != nil {
			line = fmt.Sprintf("%s (%s): %s.", c.roundTitle(k), strings.ToLower(c.roundUnit(k)), strings.Join(parts, "; "))
		}
		if len(rd.Transfers) > 0 {
			var ts []string
			for _, t := range rd.Transfers {
				ts = append(ts, fmt.Sprintf("%s to %s %s", c.name(t.From), c.name(t.To), c.num(t.Votes)))
			}
			line += " Transfers: " + strings.Join(ts, ", ") + "."
		}
		if exhaustedRow {
			line += " Exhausted so far: " + c.num(rd.Exhausted) + "."
		}
		if rd.TieBreak != "" {
			line += " Tie-break: " + rd.TieBreak + "."
		}
		d = append(d, line)
	}
	s.desc = strings.Join(d, " ")
}

// rankingChart draws a result with neither counts nor scores: its ranking
// and, when present, the pairwise matrix.
func (s *svgDoc) rankingChart() {
	c, r := s.c, s.c.r
	s.title = c.title + ": ranking"
	sub := fmt.Sprintf("%d ballots counted. %s.", r.Ballots, strings.Join(c.outcomeLines(), ". "))
	s.header(s.title, sub)
	top := svgMargin + svgTitleSz + 50
	y := top
	var parts []string
	place := 1
	groups := r.Ranking
	if len(groups) == 0 {
		for _, x := range c.order {
			groups = append(groups, []int{x})
		}
	}
	for _, g := range groups {
		for _, x := range c.sorted(g) {
			l := fmt.Sprintf("%d. %s", place, c.name(x))
			if len(g) > 1 {
				l += " (tied)"
			}
			if st := c.finalStatus(x); st != "" {
				l += ", " + st
			}
			style := styleBar
			attr := ""
			if slices.Contains(r.Elected, x) {
				style, attr = styleElected, `font-weight="bold"`
			}
			s.printf("<rect x=\"%s\" y=\"%s\" width=\"24\" height=\"16\" %s/>\n", svgNum(svgMargin), svgNum(y+svgRowH/2-8), s.style(style))
			s.text(svgMargin+34, y+svgRowH/2+5, "start", attr, l)
			s.w = max(s.w, svgMargin+34+svgTextW(l, svgFont)+svgMargin)
			parts = append(parts, l)
			y += svgRowH
		}
		place += len(g)
	}
	d := []string{c.methodLine() + ".", sub, "Ranking: " + strings.Join(parts, "; ") + "."}

	if m := r.Pairwise; m != nil && m.N > 0 {
		y += 24
		caption := "Pairwise comparisons: voters ranking the row candidate above the column candidate"
		s.text(svgMargin, y, "start", `font-weight="bold"`, caption)
		s.w = max(s.w, svgMargin+svgTextW(caption, svgFont)+svgMargin)
		y += 14
		order := c.matrixOrder(m.N)
		nameW := 0.0
		cellW := 0.0
		for _, x := range order {
			nameW = max(nameW, svgTextW(c.name(x), svgFont))
			cellW = max(cellW, svgTextW(c.name(x), svgFont))
		}
		for _, row := range m.M {
			for _, v := range row {
				cellW = max(cellW, svgTextW(strconv.FormatInt(v, 10)+" win", svgFont))
			}
		}
		cellW += 16
		x0 := svgMargin + nameW + 12
		for j, x := range order {
			s.text(x0+float64(j)*cellW+cellW/2, y+18, "middle", `font-weight="bold"`, c.name(x))
		}
		y += 26
		var rowsD []string
		for i, a := range order {
			cy := y + float64(i)*svgRowH
			s.text(x0-10, cy+svgRowH/2+5, "end", `font-weight="bold"`, c.name(a))
			var cells []string
			for j, b := range order {
				cx := x0 + float64(j)*cellW
				fill, v := "#ffffff", "—"
				if a != b && a < len(m.M) && b < len(m.M[a]) {
					v = strconv.FormatInt(m.M[a][b], 10)
					cells = append(cells, fmt.Sprintf("over %s %s", c.name(b), v))
					if m.Beats(a, b) {
						fill = "#dbe7f3"
						v += " win"
					}
				}
				s.printf("<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1\"/>\n", svgNum(cx), svgNum(cy), svgNum(cellW), svgNum(svgRowH), fill, svgGrid)
				s.text(cx+cellW/2, cy+svgRowH/2+5, "middle", "", v)
			}
			rowsD = append(rowsD, c.name(a)+": "+strings.Join(cells, ", "))
		}
		y += float64(len(order)) * svgRowH
		s.w = max(s.w, x0+float64(len(order))*cellW+svgMargin)
		d = append(d, "Pairwise comparisons, voters ranking each candidate above each other: "+strings.Join(rowsD, "; ")+".")
	}
	s.h = y + svgMargin
	s.desc = strings.Join(d, " ")
}
