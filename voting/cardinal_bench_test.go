package voting_test

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/stretchr/testify/require"
)

// randomCardProfile returns a profile of voters ballots over n candidates,
// drawn as distinct ballots each cast count times, every value in [0, hi].
func randomCardProfile(b *testing.B, spec voting.CardinalSpec, n, hi int, distinct, count int64) *voting.CardinalProfile {
	b.Helper()
	names := make([]string, n)
	for i := range names {
		names[i] = "C" + strconv.Itoa(i)
	}
	p, err := voting.NewCardinalProfile(names, spec)
	require.NoError(b, err)
	rng := rand.New(rand.NewPCG(11, 12))
	scores := make([]int, n)
	for range distinct {
		for c := range scores {
			scores[c] = rng.IntN(hi + 1)
		}
		require.NoError(b, p.Add(scores, count))
	}
	return p
}

// Majority judgment, 10 candidates, 10^6 voters on six grades: all
// distinct ballots (about 10^6 of 6^10 possible), then 10^4 distinct
// ballots cast 100 times each. Counting is one pass over the distinct
// ballots to build histograms, then work on the histograms only.
func BenchmarkMajorityJudgment(b *testing.B) {
	spec := voting.CardinalSpec{Kind: voting.Graded, Scale: voting.DefaultGrades()}
	m, err := voting.NewRegistry().Lookup("majority-judgment")
	require.NoError(b, err)
	for _, shape := range []struct {
		name            string
		distinct, count int64
	}{
		{"voters=1e6/distinct=1e6", 1_000_000, 1},
		{"voters=1e6/distinct=1e4", 10_000, 100},
	} {
		p := randomCardProfile(b, spec, 10, 5, shape.distinct, shape.count)
		for _, variant := range []string{"gauge", "iterative"} {
			b.Run(shape.name+"/"+variant, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := m.Run(voting.Input{Cardinal: p}, voting.Options{Variant: variant}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// Score, STAR and approval on 10 candidates and 10^6 ballots (about 10^6
// distinct score ballots; approval ballots have at most 2^10 forms).
func BenchmarkCardinalMethods(b *testing.B) {
	reg := voting.NewRegistry()
	scores := randomCardProfile(b, voting.CardinalSpec{Kind: voting.Score, Max: 5}, 10, 5, 1_000_000, 1)
	approvals := randomCardProfile(b, voting.CardinalSpec{Kind: voting.Approval}, 10, 1, 1_000_000, 1)
	for _, tt := range []struct {
		method, variant string
		p               *voting.CardinalProfile
	}{
		{"score", "sum", scores},
		{"score", "average", scores},
		{"star", "", scores},
		{"approval", "", approvals},
	} {
		m, err := reg.Lookup(tt.method)
		require.NoError(b, err)
		b.Run(tt.method+"/"+tt.variant, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Run(voting.Input{Cardinal: tt.p}, voting.Options{Variant: tt.variant}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
