package ballotboxtest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting/ballotbox"
)

// The concurrency scenario's size: Voters voters cast Casts times each,
// and every ReplayEvery-th request is sent twice at the same moment (20%).
// Where each voter's casts all go at once (revoting off), SimultaneousVoters
// voters take part: Casts times as many requests are in flight.
const (
	Voters             = 200
	SimultaneousVoters = 60
	Casts              = 5
	ReplayEvery        = 5
)

type outcome struct {
	r   ballotbox.Receipt
	err error
}

// race runs the scenario: each voter's casts go one after the other
// (sequential) or all at once; a replayed request races its original.
// It returns, per voter and cast, the original's and the replay's outcome.
func race(v *env, e *ballotbox.Election, voters int, sequential bool) [][][]outcome {
	out := make([][][]outcome, voters)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range voters {
		out[i] = make([][]outcome, Casts)
		send := func(j int) {
			c := ballotbox.Cast{ElectionID: e.ID, Voter: Voter(i), Ballot: Full(i + j), IdempotencyKey: fmt.Sprintf("v%d-c%d", i, j)}
			if j%2 == 1 {
				c.Channel, c.Place = civickit.ChannelImport, fmt.Sprintf("Import %d", i%3)
			}
			n := 1
			if (i*Casts+j)%ReplayEvery == 0 {
				n = 2
			}
			out[i][j] = make([]outcome, n)
			var inner sync.WaitGroup
			for k := range n {
				inner.Go(func() {
					r, err := v.svc.Cast(v.ctx, c)
					out[i][j][k] = outcome{r, err}
				})
			}
			inner.Wait()
		}
		if sequential {
			wg.Go(func() {
				<-start
				for j := range Casts {
					send(j)
				}
			})
			continue
		}
		for j := range Casts {
			wg.Go(func() {
				<-start
				send(j)
			})
		}
	}
	close(start)
	wg.Wait()
	return out
}

// sameRequest checks that an original and its replay got one receipt, and
// that exactly one of them wrote it.
func sameRequest(t *testing.T, os []outcome, what string) bool {
	t.Helper()
	if len(os) == 1 {
		return true
	}
	a, b := os[0], os[1]
	if a.err != nil || b.err != nil {
		return assert.True(t, errors.Is(a.err, ballotbox.ErrAlreadyVoted) && errors.Is(b.err, ballotbox.ErrAlreadyVoted),
			"%s: original and replay must both be refused alike: %v / %v", what, a.err, b.err)
	}
	ok := assert.Equal(t, a.r.Tracker, b.r.Tracker, "%s: replay tracker", what)
	return assert.True(t, a.r.Replayed != b.r.Replayed, "%s: exactly one of original and replay wrote", what) && ok
}

func (s *suite) testConcurrency(t *testing.T) {
	t.Run("RevoteLast", func(t *testing.T) {
		v := s.env(t)
		e := v.election(t, NewElection(ballotbox.RevoteLast, ballotbox.VisibleLive))
		out := race(v, e, Voters, true)
		last := map[string]int{} // counted tracker -> voter
		for i := range out {
			for j := range out[i] {
				for k, o := range out[i][j] {
					require.NoError(t, o.err, "voter %d cast %d copy %d", i, j, k)
				}
				sameRequest(t, out[i][j], fmt.Sprintf("voter %d cast %d", i, j))
			}
			last[out[i][Casts-1][0].r.Tracker] = i
		}
		n, err := v.st.CountVoters(v.ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(Voters), n)
		es := checkChain(t, v, e)
		assert.Len(t, es, Voters*Casts, "every distinct request once, no replay written")
		counted := countedTrackers(es)
		assert.Len(t, counted, Voters, "exactly one counted ballot per voter")
		for tr := range counted {
			_, ok := last[tr]
			assert.True(t, ok, "counted ballot %s is some voter's last", tr)
		}
		assertLiveEqualsRecount(t, v, e)
	})
	t.Run("RevoteLastSimultaneous", func(t *testing.T) {
		v := s.env(t)
		e := v.election(t, NewElection(ballotbox.RevoteLast, ballotbox.VisibleLive))
		const voters = SimultaneousVoters / 3
		out := race(v, e, voters, false)
		mine := map[string]int{} // tracker -> voter
		for i := range out {
			for j := range out[i] {
				for k, o := range out[i][j] {
					require.NoError(t, o.err, "voter %d cast %d copy %d", i, j, k)
				}
				sameRequest(t, out[i][j], fmt.Sprintf("voter %d cast %d", i, j))
				mine[out[i][j][0].r.Tracker] = i
			}
		}
		es := checkChain(t, v, e)
		assert.Len(t, es, voters*Casts)
		perVoter := map[int]int{}
		for tr := range countedTrackers(es) {
			perVoter[mine[tr]]++
		}
		assert.Len(t, perVoter, voters)
		for i, n := range perVoter {
			assert.Equal(t, 1, n, "voter %d: one counted ballot among five simultaneous casts", i)
		}
		assertLiveEqualsRecount(t, v, e)
	})
	t.Run("RevoteNone", func(t *testing.T) {
		v := s.env(t)
		e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
		out := race(v, e, SimultaneousVoters, false)
		accepted := map[string]bool{}
		for i := range out {
			won := 0
			for j := range out[i] {
				sameRequest(t, out[i][j], fmt.Sprintf("voter %d cast %d", i, j))
				o := out[i][j][0]
				switch {
				case o.err == nil:
					won++
					accepted[o.r.Tracker] = true
				default:
					assert.ErrorIs(t, o.err, ballotbox.ErrAlreadyVoted, "voter %d cast %d", i, j)
				}
			}
			assert.Equal(t, 1, won, "voter %d: exactly one of five simultaneous casts accepted", i)
		}
		n, err := v.st.CountVoters(v.ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(SimultaneousVoters), n)
		es := checkChain(t, v, e)
		assert.Len(t, es, SimultaneousVoters)
		counted := countedTrackers(es)
		assert.Equal(t, accepted, counted, "none lost, none duplicated")
		assertLiveEqualsRecount(t, v, e)
	})
}

// countedTrackers returns the trackers of the entries that count.
func countedTrackers(es []ballotbox.Entry) map[string]bool {
	out := map[string]bool{}
	for _, e := range es {
		delete(out, e.Replaces)
		if !e.Void() {
			out[e.Tracker] = true
		}
	}
	return out
}
