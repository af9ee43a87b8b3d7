package associations

import (
	"fmt"

	"github.com/google/uuid"
)

// Filter narrows a listing. Zero fields do not filter.
type Filter struct {
	// Text: every word must prefix a word of the name, acronym or object.
	Text string `json:"q,omitempty" validate:"max=200"`
	// Category: a category code; a theme code (xxx000) also matches its sub-codes.
	Category    string `json:"category,omitempty" validate:"omitempty,category"`
	Status      Status `json:"status,omitempty" validate:"omitempty,oneof=active dissolved"`
	CommuneCode string `json:"commune_code,omitempty" validate:"omitempty,len=5,alphanum"`
	PostalCode  string `json:"postal_code,omitempty" validate:"omitempty,max=16,alphanum"`
	Department  string `json:"department,omitempty" validate:"omitempty,min=2,max=3,alphanum"` // prefix of CommuneCode
}

// Cursors. The listings page with the kernel's convention (civickit.Page,
// after and limit): a page's Next is civickit.EncodeCursor of the position
// of its last row, and a store reads after back with
// civickit.DecodeCursor. The positions are defined here so that every
// store writes the same cursors.

// SearchCursor is the position after which a name-ordered page starts.
type SearchCursor struct {
	SortKey string    `json:"k"`
	ID      uuid.UUID `json:"i"`
}

// NearCursor is the position after which a distance-ordered page starts.
type NearCursor struct {
	Meters float64   `json:"d"`
	ID     uuid.UUID `json:"i"`
}

// NearParams is a store query: associations located within RadiusMeters of
// Center (Distance <= RadiusMeters) that pass the filter, ordered by
// (distance, ID).
type NearParams struct {
	Filter
	Center       Point   `json:"center"`
	RadiusMeters float64 `json:"radius_m"`
}

// NearHit is one association with its distance from the search centre.
type NearHit struct {
	Association    Association `json:"association"`
	DistanceMeters float64     `json:"distance_m"`
}

// String is for logs and test failures.
func (c SearchCursor) String() string { return fmt.Sprintf("(%q, %s)", c.SortKey, c.ID) }
