package storage

import (
	"context"
	"fmt"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

type exchangePostRow struct {
	bun.BaseModel `bun:"table:association_exchange_posts,alias:xp"`

	ID             uuid.UUID `bun:"id,pk"`
	AssociationID  uuid.UUID `bun:"association_id"`
	Kind           string    `bun:"kind"`
	Topic          string    `bun:"topic"`
	Title          string    `bun:"title"`
	Body           string    `bun:"body"`
	CommuneCode    string    `bun:"commune_code"`
	Status         string    `bun:"status"`
	ModerationNote string    `bun:"moderation_note"`
	Version        int       `bun:"version"`
	CreatedAt      int64     `bun:"created_at"`
	UpdatedAt      int64     `bun:"updated_at"`
}

func (r *exchangePostRow) toDomain() associations.ExchangePost {
	return associations.ExchangePost{
		ID: r.ID, AssociationID: r.AssociationID, Kind: associations.PostKind(r.Kind), Topic: r.Topic,
		Title: r.Title, Body: r.Body, CommuneCode: r.CommuneCode, Status: associations.PostStatus(r.Status),
		ModerationNote: r.ModerationNote, Version: r.Version,
		CreatedAt: fromMicros(r.CreatedAt), UpdatedAt: fromMicros(r.UpdatedAt),
	}
}

// CreatePost implements associations.ExchangeStore.
func (s *AssociationStore) CreatePost(ctx context.Context, p *associations.ExchangePost) error {
	p.CreatedAt, p.UpdatedAt = truncate(p.CreatedAt), truncate(p.UpdatedAt)
	row := &exchangePostRow{
		ID: p.ID, AssociationID: p.AssociationID, Kind: string(p.Kind), Topic: p.Topic, Title: p.Title, Body: p.Body,
		CommuneCode: p.CommuneCode, Status: string(p.Status), ModerationNote: p.ModerationNote, Version: p.Version,
		CreatedAt: micros(p.CreatedAt), UpdatedAt: micros(p.UpdatedAt),
	}
	_, err := s.db.bun.NewInsert().Model(row).Exec(ctx)
	return mapErr("create post", err)
}

// GetPost implements associations.ExchangeStore.
func (s *AssociationStore) GetPost(ctx context.Context, id uuid.UUID) (*associations.ExchangePost, error) {
	var row exchangePostRow
	if err := s.db.bun.NewSelect().Model(&row).Where("xp.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get post", err)
	}
	p := row.toDomain()
	return &p, nil
}

// UpdatePost implements associations.ExchangeStore.
func (s *AssociationStore) UpdatePost(ctx context.Context, p *associations.ExchangePost) error {
	p.UpdatedAt = truncate(p.UpdatedAt)
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*exchangePostRow)(nil)).
			Set("status = ?", string(p.Status)).Set("moderation_note = ?", p.ModerationNote).
			Set("updated_at = ?", micros(p.UpdatedAt)).Set("version = ?", p.Version+1).
			Where("id = ? AND version = ?", p.ID, p.Version).Exec(ctx)
		return checkVersioned(ctx, tx, res, err, (*exchangePostRow)(nil), "id", p.ID, p.Version)
	})
	if err != nil {
		return mapErr("update post", err)
	}
	p.Version++
	return nil
}

// ListPosts implements associations.ExchangeStore.
func (s *AssociationStore) ListPosts(ctx context.Context, f associations.ExchangeFilter, after string, limit int) (civickit.Page[associations.ExchangePost], error) {
	var page civickit.Page[associations.ExchangePost]
	limit, err := civickit.CheckLimit(limit)
	if err != nil {
		return page, fmt.Errorf("list posts: %w", err)
	}
	var c associations.PostCursor
	hasAfter, err := civickit.DecodeCursor(after, &c)
	if err != nil {
		return page, fmt.Errorf("list posts: %w", err)
	}
	var rows []exchangePostRow
	q := s.db.bun.NewSelect().Model(&rows)
	if f.Kind != "" {
		q = q.Where("xp.kind = ?", string(f.Kind))
	}
	if f.Topic != "" {
		q = q.Where("xp.topic = ?", f.Topic)
	}
	if f.Status != "" {
		q = q.Where("xp.status = ?", string(f.Status))
	}
	if hasAfter {
		q = q.Where("xp.id < ?", c.ID)
	}
	if err := q.OrderExpr("xp.id DESC").Limit(int64(limit + 1)).Scan(ctx); err != nil {
		return page, mapErr("list posts", err)
	}
	if len(rows) > limit {
		rows = rows[:limit]
		page.Next = civickit.EncodeCursor(associations.PostCursor{ID: rows[len(rows)-1].ID})
	}
	for i := range rows {
		page.Items = append(page.Items, rows[i].toDomain())
	}
	return page, nil
}
