package debate

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// Alignment is the side a comment takes on the matter debated.
type Alignment string

const (
	AlignFor     Alignment = "for"
	AlignNeutral Alignment = "neutral"
	AlignAgainst Alignment = "against"
)

// Valid reports whether a is a known alignment.
func (a Alignment) Valid() bool { return a == AlignFor || a == AlignNeutral || a == AlignAgainst }

// Comment is a participant's contribution to a debate, possibly a reply
// to another comment. Depth is 1 for a comment on the consultation, 2
// for a reply to it, and so on up to the consultation's MaxCommentDepth.
type Comment struct {
	ID             uuid.UUID                `json:"id"`
	ConsultationID uuid.UUID                `json:"consultation_id"`
	ParentID       *uuid.UUID               `json:"parent_id,omitempty"`
	Depth          int                      `json:"depth"`
	AuthorID       uuid.UUID                `json:"author_id"` // pseudonymous participant
	Body           string                   `json:"body"`
	Alignment      Alignment                `json:"alignment"`
	Provenance     civickit.Provenance      `json:"provenance"`
	Up             int                      `json:"up"`   // up votes
	Down           int                      `json:"down"` // down votes
	Moderation     participation.Moderation `json:"moderation"`
	// IdempotencyKey, when set, makes a retried post store the comment
	// once (per author and consultation); it is not published.
	IdempotencyKey string `json:"-"`
	// Version counts edits: 1 as posted, +1 per edit.
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Edited reports whether the comment was changed after it was posted.
func (c *Comment) Edited() bool { return c.Version > 1 }

// CommentRevision is an earlier text of an edited comment: the body and
// alignment the comment had at Version, written at WrittenAt and
// replaced at ReplacedAt.
type CommentRevision struct {
	CommentID  uuid.UUID `json:"comment_id"`
	Version    int       `json:"version"`
	Body       string    `json:"body"`
	Alignment  Alignment `json:"alignment"`
	WrittenAt  time.Time `json:"written_at"`
	ReplacedAt time.Time `json:"replaced_at"`
}

// NewComment is a comment to post. A mediator or an agent keying in a
// paper contribution sets the Provenance accordingly.
type NewComment struct {
	ConsultationID uuid.UUID  `json:"consultation_id"`
	ParentID       *uuid.UUID `json:"parent_id,omitempty"`
	AuthorID       uuid.UUID  `json:"author_id"`
	Body           string     `json:"body"`
	// Alignment defaults to AlignNeutral.
	Alignment  Alignment           `json:"alignment,omitempty"`
	Provenance civickit.Provenance `json:"provenance"`
	// IdempotencyKey (optional, e.g. a UUID the client drew once per
	// comment) makes a retried post return the comment stored the first
	// time instead of storing it twice.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
}

// PostComment stores a new comment or reply. The consultation's active
// phase must allow ActionComment (a *PhaseError otherwise, and nothing is
// stored) and the author must be eligible. A reply's parent must be a
// visible comment of the same consultation, and the reply may not go
// deeper than the consultation's MaxCommentDepth (rule "max_depth" on
// "parent_id").
func (s *Service) PostComment(ctx context.Context, in NewComment) (*Comment, error) {
	ve := &civickit.ValidationError{}
	if in.ConsultationID == uuid.Nil {
		ve.Add("consultation_id", "required", "")
	}
	in.Body = participation.CheckText("body", in.Body, MaxCommentLen, true, ve)
	if in.Alignment == "" {
		in.Alignment = AlignNeutral
	}
	if !in.Alignment.Valid() {
		ve.Add("alignment", "oneof", "for neutral against")
	}
	participation.CheckContributor("author_id", in.AuthorID, in.Provenance, ve)
	civickit.CheckIdempotencyKey("idempotency_key", in.IdempotencyKey, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	c, err := s.core.Admit(ctx, in.ConsultationID, in.AuthorID, participation.ActionComment, in.Provenance)
	if err != nil {
		return nil, err
	}
	depth := 1
	if in.ParentID != nil {
		parent, err := s.store.GetComment(ctx, *in.ParentID)
		switch {
		case err != nil:
			return nil, fmt.Errorf("post comment: parent: %w", err)
		case parent.ConsultationID != c.ID:
			return nil, fmt.Errorf("post comment: parent %s in another consultation: %w", parent.ID, participation.ErrNotFound)
		case parent.Moderation.Hidden():
			return nil, &participation.TransitionError{Entity: "comment", From: "hidden", To: "replied"}
		case parent.Depth >= c.MaxCommentDepth():
			return nil, civickit.Invalid("parent_id", "max_depth", fmt.Sprint(c.MaxCommentDepth()))
		}
		depth = parent.Depth + 1
	}
	now := s.now().UTC()
	cm := &Comment{
		ID: s.newID(), ConsultationID: c.ID, ParentID: in.ParentID, Depth: depth,
		AuthorID: in.AuthorID, Body: in.Body, Alignment: in.Alignment, Provenance: in.Provenance,
		IdempotencyKey: in.IdempotencyKey, Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	want := *cm
	replayed, err := s.store.CreateComment(ctx, cm)
	if err != nil {
		return nil, fmt.Errorf("post comment: %w", err)
	}
	if replayed {
		same := cm.Body == want.Body && cm.Alignment == want.Alignment && debateSameParent(cm.ParentID, want.ParentID)
		if !same {
			return nil, fmt.Errorf("idempotency key %q: %w", in.IdempotencyKey, participation.ErrKeyReused)
		}
	}
	return cm, nil
}

func debateSameParent(a, b *uuid.UUID) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// CommentEdit changes the text or alignment of a comment. Version is the
// version the author saw.
type CommentEdit struct {
	CommentID uuid.UUID `json:"comment_id"`
	AuthorID  uuid.UUID `json:"author_id"`
	Body      string    `json:"body"`
	Alignment Alignment `json:"alignment,omitempty"` // "": unchanged
	Version   int       `json:"version"`
}

// EditComment replaces a comment's body (and alignment when given) and
// keeps the previous text in its history. Only the author may edit
// (ErrNotAuthor), only while the phase allows ActionComment, not once the
// comment is hidden, and only from the current Version (ErrConflict).
func (s *Service) EditComment(ctx context.Context, in CommentEdit) (*Comment, error) {
	ve := &civickit.ValidationError{}
	if in.CommentID == uuid.Nil {
		ve.Add("comment_id", "required", "")
	}
	if in.AuthorID == uuid.Nil {
		ve.Add("author_id", "required", "")
	}
	in.Body = participation.CheckText("body", in.Body, MaxCommentLen, true, ve)
	if in.Alignment != "" && !in.Alignment.Valid() {
		ve.Add("alignment", "oneof", "for neutral against")
	}
	if in.Version < 1 {
		ve.Add("version", "min", "1")
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	cm, err := s.store.GetComment(ctx, in.CommentID)
	if err != nil {
		return nil, fmt.Errorf("edit comment: %w", err)
	}
	if _, err := s.core.CheckAction(ctx, cm.ConsultationID, participation.ActionComment); err != nil {
		return nil, err
	}
	switch {
	case cm.AuthorID != in.AuthorID:
		return nil, fmt.Errorf("edit comment %s: %w", cm.ID, ErrNotAuthor)
	case cm.Moderation.Hidden():
		return nil, &participation.TransitionError{Entity: "comment", From: "hidden", To: "edited"}
	case cm.Version != in.Version:
		return nil, fmt.Errorf("edit comment %s: stale version %d: %w", cm.ID, in.Version, participation.ErrConflict)
	}
	prev := CommentRevision{
		CommentID: cm.ID, Version: cm.Version, Body: cm.Body, Alignment: cm.Alignment,
		WrittenAt: cm.UpdatedAt, ReplacedAt: s.now().UTC(),
	}
	cm.Body = in.Body
	if in.Alignment != "" {
		cm.Alignment = in.Alignment
	}
	cm.UpdatedAt = prev.ReplacedAt
	if err := s.store.EditComment(ctx, cm, prev); err != nil {
		return nil, fmt.Errorf("edit comment: %w", err)
	}
	return cm, nil
}

// ListCommentRevisions returns a page of the earlier texts of a
// comment, oldest first (empty when it was never edited).
func (s *Service) ListCommentRevisions(ctx context.Context, commentID uuid.UUID, after string, limit int) (civickit.Page[CommentRevision], error) {
	if _, err := s.store.GetComment(ctx, commentID); err != nil {
		return civickit.Page[CommentRevision]{}, fmt.Errorf("comment history: %w", err)
	}
	return s.store.ListCommentRevisions(ctx, commentID, after, limit)
}

// GetComment returns a comment as participants see it (see Comments).
func (s *Service) GetComment(ctx context.Context, id uuid.UUID) (*Comment, error) {
	cm, err := s.store.GetComment(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("get comment: %w", err)
	}
	debateMask(cm)
	return cm, nil
}

// ListComments returns a page of the consultation's comments in thread
// order: each comment followed by its replies, siblings oldest first.
// Hidden comments keep their place in the thread with their body and
// author blanked, unless moderator.
func (s *Service) ListComments(ctx context.Context, consultationID uuid.UUID, moderator bool, after string, limit int) (civickit.Page[Comment], error) {
	if _, err := s.core.GetConsultation(ctx, consultationID); err != nil {
		return civickit.Page[Comment]{}, fmt.Errorf("comments: %w", err)
	}
	page, err := s.store.ListComments(ctx, consultationID, after, limit)
	if err != nil {
		return civickit.Page[Comment]{}, fmt.Errorf("comments: %w", err)
	}
	if !moderator {
		for i := range page.Items {
			debateMask(&page.Items[i])
		}
	}
	return page, nil
}

// debateMask blanks the text and author of a hidden comment.
func debateMask(c *Comment) {
	if c.Moderation.Hidden() {
		c.Body, c.AuthorID = "", uuid.Nil
	}
}

// CommentVoteValue is a participant's vote on a comment.
type CommentVoteValue int

const (
	VoteDown CommentVoteValue = -1
	VoteNone CommentVoteValue = 0 // withdraws a vote
	VoteUp   CommentVoteValue = 1
)

// CommentVote is a participant's up or down vote on a comment; one per
// participant per comment, which they may change or withdraw.
type CommentVote struct {
	CommentID     uuid.UUID           `json:"comment_id"`
	ParticipantID uuid.UUID           `json:"participant_id"`
	Value         CommentVoteValue    `json:"value"`
	Provenance    civickit.Provenance `json:"provenance"`
	VotedAt       time.Time           `json:"voted_at"`
}

// VoteComment records, changes (or, with VoteNone, withdraws) a
// participant's vote on a comment and returns the comment with its new
// counts. The phase must allow ActionVoteComment; the voter must be
// eligible; hidden comments cannot be voted on.
func (s *Service) VoteComment(ctx context.Context, v CommentVote) (*Comment, error) {
	ve := &civickit.ValidationError{}
	if v.CommentID == uuid.Nil {
		ve.Add("comment_id", "required", "")
	}
	if v.Value < VoteDown || v.Value > VoteUp {
		ve.Add("value", "oneof", "-1 0 1")
	}
	participation.CheckContributor("participant_id", v.ParticipantID, v.Provenance, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	cm, err := s.store.GetComment(ctx, v.CommentID)
	if err != nil {
		return nil, fmt.Errorf("vote comment: %w", err)
	}
	if _, err := s.core.Admit(ctx, cm.ConsultationID, v.ParticipantID, participation.ActionVoteComment, v.Provenance); err != nil {
		return nil, err
	}
	if cm.Moderation.Hidden() {
		return nil, &participation.TransitionError{Entity: "comment", From: "hidden", To: "voted"}
	}
	v.VotedAt = s.now().UTC()
	up, down, err := s.store.VoteComment(ctx, &v)
	if err != nil {
		return nil, fmt.Errorf("vote comment: %w", err)
	}
	cm.Up, cm.Down = up, down
	return cm, nil
}
