package voting_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A lead of one vote is a lead however many voters there are: tallies of
// whole votes compare exactly (they compared within a relative 1e-9, so
// from about 10^9 ballots a one-vote lead became a tie and the tie policy,
// by candidate order here, elected the loser).
func TestOneVoteLeadAtScale(t *testing.T) {
	for _, base := range []int64{5, 500_000_000, 1 << 51} {
		p, err := voting.NewProfile([]string{"A", "B"}, voting.UnrankedLast)
		require.NoError(t, err)
		require.NoError(t, p.Add(voting.Ranking{{0}, {1}}, base))
		require.NoError(t, p.Add(voting.Ranking{{1}, {0}}, base+1))
		for _, m := range []string{"irv", "plurality", "borda", "coombs", "schulze", "ranked-pairs", "kemeny-young", "copeland", "bucklin", "baldwin", "nanson", "minimax"} {
			t.Run(fmt.Sprintf("%s/%d", m, base), func(t *testing.T) {
				method, err := voting.NewRegistry().Lookup(m)
				require.NoError(t, err)
				r, err := method.Run(voting.Input{Ranked: p}, voting.Options{})
				require.NoError(t, err)
				assert.Equal(t, []int{1}, r.Winners, "B leads by one vote")
			})
		}
	}
}

// Shares of tied first preferences (a third each) still add up to a tie.
func TestSharesStillTie(t *testing.T) {
	p, err := voting.NewProfile([]string{"A", "B", "C"}, voting.UnrankedLast)
	require.NoError(t, err)
	require.NoError(t, p.Add(voting.Ranking{{0, 1, 2}}, 3_000_000_001))
	method, err := voting.NewRegistry().Lookup("plurality")
	require.NoError(t, err)
	r, err := method.Run(voting.Input{Ranked: p}, voting.Options{})
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1, 2}, r.Winners)
}

func TestMaxVoters(t *testing.T) {
	p, err := voting.NewProfile([]string{"A", "B", "C"}, voting.UnrankedLast)
	require.NoError(t, err)
	require.NoError(t, p.Add(voting.Ranking{{0}, {1}, {2}}, voting.MaxVoters-1))
	err = p.Add(voting.Ranking{{1}}, 2)
	assert.ErrorIs(t, err, voting.ErrTooLarge)
	assert.ErrorIs(t, err, civickit.ErrTooLarge, "a kernel kind")
	err = p.Add(voting.Ranking{{1}}, math.MaxInt64)
	assert.ErrorIs(t, err, voting.ErrTooLarge, "no overflow into a negative total")
	assert.Equal(t, int64(voting.MaxVoters-1), p.Voters(), "refused ballots change nothing")
	require.NoError(t, p.Add(voting.Ranking{{2}, {1}}, 1))

	q, err := voting.NewProfile([]string{"A", "B", "C"}, voting.UnrankedLast)
	require.NoError(t, err)
	require.NoError(t, q.Add(voting.Ranking{{1}}, 1))
	assert.ErrorIs(t, p.Merge(q), voting.ErrTooLarge)

	c, err := voting.NewCardinalProfile([]string{"A", "B"}, voting.CardinalSpec{Kind: voting.Approval, Min: 0, Max: 1})
	require.NoError(t, err)
	require.NoError(t, c.Add([]int{1, 0}, voting.MaxVoters))
	assert.ErrorIs(t, c.Add([]int{0, 1}, 1), voting.ErrTooLarge)
}

// Every ranked method counts a profile at the voter limit without a
// panic: a result, or a refusal of a documented kind.
func TestEveryMethodAtMaxVoters(t *testing.T) {
	p, err := voting.NewProfile([]string{"A", "B", "C", "D"}, voting.UnrankedLast)
	require.NoError(t, err)
	require.NoError(t, p.Add(voting.Ranking{{0}, {1}, {2}, {3}}, voting.MaxVoters/2))
	require.NoError(t, p.Add(voting.Ranking{{3}, {2, 1}}, voting.MaxVoters/4))
	require.NoError(t, p.Add(voting.Ranking{{2}}, voting.MaxVoters/4))
	strict, err := voting.NewProfile([]string{"A", "B", "C", "D"}, voting.UnrankedLast)
	require.NoError(t, err)
	require.NoError(t, strict.Add(voting.Ranking{{0}, {1}, {2}, {3}}, voting.MaxVoters/3))
	require.NoError(t, strict.Add(voting.Ranking{{1}, {2}, {0}, {3}}, voting.MaxVoters/3))
	require.NoError(t, strict.Add(voting.Ranking{{2}, {0}, {1}, {3}}, voting.MaxVoters/3))
	for _, m := range voting.NewRegistry().Methods() {
		if m.Ballots != voting.RankedBallots {
			continue
		}
		for name, p := range map[string]*voting.Profile{"ties": p, "strict": strict} {
			t.Run(m.Name+"/"+name, func(t *testing.T) {
				o := voting.Options{}
				if m.Name == "positional" {
					o.Weights = []float64{2, 1}
				}
				r, err := m.Run(voting.Input{Ranked: p}, o)
				if err != nil {
					assert.True(t, errors.Is(err, voting.ErrTooLarge) || errors.Is(err, voting.ErrWrongBallots), "%v", err)
					return
				}
				assert.NotEmpty(t, r.Winners)
			})
		}
	}
}
