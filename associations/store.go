package associations

import (
	"context"

	"github.com/google/uuid"
)

// Store is what the Service needs from persistence. It is owned here;
// package storage implements it and associationstest.TestStore checks any
// implementation against the contract described on each method.
type Store interface {
	RegistryStore
	GrantStore
	MembershipStore
}

// UpsertResult says what an upsert did.
type UpsertResult int

const (
	Unchanged UpsertResult = iota // same content already stored
	Created
	Updated
)

// RegistryStore persists associations.
type RegistryStore interface {
	// CreateAssociation inserts a (ID set by the caller, Version 1).
	// ErrConflict if the ID, RNA or SIRET is already taken.
	CreateAssociation(ctx context.Context, a *Association) error
	// GetAssociation returns ErrNotFound for an unknown ID.
	GetAssociation(ctx context.Context, id uuid.UUID) (*Association, error)
	// GetAssociationByRNA returns ErrNotFound for an unknown RNA number.
	GetAssociationByRNA(ctx context.Context, rna string) (*Association, error)
	// UpdateAssociation replaces the stored row if its Version equals
	// a.Version, then stores a.Version+1 and sets a.Version accordingly.
	// ErrNotFound if absent, ErrConflict if the version is stale or a
	// unique key is taken.
	UpdateAssociation(ctx context.Context, a *Association) error
	// UpsertAssociationByRNA inserts a or, when its RNA is known, replaces
	// the stored content (every field but ID, Version, CreatedAt and
	// UpdatedAt; the order of contacts and categories counts) (keeping the stored ID and CreatedAt, bumping
	// Version) unless it is unchanged. a.ID, a.Version and a.CreatedAt are
	// set to the stored values; a new association with a nil ID gets one.
	// a.RNA must be non-empty.
	UpsertAssociationByRNA(ctx context.Context, a *Association) (UpsertResult, error)
	// UpsertAssociationsByRNA does UpsertAssociationByRNA for each element
	// of as, in one transaction: every element is written or none is, and
	// results come in input order. RNA numbers must be distinct within the
	// batch (ErrInvalid otherwise). Importers use it to write thousands of
	// rows per transaction.
	UpsertAssociationsByRNA(ctx context.Context, as []*Association) ([]UpsertResult, error)
	// SearchAssociations returns up to p.Limit associations passing the
	// filter, ordered by (SortKey(Name), ID) and strictly after p.After, and
	// the cursor of the last one when more follow (nil otherwise).
	SearchAssociations(ctx context.Context, p SearchParams) ([]Association, *SearchCursor, error)
	// NearAssociations returns up to p.Limit associations whose location
	// is within p.RadiusMeters of p.Center by Distance, passing the filter,
	// ordered by (distance, ID) strictly after p.After, and the cursor of
	// the last one when more follow. Distances must be computed with
	// Distance so every store returns exactly the same set.
	NearAssociations(ctx context.Context, p NearParams) ([]NearHit, *NearCursor, error)
}

// GrantStore persists grant applications and their audit trail.
type GrantStore interface {
	// CreateGrant inserts g (Version 1) with its first transition.
	// ErrNotFound if g.AssociationID is unknown; ErrConflict on a taken ID.
	CreateGrant(ctx context.Context, g *Grant, t GrantTransition) error
	// GetGrant returns ErrNotFound for an unknown ID.
	GetGrant(ctx context.Context, id uuid.UUID) (*Grant, error)
	// UpdateGrant replaces g if the stored Version equals g.Version and,
	// in the same transaction, appends t when t is non-nil; g.Version is
	// then incremented. ErrConflict on a stale version: nothing is written.
	UpdateGrant(ctx context.Context, g *Grant, t *GrantTransition) error
	// ListGrants returns an association's grants, oldest first.
	ListGrants(ctx context.Context, associationID uuid.UUID) ([]Grant, error)
	// GrantHistory returns a grant's transitions in the order they happened.
	GrantHistory(ctx context.Context, grantID uuid.UUID) ([]GrantTransition, error)
}

// MembershipStore persists members' personal data and their memberships,
// in separate tables.
type MembershipStore interface {
	// CreatePerson inserts p. ErrConflict on a taken ID.
	CreatePerson(ctx context.Context, p *Person) error
	// GetPerson returns ErrNotFound for an unknown ID.
	GetPerson(ctx context.Context, id uuid.UUID) (*Person, error)
	// DeletePerson erases a person's personal data and their memberships.
	DeletePerson(ctx context.Context, id uuid.UUID) error
	// CreateMembership inserts m. ErrNotFound if the association or person
	// is unknown; ErrConflict on a taken ID.
	CreateMembership(ctx context.Context, m *Membership) error
	// GetMembership returns ErrNotFound for an unknown ID.
	GetMembership(ctx context.Context, id uuid.UUID) (*Membership, error)
	// UpdateMembership replaces m if the stored Version equals m.Version,
	// then increments it; ErrConflict on a stale version.
	UpdateMembership(ctx context.Context, m *Membership) error
	// RenewMembership writes prev as given (the caller has marked it
	// renewed), checking its Version, and inserts next, in one
	// transaction; prev.Version is then incremented. ErrConflict on a
	// stale prev or a taken next ID: then nothing is written.
	RenewMembership(ctx context.Context, prev, next *Membership) error
	// ListMemberships returns an association's memberships ordered by
	// (StartOn, ID).
	ListMemberships(ctx context.Context, associationID uuid.UUID) ([]Membership, error)
}
