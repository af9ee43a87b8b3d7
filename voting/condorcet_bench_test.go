package voting_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/stretchr/testify/require"
)

// spatialProfile draws voters ballots over n candidates from a seeded
// spatial model, the usual stand-in for real elections: candidates and
// voters (three clusters) are points in the plane, each voter ranks by
// noisy distance and, like most real voters, ranks only the first few
// (1 + a geometric number, mean about 3.3).
func spatialProfile(b *testing.B, n, voters int, seed uint64) *voting.Profile {
	rng := rand.New(rand.NewPCG(seed, 1))
	type point struct{ x, y float64 }
	cands := make([]point, n)
	for i := range cands {
		cands[i] = point{rng.Float64()*2 - 1, rng.Float64()*2 - 1}
	}
	clusters := []point{{-0.5, 0.2}, {0.4, 0.4}, {0.1, -0.5}}
	counts := map[string]int64{}
	dist := make([]float64, n)
	order := make([]int, n)
	for range voters {
		c := clusters[rng.IntN(len(clusters))]
		v := point{c.x + rng.NormFloat64()*0.35, c.y + rng.NormFloat64()*0.35}
		for i, p := range cands {
			dist[i] = math.Hypot(p.x-v.x, p.y-v.y) + rng.NormFloat64()*0.15
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return condCmpFloat(dist[a], dist[b]) })
		k := 1
		for k < n && rng.Float64() < 0.7 {
			k++
		}
		key := make([]byte, k)
		for i := range key {
			key[i] = byte(order[i])
		}
		counts[string(key)]++
	}
	p, err := voting.NewProfile(condNames(n), voting.UnrankedLast)
	require.NoError(b, err)
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range counts {
			if !yield(k) {
				return
			}
		}
	})
	for _, key := range keys {
		r := make(voting.Ranking, len(key))
		for i := range key {
			r[i] = []int{int(key[i])}
		}
		require.NoError(b, p.Add(r, counts[key]))
	}
	return p
}

func condCmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func condBench(b *testing.B, p *voting.Profile, method, variant string) {
	m, err := voting.NewRegistry().Lookup(method)
	require.NoError(b, err)
	b.ReportAllocs()
	for range b.N {
		q := uncached(b, p)
		if _, err := m.Run(voting.Input{Ranked: q}, voting.Options{Variant: variant}); err != nil {
			b.Fatal(err)
		}
	}
}

// uncached returns a copy of p without its cached pairwise matrix, made
// with the timer stopped, so that each count pays for the matrix.
func uncached(b *testing.B, p *voting.Profile) *voting.Profile {
	b.StopTimer()
	defer b.StartTimer()
	all := make([]int, p.N())
	for i := range all {
		all[i] = i
	}
	q, err := p.Restrict(all)
	require.NoError(b, err)
	return q
}

// 20 candidates, a million voters. Each count includes building the
// pairwise matrix from the distinct ballots.
func BenchmarkCondorcet20x1M(b *testing.B) {
	p := spatialProfile(b, 20, 1_000_000, 2026)
	b.Logf("%d voters, %d distinct ballots", p.Voters(), p.Distinct())
	b.Run("pairwise", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			uncached(b, p).Pairwise()
		}
	})
	b.Run("schulze", func(b *testing.B) { condBench(b, p, "schulze", "winning-votes") })
	b.Run("ranked-pairs", func(b *testing.B) { condBench(b, p, "ranked-pairs", "margins") })
	b.Run("copeland", func(b *testing.B) { condBench(b, p, "copeland", "") })
	b.Run("split-cycle", func(b *testing.B) { condBench(b, p, "split-cycle", "") })
	b.Run("stable-voting", func(b *testing.B) { condBench(b, p, "stable-voting", "") })
}

// 100 candidates, 1,000 complete random rankings (impartial culture): many
// equal margins, the hard case for Ranked Pairs' search over tie orders.
// Condorcet PHP reports 49 s for Ranked Pairs on this size.
func BenchmarkRankedPairs100x1000(b *testing.B) {
	rng := rand.New(rand.NewPCG(100, 1000))
	p, err := voting.NewProfile(condNames(100), voting.UnrankedLast)
	require.NoError(b, err)
	for range 1000 {
		perm := rng.Perm(100)
		r := make(voting.Ranking, len(perm))
		for i, c := range perm {
			r[i] = []int{c}
		}
		require.NoError(b, p.Add(r, 1))
	}
	b.Run("pairwise", func(b *testing.B) {
		for range b.N {
			uncached(b, p).Pairwise()
		}
	})
	b.Run("margins", func(b *testing.B) { condBench(b, p, "ranked-pairs", "margins") })
	b.Run("winning-votes", func(b *testing.B) { condBench(b, p, "ranked-pairs", "winning-votes") })
	b.Run("schulze", func(b *testing.B) { condBench(b, p, "schulze", "winning-votes") })
	b.Run("river", func(b *testing.B) { condBench(b, p, "river", "margins") })
	b.Run("split-cycle", func(b *testing.B) { condBench(b, p, "split-cycle", "") })
}
