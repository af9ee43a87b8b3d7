package panel

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSimplex(t *testing.T) {
	// max 3x + 5y s.t. x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18 (the textbook
	// example: x = 2, y = 6, value 36, duals 0, 1.5, 1).
	s, err := newSimplex([]sense{le, le, le}, []float64{4, 12, 18},
		[][]float64{{1, 0, 3}, {0, 2, 2}}, []float64{3, 5})
	require.NoError(t, err)
	assert.InDelta(t, 36, s.obj, 1e-9)
	x := s.x()
	assert.InDelta(t, 2, x[0], 1e-9)
	assert.InDelta(t, 6, x[1], 1e-9)
	y := s.duals()
	assert.InDeltaSlice(t, []float64{0, 1.5, 1}, y, 1e-9)
	// A new column z with cost 10 and coefficients (0, 1, 1): worth
	// 1.5 + 1 = 2.5 per unit of resources, so it enters.
	require.NoError(t, s.addColumn([]float64{0, 1, 1}, 10))
	assert.InDelta(t, 126, s.obj, 1e-9, "z = 12 fills row 2, x = 2 the rest of row 3")

	// Equalities and ≥ rows with a negative right-hand side: min x + y
	// (max −x − y) s.t. x + y ≥ 2, x − y = −1 → x = 0.5, y = 1.5.
	s, err = newSimplex([]sense{ge, eq}, []float64{2, -1},
		[][]float64{{1, 1}, {1, -1}}, []float64{-1, -1})
	require.NoError(t, err)
	assert.InDelta(t, -2, s.obj, 1e-9)
	assert.InDeltaSlice(t, []float64{0.5, 1.5}, s.x(), 1e-9)
	y = s.duals()
	assert.InDelta(t, -1, y[0], 1e-9)

	_, err = newSimplex([]sense{le, ge}, []float64{1, 2}, [][]float64{{1, 1}}, []float64{1})
	assert.ErrorIs(t, err, errInfeasible)
	_, err = newSimplex([]sense{ge}, []float64{1}, [][]float64{{1}}, []float64{1})
	assert.ErrorIs(t, err, errUnbounded)
}

func TestILP(t *testing.T) {
	// Knapsack: max 5a + 4b + 3c s.t. 2a + 3b + c ≤ 5, 4a + b + 2c ≤ 11,
	// 3a + 4b + 2c ≤ 8: binary, a = b = 1 (9); up to 3, a = 2, c = 1 (13).
	p := &ilp{senses: []sense{le, le, le}, rhs: []float64{5, 11, 8},
		cols: [][]float64{{2, 4, 3}, {3, 1, 4}, {1, 2, 2}}, ub: []float64{1, 1, 1}, w: []float64{5, 4, 3}}
	x, v, err := p.solve()
	require.NoError(t, err)
	assert.Equal(t, []int{1, 1, 0}, x)
	assert.InDelta(t, 9, v, 1e-9)
	p.ub = []float64{3, 3, 3}
	x, v, err = p.solve()
	require.NoError(t, err)
	assert.Equal(t, []int{2, 0, 1}, x)
	assert.InDelta(t, 13, v, 1e-9)
	// Odd cycle: x1+x2 ≤ 1, x2+x3 ≤ 1, x1+x3 ≤ 1, max sum → LP 1.5, ILP 1.
	p = &ilp{senses: []sense{le, le, le}, rhs: []float64{1, 1, 1},
		cols: [][]float64{{1, 0, 1}, {1, 1, 0}, {0, 1, 1}}, ub: []float64{1, 1, 1}, w: []float64{1, 1, 1}}
	_, v, err = p.solve()
	require.NoError(t, err)
	assert.InDelta(t, 1, v, 1e-9)
	p.senses[0], p.rhs[0] = ge, 3
	_, _, err = p.solve()
	assert.ErrorIs(t, err, errInfeasible)
}

// boundedLP agrees with the simplex given the bounds as rows.
func TestBoundedLP(t *testing.T) {
	senses := []sense{le, ge, eq}
	rhs := []float64{10, 2, 6}
	cols := [][]float64{{1, 1, 1}, {2, 0, 1}, {1, 1, 2}, {0, -1, 1}}
	c := []float64{3, 2, -1, 4}
	ub := []float64{2, 1.5, 3, 10}
	x, obj, err := boundedLP(senses, rhs, cols, c, ub)
	require.NoError(t, err)
	// The same with explicit bound rows.
	se := append(append([]sense(nil), senses...), le, le, le, le)
	rh := append(append([]float64(nil), rhs...), ub...)
	var cs [][]float64
	for j, col := range cols {
		ext := append(append([]float64(nil), col...), 0, 0, 0, 0)
		ext[len(col)+j] = 1
		cs = append(cs, ext)
	}
	s, err := newSimplex(se, rh, cs, c)
	require.NoError(t, err)
	assert.InDelta(t, s.obj, obj, 1e-9)
	v := 0.0
	for j := range x {
		assert.GreaterOrEqual(t, x[j], -1e-9)
		assert.LessOrEqual(t, x[j], ub[j]+1e-9)
		v += c[j] * x[j]
	}
	assert.InDelta(t, obj, v, 1e-9)
	_, _, err = boundedLP([]sense{ge}, []float64{5}, [][]float64{{1}, {1}}, []float64{1, 1}, []float64{2, 2})
	assert.ErrorIs(t, err, errInfeasible)
}

func TestBoundedLPRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	agree := 0
	for range 300 {
		m, n := 1+rng.IntN(5), 1+rng.IntN(6)
		var senses []sense
		var rhs []float64
		for range m {
			senses = append(senses, []sense{le, ge, eq}[rng.IntN(3)])
			rhs = append(rhs, float64(rng.IntN(11)-3))
		}
		cols := make([][]float64, n)
		c := make([]float64, n)
		ub := make([]float64, n)
		for j := range n {
			for range m {
				cols[j] = append(cols[j], float64(rng.IntN(7)-2))
			}
			c[j] = float64(rng.IntN(9) - 4)
			ub[j] = float64(1 + rng.IntN(4))
		}
		_, obj, err := boundedLP(senses, rhs, cols, c, ub)
		se := append(append([]sense(nil), senses...), make([]sense, n)...)
		rh := append(append([]float64(nil), rhs...), ub...)
		var cs [][]float64
		for j, col := range cols {
			ext := append(append([]float64(nil), col...), make([]float64, n)...)
			ext[m+j] = 1
			cs = append(cs, ext)
			se[m+j] = le
		}
		s, err2 := newSimplex(se, rh, cs, c)
		if err2 != nil {
			assert.ErrorIs(t, err, err2)
			continue
		}
		require.NoError(t, err)
		assert.InDelta(t, s.obj, obj, 1e-7)
		agree++
	}
	assert.Greater(t, agree, 50)
}
