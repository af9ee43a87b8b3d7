package panel

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
)

type rakeFixture struct {
	RespondentCounts  map[string]int                `json:"respondent_counts"`
	PopulationMargins map[string]map[string]float64 `json:"population_margins"`
	Expected          map[string]float64            `json:"expected_weighted_cell_totals"`
	Tolerance         float64                       `json:"tolerance"`
}

func TestRakeFixture(t *testing.T) {
	data, err := os.ReadFile("testdata/rake_example.json")
	require.NoError(t, err)
	var fx rakeFixture
	require.NoError(t, json.Unmarshal(data, &fx))
	var m Margins
	for _, name := range []string{"sex", "age"} {
		c := Category{Name: name}
		for _, v := range sortedKeys(fx.PopulationMargins[name]) {
			c.Values = append(c.Values, Margin{Value: v, Count: fx.PopulationMargins[name][v]})
		}
		m.Categories = append(m.Categories, c)
	}
	require.NoError(t, m.Validate())
	var rs []Respondent
	var cells []string
	for _, cell := range sortedKeys(fx.RespondentCounts) {
		sex, age, _ := strings.Cut(cell, "|")
		for range fx.RespondentCounts[cell] {
			rs = append(rs, Respondent{Attributes: map[string]string{"sex": sex, "age": age}})
			cells = append(cells, cell)
		}
	}
	res, err := Rake(rs, m, nil, RakeOptions{Tolerance: 1e-10})
	require.NoError(t, err)
	assert.True(t, res.Converged)
	assert.Less(t, res.MaxDeviation, 1e-8)
	got := map[string]float64{}
	for i, w := range res.Weights {
		got[cells[i]] += w
	}
	for cell, want := range fx.Expected {
		assert.InDelta(t, want, got[cell], fx.Tolerance, cell)
	}
	// The seed's odds ratio survives raking.
	or := got["F|60+"] * got["M|18-59"] / (got["F|18-59"] * got["M|60+"])
	assert.InDelta(t, 0.6, or, 1e-8)
	assert.InDelta(t, 75.82, res.Spread.Kish, 0.01)
	assert.InDelta(t, 100/res.Spread.Kish, res.Spread.DesignEffect, 1e-12)
	assert.InDelta(t, 1, res.Spread.Mean, 1e-12)
}

func TestRakeUniformSeedIsIndependence(t *testing.T) {
	m := Margins{Categories: []Category{
		{Name: "sex", Values: []Margin{{Value: "F", Share: 0.52}, {Value: "M", Share: 0.48}}},
		{Name: "age", Values: []Margin{{Value: "60+", Share: 0.30}, {Value: "18-59", Share: 0.70}}},
	}}
	require.NoError(t, m.Validate())
	rs := sample("F", "60+", 1, "F", "18-59", 1, "M", "60+", 1, "M", "18-59", 1)
	res, err := Rake(rs, m, nil, RakeOptions{Total: 1})
	require.NoError(t, err)
	for i, want := range []float64{0.156, 0.364, 0.144, 0.336} {
		assert.InDelta(t, want, res.Weights[i], 1e-9)
	}
}

