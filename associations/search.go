package associations

import (
	"encoding/base64"
	"encoding/json"
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

// SearchParams is a store query: filter, then order by (SortKey(Name), ID).
type SearchParams struct {
	Filter
	Limit int           // > 0
	After *SearchCursor // nil: from the start
}

// NearParams is a store query: associations located within RadiusMeters of
// Center (Distance <= RadiusMeters) that pass the filter, ordered by
// (distance, ID).
type NearParams struct {
	Filter
	Center       Point
	RadiusMeters float64
	Limit        int
	After        *NearCursor
}

// NearHit is one association with its distance from the search centre.
type NearHit struct {
	Association    Association `json:"association"`
	DistanceMeters float64     `json:"distance_m"`
}

// Page is a page of a name-ordered listing. Next is empty on the last page.
type Page struct {
	Items []Association `json:"items"`
	Next  string        `json:"next,omitempty"`
}

// NearPage is a page of a distance-ordered listing.
type NearPage struct {
	Items []NearHit `json:"items"`
	Next  string    `json:"next,omitempty"`
}

func encodeCursor(v any) string {
	b, _ := json.Marshal(v) // plain structs: cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(field, s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		return &ValidationError{Fields: []FieldError{{Field: field, Rule: "cursor"}}}
	}
	return nil
}

// EncodeSearchCursor returns the opaque form of c.
func EncodeSearchCursor(c SearchCursor) string { return encodeCursor(c) }

// DecodeSearchCursor parses an opaque cursor; a malformed one is ErrInvalid.
func DecodeSearchCursor(s string) (*SearchCursor, error) {
	if s == "" {
		return nil, nil
	}
	var c SearchCursor
	if err := decodeCursor("cursor", s, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// EncodeNearCursor returns the opaque form of c.
func EncodeNearCursor(c NearCursor) string { return encodeCursor(c) }

// DecodeNearCursor parses an opaque cursor; a malformed one is ErrInvalid.
func DecodeNearCursor(s string) (*NearCursor, error) {
	if s == "" {
		return nil, nil
	}
	var c NearCursor
	if err := decodeCursor("cursor", s, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// String is for logs and test failures.
func (c SearchCursor) String() string { return fmt.Sprintf("(%q, %s)", c.SortKey, c.ID) }
