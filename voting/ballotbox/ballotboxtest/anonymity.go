package ballotboxtest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting/ballotbox"
)

// anonEnv is an env whose service queues casts with an anonymity set of k.
func (s *suite) anonEnv(t *testing.T, k int) (*env, func() *ballotbox.Service) {
	t.Helper()
	v := s.env(t)
	restart := func() *ballotbox.Service {
		svc, err := ballotbox.NewService(v.st, ballotbox.Options{Now: v.clock.Now, Secret: Secret, Anonymity: k})
		require.NoError(t, err)
		return svc
	}
	v.svc = restart()
	return v, restart
}

func (s *suite) head(t *testing.T, v *env, e *ballotbox.Election) int64 {
	t.Helper()
	h, err := v.st.Head(v.ctx, e.ID)
	require.NoError(t, err)
	return h.Entries
}

// testAnonymity checks casting with an anonymity set (Options.Anonymity):
// acknowledgement once queued, batches of at least k, the same
// exactly-once contract, receipts and replays, and a complete board once
// the election is closed.
func (s *suite) testAnonymity(t *testing.T) {
	t.Run("HeldUntilTwoK", func(t *testing.T) {
		const k = 5
		v, _ := s.anonEnv(t, k)
		e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
		for i := range 2*k - 1 {
			r, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(i), Ballot: Full(i)})
			require.NoError(t, err)
			assert.True(t, r.Queued, "cast %d is held", i)
			assert.EqualValues(t, -1, r.Index)
		}
		assert.Zero(t, s.head(t, v, e), "fewer than 2k queued: nothing on the board")
		n, err := v.st.CountVoters(v.ctx, e.ID)
		require.NoError(t, err)
		assert.EqualValues(t, 2*k-1, n, "the register marks every acknowledged voter at once")
		_, err = v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Full(1)})
		assert.ErrorIs(t, err, ballotbox.ErrAlreadyVoted, "exactly once while queued")

		_, err = v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(2*k - 1), Ballot: Full(0)})
		require.NoError(t, err)
		assert.EqualValues(t, k, s.head(t, v, e), "2k queued: a batch of all but the k newest")
		q, _, err := v.st.Queued(v.ctx, e.ID, 0)
		require.NoError(t, err)
		assert.EqualValues(t, k, q)

		_, err = v.svc.CloseNow(v.ctx, e.ID)
		require.NoError(t, err)
		assert.EqualValues(t, 2*k, s.head(t, v, e), "the close appends the last batch")
		checkChain(t, v, e)
		assertLiveEqualsRecount(t, v, e)
	})
	t.Run("LowTrafficWaitsForTheClose", func(t *testing.T) {
		v, _ := s.anonEnv(t, 20)
		e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
		var trackers []string
		for i := range 3 {
			r, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(i), Ballot: Full(i)})
			require.NoError(t, err)
			trackers = append(trackers, r.Tracker)
		}
		assert.Zero(t, s.head(t, v, e))
		v.clock.Set(After) // closed by time: the reads settle the queue
		for _, tr := range trackers {
			chk, err := v.svc.CheckReceipt(v.ctx, e.ID, tr)
			require.NoError(t, err)
			assert.True(t, chk.Counted)
		}
		assert.EqualValues(t, 3, s.head(t, v, e))
		verifyExport(t, v, e.ID, nil)
	})
	t.Run("ExactlyOnceWithReplaysAndRestarts", func(t *testing.T) {
		for _, revote := range []ballotbox.RevotePolicy{ballotbox.RevoteNone, ballotbox.RevoteLast} {
			t.Run(string(revote), func(t *testing.T) {
				const k, voters, casts = 4, 60, 3
				v, restart := s.anonEnv(t, k)
				e := v.election(t, NewElection(revote, ballotbox.VisibleLive))
				type ack struct {
					c ballotbox.Cast
					r ballotbox.Receipt
				}
				var mu sync.Mutex
				var acks []ack
				var wg sync.WaitGroup
				shared := restart()
				for i := range voters {
					wg.Add(1)
					go func() {
						defer wg.Done()
						// Half the voters on one process, whose casts share
						// transactions; the others each on a process of its own.
						svc := shared
						if i%2 == 1 {
							svc = restart()
						}
						for j := range casts {
							c := ballotbox.Cast{ElectionID: e.ID, Voter: Voter(i), Ballot: Full(i*casts + j),
								IdempotencyKey: fmt.Sprintf("v%d-c%d", i, j)}
							for range 2 { // every request sent twice
								r, err := svc.Cast(v.ctx, c)
								if err != nil {
									assert.ErrorIs(t, err, ballotbox.ErrAlreadyVoted)
									assert.Equal(t, ballotbox.RevoteNone, revote)
									continue
								}
								mu.Lock()
								acks = append(acks, ack{c, r})
								mu.Unlock()
							}
						}
					}()
				}
				wg.Wait()
				n, err := v.st.CountVoters(v.ctx, e.ID)
				require.NoError(t, err)
				assert.EqualValues(t, voters, n)

				closed, err := v.svc.CloseNow(v.ctx, e.ID)
				require.NoError(t, err)
				es := checkChain(t, v, e)
				counted := countedTrackers(es)
				assert.Len(t, counted, voters, "one counted ballot per voter")
				want := voters
				if revote == ballotbox.RevoteLast {
					want = voters * casts
				}
				assert.Len(t, es, want, "every acknowledged ballot once on the board")
				// Every acknowledged request, replayed by a restarted
				// process, answers its first tracker, now on the board.
				fresh := restart()
				for _, a := range acks {
					r, err := fresh.Cast(v.ctx, a.c)
					require.NoError(t, err)
					assert.True(t, r.Replayed)
					assert.Equal(t, a.r.Tracker, r.Tracker)
					assert.False(t, r.Queued)
					assert.GreaterOrEqual(t, r.Index, int64(0))
				}
				if revote == ballotbox.RevoteLast {
					for i := range voters { // the last cast of each voter counts
						r, err := fresh.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(i),
							Ballot: Full(i*casts + casts - 1), IdempotencyKey: fmt.Sprintf("v%d-c%d", i, casts-1)})
						require.NoError(t, err)
						assert.True(t, counted[r.Tracker], "voter %d: last ballot counted", i)
					}
				}
				assertLiveEqualsRecount(t, v, e)
				verifyExport(t, v, e.ID, closed.ClosedAt)
			})
		}
	})
	t.Run("PaperAfterQueuedWebBallot", func(t *testing.T) {
		v, _ := s.anonEnv(t, 3)
		e := v.election(t, NewElection(ballotbox.RevoteLast, ballotbox.VisibleLive))
		web, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Ranked(0, 1)})
		require.NoError(t, err)
		require.True(t, web.Queued)
		sess, err := v.svc.OpenSession(v.ctx, e.ID, "agent-1", "École Jules Ferry", civickit.ChannelPaper)
		require.NoError(t, err)
		_, err = v.svc.MarkPaperVoter(v.ctx, sess.ID, Voter(1), "")
		require.NoError(t, err, "the voter takes paper while the web ballot is queued")
		_, err = v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Ranked(1, 0)})
		assert.ErrorIs(t, err, ballotbox.ErrAlreadyVoted, "on paper")
		for i := 2; i < 8; i++ {
			_, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(i), Ballot: Ranked(i % 4)})
			require.NoError(t, err)
		}
		_, err = v.svc.CloseNow(v.ctx, e.ID)
		require.NoError(t, err)
		es := checkChain(t, v, e)
		assert.False(t, countedTrackers(es)[web.Tracker], "the paper ballot supersedes the queued web ballot")
		assert.Len(t, countedTrackers(es), 6)
		assertLiveEqualsRecount(t, v, e)
	})
	t.Run("NeedsTheSecret", func(t *testing.T) {
		v, _ := s.anonEnv(t, 5)
		e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
		r, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Ranked(0), IdempotencyKey: "a"})
		require.NoError(t, err)
		require.True(t, r.Queued)
		other, err := ballotbox.NewService(v.st, ballotbox.Options{Now: v.clock.Now, Secret: []byte("another secret, also 32 bytes!!!"), Anonymity: 5})
		require.NoError(t, err)
		v.clock.Set(After)
		_, err = other.Sequence(v.ctx, e.ID)
		assert.ErrorIs(t, err, ballotbox.ErrSecretMismatch)
	})
}
