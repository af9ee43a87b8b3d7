package ballotbox

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Session is an operator's shift at an access point: a kiosk, a
// mediator's desk or a polling place with paper ballots. Casts made
// through it carry its channel and place; the operator is recorded here,
// never on a ballot.
type Session struct {
	ID         uuid.UUID
	ElectionID uuid.UUID
	Operator   string
	Place      string
	Channel    Channel // ChannelKiosk, ChannelMediator or ChannelPaper
	OpenedAt   time.Time
	ClosedAt   *time.Time
}

// OpenSession starts an operator session for an election.
func (s *Service) OpenSession(ctx context.Context, electionID uuid.UUID, operator, place string, ch Channel) (*Session, error) {
	var fs []FieldError
	if strings.TrimSpace(operator) == "" {
		fs = append(fs, FieldError{Field: "operator", Rule: "required"})
	}
	if strings.TrimSpace(place) == "" {
		fs = append(fs, FieldError{Field: "place", Rule: "required"})
	}
	if ch != ChannelKiosk && ch != ChannelMediator && ch != ChannelPaper {
		fs = append(fs, FieldError{Field: "channel", Rule: "oneof", Param: "kiosk mediator paper"})
	}
	if len(fs) > 0 {
		return nil, &ValidationError{Fields: fs}
	}
	if _, err := s.store.GetElection(ctx, electionID); err != nil {
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
func (s *Service) openSession(ctx context.Context, e *Election, id uuid.UUID, ch Channel, at time.Time) (*Session, error) {
	if id == uuid.Nil {
		return nil, &ValidationError{Fields: []FieldError{{Field: "session", Rule: "required"}}}
	}
	sess, err := s.store.GetSession(ctx, id)
	if err != nil {
		return nil, err
	}
	if sess.ElectionID != e.ID || sess.Channel != ch {
		return nil, &ValidationError{Fields: []FieldError{{Field: "session", Rule: "mismatch", Param: string(sess.Channel)}}}
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
// channel; under RevoteLast a ballot they cast before is voided (a void
// entry on the board), as the paper ballot will count instead. The paper
// ballot itself goes, anonymously, into a batch. The idempotency key works
// as for Cast.
func (s *Service) MarkPaperVoter(ctx context.Context, sessionID uuid.UUID, v Voter, idempotencyKey string) (Receipt, error) {
	return s.markPaperVoter(ctx, sessionID, v, idempotencyKey, time.Time{})
}

func (s *Service) markPaperVoter(ctx context.Context, sessionID uuid.UUID, v Voter, idempotencyKey string, at time.Time) (Receipt, error) {
	sess, err := s.store.GetSession(ctx, sessionID)
	if err != nil {
		return Receipt{}, err
	}
	e, err := s.store.GetElection(ctx, sess.ElectionID)
	if err != nil {
		return Receipt{}, err
	}
	if NormalizeVoterID(v.ID) == "" {
		return Receipt{}, &EligibilityError{Rule: "identifier", Detail: "no voter identifier"}
	}
	key := VoterKeyOf(e, v.ID)
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
	if _, err := s.openSession(ctx, e, sessionID, ChannelPaper, at); err != nil {
		return Receipt{}, err
	}
	if at.IsZero() {
		at = s.now()
	}
	if !e.Open(at) {
		return Receipt{}, fmt.Errorf("%w: paper voter marked outside the window", ErrClosed)
	}
	if err := s.CheckEligibility(ctx, e, v); err != nil {
		return Receipt{}, err
	}
	tracker, err := s.newTracker()
	if err != nil {
		return Receipt{}, err
	}
	return s.store.Append(ctx, &Append{
		ElectionID: e.ID,
		Voter:      &VoterMark{Key: key, Slot: s.slot(e.ID, key), Paper: true},
		Revote:     e.Revote,
		RequestKey: reqKey,
		Digest:     digest,
		Tracker:    tracker,
		Channel:    ChannelPaper,
		Place:      sess.Place,
		Day:        day(at),
	})
}
