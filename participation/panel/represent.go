package panel

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/civickit/civickit"
)

// Respondent is what Representativeness needs of one respondent: the
// attributes they declared (category name → value; missing, Unknown and
// Declined are not stated) and where they came from, for the
// breakdowns. Nothing else about them.
type Respondent struct {
	Attributes  map[string]string `json:"attributes"`
	Channel     string            `json:"channel,omitempty"`
	Recruitment string            `json:"recruitment,omitempty"`
}

// Row compares one value's share among respondents with its share in
// the population.
type Row struct {
	Value           string  `json:"value"`
	Count           int     `json:"count"`            // respondents with this value
	SampleShare     float64 `json:"sample_share"`     // of respondents who stated a value of the margins
	PopulationShare float64 `json:"population_share"` // from the census table
	AbsoluteGap     float64 `json:"absolute_gap"`     // sample − population, in share points
	RelativeGap     float64 `json:"relative_gap"`     // sample/population − 1 (−1: missing)
	Missing         bool    `json:"missing,omitempty"`
	UnderHalf       bool    `json:"under_half,omitempty"` // under 50 % of its population share
}

// CategoryReport is one category's comparison and tests.
type CategoryReport struct {
	Name     string `json:"name"`
	Stated   int    `json:"stated"`   // respondents counted in the rows
	Unknown  int    `json:"unknown"`  // no value, or Unknown
	Declined int    `json:"declined"` // Declined
	// Outside counts stated values the census table does not have; they
	// are left out of the shares and tests.
	Outside int   `json:"outside"`
	Rows    []Row `json:"rows"`
	// Goodness-of-fit tests of the stated counts against the population
	// shares, with DF = values − 1 degrees of freedom.
	ChiSquare  float64 `json:"chi_square"`
	PChiSquare float64 `json:"p_chi_square"`
	G          float64 `json:"g"`
	PG         float64 `json:"p_g"`
	DF         int     `json:"df"`
	// Dissimilarity is Duncan's index ½Σ|sample − population|: the share
	// of respondents who would have to change group to mirror the
	// population (0 mirrors it).
	Dissimilarity float64 `json:"dissimilarity"`
	// CV is the coefficient of variation of the response propensities
	// (sample share / population share, population-weighted); it does
	// not depend on the response rate.
	CV float64 `json:"cv"`
	// RIndicator is 1 − 2·S(ρ) with ρ the response propensity
	// respondents/population of each value (Schouten, Cobben & Bethlehem
	// 2009); only when the census table gives counts.
	RIndicator *float64 `json:"r_indicator,omitempty"`
}

// Report is the representativeness of one set of respondents.
type Report struct {
	Group       string           `json:"group"` // "overall", "channel=web", "recruitment=open_call"
	Respondents int              `json:"respondents"`
	Categories  []CategoryReport `json:"categories"`
	// Score is 1 − the largest dissimilarity index over the categories:
	// 1 when every category mirrors the population.
	Score float64 `json:"score"`
	// RIndicator is the smallest category R-indicator, when known.
	RIndicator *float64 `json:"r_indicator,omitempty"`
	// Missing lists "category=value" groups with no respondent, and
	// UnderHalf those under half their population share (missing ones
	// included).
	Missing   []string `json:"missing"`
	UnderHalf []string `json:"under_half"`
}

// Assessment is the overall report and its breakdowns by channel and by
// recruitment type (each in sorted order, only for values present).
type Assessment struct {
	Overall       Report   `json:"overall"`
	ByChannel     []Report `json:"by_channel"`
	ByRecruitment []Report `json:"by_recruitment"`
}

// Assess compares respondents with the population overall, per channel
// and per recruitment type.
func Assess(rs []Respondent, m Margins) Assessment {
	a := Assessment{Overall: Representativeness(rs, m)}
	a.Overall.Group = "overall"
	split := func(key func(Respondent) string, prefix string) []Report {
		groups := map[string][]Respondent{}
		for _, r := range rs {
			if k := key(r); k != "" {
				groups[k] = append(groups[k], r)
			}
		}
		var out []Report
		for _, k := range sortedKeys(groups) {
			rep := Representativeness(groups[k], m)
			rep.Group = prefix + "=" + k
			out = append(out, rep)
		}
		return out
	}
	a.ByChannel = split(func(r Respondent) string { return r.Channel }, "channel")
	a.ByRecruitment = split(func(r Respondent) string { return r.Recruitment }, "recruitment")
	return a
}

