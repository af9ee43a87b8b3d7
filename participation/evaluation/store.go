package evaluation

import (
	"context"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// Store is what the evaluation Service needs from persistence: the
// decision, the follow-up items and their milestones. It is owned here;
// package storage implements it and evaluationtest.TestStore checks any
// implementation against the contract written on each method. Lists are
// pages, as participation.Store's are.
type Store interface {
	// CreateDecision inserts d (Version 1). ErrNotFound if the
	// consultation is unknown; ErrConflict if it already has a decision.
	CreateDecision(ctx context.Context, d *Decision) error
	// GetDecision returns ErrNotFound when the consultation has none.
	GetDecision(ctx context.Context, consultationID uuid.UUID) (*Decision, error)
	// UpdateDecision replaces the decision if its Version equals
	// d.Version, then increments d.Version. ErrNotFound if absent,
	// ErrConflict if stale.
	UpdateDecision(ctx context.Context, d *Decision) error
	// CreateFollowUpItem inserts it. ErrNotFound if the consultation or
	// the parent is unknown; ErrConflict on a taken ID.
	CreateFollowUpItem(ctx context.Context, it *FollowUpItem) error
	// GetFollowUpItem returns ErrNotFound for an unknown ID.
	GetFollowUpItem(ctx context.Context, id uuid.UUID) (*FollowUpItem, error)
	// UpdateFollowUpItem replaces the item if its Version equals
	// it.Version, then increments it.Version. ErrNotFound if absent (or
	// the parent is unknown), ErrConflict if stale.
	UpdateFollowUpItem(ctx context.Context, it *FollowUpItem) error
	// ListFollowUpItems returns a page of a consultation's items, by
	// (Position, ID).
	ListFollowUpItems(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[FollowUpItem], error)
	// CreateMilestone inserts m. ErrNotFound if the item is unknown;
	// ErrConflict on a taken ID.
	CreateMilestone(ctx context.Context, m *Milestone) error
	// UpdateMilestone replaces the milestone if its Version equals
	// m.Version, then increments m.Version. ErrNotFound if absent,
	// ErrConflict if stale.
	UpdateMilestone(ctx context.Context, m *Milestone) error
	// ListMilestones returns a page of a consultation's milestones, by
	// (DueOn, ID).
	ListMilestones(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[Milestone], error)
}
