package ballotboxtest

import (
	"github.com/civickit/civickit"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/voting/ballotbox"
)

func (s *suite) testSessions(t *testing.T) {
	t.Run("Kiosk", func(t *testing.T) {
		v := s.env(t)
		e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
		sess, err := v.svc.OpenSession(v.ctx, e.ID, "agent-7", "Mairie du 5e", civickit.ChannelKiosk)
		require.NoError(t, err)
		got, err := v.svc.Session(v.ctx, sess.ID)
		require.NoError(t, err)
		assert.Equal(t, "agent-7", got.Operator)
		assert.Equal(t, "Mairie du 5e", got.Place)
		assert.Nil(t, got.ClosedAt)

		_, err = v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Ranked(0), Channel: civickit.ChannelKiosk})
		assertField(t, err, "session", "required")
		r, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Ranked(0),
			Channel: civickit.ChannelKiosk, Session: sess.ID, Place: "ignored"})
		require.NoError(t, err)
		chk, err := v.svc.CheckReceipt(v.ctx, e.ID, r.Tracker)
		require.NoError(t, err)
		assert.Equal(t, civickit.ChannelKiosk, chk.Entry.Channel)
		assert.Equal(t, "Mairie du 5e", chk.Entry.Place)
		_, err = v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(2), Ballot: Ranked(0),
			Channel: civickit.ChannelMediator, Session: sess.ID})
		assertField(t, err, "session", "mismatch")

		v.clock.Set(During.Add(time.Hour))
		require.NoError(t, v.svc.CloseSession(v.ctx, sess.ID))
		assert.ErrorIs(t, v.svc.CloseSession(v.ctx, sess.ID), ballotbox.ErrConflict)
		_, err = v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(2), Ballot: Ranked(0),
			Channel: civickit.ChannelKiosk, Session: sess.ID})
		assert.ErrorIs(t, err, ballotbox.ErrClosed)
		got, err = v.svc.Session(v.ctx, sess.ID)
		require.NoError(t, err)
		require.NotNil(t, got.ClosedAt)
		assert.True(t, got.ClosedAt.Equal(During.Add(time.Hour)))

		_, err = v.svc.OpenSession(v.ctx, e.ID, "", "", civickit.ChannelWeb)
		assertField(t, err, "operator", "required")
		assertField(t, err, "channel", "oneof")
	})
	t.Run("PaperVoterThenWeb", func(t *testing.T) {
		for _, revote := range []ballotbox.RevotePolicy{ballotbox.RevoteNone, ballotbox.RevoteLast} {
			t.Run(string(revote), func(t *testing.T) {
				v := s.env(t)
				e := v.election(t, NewElection(revote, ballotbox.VisibleLive))
				sess, err := v.svc.OpenSession(v.ctx, e.ID, "agent-1", "École Jules Ferry", civickit.ChannelPaper)
				require.NoError(t, err)
				r, err := v.svc.MarkPaperVoter(v.ctx, sess.ID, Voter(1), "mark-1")
				require.NoError(t, err)
				assert.Equal(t, int64(-1), r.Index, "nothing to void: no entry")
				snap := snapshot(t, v, e.ID)
				_, err = v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Ranked(0)})
				assert.ErrorIs(t, err, ballotbox.ErrAlreadyVoted, "a paper voter votes nowhere else")
				_, err = v.svc.MarkPaperVoter(v.ctx, sess.ID, Voter(1), "mark-2")
				assert.ErrorIs(t, err, ballotbox.ErrAlreadyVoted)
				again, err := v.svc.MarkPaperVoter(v.ctx, sess.ID, Voter(1), "mark-1")
				require.NoError(t, err)
				assert.True(t, again.Replayed)
				assert.Equal(t, snap, snapshot(t, v, e.ID))
			})
		}
	})
	t.Run("WebThenPaperVoter", func(t *testing.T) {
		v := s.env(t)
		e := v.election(t, NewElection(ballotbox.RevoteLast, ballotbox.VisibleLive))
		web, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Ranked(2)})
		require.NoError(t, err)
		sess, err := v.svc.OpenSession(v.ctx, e.ID, "agent-1", "École Jules Ferry", civickit.ChannelPaper)
		require.NoError(t, err)
		r, err := v.svc.MarkPaperVoter(v.ctx, sess.ID, Voter(1), "")
		require.NoError(t, err)
		assert.Equal(t, web.Tracker, r.Replaces, "the paper ballot will count instead")
		es := checkChain(t, v, e)
		require.Len(t, es, 2)
		assert.True(t, es[1].Void())
		chk, err := v.svc.CheckReceipt(v.ctx, e.ID, web.Tracker)
		require.NoError(t, err)
		assert.False(t, chk.Counted)
		assert.Empty(t, v.counts(t, e.ID))
		assertLiveEqualsRecount(t, v, e)

		strict := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
		_, err = v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: strict.ID, Voter: Voter(1), Ballot: Ranked(2)})
		require.NoError(t, err)
		ps, err := v.svc.OpenSession(v.ctx, strict.ID, "agent-1", "École Jules Ferry", civickit.ChannelPaper)
		require.NoError(t, err)
		_, err = v.svc.MarkPaperVoter(v.ctx, ps.ID, Voter(1), "")
		assert.ErrorIs(t, err, ballotbox.ErrAlreadyVoted)
	})
}

