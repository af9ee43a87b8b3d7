package associations

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/google/uuid"
)

// Options configures a Service. The zero value is usable.
type Options struct {
	// Now returns the current time; time.Now by default.
	Now func() time.Time
	// NewID returns a new identifier; uuid.NewV7 by default (registry rows
	// are public, so their creation order may show).
	NewID func() uuid.UUID
	// DefaultLimit is the page size when a query gives none (default 50);
	// MaxLimit caps any page (default 500).
	DefaultLimit, MaxLimit int
}

// Service is the registry's API: it validates, applies the domain rules
// and calls the Store.
type Service struct {
	store    Store
	now      func() time.Time
	newID    func() uuid.UUID
	validate *validator.Validate
	defLimit int
	maxLimit int
}

// NewService returns a Service over store.
func NewService(store Store, opts Options) (*Service, error) {
	if store == nil {
		return nil, fmt.Errorf("associations: NewService: nil store")
	}
	s := &Service{
		store:    store,
		now:      opts.Now,
		newID:    opts.NewID,
		validate: newValidator(),
		defLimit: opts.DefaultLimit,
		maxLimit: opts.MaxLimit,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = func() uuid.UUID { return uuid.Must(uuid.NewV7()) }
	}
	if s.maxLimit <= 0 {
		s.maxLimit = 500
	}
	if s.defLimit <= 0 || s.defLimit > s.maxLimit {
		s.defLimit = min(50, s.maxLimit)
	}
	return s, nil
}

// Validate checks a against the struct rules and the domain rules and
// returns a *ValidationError naming every broken rule.
func (s *Service) Validate(a *Association) error {
	ve := &ValidationError{}
	checkStruct(s.validate, "", a, ve)
	validateAssociationRules(a, ve)
	return ve.orNil()
}

// validateAssociationRules holds the rules that cross fields.
func validateAssociationRules(a *Association, ve *ValidationError) {
	if strings.TrimSpace(a.Name) == "" && a.Name != "" {
		ve.add("name", "required", "")
	}
	if a.SIREN != "" && a.SIRET != "" && !strings.HasPrefix(a.SIRET, a.SIREN) {
		ve.add("siret", "siren_prefix", a.SIREN)
	}
	if a.DissolvedOn != nil {
		if a.Status != StatusDissolved {
			ve.add("dissolved_on", "only_when_dissolved", "")
		}
		if a.CreatedOn != nil && a.DissolvedOn.Before(*a.CreatedOn) {
			ve.add("dissolved_on", "gtefield", "created_on")
		}
	}
	if a.Address.Location != nil {
		p := a.Address.Location
		if p.Lat != p.Lat || p.Lon != p.Lon { // NaN passes range tags
			ve.add("address.location", "finite", "")
		}
	}
}

func dateOnly(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return &d
}

// normalize trims and canonicalises fields before validation.
func normalize(a *Association) {
	a.Name = strings.TrimSpace(a.Name)
	a.Acronym = strings.TrimSpace(a.Acronym)
	a.RNA = strings.ToUpper(strings.TrimSpace(a.RNA))
	a.SIREN = strings.ReplaceAll(strings.TrimSpace(a.SIREN), " ", "")
	a.SIRET = strings.ReplaceAll(strings.TrimSpace(a.SIRET), " ", "")
	a.NEQ = strings.ReplaceAll(strings.TrimSpace(a.NEQ), " ", "")
	a.CreatedOn = dateOnly(a.CreatedOn)
	a.DissolvedOn = dateOnly(a.DissolvedOn)
	if a.Status == "" {
		a.Status = StatusActive
	}
}

// Create validates a and stores it as a new association. The ID, Version
// and timestamps are set by the service.
func (s *Service) Create(ctx context.Context, a Association) (*Association, error) {
	normalize(&a)
	if err := s.Validate(&a); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	a.ID = s.newID()
	a.Version = 1
	a.CreatedAt, a.UpdatedAt = now, now
	if err := s.store.CreateAssociation(ctx, &a); err != nil {
		return nil, fmt.Errorf("create association: %w", err)
	}
	return &a, nil
}

// Get returns the association with that ID.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (*Association, error) {
	return s.store.GetAssociation(ctx, id)
}

