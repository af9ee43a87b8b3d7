package participation

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// The guards every contribution goes through, whatever package stores
// it: package debate, proposals and questionnaire (and a vote) call them
// through narrow interfaces of their own, and never look at a
// consultation's phases, channels or eligibility rules themselves.

// Admit admits an action of a participant through a channel: the
// consultation's active phase must allow a (*PhaseError), the
// consultation must offer p's channel (a *civickit.ValidationError with
// rule "offered" on "provenance.channel") and the participant must be
// eligible (*EligibilityError; ErrNotFound for an unknown participant).
// It returns the consultation, with any transition its schedule makes
// due applied. Admit does not check the reflection step (see
// CheckReflection), which only expressions of a choice require.
func (s *Service) Admit(ctx context.Context, consultationID, participantID uuid.UUID, a Action, p civickit.Provenance) (*Consultation, error) {
	c, err := s.CheckAction(ctx, consultationID, a)
	if err != nil {
		return nil, err
	}
	if !c.OffersChannel(p.Channel) {
		return nil, civickit.Invalid("provenance.channel", "offered", string(p.Channel))
	}
	if err := s.checkEligibility(ctx, c, participantID); err != nil {
		return nil, err
	}
	return c, nil
}

// CheckAction loads the consultation (applying any transition its
// schedule makes due) and returns it when its active phase allows a, or
// a *PhaseError (matching ErrWrongPhase) when it does not.
func (s *Service) CheckAction(ctx context.Context, consultationID uuid.UUID, a Action) (*Consultation, error) {
	c, err := s.current(ctx, consultationID)
	if err != nil {
		return nil, err
	}
	if err := c.Allows(a); err != nil {
		return nil, err
	}
	return c, nil
}

// CheckEligibility returns nil when the participant may take part in the
// consultation, and an *EligibilityError naming the failed rule
// (matching ErrNotEligible) when they may not.
func (s *Service) CheckEligibility(ctx context.Context, consultationID, participantID uuid.UUID) error {
	c, err := s.store.GetConsultation(ctx, consultationID)
	if err != nil {
		return fmt.Errorf("check eligibility: %w", err)
	}
	return s.checkEligibility(ctx, c, participantID)
}

// CheckReflection returns nil when the participant has done what the
// consultation's reflection step requires before expressing a choice
// through channel ch, and a *civickit.ValidationError naming what is
// missing otherwise. It is never required on assisted channels (paper,
// kiosk, mediator, import) unless Settings.ReflectionOnPaper.
func (s *Service) CheckReflection(ctx context.Context, consultationID, participantID uuid.UUID, ch civickit.Channel) error {
	c, err := s.store.GetConsultation(ctx, consultationID)
	if err != nil {
		return fmt.Errorf("check reflection: %w", err)
	}
	return s.checkReflection(ctx, c, participantID, ch)
}

// CheckContributor adds the broken rules of a contribution's author and
// provenance to ve: a participant is required (under path) and the
// provenance must be valid (under "provenance"). The sub-packages check
// every contribution with it before they Admit it.
func CheckContributor(path string, participantID uuid.UUID, p civickit.Provenance, ve *civickit.ValidationError) {
	if participantID == uuid.Nil {
		ve.Add(path, "required", "")
	}
	p.Check("provenance", ve)
}
