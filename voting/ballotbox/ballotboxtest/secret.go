package ballotboxtest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/voting/ballotbox"
)

// testSecret checks what runs without Options.Secret, and that a retry
// after a restart (a new Service over the same store) returns the first
// receipt whatever the configuration.
func (s *suite) testSecret(t *testing.T) {
	t.Run("RetryAfterRestart", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			opts   ballotbox.Options
			revote ballotbox.RevotePolicy
		}{
			{"NoSecret", ballotbox.Options{Anonymity: 1}, ballotbox.RevoteNone},
			{"Secret", ballotbox.Options{Secret: Secret, Anonymity: 1}, ballotbox.RevoteLast},
		} {
			t.Run(tc.name, func(t *testing.T) {
				v := s.env(t)
				restart := func() *ballotbox.Service {
					opts := tc.opts
					opts.Now = v.clock.Now
					svc, err := ballotbox.NewService(v.st, opts)
					require.NoError(t, err)
					return svc
				}
				svc := restart()
				e := NewElection(tc.revote, ballotbox.VisibleLive)
				require.NoError(t, svc.CreateElection(v.ctx, e))
				_, err := svc.LoadCensus(v.ctx, e.ID, []string{Voter(1).ID})
				require.NoError(t, err)
				c := ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Ranked(0, 1), IdempotencyKey: "k-1"}
				first, err := svc.Cast(v.ctx, c)
				require.NoError(t, err)
				snap := snapshot(t, v, e.ID)

				again, err := restart().Cast(v.ctx, c)
				require.NoError(t, err, "a retry after a restart returns its receipt")
				assert.True(t, again.Replayed)
				again.Replayed = false
				assert.Equal(t, first, again)
				assert.Equal(t, snap, snapshot(t, v, e.ID), "a replay writes nothing")

				c.Ballot = Ranked(1, 0)
				_, err = restart().Cast(v.ctx, c)
				assert.ErrorIs(t, err, ballotbox.ErrConflict, "the same key with another ballot")
				ok, err := restart().VoterKey(v.ctx, e.ID, Voter(1).ID)
				require.NoError(t, err)
				in, err := v.st.InCensus(v.ctx, e.ID, ok)
				require.NoError(t, err)
				assert.True(t, in, "the census keys stay valid after a restart")
			})
		}
	})
	t.Run("RefusedWithoutSecret", func(t *testing.T) {
		v := s.env(t)
		noSecret := func(k int) *ballotbox.Service {
			svc, err := ballotbox.NewService(v.st, ballotbox.Options{Now: v.clock.Now, Anonymity: k})
			require.NoError(t, err)
			return svc
		}
		for _, tc := range []struct {
			name   string
			k      int
			revote ballotbox.RevotePolicy
		}{
			{"RevoteLast", 1, ballotbox.RevoteLast},
			{"AnonymitySet", 0, ballotbox.RevoteNone},
		} {
			t.Run(tc.name, func(t *testing.T) {
				svc := noSecret(tc.k)
				e := NewElection(tc.revote, ballotbox.VisibleLive)
				assert.NotEmpty(t, svc.NeedsSecret(e))
				err := svc.CreateElection(v.ctx, e)
				assert.ErrorIs(t, err, ballotbox.ErrSecretRequired)
				assert.ErrorContains(t, err, "Options.Secret")
			})
		}
		// An election created under a secret is refused to a Service
		// without one (its voter keys need the secret), before anything
		// is written.
		e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
		snap := snapshot(t, v, e.ID)
		_, err := noSecret(1).Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Ranked(0)})
		assert.ErrorIs(t, err, ballotbox.ErrSecretRequired)
		assert.Equal(t, snap, snapshot(t, v, e.ID))
		// Without revoting nor anonymity set, no secret is needed.
		free := NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive)
		assert.Empty(t, noSecret(1).NeedsSecret(free))
		require.NoError(t, noSecret(1).CreateElection(v.ctx, free))
		_, err = noSecret(1).Cast(v.ctx, ballotbox.Cast{ElectionID: free.ID, Voter: Voter(1), Ballot: Ranked(0)})
		assert.NoError(t, err)
	})
}
