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
	// With above set, only solutions worth more than threshold matter:
	// nodes bounded by it are pruned and the search stops at the first
	// such solution (column generation needs an improving panel, not
	// the best one).
	above     bool
	threshold float64
}

var errNodeLimit = errors.New("ilp: node limit reached")

// solve returns the best integer solution and its value, or
// errInfeasible (with above: no solution worth more than threshold).
// On errNodeLimit it also returns the best solution found, if any.
func (p *ilp) solve() ([]int, float64, error) {
	n := len(p.w)
	lo := make([]float64, n)
	hi := append([]float64(nil), p.ub...)
	var best []int
	bestVal := math.Inf(-1)
	if p.above {
		bestVal = p.threshold
	}
	nodes := 0
	limit := p.nodeLimit
	if limit == 0 {
		limit = 200000
	}
	errFound := errors.New("found")
	offer := func(xi []int) bool {
		v := 0.0
		for i, x := range xi {
			v += p.w[i] * float64(x)
		}
		if v > bestVal+1e-12 && p.feasible(xi) {
			best, bestVal = xi, v
			return true
		}
		return false
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
			for i, xv := range x {
				xi[i] = int(math.Round(xv))
			}
			if offer(xi) && p.above {
				return errFound
			}
			return nil
		}
		// Cheap incumbents: the relaxation rounded.
		for _, round := range []func(float64) float64{math.Round, math.Floor, math.Ceil} {
			xi := make([]int, n)
			for i, xv := range x {
				xi[i] = int(math.Min(hi[i], math.Max(lo[i], round(xv))))
			}
			if offer(xi) && p.above {
				return errFound
			}
		}
		oldLo, oldHi := lo[j], hi[j]
		up := func() error {
			lo[j] = math.Ceil(x[j])
			err := visit()
			lo[j] = oldLo
			return err
		}
		down := func() error {
			hi[j] = math.Floor(x[j])
			err := visit()
			hi[j] = oldHi
			return err
		}
		// The nearer side first: it more often stays feasible.
		first, second := up, down
		if x[j]-math.Floor(x[j]) < 0.5 {
			first, second = down, up
		}
		if err := first(); err != nil {
			return err
		}
		return second()
	}
	err := visit()
	if errors.Is(err, errFound) {
		err = nil
	}
	if err != nil {
		return best, bestVal, err
	}
	if best == nil {
		return nil, 0, errInfeasible
	}
	return best, bestVal, nil
}

// feasible checks an integer point against the rows and bounds.
func (p *ilp) feasible(x []int) bool {
	for j, v := range x {
		if v < 0 || float64(v) > p.ub[j] {
			return false
		}
	}
	for r, b := range p.rhs {
		a := 0.0
		for j, v := range x {
			if v != 0 {
				a += p.cols[j][r] * float64(v)
			}
		}
		switch p.senses[r] {
		case le:
			if a > b+1e-9 {
				return false
			}
		case ge:
			if a < b-1e-9 {
				return false
			}
		default:
			if math.Abs(a-b) > 1e-9 {
				return false
			}
		}
	}
	return true
}

// relax solves the LP relaxation with bounds lo ≤ x ≤ hi, substituting
// x = lo + x' so that only the upper bounds need rows.
func (p *ilp) relax(lo, hi []float64) ([]float64, float64, error) {
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
	ub := make([]float64, n)
	for j := range n {
		ub[j] = hi[j] - lo[j]
	}
	x, obj, err := boundedLP(senses, rhs, p.cols, p.w, ub)
	if err != nil {
		return nil, 0, err
	}
	for j := range x {
		x[j] += lo[j]
	}
	return x, obj + base, nil
}
