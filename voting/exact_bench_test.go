package voting_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/civickit/civickit/voting"
)

// exactBenchProfile draws voters complete strict rankings around a seeded
// reference order (each voter swaps a few random neighbours), so that the
// profile has many distinct ballots but a structure, like real elections.
func exactBenchProfile(b *testing.B, n, voters int, seed uint64) *voting.Profile {
	b.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	cands := make([]string, n)
	for i := range cands {
		cands[i] = fmt.Sprintf("c%02d", i)
	}
	p, err := voting.NewProfile(cands, voting.UnrankedLast)
	if err != nil {
		b.Fatal(err)
	}
	ref := rng.Perm(n)
	for range voters {
		order := append([]int(nil), ref...)
		for range 2 * n {
			i := rng.IntN(n - 1)
			order[i], order[i+1] = order[i+1], order[i]
		}
		r := make(voting.Ranking, n)
		for i, c := range order {
			r[i] = []int{c}
		}
		if err := p.Add(r, 1); err != nil {
			b.Fatal(err)
		}
	}
	return p
}

func exactBenchRun(b *testing.B, method, variant string, p *voting.Profile) {
	m, err := voting.NewRegistry().Lookup(method)
	if err != nil {
		b.Fatal(err)
	}
	in, o := voting.Input{Ranked: p}, voting.Options{Variant: variant}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Run(in, o); err != nil {
			b.Fatal(err)
		}
	}
}

// Kemeny–Young is exponential in the candidates only: the pairwise matrix
// is built once, then 2^n·n steps.
func BenchmarkKemenyYoung(b *testing.B) {
	for _, n := range []int{8, 11, 15, 20} {
		p := exactBenchProfile(b, n, 1000, 11)
		b.Run(fmt.Sprintf("candidates=%d/voters=1000/distinct=%d", n, p.Distinct()), func(b *testing.B) { exactBenchRun(b, "kemeny-young", "", p) })
	}
}

func BenchmarkSlater(b *testing.B) {
	p := exactBenchProfile(b, 15, 1000, 12)
	exactBenchRun(b, "slater", "", p)
}

// Dodgson and Young solve one integer programme per candidate; their cost
// grows with the distinct ballots and the swaps needed, not the voters.
// (Dodgson with 8 candidates and 1000 voters, 737 distinct ballots here,
// exceeds the default max_work.)
func BenchmarkDodgsonExact(b *testing.B) {
	for _, tt := range []struct{ n, voters int }{{5, 1000}, {8, 200}} {
		p := exactBenchProfile(b, tt.n, tt.voters, 13)
		b.Run(fmt.Sprintf("candidates=%d/voters=%d/distinct=%d", tt.n, tt.voters, p.Distinct()), func(b *testing.B) { exactBenchRun(b, "dodgson", "exact", p) })
	}
}

func BenchmarkYoung(b *testing.B) {
	for _, n := range []int{5, 8} {
		p := exactBenchProfile(b, n, 1000, 14)
		b.Run(fmt.Sprintf("candidates=%d/voters=1000/distinct=%d", n, p.Distinct()), func(b *testing.B) { exactBenchRun(b, "young", "strict", p) })
	}
}
