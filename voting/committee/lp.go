package committee

import "math"

// A small dense simplex (two phases, Bland's rule) for the priceability
// linear programme. Sizes are bounded by the caller.

const lpEps = 1e-9

type lpRow struct {
	a    []float64 // coefficients of the n structural variables
	kind int       // -1: a·x <= b, 0: a·x = b, 1: a·x >= b
	b    float64
}

// lpMaximize maximises c·x subject to rows and x >= 0. It returns the
// optimum and x, and false when the rows are infeasible. Unbounded
// programmes are not expected here (the caller bounds every variable) and
// report false.
func lpMaximize(c []float64, rows []lpRow) (float64, []float64, bool) {
	n := len(c)
	m := len(rows)
	// Columns: n structural, one slack/surplus per inequality, one
	// artificial per = or >= row.
	nslack, nart := 0, 0
	for i := range rows {
		if rows[i].b < 0 {
			for j := range rows[i].a {
				rows[i].a[j] = -rows[i].a[j]
			}
			rows[i].b, rows[i].kind = -rows[i].b, -rows[i].kind
		}
		if rows[i].kind != 0 {
			nslack++
		}
		if rows[i].kind >= 0 {
			nart++
		}
	}
	cols := n + nslack + nart
	t := make([][]float64, m)
	basis := make([]int, m)
	artificial := func(j int) bool { return j >= n+nslack && j < cols }
	s, a := n, n+nslack
	for i, r := range rows {
		t[i] = make([]float64, cols+1)
		copy(t[i], r.a)
		t[i][cols] = r.b
		switch r.kind {
		case -1:
			t[i][s], basis[i] = 1, s
			s++
		case 1:
			t[i][s] = -1
			s++
			t[i][a], basis[i] = 1, a
			a++
		case 0:
			t[i][a], basis[i] = 1, a
			a++
		}
	}
	obj := make([]float64, cols+1)
	// Phase 1: maximise minus the sum of the artificials.
	for i := range t {
		if artificial(basis[i]) {
			for j := 0; j <= cols; j++ {
				if !artificial(j) {
					obj[j] += t[i][j]
				}
			}
		}
	}
	if !lpRun(t, obj, basis, func(int) bool { return true }) {
		return 0, nil, false
	}
	if obj[cols] > 1e-7 {
		return 0, nil, false
	}
	// Drive artificials out of the basis where a pivot allows.
	for i := range t {
		if !artificial(basis[i]) {
			continue
		}
		for j := 0; j < n+nslack; j++ {
			if math.Abs(t[i][j]) > lpEps {
				lpPivot(t, nil, basis, i, j)
				break
			}
		}
	}
	// Phase 2.
	for j := range obj {
		obj[j] = 0
	}
	copy(obj, c)
	for i := range t {
		if cb := cost(c, basis[i]); cb != 0 {
			for j := 0; j <= cols; j++ {
				obj[j] -= cb * t[i][j]
			}
		}
	}
	if !lpRun(t, obj, basis, func(j int) bool { return !artificial(j) }) {
		return 0, nil, false
	}
	x := make([]float64, n)
	for i, b := range basis {
		if b < n {
			x[b] = t[i][cols]
		}
	}
	return -obj[cols], x, true
}

func cost(c []float64, j int) float64 {
	if j < len(c) {
		return c[j]
	}
	return 0
}

// lpRun pivots until no allowed column improves the objective; false
// when unbounded or past an iteration guard.
func lpRun(t [][]float64, obj []float64, basis []int, allowed func(int) bool) bool {
	cols := len(obj) - 1
	for iter := 0; iter < 50000; iter++ {
		enter := -1
		for j := 0; j < cols; j++ {
			if allowed(j) && obj[j] > lpEps {
				enter = j
				break
			}
		}
		if enter < 0 {
			return true
		}
		leave := -1
		best := math.Inf(1)
		for i := range t {
			if t[i][enter] > lpEps {
				r := t[i][cols] / t[i][enter]
				if r < best-1e-12 || (r <= best+1e-12 && leave >= 0 && basis[i] < basis[leave]) {
					best, leave = r, i
				}
			}
		}
		if leave < 0 {
			return false
		}
		lpPivot(t, obj, basis, leave, enter)
	}
	return false
}

func lpPivot(t [][]float64, obj []float64, basis []int, r, c int) {
	pr := t[r]
	f := pr[c]
	for j := range pr {
		pr[j] /= f
	}
	for i := range t {
		if i != r && t[i][c] != 0 {
			g := t[i][c]
			for j := range t[i] {
				t[i][j] -= g * pr[j]
			}
		}
	}
	if obj != nil && obj[c] != 0 {
		g := obj[c]
		for j := range obj {
			obj[j] -= g * pr[j]
		}
	}
	basis[r] = c
}
