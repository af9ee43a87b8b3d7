package associationstest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
)

func assertStoredPerson(t *testing.T, st associations.Store, want associations.Person) {
	t.Helper()
	got, err := st.GetPerson(t.Context(), want.ID)
	if assert.NoError(t, err, "GetPerson(%s)", want.ID) && assert.NotNil(t, got) {
		assert.Equal(t, canonPerson(want), canonPerson(*got), "GetPerson(%s)", want.ID)
	}
}

func assertStoredMembership(t *testing.T, st associations.Store, want associations.Membership) {
	t.Helper()
	got, err := st.GetMembership(t.Context(), want.ID)
	if assert.NoError(t, err, "GetMembership(%s)", want.ID) && assert.NotNil(t, got) {
		assert.Equal(t, canonMembership(want), canonMembership(*got), "GetMembership(%s)", want.ID)
	}
}

func assertNoMembership(t *testing.T, st associations.Store, id uuid.UUID) {
	t.Helper()
	got, err := st.GetMembership(t.Context(), id)
	assert.ErrorIs(t, err, associations.ErrNotFound, "GetMembership(%s) = %v", id, got)
}

func mustCreatePerson(t *testing.T, st associations.Store, ps ...associations.Person) {
	t.Helper()
	for _, p := range ps {
		require.NoError(t, st.CreatePerson(t.Context(), &p))
	}
}

func mustCreateMembership(t *testing.T, st associations.Store, ms ...associations.Membership) {
	t.Helper()
	for _, m := range ms {
		require.NoError(t, st.CreateMembership(t.Context(), &m))
	}
}

// listMemberships walks an association's memberships with the given page
// sizes (2 when none).
func listMemberships(t *testing.T, st associations.Store, associationID uuid.UUID, limits ...int) []associations.Membership {
	t.Helper()
	if len(limits) == 0 {
		limits = []int{2}
	}
	return walkPages(t, "ListMemberships", limits, func(after string, limit int) (civickit.Page[associations.Membership], error) {
		return st.ListMemberships(t.Context(), associationID, after, limit)
	})
}