func (s *suite) testOffline(t *testing.T) {
	v := s.env(t)
	e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
	v.clock.Set(During.Add(-2 * time.Hour))
	sess, err := v.svc.OpenSession(v.ctx, e.ID, "agent-3", "Bibliobus", civickit.ChannelKiosk)
	require.NoError(t, err)
	queued := []ballotbox.Submission{
		{Key: "q1", At: During.Add(-time.Hour), Voter: Voter(1), Ballot: Ranked(0, 1)},
		{Key: "q2", At: During.Add(-50 * time.Minute), Voter: Voter(2), Ballot: Ranked(1)},
		{Key: "q3", At: During.Add(-40 * time.Minute), Voter: Voter(1), Ballot: Ranked(2)}, // voted already
		{Key: "q4", At: During.Add(-3 * time.Hour), Voter: Voter(4), Ballot: Ranked(2)},    // before the session
		{Key: "", At: During.Add(-time.Hour), Voter: Voter(5), Ballot: Ranked(2)},
		{Key: "q6", At: During.Add(time.Hour), Voter: Voter(6), Ballot: Ranked(2)}, // in the future
		{Key: "q7", At: During.Add(-time.Hour), Voter: Voter(7), Ballot: Ranked(9)},
	}
	v.clock.Set(During)
	res, err := v.svc.Sync(v.ctx, sess.ID, queued)
	require.NoError(t, err)
	require.Len(t, res, len(queued))
	require.NoError(t, res[0].Err)
	require.NoError(t, res[1].Err)
	assert.ErrorIs(t, res[2].Err, ballotbox.ErrAlreadyVoted)
	assert.ErrorIs(t, res[3].Err, ballotbox.ErrClosed)
	assertField(t, res[4].Err, "submissions[4].key", "required")
	assertField(t, res[5].Err, "submissions[5].at", "future")
	assert.ErrorIs(t, res[6].Err, ballotbox.ErrInvalidBallot)
	snap := snapshot(t, v, e.ID)
	assert.Equal(t, int64(2), snap.Voters)

	// The access point lost the answer and syncs again, after the close.
	v.clock.Set(After)
	again, err := v.svc.Sync(v.ctx, sess.ID, queued[:2])
	require.NoError(t, err)
	for i := range again {
		require.NoError(t, again[i].Err)
		assert.True(t, again[i].Receipt.Replayed)
		assert.Equal(t, res[i].Receipt.Tracker, again[i].Receipt.Tracker)
	}
	late, err := v.svc.Sync(v.ctx, sess.ID, []ballotbox.Submission{{Key: "q8", At: During.Add(-time.Hour), Voter: Voter(8), Ballot: Ranked(1)}})
	require.NoError(t, err)
	assert.ErrorIs(t, late[0].Err, ballotbox.ErrClosed, "synced after the close without grace")
	assert.Equal(t, snap, snapshot(t, v, e.ID))

	graceful, err := ballotbox.NewService(v.st, ballotbox.Options{Now: v.clock.Now, SyncGrace: 24 * time.Hour,
		Secret: []byte("ballotboxtest secret, 32 bytes!!")})
	require.NoError(t, err)
	ok, err := graceful.Sync(v.ctx, sess.ID, []ballotbox.Submission{{Key: "q8", At: During.Add(-time.Hour), Voter: Voter(8), Ballot: Ranked(1)}})
	require.NoError(t, err)
	require.NoError(t, ok[0].Err, "cast during the window, synced within the grace period")
	checkChain(t, v, e)
}
