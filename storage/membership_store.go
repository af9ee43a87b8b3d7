package storage

import (
	"context"
	"fmt"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

func toPersonRow(p *associations.Person) *personRow {
	return &personRow{
		ID: p.ID, GivenName: p.GivenName, FamilyName: p.FamilyName, Email: p.Email,
		Phone: p.Phone, PostalAddress: p.PostalAddress, BirthDate: dateString(p.BirthDate),
		CreatedAt: micros(p.CreatedAt),
	}
}

func toMembershipRow(m *associations.Membership) *membershipRow {
	return &membershipRow{
		ID: m.ID, AssociationID: m.AssociationID, PersonID: m.PersonID,
		StartOn: micros(m.StartOn), EndOn: micros(m.EndOn), FeeCents: m.FeeCents,
		Currency: m.Currency, Status: string(m.Status), RenewalOf: m.RenewalOf,
		Version: m.Version, CreatedAt: micros(m.CreatedAt), UpdatedAt: micros(m.UpdatedAt),
	}
}

func (r *membershipRow) toDomain() associations.Membership {
	return associations.Membership{
		ID: r.ID, AssociationID: r.AssociationID, PersonID: r.PersonID,
		StartOn: fromMicros(r.StartOn), EndOn: fromMicros(r.EndOn), FeeCents: r.FeeCents,
		Currency: r.Currency, Status: associations.MembershipStatus(r.Status), RenewalOf: r.RenewalOf,
		Version: r.Version, CreatedAt: fromMicros(r.CreatedAt), UpdatedAt: fromMicros(r.UpdatedAt),
	}
}

func truncateMembership(m *associations.Membership) {
	m.StartOn, m.EndOn = truncate(m.StartOn), truncate(m.EndOn)
	m.CreatedAt, m.UpdatedAt = truncate(m.CreatedAt), truncate(m.UpdatedAt)
}

// CreatePerson implements associations.Store.
func (s *AssociationStore) CreatePerson(ctx context.Context, p *associations.Person) error {
	p.CreatedAt = truncate(p.CreatedAt)
	_, err := s.db.bun.NewInsert().Model(toPersonRow(p)).Exec(ctx)
	return mapErr("create person", err)
}

// GetPerson implements associations.Store.
func (s *AssociationStore) GetPerson(ctx context.Context, id uuid.UUID) (*associations.Person, error) {
	var r personRow
	if err := s.db.bun.NewSelect().Model(&r).Where("p.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get person", err)
	}
	birth, err := parseDate(r.BirthDate)
	if err != nil {
		return nil, err
	}
	return &associations.Person{
		ID: r.ID, GivenName: r.GivenName, FamilyName: r.FamilyName, Email: r.Email,
		Phone: r.Phone, PostalAddress: r.PostalAddress, BirthDate: birth, CreatedAt: fromMicros(r.CreatedAt),
	}, nil
}

// DeletePerson implements associations.Store: the person's row goes, and
// their memberships with it (ON DELETE CASCADE, repeated here explicitly so
// the erasure does not depend on the engine's foreign-key settings).
func (s *AssociationStore) DeletePerson(ctx context.Context, id uuid.UUID) error {
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*membershipRow)(nil)).Where("person_id = ?", id).Exec(ctx); err != nil {
			return err
		}
		res, err := tx.NewDelete().Model((*personRow)(nil)).Where("id = ?", id).Exec(ctx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return associations.ErrNotFound
		}
		return nil
	})
	return mapErr("delete person", err)
}

// CreateMembership implements associations.Store.
func (s *AssociationStore) CreateMembership(ctx context.Context, m *associations.Membership) error {
	truncateMembership(m)
	_, err := s.db.bun.NewInsert().Model(toMembershipRow(m)).Exec(ctx)
	return mapErr("create membership", err)
}

// GetMembership implements associations.Store.
func (s *AssociationStore) GetMembership(ctx context.Context, id uuid.UUID) (*associations.Membership, error) {
	var r membershipRow
	if err := s.db.bun.NewSelect().Model(&r).Where("m.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get membership", err)
	}
	m := r.toDomain()
	return &m, nil
}

func updateMembership(ctx context.Context, tx bun.IDB, m *associations.Membership) error {
	row := toMembershipRow(m)
	row.Version = m.Version + 1
	res, err := tx.NewUpdate().Model(row).ExcludeColumn("id", "association_id", "person_id", "created_at").
		Where("m.id = ?", m.ID).Where("m.version = ?", m.Version).Exec(ctx)
	return checkVersioned(ctx, tx, res, err, (*membershipRow)(nil), "m.id", m.ID, m.Version)
}

// UpdateMembership implements associations.Store.
func (s *AssociationStore) UpdateMembership(ctx context.Context, m *associations.Membership) error {
	truncateMembership(m)
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return updateMembership(ctx, tx, m)
	})
	if err != nil {
		return mapErr("update membership", err)
	}
	m.Version++
	return nil
}

// RenewMembership implements associations.Store.
func (s *AssociationStore) RenewMembership(ctx context.Context, prev, next *associations.Membership) error {
	truncateMembership(prev)
	truncateMembership(next)
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := updateMembership(ctx, tx, prev); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(toMembershipRow(next)).Exec(ctx)
		return err
	})
	if err != nil {
		return mapErr("renew membership", err)
	}
	prev.Version++
	return nil
}

// membershipCursor is the position of a membership in ListMemberships
// order.
type membershipCursor struct {
	StartOn int64     `json:"s"` // Unix microseconds
	ID      uuid.UUID `json:"i"`
}

// ListMemberships implements associations.Store.
func (s *AssociationStore) ListMemberships(ctx context.Context, associationID uuid.UUID, after string, limit int) (civickit.Page[associations.Membership], error) {
	var page civickit.Page[associations.Membership]
	limit, err := civickit.CheckLimit(limit)
	if err != nil {
		return page, fmt.Errorf("list memberships: %w", err)
	}
	var c membershipCursor
	hasAfter, err := civickit.DecodeCursor(after, &c)
	if err != nil {
		return page, fmt.Errorf("list memberships: %w", err)
	}
	var rows []membershipRow
	q := s.db.bun.NewSelect().Model(&rows).Where("m.association_id = ?", associationID)
	if hasAfter {
		q = q.Where("(m.start_on > ? OR (m.start_on = ? AND m.id > ?))", c.StartOn, c.StartOn, c.ID)
	}
	if err := q.Order("m.start_on", "m.id").Limit(int64(limit + 1)).Scan(ctx); err != nil {
		return page, mapErr("list memberships", err)
	}
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[len(rows)-1]
		page.Next = civickit.EncodeCursor(membershipCursor{StartOn: last.StartOn, ID: last.ID})
	}
	page.Items = make([]associations.Membership, len(rows))
	for i := range rows {
		page.Items[i] = rows[i].toDomain()
	}
	return page, nil
}
