package ballotbox_test

import (
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/civickit/civickit/voting/ballotbox/ballotboxtest"
)

func TestNewServiceNilStore(t *testing.T) {
	_, err := ballotbox.NewService(nil, ballotbox.Options{Secret: ballotboxtest.Secret})
	assert.Error(t, err)
}

// A short secret is refused; no secret at all is accepted, and the
// elections that need one are refused (ballotboxtest's Secret scenarios).
func TestNewServiceSecret(t *testing.T) {
	st := storage.NewBallotBoxStore(storagetest.Open(t, storage.SQLite))
	_, err := ballotbox.NewService(st, ballotbox.Options{Secret: []byte("short secret")})
	assert.ErrorIs(t, err, civickit.ErrInvalid)
	assert.Equal(t, []civickit.FieldError{{Path: "secret", Rule: "min", Param: "32"}}, civickit.FieldErrors(err))
	_, err = ballotbox.NewService(st, ballotbox.Options{})
	assert.NoError(t, err)
	_, err = ballotbox.NewService(st, ballotbox.Options{Anonymity: -1})
	assert.Equal(t, []civickit.FieldError{{Path: "anonymity", Rule: "min", Param: "0"}}, civickit.FieldErrors(err))
}

// A restarted process with the same secret finds the census and the
// register of the elections the first one created, and answers a
// retried request with its receipt.
func TestServiceRestart(t *testing.T) {
	ctx := t.Context()
	st := storage.NewBallotBoxStore(storagetest.Open(t, storage.SQLite))
	clock := ballotboxtest.NewClock(ballotboxtest.During)
	first, err := ballotbox.NewService(st, ballotbox.Options{Now: clock.Now, Secret: ballotboxtest.Secret})
	require.NoError(t, err)
	e := ballotboxtest.NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive)
	e.Eligibility.Census = true
	require.NoError(t, first.CreateElection(ctx, e))
	_, err = first.LoadCensus(ctx, e.ID, []string{ballotboxtest.Voter(1).ID, ballotboxtest.Voter(2).ID})
	require.NoError(t, err)
	c := ballotbox.Cast{ElectionID: e.ID, Voter: ballotboxtest.Voter(1), Ballot: ballotboxtest.Ranked(0, 1), IdempotencyKey: "k"}
	r, err := first.Cast(ctx, c)
	require.NoError(t, err)

	again, err := ballotbox.NewService(st, ballotbox.Options{Now: clock.Now, Secret: ballotboxtest.Secret})
	require.NoError(t, err)
	replay, err := again.Cast(ctx, c)
	require.NoError(t, err, "a retry after the restart")
	assert.True(t, replay.Replayed)
	assert.Equal(t, r.Tracker, replay.Tracker)
	c.IdempotencyKey = "k2"
	_, err = again.Cast(ctx, c)
	assert.ErrorIs(t, err, ballotbox.ErrAlreadyVoted, "the register is found after the restart")
	_, err = again.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotboxtest.Voter(2), Ballot: ballotboxtest.Ranked(1)})
	assert.NoError(t, err, "the census is found after the restart")
}

// With Now, NewID-free elections and Rand injected, a service is exact:
// two runs give the same trackers and board.
func TestServiceDeterministic(t *testing.T) {
	run := func() []ballotbox.Receipt {
		st := storage.NewBallotBoxStore(storagetest.Open(t, storage.SQLite))
		clock := ballotboxtest.NewClock(ballotboxtest.During)
		svc, err := ballotbox.NewService(st, ballotbox.Options{Anonymity: 1, Now: clock.Now, Rand: rand.NewChaCha8([32]byte{7}),
			Secret: ballotboxtest.Secret})
		require.NoError(t, err)
		e := ballotboxtest.NewElection(ballotbox.RevoteLast, ballotbox.VisibleLive)
		e.ID = [16]byte{1}
		require.NoError(t, svc.CreateElection(t.Context(), e))
		var out []ballotbox.Receipt
		for i := range 6 {
			r, err := svc.Cast(t.Context(), ballotbox.Cast{ElectionID: e.ID, Voter: ballotboxtest.Voter(i % 4), Ballot: ballotboxtest.Full(i)})
			require.NoError(t, err)
			out = append(out, r)
		}
		return out
	}
	a, b := run(), run()
	assert.Equal(t, a, b)
	tracker := regexp.MustCompile(`^[a-z2-7]{4}(-[a-z2-7]{4}){5}-[a-z2-7]{2}$`)
	seen := map[string]bool{}
	for _, r := range a {
		assert.Regexp(t, tracker, r.Tracker)
		assert.False(t, seen[r.Tracker], "trackers are unique")
		seen[r.Tracker] = true
	}
	assert.Equal(t, a[0].Tracker, a[4].Replaces, "voter 0 revoted")
}
