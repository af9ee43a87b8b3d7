package storage

import (
	"context"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation/evaluation"
)

// EvaluationStore implements evaluation.Store (the decision, the
// follow-up items and their milestones) with bun.
type EvaluationStore struct {
	partDB
}

var _ evaluation.Store = (*EvaluationStore)(nil)

// NewEvaluationStore returns the evaluation store on db.
func NewEvaluationStore(db *DB) *EvaluationStore {
	db.mustHaveDomain(DomainParticipation, "NewEvaluationStore")
	return &EvaluationStore{partDB{db: db}}
}

// CreateDecision implements evaluation.Store.
func (s *EvaluationStore) CreateDecision(ctx context.Context, d *evaluation.Decision) error {
	d.CreatedAt, d.UpdatedAt = truncate(d.CreatedAt), truncate(d.UpdatedAt)
	_, err := s.db.bun.NewInsert().Model(toDecisionRow(d)).Exec(ctx)
	return mapErr("create decision", err)
}

// GetDecision implements evaluation.Store.
func (s *EvaluationStore) GetDecision(ctx context.Context, consultationID uuid.UUID) (*evaluation.Decision, error) {
	var r decisionRow
	if err := s.db.bun.NewSelect().Model(&r).Where("cd.consultation_id = ?", consultationID).Scan(ctx); err != nil {
		return nil, mapErr("get decision", err)
	}
	return r.toDomain()
}

// UpdateDecision implements evaluation.Store.
func (s *EvaluationStore) UpdateDecision(ctx context.Context, d *evaluation.Decision) error {
	d.UpdatedAt = truncate(d.UpdatedAt)
	row := toDecisionRow(d)
	row.Version = d.Version + 1
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return versionedUpdate(ctx, tx, row, (*decisionRow)(nil), "consultation_id", d.ConsultationID, d.Version,
			"summary", "decided_by", "decided_on", "document_url", "follow_up_consultation_id", "version", "updated_at")
	})
	if err != nil {
		return mapErr("update decision", err)
	}
	d.Version++
	return nil
}

// CreateFollowUpItem implements evaluation.Store.
func (s *EvaluationStore) CreateFollowUpItem(ctx context.Context, it *evaluation.FollowUpItem) error {
	it.CreatedAt, it.UpdatedAt = truncate(it.CreatedAt), truncate(it.UpdatedAt)
	_, err := s.db.bun.NewInsert().Model(toFollowUpItemRow(it)).Exec(ctx)
	return mapErr("create follow-up item", err)
}

// GetFollowUpItem implements evaluation.Store.
func (s *EvaluationStore) GetFollowUpItem(ctx context.Context, id uuid.UUID) (*evaluation.FollowUpItem, error) {
	var r followUpItemRow
	if err := s.db.bun.NewSelect().Model(&r).Where("fi.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get follow-up item", err)
	}
	it, err := r.toDomain()
	if err != nil {
		return nil, err
	}
	return &it, nil
}

// UpdateFollowUpItem implements evaluation.Store.
func (s *EvaluationStore) UpdateFollowUpItem(ctx context.Context, it *evaluation.FollowUpItem) error {
	it.UpdatedAt = truncate(it.UpdatedAt)
	row := toFollowUpItemRow(it)
	row.Version = it.Version + 1
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return versionedUpdate(ctx, tx, row, (*followUpItemRow)(nil), "id", it.ID, it.Version,
			"parent_id", "title", "description", "status", "progress", "weight", "position",
			"starts_on", "ends_on", "version", "updated_at")
	})
	if err != nil {
		return mapErr("update follow-up item", err)
	}
	it.Version++
	return nil
}

// ListFollowUpItems implements evaluation.Store.
func (s *EvaluationStore) ListFollowUpItems(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[evaluation.FollowUpItem], error) {
	var cur idCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[evaluation.FollowUpItem]{}, err
	}
	var rows []followUpItemRow
	q := s.db.bun.NewSelect().Model(&rows).Where("fi.consultation_id = ?", consultationID)
	var vals []any
	if set {
		id, err := cursorID(cur.ID)
		if err != nil {
			return civickit.Page[evaluation.FollowUpItem]{}, err
		}
		vals = []any{cur.N, id}
	}
	if err := keyset(q, []sortKey{{expr: "fi.position"}, {expr: "fi.id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[evaluation.FollowUpItem]{}, mapErr("list follow-up items", err)
	}
	return pageOf(rows, n, (*followUpItemRow).toDomain,
		func(r *followUpItemRow) any { return idCursor{N: int64(r.Position), ID: r.ID.String()} })
}

// CreateMilestone implements evaluation.Store.
func (s *EvaluationStore) CreateMilestone(ctx context.Context, m *evaluation.Milestone) error {
	m.CreatedAt, m.UpdatedAt = truncate(m.CreatedAt), truncate(m.UpdatedAt)
	_, err := s.db.bun.NewInsert().Model(toMilestoneRow(m)).Exec(ctx)
	return mapErr("create milestone", err)
}

// UpdateMilestone implements evaluation.Store.
func (s *EvaluationStore) UpdateMilestone(ctx context.Context, m *evaluation.Milestone) error {
	m.UpdatedAt = truncate(m.UpdatedAt)
	row := toMilestoneRow(m)
	row.Version = m.Version + 1
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return versionedUpdate(ctx, tx, row, (*milestoneRow)(nil), "id", m.ID, m.Version,
			"title", "description", "due_on", "reached_on", "version", "updated_at")
	})
	if err != nil {
		return mapErr("update milestone", err)
	}
	m.Version++
	return nil
}

// ListMilestones implements evaluation.Store.
func (s *EvaluationStore) ListMilestones(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[evaluation.Milestone], error) {
	var cur textCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[evaluation.Milestone]{}, err
	}
	var rows []milestoneRow
	q := s.db.bun.NewSelect().Model(&rows).Where("fm.consultation_id = ?", consultationID)
	var vals []any
	if set {
		id, err := cursorID(cur.ID)
		if err != nil {
			return civickit.Page[evaluation.Milestone]{}, err
		}
		vals = []any{cur.S, id}
	}
	if err := keyset(q, []sortKey{{expr: "fm.due_on"}, {expr: "fm.id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[evaluation.Milestone]{}, mapErr("list milestones", err)
	}
	return pageOf(rows, n, (*milestoneRow).toDomain,
		func(r *milestoneRow) any { return textCursor{S: r.DueOn, ID: r.ID.String()} })
}
