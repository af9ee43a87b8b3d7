package associationstest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
)

// testSpaces checks the catalogue of shared spaces and its bookings
// through the Service, so that the store's slot guarantee is exercised
// as callers use it.
func (s *suite) testSpaces(t *testing.T) {
	setup := func(t *testing.T) (*associations.Service, *associations.Space, []uuid.UUID) {
		st := s.store(t)
		svc, err := associations.NewService(st, associations.Options{Now: func() time.Time { return BaseTime }})
		require.NoError(t, err)
		rng := NewRand(40)
		var ids []uuid.UUID
		for i := range 3 {
			a := NewAssociation(rng, i)
			mustCreate(t, st, a)
			ids = append(ids, a.ID)
		}
		owner := ids[0]
		sp, err := svc.CreateSpace(t.Context(), associations.Space{
			Name: "Salle polyvalente", Kind: associations.SpaceRoom, OwnerAssociationID: &owner, Capacity: 80,
			Address: associations.Address{Line1: "1 place de la Mairie", PostalCode: "69001", CommuneCode: "69381", Public: true},
			Access:  associations.Accessibility{StepFreeAccess: associations.Yes},
			OpeningHours: []associations.OpeningHours{
				{Weekday: time.Monday, Open: "09:00", Close: "22:00"},
				{Weekday: time.Saturday, Open: "10:00", Close: "18:00"},
			},
		})
		require.NoError(t, err)
		return svc, sp, ids[1:]
	}
	// Monday 2025-03-03 in Paris (UTC+1).
	at := func(day, hour, minute int) time.Time {
		paris, err := time.LoadLocation("Europe/Paris")
		require.NoError(t, err)
		return time.Date(2025, time.March, day, hour, minute, 0, 0, paris)
	}

	t.Run("Catalogue", func(t *testing.T) {
		svc, sp, _ := setup(t)
		assert.Equal(t, 30, sp.SlotMinutes)
		assert.Equal(t, "Europe/Paris", sp.TimeZone)
		got, err := svc.Spaces(t.Context(), "", 10)
		require.NoError(t, err)
		require.Len(t, got.Items, 1)
		assert.Equal(t, *sp, got.Items[0])
		assert.Empty(t, got.Next)

		// One space per page: every space once, then no cursor.
		want := map[uuid.UUID]bool{sp.ID: true}
		for _, name := range []string{"Gymnase", "Vidéoprojecteur"} {
			more, err := svc.CreateSpace(t.Context(), associations.Space{Name: name, Kind: associations.SpaceRoom, Capacity: 10})
			require.NoError(t, err)
			want[more.ID] = true
		}
		seen := map[uuid.UUID]bool{}
		after := ""
		for range 4 {
			page, err := svc.Spaces(t.Context(), after, 1)
			require.NoError(t, err)
			for _, it := range page.Items {
				assert.False(t, seen[it.ID], "space %s listed twice", it.ID)
				seen[it.ID] = true
			}
			if page.Next == "" {
				break
			}
			after = page.Next
		}
		assert.Equal(t, want, seen)
		_, err = svc.CreateSpace(t.Context(), associations.Space{Name: "", Kind: "castle", SlotMinutes: 1,
			OpeningHours: []associations.OpeningHours{{Weekday: 1, Open: "18:00", Close: "09:00"}}})
		var ve *civickit.ValidationError
		require.ErrorAs(t, err, &ve)
		var paths []string
		for _, f := range ve.Fields {
			paths = append(paths, f.Path+":"+f.Rule)
		}
		assert.ElementsMatch(t, []string{"name:required", "kind:oneof", "slot_minutes:gte", "opening_hours[0].close:gtfield"}, paths)
	})

	t.Run("Workflow", func(t *testing.T) {
		svc, sp, assoc := setup(t)
		ctx := t.Context()
		req := associations.BookingRequest{SpaceID: sp.ID, AssociationID: assoc[0], Start: at(3, 18, 0), End: at(3, 20, 0), Purpose: "Assemblée générale"}
		b, err := svc.RequestBooking(ctx, req)
		require.NoError(t, err)
		assert.Equal(t, associations.BookingRequested, b.Status)

		// Overlapping by one slot: refused; adjacent: accepted.
		_, err = svc.RequestBooking(ctx, associations.BookingRequest{SpaceID: sp.ID, AssociationID: assoc[1], Start: at(3, 19, 30), End: at(3, 21, 0)})
		assert.ErrorIs(t, err, civickit.ErrConflict)
		next, err := svc.RequestBooking(ctx, associations.BookingRequest{SpaceID: sp.ID, AssociationID: assoc[1], Start: at(3, 20, 0), End: at(3, 21, 0)})
		require.NoError(t, err)

		// Rejecting frees the slots; approving keeps them.
		_, err = svc.DecideBooking(ctx, next.ID, next.Version, associations.BookingRejected)
		require.NoError(t, err)
		_, err = svc.DecideBooking(ctx, next.ID, next.Version+1, associations.BookingApproved)
		var te *associations.TransitionError
		assert.ErrorAs(t, err, &te, "a rejected booking stays rejected")
		_, err = svc.RequestBooking(ctx, associations.BookingRequest{SpaceID: sp.ID, AssociationID: assoc[1], Start: at(3, 20, 0), End: at(3, 20, 30)})
		require.NoError(t, err)
		approved, err := svc.DecideBooking(ctx, b.ID, b.Version, associations.BookingApproved)
		require.NoError(t, err)
		_, err = svc.DecideBooking(ctx, b.ID, b.Version, associations.BookingCancelled)
		assert.ErrorIs(t, err, civickit.ErrConflict, "stale version")
		_, err = svc.RequestBooking(ctx, req)
		assert.ErrorIs(t, err, civickit.ErrConflict)
		_, err = svc.DecideBooking(ctx, b.ID, approved.Version, associations.BookingCancelled)
		require.NoError(t, err)
		_, err = svc.RequestBooking(ctx, req)
		require.NoError(t, err, "cancelling frees the slots")

		page, err := svc.Bookings(ctx, sp.ID, at(3, 0, 0), at(4, 0, 0), "", 2)
		require.NoError(t, err)
		require.Len(t, page.Items, 2)
		rest, err := svc.Bookings(ctx, sp.ID, at(3, 0, 0), at(4, 0, 0), page.Next, 2)
		require.NoError(t, err)
		all := append(page.Items, rest.Items...)
		assert.Len(t, all, 4) // the cancelled, rejected and two holding ones
		for i := 1; i < len(all); i++ {
			assert.False(t, all[i].Start.Before(all[i-1].Start))
		}
	})

	t.Run("Rules", func(t *testing.T) {
		svc, sp, assoc := setup(t)
		for name, r := range map[string]struct {
			start, end time.Time
			field      string
		}{
			"not on the grid": {at(3, 18, 10), at(3, 19, 0), "start:slot"},
			"end before":      {at(3, 19, 0), at(3, 18, 0), "end:gtfield"},
			"closed day":      {at(4, 10, 0), at(4, 11, 0), "start:opening_hours"},
			"after closing":   {at(3, 21, 30), at(3, 22, 30), "start:opening_hours"},
			"too long":        {at(3, 10, 0), at(20, 10, 0), "end:max_duration"},
		} {
			_, err := svc.RequestBooking(t.Context(), associations.BookingRequest{SpaceID: sp.ID, AssociationID: assoc[0], Start: r.start, End: r.end})
			var ve *civickit.ValidationError
			require.ErrorAs(t, err, &ve, name)
			require.NotEmpty(t, ve.Fields, name)
			assert.Equal(t, r.field, ve.Fields[0].Path+":"+ve.Fields[0].Rule, name)
		}
		_, err := svc.RequestBooking(t.Context(), associations.BookingRequest{SpaceID: uuid.New(), AssociationID: assoc[0], Start: at(3, 10, 0), End: at(3, 11, 0)})
		assert.ErrorIs(t, err, civickit.ErrNotFound)
	})

	t.Run("NoDoubleBooking", func(t *testing.T) {
		// 32 concurrent requests for the same Saturday afternoon: exactly
		// one books it, the others are conflicts.
		svc, sp, assoc := setup(t)
		const n = 32
		var wg sync.WaitGroup
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = svc.RequestBooking(t.Context(), associations.BookingRequest{
					SpaceID: sp.ID, AssociationID: assoc[i%2], Start: at(8, 14, 0), End: at(8, 16, 0),
				})
			}()
		}
		close(start)
		wg.Wait()
		ok, conflicts := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, civickit.ErrConflict):
				conflicts++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		assert.Equal(t, 1, ok)
		assert.Equal(t, n-1, conflicts)
		page, err := svc.Bookings(t.Context(), sp.ID, at(8, 0, 0), at(9, 0, 0), "", 100)
		require.NoError(t, err)
		assert.Len(t, page.Items, 1, "the losers wrote nothing")
	})
}
