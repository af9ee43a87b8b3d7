package panel

import (
	"errors"
	"math"
)

// A small dense simplex, enough for the master problems of column
// generation (a few hundred rows, columns added as they are priced) and
// the relaxations of the pricing integer programs. It keeps the whole
// tableau, so the duals and the image of a new column under the basis
// inverse come from the columns that started as the identity.

type sense int8

const (
	le sense = -1
	eq sense = 0
	ge sense = 1
)

const (
	lpEps    = 1e-9
	pivotEps = 1e-9
)

var (
	errInfeasible = errors.New("lp: infeasible")
	errUnbounded  = errors.New("lp: unbounded")
	errIterations = errors.New("lp: iteration limit")
)

type colKind int8

const (
	structural colKind = iota
	slack
	surplus
	artificial
)

type simplex struct {
	m     int
	rows  [][]float64 // m rows of the tableau B⁻¹A
	rhs   []float64   // B⁻¹b
	d     []float64   // reduced costs c_B·B⁻¹A − c (optimal when ≥ 0)
	cost  []float64   // phase-2 costs (maximised)
	kind  []colKind
	basis []int
	idCol []int     // per row, the column that started as e_i
	flip  []float64 // −1 when the row was negated to make b ≥ 0
	obj   float64
	// structural column j of the caller is tableau column str[j].
	str []int
}

// newSimplex sets up max c·x s.t. rows (sense, rhs), x ≥ 0, with the
// structural columns given column-wise, and solves it.
func newSimplex(senses []sense, rhs []float64, cols [][]float64, c []float64) (*simplex, error) {
	m := len(rhs)
	s := &simplex{m: m, rows: make([][]float64, m), rhs: make([]float64, m),
		idCol: make([]int, m), flip: make([]float64, m), basis: make([]int, m)}
	ncol := len(cols)
	width := ncol + m
	for _, se := range senses {
		if se == ge {
			width++
		}
	}
	for i := range m {
		s.rows[i] = make([]float64, ncol, width+16)
		s.flip[i] = 1
		if rhs[i] < 0 {
			s.flip[i] = -1
		}
		s.rhs[i] = rhs[i] * s.flip[i]
	}
	for j, col := range cols {
		for i := range m {
			s.rows[i][j] = col[i] * s.flip[i]
		}
		s.kind = append(s.kind, structural)
		s.cost = append(s.cost, c[j])
		s.str = append(s.str, j)
	}
	addCol := func(i int, v float64, k colKind) int {
		for r := range m {
			x := 0.0
			if r == i {
				x = v
			}
			s.rows[r] = append(s.rows[r], x)
		}
		s.kind = append(s.kind, k)
		s.cost = append(s.cost, 0)
		return len(s.kind) - 1
	}
	needPhase1 := false
	for i := range m {
		se := senses[i]
		if s.flip[i] < 0 {
			se = -se
		}
		switch se {
		case le:
			s.idCol[i] = addCol(i, 1, slack)
		case ge:
			addCol(i, -1, surplus)
			s.idCol[i] = addCol(i, 1, artificial)
			needPhase1 = true
		default:
			s.idCol[i] = addCol(i, 1, artificial)
			needPhase1 = true
		}
		s.basis[i] = s.idCol[i]
	}
	if needPhase1 {
		c1 := make([]float64, len(s.kind))
		for j, k := range s.kind {
			if k == artificial {
				c1[j] = -1
			}
		}
		s.price(c1)
		if err := s.run(true); err != nil {
			return nil, err
		}
		if s.obj < -1e-7 {
			return nil, errInfeasible
		}
		// Drive artificials at zero out of the basis where possible.
		for i, b := range s.basis {
			if s.kind[b] != artificial {
				continue
			}
			for j, k := range s.kind {
				if k != artificial && math.Abs(s.rows[i][j]) > 1e-7 {
					s.pivot(i, j)
					break
				}
			}
		}
	}
	s.price(s.cost)
	return s, s.run(false)
}

// price recomputes the reduced costs and objective for costs c.
func (s *simplex) price(c []float64) {
	n := len(s.kind)
	s.d = make([]float64, n, cap(s.rows[0]))
	for j := range n {
		s.d[j] = -c[j]
	}
	s.obj = 0
	for i, b := range s.basis {
		cb := c[b]
		if cb == 0 {
			continue
		}
		row := s.rows[i]
		for j := range n {
			s.d[j] += cb * row[j]
		}
		s.obj += cb * s.rhs[i]
	}
}

