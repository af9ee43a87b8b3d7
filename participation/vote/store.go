package vote

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// Link says that a ballot-box election belongs to a consultation.
type Link struct {
	ElectionID     uuid.UUID `json:"election_id"`
	ConsultationID uuid.UUID `json:"consultation_id"`
	CreatedAt      time.Time `json:"created_at"`
}

// Store keeps the links between elections and consultations. It is
// owned here; package storage implements it and votetest.TestStore
// checks any implementation against the contract written on each method.
// A link is never changed nor removed.
type Store interface {
	// CreateLink inserts l. ErrConflict when the election is linked
	// already (to any consultation); ErrNotFound when the consultation is
	// unknown.
	CreateLink(ctx context.Context, l *Link) error
	// GetLink returns the link of an election, ErrNotFound when it has
	// none.
	GetLink(ctx context.Context, electionID uuid.UUID) (*Link, error)
	// ListLinks returns a page of a consultation's links, by CreatedAt,
	// then ElectionID.
	ListLinks(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[Link], error)
}
