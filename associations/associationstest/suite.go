package associationstest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/associations"
)

// TestStore runs the conformance suite against the Store implementation
// built by newStore. newStore must return a fresh, empty store on every
// call; it is called once by each leaf subtest (never from two subtests at
// the same time) and may register cleanups on the t it is given.
func TestStore(t *testing.T, newStore func(t *testing.T) associations.Store) {
	t.Helper()
	s := &suite{newStore: newStore}
	t.Run("Associations", s.testAssociations)
	t.Run("Upsert", s.testUpsert)
	t.Run("Search", s.testSearch)
	t.Run("Near", s.testNear)
	t.Run("Grants", s.testGrants)
	t.Run("Memberships", s.testMemberships)
	t.Run("Concurrency", s.testConcurrency)
	t.Run("Spaces", s.testSpaces)
	t.Run("Aid", s.testAid)
	t.Run("Exchange", s.testExchange)
	t.Run("Representatives", s.testRepresentatives)
}

type suite struct {
	newStore func(t *testing.T) associations.Store
}

func (s *suite) store(t *testing.T) associations.Store {
	t.Helper()
	st := s.newStore(t)
	require.NotNil(t, st, "newStore returned nil")
	return st
}

// Comparison helpers. Databases keep microseconds and may hand times back
// in another location, and an empty list may come back nil: the canonical
// forms below erase exactly those differences and nothing else.

func canonTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func canonTimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := canonTime(*t)
	return &c
}

func nilIfEmpty[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return s
}

func canonAssociation(a associations.Association) associations.Association {
	a.Categories = nilIfEmpty(a.Categories)
	a.Contacts = nilIfEmpty(a.Contacts)
	a.Languages = nilIfEmpty(a.Languages)
	a.CreatedOn = canonTimePtr(a.CreatedOn)
	a.DissolvedOn = canonTimePtr(a.DissolvedOn)
	if a.Address.Location != nil {
		p := *a.Address.Location
		a.Address.Location = &p
	}
	a.CreatedAt = canonTime(a.CreatedAt)
	a.UpdatedAt = canonTime(a.UpdatedAt)
	return a
}

func canonGrant(g associations.Grant) associations.Grant {
	g.Budget = nilIfEmpty(g.Budget)
	g.CoFunders = nilIfEmpty(g.CoFunders)
	g.Project.StartOn = canonTime(g.Project.StartOn)
	g.Project.EndOn = canonTime(g.Project.EndOn)
	g.ReportDueOn = canonTimePtr(g.ReportDueOn)
	g.ReportedOn = canonTimePtr(g.ReportedOn)
	g.CreatedAt = canonTime(g.CreatedAt)
	g.UpdatedAt = canonTime(g.UpdatedAt)
	return g
}

func canonTransitions(ts []associations.GrantTransition) []associations.GrantTransition {
	out := make([]associations.GrantTransition, len(ts))
	for i, t := range ts {
		t.At = canonTime(t.At)
		out[i] = t
	}
	return nilIfEmpty(out)
}

func canonPerson(p associations.Person) associations.Person {
	p.BirthDate = canonTimePtr(p.BirthDate)
	p.CreatedAt = canonTime(p.CreatedAt)
	return p
}

func canonMembership(m associations.Membership) associations.Membership {
	m.StartOn = canonTime(m.StartOn)
	m.EndOn = canonTime(m.EndOn)
	m.CreatedAt = canonTime(m.CreatedAt)
	m.UpdatedAt = canonTime(m.UpdatedAt)
	if m.RenewalOf != nil {
		id := *m.RenewalOf
		m.RenewalOf = &id
	}
	return m
}

func canonMemberships(ms []associations.Membership) []associations.Membership {
	out := make([]associations.Membership, len(ms))
	for i, m := range ms {
		out[i] = canonMembership(m)
	}
	return nilIfEmpty(out)
}

func canonGrants(gs []associations.Grant) []associations.Grant {
	out := make([]associations.Grant, len(gs))
	for i, g := range gs {
		out[i] = canonGrant(g)
	}
	return nilIfEmpty(out)
}

// cloneAssociation returns a deep copy of a, so that a store mutating (or
// keeping) what it is given cannot change the test's expectations.
func cloneAssociation(a associations.Association) associations.Association {
	a.Categories = slices.Clone(a.Categories)
	a.Contacts = slices.Clone(a.Contacts)
	a.Languages = slices.Clone(a.Languages)
	if a.CreatedOn != nil {
		d := *a.CreatedOn
		a.CreatedOn = &d
	}
	if a.DissolvedOn != nil {
		d := *a.DissolvedOn
		a.DissolvedOn = &d
	}
	if a.Address.Location != nil {
		p := *a.Address.Location
		a.Address.Location = &p
	}
	return a
}

func cloneGrant(g associations.Grant) associations.Grant {
	g.Budget = slices.Clone(g.Budget)
	g.CoFunders = slices.Clone(g.CoFunders)
	if g.ReportDueOn != nil {
		d := *g.ReportDueOn
		g.ReportDueOn = &d
	}
	if g.ReportedOn != nil {
		d := *g.ReportedOn
		g.ReportedOn = &d
	}
	return g
}

// assertStoredAssociation checks that the store holds exactly want under
// want.ID (and under want.RNA when it has one).
func assertStoredAssociation(t *testing.T, st associations.Store, want associations.Association) bool {
	t.Helper()
	got, err := st.GetAssociation(t.Context(), want.ID)
	if !assert.NoError(t, err, "GetAssociation(%s)", want.ID) || !assert.NotNil(t, got) {
		return false
	}
	ok := assert.Equal(t, canonAssociation(want), canonAssociation(*got), "GetAssociation(%s)", want.ID)
	if want.RNA != "" {
		got, err := st.GetAssociationByRNA(t.Context(), want.RNA)
		if assert.NoError(t, err, "GetAssociationByRNA(%s)", want.RNA) && assert.NotNil(t, got) {
			ok = assert.Equal(t, canonAssociation(want), canonAssociation(*got), "GetAssociationByRNA(%s)", want.RNA) && ok
		} else {
			ok = false
		}
	}
	return ok
}

func assertNoAssociation(t *testing.T, st associations.Store, id uuid.UUID) {
	t.Helper()
	got, err := st.GetAssociation(t.Context(), id)
	assert.ErrorIs(t, err, associations.ErrNotFound, "GetAssociation(%s) = %v", id, got)
}

func assertNoRNA(t *testing.T, st associations.Store, rna string) {
	t.Helper()
	got, err := st.GetAssociationByRNA(t.Context(), rna)
	assert.ErrorIs(t, err, associations.ErrNotFound, "GetAssociationByRNA(%s) = %v", rna, got)
}

// mustCreate inserts associations the test depends on.
func mustCreate(t *testing.T, st associations.Store, as ...associations.Association) {
	t.Helper()
	for _, a := range as {
		a := cloneAssociation(a)
		require.NoError(t, st.CreateAssociation(t.Context(), &a), "CreateAssociation(%q)", a.Name)
	}
}

// retriable reports whether a concurrent caller may simply try again.
func retriable(err error) bool {
	return errors.Is(err, associations.ErrConflict) || errors.Is(err, associations.ErrUnavailable)
}

func short(normal, inShort int) int {
	if testing.Short() {
		return inShort
	}
	return normal
}
