package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/opendata"
	"github.com/uptrace/bun"
)

// MediationStore implements opendata.MediationStore with bun: one JSON
// document per place (migrations/opendata/*/20261208001500_*).
type MediationStore struct {
	db *DB
}

var _ opendata.MediationStore = (*MediationStore)(nil)

// NewMediationStore returns the store of the mediation places directory
// on db (the opendata domain).
func NewMediationStore(db *DB) *MediationStore {
	db.mustHaveDomain(DomainOpenData, "NewMediationStore")
	return &MediationStore{db: db}
}

type mediationPlaceRow struct {
	bun.BaseModel `bun:"table:opendata_mediation_places,alias:mp"`

	ID  string `bun:"id,pk"`
	Doc string `bun:"doc"`
}

func toMediationRow(p *opendata.MediationPlace) (*mediationPlaceRow, error) {
	c := *p
	c.Updated = c.Updated.UTC()
	b, err := json.Marshal(&c)
	if err != nil {
		return nil, err
	}
	return &mediationPlaceRow{ID: p.ID, Doc: string(b)}, nil
}

func (r *mediationPlaceRow) place() (opendata.MediationPlace, error) {
	var p opendata.MediationPlace
	if err := json.Unmarshal([]byte(r.Doc), &p); err != nil {
		return p, fmt.Errorf("storage: mediation place %q: %w", r.ID, err)
	}
	return p, nil
}

// CreateMediationPlace implements opendata.MediationStore.
func (s *MediationStore) CreateMediationPlace(ctx context.Context, p *opendata.MediationPlace) error {
	row, err := toMediationRow(p)
	if err != nil {
		return err
	}
	_, err = s.db.bun.NewInsert().Model(row).Exec(ctx)
	return mapErr("create mediation place", err)
}

// GetMediationPlace implements opendata.MediationStore.
func (s *MediationStore) GetMediationPlace(ctx context.Context, id string) (*opendata.MediationPlace, error) {
	var row mediationPlaceRow
	if err := s.db.bun.NewSelect().Model(&row).Where("mp.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get mediation place", err)
	}
	p, err := row.place()
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// UpdateMediationPlace implements opendata.MediationStore.
func (s *MediationStore) UpdateMediationPlace(ctx context.Context, p *opendata.MediationPlace) error {
	row, err := toMediationRow(p)
	if err != nil {
		return err
	}
	res, err := s.db.bun.NewUpdate().Model(row).Column("doc").WherePK().Exec(ctx)
	err = oneRow(res, err)
	if errors.Is(err, sql.ErrNoRows) {
		// MariaDB counts changed rows: the same document again touches
		// none, yet the place exists.
		var n int64
		n, err = s.db.bun.NewSelect().Model((*mediationPlaceRow)(nil)).Where("id = ?", p.ID).Count(ctx)
		if err == nil && n == 0 {
			err = sql.ErrNoRows
		}
	}
	return mapErr("update mediation place", err)
}

// DeleteMediationPlace implements opendata.MediationStore.
func (s *MediationStore) DeleteMediationPlace(ctx context.Context, id string) error {
	res, err := s.db.bun.NewDelete().Model((*mediationPlaceRow)(nil)).Where("id = ?", id).Exec(ctx)
	return mapErr("delete mediation place", oneRow(res, err))
}

// oneRow turns a statement that touched no row into sql.ErrNoRows.
func oneRow(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return sql.ErrNoRows
	}
	return nil
}

type mediationCursor struct {
	ID string `json:"id"`
}

// ListMediationPlaces implements opendata.MediationStore.
func (s *MediationStore) ListMediationPlaces(ctx context.Context, after string, limit int) (civickit.Page[opendata.MediationPlace], error) {
	var page civickit.Page[opendata.MediationPlace]
	limit, err := civickit.CheckLimit(limit)
	if err != nil {
		return page, fmt.Errorf("list mediation places: %w", err)
	}
	var c mediationCursor
	hasAfter, err := civickit.DecodeCursor(after, &c)
	if err != nil {
		return page, fmt.Errorf("list mediation places: %w", err)
	}
	var rows []mediationPlaceRow
	q := s.db.bun.NewSelect().Model(&rows)
	if hasAfter {
		q = q.Where("mp.id > ?", c.ID)
	}
	if err := q.OrderExpr("mp.id ASC").Limit(int64(limit + 1)).Scan(ctx); err != nil {
		return page, mapErr("list mediation places", err)
	}
	if len(rows) > limit {
		rows = rows[:limit]
		page.Next = civickit.EncodeCursor(mediationCursor{ID: rows[len(rows)-1].ID})
	}
	page.Items = make([]opendata.MediationPlace, 0, len(rows))
	for i := range rows {
		p, err := rows[i].place()
		if err != nil {
			return civickit.Page[opendata.MediationPlace]{}, err
		}
		page.Items = append(page.Items, p)
	}
	return page, nil
}
