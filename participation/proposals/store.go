package proposals

import (
	"context"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// Store is what the proposals Service needs from persistence: proposals,
// their supports, and their reports and moderation
// (participation.ModerationStore, for the item kind proposal). It is
// owned here; package storage implements it and proposalstest.TestStore
// checks any implementation against the contract written on each
// method. Lists are pages, as participation.Store's are.
//
// Counts (supports, open reports) are kept by the store in the same
// transaction as the write that changes them.
type Store interface {
	participation.ModerationStore

	// CreateProposal inserts p as given (supports and moderation zero).
	// When p.IdempotencyKey is set and the author already has a proposal
	// with that key in the consultation, nothing is written, *p is
	// replaced by the stored proposal and replayed is true. ErrNotFound
	// when the consultation or the author is unknown; ErrConflict on a
	// taken ID.
	CreateProposal(ctx context.Context, p *Proposal) (replayed bool, err error)
	// GetProposal returns ErrNotFound for an unknown ID.
	GetProposal(ctx context.Context, id uuid.UUID) (*Proposal, error)
	// ListProposals returns a page of a consultation's proposals, by
	// CreatedAt, then ID.
	ListProposals(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[Proposal], error)
	// SupportProposal records s and returns the proposal's supports after
	// it. ErrConflict when the participant already supports the proposal
	// (through any channel); ErrNotFound when the proposal or the
	// participant is unknown.
	SupportProposal(ctx context.Context, s *Support) (int, error)
	// WithdrawSupport removes a participant's support and returns the
	// proposal's supports after it; ErrNotFound when there was none.
	WithdrawSupport(ctx context.Context, proposalID, participantID uuid.UUID) (int, error)
}
