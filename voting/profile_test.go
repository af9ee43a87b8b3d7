package voting_test

import (
	"errors"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProfile(t *testing.T) {
	p, err := voting.NewProfile([]string{"A", "B", "C"}, voting.UnrankedLast)
	require.NoError(t, err)
	require.NoError(t, p.Add(voting.Ranking{{0}, {1}, {2}}, 3))
	require.NoError(t, p.Add(voting.Ranking{{0}, {1}, {2}}, 2))
	require.NoError(t, p.Add(voting.Ranking{{2, 1}, {0}}, 1))
	require.NoError(t, p.Add(voting.Ranking{{1, 2}, {0}}, 1), "the same tie written in another order")
	assert.Equal(t, int64(7), p.Voters())
	assert.Equal(t, 2, p.Distinct(), "memory grows with distinct ballots")

	bad := []struct {
		r    voting.Ranking
		n    int64
		rule string
	}{
		{voting.Ranking{{0}, {0}}, 1, "duplicate"},
		{voting.Ranking{{0}, {3}}, 1, "unknown_candidate"},
		{voting.Ranking{{0}, {}}, 1, "empty_group"},
		{voting.Ranking{{0}}, 0, "count"},
	}
	for _, b := range bad {
		err := p.Add(b.r, b.n)
		var be *voting.BallotError
		require.ErrorAs(t, err, &be)
		assert.Equal(t, b.rule, be.Rule)
		assert.ErrorIs(t, err, voting.ErrInvalidBallot)
	}
	assert.Equal(t, int64(7), p.Voters(), "refused ballots change nothing")

	_, err = voting.NewProfile([]string{"A", "A"}, voting.UnrankedLast)
	assert.ErrorIs(t, err, voting.ErrInvalidProfile)
	_, err = voting.NewProfile(nil, voting.UnrankedLast)
	assert.ErrorIs(t, err, voting.ErrInvalidProfile)
}

func TestProfileMerge(t *testing.T) {
	web, _ := voting.NewProfile([]string{"A", "B"}, voting.UnrankedLast)
	paper, _ := voting.NewProfile([]string{"A", "B"}, voting.UnrankedLast)
	require.NoError(t, web.Add(voting.Ranking{{0}, {1}}, 10))
	require.NoError(t, paper.Add(voting.Ranking{{0}, {1}}, 4))
	require.NoError(t, paper.Add(voting.Ranking{{1}}, 5))
	require.NoError(t, web.Merge(paper))
	assert.Equal(t, int64(19), web.Voters())
	assert.Equal(t, 2, web.Distinct())
	assert.Equal(t, int64(14), web.Pairwise().M[0][1])

	other, _ := voting.NewProfile([]string{"B", "A"}, voting.UnrankedLast)
	assert.ErrorIs(t, web.Merge(other), voting.ErrInvalidProfile)
	skip, _ := voting.NewProfile([]string{"A", "B"}, voting.UnrankedSkip)
	assert.ErrorIs(t, web.Merge(skip), voting.ErrInvalidProfile)
}

func TestPairwiseUnrankedPolicy(t *testing.T) {
	for _, tt := range []struct {
		policy voting.UnrankedPolicy
		aOverC int64
		cOverA int64
		bOverC int64
	}{
		{voting.UnrankedLast, 2, 0, 2}, // C unranked on both ballots: below A and B
		{voting.UnrankedSkip, 0, 0, 0}, // C compared with no one
	} {
		t.Run(tt.policy.String(), func(t *testing.T) {
			p, _ := voting.NewProfile([]string{"A", "B", "C"}, tt.policy)
			require.NoError(t, p.Add(voting.Ranking{{0}, {1}}, 1))
			require.NoError(t, p.Add(voting.Ranking{{1, 0}}, 1))
			m := p.Pairwise()
			assert.Equal(t, tt.aOverC, m.M[0][2])
			assert.Equal(t, tt.cOverA, m.M[2][0])
			assert.Equal(t, tt.bOverC, m.M[1][2], "B over C")
			assert.Equal(t, int64(1), m.M[0][1], "A over B once; the tie counts for neither")
			assert.Equal(t, int64(0), m.M[1][0])
		})
	}
}

func TestPairwiseTennessee(t *testing.T) {
	e := readElections(t, "tennessee.txt", voting.UnrankedLast)[0]
	m := e.Profile.Pairwise()
	// Memphis 0, Nashville 1, Chattanooga 2, Knoxville 3 (order of appearance).
	assert.Equal(t, int64(42), m.M[0][1])
	assert.Equal(t, int64(58), m.M[1][0])
	assert.Equal(t, int64(68), m.M[1][2])
	assert.Equal(t, int64(83), m.M[2][3])
	assert.Equal(t, 1, m.CondorcetWinner(), "Nashville")
	assert.Equal(t, 0, m.CondorcetLoser(), "Memphis")
	for i := range m.N {
		for j := range m.N {
			if i != j {
				assert.Equal(t, e.Profile.Voters(), m.M[i][j]+m.M[j][i], "complete ballots: every voter compares every pair")
			}
		}
	}
}

func TestRestrict(t *testing.T) {
	p, _ := voting.NewProfile([]string{"A", "B", "C"}, voting.UnrankedLast)
	require.NoError(t, p.Add(voting.Ranking{{0}, {1}, {2}}, 2))
	require.NoError(t, p.Add(voting.Ranking{{0}}, 3))
	require.NoError(t, p.Add(voting.Ranking{{2, 0}, {1}}, 1))
	q, err := p.Restrict([]int{2, 1}) // drop A
	require.NoError(t, err)
	assert.Equal(t, []string{"C", "B"}, q.Candidates())
	assert.Equal(t, int64(6), q.Voters(), "emptied ballots still count as voters")
	got := map[string]int64{}
	for r, n := range q.Ballots() {
		got[rankingNames(q, r)] += n
	}
	assert.Equal(t, map[string]int64{"B > C": 2, "C > B": 1}, got)
	_, err = p.Restrict([]int{0, 0})
	assert.True(t, errors.Is(err, voting.ErrInvalidProfile))
}
