package vote

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/voting/ballotbox"
)

// Core is what package vote needs of the consultation service
// (*participation.Service implements it): the consultation with its
// schedule applied, the phase gate, the admission of a participant's
// action (phase, channel offered, eligibility) and the manual
// transitions.
type Core interface {
	GetConsultation(ctx context.Context, id uuid.UUID) (*participation.Consultation, error)
	CheckAction(ctx context.Context, consultationID uuid.UUID, a participation.Action) (*participation.Consultation, error)
	Admit(ctx context.Context, consultationID, participantID uuid.UUID, a participation.Action, p civickit.Provenance) (*participation.Consultation, error)
	Transition(ctx context.Context, id uuid.UUID, r participation.TransitionRequest) (*participation.Consultation, error)
}

// Gate admits the requests of the ballot box's elections that belong to
// a consultation under the consultation's rules; it admits every request
// of an election linked to none. Give it to ballotbox.Options.Gate.
//
//   - A cast, an offline sync and a paper voter's mark name a voter,
//     whose ID must be a participant's ID: the core admits
//     participation.ActionVote for that participant through the
//     request's channel and place (Core.Admit: the phase, the channel
//     offered, the participant's eligibility). An ID that is no UUID is
//     a *civickit.ValidationError on "voter.id" (rule "uuid").
//   - An operator session needs the phase to allow the vote and its
//     channel to be offered.
//   - An anonymous paper batch (created, keyed, resolved, voided,
//     committed, recounted) needs paper to be offered and the expression
//     phase to have begun: it may be counted after the phase, as paper
//     is counted after the close, since each of its sheets is held
//     against a voter marked (and admitted) during the phase.
//
// An offline submission synced after the consultation left its
// expression phase is refused (the core judges the present, not the
// submission's time): access points must sync while the phase lasts.
//
// A Gate is safe for concurrent use. It remembers the elections it found
// linked (a link never changes), so that a cast costs one read of the
// link per election and process, then the core's checks.
type Gate struct {
	store Store
	core  Core
	links sync.Map // election ID -> consultation ID, for linked elections only
}

var _ ballotbox.Gate = (*Gate)(nil)

// NewGate returns the Gate of the elections linked in store, admitting
// their requests through core.
func NewGate(store Store, core Core) *Gate {
	if store == nil || core == nil {
		panic("vote: NewGate: nil store or core")
	}
	return &Gate{store: store, core: core}
}

// consultation returns the consultation an election belongs to, and
// false when it belongs to none.
func (g *Gate) consultation(ctx context.Context, electionID uuid.UUID) (uuid.UUID, bool, error) {
	if id, ok := g.links.Load(electionID); ok {
		return id.(uuid.UUID), true, nil
	}
	l, err := g.store.GetLink(ctx, electionID)
	switch {
	case errors.Is(err, civickit.ErrNotFound):
		// Not remembered: a link may be created later (before its
		// election, see Service.CreateVote).
		return uuid.Nil, false, nil
	case err != nil:
		return uuid.Nil, false, fmt.Errorf("vote: link of election %s: %w", electionID, err)
	}
	g.links.Store(electionID, l.ConsultationID)
	return l.ConsultationID, true, nil
}

// Admit implements ballotbox.Gate.
func (g *Gate) Admit(ctx context.Context, e *ballotbox.Election, a ballotbox.Admission) error {
	cid, linked, err := g.consultation(ctx, e.ID)
	if err != nil || !linked {
		return err
	}
	switch a.Action {
	case ballotbox.ActionCast, ballotbox.ActionSync, ballotbox.ActionPaperMark:
		if a.Voter == nil {
			return civickit.Invalid("voter", "required", "")
		}
		pid, err := ParticipantID(a.Voter.ID)
		if err != nil {
			return err
		}
		_, err = g.core.Admit(ctx, cid, pid, participation.ActionVote, civickit.Provenance{Channel: a.Channel, Place: a.Place})
		return err
	case ballotbox.ActionSession:
		c, err := g.core.CheckAction(ctx, cid, participation.ActionVote)
		if err != nil {
			return err
		}
		return offered(c, a.Channel)
	case ballotbox.ActionPaperCommit:
		c, err := g.core.GetConsultation(ctx, cid)
		if err != nil {
			return err
		}
		if err := c.Allows(participation.ActionVote); err != nil && !expressionOver(c) {
			return err
		}
		return offered(c, a.Channel)
	}
	// An action this Gate does not know is not admitted blindly.
	return civickit.Invalid("action", "oneof", "cast sync paper_mark session paper_commit")
}

// offered refuses a channel the consultation does not offer, as
// participation.Service.Admit does.
func offered(c *participation.Consultation, ch civickit.Channel) error {
	if !c.OffersChannel(ch) {
		return civickit.Invalid("provenance.channel", "offered", string(ch))
	}
	return nil
}

// ParticipantID reads a voter's ID as the participant's ID it must be.
// Any spelling uuid.Parse accepts whose normal form (the ballot box
// compares voter IDs after civickit.NormalizeIdentifier) is that of the
// canonical spelling is accepted — upper case, braces, no hyphens — so
// that one participant has one voter key; anything else is a
// *civickit.ValidationError on "voter.id" (rule "uuid").
func ParticipantID(voterID string) (uuid.UUID, error) {
	id, err := uuid.Parse(voterID)
	if err != nil || id == uuid.Nil || civickit.NormalizeIdentifier(voterID) != civickit.NormalizeIdentifier(id.String()) {
		return uuid.Nil, civickit.Invalid("voter.id", "uuid", "")
	}
	return id, nil
}

// expressionIndex returns the index of the consultation's expression
// phase, or -1.
func expressionIndex(c *participation.Consultation) int {
	for i, p := range c.Phases {
		if p.Kind == participation.PhaseExpression {
			return i
		}
	}
	return -1
}

// activeIndex returns the index of the active phase, or -1.
func activeIndex(c *participation.Consultation) int {
	for i, p := range c.Phases {
		if p.Active {
			return i
		}
	}
	return -1
}

// expressionActive reports whether the consultation is in its expression
// phase.
func expressionActive(c *participation.Consultation) bool {
	i := activeIndex(c)
	return c.Status == participation.StatusOpen && i >= 0 && c.Phases[i].Kind == participation.PhaseExpression
}

// expressionOver reports whether the consultation has left its
// expression phase for good: closed, or in a later phase. A consultation
// closed as a draft (cancelled) counts as over: its votes never open.
func expressionOver(c *participation.Consultation) bool {
	if c.Status == participation.StatusClosed {
		return true
	}
	x := expressionIndex(c)
	return c.Status == participation.StatusOpen && x >= 0 && activeIndex(c) > x
}
