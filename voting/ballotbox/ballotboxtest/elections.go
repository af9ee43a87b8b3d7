package ballotboxtest

import (
	"github.com/civickit/civickit"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/voting/ballotbox"
)

func (s *suite) testElections(t *testing.T) {
	t.Run("RoundTrip", func(t *testing.T) {
		v := s.env(t)
		e := NewElection(ballotbox.RevoteLast, ballotbox.VisibleAfterVote)
		e.Eligibility = ballotbox.Eligibility{Census: true, Territories: []string{"75056", "69123"}, MinimumAge: 16,
			Assurance: civickit.AssuranceSubstantial}
		e.Questions[0].MaxRanks = 3
		e.Questions[2].Params = nil
		v.election(t, e)
		assert.Equal(t, 1, e.Version)
		got, err := v.svc.Election(v.ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, e.Public(), got.Public())
		assert.Equal(t, e.Eligibility, got.Eligibility)
		assert.Nil(t, got.ClosedAt)
		assert.Equal(t, e.Description, got.Description)
		salt, err := v.st.ElectionSalt(v.ctx, e.ID)
		require.NoError(t, err)
		assert.Len(t, salt.Salt, civickit.SaltSize, "a random salt, stored apart")
		assert.Len(t, salt.SecretCheck, 64, "keys are keyed by the service's secret")
		other := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
		otherSalt, err := v.st.ElectionSalt(v.ctx, other.ID)
		require.NoError(t, err)
		assert.NotEqual(t, salt, otherSalt, "one salt per election")
		assert.Equal(t, 1, got.Version)
		assert.True(t, e.CreatedAt.Equal(got.CreatedAt))
		h, err := v.st.Head(v.ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, ballotbox.Head{Hash: ballotbox.GenesisHash(e.Public())}, h)
	})
	t.Run("NotFound", func(t *testing.T) {
		v := s.env(t)
		_, err := v.svc.Election(v.ctx, uuid.New())
		assert.ErrorIs(t, err, ballotbox.ErrNotFound)
		_, err = v.st.Head(v.ctx, uuid.New())
		assert.ErrorIs(t, err, ballotbox.ErrNotFound)
		_, err = v.st.ElectionSalt(v.ctx, uuid.New())
		assert.ErrorIs(t, err, ballotbox.ErrNotFound)
		_, err = v.svc.VoterKey(v.ctx, uuid.New(), "AB1234")
		assert.ErrorIs(t, err, ballotbox.ErrNotFound)
		e := NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive)
		e.ID = uuid.New()
		assert.ErrorIs(t, v.svc.UpdateElection(v.ctx, e), ballotbox.ErrNotFound)
	})
	t.Run("DuplicateID", func(t *testing.T) {
		v := s.env(t)
		e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
		again := NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive)
		again.ID = e.ID
		assert.ErrorIs(t, v.svc.CreateElection(v.ctx, again), ballotbox.ErrConflict)
	})
	t.Run("Invalid", func(t *testing.T) {
		v := s.env(t)
		e := NewElection("sometimes", ballotbox.VisibleLive)
		e.Questions[0].Method = "dictator"
		err := v.svc.CreateElection(v.ctx, e)
		var ve *civickit.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.ErrorIs(t, err, civickit.ErrInvalid)
		assert.Contains(t, ve.Fields, civickit.FieldError{Path: "revote", Rule: "oneof", Param: "first last"})
		assert.Contains(t, ve.Fields, civickit.FieldError{Path: "questions[0].method", Rule: "unknown_method", Param: "dictator"})
	})
	t.Run("UpdateBeforeOpening", func(t *testing.T) {
		v := s.env(t)
		v.clock.Set(Opens.Add(-time.Hour))
		e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleAfterClose))
		stale := *e
		e.Title = "Budget participatif 2026 (v2)"
		e.Visibility = ballotbox.VisibleLive
		require.NoError(t, v.svc.UpdateElection(v.ctx, e))
		assert.Equal(t, 2, e.Version)
		h, err := v.st.Head(v.ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, ballotbox.GenesisHash(e.Public()), h.Hash, "an empty board follows the definition")
		stale.Description = "stale"
		assert.ErrorIs(t, v.svc.UpdateElection(v.ctx, &stale), ballotbox.ErrConflict)
		got, err := v.svc.Election(v.ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, e.Title, got.Title)
	})
	t.Run("FrozenOnceOpen", func(t *testing.T) {
		v := s.env(t)
		e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleAfterClose))
		for _, tc := range []struct {
			name   string
			change func(e *ballotbox.Election)
			field  string
			rule   string
		}{
			{"Loosen", func(e *ballotbox.Election) { e.Visibility = ballotbox.VisibleLive }, "visibility", "loosen"},
			{"LoosenToAfterVote", func(e *ballotbox.Election) { e.Visibility = ballotbox.VisibleAfterVote }, "visibility", "loosen"},
			{"Candidates", func(e *ballotbox.Election) { e.Questions[0].Candidates[3] = "Eve" }, "questions", "frozen"},
			{"Closes", func(e *ballotbox.Election) { e.Closes = e.Closes.Add(time.Hour) }, "closes", "frozen"},
			{"Revote", func(e *ballotbox.Election) { e.Revote = ballotbox.RevoteLast }, "revote", "frozen"},
			{"Eligibility", func(e *ballotbox.Election) { e.Eligibility.MinimumAge = 18 }, "eligibility", "frozen"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c, err := v.svc.Election(v.ctx, e.ID)
				require.NoError(t, err)
				tc.change(c)
				err = v.svc.UpdateElection(v.ctx, c)
				assertField(t, err, tc.field, tc.rule)
			})
		}
		c, err := v.svc.Election(v.ctx, e.ID)
		require.NoError(t, err)
		c.Description = "Mis à jour"
		require.NoError(t, v.svc.UpdateElection(v.ctx, c), "the description may change")
	})
	t.Run("StoreRefusesPublicChangeOnceBoardHoldsEntries", func(t *testing.T) {
		v := s.env(t)
		e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
		_, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Ranked(0, 1)})
		require.NoError(t, err)
		c, err := v.st.GetElection(v.ctx, e.ID)
		require.NoError(t, err)
		c.Title = "Autre"
		assert.ErrorIs(t, v.st.UpdateElection(v.ctx, c), ballotbox.ErrConflict)
	})
}

