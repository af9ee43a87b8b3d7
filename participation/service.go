package participation

import (
	"context"
	"fmt"
	"github.com/civickit/civickit"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/google/uuid"
)

// Options configures a Service. The zero value is usable.
type Options struct {
	// Now returns the current time; time.Now by default.
	Now func() time.Time
	// NewID returns identifiers of public rows (consultations, resources,
	// follow-up items, audit entries); civickit.NewPublicID by default.
	NewID func() uuid.UUID
	// NewSecretID returns identifiers that must not leak order
	// (participants); civickit.NewSecretID by default.
	NewSecretID func() uuid.UUID
	// Verifiers are the identity verifiers participants can use, by
	// Name.
	Verifiers []Verifier
}

// Service is the participation API: it validates, applies the phase and
// eligibility rules and calls the Store.
type Service struct {
	store       Store
	now         func() time.Time
	newID       func() uuid.UUID
	newSecretID func() uuid.UUID
	validate    *validator.Validate
	verifiers   map[string]Verifier
}

// NewService returns a Service over store.
func NewService(store Store, opts Options) (*Service, error) {
	if store == nil {
		return nil, fmt.Errorf("participation: NewService: nil store")
	}
	s := &Service{
		store:       store,
		now:         opts.Now,
		newID:       opts.NewID,
		newSecretID: opts.NewSecretID,
		validate:    newValidator(),
		verifiers:   make(map[string]Verifier, len(opts.Verifiers)),
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = civickit.NewPublicID
	}
	if s.newSecretID == nil {
		s.newSecretID = civickit.NewSecretID
	}
	for _, v := range opts.Verifiers {
		if v == nil {
			return nil, fmt.Errorf("participation: NewService: nil verifier")
		}
		if _, dup := s.verifiers[v.Name()]; dup {
			return nil, fmt.Errorf("participation: NewService: two verifiers named %q", v.Name())
		}
		s.verifiers[v.Name()] = v
	}
	return s, nil
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
// through channel ch, and a *ValidationError naming what is missing
// otherwise. It is never required on assisted channels (paper, kiosk,
// mediator, import) unless Settings.ReflectionOnPaper.
func (s *Service) CheckReflection(ctx context.Context, consultationID, participantID uuid.UUID, ch civickit.Channel) error {
	c, err := s.store.GetConsultation(ctx, consultationID)
	if err != nil {
		return fmt.Errorf("check reflection: %w", err)
	}
	return s.checkReflection(ctx, c, participantID, ch)
}

// collect reads every page of a list, for the rules that need a whole
// list (the reflection step, a follow-up tree).
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
