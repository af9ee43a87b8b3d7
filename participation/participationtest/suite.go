package participationtest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// TestStore runs the conformance suite against the Store implementation
// built by newStore. newStore must return a fresh, empty store on every
// call; it is called once by each leaf subtest (never from two subtests at
// the same time) and may register cleanups on the t it is given.
func TestStore(t *testing.T, newStore func(t *testing.T) participation.Store) {
	t.Helper()
	t.Run("Consultations", func(t *testing.T) { testConsultations(t, newStore) })
	t.Run("Participants", func(t *testing.T) { testParticipants(t, newStore) })
	t.Run("Information", func(t *testing.T) { testInformation(t, newStore) })
	t.Run("Attributes", func(t *testing.T) { testAttributes(t, newStore) })
}

// store calls newStore and checks it returned something.
func store(t *testing.T, newStore func(t *testing.T) participation.Store) participation.Store {
	t.Helper()
	st := newStore(t)
	require.NotNil(t, st, "newStore returned nil")
	return st
}

// Comparison helpers. Databases keep microseconds and may hand times back
// in another location, and an empty list may come back nil: the canonical
// forms below erase exactly those differences and nothing else.

// CanonTime returns t in UTC truncated to the microsecond.
func CanonTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}

// NilIfEmpty returns nil for an empty slice and s otherwise, so that an
// empty list read back compares equal to none.
func NilIfEmpty[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return s
}

// CanonConsultation returns c in canonical form for comparisons.
func CanonConsultation(c participation.Consultation) participation.Consultation {
	c.Languages = NilIfEmpty(c.Languages)
	phases := make([]participation.Phase, len(c.Phases))
	for i, p := range c.Phases {
		p.Starts, p.Ends = CanonTime(p.Starts), CanonTime(p.Ends)
		phases[i] = p
	}
	c.Phases = NilIfEmpty(phases)
	c.Settings.Channels = NilIfEmpty(c.Settings.Channels)
	c.Settings.AccessPoints = NilIfEmpty(c.Settings.AccessPoints)
	c.Settings.Eligibility.Territories = NilIfEmpty(c.Settings.Eligibility.Territories)
	if len(c.Settings.Actions) == 0 {
		c.Settings.Actions = nil
	}
	if c.FollowUpOf != nil {
		id := *c.FollowUpOf
		c.FollowUpOf = &id
	}
	c.CreatedAt, c.UpdatedAt = CanonTime(c.CreatedAt), CanonTime(c.UpdatedAt)
	return c
}

// ReadAll reads every page of list with page size limit, checking the
// paging contract on the way (no page longer than limit, an end), and
// returns the items in order.
func ReadAll[T any](t testing.TB, limit int, list func(after string, limit int) (civickit.Page[T], error)) []T {
	t.Helper()
	most := min(limit, civickit.MaxLimit)
	if limit == 0 {
		most = civickit.DefaultLimit
	}
	var all []T
	after := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 100_000, "paging does not end")
		p, err := list(after, limit)
		require.NoError(t, err)
		require.LessOrEqual(t, len(p.Items), most, "a page longer than its limit")
		all = append(all, p.Items...)
		if p.Next == "" {
			return all
		}
		after = p.Next
	}
}

// CheckList checks a list against want, its items in order: read whole
// with page sizes 1, 2 and 3 and with the default, every item comes
// once and in order; a malformed cursor and a negative limit are
// refused with ErrInvalid. canon puts items in comparable form (nil:
// compared as they are).
func CheckList[T any](t *testing.T, want []T, canon func(T) T, list func(after string, limit int) (civickit.Page[T], error)) {
	t.Helper()
	if canon == nil {
		canon = func(v T) T { return v }
	}
	all := func(items []T) []T {
		out := make([]T, len(items))
		for i, v := range items {
			out[i] = canon(v)
		}
		return NilIfEmpty(out)
	}
	w := all(want)
	for _, limit := range []int{1, 2, 3, 0} {
		got := ReadAll(t, limit, list)
		assert.Equal(t, w, all(got), "page size %d", limit)
	}
	_, err := list("%%not a cursor", 1)
	assert.ErrorIs(t, err, participation.ErrInvalid, "a malformed cursor")
	_, err = list("", -1)
	assert.ErrorIs(t, err, participation.ErrInvalid, "a negative limit")
}

// CheckPaging checks the paging of a list whose items other assertions
// check: read whole with page sizes 1, 2, 3 and the default, it gives the
// items of one page of civickit.MaxLimit, each once and in the same
// order; a malformed cursor and a negative limit are refused with
// ErrInvalid.
func CheckPaging[T any](t *testing.T, list func(after string, limit int) (civickit.Page[T], error)) {
	t.Helper()
	CheckList(t, ReadAll(t, civickit.MaxLimit, list), nil, list)
}
