package voting_test

import (
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func run(t *testing.T, method string, p *voting.Profile, o voting.Options) *voting.Result {
	t.Helper()
	m, err := voting.NewRegistry().Lookup(method)
	require.NoError(t, err)
	r, err := m.Run(voting.Input{Ranked: p}, o)
	require.NoError(t, err)
	return r
}

func TestPositionalTennessee(t *testing.T) {
	p := readElections(t, "tennessee.txt", voting.UnrankedLast)[0].Profile
	// Memphis, Nashville, Chattanooga, Knoxville.
	tests := []struct {
		method  string
		o       voting.Options
		scores  []float64
		ranking string
	}{
		{"plurality", voting.Options{}, []float64{42, 26, 15, 17}, "Memphis > Nashville > Knoxville > Chattanooga"},
		// 3·first + 2·second + 1·third, counted by hand from the four ballot types.
		{"borda", voting.Options{}, []float64{126, 194, 173, 107}, "Nashville > Chattanooga > Memphis > Knoxville"},
		{"anti-plurality", voting.Options{}, []float64{-58, 0, 0, -42}, "Nashville = Chattanooga > Knoxville > Memphis"},
		{"dowdall", voting.Options{}, []float64{42 + 0.25*58, 42.0/2 + 26 + (15+17)/3.0, 42.0/3 + 26.0/2 + 15 + 17.0/2, 42.0/4 + 26.0/3 + 15.0/2 + 17}, ""},
		{"positional", voting.Options{Weights: []float64{2, 1}}, []float64{84, 42 + 52, 26 + 30 + 17, 15 + 34}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			r := run(t, tt.method, p, tt.o)
			assert.InDeltaSlice(t, tt.scores, r.Scores, 1e-9)
			if tt.ranking != "" {
				assert.Equal(t, tt.ranking, rankingNames(p, r.Ranking))
			}
			assert.Equal(t, int64(100), r.Ballots)
			assert.Equal(t, tt.method, r.Method)
		})
	}
	r := run(t, "anti-plurality", p, voting.Options{})
	assert.Equal(t, []int{1, 2}, r.Winners, "Nashville and Chattanooga are never last")
	assert.Equal(t, []int{1}, r.Elected, "candidate order breaks the tie")
	assert.True(t, r.Tied())
	assert.Equal(t, "candidate-order", r.TieBreak)
}

// Truncated ballots: 2 voters rank A > B, 1 ranks C only, out of A, B, C, D.
func TestBordaTruncation(t *testing.T) {
	p, _ := voting.NewProfile([]string{"A", "B", "C", "D"}, voting.UnrankedLast)
	require.NoError(t, p.Add(voting.Ranking{{0}, {1}}, 2))
	require.NoError(t, p.Add(voting.Ranking{{2}}, 1))
	for _, tt := range []struct {
		variant string
		scores  []float64
	}{
		// Unranked share the places left: C, D share 1 and 0 on A > B ballots.
		{"average", []float64{2*3 + 1, 2*2 + 1, 2*0.5 + 3, 2*0.5 + 1}},
		// Unranked get nothing; ranked score as on a full ballot.
		{"pessimistic", []float64{6, 4, 3, 0}},
		// Emerson: k ranked → k, k-1, … 1.
		{"modified", []float64{4, 2, 1, 0}},
	} {
		t.Run(tt.variant, func(t *testing.T) {
			r := run(t, "borda", p, voting.Options{Variant: tt.variant})
			assert.InDeltaSlice(t, tt.scores, r.Scores, 1e-9)
			assert.Equal(t, tt.variant, r.Variant)
		})
	}
	// Skip: unranked candidates get no share under "average".
	q, _ := voting.NewProfile([]string{"A", "B", "C", "D"}, voting.UnrankedSkip)
	require.NoError(t, q.Merge(mustRecast(t, p, voting.UnrankedSkip)))
	r := run(t, "borda", q, voting.Options{})
	assert.InDeltaSlice(t, []float64{6, 4, 3, 0}, r.Scores, 1e-9)
}

func mustRecast(t *testing.T, p *voting.Profile, policy voting.UnrankedPolicy) *voting.Profile {
	t.Helper()
	q, err := voting.NewProfile(p.Candidates(), policy)
	require.NoError(t, err)
	for r, n := range p.Ballots() {
		require.NoError(t, q.Add(r, n))
	}
	return q
}

func TestTiedGroupsShare(t *testing.T) {
	p, _ := voting.NewProfile([]string{"A", "B", "C"}, voting.UnrankedLast)
	require.NoError(t, p.Add(voting.Ranking{{0, 1}, {2}}, 2))
	r := run(t, "plurality", p, voting.Options{})
	assert.Equal(t, []float64{1, 1, 0}, r.Scores, "a tied first place splits the vote")
	r = run(t, "borda", p, voting.Options{})
	assert.Equal(t, []float64{3, 3, 0}, r.Scores)
}

func TestRegistry(t *testing.T) {
	reg := voting.NewRegistry()
	for _, m := range reg.Methods() {
		assert.NotEmpty(t, m.Title, m.Name)
		assert.NotEmpty(t, m.Description, m.Name)
		assert.NotEmpty(t, m.Source, m.Name)
		assert.Regexp(t, `^[a-z0-9]+(-[a-z0-9]+)*$`, m.Name)
	}
	_, err := reg.Lookup("no-such-method")
	assert.ErrorIs(t, err, voting.ErrUnknownMethod)
	m, _ := reg.Lookup("borda")
	p, _ := voting.NewProfile([]string{"A", "B"}, voting.UnrankedLast)
	require.NoError(t, p.Add(voting.Ranking{{0}}, 1))
	_, err = m.Run(voting.Input{Ranked: p}, voting.Options{Variant: "nope"})
	assert.ErrorIs(t, err, voting.ErrInvalidOption)
	_, err = m.Run(voting.Input{Ranked: p}, voting.Options{Params: map[string]float64{"x": 1}})
	assert.ErrorIs(t, err, voting.ErrInvalidOption)
	_, err = m.Run(voting.Input{}, voting.Options{})
	assert.ErrorIs(t, err, voting.ErrWrongBallots)
	assert.Error(t, reg.Register(m), "a name is registered once")
	pos, _ := reg.Lookup("positional")
	_, err = pos.Run(voting.Input{Ranked: p}, voting.Options{})
	assert.ErrorIs(t, err, voting.ErrInvalidOption, "positional needs weights")
}
