package panel

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
)

func readINSEE(t testing.TB) Margins {
	f, err := os.Open("testdata/insee_rp2018_france.csv")
	require.NoError(t, err)
	defer f.Close()
	m, err := ReadMargins(f)
	require.NoError(t, err)
	return m
}

func TestReadMarginsINSEE(t *testing.T) {
	m := readINSEE(t)
	require.Equal(t, []string{"sexe", "age"}, m.Names())
	sexe, _ := m.Category("sexe")
	assert.Equal(t, 66732538.0, sexe.Total) // the table's "Ensemble"
	f, ok := sexe.Margin("Femmes")
	require.True(t, ok)
	assert.InDelta(t, 34451958.0/66732538, f.Share, 1e-12)
	age, _ := m.Category("age")
	var sum float64
	for _, v := range age.Values {
		sum += v.Share
	}
	assert.InDelta(t, 1, sum, 1e-12)
}

func TestReadMarginsShares(t *testing.T) {
	in := "category,value,share\nsex,F,0.26\nsex,M,0.24\nsex,declined,0.5\nage,young,0.3\nage,old,0.7\n"
	m, err := ReadMargins(strings.NewReader(in))
	require.NoError(t, err)
	sex, _ := m.Category("sex")
	require.Len(t, sex.Values, 2, "declined is not a population value")
	assert.InDelta(t, 0.52, sex.Values[0].Share, 1e-12)
	assert.Zero(t, sex.Total)
}

func TestReadMarginsInvalid(t *testing.T) {
	for _, tc := range []struct{ name, in, path, rule string }{
		{"empty", "", "header", "required"},
		{"no number column", "category,value\na,b\n", "header.count", "required_without"},
		{"no category column", "value,count\nb,1\n", "header.category", "required"},
		{"bad count", "category,value,count\nsex,F,many\n", "line[2].count", "number"},
		{"negative", "category,value,count\nsex,F,-3\n", "line[2].count", "number"},
		{"share over one", "category,value,share\nsex,F,1.5\n", "line[2].share", "number"},
		{"duplicate", "category,value,count\nsex,F,1\nsex,F,2\n", "line[3].value", "unique"},
		{"missing value", "category,value,count\nsex,,1\n", "line[2].value", "required"},
		{"zero total", "category,value,count\nsex,F,0\n", "categories[0].values", "positive"},
		{"no rows", "category,value,count\n", "rows", "required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadMargins(strings.NewReader(tc.in))
			require.ErrorIs(t, err, civickit.ErrInvalid)
			var ve *civickit.ValidationError
			require.True(t, errors.As(err, &ve))
			found := false
			for _, f := range ve.Fields {
				found = found || (f.Path == tc.path && f.Rule == tc.rule)
			}
			assert.True(t, found, "%v", ve.Fields)
		})
	}
}

// sample builds respondents from (sex, age, count) triples.
func sample(spec ...any) []Respondent {
	var rs []Respondent
	for i := 0; i < len(spec); i += 3 {
		for range spec[i+2].(int) {
			rs = append(rs, Respondent{Attributes: map[string]string{"sex": spec[i].(string), "age": spec[i+1].(string)}})
		}
	}
	return rs
}

func TestRepresentativeness(t *testing.T) {
	m := Margins{Categories: []Category{
		{Name: "sex", Values: []Margin{{Value: "F", Count: 520}, {Value: "M", Count: 480}}},
		{Name: "age", Values: []Margin{{Value: "young", Count: 300}, {Value: "mid", Count: 400}, {Value: "old", Count: 300}}},
	}}
	require.NoError(t, m.Validate())
	rs := sample("F", "old", 60, "M", "old", 30, "F", "mid", 10, "M", Declined, 5, Unknown, "mid", 3, "X", "mid", 2)
	r := Representativeness(rs, m)
	require.Len(t, r.Categories, 2)
	sex := r.Categories[0]
	assert.Equal(t, 105, sex.Stated)
	assert.Equal(t, 3, sex.Unknown)
	assert.Equal(t, 2, sex.Outside)
	assert.InDelta(t, 70.0/105, sex.Rows[0].SampleShare, 1e-12)
	assert.InDelta(t, 70.0/105-0.52, sex.Rows[0].AbsoluteGap, 1e-12)
	assert.InDelta(t, (70.0/105)/0.52-1, sex.Rows[0].RelativeGap, 1e-12)
	// chi-square by hand: expected 54.6 and 50.4.
	x2 := math.Pow(70-54.6, 2)/54.6 + math.Pow(35-50.4, 2)/50.4
	assert.InDelta(t, x2, sex.ChiSquare, 1e-9)
	g := 2 * (70*math.Log(70/54.6) + 35*math.Log(35/50.4))
	assert.InDelta(t, g, sex.G, 1e-9)
	assert.Equal(t, 1, sex.DF)
	assert.InDelta(t, ChiSquareSurvival(x2, 1), sex.PChiSquare, 1e-15)
	age := r.Categories[1]
	assert.Equal(t, 5, age.Declined)
	assert.Equal(t, []string{"age=young"}, r.Missing)
	assert.Equal(t, []string{"age=young", "age=mid"}, r.UnderHalf, "15/105 of respondents against 40 %")
	// R-indicator by hand on sex: propensities 70/520 and 35/480, mean 105/1000.
	p1, p2, mean := 70.0/520, 35.0/480, 105.0/1000
	s := math.Sqrt(0.52*(p1-mean)*(p1-mean) + 0.48*(p2-mean)*(p2-mean))
	require.NotNil(t, sex.RIndicator)
	assert.InDelta(t, 1-2*s, *sex.RIndicator, 1e-12)
	assert.InDelta(t, 1-age.Dissimilarity, r.Score, 1e-12, "the worst category sets the score")

	// A sample mirroring the population has no gaps.
	mirror := sample("F", "young", 156, "F", "mid", 208, "F", "old", 156, "M", "young", 144, "M", "mid", 192, "M", "old", 144)
	mr := Representativeness(mirror, m)
	assert.InDelta(t, 1, mr.Score, 1e-12)
	assert.InDelta(t, 1, *mr.RIndicator, 1e-12)
	assert.InDelta(t, 1, mr.Categories[1].PChiSquare, 1e-12)
	assert.Empty(t, mr.UnderHalf)
}