func (s *simplex) pivot(r, e int) {
	prow := s.rows[r]
	pv := prow[e]
	inv := 1 / pv
	for j := range prow {
		prow[j] *= inv
	}
	prow[e] = 1
	s.rhs[r] *= inv
	for i, row := range s.rows {
		if i == r {
			continue
		}
		f := row[e]
		if f == 0 {
			continue
		}
		for j, x := range prow {
			if x != 0 {
				row[j] -= f * x
			}
		}
		row[e] = 0
		s.rhs[i] -= f * s.rhs[r]
		if s.rhs[i] < 0 && s.rhs[i] > -1e-11 {
			s.rhs[i] = 0
		}
	}
	if f := s.d[e]; f != 0 {
		for j, x := range prow {
			if x != 0 {
				s.d[j] -= f * x
			}
		}
		s.d[e] = 0
		s.obj -= f * s.rhs[r]
	}
	s.basis[r] = e
}

// run pivots to optimality: Dantzig's rule, Bland's after a stall.
func (s *simplex) run(phase1 bool) error {
	stall := 0
	bland := false
	last := s.obj
	for iter := 0; iter < 200000; iter++ {
		e := -1
		best := -lpEps
		for j, dj := range s.d {
			if !phase1 && s.kind[j] == artificial {
				continue
			}
			if dj < best {
				e, best = j, dj
				if bland {
					break
				}
			}
		}
		if e < 0 {
			return nil
		}
		r := -1
		ratio := math.Inf(1)
		for i, row := range s.rows {
			a := row[e]
			if a > pivotEps {
				q := s.rhs[i] / a
				if q < ratio-1e-12 || (q <= ratio+1e-12 && r >= 0 && s.basis[i] < s.basis[r]) {
					r, ratio = i, q
				}
			}
		}
		if r < 0 {
			return errUnbounded
		}
		s.pivot(r, e)
		if s.obj > last+1e-12 {
			stall, last = 0, s.obj
			bland = false
		} else if stall++; stall > 50 {
			bland = true
		}
	}
	return errIterations
}

// x returns the value of the caller's structural columns.
func (s *simplex) x() []float64 {
	pos := map[int]int{}
	for j, t := range s.str {
		pos[t] = j
	}
	x := make([]float64, len(s.str))
	for i, b := range s.basis {
		if j, ok := pos[b]; ok {
			x[j] = s.rhs[i]
		}
	}
	return x
}

// duals returns y with y·a − c the value of a column a of cost c: the
// rate at which the objective moves with each row's right-hand side.
func (s *simplex) duals() []float64 {
	y := make([]float64, s.m)
	for i := range s.m {
		y[i] = (s.d[s.idCol[i]] + s.cost[s.idCol[i]]) * s.flip[i]
	}
	return y
}

// addColumn appends a structural column (in the caller's row
// orientation) with cost c and re-optimises from the current basis.
func (s *simplex) addColumn(a []float64, c float64) error {
	col := make([]float64, s.m)
	for i := range s.m {
		v := a[i] * s.flip[i]
		if v == 0 {
			continue
		}
		id := s.idCol[i]
		for r := range s.m {
			col[r] += s.rows[r][id] * v
		}
	}
	y := s.duals()
	dj := -c
	for i := range s.m {
		dj += y[i] * a[i]
	}
	for r := range s.m {
		s.rows[r] = append(s.rows[r], col[r])
	}
	s.d = append(s.d, dj)
	s.kind = append(s.kind, structural)
	s.cost = append(s.cost, c)
	s.str = append(s.str, len(s.kind)-1)
	return s.run(false)
}

// addLowerBound appends the row x_j ≥ lo for a column j that is basic at
// a value of at least lo. The new row's slack starts basic at x_j − lo,
// so the basis stays primal feasible and optimal: no re-solve. It
// reports false when j is not basic (its value is 0; nothing to bound).
func (s *simplex) addLowerBound(j int, lo float64) bool {
	r := -1
	for i, b := range s.basis {
		if b == j {
			r = i
			break
		}
	}
	if r < 0 {
		return false
	}
	n := len(s.kind)
	// −x_j + slack = −lo, with x_j replaced by its basic row.
	row := make([]float64, n+1, cap(s.rows[r])+1)
	copy(row, s.rows[r])
	row[j] = 0
	row[n] = 1
	rhs := max(s.rhs[r]-lo, 0)
	for i := range s.rows {
		s.rows[i] = append(s.rows[i], 0)
	}
	s.rows = append(s.rows, row)
	s.rhs = append(s.rhs, rhs)
	s.kind = append(s.kind, slack)
	s.cost = append(s.cost, 0)
	s.d = append(s.d, 0)
	s.basis = append(s.basis, n)
	s.idCol = append(s.idCol, n)
	s.flip = append(s.flip, 1)
	s.m++
	return true
}
