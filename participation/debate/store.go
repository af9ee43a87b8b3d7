package debate

import (
	"context"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// Store is what the debate Service needs from persistence: comments
// with their edit history and votes, statements and their votes, and the
// reports and moderation of both (participation.ModerationStore, for the
// item kinds comment and statement). It is owned here; package storage
// implements it and debatetest.TestStore checks any implementation
// against the contract written on each method. Lists are pages, as
// participation.Store's are.
//
// Counts (up/down votes, opinions, open reports) are kept by the store in
// the same transaction as the write that changes them, so concurrent
// writers never lose a vote or a report.
type Store interface {
	participation.ModerationStore

	// CreateComment inserts c as given (ID, Depth, Version 1 and times set
	// by the caller; counts and moderation zero). A reply's parent must be
	// a comment of the same consultation. When c.IdempotencyKey is set and
	// the author already has a comment with that key in the consultation,
	// nothing is written, *c is replaced by the stored comment and
	// replayed is true. ErrNotFound when the consultation, the author or
	// the parent is unknown; ErrConflict on a taken ID.
	CreateComment(ctx context.Context, c *Comment) (replayed bool, err error)
	// GetComment returns ErrNotFound for an unknown ID.
	GetComment(ctx context.Context, id uuid.UUID) (*Comment, error)
	// EditComment replaces the Body, Alignment and UpdatedAt of the
	// stored comment if its Version equals c.Version, stores c.Version+1
	// (and sets c.Version accordingly) and appends prev to the comment's
	// edit history, in one transaction. ErrNotFound if absent,
	// ErrConflict if the version is stale: then nothing is written.
	EditComment(ctx context.Context, c *Comment, prev CommentRevision) error
	// ListCommentRevisions returns a page of a comment's edit history, by
	// Version.
	ListCommentRevisions(ctx context.Context, commentID uuid.UUID, after string, limit int) (civickit.Page[CommentRevision], error)
	// ListComments returns a page of the consultation's comments in
	// thread order — depth first, each comment before its replies,
	// siblings by CreatedAt then ID.
	ListComments(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[Comment], error)
	// VoteComment records v as the participant's only vote on the
	// comment, replacing an earlier one; VoteNone removes it. It returns
	// the comment's up and down counts after the change. ErrNotFound when
	// the comment or the participant is unknown.
	VoteComment(ctx context.Context, v *CommentVote) (up, down int, err error)
	// GetCommentVote returns ErrNotFound when the participant has no vote
	// on the comment.
	GetCommentVote(ctx context.Context, commentID, participantID uuid.UUID) (*CommentVote, error)

	// CreateStatement inserts s as given (counts and moderation zero),
	// with CreateComment's idempotency rule for an authored statement
	// with an IdempotencyKey. ErrNotFound when the consultation or the
	// author is unknown; ErrConflict on a taken ID.
	CreateStatement(ctx context.Context, s *Statement) (replayed bool, err error)
	// GetStatement returns ErrNotFound for an unknown ID.
	GetStatement(ctx context.Context, id uuid.UUID) (*Statement, error)
	// ListStatements returns a page of a consultation's statements, by
	// CreatedAt, then ID.
	ListStatements(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[Statement], error)
	// VoteStatement records v as the participant's only opinion on the
	// statement, replacing an earlier one, and returns the statement's
	// counts after the change. The participant's voter pseudonym in the
	// statement's consultation is newVoter when they have none yet (it is
	// then kept for all their later votes there). v.ConsultationID is set
	// from the statement. ErrNotFound when the statement or the
	// participant is unknown.
	VoteStatement(ctx context.Context, v *StatementVote, newVoter string) (OpinionCounts, error)
	// ListOpinions returns a page of the consultation's statement votes,
	// with voter pseudonyms instead of participants, by voter (compared
	// bytewise) then statement ID.
	ListOpinions(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[VoterOpinion], error)
}