func (s *suite) testMemberships(t *testing.T) {
	t.Run("Person", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(50)
		full := NewPerson(rng, 1)
		minimal := associations.Person{ID: NewID(rng), GivenName: "Zoé", FamilyName: "N'Diaye", Email: "zoe@example.org", CreatedAt: BaseTime}
		mustCreatePerson(t, st, full, minimal)
		assertStoredPerson(t, st, full)
		assertStoredPerson(t, st, minimal)

		dup := NewPerson(rng, 3)
		dup.ID = full.ID
		assert.ErrorIs(t, st.CreatePerson(t.Context(), &dup), associations.ErrConflict, "CreatePerson with a taken ID")
		assertStoredPerson(t, st, full)

		_, err := st.GetPerson(t.Context(), NewID(rng))
		assert.ErrorIs(t, err, associations.ErrNotFound)
	})

	t.Run("CreateMembership", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(51)
		a := NewAssociation(rng, 1)
		mustCreate(t, st, a)
		p := NewPerson(rng, 1)
		mustCreatePerson(t, st, p)

		m := NewMembership(rng, a.ID, p.ID, Date(2024, time.September, 1))
		mustCreateMembership(t, st, m)
		assertStoredMembership(t, st, m)

		cad := NewMembership(rng, a.ID, p.ID, Date(2025, time.September, 1))
		cad.Currency, cad.FeeCents, cad.Status = "CAD", 0, associations.MembershipActive
		mustCreateMembership(t, st, cad)
		assertStoredMembership(t, st, cad)

		for _, c := range []struct {
			name string
			m    associations.Membership
		}{
			{"unknown person", NewMembership(rng, a.ID, NewID(rng), Date(2024, time.January, 1))},
			{"unknown association", NewMembership(rng, NewID(rng), p.ID, Date(2024, time.January, 1))},
		} {
			m := c.m
			assert.ErrorIs(t, st.CreateMembership(t.Context(), &m), associations.ErrNotFound, c.name)
			assertNoMembership(t, st, c.m.ID)
		}

		dup := NewMembership(rng, a.ID, p.ID, Date(2030, time.January, 1))
		dup.ID = m.ID
		assert.ErrorIs(t, st.CreateMembership(t.Context(), &dup), associations.ErrConflict, "CreateMembership with a taken ID")
		assertStoredMembership(t, st, m)

		_, err := st.GetMembership(t.Context(), NewID(rng))
		assert.ErrorIs(t, err, associations.ErrNotFound)
	})

	t.Run("UpdateMembership", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(52)
		a := NewAssociation(rng, 1)
		mustCreate(t, st, a)
		p := NewPerson(rng, 1)
		mustCreatePerson(t, st, p)
		m := NewMembership(rng, a.ID, p.ID, Date(2024, time.September, 1))
		mustCreateMembership(t, st, m)

		m.Status = associations.MembershipActive
		m.FeeCents = 3000
		m.UpdatedAt = m.UpdatedAt.Add(time.Hour)
		in := m
		require.NoError(t, st.UpdateMembership(t.Context(), &in))
		assert.Equal(t, 2, in.Version, "UpdateMembership must increment m.Version")
		m.Version = 2
		assertStoredMembership(t, st, m)

		for _, version := range []int{1, 3, 0} {
			stale := m
			stale.Version = version
			stale.Status = associations.MembershipCancelled
			assert.ErrorIs(t, st.UpdateMembership(t.Context(), &stale), associations.ErrConflict, "version %d of a membership at version 2", version)
			assert.Equal(t, version, stale.Version, "a failed update must not change m.Version")
		}
		assertStoredMembership(t, st, m)
	})

	t.Run("Renew", func(t *testing.T) {
		rng := NewRand(53)
		setup := func(t *testing.T) (associations.Store, associations.Membership, associations.Membership, associations.Membership) {
			st := s.store(t)
			a := NewAssociation(rng, 1)
			mustCreate(t, st, a)
			p := NewPerson(rng, 1)
			mustCreatePerson(t, st, p)
			prev := NewMembership(rng, a.ID, p.ID, Date(2024, time.September, 1))
			prev.Status = associations.MembershipActive
			other := NewMembership(rng, a.ID, p.ID, Date(2023, time.September, 1))
			mustCreateMembership(t, st, prev, other)
			next := NewMembership(rng, a.ID, p.ID, prev.EndOn)
			next.RenewalOf = &prev.ID
			return st, prev, next, other
		}
		// renewed is what prev must look like after a renewal; the fields
		// a renewal does not touch are compared, UpdatedAt is left free.
		checkRenewed := func(t *testing.T, st associations.Store, prev associations.Membership) {
			t.Helper()
			got, err := st.GetMembership(t.Context(), prev.ID)
			require.NoError(t, err)
			want := prev
			want.Status = associations.MembershipRenewed
			want.Version = prev.Version + 1
			want.UpdatedAt = got.UpdatedAt
			assert.Equal(t, canonMembership(want), canonMembership(*got), "the renewed membership")
		}

		t.Run("OK", func(t *testing.T) {
			st, prev, next, _ := setup(t)
			p, n := prev, next
			p.Status = associations.MembershipRenewed
			p.UpdatedAt = next.CreatedAt
			require.NoError(t, st.RenewMembership(t.Context(), &p, &n))
			checkRenewed(t, st, prev)
			assertStoredMembership(t, st, next)
		})
		t.Run("StalePrev", func(t *testing.T) {
			st, prev, next, _ := setup(t)
			for _, version := range []int{2, 0} {
				p, n := prev, next
				p.Version = version
				p.Status = associations.MembershipRenewed
				assert.ErrorIs(t, st.RenewMembership(t.Context(), &p, &n), associations.ErrConflict, "renewal of a stale version")
				assertNoMembership(t, st, next.ID)
				assertStoredMembership(t, st, prev)
			}
		})
		t.Run("NextIDTaken", func(t *testing.T) {
			st, prev, next, other := setup(t)
			p, n := prev, next
			p.Status = associations.MembershipRenewed
			n.ID = other.ID
			assert.ErrorIs(t, st.RenewMembership(t.Context(), &p, &n), associations.ErrConflict, "renewal whose next ID is taken")
			assertStoredMembership(t, st, prev) // not marked renewed
			assertStoredMembership(t, st, other)
		})
	})

	t.Run("ListMemberships", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(54)
		a, b := NewAssociation(rng, 1), NewAssociation(rng, 2)
		mustCreate(t, st, a, b)
		var people []associations.Person
		for i := range 4 {
			people = append(people, NewPerson(rng, i))
		}
		mustCreatePerson(t, st, people...)
		starts := []time.Time{
			Date(2024, time.September, 1), Date(2023, time.September, 1), Date(2024, time.September, 1),
			Date(2024, time.January, 15), Date(2024, time.September, 1), Date(2022, time.December, 31),
			Date(2024, time.September, 1), Date(2023, time.September, 1),
		}
		var ofA []associations.Membership
		for i, start := range starts {
			m := NewMembership(rng, a.ID, people[i%len(people)].ID, start)
			ofA = append(ofA, m)
			mustCreateMembership(t, st, m)
			if i%3 == 0 { // noise in another association
				mustCreateMembership(t, st, NewMembership(rng, b.ID, people[i%len(people)].ID, start))
			}
		}
		slices.SortFunc(ofA, func(x, y associations.Membership) int {
			if c := x.StartOn.Compare(y.StartOn); c != 0 {
				return c
			}
			return strings.Compare(x.ID.String(), y.ID.String())
		})
		for _, limits := range [][]int{{1}, {2}, {3}, {5, 1}, {1000}} {
			got := listMemberships(t, st, a.ID, limits...)
			assert.Equal(t, canonMemberships(ofA), canonMemberships(got), "ListMemberships ordered by (StartOn, ID), limits %v", limits)
		}
		assertPagingErrors(t, "ListMemberships", func(after string, limit int) (civickit.Page[associations.Membership], error) {
			return st.ListMemberships(t.Context(), a.ID, after, limit)
		})

		c := NewAssociation(rng, 3)
		mustCreate(t, st, c)
		assert.Empty(t, listMemberships(t, st, c.ID))
	})

	t.Run("DeletePerson", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(55)
		a, b := NewAssociation(rng, 1), NewAssociation(rng, 2)
		mustCreate(t, st, a, b)
		gone, kept := NewPerson(rng, 1), NewPerson(rng, 2)
		mustCreatePerson(t, st, gone, kept)

		// gone: a renewal chain in a and a membership in b.
		m1 := NewMembership(rng, a.ID, gone.ID, Date(2023, time.September, 1))
		mustCreateMembership(t, st, m1)
		m2 := NewMembership(rng, a.ID, gone.ID, m1.EndOn)
		m2.RenewalOf = &m1.ID
		p := m1
		p.Status = associations.MembershipRenewed
		require.NoError(t, st.RenewMembership(t.Context(), &p, &m2))
		m3 := NewMembership(rng, b.ID, gone.ID, Date(2024, time.March, 1))
		keptM := NewMembership(rng, a.ID, kept.ID, Date(2024, time.January, 1))
		mustCreateMembership(t, st, m3, keptM)

		require.NoError(t, st.DeletePerson(t.Context(), gone.ID))
		_, err := st.GetPerson(t.Context(), gone.ID)
		assert.ErrorIs(t, err, associations.ErrNotFound, "GetPerson after DeletePerson")
		for _, m := range []associations.Membership{m1, m2, m3} {
			assertNoMembership(t, st, m.ID)
		}
		assert.Equal(t, canonMemberships([]associations.Membership{keptM}), canonMemberships(listMemberships(t, st, a.ID)))
		assert.Empty(t, listMemberships(t, st, b.ID))
		assertStoredPerson(t, st, kept)
		assertStoredMembership(t, st, keptM)
		assertStoredAssociation(t, st, a)
	})
}
