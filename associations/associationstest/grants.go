package associationstest

import (
	"errors"
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

// grantHistory returns a grant's transitions, read in pages of 2; an
// unknown grant has none (the contract allows either an empty list or
// ErrNotFound).
func grantHistory(t *testing.T, st associations.Store, id uuid.UUID) []associations.GrantTransition {
	t.Helper()
	if _, err := st.GrantHistory(t.Context(), id, "", 1); errors.Is(err, associations.ErrNotFound) {
		return nil
	}
	return walkPages(t, "GrantHistory", []int{2}, func(after string, limit int) (civickit.Page[associations.GrantTransition], error) {
		return st.GrantHistory(t.Context(), id, after, limit)
	})
}

func assertStoredGrant(t *testing.T, st associations.Store, want associations.Grant, history []associations.GrantTransition) {
	t.Helper()
	got, err := st.GetGrant(t.Context(), want.ID)
	if assert.NoError(t, err, "GetGrant(%s)", want.ID) && assert.NotNil(t, got) {
		assert.Equal(t, canonGrant(want), canonGrant(*got), "GetGrant(%s)", want.ID)
	}
	assert.Equal(t, canonTransitions(history), canonTransitions(grantHistory(t, st, want.ID)), "GrantHistory(%s)", want.ID)
}

func (s *suite) testGrants(t *testing.T) {
	t.Run("CreateGet", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(40)
		a := NewAssociation(rng, 1)
		mustCreate(t, st, a)
		g := NewGrant(rng, a)
		g.ReportDueOn = datePtr(Date(2027, time.June, 30)) // every field set
		g.ReportedOn = datePtr(Date(2027, time.March, 3))
		g.GrantedCents, g.PaidCents = 12345, 678
		tr := associations.GrantTransition{ID: NewID(rng), GrantID: g.ID, From: "", To: associations.GrantDraft,
			Actor: "applicant:" + g.Applicant.ContactEmail, At: g.CreatedAt, Note: "Dossier créé ; pièces jointes à venir"}
		in := cloneGrant(g)
		require.NoError(t, st.CreateGrant(t.Context(), &in, tr))
		assertStoredGrant(t, st, g, []associations.GrantTransition{tr})

		// A minimal grant: no optional field, empty lists.
		m := NewGrant(rng, a)
		m.Applicant.RNA, m.Applicant.SIRET = "", ""
		m.Project.Beneficiaries, m.Project.Location = "", ""
		m.Budget, m.CoFunders = nil, nil
		m.RequestedCents = 0
		trm := associations.GrantTransition{ID: NewID(rng), GrantID: m.ID, To: associations.GrantDraft, Actor: "agent:42", At: m.CreatedAt}
		in = cloneGrant(m)
		require.NoError(t, st.CreateGrant(t.Context(), &in, trm))
		assertStoredGrant(t, st, m, []associations.GrantTransition{trm})
		assertStoredGrant(t, st, g, []associations.GrantTransition{tr})

		_, err := st.GetGrant(t.Context(), NewID(rng))
		assert.ErrorIs(t, err, associations.ErrNotFound)
	})

	t.Run("CreateErrors", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(41)
		a := NewAssociation(rng, 1)
		mustCreate(t, st, a)
		g := NewGrant(rng, a)
		tr := associations.GrantTransition{ID: NewID(rng), GrantID: g.ID, To: associations.GrantDraft, Actor: "applicant", At: g.CreatedAt}
		in := cloneGrant(g)
		require.NoError(t, st.CreateGrant(t.Context(), &in, tr))

		orphan := NewGrant(rng, a)
		orphan.AssociationID = NewID(rng)
		in = cloneGrant(orphan)
		err := st.CreateGrant(t.Context(), &in, associations.GrantTransition{ID: NewID(rng), GrantID: orphan.ID, To: associations.GrantDraft, Actor: "x", At: orphan.CreatedAt})
		assert.ErrorIs(t, err, associations.ErrNotFound, "CreateGrant for an unknown association")
		_, err = st.GetGrant(t.Context(), orphan.ID)
		assert.ErrorIs(t, err, associations.ErrNotFound)
		assert.Empty(t, grantHistory(t, st, orphan.ID))

		// A taken ID: neither the grant nor its history changes (the
		// rejected first transition is not recorded).
		dup := NewGrant(rng, a)
		dup.ID = g.ID
		dup.Funder = "Département du Rhône"
		in = cloneGrant(dup)
		err = st.CreateGrant(t.Context(), &in, associations.GrantTransition{ID: NewID(rng), GrantID: g.ID, To: associations.GrantDraft, Actor: "y", At: dup.CreatedAt})
		assert.ErrorIs(t, err, associations.ErrConflict, "CreateGrant with a taken ID")
		assertStoredGrant(t, st, g, []associations.GrantTransition{tr})
	})

	t.Run("UpdateWithHistory", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(42)
		a := NewAssociation(rng, 1)
		mustCreate(t, st, a)
		g := NewGrant(rng, a)
		// Transition IDs in descending order: the history is ordered by
		// when transitions happened, not by ID.
		ids := make([]uuid.UUID, 6)
		for i := range ids {
			ids[i] = NewID(rng)
		}
		slices.SortFunc(ids, func(x, y uuid.UUID) int { return strings.Compare(y.String(), x.String()) })
		history := []associations.GrantTransition{{ID: ids[0], GrantID: g.ID, To: associations.GrantDraft, Actor: "applicant", At: g.CreatedAt}}
		in := cloneGrant(g)
		require.NoError(t, st.CreateGrant(t.Context(), &in, history[0]))

		at := g.CreatedAt
		steps := []struct {
			name  string
			edit  func(g *associations.Grant)
			to    associations.GrantStatus // "" for an update without transition
			actor string
			note  string
		}{
			{"edit draft", func(g *associations.Grant) {
				g.Budget = append(g.Budget, associations.BudgetLine{Side: associations.Charge, Account: "62", Label: "Location de scène", AmountCents: 90000})
				g.Budget[len(g.Budget)-2].AmountCents += 90000 // keep it balanced
				g.CoFunders = g.CoFunders[:1]
				g.Project.EndOn = g.Project.EndOn.AddDate(0, 0, 1)
			}, "", "", ""},
			{"submit", nil, associations.GrantSubmitted, "applicant:tresorerie@example.org", "Dossier complet"},
			{"review", nil, associations.GrantUnderReview, "agent:instructeur-7", ""},
			{"grant", func(g *associations.Grant) {
				g.GrantedCents = g.RequestedCents - 10000
				g.ReportDueOn = datePtr(Date(g.FundedYear+1, time.June, 30))
			}, associations.GrantGranted, "council:délibération 2025-117", "Montant réduit de 100 €"},
			{"pay", func(g *associations.Grant) { g.PaidCents = g.GrantedCents }, associations.GrantPaid, "agent:comptable", "Virement n° 8841"},
			{"report", func(g *associations.Grant) { g.ReportedOn = datePtr(Date(g.FundedYear+1, time.May, 2)) }, associations.GrantReported, "applicant", "Compte rendu financier déposé"},
		}
		for _, step := range steps {
			t.Run(step.name, func(t *testing.T) {
				version := g.Version
				next := cloneGrant(g)
				if step.edit != nil {
					step.edit(&next)
				}
				at = at.Add(26*time.Hour + 17*time.Microsecond)
				next.UpdatedAt = at
				var tr *associations.GrantTransition
				if step.to != "" {
					tr = &associations.GrantTransition{ID: ids[len(history)], GrantID: g.ID, From: g.Status, To: step.to, Actor: step.actor, At: at, Note: step.note}
					next.Status = step.to
				}
				in := cloneGrant(next)
				require.NoError(t, st.UpdateGrant(t.Context(), &in, tr))
				assert.Equal(t, version+1, in.Version, "UpdateGrant must increment g.Version")
				next.Version = version + 1
				if tr != nil {
					history = append(history, *tr)
				}
				g = next
				assertStoredGrant(t, st, g, history)
			})
		}
	})

	t.Run("StaleVersion", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(43)
		a := NewAssociation(rng, 1)
		mustCreate(t, st, a)
		g := NewGrant(rng, a)
		first := associations.GrantTransition{ID: NewID(rng), GrantID: g.ID, To: associations.GrantDraft, Actor: "applicant", At: g.CreatedAt}
		in := cloneGrant(g)
		require.NoError(t, st.CreateGrant(t.Context(), &in, first))
		submit := associations.GrantTransition{ID: NewID(rng), GrantID: g.ID, From: associations.GrantDraft, To: associations.GrantSubmitted, Actor: "applicant", At: g.CreatedAt.Add(time.Hour)}
		g.Status, g.UpdatedAt = associations.GrantSubmitted, submit.At
		in = cloneGrant(g)
		require.NoError(t, st.UpdateGrant(t.Context(), &in, &submit))
		g.Version = 2
		history := []associations.GrantTransition{first, submit}

		for _, version := range []int{1, 3, 0} {
			stale := cloneGrant(g)
			stale.Version = version
			stale.Status = associations.GrantRejected
			stale.Funder = "Quelqu'un d'autre"
			tr := associations.GrantTransition{ID: NewID(rng), GrantID: g.ID, From: associations.GrantSubmitted, To: associations.GrantRejected, Actor: "agent", At: submit.At.Add(time.Hour)}
			err := st.UpdateGrant(t.Context(), &stale, &tr)
			assert.ErrorIs(t, err, associations.ErrConflict, "UpdateGrant at version %d of a grant at version 2", version)
			assert.Equal(t, version, stale.Version, "a failed update must not change g.Version")
			stale = cloneGrant(g)
			stale.Version = version
			stale.Funder = "Sans transition"
			assert.ErrorIs(t, st.UpdateGrant(t.Context(), &stale, nil), associations.ErrConflict)
		}
		assertStoredGrant(t, st, g, history)

		// An unknown grant is not updated and gets no history.
		ghost := NewGrant(rng, a)
		tr := associations.GrantTransition{ID: NewID(rng), GrantID: ghost.ID, To: associations.GrantSubmitted, Actor: "x", At: ghost.CreatedAt}
		err := st.UpdateGrant(t.Context(), &ghost, &tr)
		assert.True(t, errors.Is(err, associations.ErrNotFound) || errors.Is(err, associations.ErrConflict),
			"UpdateGrant of an unknown grant: want ErrNotFound or ErrConflict, got %v", err)
		assert.Empty(t, grantHistory(t, st, ghost.ID))
	})

	t.Run("ListGrants", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(44)
		a, b, c := NewAssociation(rng, 1), NewAssociation(rng, 2), NewAssociation(rng, 3)
		mustCreate(t, st, a, b, c)
		// Created out of order: neither insertion order nor ID order is
		// the CreatedAt order.
		var ofA, ofB []associations.Grant
		offsets := []int{5, 1, 4, 0, 3, 2}
		for i, off := range offsets {
			owner := a
			if i%3 == 2 {
				owner = b
			}
			g := NewGrant(rng, owner)
			g.CreatedAt = BaseTime.Add(time.Duration(off)*time.Hour + time.Duration(i)*time.Microsecond)
			g.UpdatedAt = g.CreatedAt.Add(time.Hour * time.Duration(10-off))
			in := cloneGrant(g)
			require.NoError(t, st.CreateGrant(t.Context(), &in, associations.GrantTransition{ID: NewID(rng), GrantID: g.ID, To: associations.GrantDraft, Actor: "a", At: g.CreatedAt}))
			if owner.ID == a.ID {
				ofA = append(ofA, g)
			} else {
				ofB = append(ofB, g)
			}
		}
		byAge := func(gs []associations.Grant) []associations.Grant {
			gs = slices.Clone(gs)
			slices.SortFunc(gs, func(x, y associations.Grant) int { return x.CreatedAt.Compare(y.CreatedAt) })
			return gs
		}
		for _, c := range []struct {
			name string
			id   uuid.UUID
			want []associations.Grant
		}{{"a", a.ID, byAge(ofA)}, {"b", b.ID, byAge(ofB)}, {"none", c.ID, nil}} {
			list := func(after string, limit int) (civickit.Page[associations.Grant], error) {
				return st.ListGrants(t.Context(), c.id, after, limit)
			}
			for _, limits := range [][]int{{1}, {2}, {3, 1}, {1000}} {
				got := walkPages(t, "ListGrants("+c.name+")", limits, list)
				assert.Equal(t, canonGrants(c.want), canonGrants(got), "ListGrants(%s), oldest first, limits %v", c.name, limits)
			}
			assertPagingErrors(t, "ListGrants", list)
		}
	})

	t.Run("HistoryPages", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(45)
		a := NewAssociation(rng, 1)
		mustCreate(t, st, a)
		g := NewGrant(rng, a)
		first := associations.GrantTransition{ID: NewID(rng), GrantID: g.ID, To: associations.GrantDraft, Actor: "a", At: g.CreatedAt}
		in := cloneGrant(g)
		require.NoError(t, st.CreateGrant(t.Context(), &in, first))
		history := []associations.GrantTransition{first}
		// Draft edits add transitions without bound: the history pages.
		for i := range 7 {
			tr := associations.GrantTransition{ID: NewID(rng), GrantID: g.ID, From: associations.GrantDraft, To: associations.GrantDraft,
				Actor: "a", At: g.CreatedAt.Add(time.Duration(i+1) * time.Minute), Note: "draft updated"}
			require.NoError(t, st.UpdateGrant(t.Context(), &in, &tr))
			history = append(history, tr)
		}
		list := func(after string, limit int) (civickit.Page[associations.GrantTransition], error) {
			return st.GrantHistory(t.Context(), g.ID, after, limit)
		}
		for _, limits := range [][]int{{1}, {3}, {8}, {2, 5}} {
			got := walkPages(t, "GrantHistory", limits, list)
			assert.Equal(t, canonTransitions(history), canonTransitions(got), "GrantHistory, limits %v", limits)
		}
		assertPagingErrors(t, "GrantHistory", list)
	})
}
