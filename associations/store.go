package associations

import (
	"context"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// Store is what the Service needs from persistence. It is owned here;
// package storage implements it and associationstest.TestStore checks any
// implementation against the contract described on each method.
//
// A store keeps what it is given: the Service sets IDs, versions and
// timestamps and validates. Every listing follows the kernel's paging
// convention: (after, limit) in, civickit.Page out. limit goes through
// civickit.CheckLimit (0 is civickit.DefaultLimit, more than
// civickit.MaxLimit is cut, negative is ErrInvalid); after is "" or the
// Next of an earlier page, and a malformed one is a
// *civickit.ValidationError on "after"; Next is "" exactly on the last
// page.
type Store interface {
	RegistryStore
	GrantStore
	MembershipStore
	SpaceStore
	AidStore
	ExchangeStore
	RepresentativeStore
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
	// UpdatedAt; the order of contacts and categories counts), keeping the
	// stored ID and CreatedAt and bumping Version, unless it is unchanged.
	// a.ID, a.Version and a.CreatedAt are set to the stored values. a.RNA
	// must be non-empty, and a.ID too when the RNA is new (the store does
	// not make IDs): ErrInvalid otherwise.
	UpsertAssociationByRNA(ctx context.Context, a *Association) (UpsertResult, error)
	// UpsertAssociationsByRNA does UpsertAssociationByRNA for each element
	// of as, in one transaction: every element is written or none is, and
	// results come in input order. RNA numbers must be distinct within the
	// batch (ErrInvalid otherwise). Importers use it to write thousands of
	// rows per transaction.
	UpsertAssociationsByRNA(ctx context.Context, as []*Association) ([]UpsertResult, error)
	// SearchAssociations returns a page of the associations passing f,
	// ordered by (SortKey(Name), ID), starting strictly after the
	// SearchCursor encoded in after. Next encodes the SearchCursor of the
	// page's last row.
	SearchAssociations(ctx context.Context, f Filter, after string, limit int) (civickit.Page[Association], error)
	// NearAssociations returns a page of the associations whose location
	// is within p.RadiusMeters of p.Center by Distance, passing the filter,
	// ordered by (distance, ID), starting strictly after the NearCursor
	// encoded in after. Next encodes the NearCursor of the page's last
	// row. Distances must be computed with Distance so every store returns
	// exactly the same set.
	NearAssociations(ctx context.Context, p NearParams, after string, limit int) (civickit.Page[NearHit], error)
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
	// ListGrants returns a page of an association's grants, oldest first
	// (by CreatedAt, then ID).
	ListGrants(ctx context.Context, associationID uuid.UUID, after string, limit int) (civickit.Page[Grant], error)
	// GrantHistory returns a page of a grant's transitions, in the order
	// they happened.
	GrantHistory(ctx context.Context, grantID uuid.UUID, after string, limit int) (civickit.Page[GrantTransition], error)
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
	// ListMemberships returns a page of an association's memberships
	// ordered by (StartOn, ID).
	ListMemberships(ctx context.Context, associationID uuid.UUID, after string, limit int) (civickit.Page[Membership], error)
}