func TestChiSquareSurvival(t *testing.T) {
	// Critical values from any chi-square table.
	for _, tc := range []struct {
		x  float64
		df int
		p  float64
	}{
		{3.841458820694124, 1, 0.05}, {5.991464547107979, 2, 0.05}, {6.634896601021214, 1, 0.01},
		{18.307038053275146, 10, 0.05}, {0.0157907740934312, 1, 0.9}, {124.342113404, 100, 0.05},
		{2, 2, math.Exp(-1)},
	} {
		assert.InDelta(t, tc.p, ChiSquareSurvival(tc.x, tc.df), 1e-9, "x=%v df=%d", tc.x, tc.df)
	}
}

func TestAssessBreakdowns(t *testing.T) {
	m := readINSEE(t)
	rs := []Respondent{
		{Attributes: map[string]string{"sexe": "Femmes", "age": "60 à 74 ans"}, Channel: "web", Recruitment: "open_call"},
		{Attributes: map[string]string{"sexe": "Hommes", "age": "15 à 29 ans"}, Channel: "paper", Recruitment: "random_sample"},
		{Attributes: map[string]string{"sexe": "Femmes", "age": Declined}, Channel: "web", Recruitment: "random_sample"},
	}
	a := Assess(rs, m)
	assert.Equal(t, "overall", a.Overall.Group)
	assert.Equal(t, 3, a.Overall.Respondents)
	require.Len(t, a.ByChannel, 2)
	assert.Equal(t, "channel=paper", a.ByChannel[0].Group)
	assert.Equal(t, 2, a.ByChannel[1].Respondents)
	require.Len(t, a.ByRecruitment, 2)
	assert.Equal(t, "recruitment=random_sample", a.ByRecruitment[1].Group)
	_, err := json.Marshal(a)
	require.NoError(t, err)
}

func TestReportOutputs(t *testing.T) {
	m := readINSEE(t)
	rs := sample("Femmes", "60 à 74 ans", 40, "Hommes", "75 ans ou plus", 10)
	for i := range rs {
		rs[i].Attributes = map[string]string{"sexe": rs[i].Attributes["sex"], "age": rs[i].Attributes["age"]}
	}
	r := Representativeness(rs, m)
	r.Group = "overall <test>"
	var tb bytes.Buffer
	require.NoError(t, r.WriteTable(&tb))
	assert.Contains(t, tb.String(), "15 à 29 ans")
	assert.Contains(t, tb.String(), "missing")

	var sb bytes.Buffer
	require.NoError(t, r.WriteSVG(&sb))
	svg := sb.String()
	// Well-formed XML, labelled for screen readers, every value as text.
	dec := xml.NewDecoder(strings.NewReader(svg))
	var texts []string
	var title, desc string
	var in string
	for {
		tok, err := dec.Token()
		if err != nil {
			require.ErrorContains(t, err, "EOF")
			break
		}
		switch el := tok.(type) {
		case xml.StartElement:
			in = el.Name.Local
			if in == "svg" {
				attrs := map[string]string{}
				for _, a := range el.Attr {
					attrs[a.Name.Local] = a.Value
				}
				assert.Equal(t, "img", attrs["role"])
				assert.Equal(t, "panel-title panel-desc", attrs["aria-labelledby"])
			}
		case xml.CharData:
			switch in {
			case "title":
				title += string(el)
			case "desc":
				desc += string(el)
			case "text":
				texts = append(texts, string(el))
			}
		case xml.EndElement:
			in = ""
		}
	}
	assert.Contains(t, title, "50 respondents (overall <test>)")
	assert.Contains(t, desc, "Missing: age=15 à 29 ans")
	assert.Contains(t, texts, "45 à 59 ans")
	assert.Contains(t, texts, "respondents 80.0 %")
}
