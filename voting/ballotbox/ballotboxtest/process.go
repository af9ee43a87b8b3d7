package ballotboxtest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting/ballotbox"
)

// PhaseError is the refusal of the suite's Gate: a process's own error
// type, which callers of the Service must still see through errors.As.
type PhaseError struct{ Phase string }

func (e *PhaseError) Error() string { return "not admitted in phase " + e.Phase }

// Unwrap makes the refusal a civickit.ErrWrongState, as a consultation's
// phase error is.
func (e *PhaseError) Unwrap() error { return civickit.ErrWrongState }

// Gate is a ballotbox.Gate that records what it is asked and refuses
// everything while Refuse is set.
type Gate struct {
	mu     sync.Mutex
	refuse string
	asked  []ballotbox.Admission
}

// Admit implements ballotbox.Gate.
func (g *Gate) Admit(_ context.Context, _ *ballotbox.Election, a ballotbox.Admission) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if a.Voter != nil {
		v := *a.Voter
		a.Voter = &v
	}
	g.asked = append(g.asked, a)
	if g.refuse != "" {
		return &PhaseError{Phase: g.refuse}
	}
	return nil
}

// Refuse makes the gate refuse everything in phase ("" admits again).
func (g *Gate) Refuse(phase string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.refuse = phase
}

// Asked returns and forgets the admissions asked so far.
func (g *Gate) Asked() []ballotbox.Admission {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := g.asked
	g.asked = nil
	return out
}

func (s *suite) testGate(t *testing.T) {
	v := s.env(t)
	gate := &Gate{}
	svc, err := ballotbox.NewService(v.st, ballotbox.Options{Now: v.clock.Now, Secret: Secret, Gate: gate, SyncGrace: time.Hour})
	require.NoError(t, err)
	v.svc = svc
	e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
	assert.Empty(t, gate.Asked(), "creating an election is the integrator's, not a participation")

	// Admitted: each action asks the gate once, with who, how and where.
	v.clock.Set(During.Add(-time.Hour))
	kiosk, err := svc.OpenSession(v.ctx, e.ID, "operator", "Kiosque", civickit.ChannelKiosk)
	require.NoError(t, err)
	station, err := svc.OpenSession(v.ctx, e.ID, "clerk", place, civickit.ChannelPaper)
	require.NoError(t, err)
	v.clock.Set(During)
	web, err := svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Full(1), IdempotencyKey: "web-1"})
	require.NoError(t, err)
	_, err = svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(2), Ballot: Full(2), Channel: civickit.ChannelKiosk, Session: kiosk.ID})
	require.NoError(t, err)
	_, err = svc.MarkPaperVoter(v.ctx, station.ID, Voter(3), "mark-3")
	require.NoError(t, err)
	res, err := svc.Sync(v.ctx, kiosk.ID, []ballotbox.Submission{{Key: "s4", At: During.Add(-time.Minute), Voter: Voter(4), Ballot: Full(4)}})
	require.NoError(t, err)
	require.NoError(t, res[0].Err)
	b, err := svc.CreateBatch(v.ctx, ballotbox.NewBatch{ElectionID: e.ID, Place: place, Sheets: 2})
	require.NoError(t, err)
	b, err = svc.KeyBatch(v.ctx, b.ID, "agent", sheets(2, 0))
	require.NoError(t, err)
	require.Equal(t, []int{1}, b.Excesses(), "one voter marked, two sheets")
	p := func(a ballotbox.Action, voter *ballotbox.Voter, ch civickit.Channel, place string) ballotbox.Admission {
		return ballotbox.Admission{Action: a, Voter: voter, Channel: ch, Place: place}
	}
	v1, v2, v3, v4 := Voter(1), Voter(2), Voter(3), Voter(4)
	assert.Equal(t, []ballotbox.Admission{
		p(ballotbox.ActionSession, nil, civickit.ChannelKiosk, "Kiosque"),
		p(ballotbox.ActionSession, nil, civickit.ChannelPaper, place),
		p(ballotbox.ActionCast, &v1, civickit.ChannelWeb, ""),
		p(ballotbox.ActionCast, &v2, civickit.ChannelKiosk, "Kiosque"),
		p(ballotbox.ActionPaperMark, &v3, civickit.ChannelPaper, place),
		p(ballotbox.ActionSync, &v4, civickit.ChannelKiosk, "Kiosque"),
		p(ballotbox.ActionPaperCommit, nil, civickit.ChannelPaper, place),
		p(ballotbox.ActionPaperCommit, nil, civickit.ChannelPaper, place),
	}, gate.Asked())

	// Refused: the gate's error comes back wrapped, and nothing is written.
	gate.Refuse("evaluation")
	snap := snapshot(t, v, e.ID)
	stored, err := svc.Batch(v.ctx, b.ID)
	require.NoError(t, err)
	refusals := map[string]func() error{
		"Cast": func() error {
			_, err := svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(5), Ballot: Full(5)})
			return err
		},
		"Kiosk": func() error {
			_, err := svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(5), Ballot: Full(5), Channel: civickit.ChannelKiosk, Session: kiosk.ID})
			return err
		},
		"Mark": func() error {
			_, err := svc.MarkPaperVoter(v.ctx, station.ID, Voter(5), "")
			return err
		},
		"Sync": func() error {
			res, err := svc.Sync(v.ctx, station.ID, []ballotbox.Submission{{Key: "s5", At: During.Add(-time.Minute), Voter: Voter(5)}})
			if err != nil {
				return err
			}
			return res[0].Err
		},
		"OpenSession": func() error {
			_, err := svc.OpenSession(v.ctx, e.ID, "clerk", "Bureau 9", civickit.ChannelPaper)
			return err
		},
		"CreateBatch": func() error {
			_, err := svc.CreateBatch(v.ctx, ballotbox.NewBatch{ElectionID: e.ID, Place: place, Sheets: 1})
			return err
		},
		"CommitBatch": func() error {
			_, err := svc.CommitBatch(v.ctx, b.ID)
			return err
		},
		"VoidSheet": func() error {
			_, err := svc.VoidSheet(v.ctx, b.ID, 1, "president", "excess")
			return err
		},
		"RecountBatch": func() error {
			_, err := svc.RecountBatch(v.ctx, b.ID, "agent", "recount", sheets(2, 5))
			return err
		},
	}
	for name, do := range refusals {
		t.Run(name, func(t *testing.T) {
			err := do()
			var pe *PhaseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "evaluation", pe.Phase)
			assert.ErrorIs(t, err, civickit.ErrWrongState)
			assert.Equal(t, snap, snapshot(t, v, e.ID), "nothing written")
			again, err := svc.Batch(v.ctx, b.ID)
			require.NoError(t, err)
			assert.Equal(t, stored, again, "the batch is untouched")
		})
	}
	batches, err := svc.ListBatches(v.ctx, e.ID, "", 0)
	require.NoError(t, err)
	assert.Len(t, batches.Items, 1, "no batch created")

	// A request accepted before is answered, not asked again: it writes
	// nothing.
	gate.Asked()
	again, err := svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Full(1), IdempotencyKey: "web-1"})
	require.NoError(t, err)
	assert.True(t, again.Replayed)
	assert.Equal(t, web.Tracker, again.Tracker)
	assert.Empty(t, gate.Asked())

	// Admitted again, the held sheet can be voided.
	gate.Refuse("")
	b, err = svc.VoidSheet(v.ctx, b.ID, 1, "president", "excess")
	require.NoError(t, err)
	assert.Equal(t, ballotbox.BatchCommitted, b.State)
}

