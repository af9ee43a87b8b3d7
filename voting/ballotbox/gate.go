package ballotbox

import (
	"context"
	"fmt"

	"github.com/civickit/civickit"
)

// Gate lets a wider process own an election: a consultation whose
// expression phase is a vote, say. The Service consults it before it
// writes anything for the election — a cast, a paper voter's mark, a
// paper batch, an offline sync, an operator session — and when Admit
// returns an error, the Service returns it wrapped (errors.As and
// errors.Is see through) and writes nothing. A replayed request (an
// idempotency key seen before) is answered without asking: it writes
// nothing either.
//
// Admit is called for every election of the Service; a Gate that owns
// only some elections admits the others. It must be safe for concurrent
// use, and should be fast: it runs on every cast.
type Gate interface {
	Admit(ctx context.Context, e *Election, a Admission) error
}

// Action names what a Gate is asked to admit.
type Action string

const (
	// ActionCast: an identified ballot on the web, at a kiosk, through a
	// mediator or from an import (Cast).
	ActionCast Action = "cast"
	// ActionPaperMark: a voter marked at a polling place (MarkPaperVoter).
	ActionPaperMark Action = "paper_mark"
	// ActionPaperCommit: a paper batch created, keyed, resolved,
	// reconciled, committed or recounted; anonymous (Voter is nil).
	ActionPaperCommit Action = "paper_commit"
	// ActionSync: a submission an access point queued offline (Sync): a
	// cast, or a mark at a paper polling place (Channel says which).
	ActionSync Action = "sync"
	// ActionSession: an operator session opened (OpenSession).
	ActionSession Action = "session"
)

// Admission describes the request a Gate is asked to admit.
type Admission struct {
	Action Action `json:"action"`
	// Voter is who casts or is marked; nil for anonymous paper sheets and
	// for sessions.
	Voter   *Voter           `json:"voter,omitempty"`
	Channel civickit.Channel `json:"channel"`
	// Place is the polling place or access point ("" on the web).
	Place string `json:"place,omitempty"`
}

// admit consults the Gate, if any.
func (s *Service) admit(ctx context.Context, e *Election, a Admission) error {
	if s.gate == nil {
		return nil
	}
	if err := s.gate.Admit(ctx, e, a); err != nil {
		return fmt.Errorf("ballotbox: %s refused for election %s: %w", a.Action, e.ID, err)
	}
	return nil
}
