package httpapi

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// The HTTP layer keeps a little state of its own: answers stored by
// idempotency key, the participant each login identity takes part as,
// role grants and API tokens. Package storage implements these narrow
// interfaces on SQLite, PostgreSQL and MariaDB (storage.ServerStore).

// IdempotencyRecord is the stored fate of one POST sent with an
// Idempotency-Key: pending while its first request runs, then its answer.
type IdempotencyRecord struct {
	// Key is the SHA-256 (hex) of caller, route pattern and key: the
	// caller's identity is not stored.
	Key string
	// BodyHash is the SHA-256 (hex) of the request body.
	BodyHash string
	Done     bool
	// Status, Header and Body are the stored answer (when Done).
	Status    int
	Header    map[string]string
	Body      []byte
	CreatedAt time.Time
}

// IdempotencyStore keeps IdempotencyRecords.
type IdempotencyStore interface {
	// ClaimIdempotencyKey inserts rec (pending) and reports claimed. When
	// the key is taken it returns the record found instead, unclaimed —
	// unless that record is still pending and was created before
	// staleBefore (its request died with its server): then rec takes
	// its place, claimed. Two concurrent claims never both succeed.
	ClaimIdempotencyKey(ctx context.Context, rec IdempotencyRecord, staleBefore time.Time) (found IdempotencyRecord, claimed bool, err error)
	// FinishIdempotencyKey stores the answer of a claimed key.
	FinishIdempotencyKey(ctx context.Context, rec IdempotencyRecord) error
	// ReleaseIdempotencyKey forgets a pending key, so that a retry runs
	// again (its request failed without effect).
	ReleaseIdempotencyKey(ctx context.Context, key string) error
	// PurgeIdempotencyKeys forgets the records created before t.
	PurgeIdempotencyKeys(ctx context.Context, before time.Time) (int, error)
}

// AccountStore keeps identity links, role grants and API tokens.
type AccountStore interface {
	// LinkIdentity links identity (a SHA-256 hex digest of its issuer and
	// subject) to participant unless it is linked already, and returns
	// the participant it is linked to: of two concurrent first links,
	// both get the first one's participant.
	LinkIdentity(ctx context.Context, identity string, participant uuid.UUID, at time.Time) (uuid.UUID, error)

	// Grants lists participant's grants.
	Grants(ctx context.Context, participant uuid.UUID) ([]Grant, error)
	// AddGrant gives participant g (no error if it has it already).
	AddGrant(ctx context.Context, participant uuid.UUID, g Grant, at time.Time) error
	// RemoveGrant takes g back (ErrNotFound if participant does not have it).
	RemoveGrant(ctx context.Context, participant uuid.UUID, g Grant) error

	// EndSessions voids participant's sessions issued before at (a
	// logout); SessionsEnded returns that time, zero if none.
	EndSessions(ctx context.Context, participant uuid.UUID, at time.Time) error
	SessionsEnded(ctx context.Context, participant uuid.UUID) (time.Time, error)

	CreateToken(ctx context.Context, t *APIToken) error
	// TokenBySecretHash finds a token by the SHA-256 (hex) of its secret.
	TokenBySecretHash(ctx context.Context, hash string) (*APIToken, error)
	// ListTokens lists every token, newest first, without secrets.
	ListTokens(ctx context.Context) ([]APIToken, error)
	RevokeToken(ctx context.Context, id uuid.UUID, at time.Time) error
}

// APIToken lets a server call the API on its own behalf, with its grants.
// Only the SHA-256 of its secret is stored; the secret is shown once.
type APIToken struct {
	ID          uuid.UUID `json:"id"`
	Name        string    `json:"name"`
	SecretHash  string    `json:"-"`
	Grants      []Grant   `json:"grants"`
	Participant uuid.UUID `json:"participant_id"`
	CreatedAt   time.Time `json:"created_at"`
	// ExpiresAt and RevokedAt are zero when not set.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}
