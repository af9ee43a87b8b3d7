package associations

import (
	"time"

	"github.com/google/uuid"
)

// Person holds a member's personal data. It lives in its own table, apart
// from the public registry; nothing in it is ever exported or logged.
type Person struct {
	ID            uuid.UUID  `json:"id"`
	GivenName     string     `json:"given_name" validate:"required,max=120"`
	FamilyName    string     `json:"family_name" validate:"required,max=120"`
	Email         string     `json:"email" validate:"required,email,max=250"`
	Phone         string     `json:"phone,omitempty" validate:"omitempty,max=40"`
	PostalAddress string     `json:"postal_address,omitempty" validate:"max=500"`
	BirthDate     *time.Time `json:"birth_date,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
}

// MembershipStatus is a membership's state.
type MembershipStatus string

const (
	MembershipPending   MembershipStatus = "pending"   // joined, fee not yet paid
	MembershipActive    MembershipStatus = "active"    // fee paid
	MembershipCancelled MembershipStatus = "cancelled" // ended early
	MembershipRenewed   MembershipStatus = "renewed"   // superseded by the next period
)

// Membership is one person's membership of one association for one period
// [StartOn, EndOn). A renewal is a new Membership whose RenewalOf points here.
type Membership struct {
	ID            uuid.UUID        `json:"id"`
	AssociationID uuid.UUID        `json:"association_id"`
	PersonID      uuid.UUID        `json:"person_id"`
	StartOn       time.Time        `json:"start_on"`
	EndOn         time.Time        `json:"end_on"`
	FeeCents      int64            `json:"fee_cents"`
	Currency      string           `json:"currency"` // ISO 4217, "EUR" by default
	Status        MembershipStatus `json:"status"`
	RenewalOf     *uuid.UUID       `json:"renewal_of,omitempty"`
	Version       int              `json:"version"`
	CreatedAt     time.Time        `json:"created_at"`
	UpdatedAt     time.Time        `json:"updated_at"`
}
