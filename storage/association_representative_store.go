package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
)

type representativeRow struct {
	bun.BaseModel `bun:"table:association_representatives,alias:ar"`

	AssociationID uuid.UUID `bun:"association_id,pk"`
	ParticipantID uuid.UUID `bun:"participant_id,pk"`
	AuthorisedBy  string    `bun:"authorised_by"`
	Evidence      string    `bun:"evidence"`
	AuthorisedAt  int64     `bun:"authorised_at"`
}

func (r *representativeRow) toDomain() associations.Representative {
	return associations.Representative{
		AssociationID: r.AssociationID, ParticipantID: r.ParticipantID, AuthorisedBy: r.AuthorisedBy,
		Evidence: r.Evidence, AuthorisedAt: fromMicros(r.AuthorisedAt),
	}
}

// CreateRepresentative implements associations.RepresentativeStore.
func (s *AssociationStore) CreateRepresentative(ctx context.Context, r *associations.Representative) error {
	r.AuthorisedAt = truncate(r.AuthorisedAt)
	row := &representativeRow{
		AssociationID: r.AssociationID, ParticipantID: r.ParticipantID, AuthorisedBy: r.AuthorisedBy,
		Evidence: r.Evidence, AuthorisedAt: micros(r.AuthorisedAt),
	}
	_, err := s.db.bun.NewInsert().Model(row).Exec(ctx)
	return mapErr("create representative", err)
}

// DeleteRepresentative implements associations.RepresentativeStore.
func (s *AssociationStore) DeleteRepresentative(ctx context.Context, associationID, participantID uuid.UUID) error {
	res, err := s.db.bun.NewDelete().Model((*representativeRow)(nil)).
		Where("association_id = ?", associationID).Where("participant_id = ?", participantID).Exec(ctx)
	if err != nil {
		return mapErr("delete representative", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("delete representative: %w", err)
	} else if n == 0 {
		return mapErr("delete representative", sql.ErrNoRows)
	}
	return nil
}

// GetRepresentative implements associations.RepresentativeStore.
func (s *AssociationStore) GetRepresentative(ctx context.Context, associationID, participantID uuid.UUID) (*associations.Representative, error) {
	var row representativeRow
	err := s.db.bun.NewSelect().Model(&row).
		Where("ar.association_id = ?", associationID).Where("ar.participant_id = ?", participantID).Scan(ctx)
	if err != nil {
		return nil, mapErr("get representative", err)
	}
	r := row.toDomain()
	return &r, nil
}

// ListRepresentatives implements associations.RepresentativeStore.
func (s *AssociationStore) ListRepresentatives(ctx context.Context, associationID uuid.UUID, after string, limit int) (civickit.Page[associations.Representative], error) {
	var c associations.RepresentativeCursor
	n, hasAfter, err := pageQuery(after, limit, &c)
	if err != nil {
		return civickit.Page[associations.Representative]{}, fmt.Errorf("list representatives: %w", err)
	}
	var vals []any
	if hasAfter {
		vals = []any{c.ParticipantID}
	}
	var rows []representativeRow
	q := s.db.bun.NewSelect().Model(&rows).Where("ar.association_id = ?", associationID)
	if err := keyset(q, []sortKey{{expr: "ar.participant_id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[associations.Representative]{}, mapErr("list representatives", err)
	}
	return pageOf(rows, n, noErr((*representativeRow).toDomain),
		func(r *representativeRow) any {
			return associations.RepresentativeCursor{ParticipantID: r.ParticipantID}
		})
}
