package associationstest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/associations"
)

// concurrently runs f(0..n-1) in n goroutines released at the same moment
// and returns their errors.
func concurrently(n int, f func(g int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for g := range n {
		wg.Go(func() {
			<-start
			errs[g] = f(g)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// oneWinner checks that exactly one call succeeded and every other failed
// with ErrConflict, and returns the winner.
func oneWinner(t *testing.T, errs []error, what string) (int, bool) {
	t.Helper()
	winner, ok := -1, true
	for g, err := range errs {
		switch {
		case err == nil && winner < 0:
			winner = g
		case err == nil:
			ok = assert.Fail(t, what, "goroutines %d and %d both succeeded at the same version", winner, g)
		default:
			ok = assert.ErrorIs(t, err, associations.ErrConflict, "%s: goroutine %d lost the race", what, g) && ok
		}
	}
	if winner < 0 {
		return winner, assert.Fail(t, what, "no goroutine succeeded: %v", errs)
	}
	return winner, ok
}

func (s *suite) testConcurrency(t *testing.T) {
	const n = 8

	t.Run("UpdateSameVersion", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(60)
		a := NewAssociation(rng, 1)
		mustCreate(t, st, a)
		inputs := make([]associations.Association, n)
		for g := range inputs {
			inputs[g] = cloneAssociation(a)
			inputs[g].Object = fmt.Sprintf("Écrit par le goroutine %d", g)
			inputs[g].Categories = []string{fmt.Sprintf("050%03d", g)}
		}
		errs := concurrently(n, func(g int) error { return st.UpdateAssociation(t.Context(), &inputs[g]) })
		winner, _ := oneWinner(t, errs, "UpdateAssociation of one row read at version 1")
		if winner >= 0 {
			assert.Equal(t, 2, inputs[winner].Version)
			assertStoredAssociation(t, st, inputs[winner])
		}
	})

	t.Run("CreateDistinct", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(61)
		const each = 5
		inputs := make([][]associations.Association, n)
		rows := storedRows{}
		for g := range inputs {
			for i := range each {
				a := NewAssociation(rng, g*each+i)
				inputs[g] = append(inputs[g], a)
				rows[a.ID] = a
			}
		}
		errs := concurrently(n, func(g int) error {
			for _, a := range inputs[g] {
				a := cloneAssociation(a)
				if err := st.CreateAssociation(t.Context(), &a); err != nil {
					return err
				}
			}
			return nil
		})
		for g, err := range errs {
			assert.NoError(t, err, "goroutine %d", g)
		}
		got := searchAll(t, st, associations.Filter{})
		assertSameSequence(t, keysOf(searchModel(rows.all(), associations.Filter{}, nil)), keysOf(got), "every association created concurrently")
		rows.assertListed(t, got)
	})

	for _, distinct := range []bool{false, true} {
		name := "UpsertSameRNA/SameContent"
		if distinct {
			name = "UpsertSameRNA/DistinctContent"
		}
		// Every goroutine upserts a new RNA under its own ID and retries
		// while the store answers ErrConflict or ErrUnavailable. In the end
		// exactly one row exists, one call reported Created, and every
		// other one Unchanged (same content) or Updated (distinct content,
		// each counted in the Version): no write was lost.
		t.Run(name, func(t *testing.T) {
			st := s.store(t)
			rng := NewRand(62)
			base := NewAssociation(rng, 1)
			inputs := make([]associations.Association, n)
			var ids []uuid.UUID
			for g := range inputs {
				inputs[g] = cloneAssociation(base)
				inputs[g].ID = NewID(rng)
				ids = append(ids, inputs[g].ID)
				if distinct {
					inputs[g].Object = fmt.Sprintf("Variante %d", g)
				}
			}
			results := make([]associations.UpsertResult, n)
			got := make([]associations.Association, n)
			errs := concurrently(n, func(g int) error {
				for attempt := 0; ; attempt++ {
					a := cloneAssociation(inputs[g])
					res, err := st.UpsertAssociationByRNA(t.Context(), &a)
					if err == nil {
						results[g], got[g] = res, a
						return nil
					}
					if !retriable(err) || attempt >= 50 {
						return fmt.Errorf("attempt %d: %w", attempt, err)
					}
					time.Sleep(time.Duration(attempt) * time.Millisecond)
				}
			})
			for g, err := range errs {
				require.NoError(t, err, "goroutine %d", g)
			}
			count := map[associations.UpsertResult]int{}
			for _, r := range results {
				count[r]++
			}
			wantOthers := associations.Unchanged
			if distinct {
				wantOthers = associations.Updated
			}
			assert.Equal(t, map[associations.UpsertResult]int{associations.Created: 1, wantOthers: n - 1}, count,
				"results (0 Unchanged, 1 Created, 2 Updated)")

			stored, err := st.GetAssociationByRNA(t.Context(), base.RNA)
			require.NoError(t, err)
			assert.Contains(t, ids, stored.ID, "the stored ID is one of the callers'")
			for g := range got {
				assert.Equal(t, stored.ID, got[g].ID, "goroutine %d was given the stored ID", g)
			}
			assert.Equal(t, 1+count[associations.Updated], stored.Version, "one Version per Updated")
			variants := make([]string, n)
			for g := range inputs {
				variants[g] = inputs[g].Object
			}
			assert.Contains(t, variants, stored.Object)
			all := searchAll(t, st, associations.Filter{})
			assert.Equal(t, []uuid.UUID{stored.ID}, idsOf(all), "exactly one row")
		})
	}

	t.Run("UpdateGrantSameVersion", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(63)
		a := NewAssociation(rng, 1)
		mustCreate(t, st, a)
		g0 := NewGrant(rng, a)
		first := associations.GrantTransition{ID: NewID(rng), GrantID: g0.ID, To: associations.GrantDraft, Actor: "applicant", At: g0.CreatedAt}
		in := cloneGrant(g0)
		require.NoError(t, st.CreateGrant(t.Context(), &in, first))
		inputs := make([]associations.Grant, n)
		trs := make([]associations.GrantTransition, n)
		for g := range inputs {
			inputs[g] = cloneGrant(g0)
			inputs[g].Status = associations.GrantSubmitted
			inputs[g].Funder = fmt.Sprintf("Financeur %d", g)
			trs[g] = associations.GrantTransition{ID: NewID(rng), GrantID: g0.ID, From: associations.GrantDraft, To: associations.GrantSubmitted,
				Actor: fmt.Sprintf("agent:%d", g), At: g0.CreatedAt.Add(time.Duration(g+1) * time.Minute)}
		}
		errs := concurrently(n, func(g int) error { return st.UpdateGrant(t.Context(), &inputs[g], &trs[g]) })
		winner, _ := oneWinner(t, errs, "UpdateGrant of one grant read at version 1")
		if winner >= 0 {
			want := inputs[winner]
			assert.Equal(t, 2, want.Version)
			assertStoredGrant(t, st, want, []associations.GrantTransition{first, trs[winner]})
		}
	})

	t.Run("RenewSameMembership", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(64)
		a := NewAssociation(rng, 1)
		mustCreate(t, st, a)
		p := NewPerson(rng, 1)
		mustCreatePerson(t, st, p)
		prev := NewMembership(rng, a.ID, p.ID, Date(2024, time.September, 1))
		prev.Status = associations.MembershipActive
		mustCreateMembership(t, st, prev)
		const renewers = 4
		prevs := make([]associations.Membership, renewers)
		nexts := make([]associations.Membership, renewers)
		for g := range nexts {
			prevs[g] = prev
			prevs[g].Status = associations.MembershipRenewed
			nexts[g] = NewMembership(rng, a.ID, p.ID, prev.EndOn)
			nexts[g].RenewalOf = &prev.ID
		}
		errs := concurrently(renewers, func(g int) error { return st.RenewMembership(t.Context(), &prevs[g], &nexts[g]) })
		winner, _ := oneWinner(t, errs, "RenewMembership of one membership read at version 1")
		got, err := st.ListMemberships(t.Context(), a.ID, "", 10)
		require.NoError(t, err)
		var gotIDs []uuid.UUID
		for _, m := range got.Items {
			gotIDs = append(gotIDs, m.ID)
		}
		if winner >= 0 {
			assert.ElementsMatch(t, []uuid.UUID{prev.ID, nexts[winner].ID}, gotIDs, "prev and exactly one renewal")
			assertStoredMembership(t, st, nexts[winner])
		}
		stored, err := st.GetMembership(t.Context(), prev.ID)
		require.NoError(t, err)
		assert.Equal(t, associations.MembershipRenewed, stored.Status)
		assert.Equal(t, 2, stored.Version)
		for g := range nexts {
			if g != winner {
				assertNoMembership(t, st, nexts[g].ID)
			}
		}
	})
}
