package debate

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// Core is what the debate needs of the consultation service
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
	// NewID returns identifiers of comments, statements, reports and
	// decisions; civickit.NewPublicID by default.
	NewID func() uuid.UUID
	// NewSecretID returns the random material of voter pseudonyms;
	// civickit.NewSecretID by default.
	NewSecretID func() uuid.UUID
}

// Service is the debate API: threaded comments with their votes and edit
// history, Polis-style statements and the opinion matrix, and the
// reports and moderation of both (the promoted methods of
// *participation.Moderator: Report, Moderate, ListReports,
// ListModerationQueue, ListModerationDecisions).
type Service struct {
	*participation.Moderator

	store       Store
	core        Core
	now         func() time.Time
	newID       func() uuid.UUID
	newSecretID func() uuid.UUID
}

// NewService returns a Service over store, admitting participants
// through core.
func NewService(store Store, core Core, opts Options) (*Service, error) {
	if store == nil || core == nil {
		return nil, fmt.Errorf("debate: NewService: nil store or core")
	}
	s := &Service{store: store, core: core, now: opts.Now, newID: opts.NewID, newSecretID: opts.NewSecretID}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = civickit.NewPublicID
	}
	if s.newSecretID == nil {
		s.newSecretID = civickit.NewSecretID
	}
	m, err := participation.NewModerator(store, core, participation.ModeratorConfig{
		Kinds:          []participation.ItemKind{participation.ItemComment, participation.ItemStatement},
		ConsultationOf: s.consultationOf,
		Now:            s.now,
		NewID:          s.newID,
	})
	if err != nil {
		return nil, fmt.Errorf("debate: NewService: %w", err)
	}
	s.Moderator = m
	return s, nil
}

// consultationOf returns the consultation of a comment or a statement.
func (s *Service) consultationOf(ctx context.Context, item participation.ItemRef) (uuid.UUID, error) {
	switch item.Kind {
	case participation.ItemComment:
		c, err := s.store.GetComment(ctx, item.ID)
		if err != nil {
			return uuid.Nil, err
		}
		return c.ConsultationID, nil
	case participation.ItemStatement:
		st, err := s.store.GetStatement(ctx, item.ID)
		if err != nil {
			return uuid.Nil, err
		}
		return st.ConsultationID, nil
	}
	return uuid.Nil, civickit.Invalid("item.kind", "oneof", "comment statement")
}

// collect reads every page of a list.
func collect[T any](list func(after string, limit int) (civickit.Page[T], error)) ([]T, error) {
	var all []T
	after := ""
	for {
		p, err := list(after, civickit.MaxLimit)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if p.Next == "" {
			return all, nil
		}
		after = p.Next
	}
}
