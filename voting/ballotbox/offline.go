package ballotbox

import (
	"context"
	"fmt"
	"time"

	"github.com/civickit/civickit"
	"github.com/google/uuid"
)

// Submission is a cast (or, at a paper polling place, a paper voter's
// mark) recorded at an access point while it was offline, queued to be
// synced later.
type Submission struct {
	// Key is the idempotency key, set when the submission was queued: a
	// sync repeated after a lost answer returns the same receipts.
	Key string `json:"key"`
	// At is when the voter cast at the access point.
	At     time.Time `json:"at"`
	Voter  Voter     `json:"voter"`
	Ballot Ballot    `json:"ballot,omitzero"`
}

// SyncResult is the outcome of one submission.
type SyncResult struct {
	Key     string  `json:"key"`
	Receipt Receipt `json:"receipt,omitzero"`
	// Err is the submission's refusal, typed as Cast's (not serialised:
	// a caller maps it, e.g. by its civickit kind).
	Err error `json:"-"`
}

// Sync records the submissions an access point queued during a session,
// each as if cast at its time At: At must fall in the voting window and
// in the session, not after the present, and the sync must come no later
// than the close (an early one included) plus Options.SyncGrace
// (ErrClosed) — except for a submission synced before, which always
// returns its receipt. Each submission succeeds or fails on its own, with
// the errors of Cast; the Gate is asked to admit each as ActionSync.
func (s *Service) Sync(ctx context.Context, sessionID uuid.UUID, subs []Submission) ([]SyncResult, error) {
	sess, err := s.store.GetSession(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	e, err := s.store.GetElection(ctx, sess.ElectionID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	late := now.After(e.End().Add(s.syncGrace))
	out := make([]SyncResult, len(subs))
	for i, sub := range subs {
		out[i].Key = sub.Key
		switch {
		case sub.Key == "":
			out[i].Err = civickit.Invalid(fmt.Sprintf("submissions[%d].key", i), "required", "")
			continue
		case sub.At.IsZero():
			out[i].Err = civickit.Invalid(fmt.Sprintf("submissions[%d].at", i), "required", "")
			continue
		case sub.At.After(now):
			out[i].Err = civickit.Invalid(fmt.Sprintf("submissions[%d].at", i), "future", "")
			continue
		}
		if late {
			out[i].Receipt, out[i].Err = s.replayOnly(ctx, e, sess, sub)
			continue
		}
		if sess.Channel == civickit.ChannelPaper {
			out[i].Receipt, out[i].Err = s.markPaperVoter(ctx, sessionID, sub.Voter, sub.Key, sub.At, ActionSync)
			continue
		}
		out[i].Receipt, out[i].Err = s.cast(ctx, Cast{ElectionID: e.ID, Voter: sub.Voter, Ballot: sub.Ballot,
			Channel: sess.Channel, Session: sessionID, IdempotencyKey: sub.Key}, sub.At, ActionSync)
	}
	return out, nil
}

// replayOnly answers a late submission: its receipt if it was synced
// before, ErrClosed otherwise.
func (s *Service) replayOnly(ctx context.Context, e *Election, sess *Session, sub Submission) (Receipt, error) {
	if key, err := s.VoterKey(ctx, e.ID, sub.Voter.ID); err == nil {
		scope, canonical := "voter:"+string(key), e.Canonical(sub.Ballot)
		if sess.Channel == civickit.ChannelPaper {
			scope, canonical = "paper:"+string(key), nil
		}
		r, ok, err := s.replay(ctx, e.ID, s.requestKey(e.ID, scope, sub.Key), BallotDigest(canonical))
		if ok || err != nil {
			return r, err
		}
	}
	return Receipt{}, fmt.Errorf("%w: synced after the close and its grace period", ErrClosed)
}
