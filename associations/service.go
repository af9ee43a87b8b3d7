package associations

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// Options configures a Service. The zero value is usable.
type Options struct {
	// Now returns the current time; time.Now by default.
	Now func() time.Time
	// NewID returns the identifier of a public row (association, grant,
	// grant transition); civickit.NewPublicID (UUID v7) by default: the
	// registry is public, so the order rows were created in may show.
	NewID func() uuid.UUID
	// Geocoder finds the place a person searches near (Service.Locate);
	// nil: only coordinates are accepted.
	Geocoder Geocoder
	// NewSecretID returns the identifier of a private row (person,
	// membership); civickit.NewSecretID (random UUID v4) by default: when
	// people joined is private.
	NewSecretID func() uuid.UUID
	// Voices gives each association its voice in the city's decisions
	// (ActingFor); nil: associations take no part as such.
	Voices VoiceRegistry
}

// Service is the registry's API: it validates, applies the domain rules
// and calls the Store. It owns the clock and the identifiers.
type Service struct {
	store       Store
	now         func() time.Time
	newID       func() uuid.UUID
	newSecretID func() uuid.UUID
	geocoder    Geocoder
	voices      VoiceRegistry
	validate    *validator.Validate
}

// NewService returns a Service over store.
func NewService(store Store, opts Options) (*Service, error) {
	if store == nil {
		return nil, fmt.Errorf("associations: NewService: nil store")
	}
	s := &Service{
		store:       store,
		now:         opts.Now,
		newID:       opts.NewID,
		newSecretID: opts.NewSecretID,
		geocoder:    opts.Geocoder,
		voices:      opts.Voices,
		validate:    newValidator(),
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
	return s, nil
}

// Validate checks a against the struct rules and the domain rules and
// returns a *civickit.ValidationError naming every broken rule.
func (s *Service) Validate(a *Association) error {
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", a, ve)
	validateAssociationRules(a, ve)
	return ve.Err()
}

// validateAssociationRules holds the rules that cross fields.
func validateAssociationRules(a *Association, ve *civickit.ValidationError) {
	if strings.TrimSpace(a.Name) == "" && a.Name != "" {
		ve.Add("name", "required", "")
	}
	if a.SIREN != "" && a.SIRET != "" && !strings.HasPrefix(a.SIRET, a.SIREN) {
		ve.Add("siret", "siren_prefix", a.SIREN)
	}
	if a.DissolvedOn != nil {
		if a.Status != StatusDissolved {
			ve.Add("dissolved_on", "only_when_dissolved", "")
		}
		if a.CreatedOn != nil && a.DissolvedOn.Before(*a.CreatedOn) {
			ve.Add("dissolved_on", "gtefield", "created_on")
		}
	}
	if a.Address.Location != nil {
		p := a.Address.Location
		if p.Lat != p.Lat || p.Lon != p.Lon { // NaN passes range tags
			ve.Add("address.location", "finite", "")
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
	a.ShortTitle = strings.TrimSpace(a.ShortTitle)
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
	// After is the Next of the previous page, "" for the first page.
	After string `json:"after,omitempty"`
	// Limit is the page size (civickit.CheckLimit: 0 for the default).
	Limit int `json:"limit,omitempty"`
}

// MaxNearRadiusMeters is the largest radius Service.Near accepts: 100 km,
// a département. It bounds the cost of one query (the candidates are read
// through the (lat, lon) index within the circle's bounding box): without
// it, radius_m=1e308 made every query a scan of the whole registry.
const MaxNearRadiusMeters = 100_000

// NearQuery asks for a page of associations within a radius, nearest first.
type NearQuery struct {
	Filter
	Center Point `json:"center"`
	// RadiusMeters is in (0, MaxNearRadiusMeters]; the tag repeats the
	// constant (a test checks they agree).
	RadiusMeters float64 `json:"radius_m" validate:"gt=0,lte=100000"`
	After        string  `json:"after,omitempty"`
	Limit        int     `json:"limit,omitempty"`
}

// checkLimit adds a bad limit to ve and returns the page size to use.
func checkLimit(limit int, ve *civickit.ValidationError) int {
	n, err := civickit.CheckLimit(limit)
	ve.Merge("", err)
	return n
}

// Search returns a page of associations passing the filter, by name.
func (s *Service) Search(ctx context.Context, q SearchQuery) (civickit.Page[Association], error) {
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", &q.Filter, ve)
	limit := checkLimit(q.Limit, ve)
	if _, err := civickit.DecodeCursor(q.After, &SearchCursor{}); err != nil {
		ve.Merge("", err)
	}
	if err := ve.Err(); err != nil {
		return civickit.Page[Association]{}, err
	}
	p, err := s.store.SearchAssociations(ctx, q.Filter, q.After, limit)
	if err != nil {
		return civickit.Page[Association]{}, fmt.Errorf("search associations: %w", err)
	}
	if p.Items == nil {
		p.Items = []Association{}
	}
	return p, nil
}

// Near returns a page of located associations within the radius, nearest first.
func (s *Service) Near(ctx context.Context, q NearQuery) (civickit.Page[NearHit], error) {
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", &q, ve)
	if q.Center.Lat != q.Center.Lat || q.Center.Lon != q.Center.Lon {
		ve.Add("center", "finite", "")
	}
	if math.IsNaN(q.RadiusMeters) || math.IsInf(q.RadiusMeters, 0) {
		ve.Fields = slices.DeleteFunc(ve.Fields, func(f civickit.FieldError) bool { return f.Path == "radius_m" })
		ve.Add("radius_m", "finite", "")
	}
	limit := checkLimit(q.Limit, ve)
	if _, err := civickit.DecodeCursor(q.After, &NearCursor{}); err != nil {
		ve.Merge("", err)
	}
	if err := ve.Err(); err != nil {
		return civickit.Page[NearHit]{}, err
	}
	p, err := s.store.NearAssociations(ctx, NearParams{Filter: q.Filter, Center: q.Center, RadiusMeters: q.RadiusMeters}, q.After, limit)
	if err != nil {
		return civickit.Page[NearHit]{}, fmt.Errorf("near associations: %w", err)
	}
	if p.Items == nil {
		p.Items = []NearHit{}
	}
	return p, nil
}
