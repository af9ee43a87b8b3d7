package civickit

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
)

// Paging. Every List method in civickit has the same shape:
//
//	List(ctx, query, after string, limit int) (Page[T], error)
//
//   - after is the Next of the previous page, "" for the first page. It
//     is opaque to callers: a store encodes in it the sort key of the
//     last item it returned (EncodeCursor), so a page starts strictly
//     after that item even when rows are added or removed meanwhile.
//   - limit is the largest page wanted: 0 means DefaultLimit, more than
//     MaxLimit is cut to MaxLimit, a negative limit is invalid (see
//     CheckLimit). A list is never unbounded.
//   - Next is "" on the last page. A page may hold fewer than limit items
//     and still have a Next; only an empty Next says the list is done.
//
// A malformed cursor is a *ValidationError on "after" with rule "cursor".

// Page is one page of a list.
type Page[T any] struct {
	Items []T `json:"items"`
	// Next is the cursor of the following page; "" on the last page.
	Next string `json:"next,omitempty"`
}

// Paging limits.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// CheckLimit returns the page size to use for a requested limit: 0 gives
// DefaultLimit, a limit above MaxLimit gives MaxLimit, and a negative one
// is a *ValidationError on "limit".
func CheckLimit(limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, Invalid("limit", "gte", "0")
	case limit == 0:
		return DefaultLimit, nil
	case limit > MaxLimit:
		return MaxLimit, nil
	}
	return limit, nil
}

// EncodeCursor returns the opaque cursor of position v, a small struct
// holding the sort key of a page's last item.
func EncodeCursor(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Cursors are plain structs of strings, numbers and IDs.
		panic("civickit: cursor does not encode: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads cursor into v. The empty cursor leaves v untouched
// and returns false: start from the beginning. A cursor that is not one
// EncodeCursor wrote for a v of this type is a *ValidationError on
// "after".
func DecodeCursor(cursor string, v any) (bool, error) {
	if cursor == "" {
		return false, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		return false, Invalid("after", "cursor", "")
	}
	return true, nil
}

// OffsetCursor is the cursor of an offset-paged list, for the few lists
// whose order has no stable key (for instance a ranking recomputed on
// each call).
func OffsetCursor(offset int) string {
	if offset <= 0 {
		return ""
	}
	return EncodeCursor(strconv.Itoa(offset))
}

// DecodeOffsetCursor reads an OffsetCursor (0 for "").
func DecodeOffsetCursor(cursor string) (int, error) {
	var s string
	ok, err := DecodeCursor(cursor, &s)
	if err != nil || !ok {
		return 0, err
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, Invalid("after", "cursor", "")
	}
	return n, nil
}
