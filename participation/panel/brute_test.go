package panel

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomInstance draws a small pool with random features, quotas and
// sometimes households.
func randomInstance(rng *rand.Rand) Instance {
	n := 5 + rng.IntN(6)
	in := Instance{K: 2 + rng.IntN(3)}
	nf := 1 + rng.IntN(3)
	for f := range nf {
		nv := 2 + rng.IntN(2)
		for v := range nv {
			lo := rng.IntN(2)
			hi := lo + 1 + rng.IntN(in.K)
			in.Quotas = append(in.Quotas, Quota{Feature: fmt.Sprint("f", f), Value: fmt.Sprint("v", v), Min: lo, Max: hi})
		}
	}
	for i := range n {
		p := Person{ID: fmt.Sprintf("p%02d", i), Features: map[string]string{}}
		for f := range nf {
			nv := 0
			for _, q := range in.Quotas {
				if q.Feature == fmt.Sprint("f", f) {
					nv++
				}
			}
			p.Features[fmt.Sprint("f", f)] = fmt.Sprint("v", rng.IntN(nv))
		}
		if rng.IntN(4) == 0 {
			p.Household = fmt.Sprint("h", rng.IntN(3))
		}
		in.People = append(in.People, p)
	}
	return in
}

// allPanels enumerates every feasible panel by brute force, as sets of
// person indices.
func allPanels(in Instance) [][]int {
	var out [][]int
	n := len(in.People)
	var rec func(start int, cur []int)
	rec = func(start int, cur []int) {
		if len(cur) == in.K {
			count := map[[2]string]int{}
			homes := map[string]int{}
			for _, i := range cur {
				for f, v := range in.People[i].Features {
					count[[2]string{f, v}]++
				}
				if h := in.People[i].Household; h != "" {
					homes[h]++
				}
			}
			for _, q := range in.Quotas {
				if c := count[[2]string{q.Feature, q.Value}]; c < q.Min || c > q.Max {
					return
				}
			}
			for _, c := range homes {
				if c > 1 {
					return
				}
			}
			out = append(out, slices.Clone(cur))
			return
		}
		for i := start; i < n; i++ {
			rec(i+1, append(cur, i))
		}
	}
	rec(0, nil)
	return out
}

// bruteLeximin computes leximin over all panels person by person: each
// round maximises the smallest unfixed probability z, then fixes every
// person who cannot get more than z while the others keep z (a
// different fixing rule from Select's duals).
func bruteLeximin(t *testing.T, n int, panels [][]int) []float64 {
	covered := make([]bool, n)
	for _, p := range panels {
		for _, i := range p {
			covered[i] = true
		}
	}
	fixed := make([]float64, n)
	isFixed := make([]bool, n)
	for i := range n {
		if !covered[i] {
			isFixed[i] = true
		}
	}
	// lp: variables z, λ_P; maximise obj·(z, λ).
	solve := func(z float64, target int) float64 {
		var senses []sense
		var rhs []float64
		cols := make([][]float64, len(panels)+1)
		for i := range n {
			if !covered[i] {
				continue
			}
			row := len(rhs)
			for j := range cols {
				cols[j] = append(cols[j], 0)
			}
			for j, p := range panels {
				if slices.Contains(p, i) {
					cols[j+1][row] = 1
				}
			}
			switch {
			case isFixed[i]:
				senses, rhs = append(senses, ge), append(rhs, fixed[i]-1e-9)
			case target < 0:
				senses, rhs = append(senses, ge), append(rhs, 0)
				cols[0][row] = -1 // p_i − z ≥ 0
			default:
				senses, rhs = append(senses, ge), append(rhs, z-1e-9)
			}
		}
		for j := range cols {
			cols[j] = append(cols[j], 1)
		}
		cols[0][len(rhs)] = 0
		senses, rhs = append(senses, eq), append(rhs, 1)
		c := make([]float64, len(cols))
		if target < 0 {
			c[0] = 1
		} else {
			for j, p := range panels {
				if slices.Contains(p, target) {
					c[j+1] = 1
				}
			}
		}
		s, err := newSimplex(senses, rhs, cols, c)
		require.NoError(t, err)
		return s.obj
	}
	for slices.Contains(isFixed, false) {
		z := solve(0, -1)
		fixedAny := false
		for i := range n {
			if !isFixed[i] && solve(z, i) <= z+1e-7 {
				isFixed[i], fixed[i] = true, z
				fixedAny = true
			}
		}
		require.True(t, fixedAny)
	}
	return fixed
}

func TestSelectAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 2026))
	checked, infeasible := 0, 0
	for range 400 {
		in := randomInstance(rng)
		panels := allPanels(in)
		d, err := Select(in, SelectOptions{Algorithm: Leximin})
		if len(panels) == 0 {
			var ie *InfeasibleError
			require.True(t, errors.As(err, &ie), "no panel exists: %v", err)
			infeasible++
			if ie.Total > 0 {
				// The proposed relaxation admits a panel.
				relaxed := in
				relaxed.Quotas = slices.Clone(in.Quotas)
				for i, q := range relaxed.Quotas {
					for _, c := range ie.Relaxation {
						if c.Feature == q.Feature && c.Value == q.Value {
							relaxed.Quotas[i].Min, relaxed.Quotas[i].Max = c.NewMin, c.NewMax
						}
					}
				}
				assert.NotEmpty(t, allPanels(relaxed), "relaxation %+v", ie.Relaxation)
			}
			continue
		}
		require.NoError(t, err)
		checkSupport(t, in, d)
		want := bruteLeximin(t, len(in.People), panels)
		got := make([]float64, len(in.People))
		for i, p := range d.Probabilities {
			got[i] = p.Probability
		}
		assert.InDeltaSlice(t, want, got, 1e-6, "leximin %+v", in)

		mx, err := Select(in, SelectOptions{Algorithm: Maximin})
		require.NoError(t, err)
		checkSupport(t, in, mx)
		assert.InDelta(t, d.Minimum, mx.Minimum, 1e-6)

		// Nash: no panel improves the objective's gradient by more than
		// the tolerance (first-order optimality over all panels).
		ns, err := Select(in, SelectOptions{Algorithm: Nash})
		require.NoError(t, err)
		checkSupport(t, in, ns)
		var ncov float64
		for _, p := range ns.Probabilities {
			if p.Probability > 1e-9 {
				ncov++
			}
		}
		for _, pn := range panels {
			g := 0.0
			for _, i := range pn {
				if pr := ns.Probabilities[i].Probability; pr > 1e-9 {
					g += 1 / pr
				}
			}
			assert.LessOrEqual(t, g, ncov*(1+1e-4), "nash gradient")
		}
		checked++
	}
	t.Logf("%d feasible instances checked, %d infeasible", checked, infeasible)
	assert.Greater(t, checked, 100)
}
