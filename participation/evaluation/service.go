package evaluation

import (
	"context"
	"fmt"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// Core is what the evaluation needs of the consultation service
// (*participation.Service implements it): the consultation (with its
// schedule applied), and the creation of the follow-up consultation.
type Core interface {
	GetConsultation(ctx context.Context, id uuid.UUID) (*participation.Consultation, error)
	CreateConsultation(ctx context.Context, c participation.Consultation) (*participation.Consultation, error)
}

// Options configures a Service. The zero value is usable.
type Options struct {
	// Now returns the current time; time.Now by default.
	Now func() time.Time
	// NewID returns identifiers of follow-up items and milestones;
	// civickit.NewPublicID by default.
	NewID func() uuid.UUID
	// Outcomes, when set, gives the outcomes of the consultation's
	// expression step (a vote: *vote.Service), which Evaluation shows.
	Outcomes OutcomeSource
}

// Service is the evaluation API: the decision taken after a
// consultation, the follow-up of its carrying out (a tree of items with
// milestones and weighted progress) and the follow-up consultation.
type Service struct {
	store    Store
	core     Core
	outcomes OutcomeSource
	now      func() time.Time
	newID    func() uuid.UUID
	validate *validator.Validate
}

// NewService returns a Service over store.
func NewService(store Store, core Core, opts Options) (*Service, error) {
	if store == nil || core == nil {
		return nil, fmt.Errorf("evaluation: NewService: nil store or core")
	}
	s := &Service{store: store, core: core, outcomes: opts.Outcomes, now: opts.Now, newID: opts.NewID,
		validate: civickit.NewValidator(map[string]func(string) bool{
			"follow_up_status": func(s string) bool { return FollowUpStatus(s).Valid() },
		})}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = civickit.NewPublicID
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
