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

func toGrantRow(g *associations.Grant) *grantRow {
	return &grantRow{
		ID:             g.ID,
		AssociationID:  g.AssociationID,
		Funder:         g.Funder,
		SchemeID:       g.SchemeID,
		FundedYear:     g.FundedYear,
		Status:         string(g.Status),
		Applicant:      mustJSON(g.Applicant),
		Project:        mustJSON(g.Project),
		Budget:         mustJSON(g.Budget),
		CoFunders:      mustJSON(g.CoFunders),
		RequestedCents: g.RequestedCents,
		GrantedCents:   g.GrantedCents,
		PaidCents:      g.PaidCents,
		ReportDueOn:    dateString(g.ReportDueOn),
		ReportedOn:     dateString(g.ReportedOn),
		Version:        g.Version,
		CreatedAt:      micros(g.CreatedAt),
		UpdatedAt:      micros(g.UpdatedAt),
	}
}

func (r *grantRow) toDomain() (*associations.Grant, error) {
	g := &associations.Grant{
		ID:             r.ID,
		AssociationID:  r.AssociationID,
		Funder:         r.Funder,
		SchemeID:       r.SchemeID,
		FundedYear:     r.FundedYear,
		Status:         associations.GrantStatus(r.Status),
		RequestedCents: r.RequestedCents,
		GrantedCents:   r.GrantedCents,
		PaidCents:      r.PaidCents,
		Version:        r.Version,
		CreatedAt:      fromMicros(r.CreatedAt),
		UpdatedAt:      fromMicros(r.UpdatedAt),
	}
	for _, f := range []struct {
		name string
		src  string
		dst  any
	}{
		{"applicant", r.Applicant, &g.Applicant},
		{"project", r.Project, &g.Project},
		{"budget", r.Budget, &g.Budget},
		{"co_funders", r.CoFunders, &g.CoFunders},
	} {
		if err := json.Unmarshal([]byte(f.src), f.dst); err != nil {
			return nil, fmt.Errorf("storage: grant %s %s: %w", r.ID, f.name, err)
		}
	}
	var err error
	if g.ReportDueOn, err = parseDate(r.ReportDueOn); err != nil {
		return nil, err
	}
	if g.ReportedOn, err = parseDate(r.ReportedOn); err != nil {
		return nil, err
	}
	return g, nil
}

func toTransitionRow(t *associations.GrantTransition, seq int) *grantTransitionRow {
	return &grantTransitionRow{
		ID: t.ID, GrantID: t.GrantID, Seq: seq,
		FromStatus: string(t.From), ToStatus: string(t.To),
		Actor: t.Actor, At: micros(t.At), Note: t.Note,
	}
}

// CreateGrant implements associations.Store.
func (s *AssociationStore) CreateGrant(ctx context.Context, g *associations.Grant, t associations.GrantTransition) error {
	g.Version = 1
	g.CreatedAt, g.UpdatedAt = truncate(g.CreatedAt), truncate(g.UpdatedAt)
	t.GrantID = g.ID
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(toGrantRow(g)).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(toTransitionRow(&t, 1)).Exec(ctx)
		return err
	})
	return mapErr("create grant", err)
}

// GetGrant implements associations.Store.
func (s *AssociationStore) GetGrant(ctx context.Context, id uuid.UUID) (*associations.Grant, error) {
	var row grantRow
	if err := s.db.bun.NewSelect().Model(&row).Where("g.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get grant", err)
	}
	return row.toDomain()
}

