package voting_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/voting"
)

func TestProfileBallot(t *testing.T) {
	p, err := voting.NewProfile([]string{"A", "B", "C", "D"}, voting.UnrankedLast)
	require.NoError(t, err)
	for _, b := range []struct {
		r voting.Ranking
		n int64
	}{
		{voting.Ranking{{2}, {0, 3}}, 3},
		{voting.Ranking{{1}, {0}, {2}, {3}}, 1},
		{voting.Ranking{{2}, {0, 3}}, 2},
		{voting.Ranking{{3, 1}}, 5},
	} {
		require.NoError(t, p.Add(b.r, b.n))
	}
	require.Equal(t, 3, p.Distinct())
	i := 0
	for r, n := range p.Ballots() {
		got, count := p.Ballot(i)
		assert.Equal(t, r, got, "ballot %d", i)
		assert.Equal(t, n, count, "ballot %d", i)
		i++
	}
	r, n := p.Ballot(2)
	assert.Equal(t, voting.Ranking{{1, 3}}, r)
	assert.Equal(t, int64(5), n)
}
