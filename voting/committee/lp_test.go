package committee

import (
	"math"
	"testing"
)

func TestLPMaximize(t *testing.T) {
	tests := []struct {
		c    []float64
		rows []lpRow
		want float64
		ok   bool
	}{
		// max x+y, x+2y <= 4, 3x+y <= 6: x = 1.6, y = 1.2.
		{[]float64{1, 1}, []lpRow{{[]float64{1, 2}, -1, 4}, {[]float64{3, 1}, -1, 6}}, 2.8, true},
		// max x, x+y >= 2, x <= 3, y <= 1.
		{[]float64{1, 0}, []lpRow{{[]float64{1, 1}, 1, 2}, {[]float64{1, 0}, -1, 3}, {[]float64{0, 1}, -1, 1}}, 3, true},
		// max -x, x+y = 2, y <= 1: x = 1.
		{[]float64{-1, 0}, []lpRow{{[]float64{1, 1}, 0, 2}, {[]float64{0, 1}, -1, 1}}, -1, true},
		// x >= 2 and x <= 1: infeasible.
		{[]float64{1}, []lpRow{{[]float64{1}, 1, 2}, {[]float64{1}, -1, 1}}, 0, false},
	}
	for i, tt := range tests {
		got, _, ok := lpMaximize(tt.c, tt.rows)
		if ok != tt.ok || (ok && math.Abs(got-tt.want) > 1e-9) {
			t.Errorf("%d: got %v %v, want %v %v", i, got, ok, tt.want, tt.ok)
		}
	}
}