// Representativeness compares one set of respondents with the
// population's margins, category by category.
func Representativeness(rs []Respondent, m Margins) Report {
	rep := Report{Respondents: len(rs), Score: 1, Missing: []string{}, UnderHalf: []string{}}
	for _, c := range m.Categories {
		cr := assessCategory(rs, c)
		rep.Categories = append(rep.Categories, cr)
		rep.Score = math.Min(rep.Score, 1-cr.Dissimilarity)
		if cr.RIndicator != nil && (rep.RIndicator == nil || *cr.RIndicator < *rep.RIndicator) {
			r := *cr.RIndicator
			rep.RIndicator = &r
		}
		for _, row := range cr.Rows {
			if row.Missing {
				rep.Missing = append(rep.Missing, c.Name+"="+row.Value)
			}
			if row.UnderHalf {
				rep.UnderHalf = append(rep.UnderHalf, c.Name+"="+row.Value)
			}
		}
	}
	return rep
}

func assessCategory(rs []Respondent, c Category) CategoryReport {
	cr := CategoryReport{Name: c.Name}
	counts := make([]int, len(c.Values))
	pos := map[string]int{}
	for i, v := range c.Values {
		pos[v.Value] = i
	}
	for _, r := range rs {
		v := r.Attributes[c.Name]
		switch {
		case v == Declined:
			cr.Declined++
		case !Stated(v):
			cr.Unknown++
		default:
			if i, ok := pos[v]; ok {
				counts[i]++
				cr.Stated++
			} else {
				cr.Outside++
			}
		}
	}
	n := float64(cr.Stated)
	var cv2 float64
	for i, v := range c.Values {
		row := Row{Value: v.Value, Count: counts[i], PopulationShare: v.Share}
		if n > 0 {
			row.SampleShare = float64(counts[i]) / n
		}
		row.AbsoluteGap = row.SampleShare - row.PopulationShare
		if v.Share > 0 {
			row.RelativeGap = row.SampleShare/v.Share - 1
			row.Missing = counts[i] == 0
			row.UnderHalf = row.SampleShare < v.Share/2
			cv2 += v.Share * row.RelativeGap * row.RelativeGap
		}
		cr.Dissimilarity += math.Abs(row.AbsoluteGap) / 2
		if n > 0 && v.Share > 0 {
			e := n * v.Share
			o := float64(counts[i])
			cr.ChiSquare += (o - e) * (o - e) / e
			if o > 0 {
				cr.G += 2 * o * math.Log(o/e)
			}
			cr.DF++
		}
		cr.Rows = append(cr.Rows, row)
	}
	if n == 0 {
		cr.Dissimilarity = 0
	}
	cr.CV = math.Sqrt(cv2)
	if cr.DF > 0 {
		cr.DF--
	}
	cr.PChiSquare, cr.PG = 1, 1
	if cr.DF > 0 {
		cr.PChiSquare = ChiSquareSurvival(cr.ChiSquare, cr.DF)
		cr.PG = ChiSquareSurvival(cr.G, cr.DF)
	}
	if c.Total > 0 && n > 0 {
		mean := n / c.Total
		var s2 float64
		for i, v := range c.Values {
			if v.Count > 0 {
				d := float64(counts[i])/v.Count - mean
				s2 += v.Count / c.Total * d * d
			}
		}
		r := 1 - 2*math.Sqrt(s2)
		cr.RIndicator = &r
	}
	return cr
}

// ChiSquareSurvival is P(X ≥ x) for X chi-square with df degrees of
// freedom: the regularised upper incomplete gamma Q(df/2, x/2).
func ChiSquareSurvival(x float64, df int) float64 {
	if x <= 0 || df <= 0 {
		return 1
	}
	return gammaQ(float64(df)/2, x/2)
}

// gammaQ is the regularised upper incomplete gamma function, by its
// series below a+1 and its continued fraction (modified Lentz) above.
func gammaQ(a, x float64) float64 {
	lg, _ := math.Lgamma(a)
	front := math.Exp(-x + a*math.Log(x) - lg)
	if x < a+1 {
		sum, term := 1/a, 1/a
		for n := 1; n < 1000; n++ {
			term *= x / (a + float64(n))
			sum += term
			if math.Abs(term) < math.Abs(sum)*1e-16 {
				break
			}
		}
		return math.Max(0, 1-front*sum)
	}
	const tiny = 1e-300
	b := x + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < 1000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-16 {
			break
		}
	}
	return math.Min(1, front*h)
}

// WriteTable writes the report as an aligned plain-text table.
func (r Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintf(tw, "%s: %d respondents, score %.3f", r.Group, r.Respondents, r.Score)
	if r.RIndicator != nil {
		fmt.Fprintf(tw, ", R-indicator %.3f", *r.RIndicator)
	}
	fmt.Fprintln(tw)
	for _, c := range r.Categories {
		fmt.Fprintf(tw, "\n%s (stated %d, unknown %d, declined %d, outside %d; chi² %.2f p=%.3g, G %.2f p=%.3g, df %d)\n",
			c.Name, c.Stated, c.Unknown, c.Declined, c.Outside, c.ChiSquare, c.PChiSquare, c.G, c.PG, c.DF)
		fmt.Fprintln(tw, "value\tcount\tsample %\tpopulation %\tgap pts\trelative gap\tflag\t")
		for _, row := range c.Rows {
			flag := ""
			switch {
			case row.Missing:
				flag = "missing"
			case row.UnderHalf:
				flag = "under half"
			}
			fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.1f\t%+.1f\t%+.0f%%\t%s\t\n", row.Value, row.Count,
				100*row.SampleShare, 100*row.PopulationShare, 100*row.AbsoluteGap, 100*row.RelativeGap, flag)
		}
	}
	return tw.Flush()
}

