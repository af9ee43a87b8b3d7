package questionnaire

import (
	"context"
	"fmt"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/voting"
)

// Core is what questionnaires need of the consultation service
// (*participation.Service implements it): the consultation, the phase
// gate, the admission of a respondent (phase, channel offered,
// eligibility) and the reflection step required before a choice.
type Core interface {
	GetConsultation(ctx context.Context, id uuid.UUID) (*participation.Consultation, error)
	CheckAction(ctx context.Context, consultationID uuid.UUID, a participation.Action) (*participation.Consultation, error)
	Admit(ctx context.Context, consultationID, participantID uuid.UUID, a participation.Action, p civickit.Provenance) (*participation.Consultation, error)
	CheckReflection(ctx context.Context, consultationID, participantID uuid.UUID, ch civickit.Channel) error
}

// Options configures a Service. The zero value is usable.
type Options struct {
	// Now returns the current time; time.Now by default.
	Now func() time.Time
	// NewID returns identifiers of questionnaires, paper batches and
	// entries; civickit.NewPublicID by default.
	NewID func() uuid.UUID
	// NewSecretID returns response identifiers, which must not leak the
	// order of responses; civickit.NewSecretID by default.
	NewSecretID func() uuid.UUID
	// Methods are the counting methods of grids and rankings;
	// voting.NewRegistry() by default.
	Methods *voting.Registry
	// Attributes gives the respondents' declared attributes for
	// WeightedResults (participation.Service is one); nil: no weighting.
	Attributes AttributeSource
}

// Service is the questionnaire API: questionnaires and their questions,
// responses through every channel (one per participant), paper batches
// keyed twice, results and k-suppressed exports.
type Service struct {
	store       Store
	core        Core
	now         func() time.Time
	newID       func() uuid.UUID
	newSecretID func() uuid.UUID
	validate    *validator.Validate
	methods     *voting.Registry
	attributes  AttributeSource
}

// NewService returns a Service over store, admitting respondents through
// core.
func NewService(store Store, core Core, opts Options) (*Service, error) {
	if store == nil || core == nil {
		return nil, fmt.Errorf("questionnaire: NewService: nil store or core")
	}
	s := &Service{
		store: store, core: core, now: opts.Now, newID: opts.NewID, newSecretID: opts.NewSecretID,
		validate: civickit.NewValidator(nil), methods: opts.Methods,
		attributes: opts.Attributes,
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
	if s.methods == nil {
		s.methods = voting.NewRegistry()
	}
	return s, nil
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
