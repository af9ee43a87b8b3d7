package panel

import "math"

// boundedLP solves max c·x s.t. rows (sense, rhs), 0 ≤ x ≤ ub (ub may be
// +Inf) by a two-phase tableau simplex that keeps upper bounds out of
// the rows: a nonbasic variable sits at either bound, and the ratio test
// lets the entering variable flip to its other bound. The pricing
// problems' relaxations have one bound per type, so this keeps their
// tableaux as small as the quotas.
func boundedLP(senses []sense, rhs []float64, cols [][]float64, c, ub []float64) ([]float64, float64, error) {
	m, n := len(rhs), len(cols)
	flip := make([]float64, m)
	rows := make([][]float64, m)
	beta := make([]float64, m)
	var kind []colKind
	var upper []float64
	width := n + 2*m
	for i := range m {
		flip[i] = 1
		if rhs[i] < 0 {
			flip[i] = -1
		}
		beta[i] = rhs[i] * flip[i]
		rows[i] = make([]float64, n, width)
		for j := range n {
			rows[i][j] = cols[j][i] * flip[i]
		}
	}
	for range n {
		kind = append(kind, structural)
	}
	upper = append(upper, ub...)
	addCol := func(i int, v float64, k colKind) int {
		for r := range m {
			x := 0.0
			if r == i {
				x = v
			}
			rows[r] = append(rows[r], x)
		}
		kind = append(kind, k)
		upper = append(upper, math.Inf(1))
		return len(kind) - 1
	}
	basis := make([]int, m)
	phase1 := false
	for i := range m {
		se := senses[i]
		if flip[i] < 0 {
			se = -se
		}
		switch se {
		case le:
			basis[i] = addCol(i, 1, slack)
		case ge:
			addCol(i, -1, surplus)
			basis[i] = addCol(i, 1, artificial)
			phase1 = true
		default:
			basis[i] = addCol(i, 1, artificial)
			phase1 = true
		}
	}
	N := len(kind)
	atUpper := make([]bool, N)
	isBasic := make([]bool, N)
	for _, b := range basis {
		isBasic[b] = true
	}
	var d []float64
	var obj float64
	price := func(cost []float64) {
		d = make([]float64, N)
		for j := range N {
			d[j] = -cost[j]
		}
		obj = 0
		for i, b := range basis {
			if cb := cost[b]; cb != 0 {
				for j, x := range rows[i] {
					d[j] += cb * x
				}
				obj += cb * beta[i]
			}
		}
		for j := range N {
			if atUpper[j] {
				obj += cost[j] * upper[j]
			}
		}
	}
	pivot := func(r, e int) {
		prow := rows[r]
		inv := 1 / prow[e]
		for j := range prow {
			prow[j] *= inv
		}
		prow[e] = 1
		for i, row := range rows {
			if i == r {
				continue
			}
			if f := row[e]; f != 0 {
				for j, x := range prow {
					if x != 0 {
						row[j] -= f * x
					}
				}
				row[e] = 0
			}
		}
		if f := d[e]; f != 0 {
			for j, x := range prow {
				if x != 0 {
					d[j] -= f * x
				}
			}
			d[e] = 0
		}
		isBasic[basis[r]] = false
		isBasic[e] = true
		basis[r] = e
	}
	run := func(allowArtificial bool) error {
		stall, bland := 0, false
		last := obj
		for iter := 0; iter < 200000; iter++ {
			e, best := -1, lpEps
			dir := 0.0
			for j := range N {
				if isBasic[j] || (!allowArtificial && kind[j] == artificial) {
					continue
				}
				var gain, dj float64
				if !atUpper[j] && d[j] < -lpEps {
					gain, dj = -d[j], 1
				} else if atUpper[j] && d[j] > lpEps {
					gain, dj = d[j], -1
				} else {
					continue
				}
				if gain > best {
					e, best, dir = j, gain, dj
					if bland {
						break
					}
				}
			}
			if e < 0 {
				return nil
			}
			theta := upper[e] // a bound flip
			r, toUpper := -1, false
			for i, row := range rows {
				a := dir * row[e]
				var q float64
				var up bool
				switch {
				case a > pivotEps:
					q = beta[i] / a
				case a < -pivotEps && !math.IsInf(upper[basis[i]], 1):
					q, up = (upper[basis[i]]-beta[i])/(-a), true
				default:
					continue
				}
				if q < theta-1e-12 || (q <= theta+1e-12 && r >= 0 && basis[i] < basis[r]) {
					theta, r, toUpper = q, i, up
				}
			}
			if math.IsInf(theta, 1) {
				return errUnbounded
			}
			theta = math.Max(theta, 0)
			for i, row := range rows {
				beta[i] -= dir * theta * row[e]
			}
			obj += math.Abs(d[e]) * theta
			if r < 0 {
				atUpper[e] = !atUpper[e]
			} else {
				leaving := basis[r]
				val := theta
				if atUpper[e] {
					val = upper[e] - theta
				}
				atUpper[e] = false
				pivot(r, e)
				beta[r] = val
				atUpper[leaving] = toUpper
			}
			if obj > last+1e-12 {
				stall, last, bland = 0, obj, false
			} else if stall++; stall > 50 {
				bland = true
			}
		}
		return errIterations
	}
	if phase1 {
		c1 := make([]float64, N)
		for j, k := range kind {
			if k == artificial {
				c1[j] = -1
			}
		}
		price(c1)
		if err := run(true); err != nil {
			return nil, 0, err
		}
		if obj < -1e-7 {
			return nil, 0, errInfeasible
		}
		for i, b := range basis {
			if kind[b] != artificial {
				continue
			}
			for j, k := range kind {
				if k != artificial && !isBasic[j] && math.Abs(rows[i][j]) > 1e-7 {
					val := 0.0
					if atUpper[j] {
						val = upper[j]
					}
					atUpper[j] = false
					pivot(i, j)
					beta[i] = val
					break
				}
			}
		}
	}
	cost := make([]float64, N)
	copy(cost, c)
	price(cost)
	if err := run(false); err != nil {
		return nil, 0, err
	}
	x := make([]float64, n)
	for j := range n {
		if atUpper[j] {
			x[j] = upper[j]
		}
	}
	for i, b := range basis {
		if b < n {
			x[b] = beta[i]
		}
	}
	return x, obj, nil
}
