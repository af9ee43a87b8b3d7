package voting_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/civickit/civickit/voting"
)

// elimBenchProfile draws voters ballots ranking ranks of n candidates
// uniformly at random (seeded), merged into distinct ballots before they
// reach the profile so that building it stays cheap.
func elimBenchProfile(b *testing.B, n, ranks, voters int) *voting.Profile {
	b.Helper()
	rng := rand.New(rand.NewPCG(uint64(n), uint64(ranks)))
	counts := map[string]int64{}
	var order []string
	perm := make([]int, n)
	key := make([]byte, ranks)
	for range voters {
		for i := range perm {
			perm[i] = i
		}
		for i := range ranks {
			j := i + rng.IntN(n-i)
			perm[i], perm[j] = perm[j], perm[i]
			key[i] = byte(perm[i])
		}
		if counts[string(key)] == 0 {
			order = append(order, string(key))
		}
		counts[string(key)]++
	}
	names := make([]string, n)
	for c := range names {
		names[c] = fmt.Sprintf("c%02d", c)
	}
	p, err := voting.NewProfile(names, voting.UnrankedLast)
	if err != nil {
		b.Fatal(err)
	}
	for _, k := range order {
		r := make(voting.Ranking, len(k))
		for i := range k {
			r[i] = []int{int(k[i])}
		}
		if err := p.Add(r, counts[k]); err != nil {
			b.Fatal(err)
		}
	}
	return p
}

// BenchmarkElimination counts 10^6 ballots with the elimination methods
// and, for comparison, plurality and Borda; the profile is built before
// the timed loop. "3 ranks" ballots are truncated (35 candidates give
// about 39,000 distinct ballots), "full" ones rank all 10 candidates
// (about 860,000 distinct ballots: the per-ballot cost at its worst).
func BenchmarkElimination(b *testing.B) {
	const voters = 1_000_000
	for _, bc := range []struct {
		method, variant string
		n, ranks        int
	}{
		{"plurality", "", 10, 3},
		{"plurality", "", 10, 10},
		{"borda", "average", 10, 10},
		{"irv", "standard", 10, 3},
		{"irv", "standard", 35, 3},
		{"irv", "standard", 10, 10},
		{"irv", "batch", 35, 3},
		{"two-round", "", 10, 3},
		{"two-round", "", 10, 10},
		{"coombs", "", 10, 3},
		{"coombs", "", 10, 10},
	} {
		name := fmt.Sprintf("%s/%s/%d-candidates/%d-ranks", bc.method, bc.variant, bc.n, bc.ranks)
		b.Run(name, func(b *testing.B) {
			p := elimBenchProfile(b, bc.n, bc.ranks, voters)
			m, err := voting.NewRegistry().Lookup(bc.method)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(p.Distinct()), "distinct")
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Run(voting.Input{Ranked: p}, voting.Options{Variant: bc.variant}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