// UpdateGrant implements associations.Store. The transition's sequence
// number is the grant's new version, so history order never depends on
// clocks.
func (s *AssociationStore) UpdateGrant(ctx context.Context, g *associations.Grant, t *associations.GrantTransition) error {
	g.UpdatedAt = truncate(g.UpdatedAt)
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		row := toGrantRow(g)
		row.Version = g.Version + 1
		res, err := tx.NewUpdate().Model(row).ExcludeColumn("id", "association_id", "created_at").
			Where("g.id = ?", g.ID).Where("g.version = ?", g.Version).Exec(ctx)
		if err := checkVersioned(ctx, tx, res, err, (*grantRow)(nil), "g.id", g.ID, g.Version); err != nil {
			return err
		}
		if t == nil {
			return nil
		}
		tr := *t
		tr.GrantID = g.ID
		_, err = tx.NewInsert().Model(toTransitionRow(&tr, row.Version)).Exec(ctx)
		return err
	})
	if err != nil {
		return mapErr("update grant", err)
	}
	g.Version++
	return nil
}

// grantCursor is the position of a grant in ListGrants order.
type grantCursor struct {
	At int64     `json:"t"` // CreatedAt, Unix microseconds
	ID uuid.UUID `json:"i"`
}

// ListGrants implements associations.Store.
func (s *AssociationStore) ListGrants(ctx context.Context, associationID uuid.UUID, after string, limit int) (civickit.Page[associations.Grant], error) {
	var page civickit.Page[associations.Grant]
	limit, err := civickit.CheckLimit(limit)
	if err != nil {
		return page, fmt.Errorf("list grants: %w", err)
	}
	var c grantCursor
	hasAfter, err := civickit.DecodeCursor(after, &c)
	if err != nil {
		return page, fmt.Errorf("list grants: %w", err)
	}
	var rows []grantRow
	q := s.db.bun.NewSelect().Model(&rows).Where("g.association_id = ?", associationID)
	if hasAfter {
		q = q.Where("(g.created_at > ? OR (g.created_at = ? AND g.id > ?))", c.At, c.At, c.ID)
	}
	if err := q.Order("g.created_at", "g.id").Limit(int64(limit + 1)).Scan(ctx); err != nil {
		return page, mapErr("list grants", err)
	}
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[len(rows)-1]
		page.Next = civickit.EncodeCursor(grantCursor{At: last.CreatedAt, ID: last.ID})
	}
	page.Items = make([]associations.Grant, 0, len(rows))
	for i := range rows {
		g, err := rows[i].toDomain()
		if err != nil {
			return civickit.Page[associations.Grant]{}, err
		}
		page.Items = append(page.Items, *g)
	}
	return page, nil
}

// historyCursor is the position of a transition in its grant's history.
type historyCursor struct {
	Seq int `json:"s"`
}

// GrantHistory implements associations.Store.
func (s *AssociationStore) GrantHistory(ctx context.Context, grantID uuid.UUID, after string, limit int) (civickit.Page[associations.GrantTransition], error) {
	var page civickit.Page[associations.GrantTransition]
	limit, err := civickit.CheckLimit(limit)
	if err != nil {
		return page, fmt.Errorf("grant history: %w", err)
	}
	var c historyCursor
	hasAfter, err := civickit.DecodeCursor(after, &c)
	if err != nil {
		return page, fmt.Errorf("grant history: %w", err)
	}
	var rows []grantTransitionRow
	q := s.db.bun.NewSelect().Model(&rows).Where("gt.grant_id = ?", grantID)
	if hasAfter {
		q = q.Where("gt.seq > ?", c.Seq)
	}
	if err := q.Order("gt.seq").Limit(int64(limit + 1)).Scan(ctx); err != nil {
		return page, mapErr("grant history", err)
	}
	if len(rows) > limit {
		rows = rows[:limit]
		page.Next = civickit.EncodeCursor(historyCursor{Seq: rows[len(rows)-1].Seq})
	}
	page.Items = make([]associations.GrantTransition, len(rows))
	for i, r := range rows {
		page.Items[i] = associations.GrantTransition{
			ID: r.ID, GrantID: r.GrantID,
			From: associations.GrantStatus(r.FromStatus), To: associations.GrantStatus(r.ToStatus),
			Actor: r.Actor, At: fromMicros(r.At), Note: r.Note,
		}
	}
	return page, nil
}
