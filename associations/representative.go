package associations

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// Associations take part in the city's decisions with one voice each.
// The voice is a participant of its own (see VoiceRegistry); the people
// who speak for the association are its representatives, each mandated
// by the association and checked by the city's staff. A representative
// acts as the association's voice (ActingFor), so an association that
// changes representatives still has one voice: one answer, one ballot.

// Representative is a person the association mandated to speak for it in
// consultations and votes, as checked by the city's staff.
type Representative struct {
	AssociationID uuid.UUID `json:"association_id"`
	// ParticipantID is the representative's own participant (package
	// participation), pseudonymous: their name stays in participation's
	// personal data.
	ParticipantID uuid.UUID `json:"participant_id"`
	// AuthorisedBy is the staff member who checked the mandate.
	AuthorisedBy string `json:"authorised_by" validate:"required,max=100"`
	// Evidence names what was checked (the board's minutes of a date, a
	// delegation), never a copy of it.
	Evidence     string    `json:"evidence" validate:"required,max=300"`
	AuthorisedAt time.Time `json:"authorised_at"`
}

// RepresentativeStore persists mandates.
type RepresentativeStore interface {
	// CreateRepresentative inserts r. ErrNotFound if the association is
	// unknown; ErrConflict if the person already represents it.
	CreateRepresentative(ctx context.Context, r *Representative) error
	// DeleteRepresentative removes a mandate; ErrNotFound if absent.
	DeleteRepresentative(ctx context.Context, associationID, participantID uuid.UUID) error
	// GetRepresentative returns ErrNotFound when the person does not
	// represent the association.
	GetRepresentative(ctx context.Context, associationID, participantID uuid.UUID) (*Representative, error)
	// ListRepresentatives returns a page of an association's
	// representatives ordered by ParticipantID.
	ListRepresentatives(ctx context.Context, associationID uuid.UUID, after string, limit int) (civickit.Page[Representative], error)
}

// RepresentativeCursor is the position of a page of representatives.
type RepresentativeCursor struct {
	ParticipantID uuid.UUID `json:"p"`
}

// VoiceRegistry gives each association its voice: the participant it
// takes part as, the same on every call. participation.OrganisationVoices
// is one.
type VoiceRegistry interface {
	Voice(ctx context.Context, organisationID uuid.UUID) (uuid.UUID, error)
}

// ErrNotRepresentative: the person holds no mandate of the association.
// It refines civickit.ErrForbidden.
var ErrNotRepresentative = civickit.Sentinel(civickit.ErrForbidden, "associations: not a representative of the association")

// AuthoriseRepresentative records a mandate checked by staff. Only an
// active association can be represented.
func (s *Service) AuthoriseRepresentative(ctx context.Context, r Representative) (*Representative, error) {
	r.AuthorisedBy, r.Evidence = strings.TrimSpace(r.AuthorisedBy), strings.TrimSpace(r.Evidence)
	ve := &civickit.ValidationError{}
	if r.AssociationID == uuid.Nil {
		ve.Add("association_id", "required", "")
	}
	if r.ParticipantID == uuid.Nil {
		ve.Add("participant_id", "required", "")
	}
	civickit.CheckStruct(s.validate, "", &r, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	a, err := s.store.GetAssociation(ctx, r.AssociationID)
	if err != nil {
		return nil, fmt.Errorf("authorise representative: %w", err)
	}
	if a.Status != StatusActive {
		return nil, fmt.Errorf("authorise representative: association %s is %s: %w", a.ID, a.Status, civickit.ErrWrongState)
	}
	r.AuthorisedAt = s.now().UTC()
	if err := s.store.CreateRepresentative(ctx, &r); err != nil {
		return nil, fmt.Errorf("authorise representative: %w", err)
	}
	return &r, nil
}

// RevokeRepresentative ends a mandate. What the association said through
// that person stays the association's.
func (s *Service) RevokeRepresentative(ctx context.Context, associationID, participantID uuid.UUID) error {
	if err := s.store.DeleteRepresentative(ctx, associationID, participantID); err != nil {
		return fmt.Errorf("revoke representative: %w", err)
	}
	return nil
}

// Representatives returns a page of an association's representatives.
func (s *Service) Representatives(ctx context.Context, associationID uuid.UUID, after string, limit int) (civickit.Page[Representative], error) {
	return s.store.ListRepresentatives(ctx, associationID, after, limit)
}

// ActingFor returns the participant a representative acts as when they
// speak for the association: the association's voice. It fails with
// ErrNotRepresentative without a mandate, with civickit.ErrWrongState
// when the association is no longer active, and with
// civickit.ErrUnavailable when the Service has no VoiceRegistry.
func (s *Service) ActingFor(ctx context.Context, participantID, associationID uuid.UUID) (uuid.UUID, error) {
	if s.voices == nil {
		return uuid.Nil, fmt.Errorf("acting for association: no voice registry configured: %w", civickit.ErrUnavailable)
	}
	_, err := s.store.GetRepresentative(ctx, associationID, participantID)
	switch {
	case errors.Is(err, ErrNotFound):
		return uuid.Nil, fmt.Errorf("acting for association %s: %w", associationID, ErrNotRepresentative)
	case err != nil:
		return uuid.Nil, fmt.Errorf("acting for association: %w", err)
	}
	a, err := s.store.GetAssociation(ctx, associationID)
	if err != nil {
		return uuid.Nil, fmt.Errorf("acting for association: %w", err)
	}
	if a.Status != StatusActive {
		return uuid.Nil, fmt.Errorf("acting for association %s: it is %s: %w", a.ID, a.Status, civickit.ErrWrongState)
	}
	voice, err := s.voices.Voice(ctx, associationID)
	if err != nil {
		return uuid.Nil, fmt.Errorf("acting for association: %w", err)
	}
	return voice, nil
}
