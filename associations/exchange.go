package associations

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// The exchange board lets associations offer and ask for help from one
// another: volunteers, equipment, skills, premises. A post is public only
// once a moderator published it; its author is the association, never a
// person.

// PostKind says whether a post offers or asks.
type PostKind string

const (
	PostOffer PostKind = "offer"
	PostNeed  PostKind = "need"
)

// PostStatus is a post's place in moderation: pending, then published or
// rejected; a published post may be closed by its association.
type PostStatus string

const (
	PostPending   PostStatus = "pending"
	PostPublished PostStatus = "published"
	PostRejected  PostStatus = "rejected"
	PostClosed    PostStatus = "closed"
)

// ExchangePost is one offer or need of the board.
type ExchangePost struct {
	ID            uuid.UUID  `json:"id"`
	AssociationID uuid.UUID  `json:"association_id"`
	Kind          PostKind   `json:"kind" validate:"required,oneof=offer need"`
	Topic         string     `json:"topic" validate:"required,oneof=volunteers equipment skills premises other"`
	Title         string     `json:"title" validate:"required,max=200"`
	Body          string     `json:"body" validate:"required,max=4000"`
	CommuneCode   string     `json:"commune_code,omitempty" validate:"omitempty,len=5,alphanum"`
	Status        PostStatus `json:"status"`
	// ModerationNote says why a post was rejected; staff only.
	ModerationNote string    `json:"moderation_note,omitempty" validate:"max=1000"`
	Version        int       `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// ExchangeFilter narrows a listing of the board.
type ExchangeFilter struct {
	Kind   PostKind   `json:"kind,omitempty" validate:"omitempty,oneof=offer need"`
	Topic  string     `json:"topic,omitempty" validate:"omitempty,oneof=volunteers equipment skills premises other"`
	Status PostStatus `json:"status,omitempty" validate:"omitempty,oneof=pending published rejected closed"`
}

// ExchangeStore persists the board.
type ExchangeStore interface {
	// CreatePost inserts p. ErrNotFound if its association is unknown.
	CreatePost(ctx context.Context, p *ExchangePost) error
	// GetPost returns ErrNotFound for an unknown ID.
	GetPost(ctx context.Context, id uuid.UUID) (*ExchangePost, error)
	// UpdatePost replaces the status, moderation note and UpdatedAt of p
	// if the stored Version equals p.Version, then increments it;
	// ErrConflict on a stale version.
	UpdatePost(ctx context.Context, p *ExchangePost) error
	// ListPosts returns a page of the posts passing f, newest first (by
	// ID, which is time-ordered).
	ListPosts(ctx context.Context, f ExchangeFilter, after string, limit int) (civickit.Page[ExchangePost], error)
}

// PostCursor is the position of a page of posts.
type PostCursor struct {
	ID uuid.UUID `json:"i"`
}

// CreatePost puts an association's offer or need up for moderation.
func (s *Service) CreatePost(ctx context.Context, p ExchangePost) (*ExchangePost, error) {
	p.Title, p.Body = strings.TrimSpace(p.Title), strings.TrimSpace(p.Body)
	ve := &civickit.ValidationError{}
	if p.AssociationID == uuid.Nil {
		ve.Add("association_id", "required", "")
	}
	p.ModerationNote = ""
	civickit.CheckStruct(s.validate, "", &p, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	p.ID, p.Status, p.Version, p.CreatedAt, p.UpdatedAt = s.newID(), PostPending, 1, now, now
	if err := s.store.CreatePost(ctx, &p); err != nil {
		return nil, fmt.Errorf("create post: %w", err)
	}
	return &p, nil
}

var postMoves = map[PostStatus][]PostStatus{
	PostPending:   {PostPublished, PostRejected},
	PostPublished: {PostClosed, PostRejected},
}

// ModeratePost publishes, rejects (with a note) or closes a post; a move
// moderation does not allow is a *TransitionError.
func (s *Service) ModeratePost(ctx context.Context, id uuid.UUID, version int, to PostStatus, note string) (*ExchangePost, error) {
	if len([]rune(note)) > 1000 {
		return nil, civickit.Invalid("moderation_note", "max", "1000")
	}
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return nil, err
	}
	ok := false
	for _, st := range postMoves[p.Status] {
		ok = ok || st == to
	}
	if !ok {
		return nil, &TransitionError{Entity: "post", From: string(p.Status), To: string(to)}
	}
	p.Version, p.Status, p.ModerationNote, p.UpdatedAt = version, to, strings.TrimSpace(note), s.now().UTC()
	if err := s.store.UpdatePost(ctx, p); err != nil {
		return nil, fmt.Errorf("moderate post: %w", err)
	}
	return p, nil
}

// PublicPosts returns a page of the published posts passing f (its
// Status is ignored), without moderation notes.
func (s *Service) PublicPosts(ctx context.Context, f ExchangeFilter, after string, limit int) (civickit.Page[ExchangePost], error) {
	f.Status = PostPublished
	return s.Posts(ctx, f, after, limit)
}

// Posts returns a page of the board for moderators (any status).
func (s *Service) Posts(ctx context.Context, f ExchangeFilter, after string, limit int) (civickit.Page[ExchangePost], error) {
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", &f, ve)
	limit = checkLimit(limit, ve)
	if _, err := civickit.DecodeCursor(after, &PostCursor{}); err != nil {
		ve.Merge("", err)
	}
	if err := ve.Err(); err != nil {
		return civickit.Page[ExchangePost]{}, err
	}
	p, err := s.store.ListPosts(ctx, f, after, limit)
	if err != nil {
		return p, fmt.Errorf("list posts: %w", err)
	}
	if f.Status == PostPublished {
		for i := range p.Items {
			p.Items[i].ModerationNote = ""
		}
	}
	return p, nil
}
