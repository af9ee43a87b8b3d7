package voting_test

import (
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/stretchr/testify/assert"
)

func TestTiePolicies(t *testing.T) {
	names := []string{"A", "B", "C", "D"}
	rounds := []voting.Round{
		{Counts: []float64{5, 5, 3, 5}},
		{Counts: []float64{6, 7, 3, 6}},
		{Counts: []float64{8, 8, 0, 9}},
	}
	ctx := voting.TieContext{Rounds: rounds, Candidates: names}
	tied := []int{3, 0, 1}

	order, name := voting.Resolve(voting.CandidateOrder(), tied, ctx)
	assert.Equal(t, []int{0, 1, 3}, order)
	assert.Equal(t, "candidate-order", name)

	// Forward: round 1 leaves all three tied; round 2 puts B (7) before
	// A and D (6); round 3 puts D (9) before A (8).
	assert.Equal(t, [][]int{{1}, {3}, {0}}, voting.Forward().Order(tied, ctx))
	order, _ = voting.Resolve(voting.Forward(), tied, ctx)
	assert.Equal(t, []int{1, 3, 0}, order)

	// Backward: round 3 puts D (9) before A and B (8); round 2 puts B (7)
	// before A (6).
	assert.Equal(t, [][]int{{3}, {1}, {0}}, voting.Backward().Order(tied, ctx))

	// Backward then lot: backward separates everyone, the lot is not drawn.
	order, name = voting.Resolve(voting.Chain(voting.Backward(), voting.Lot(42)), tied, ctx)
	assert.Equal(t, []int{3, 1, 0}, order)
	assert.Equal(t, "backward then lot(seed=42)", name)

	// A tie no round separates falls to the lot, reproducibly.
	flat := voting.TieContext{Rounds: []voting.Round{{Counts: []float64{1, 1, 1, 1}}}, Candidates: names}
	a, _ := voting.Resolve(voting.Chain(voting.Forward(), voting.Lot(7)), []int{0, 1, 2, 3}, flat)
	b, _ := voting.Resolve(voting.Lot(7), []int{0, 1, 2, 3}, flat)
	assert.Equal(t, a, b, "same seed, same draw")
	assert.ElementsMatch(t, []int{0, 1, 2, 3}, a)
	differs := false
	for seed := uint64(0); seed < 20 && !differs; seed++ {
		c, _ := voting.Resolve(voting.Lot(seed), []int{0, 1, 2, 3}, flat)
		differs = c[0] != a[0]
	}
	assert.True(t, differs, "the seed changes the draw")

	// A policy that cannot decide falls back to candidate order, and says so.
	order, name = voting.Resolve(voting.Forward(), []int{3, 0}, flat)
	assert.Equal(t, []int{0, 3}, order)
	assert.Equal(t, "forward then candidate-order", name)

	custom := voting.TieFunc("reverse", func(tied []int, _ voting.TieContext) [][]int {
		out := make([][]int, len(tied))
		for i, c := range tied {
			out[len(tied)-1-i] = []int{c}
		}
		return out
	})
	order, name = voting.Resolve(custom, []int{0, 1, 2}, flat)
	assert.Equal(t, []int{2, 1, 0}, order)
	assert.Equal(t, "reverse", name)
}
