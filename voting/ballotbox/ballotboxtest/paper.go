package ballotboxtest

import (
	"github.com/civickit/civickit"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/voting/ballotbox"
)

// sheets returns n paper sheets: ballots Full(k) for k from base, except
// the positions listed as spoiled.
func sheets(n, base int, spoiled ...int) []ballotbox.Sheet {
	out := make([]ballotbox.Sheet, n)
	for i := range out {
		b := Full(base + i)
		out[i] = ballotbox.Sheet{Ballot: &b}
	}
	for _, i := range spoiled {
		out[i] = ballotbox.Sheet{Spoiled: true}
	}
	return out
}

// markVoters marks n voters, from Voter(base) on, at a paper polling
// place, as its clerk does before they take a paper ballot.
func markVoters(t *testing.T, v *env, e *ballotbox.Election, place string, base, n int) {
	t.Helper()
	sess, err := v.svc.OpenSession(v.ctx, e.ID, "clerk", place, civickit.ChannelPaper)
	require.NoError(t, err)
	for i := base; i < base+n; i++ {
		_, err := v.svc.MarkPaperVoter(v.ctx, sess.ID, Voter(i), "")
		require.NoError(t, err, "voter %d", i)
	}
}

func (s *suite) testPaper(t *testing.T) {
	t.Run("SingleKeyed", func(t *testing.T) {
		v := s.env(t)
		e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
		markVoters(t, v, e, "Bureau 12", 100, 5)
		b, err := v.svc.CreateBatch(v.ctx, ballotbox.NewBatch{ElectionID: e.ID, Place: "Bureau 12", Sheets: 5})
		require.NoError(t, err)
		assert.Equal(t, ballotbox.BatchKeying, b.State)
		got, err := v.svc.KeyBatch(v.ctx, b.ID, "agent-a", sheets(5, 0, 3))
		require.NoError(t, err)
		assert.Equal(t, ballotbox.BatchCommitted, got.State)
		require.Len(t, got.Items, 5)
		assert.Empty(t, got.Items[3].Tracker, "a spoiled sheet is not on the board")
		es := checkChain(t, v, e)
		require.Len(t, es, 4)
		for _, en := range es {
			assert.Equal(t, civickit.ChannelPaper, en.Channel)
			assert.Equal(t, "Bureau 12", en.Place)
		}
		stored, err := v.svc.Batch(v.ctx, b.ID)
		require.NoError(t, err)
		assert.Equal(t, got.Items, stored.Items)
		assert.Equal(t, got.Version, stored.Version)
		n, err := v.st.CountVoters(v.ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(5), n, "paper ballots are anonymous: only the marks at the polling place enter the register")
		assert.Equal(t, map[string]ballotbox.PlaceCount{"Bureau 12": {Place: "Bureau 12", Marked: 5, Sheets: 5}}, v.places(t, e.ID),
			"the spoiled sheet takes its voter's mark too")
		_, err = v.svc.KeyBatch(v.ctx, b.ID, "agent-b", sheets(5, 0))
		assert.ErrorIs(t, err, ballotbox.ErrConflict, "a committed batch is not keyed again")
		assertLiveEqualsRecount(t, v, e)
		list, err := v.svc.ListBatches(v.ctx, e.ID, "", 0)
		require.NoError(t, err)
		require.Len(t, list.Items, 1)
		assert.Equal(t, b.ID, list.Items[0].ID)
		assert.Empty(t, list.Next)
	})
	t.Run("DoubleKeyed", func(t *testing.T) {
		v := s.env(t)
		e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
		markVoters(t, v, e, "Bureau 3", 100, 6)
		b, err := v.svc.CreateBatch(v.ctx, ballotbox.NewBatch{ElectionID: e.ID, Place: "Bureau 3", Sheets: 6, DoubleKeyed: true})
		require.NoError(t, err)
		first := sheets(6, 10, 5)
		got, err := v.svc.KeyBatch(v.ctx, b.ID, "agent-a", first)
		require.NoError(t, err)
		assert.Equal(t, ballotbox.BatchKeying, got.State)
		snap := snapshot(t, v, e.ID)
		assert.Zero(t, snap.Head.Entries, "nothing counts before the second keying")
		_, err = v.svc.KeyBatch(v.ctx, b.ID, "agent-a", first)
		assertField(t, err, "agent", "distinct_agent")

		second := sheets(6, 10, 5)
		second[1] = first[2] // misread
		second[4] = ballotbox.Sheet{Spoiled: true}
		got, err = v.svc.KeyBatch(v.ctx, b.ID, "agent-b", second)
		require.NoError(t, err)
		assert.Equal(t, ballotbox.BatchDisputed, got.State)
		assert.Equal(t, []int{1, 4}, got.Disputes())
		assert.Equal(t, []ballotbox.Sheet{first[1], second[1]}, got.Items[1].Alternatives)
		es := checkChain(t, v, e)
		assert.Len(t, es, 3, "sheets 0, 2 and 3 agree; 5 is spoiled")

		_, err = v.svc.ResolveSheet(v.ctx, b.ID, 0, "supervisor", first[0])
		assertField(t, err, "pos", "disputed")
		got, err = v.svc.ResolveSheet(v.ctx, b.ID, 1, "supervisor", first[1])
		require.NoError(t, err)
		assert.Equal(t, ballotbox.BatchDisputed, got.State)
		got, err = v.svc.ResolveSheet(v.ctx, b.ID, 4, "supervisor", ballotbox.Sheet{Spoiled: true})
		require.NoError(t, err)
		assert.Equal(t, ballotbox.BatchCommitted, got.State)
		assert.Len(t, checkChain(t, v, e), 4)
		assertLiveEqualsRecount(t, v, e)

		// Committing again (after an outage, say) writes nothing twice.
		snap = snapshot(t, v, e.ID)
		again, err := v.svc.CommitBatch(v.ctx, b.ID)
		require.NoError(t, err)
		assert.Equal(t, got.Items, again.Items)
		assert.Equal(t, snap, snapshot(t, v, e.ID))
		stored, err := v.svc.Batch(v.ctx, b.ID)
		require.NoError(t, err)
		for i := range stored.Items {
			stored.Items[i].Committed, stored.Items[i].Tracker = false, ""
		}
		require.NoError(t, v.st.UpdateBatch(v.ctx, stored), "as if the trackers had been lost in a crash")
		again, err = v.svc.CommitBatch(v.ctx, b.ID)
		require.NoError(t, err)
		assert.Equal(t, got.Items, again.Items, "the same trackers, found by their idempotency keys")
		assert.Equal(t, snap, snapshot(t, v, e.ID))
	})
	t.Run("Refusals", func(t *testing.T) {
		v := s.env(t)
		e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
		b, err := v.svc.CreateBatch(v.ctx, ballotbox.NewBatch{ElectionID: e.ID, Place: "Bureau 1", Sheets: 3})
		require.NoError(t, err)
		bad := sheets(3, 0)
		over := Full(1)
		over.Answers[2].Scores = []int{9, 9, 9}
		bad[1].Ballot = &over
		_, err = v.svc.KeyBatch(v.ctx, b.ID, "agent-a", bad)
		var be *ballotbox.BallotError
		require.ErrorAs(t, err, &be)
		assert.Equal(t, "budget", be.Rule)
		_, err = v.svc.KeyBatch(v.ctx, b.ID, "agent-a", sheets(2, 0))
		assertField(t, err, "sheets", "len")
		_, err = v.svc.CommitBatch(v.ctx, b.ID)
		assert.ErrorIs(t, err, ballotbox.ErrConflict, "nothing keyed yet")
		_, err = v.svc.KeyBatch(v.ctx, b.ID, "agent-a", []ballotbox.Sheet{{}, {}, {}})
		assert.ErrorIs(t, err, ballotbox.ErrInvalidBallot)
		stored, err := v.svc.Batch(v.ctx, b.ID)
		require.NoError(t, err)
		assert.Equal(t, 1, stored.Version, "nothing written")
		assert.Equal(t, Snapshot{Head: ballotbox.Head{Hash: ballotbox.GenesisHash(e.Public())}}, snapshot(t, v, e.ID))
		_, err = v.svc.CreateBatch(v.ctx, ballotbox.NewBatch{ElectionID: e.ID})
		assertField(t, err, "place", "required")
		assertField(t, err, "sheets", "gt")
		_, err = v.svc.CreateBatch(v.ctx, ballotbox.NewBatch{ElectionID: uuid.New(), Place: "x", Sheets: 1})
		assert.ErrorIs(t, err, ballotbox.ErrNotFound)
		_, err = v.svc.Batch(v.ctx, uuid.New())
		assert.ErrorIs(t, err, ballotbox.ErrNotFound)
		stale := *stored
		require.NoError(t, v.st.UpdateBatch(v.ctx, stored))
		assert.ErrorIs(t, v.st.UpdateBatch(v.ctx, &stale), ballotbox.ErrConflict)
	})
	t.Run("AfterClose", func(t *testing.T) {
		v := s.env(t)
		e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleAfterClose))
		markVoters(t, v, e, "Bureau 9", 100, 2)
		v.clock.Set(After)
		b, err := v.svc.CreateBatch(v.ctx, ballotbox.NewBatch{ElectionID: e.ID, Place: "Bureau 9", Sheets: 2})
		require.NoError(t, err, "paper is counted after the polls close")
		_, err = v.svc.KeyBatch(v.ctx, b.ID, "agent-a", sheets(2, 0))
		require.NoError(t, err)
		assert.Len(t, checkChain(t, v, e), 2)
	})
}

