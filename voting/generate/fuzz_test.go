package generate_test

import (
	"testing"

	"github.com/civickit/civickit/voting/generate"
)

// FuzzRanked draws small profiles from arbitrary options: a bad option is
// an error, never a panic, and a good one gives exactly the voters asked
// for, each ballot valid and within the truncation bounds.
func FuzzRanked(f *testing.F) {
	f.Add(uint8(0), 5, int64(20), uint64(1), 0.5, 0.2, 0, 0, 0.0, 2)
	f.Add(uint8(3), 4, int64(7), uint64(9), 1.0, 0.0, 1, 3, 0.3, 1)
	f.Add(uint8(6), 1, int64(1), uint64(0), 0.0, 0.0, 0, 1, 1.0, 3)
	f.Fuzz(func(t *testing.T, kind uint8, m int, n int64, seed uint64, phi, alpha float64, minR, maxR int, ties float64, dim int) {
		if m > 40 || n > 500 || dim > 50 {
			t.Skip() // keep each run small
		}
		var c generate.Culture
		switch kind % 9 {
		case 0:
			c = generate.IC{}
		case 1:
			c = generate.IAC{}
		case 2:
			c = generate.Urn{Alpha: alpha}
		case 3:
			c = generate.Mallows{Phi: phi}
		case 4:
			c = generate.Mallows{Phi: phi, NormPhi: true}
		case 5:
			c = generate.SinglePeakedWalsh{}
		case 6:
			c = generate.SinglePeakedConitzer{}
		case 7:
			c = generate.Euclidean{Dim: dim, Space: generate.Space(int(seed % 3))}
		case 8:
			w := make([]float64, max(m, 0))
			for i := range w {
				w[i] = phi + float64(i)
			}
			c = generate.PlackettLuce{Weights: w}
		}
		o := generate.Options{Candidates: m, Voters: n, Seed: seed, Culture: c, MinRanked: minR, MaxRanked: maxR, Ties: ties}
		p, err := generate.Ranked(o)
		if err != nil {
			return
		}
		if p.Voters() != n || p.N() != m {
			t.Fatalf("%d voters over %d candidates, want %d over %d", p.Voters(), p.N(), n, m)
		}
		for r := range p.Ballots() {
			if err := r.Validate(m); err != nil {
				t.Fatalf("invalid ballot %v: %v", r, err)
			}
			if k := r.Ranked(); maxR > 0 && (k < minR || k > maxR) {
				t.Fatalf("ballot ranks %d, bounds [%d, %d]", k, minR, maxR)
			}
		}
	})
}
