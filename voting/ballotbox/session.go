package ballotbox

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/civickit/civickit"
	"github.com/google/uuid"
)

// Session is an operator's shift at an access point: a kiosk, a
// mediator's desk or a polling place with paper ballots. Casts made
// through it carry its channel and place; the operator is recorded here,
// never on a ballot.
type Session struct {
	ID         uuid.UUID        `json:"id"`
	ElectionID uuid.UUID        `json:"election_id"`
	Operator   string           `json:"operator"`
	Place      string           `json:"place"`
	Channel    civickit.Channel `json:"channel"` // kiosk, mediator or paper
	OpenedAt   time.Time        `json:"opened_at"`
	ClosedAt   *time.Time       `json:"closed_at,omitempty"`
}

// OpenSession starts an operator session for an election, once the
// election's Gate admits it.
func (s *Service) OpenSession(ctx context.Context, electionID uuid.UUID, operator, place string, ch civickit.Channel) (*Session, error) {
	ve := &civickit.ValidationError{}
	if strings.TrimSpace(operator) == "" {
		ve.Add("operator", "required", "")
	}
	if strings.TrimSpace(place) == "" {
		ve.Add("place", "required", "")
	}
	if ch != civickit.ChannelKiosk && ch != civickit.ChannelMediator && ch != civickit.ChannelPaper {
		ve.Add("channel", "oneof", "kiosk mediator paper")
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	e, err := s.store.GetElection(ctx, electionID)
	if err != nil {
		return nil, err
	}
	if err := s.admit(ctx, e, Admission{Action: ActionSession, Channel: ch, Place: place}); err != nil {
		return nil, err
	}
	sess := &Session{ID: s.newID(), ElectionID: electionID, Operator: operator, Place: place, Channel: ch, OpenedAt: s.now()}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return nil, err
	}
	return sess, nil
}

// CloseSession ends a session; casts through it are refused afterwards.
func (s *Service) CloseSession(ctx context.Context, id uuid.UUID) error {
	return s.store.CloseSession(ctx, id, s.now())
}

// Session returns a stored session.
func (s *Service) Session(ctx context.Context, id uuid.UUID) (*Session, error) {
	return s.store.GetSession(ctx, id)
}

// openSession loads the session of a cast and checks that it belongs to e,
// serves channel ch and was open at at (the present when zero).
func (s *Service) openSession(ctx context.Context, e *Election, id uuid.UUID, ch civickit.Channel, at time.Time) (*Session, error) {
	if id == uuid.Nil {
		return nil, civickit.Invalid("session", "required", "")
	}
	sess, err := s.store.GetSession(ctx, id)
	if err != nil {
		return nil, err
	}
	if sess.ElectionID != e.ID || sess.Channel != ch {
		return nil, civickit.Invalid("session", "mismatch", string(sess.Channel))
	}
	if at.IsZero() {
		at = s.now()
	}
	if at.Before(sess.OpenedAt) || sess.ClosedAt != nil && !at.Before(*sess.ClosedAt) {
		return nil, fmt.Errorf("%w: session %s was not open then", ErrClosed, sess.ID)
	}
	return sess, nil
}

// MarkPaperVoter records, at a polling place, that an eligible voter takes
// a paper ballot: they enter the register, so they can vote in no other
// channel, and the place counts one more marked voter, so that its paper
// batches may count one more sheet (see KeyBatch). Under RevoteLast a
// ballot they cast before is voided (a void entry on the board), as the
// paper ballot will count instead; under RevoteNone a voter who voted
// already is refused with ErrAlreadyVoted, and their paper sheet, if it
// reaches a batch, is held as excess. The paper ballot itself goes,
// anonymously, into a batch. The idempotency key works as for Cast.
func (s *Service) MarkPaperVoter(ctx context.Context, sessionID uuid.UUID, v Voter, idempotencyKey string) (Receipt, error) {
	return s.markPaperVoter(ctx, sessionID, v, idempotencyKey, time.Time{}, ActionPaperMark)
}

func (s *Service) markPaperVoter(ctx context.Context, sessionID uuid.UUID, v Voter, idempotencyKey string, at time.Time, action Action) (Receipt, error) {
	sess, err := s.store.GetSession(ctx, sessionID)
	if err != nil {
		return Receipt{}, err
	}
	e, err := s.store.GetElection(ctx, sess.ElectionID)
	if err != nil {
		return Receipt{}, err
	}
	key, err := s.VoterKey(ctx, e.ID, v.ID)
	if err != nil {
		return Receipt{}, err
	}
	digest := BallotDigest(nil)
	var reqKey string
	if idempotencyKey != "" {
		reqKey = s.requestKey(e.ID, "paper:"+string(key), idempotencyKey)
		if r, ok, err := s.replay(ctx, e.ID, reqKey, digest); ok || err != nil {
			return r, err
		}
	} else {
		b, err := s.random(16)
		if err != nil {
			return Receipt{}, err
		}
		reqKey = hex.EncodeToString(b)
	}
	if _, err := s.openSession(ctx, e, sessionID, civickit.ChannelPaper, at); err != nil {
		return Receipt{}, err
	}
	if err := s.admit(ctx, e, Admission{Action: action, Voter: &v, Channel: civickit.ChannelPaper, Place: sess.Place}); err != nil {
		return Receipt{}, err
	}
	if at.IsZero() {
		at = s.now()
	}
	if !e.Open(at) {
		return Receipt{}, fmt.Errorf("%w: paper voter marked outside the window", ErrClosed)
	}
	if err := s.checkEligibility(ctx, e, v, key); err != nil {
		return Receipt{}, err
	}
	tracker, err := s.newTracker()
	if err != nil {
		return Receipt{}, err
	}
	return s.store.Append(ctx, &Append{
		ElectionID: e.ID,
		Voter:      &VoterMark{Key: key, Slot: s.slotFor(e, key), Paper: true},
		Revote:     e.Revote,
		RequestKey: reqKey,
		Digest:     digest,
		Tracker:    tracker,
		Channel:    civickit.ChannelPaper,
		Place:      sess.Place,
		Day:        day(at),
	})
}