func TestRakeTrimUnknownUnreachable(t *testing.T) {
	m := Margins{Categories: []Category{
		{Name: "sex", Values: []Margin{{Value: "F", Share: 0.5}, {Value: "M", Share: 0.5}}},
		{Name: "age", Values: []Margin{{Value: "young", Share: 0.4}, {Value: "old", Share: 0.5}, {Value: "none", Share: 0.1}}},
	}}
	require.NoError(t, m.Validate())
	// Two men among 40 respondents: untrimmed they weigh 10 each.
	rs := sample("F", "young", 20, "F", "old", 18, "M", "old", 1, "M", "young", 1, "M", Declined, 3)
	free, err := Rake(rs, m, nil, RakeOptions{})
	require.NoError(t, err)
	assert.Equal(t, []string{"age=none"}, free.Unreachable)
	assert.True(t, free.Converged)
	trimmed, err := Rake(rs, m, nil, RakeOptions{Cap: 4})
	require.NoError(t, err)
	assert.LessOrEqual(t, trimmed.Spread.Max, 4*trimmed.Spread.Mean*(1+1e-9))
	assert.Greater(t, trimmed.Spread.Kish, free.Spread.Kish, "trimming trades bias for variance")
	assert.Greater(t, trimmed.MaxDeviation, 1e-3, "the men cannot reach half the weight under the cap")
	// A declined age keeps its weight through the age adjustment: the
	// three men who declined weigh the same.
	n := len(rs)
	assert.InDelta(t, free.Weights[n-1], free.Weights[n-2], 1e-12)
	// Weighted answers next to raw ones.
	answers := make([]string, n)
	for i := range answers {
		answers[i] = "yes"
		if rs[i].Attributes["sex"] == "M" {
			answers[i] = "no"
		}
	}
	shares, err := Shares(answers, free.Weights)
	require.NoError(t, err)
	require.Len(t, shares, 2)
	assert.Equal(t, "no", shares[0].Option)
	assert.InDelta(t, 5.0/43, shares[0].Share, 1e-12)
	assert.InDelta(t, 0.5, shares[0].WeightedShare, 1e-9)
}

func TestRakeInvalid(t *testing.T) {
	m := Margins{Categories: []Category{{Name: "sex", Values: []Margin{{Value: "F", Share: 1}}}}}
	require.NoError(t, m.Validate())
	rs := sample("F", "x", 2)
	for _, tc := range []struct {
		name string
		base []float64
		opts RakeOptions
	}{
		{"cap", nil, RakeOptions{Cap: 0.5}},
		{"floor", nil, RakeOptions{Floor: 1}},
		{"base len", []float64{1}, RakeOptions{}},
		{"base zero", []float64{1, 0}, RakeOptions{}},
		{"base nan", []float64{1, math.NaN()}, RakeOptions{}},
	} {
		_, err := Rake(rs, m, tc.base, tc.opts)
		assert.ErrorIs(t, err, civickit.ErrInvalid, tc.name)
	}
}

// BenchmarkRake rakes 10^6 respondents on 5 categories.
func BenchmarkRake(b *testing.B) {
	const n = 1_000_000
	rng := rand.New(rand.NewPCG(1, 2))
	sizes := []int{2, 6, 5, 8, 4}
	var m Margins
	cd := Coded{N: n, Codes: make([][]int32, len(sizes))}
	for c, k := range sizes {
		cat := Category{Name: string(rune('a' + c))}
		for j := range k {
			cat.Values = append(cat.Values, Margin{Value: string(rune('A' + j)), Share: 1 / float64(k)})
		}
		m.Categories = append(m.Categories, cat)
		col := make([]int32, n)
		for i := range col {
			// Skewed: low codes over-represented, 2 % unknown.
			if rng.Float64() < 0.02 {
				col[i] = -1
			} else {
				col[i] = int32(min(rng.IntN(k), rng.IntN(k)))
			}
		}
		cd.Codes[c] = col
	}
	if err := m.Validate(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		res, err := RakeCoded(cd, m, nil, RakeOptions{Tolerance: 1e-6, Cap: 10})
		if err != nil || !res.Converged {
			b.Fatal(err, res.Iterations)
		}
	}
}

// Margins read or built without Validate have no shares: raking them
// is refused instead of giving NaN weights.
func TestRakeRefusesUnnormalisedMargins(t *testing.T) {
	m := Margins{Categories: []Category{{Name: "sex", Values: []Margin{{Value: "F", Count: 52}, {Value: "M", Count: 48}}}}}
	rs := []Respondent{{Attributes: map[string]string{"sex": "F"}}, {Attributes: map[string]string{"sex": "M"}}}
	_, err := Rake(rs, m, nil, RakeOptions{})
	assert.Equal(t, []civickit.FieldError{{Path: "margins.categories[0].values", Rule: "normalised", Param: "call Margins.Validate"}}, civickit.FieldErrors(err))
	require.NoError(t, m.Validate())
	res, err := Rake(rs, m, nil, RakeOptions{})
	require.NoError(t, err)
	assert.InDelta(t, 1.04, res.Weights[0], 1e-9)
}
