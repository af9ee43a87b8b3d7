package generate

import "testing"

func TestICDistinctBound(t *testing.T) {
	for _, tt := range []struct {
		m    int
		n    int64
		want int64
	}{
		{1, 5, 1},
		{3, 5, 5},
		{3, 100, 6},
		{10, 10_000_000, 3_628_800},
		{12, 10_000_000, 10_000_000},
		{1000, MaxVoters, MaxVoters}, // no overflow of m!
	} {
		if got := icDistinctBound(tt.m, tt.n); got != tt.want {
			t.Errorf("icDistinctBound(%d, %d) = %d, want %d", tt.m, tt.n, got, tt.want)
		}
	}
}