// WriteSVG draws the report as an accessible horizontal bar chart: a
// title and a description (read by screen readers) summarising the gaps,
// and for every value two labelled bars, respondents and population,
// told apart by their label and pattern as well as their colour.
func (r Report) WriteSVG(w io.Writer) error {
	const (
		width  = 640
		labelW = 200
		barW   = 340
		barH   = 14
	)
	var b strings.Builder
	y := 60
	var rows strings.Builder
	for _, c := range r.Categories {
		fmt.Fprintf(&rows, `<text x="8" y="%d" font-weight="bold">%s</text>`+"\n", y, esc(c.Name))
		y += 8
		for _, row := range c.Rows {
			sw := int(math.Round(row.SampleShare * barW))
			pw := int(math.Round(row.PopulationShare * barW))
			fmt.Fprintf(&rows, `<g role="listitem" aria-label="%s, %s: respondents %.1f %%, population %.1f %%">`+"\n",
				esc(c.Name), esc(row.Value), 100*row.SampleShare, 100*row.PopulationShare)
			fmt.Fprintf(&rows, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", labelW-8, y+barH+2, esc(row.Value))
			fmt.Fprintf(&rows, `<rect x="%d" y="%d" width="%d" height="%d" fill="#1f5f99"/>`+"\n", labelW, y, sw, barH)
			fmt.Fprintf(&rows, `<text x="%d" y="%d" font-size="11">respondents %.1f %%</text>`+"\n", labelW+sw+4, y+barH-3, 100*row.SampleShare)
			fmt.Fprintf(&rows, `<rect x="%d" y="%d" width="%d" height="%d" fill="url(#hatch)" stroke="#555"/>`+"\n", labelW, y+barH+2, pw, barH)
			fmt.Fprintf(&rows, `<text x="%d" y="%d" font-size="11">population %.1f %%</text>`+"\n", labelW+pw+4, y+2*barH-1, 100*row.PopulationShare)
			rows.WriteString("</g>\n")
			y += 2*barH + 10
		}
		y += 16
	}
	title := fmt.Sprintf("Representativeness of %d respondents (%s)", r.Respondents, r.Group)
	var desc strings.Builder
	fmt.Fprintf(&desc, "Share of respondents and of the population for each value. Score %.2f (1 mirrors the population).", r.Score)
	if len(r.Missing) > 0 {
		fmt.Fprintf(&desc, " Missing: %s.", strings.Join(r.Missing, ", "))
	}
	if len(r.UnderHalf) > 0 {
		fmt.Fprintf(&desc, " Under half their share: %s.", strings.Join(r.UnderHalf, ", "))
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="panel-title panel-desc" font-family="sans-serif" font-size="13">`+"\n",
		width, y, width, y)
	fmt.Fprintf(&b, "<title id=\"panel-title\">%s</title>\n<desc id=\"panel-desc\">%s</desc>\n", esc(title), esc(desc.String()))
	b.WriteString(`<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2c14e"/><line x1="0" y1="0" x2="0" y2="6" stroke="#7a5c00" stroke-width="2"/></pattern></defs>` + "\n")
	fmt.Fprintf(&b, `<text x="8" y="24" font-size="16" font-weight="bold">%s</text>`+"\n", esc(title))
	b.WriteString(`<g role="list">` + "\n")
	b.WriteString(rows.String())
	b.WriteString("</g>\n</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

var svgEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

func esc(s string) string { return svgEscaper.Replace(s) }

// ReadRespondents reads respondents from a CSV table with one column per
// category of the margins (its value, empty when not stated) and
// optional channel and recruitment columns.
func ReadRespondents(r io.Reader, m Margins) ([]Respondent, error) {
	rows, err := readAll(r, "respondents")
	if err != nil {
		return nil, err
	}
	col := columns(rows[0])
	ve := &civickit.ValidationError{}
	idx := map[string]int{}
	for _, c := range m.Categories {
		i, ok := col[strings.ToLower(c.Name)]
		if !ok {
			ve.Add("respondents.header."+c.Name, "required", "")
			continue
		}
		idx[c.Name] = i
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	ch, rc := pickCol(col, "channel"), pickCol(col, "recruitment")
	out := make([]Respondent, 0, len(rows)-1)
	for _, rec := range rows[1:] {
		get := func(i int) string {
			if i >= 0 && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		a := make(map[string]string, len(idx))
		for name, i := range idx {
			a[name] = get(i)
		}
		out = append(out, Respondent{Attributes: a, Channel: get(ch), Recruitment: get(rc)})
	}
	return out, nil
}
