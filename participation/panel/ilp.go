package panel

import (
	"errors"
	"math"
)

// ilp is max w·x s.t. rows, 0 ≤ x ≤ ub, x integer, solved by depth-first
// branch and bound on the simplex's relaxations.
type ilp struct {
	senses []sense
	rhs    []float64
	cols   [][]float64 // per variable, its coefficients in the rows
	ub     []float64
	w      []float64
	// nodeLimit bounds the search (0: 200000 nodes).
	nodeLimit int
}

var errNodeLimit = errors.New("ilp: node limit reached")

// solve returns the best integer solution and its value, or
// errInfeasible.
func (p *ilp) solve() ([]int, float64, error) {
	n := len(p.w)
	lo := make([]float64, n)
	hi := append([]float64(nil), p.ub...)
	var best []int
	bestVal := math.Inf(-1)
	nodes := 0
	limit := p.nodeLimit
	if limit == 0 {
		limit = 200000
	}
	var visit func() error
	visit = func() error {
		nodes++
		if nodes > limit {
			return errNodeLimit
		}
		x, val, err := p.relax(lo, hi)
		if errors.Is(err, errInfeasible) {
			return nil
		}
		if err != nil {
			return err
		}
		if val <= bestVal+1e-9 {
			return nil
		}
		// Branch on the most fractional variable.
		j, frac := -1, 0.0
		for i, v := range x {
			f := v - math.Floor(v)
			if g := math.Min(f, 1-f); g > 1e-6 && g > frac {
				j, frac = i, g
			}
		}
		if j < 0 {
			xi := make([]int, n)
			v := 0.0
			for i, xv := range x {
				xi[i] = int(math.Round(xv))
				v += p.w[i] * float64(xi[i])
			}
			if v > bestVal {
				best, bestVal = xi, v
			}
			return nil
		}
		oldLo, oldHi := lo[j], hi[j]
		lo[j] = math.Ceil(x[j])
		if err := visit(); err != nil {
			return err
		}
		lo[j] = oldLo
		hi[j] = math.Floor(x[j])
		if err := visit(); err != nil {
			return err
		}
		hi[j] = oldHi
		return nil
	}
	if err := visit(); err != nil {
		return nil, 0, err
	}
	if best == nil {
		return nil, 0, errInfeasible
	}
	return best, bestVal, nil
}

// relax solves the LP relaxation with bounds lo ≤ x ≤ hi, substituting
// x = lo + x' so that only the upper bounds need rows.
func (p *ilp) relax(lo, hi []float64) ([]float64, float64, error) {
	m := len(p.rhs)
	n := len(p.w)
	rhs := append([]float64(nil), p.rhs...)
	senses := append([]sense(nil), p.senses...)
	base := 0.0
	for j := range n {
		if hi[j] < lo[j] {
			return nil, 0, errInfeasible
		}
		if lo[j] != 0 {
			for i, a := range p.cols[j] {
				rhs[i] -= a * lo[j]
			}
			base += p.w[j] * lo[j]
		}
	}
	// One row per variable whose upper bound binds.
	var boundOf []int
	for j := range n {
		if hi[j]-lo[j] < p.ub[j] || p.ub[j] < math.Inf(1) {
			boundOf = append(boundOf, j)
			rhs = append(rhs, hi[j]-lo[j])
			senses = append(senses, le)
		}
	}
	cols := make([][]float64, n)
	for j := range n {
		col := make([]float64, m+len(boundOf))
		copy(col, p.cols[j])
		cols[j] = col
	}
	for r, j := range boundOf {
		cols[j][m+r] = 1
	}
	s, err := newSimplex(senses, rhs, cols, p.w)
	if err != nil {
		return nil, 0, err
	}
	x := s.x()
	for j := range x {
		x[j] += lo[j]
	}
	return x, s.obj + base, nil
}
