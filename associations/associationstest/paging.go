package associationstest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
)

// lister is one listing of a store, as the kernel's paging convention
// shapes every one: (after, limit) in, a page out.
type lister[T any] func(after string, limit int) (civickit.Page[T], error)

// walkPages reads a whole listing with page sizes taken in turn from
// limits and checks the paging contract on every page: no more than limit
// items, a Next on every page but the last, and a walk that ends. It
// returns the items of every page, in order, for the caller to compare
// with what the listing must hold (each item once, in order).
func walkPages[T any](t *testing.T, what string, limits []int, list lister[T]) []T {
	t.Helper()
	var got []T
	after := ""
	for page := 0; page < 10_000; page++ {
		limit := limits[page%len(limits)]
		p, err := list(after, limit)
		require.NoError(t, err, "%s: page %d (limit %d)", what, page, limit)
		require.LessOrEqual(t, len(p.Items), limit, "%s: page %d holds more than its limit", what, page)
		got = append(got, p.Items...)
		if p.Next == "" {
			return got
		}
		require.NotEqual(t, after, p.Next, "%s: page %d gives its own cursor as Next", what, page)
		after = p.Next
	}
	require.FailNow(t, what+": the walk never ends")
	return nil
}

// assertPagingErrors checks that a listing refuses a negative limit and
// malformed cursors with ErrInvalid, and that limit 0 means the default.
func assertPagingErrors[T any](t *testing.T, what string, list lister[T]) {
	t.Helper()
	_, err := list("", -1)
	assert.ErrorIs(t, err, associations.ErrInvalid, "%s: limit -1", what)
	for _, bad := range []string{"!!", "bm90IGpzb24", civickit.EncodeCursor("a string, not a position")} {
		_, err := list(bad, 10)
		assert.ErrorIs(t, err, associations.ErrInvalid, "%s: after %q", what, bad)
		assert.True(t, civickit.FieldErrors(err) != nil && hasPath(civickit.FieldErrors(err), "after"),
			"%s: after %q must be a *civickit.ValidationError on \"after\", got %v", what, bad, err)
	}
	p, err := list("", 0)
	if assert.NoError(t, err, "%s: limit 0", what) {
		assert.LessOrEqual(t, len(p.Items), civickit.DefaultLimit, "%s: limit 0 is the default limit", what)
	}
}

func hasPath(fs []civickit.FieldError, path string) bool {
	for _, f := range fs {
		if f.Path == path {
			return true
		}
	}
	return false
}
