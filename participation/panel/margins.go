package panel

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/civickit/civickit"
)

// Values a respondent may give instead of a category's value. They are
// kept apart from the stated values: shares, tests and raking use the
// stated values only, and reports count the rest.
const (
	Unknown  = "unknown"  // not asked or not recorded
	Declined = "declined" // the respondent chose not to say
)

// Stated reports whether v is a real value of a category, not empty,
// Unknown or Declined.
func Stated(v string) bool {
	return v != "" && v != Unknown && v != Declined
}

// Margin is one value of a category in the population.
type Margin struct {
	Value string  `json:"value"`
	Count float64 `json:"count,omitempty"` // people; 0 when the table gives shares only
	Share float64 `json:"share"`           // of the category's stated total, in [0,1]
}

// Category is a population's distribution over one attribute.
type Category struct {
	Name   string   `json:"name"`
	Values []Margin `json:"values"`
	// Total is the population counted (0 when the table gives shares
	// only); Unknown and Declined rows of the table are left out of it.
	Total float64 `json:"total,omitempty"`
}

// Margin returns the value's margin and whether the category has it.
func (c Category) Margin(value string) (Margin, bool) {
	for _, m := range c.Values {
		if m.Value == value {
			return m, true
		}
	}
	return Margin{}, false
}

// Margins are a population's one-way distributions, one per category,
// in the order of the census table.
type Margins struct {
	Categories []Category `json:"categories"`
}

// Category returns the named category and whether it exists.
func (m Margins) Category(name string) (Category, bool) {
	for _, c := range m.Categories {
		if c.Name == name {
			return c, true
		}
	}
	return Category{}, false
}

// MaxCensusRows bounds a census table.
const MaxCensusRows = 100_000

// ReadMargins reads a census table: a header naming the columns
// category, value and count or share (both may be present; count wins),
// then one row per value. The separator is a comma or, as INSEE
// publishes, a semicolon with decimal commas. Shares are fractions of
// the category (they are renormalised over the stated values); rows
// whose value is Unknown or Declined are ignored, since the population
// has no such answer.
func ReadMargins(r io.Reader) (Margins, error) {
	data, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return Margins{}, fmt.Errorf("panel: reading census table: %w", err)
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	sep := ','
	if first, _, _ := strings.Cut(text, "\n"); strings.Count(first, ";") > strings.Count(first, ",") {
		sep = ';'
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return Margins{}, invalid("header", "required", "")
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	ve := &civickit.ValidationError{}
	ci, okc := col["category"]
	vi, okv := col["value"]
	ni, okn := col["count"]
	si, oks := col["share"]
	if !okc {
		ve.Add("header.category", "required", "")
	}
	if !okv {
		ve.Add("header.value", "required", "")
	}
	if !okn && !oks {
		ve.Add("header.count", "required_without", "share")
	}
	if err := ve.Err(); err != nil {
		return Margins{}, err
	}
	var m Margins
	index := map[string]int{}
	seen := map[[2]string]bool{}
	usesCount := okn
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			ve.Addf("csv", "", "line[%d]", line)
			break
		}
		if line > MaxCensusRows+1 {
			return Margins{}, fmt.Errorf("panel: census table over %d rows: %w", MaxCensusRows, civickit.ErrTooLarge)
		}
		field := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		cat, val := field(ci), field(vi)
		if cat == "" {
			ve.Addf("required", "", "line[%d].category", line)
			continue
		}
		if val == "" {
			ve.Addf("required", "", "line[%d].value", line)
			continue
		}
		if !Stated(val) {
			continue
		}
		if seen[[2]string{cat, val}] {
			ve.Addf("unique", "", "line[%d].value", line)
			continue
		}
		seen[[2]string{cat, val}] = true
		numCol, rule := si, "share"
		if usesCount {
			numCol, rule = ni, "count"
		}
		x, err := parseNumber(field(numCol))
		if err != nil || x < 0 || (rule == "share" && x > 1) {
			ve.Addf("number", "", "line[%d].%s", line, rule)
			continue
		}
		j, ok := index[cat]
		if !ok {
			j = len(m.Categories)
			index[cat] = j
			m.Categories = append(m.Categories, Category{Name: cat})
		}
		mg := Margin{Value: val}
		if usesCount {
			mg.Count = x
		} else {
			mg.Share = x
		}
		m.Categories[j].Values = append(m.Categories[j].Values, mg)
	}
	if len(m.Categories) == 0 {
		ve.Add("rows", "required", "")
	}
	if err := ve.Err(); err != nil {
		return Margins{}, err
	}
	return m, m.normalise()
}

func parseNumber(s string) (float64, error) {
	s = strings.ReplaceAll(s, "\u00a0", "")
	s = strings.ReplaceAll(s, " ", "")
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, errors.New("not a number")
	}
	return x, nil
}

// normalise fills shares from counts (or renormalises shares) and checks
// every category sums to something positive.
func (m *Margins) normalise() error {
	ve := &civickit.ValidationError{}
	for i := range m.Categories {
		c := &m.Categories[i]
		var count, share float64
		for _, v := range c.Values {
			count += v.Count
			share += v.Share
		}
		switch {
		case count > 0:
			c.Total = count
			for j := range c.Values {
				c.Values[j].Share = c.Values[j].Count / count
			}
		case share > 0:
			for j := range c.Values {
				c.Values[j].Share /= share
			}
		default:
			ve.Addf("positive", "", "categories[%d].values", i)
		}
	}
	return ve.Err()
}

// Validate checks margins built by hand: names present and unique,
// shares or counts non-negative and summing to something positive. It
// fills the shares as ReadMargins does.
func (m *Margins) Validate() error {
	ve := &civickit.ValidationError{}
	names := map[string]bool{}
	for i, c := range m.Categories {
		if c.Name == "" {
			ve.Addf("required", "", "categories[%d].name", i)
		} else if names[c.Name] {
			ve.Addf("unique", "", "categories[%d].name", i)
		}
		names[c.Name] = true
		vals := map[string]bool{}
		for j, v := range c.Values {
			switch {
			case !Stated(v.Value):
				ve.Addf("stated", "", "categories[%d].values[%d].value", i, j)
			case vals[v.Value]:
				ve.Addf("unique", "", "categories[%d].values[%d].value", i, j)
			}
			vals[v.Value] = true
			if v.Count < 0 || v.Share < 0 || math.IsNaN(v.Count+v.Share) || math.IsInf(v.Count+v.Share, 0) {
				ve.Addf("min", "0", "categories[%d].values[%d]", i, j)
			}
		}
	}
	if err := ve.Err(); err != nil {
		return err
	}
	return m.normalise()
}

// Names returns the category names in order.
func (m Margins) Names() []string {
	out := make([]string, len(m.Categories))
	for i, c := range m.Categories {
		out[i] = c.Name
	}
	return out
}

func invalid(path, rule, param string) error {
	ve := &civickit.ValidationError{}
	ve.Add(path, rule, param)
	return ve
}

// sortedKeys returns a map's keys in order, for deterministic output.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