func (s *suite) testRecount(t *testing.T) {
	v := s.env(t)
	e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
	markVoters(t, v, e, "Bureau 7", 100, 4)
	b, err := v.svc.CreateBatch(v.ctx, ballotbox.NewBatch{ElectionID: e.ID, Place: "Bureau 7", Sheets: 4})
	require.NoError(t, err)
	first := sheets(4, 20, 3)
	b, err = v.svc.KeyBatch(v.ctx, b.ID, "agent-a", first)
	require.NoError(t, err)
	snap := snapshot(t, v, e.ID)

	none, err := v.svc.RecountBatch(v.ctx, b.ID, "agent-c", "contested by a list", first)
	require.NoError(t, err)
	assert.Empty(t, none, "a recount that confirms changes nothing")
	assert.Equal(t, snap.Head, snapshot(t, v, e.ID).Head)
	places := v.places(t, e.ID)

	recount := sheets(4, 20)
	recount[0] = ballotbox.Sheet{Spoiled: true} // was a ballot: now null
	recount[1].Ballot = first[2].Ballot         // read differently
	other := Full(99)
	recount[3] = ballotbox.Sheet{Ballot: &other} // was spoiled: now a ballot
	changes, err := v.svc.RecountBatch(v.ctx, b.ID, "agent-c", "second recount", recount)
	require.NoError(t, err)
	require.Len(t, changes, 3)
	assert.Equal(t, []int{0, 1, 3}, []int{changes[0].Pos, changes[1].Pos, changes[2].Pos})
	assert.Equal(t, b.Items[0].Tracker, changes[0].OldTracker)
	assert.Empty(t, changes[2].OldTracker)
	assert.Equal(t, places, v.places(t, e.ID), "a recount reads the same sheets again: no mark taken")
	for _, c := range changes {
		assert.Equal(t, 2, c.Round)
		assert.Equal(t, "agent-c", c.Agent)
		assert.NotEmpty(t, c.NewTracker)
	}
	assert.ElementsMatch(t, changes, v.changes(t, e.ID))

	es := checkChain(t, v, e)
	require.Len(t, es, 6)
	assert.True(t, es[3].Void())
	assert.Equal(t, b.Items[0].Tracker, es[3].Replaces)
	assert.Equal(t, b.Items[1].Tracker, es[4].Replaces)
	assert.Empty(t, es[5].Replaces)
	chk, err := v.svc.CheckReceipt(v.ctx, e.ID, b.Items[1].Tracker)
	require.NoError(t, err)
	assert.Equal(t, changes[1].NewTracker, chk.ReplacedBy)
	assertLiveEqualsRecount(t, v, e)
	tally, err := v.svc.LiveTally(v.ctx, e.ID, nil)
	require.NoError(t, err)
	in, err := tally.Input("mayor", nil)
	require.NoError(t, err)
	assert.Equal(t, int64(3), in.Ranked.Voters())

	stored, err := v.svc.Batch(v.ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, stored.Recounts)
	assert.Empty(t, stored.Items[0].Tracker)
	assert.Equal(t, changes[2].NewTracker, stored.Items[3].Tracker)

	_, err = v.svc.RecountBatch(v.ctx, b.ID, "", "", recount)
	assertField(t, err, "agent", "required")
	assertField(t, err, "reason", "required")
}
