package proposals

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// Core is what proposals need of the consultation service
// (*participation.Service implements it): the consultation, the phase
// gate, and the admission of a participant's action (phase, channel
// offered, eligibility).
type Core interface {
	GetConsultation(ctx context.Context, id uuid.UUID) (*participation.Consultation, error)
	CheckAction(ctx context.Context, consultationID uuid.UUID, a participation.Action) (*participation.Consultation, error)
	Admit(ctx context.Context, consultationID, participantID uuid.UUID, a participation.Action, p civickit.Provenance) (*participation.Consultation, error)
}

// Options configures a Service. The zero value is usable.
type Options struct {
	// Now returns the current time; time.Now by default.
	Now func() time.Time
	// NewID returns identifiers of proposals, reports and decisions;
	// civickit.NewPublicID by default.
	NewID func() uuid.UUID
}

// Service is the proposals API: participants submit proposals (a call
// for proposals) and support others', one support per person whatever
// the channel; proposals are reported and moderated (the promoted
// methods of *participation.Moderator: Report, Moderate, ListReports,
// ListModerationQueue, ListModerationDecisions). Participatory budgets
// and councils will grow here.
type Service struct {
	*participation.Moderator

	store Store
	core  Core
	now   func() time.Time
	newID func() uuid.UUID
}

// NewService returns a Service over store, admitting participants
// through core.
func NewService(store Store, core Core, opts Options) (*Service, error) {
	if store == nil || core == nil {
		return nil, fmt.Errorf("proposals: NewService: nil store or core")
	}
	s := &Service{store: store, core: core, now: opts.Now, newID: opts.NewID}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = civickit.NewPublicID
	}
	m, err := participation.NewModerator(store, core, participation.ModeratorConfig{
		Kinds:          []participation.ItemKind{participation.ItemProposal},
		ConsultationOf: s.consultationOf,
		Now:            s.now,
		NewID:          s.newID,
	})
	if err != nil {
		return nil, fmt.Errorf("proposals: NewService: %w", err)
	}
	s.Moderator = m
	return s, nil
}

// consultationOf returns the consultation of a proposal.
func (s *Service) consultationOf(ctx context.Context, item participation.ItemRef) (uuid.UUID, error) {
	if item.Kind != participation.ItemProposal {
		return uuid.Nil, civickit.Invalid("item.kind", "oneof", "proposal")
	}
	p, err := s.store.GetProposal(ctx, item.ID)
	if err != nil {
		return uuid.Nil, err
	}
	return p.ConsultationID, nil
}
