package storage

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/proposals"
)

// ProposalStore implements proposals.Store (proposals, their supports
// and their moderation) with bun. Support counts change only while the
// writer holds the proposal's row.
type ProposalStore struct {
	moderationStore
}

var _ proposals.Store = (*ProposalStore)(nil)

// NewProposalStore returns the proposals store on db.
func NewProposalStore(db *DB) *ProposalStore {
	db.mustHaveDomain(DomainParticipation, "NewProposalStore")
	return &ProposalStore{moderationStore{partDB: partDB{db: db},
		kinds: []participation.ItemKind{participation.ItemProposal}}}
}

// CreateProposal implements proposals.Store.
func (s *ProposalStore) CreateProposal(ctx context.Context, p *proposals.Proposal) (bool, error) {
	p.CreatedAt = truncate(p.CreatedAt)
	return s.debateCreate(ctx, "create proposal", toDebateProposalRow(p), p.IdempotencyKey, func(ctx context.Context) error {
		var r debateProposalRow
		err := s.db.bun.NewSelect().Model(&r).Where("dp.consultation_id = ?", p.ConsultationID).
			Where("dp.author_id = ?", p.AuthorID).Where("dp.idem_key = ?", p.IdempotencyKey).Scan(ctx)
		if err == nil {
			*p = r.toDomain()
		}
		return err
	})
}

// GetProposal implements proposals.Store.
func (s *ProposalStore) GetProposal(ctx context.Context, id uuid.UUID) (*proposals.Proposal, error) {
	var r debateProposalRow
	if err := s.db.bun.NewSelect().Model(&r).Where("dp.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get proposal", err)
	}
	p := r.toDomain()
	return &p, nil
}

// ListProposals implements proposals.Store.
func (s *ProposalStore) ListProposals(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[proposals.Proposal], error) {
	var cur idCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[proposals.Proposal]{}, err
	}
	var rows []debateProposalRow
	q := s.db.bun.NewSelect().Model(&rows).Where("dp.consultation_id = ?", consultationID)
	var vals []any
	if set {
		id, err := cursorID(cur.ID)
		if err != nil {
			return civickit.Page[proposals.Proposal]{}, err
		}
		vals = []any{cur.N, id}
	}
	if err := keyset(q, []sortKey{{expr: "dp.created_at"}, {expr: "dp.id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[proposals.Proposal]{}, mapErr("list proposals", err)
	}
	return pageOf(rows, n, noErr((*debateProposalRow).toDomain),
		func(r *debateProposalRow) any { return idCursor{N: r.CreatedAt, ID: r.ID.String()} })
}

// debateChangeSupports locks a proposal, runs write and stores the supports
// count moved by delta.
func (s *ProposalStore) debateChangeSupports(ctx context.Context, proposalID uuid.UUID, delta int, write func(ctx context.Context, tx bun.Tx) error) (int, error) {
	var n int
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var p debateProposalRow
		err := s.debateLock(tx.NewSelect().Model(&p).Column("supports").Where("dp.id = ?", proposalID)).Scan(ctx)
		if err != nil {
			return err
		}
		if err := write(ctx, tx); err != nil {
			return err
		}
		n = p.Supports + delta
		_, err = tx.NewUpdate().Model((*debateProposalRow)(nil)).Set("supports = ?", n).
			Where("id = ?", proposalID).Exec(ctx)
		return err
	})
	return n, err
}

// SupportProposal implements proposals.Store.
func (s *ProposalStore) SupportProposal(ctx context.Context, sp *proposals.Support) (int, error) {
	sp.SupportedAt = truncate(sp.SupportedAt)
	row := &debateSupportRow{
		ProposalID: sp.ProposalID, ParticipantID: sp.ParticipantID, Channel: string(sp.Provenance.Channel),
		CollectedBy: sp.Provenance.CollectedBy, Place: sp.Provenance.Place, SupportedAt: micros(sp.SupportedAt),
	}
	n, err := s.debateChangeSupports(ctx, sp.ProposalID, +1, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewInsert().Model(row).Exec(ctx)
		return err
	})
	if err != nil {
		return 0, mapErr("support proposal", err)
	}
	return n, nil
}

// WithdrawSupport implements proposals.Store.
func (s *ProposalStore) WithdrawSupport(ctx context.Context, proposalID, participantID uuid.UUID) (int, error) {
	n, err := s.debateChangeSupports(ctx, proposalID, -1, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*debateSupportRow)(nil)).
			Where("proposal_id = ?", proposalID).Where("participant_id = ?", participantID).Exec(ctx)
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil {
			return err
		} else if k != 1 {
			return fmt.Errorf("no support: %w", participation.ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return 0, mapErr("withdraw support", err)
	}
	return n, nil
}