func (s *suite) testWindow(t *testing.T) {
	t.Run("OpenNow", func(t *testing.T) {
		v := s.env(t)
		early := Opens.Add(-26 * time.Hour)
		v.clock.Set(early)
		e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleAfterClose))
		_, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Full(1)})
		require.ErrorIs(t, err, ballotbox.ErrClosed)
		opened, err := v.svc.OpenNow(v.ctx, e.ID)
		require.NoError(t, err)
		assert.True(t, opened.Opens.Equal(early))
		assert.Equal(t, 2, opened.Version)
		got, err := v.svc.Election(v.ctx, e.ID)
		require.NoError(t, err)
		assert.True(t, got.Opens.Equal(early))
		h, err := v.st.Head(v.ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, ballotbox.GenesisHash(got.Public()), h.Hash, "the empty board follows the new opening")
		_, err = v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Full(1)})
		require.NoError(t, err, "open now")

		v.clock.Set(early.Add(time.Hour))
		same, err := v.svc.OpenNow(v.ctx, e.ID)
		require.NoError(t, err, "already open: nothing to do")
		assert.Equal(t, 2, same.Version)
		assert.True(t, same.Opens.Equal(early))
		checkChain(t, v, got)

		v.clock.Set(After)
		_, err = v.svc.OpenNow(v.ctx, e.ID)
		assert.ErrorIs(t, err, ballotbox.ErrClosed)
		assert.ErrorIs(t, err, civickit.ErrWrongState)
		verifyExport(t, v, e.ID, nil)
	})
	t.Run("CloseNow", func(t *testing.T) {
		v := s.env(t)
		e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleAfterClose))
		sess, err := v.svc.OpenSession(v.ctx, e.ID, "operator", "Kiosque", civickit.ChannelKiosk)
		require.NoError(t, err)
		for i := range 5 {
			_, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(i), Ballot: Full(i)})
			require.NoError(t, err)
		}
		_, err = v.svc.Results(v.ctx, e.ID, nil, nil)
		require.ErrorIs(t, err, ballotbox.ErrHidden)

		closed, err := v.svc.CloseNow(v.ctx, e.ID)
		require.NoError(t, err)
		require.NotNil(t, closed.ClosedAt)
		assert.True(t, closed.ClosedAt.Equal(During))
		assert.True(t, closed.Closes.Equal(Closes), "the published close stays: the board chains from it")
		got, err := v.svc.Election(v.ctx, e.ID)
		require.NoError(t, err)
		require.NotNil(t, got.ClosedAt)
		assert.True(t, got.ClosedAt.Equal(During))
		assert.Equal(t, e.Public(), got.Public())

		_, err = v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(9), Ballot: Full(9)})
		assert.ErrorIs(t, err, ballotbox.ErrClosed)
		res, err := v.svc.Sync(v.ctx, sess.ID, []ballotbox.Submission{{Key: "late", At: During.Add(-time.Minute), Voter: Voter(9), Ballot: Full(9)}})
		require.NoError(t, err)
		assert.ErrorIs(t, res[0].Err, ballotbox.ErrClosed, "synced after the early close, without grace")
		results, err := v.svc.Results(v.ctx, e.ID, nil, nil)
		require.NoError(t, err, "results after the close, an early one too")
		assert.True(t, results.Final)
		assert.Equal(t, int64(5), results.Questions[0].Result.Ballots)

		v.clock.Set(During.Add(time.Hour))
		again, err := v.svc.CloseNow(v.ctx, e.ID)
		require.NoError(t, err, "already closed: nothing to do")
		assert.True(t, again.ClosedAt.Equal(During), "closing again does not move the close")
		got.Description = "updated after the close"
		require.NoError(t, v.svc.UpdateElection(v.ctx, got))
		got, err = v.svc.Election(v.ctx, e.ID)
		require.NoError(t, err)
		require.NotNil(t, got.ClosedAt, "an update keeps the early close")
		_, err = v.svc.OpenNow(v.ctx, e.ID)
		assert.ErrorIs(t, err, ballotbox.ErrClosed, "a closed election does not open again")
		rep := verifyExport(t, v, e.ID, got.ClosedAt)
		assert.Equal(t, int64(5), rep.Counted)
	})
	t.Run("CloseBeforeOpening", func(t *testing.T) {
		v := s.env(t)
		v.clock.Set(Opens.Add(-time.Hour))
		e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
		closed, err := v.svc.CloseNow(v.ctx, e.ID)
		require.NoError(t, err)
		v.clock.Set(During)
		_, err = v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Full(1)})
		assert.ErrorIs(t, err, ballotbox.ErrClosed, "closed before it opened: it never opens")
		_, err = v.svc.OpenNow(v.ctx, e.ID)
		assert.ErrorIs(t, err, ballotbox.ErrClosed)
		rep := verifyExport(t, v, e.ID, closed.ClosedAt)
		assert.Zero(t, rep.Entries)
	})
}

