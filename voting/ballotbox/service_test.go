package ballotbox_test

import (
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/civickit/civickit/voting/ballotbox/ballotboxtest"
)

func TestNewServiceNilStore(t *testing.T) {
	_, err := ballotbox.NewService(nil, ballotbox.Options{})
	assert.Error(t, err)
}

// With Now, NewID-free elections and Rand injected, a service is exact:
// two runs give the same trackers and board.
func TestServiceDeterministic(t *testing.T) {
	run := func() []ballotbox.Receipt {
		st := storage.NewBallotBoxStore(storagetest.Open(t, storage.SQLite))
		clock := ballotboxtest.NewClock(ballotboxtest.During)
		svc, err := ballotbox.NewService(st, ballotbox.Options{Now: clock.Now, Rand: rand.NewChaCha8([32]byte{7}),
			Secret: []byte("secret")})
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