// GetByRNA returns the association with that RNA number.
func (s *Service) GetByRNA(ctx context.Context, rna string) (*Association, error) {
	return s.store.GetAssociationByRNA(ctx, strings.ToUpper(strings.TrimSpace(rna)))
}

// Update validates a and replaces the stored association whose ID and
// Version match. A dissolved association cannot become active again.
func (s *Service) Update(ctx context.Context, a Association) (*Association, error) {
	normalize(&a)
	if err := s.Validate(&a); err != nil {
		return nil, err
	}
	cur, err := s.store.GetAssociation(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	if cur.Status == StatusDissolved && a.Status == StatusActive {
		return nil, &TransitionError{Entity: "association", From: string(cur.Status), To: string(a.Status)}
	}
	a.CreatedAt = cur.CreatedAt
	a.UpdatedAt = s.now().UTC()
	if err := s.store.UpdateAssociation(ctx, &a); err != nil {
		return nil, fmt.Errorf("update association: %w", err)
	}
	return &a, nil
}

// Dissolve moves an active association to dissolved as of the given date.
func (s *Service) Dissolve(ctx context.Context, id uuid.UUID, on time.Time) (*Association, error) {
	a, err := s.store.GetAssociation(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Status != StatusActive {
		return nil, &TransitionError{Entity: "association", From: string(a.Status), To: string(StatusDissolved)}
	}
	a.Status = StatusDissolved
	a.DissolvedOn = dateOnly(&on)
	return s.Update(ctx, *a)
}

// SearchQuery asks for a page of associations ordered by name.
type SearchQuery struct {
	Filter
	Limit  int    `json:"limit,omitempty" validate:"gte=0"`
	Cursor string `json:"cursor,omitempty"`
}

// NearQuery asks for a page of associations within a radius, nearest first.
type NearQuery struct {
	Filter
	Center       Point   `json:"center"`
	RadiusMeters float64 `json:"radius_m" validate:"gt=0"`
	Limit        int     `json:"limit,omitempty" validate:"gte=0"`
	Cursor       string  `json:"cursor,omitempty"`
}

func (s *Service) limit(n int, ve *ValidationError) int {
	switch {
	case n == 0:
		return s.defLimit
	case n > s.maxLimit:
		ve.add("limit", "lte", fmt.Sprint(s.maxLimit))
	}
	return n
}

// Search returns a page of associations passing the filter, by name.
func (s *Service) Search(ctx context.Context, q SearchQuery) (Page, error) {
	ve := &ValidationError{}
	checkStruct(s.validate, "", &q, ve)
	limit := s.limit(q.Limit, ve)
	after, err := DecodeSearchCursor(q.Cursor)
	if err != nil {
		ve.add("cursor", "cursor", "")
	}
	if err := ve.orNil(); err != nil {
		return Page{}, err
	}
	items, next, err := s.store.SearchAssociations(ctx, SearchParams{Filter: q.Filter, Limit: limit, After: after})
	if err != nil {
		return Page{}, fmt.Errorf("search associations: %w", err)
	}
	p := Page{Items: items}
	if p.Items == nil {
		p.Items = []Association{}
	}
	if next != nil {
		p.Next = EncodeSearchCursor(*next)
	}
	return p, nil
}

// Near returns a page of located associations within the radius, nearest first.
func (s *Service) Near(ctx context.Context, q NearQuery) (NearPage, error) {
	ve := &ValidationError{}
	checkStruct(s.validate, "", &q, ve)
	if q.Center.Lat != q.Center.Lat || q.Center.Lon != q.Center.Lon {
		ve.add("center", "finite", "")
	}
	limit := s.limit(q.Limit, ve)
	after, err := DecodeNearCursor(q.Cursor)
	if err != nil {
		ve.add("cursor", "cursor", "")
	}
	if err := ve.orNil(); err != nil {
		return NearPage{}, err
	}
	radius := min(q.RadiusMeters, MaxRadiusMeters)
	hits, next, err := s.store.NearAssociations(ctx, NearParams{
		Filter: q.Filter, Center: q.Center, RadiusMeters: radius, Limit: limit, After: after,
	})
	if err != nil {
		return NearPage{}, fmt.Errorf("near associations: %w", err)
	}
	p := NearPage{Items: hits}
	if p.Items == nil {
		p.Items = []NearHit{}
	}
	if next != nil {
		p.Next = EncodeNearCursor(*next)
	}
	return p, nil
}
