package storage

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

type aidSchemeRow struct {
	bun.BaseModel `bun:"table:aid_schemes,alias:ais"`

	ID        uuid.UUID `bun:"id,pk"`
	Name      string    `bun:"name"`
	Funder    string    `bun:"funder"`
	Details   string    `bun:"details"` // JSON: description, eligibility, themes, documents, url
	MinCents  int64     `bun:"min_cents"`
	MaxCents  int64     `bun:"max_cents"`
	OpensOn   *string   `bun:"opens_on"`
	ClosesOn  *string   `bun:"closes_on"`
	Version   int       `bun:"version"`
	CreatedAt int64     `bun:"created_at"`
}

type aidDetails struct {
	Description    string   `json:"description,omitempty"`
	Eligibility    string   `json:"eligibility,omitempty"`
	EligibleThemes []string `json:"eligible_themes,omitempty"`
	Documents      []string `json:"documents,omitempty"`
	URL            string   `json:"url,omitempty"`
}

func (r *aidSchemeRow) toDomain() (*associations.AidScheme, error) {
	var d aidDetails
	if err := json.Unmarshal([]byte(r.Details), &d); err != nil {
		return nil, fmt.Errorf("storage: aid scheme %s details: %w", r.ID, err)
	}
	a := &associations.AidScheme{
		ID: r.ID, Name: r.Name, Funder: r.Funder, Description: d.Description, Eligibility: d.Eligibility,
		EligibleThemes: d.EligibleThemes, MinCents: r.MinCents, MaxCents: r.MaxCents, Documents: d.Documents,
		URL: d.URL, Version: r.Version, CreatedAt: fromMicros(r.CreatedAt),
	}
	var err error
	if a.OpensOn, err = parseDate(r.OpensOn); err != nil {
		return nil, err
	}
	if a.ClosesOn, err = parseDate(r.ClosesOn); err != nil {
		return nil, err
	}
	return a, nil
}

// CreateAidScheme implements associations.AidStore.
func (s *AssociationStore) CreateAidScheme(ctx context.Context, a *associations.AidScheme) error {
	a.CreatedAt = truncate(a.CreatedAt)
	row := &aidSchemeRow{
		ID: a.ID, Name: a.Name, Funder: a.Funder, MinCents: a.MinCents, MaxCents: a.MaxCents,
		Details: mustJSON(aidDetails{Description: a.Description, Eligibility: a.Eligibility,
			EligibleThemes: a.EligibleThemes, Documents: a.Documents, URL: a.URL}),
		OpensOn: dateString(a.OpensOn), ClosesOn: dateString(a.ClosesOn),
		Version: a.Version, CreatedAt: micros(a.CreatedAt),
	}
	_, err := s.db.bun.NewInsert().Model(row).Exec(ctx)
	return mapErr("create aid scheme", err)
}

// GetAidScheme implements associations.AidStore.
func (s *AssociationStore) GetAidScheme(ctx context.Context, id uuid.UUID) (*associations.AidScheme, error) {
	var row aidSchemeRow
	if err := s.db.bun.NewSelect().Model(&row).Where("ais.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get aid scheme", err)
	}
	return row.toDomain()
}

// ListAidSchemes implements associations.AidStore.
func (s *AssociationStore) ListAidSchemes(ctx context.Context, after string, limit int) (civickit.Page[associations.AidScheme], error) {
	var c spaceCursor
	n, hasAfter, err := pageQuery(after, limit, &c)
	if err != nil {
		return civickit.Page[associations.AidScheme]{}, fmt.Errorf("list aid schemes: %w", err)
	}
	var vals []any
	if hasAfter {
		vals = []any{c.ID}
	}
	var rows []aidSchemeRow
	q := keyset(s.db.bun.NewSelect().Model(&rows), []sortKey{{expr: "ais.id"}}, vals, n)
	if err := q.Scan(ctx); err != nil {
		return civickit.Page[associations.AidScheme]{}, mapErr("list aid schemes", err)
	}
	return pageOf(rows, n, func(r *aidSchemeRow) (associations.AidScheme, error) {
		v, err := r.toDomain()
		if err != nil {
			return associations.AidScheme{}, err
		}
		return *v, nil
	}, func(r *aidSchemeRow) any { return spaceCursor{ID: r.ID} })
}
