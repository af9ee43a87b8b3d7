package associations

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// The aid catalogue is the information point on existing aid: the city's
// grant schemes ("dispositifs") — who is eligible, how much, until when,
// with which documents. A CERFA 12156 application (Grant) may name its
// scheme; SubmitGrant then checks the amount and the deadline against it.

// AidScheme is one grant scheme of the catalogue.
type AidScheme struct {
	ID          uuid.UUID `json:"id"`
	Name        string    `json:"name" validate:"required,max=200"`
	Funder      string    `json:"funder" validate:"required,max=200"`
	Description string    `json:"description,omitempty" validate:"max=4000"`
	// Eligibility says who may apply, in words; EligibleThemes, when set,
	// restricts the scheme to associations with a category of one of
	// these RNA themes.
	Eligibility    string     `json:"eligibility,omitempty" validate:"max=4000"`
	EligibleThemes []string   `json:"eligible_themes,omitempty" validate:"max=30,dive,category"`
	MinCents       int64      `json:"min_cents" validate:"gte=0"`
	MaxCents       int64      `json:"max_cents" validate:"gte=0"` // 0: no maximum
	OpensOn        *time.Time `json:"opens_on,omitempty"`         // first day applications are taken
	ClosesOn       *time.Time `json:"closes_on,omitempty"`        // last day (deadline), inclusive
	Documents      []string   `json:"documents,omitempty" validate:"max=50,dive,required,max=300"`
	URL            string     `json:"url,omitempty" validate:"omitempty,http_url,max=500"`
	Version        int        `json:"version"`
	CreatedAt      time.Time  `json:"created_at"`
}

// OpenOn reports whether applications are taken on day d.
func (a *AidScheme) OpenOn(d time.Time) bool {
	day := d.UTC().Format(time.DateOnly)
	if a.OpensOn != nil && day < a.OpensOn.Format(time.DateOnly) {
		return false
	}
	return a.ClosesOn == nil || day <= a.ClosesOn.Format(time.DateOnly)
}

// AidStore persists the catalogue.
type AidStore interface {
	// CreateAidScheme inserts a. ErrConflict on a taken ID.
	CreateAidScheme(ctx context.Context, a *AidScheme) error
	// GetAidScheme returns ErrNotFound for an unknown ID.
	GetAidScheme(ctx context.Context, id uuid.UUID) (*AidScheme, error)
	// ListAidSchemes returns a page of the catalogue ordered by ID.
	ListAidSchemes(ctx context.Context, after string, limit int) (civickit.Page[AidScheme], error)
}

// CreateAidScheme validates a and adds it to the catalogue.
func (s *Service) CreateAidScheme(ctx context.Context, a AidScheme) (*AidScheme, error) {
	a.Name, a.Funder = strings.TrimSpace(a.Name), strings.TrimSpace(a.Funder)
	a.OpensOn, a.ClosesOn = dateOnly(a.OpensOn), dateOnly(a.ClosesOn)
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", &a, ve)
	if a.MaxCents > 0 && a.MaxCents < a.MinCents {
		ve.Add("max_cents", "gtefield", "min_cents")
	}
	if a.OpensOn != nil && a.ClosesOn != nil && a.ClosesOn.Before(*a.OpensOn) {
		ve.Add("closes_on", "gtefield", "opens_on")
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	a.ID, a.Version, a.CreatedAt = s.newID(), 1, s.now().UTC()
	if err := s.store.CreateAidScheme(ctx, &a); err != nil {
		return nil, fmt.Errorf("create aid scheme: %w", err)
	}
	return &a, nil
}

// AidSchemes returns a page of the catalogue.
func (s *Service) AidSchemes(ctx context.Context, after string, limit int) (civickit.Page[AidScheme], error) {
	ve := &civickit.ValidationError{}
	limit = checkLimit(limit, ve)
	if err := ve.Err(); err != nil {
		return civickit.Page[AidScheme]{}, err
	}
	return s.store.ListAidSchemes(ctx, after, limit)
}

// eligibleTheme reports whether an association with these categories may
// apply to a.
func (a *AidScheme) eligibleTheme(categories []string) bool {
	if len(a.EligibleThemes) == 0 {
		return true
	}
	for _, c := range categories {
		if slices.Contains(a.EligibleThemes, ThemeOf(c)) || slices.Contains(a.EligibleThemes, c) {
			return true
		}
	}
	return false
}

// checkScheme adds to ve what a grant submitted on day breaks of its
// scheme's rules: the deadline, the amounts and the themes.
func (s *Service) checkScheme(ctx context.Context, g *Grant, day time.Time, ve *civickit.ValidationError) error {
	if g.SchemeID == nil {
		return nil
	}
	sc, err := s.store.GetAidScheme(ctx, *g.SchemeID)
	if errors.Is(err, ErrNotFound) {
		ve.Add("scheme_id", "exists", "")
		return nil
	}
	if err != nil {
		return err
	}
	if !sc.OpenOn(day) {
		ve.Add("scheme_id", "open", formatDate(sc.ClosesOn))
	}
	if g.RequestedCents < sc.MinCents {
		ve.Add("requested_cents", "scheme_min", strconv.FormatInt(sc.MinCents, 10))
	}
	if sc.MaxCents > 0 && g.RequestedCents > sc.MaxCents {
		ve.Add("requested_cents", "scheme_max", strconv.FormatInt(sc.MaxCents, 10))
	}
	if len(sc.EligibleThemes) > 0 {
		a, err := s.store.GetAssociation(ctx, g.AssociationID)
		if err != nil {
			return err
		}
		if !sc.eligibleTheme(a.Categories) {
			ve.Add("scheme_id", "eligible_theme", strings.Join(sc.EligibleThemes, ";"))
		}
	}
	return nil
}

// OpenAidSchemes returns the schemes of the catalogue an association may
// apply to on day (open, and of one of its themes), at most
// civickit.MaxLimit per page of the catalogue read, all pages read.
func (s *Service) OpenAidSchemes(ctx context.Context, associationID uuid.UUID, day time.Time) ([]AidScheme, error) {
	a, err := s.store.GetAssociation(ctx, associationID)
	if err != nil {
		return nil, err
	}
	var out []AidScheme
	after := ""
	for {
		page, err := s.store.ListAidSchemes(ctx, after, civickit.MaxLimit)
		if err != nil {
			return nil, fmt.Errorf("open aid schemes: %w", err)
		}
		for _, sc := range page.Items {
			if sc.OpenOn(day) && sc.eligibleTheme(a.Categories) {
				out = append(out, sc)
			}
		}
		if page.Next == "" {
			return out, nil
		}
		after = page.Next
	}
}