// verifyExport exports an election's board, checks its header's early
// close, and verifies it.
func verifyExport(t *testing.T, v *env, electionID [16]byte, closedAt *time.Time) *ballotbox.VerifyReport {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, v.svc.ExportBoard(v.ctx, electionID, &buf))
	br, err := ballotbox.NewBoardReader(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	if closedAt == nil {
		assert.Nil(t, br.Header.ClosedAt)
	} else if assert.NotNil(t, br.Header.ClosedAt) {
		assert.True(t, closedAt.Equal(*br.Header.ClosedAt))
	}
	rep, err := ballotbox.Verify(bytes.NewReader(buf.Bytes()), v.svc.Registry())
	require.NoError(t, err, "the board verifies")
	return rep
}

func (s *suite) testPaging(t *testing.T) {
	v := s.env(t)
	e := v.election(t, NewElection(ballotbox.RevoteLast, ballotbox.VisibleLive))
	for i := range 7 {
		markVoters(t, v, e, fmt.Sprintf("Bureau %02d", i), 100+10*i, 2)
	}
	var batches []*ballotbox.Batch
	for i := range 7 {
		b, err := v.svc.CreateBatch(v.ctx, ballotbox.NewBatch{ElectionID: e.ID, Place: fmt.Sprintf("Bureau %02d", i), Sheets: 2})
		require.NoError(t, err)
		batches = append(batches, b)
	}
	b, err := v.svc.KeyBatch(v.ctx, batches[0].ID, "agent", sheets(2, 0))
	require.NoError(t, err)
	for round := range 3 {
		_, err := v.svc.RecountBatch(v.ctx, b.ID, "agent", "recount", sheets(2, 10+round))
		require.NoError(t, err)
	}
	for i := range 9 {
		_, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(i), Ballot: Full(i)})
		require.NoError(t, err)
	}
	other := v.election(t, NewElection(ballotbox.RevoteLast, ballotbox.VisibleLive))
	markVoters(t, v, other, "Ailleurs", 300, 1)
	_, err = v.svc.CreateBatch(v.ctx, ballotbox.NewBatch{ElectionID: other.ID, Place: "Ailleurs", Sheets: 1})
	require.NoError(t, err)

	// pages checks a list: pages of every size give the same items in the
	// same order as one page, and a bad cursor or limit is refused.
	pages := func(t *testing.T, name string, want int, list func(after string, limit int) (any, string, error)) {
		t.Run(name, func(t *testing.T) {
			whole, next, err := list("", civickit.MaxLimit)
			require.NoError(t, err)
			assert.Empty(t, next)
			items := whole.([]any)
			assert.Len(t, items, want)
			for _, limit := range []int{1, 2, 3, want, want + 1} {
				var got []any
				after := ""
				for n := 0; ; n++ {
					require.Less(t, n, want+2, "limit %d: too many pages", limit)
					page, next, err := list(after, limit)
					require.NoError(t, err)
					assert.LessOrEqual(t, len(page.([]any)), limit)
					got = append(got, page.([]any)...)
					if next == "" {
						break
					}
					after = next
				}
				assert.Equal(t, items, got, "limit %d: every item once, in order", limit)
			}
			_, _, err = list("not a cursor", 2)
			assert.ErrorIs(t, err, civickit.ErrInvalid, "bad cursor")
			_, _, err = list("", -1)
			assert.ErrorIs(t, err, civickit.ErrInvalid, "negative limit")
		})
	}
	anyOf := func(xs ...any) []any { return xs }
	pages(t, "Batches", 7, func(after string, limit int) (any, string, error) {
		p, err := v.svc.ListBatches(v.ctx, e.ID, after, limit)
		out := anyOf()
		for _, b := range p.Items {
			out = append(out, b.ID.String())
		}
		return out, p.Next, err
	})
	t.Run("BatchesByID", func(t *testing.T) {
		p, err := v.svc.ListBatches(v.ctx, e.ID, "", 0)
		require.NoError(t, err)
		assert.True(t, slices.IsSortedFunc(p.Items, func(a, b ballotbox.Batch) int { return bytes.Compare(a.ID[:], b.ID[:]) }))
	})
	pages(t, "Changes", 6, func(after string, limit int) (any, string, error) {
		p, err := v.svc.ListChanges(v.ctx, e.ID, after, limit)
		out := anyOf()
		for _, c := range p.Items {
			out = append(out, c)
		}
		return out, p.Next, err
	})
	pages(t, "Places", 7, func(after string, limit int) (any, string, error) {
		p, err := v.svc.ListPlaces(v.ctx, e.ID, after, limit)
		out := anyOf()
		for _, c := range p.Items {
			out = append(out, c)
		}
		return out, p.Next, err
	})
	was := v.clock.Now()
	for i := range 3 {
		v.clock.Set(Opens.Add(-time.Duration(i+1) * time.Hour)) // later elections may carry earlier times
		v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleAfterClose))
	}
	v.clock.Set(Opens.Add(-time.Hour)) // same CreatedAt as the one before: the ID decides
	v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleAfterClose))
	v.clock.Set(was)
	pages(t, "Elections", 6, func(after string, limit int) (any, string, error) {
		p, err := v.svc.ListElections(v.ctx, after, limit)
		out := anyOf()
		for _, el := range p.Items {
			out = append(out, el.ID.String())
		}
		return out, p.Next, err
	})
	t.Run("ElectionsByCreationThenID", func(t *testing.T) {
		p, err := v.svc.ListElections(v.ctx, "", 0)
		require.NoError(t, err)
		require.Len(t, p.Items, 6)
		assert.True(t, slices.IsSortedFunc(p.Items, func(a, b ballotbox.Election) int {
			if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
				return c
			}
			return bytes.Compare(a.ID[:], b.ID[:])
		}))
		got, err := v.svc.Election(v.ctx, p.Items[0].ID)
		require.NoError(t, err)
		assert.Equal(t, *got, p.Items[0], "a listed election is the stored one")
	})
	counts := len(v.counts(t, e.ID))
	require.Greater(t, counts, 10)
	pages(t, "Counts", counts, func(after string, limit int) (any, string, error) {
		p, err := v.st.ListCounts(v.ctx, e.ID, after, limit)
		out := anyOf()
		for _, c := range p.Items {
			out = append(out, fmt.Sprint(c))
		}
		return out, p.Next, err
	})
	_, err = v.svc.ListBatches(v.ctx, e.ID, "", civickit.MaxLimit+1)
	assert.NoError(t, err, "a limit over the maximum is cut, not refused")
}