func (s *suite) testCensus(t *testing.T) {
	v := s.env(t)
	e := NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive)
	e.Eligibility.Census = true
	v.election(t, e)
	n, err := v.svc.LoadCensus(v.ctx, e.ID, []string{"ab 12-34", "CD5678", "ef9012"})
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	n, err = v.svc.LoadCensus(v.ctx, e.ID, []string{"AB1234", "GH3456"})
	require.NoError(t, err)
	assert.Equal(t, 1, n, "AB1234 is ab 12-34 normalised: already there")
	// "ＡＢ１２３４" is AB1234 in full-width forms (NFKC).
	for id, want := range map[string]bool{"AB1234": true, "ab-12 34": true, "ＡＢ１２３４": true, "CD5678": true, "GH3456": true, "ZZ0000": false} {
		ok, err := v.st.InCensus(v.ctx, e.ID, v.key(t, e, id))
		require.NoError(t, err)
		assert.Equal(t, want, ok, id)
	}
	other := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
	ok, err := v.st.InCensus(v.ctx, other.ID, v.key(t, e, "AB1234"))
	require.NoError(t, err)
	assert.False(t, ok, "a census belongs to one election")
	assert.NotEqual(t, v.key(t, e, "AB1234"), v.key(t, other, "AB1234"), "keys are salted per election")

	// The keys are the kernel's identity keys, keyed by the secret: the
	// salt alone (a copy of the database) does not compute them.
	salt, err := v.st.ElectionSalt(v.ctx, e.ID)
	require.NoError(t, err)
	k, ok := ballotbox.VoterKeyOf(civickit.Hasher{Secret: Secret}, salt.Salt, e.ID, "ab 12-34")
	require.True(t, ok)
	assert.Equal(t, v.key(t, e, "AB1234"), k)
	unkeyed, _ := ballotbox.VoterKeyOf(civickit.Hasher{}, salt.Salt, e.ID, "AB1234")
	ok, err = v.st.InCensus(v.ctx, e.ID, unkeyed)
	require.NoError(t, err)
	assert.False(t, ok, "the salt without the secret finds no one")
	_, err = v.svc.LoadCensus(v.ctx, e.ID, []string{"OK1", " - "})
	var ve *civickit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []civickit.FieldError{{Path: "ids[1]", Rule: "required"}}, ve.Fields)
	_, err = v.st.AddCensus(v.ctx, uuid.New(), []ballotbox.VoterKey{"00"})
	assert.ErrorIs(t, err, ballotbox.ErrNotFound)
	_, err = v.svc.LoadCensus(v.ctx, uuid.New(), []string{"AB1234"})
	assert.ErrorIs(t, err, ballotbox.ErrNotFound)
}

// assertField checks that err is a *ValidationError naming field and rule.
func assertField(t *testing.T, err error, field, rule string) bool {
	t.Helper()
	var ve *civickit.ValidationError
	if !assert.ErrorAs(t, err, &ve) {
		return false
	}
	for _, f := range ve.Fields {
		if f.Path == field && f.Rule == rule {
			return true
		}
	}
	return assert.Fail(t, "missing field error", "want %s: %s in %v", field, rule, ve.Fields)
}
