package participationtest

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

func testConsultations(t *testing.T, newStore func(t *testing.T) participation.Store) {
	ctx := context.Background()

	t.Run("RoundTrip", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(1)
		for i := range 4 {
			c := NewConsultation(rng, i)
			if i == 1 { // every optional field set
				c.Settings.Actions = participation.ActionTable{
					participation.PhaseDebate:     {participation.ActionComment},
					participation.PhaseExpression: {participation.ActionRespond, participation.ActionSupport},
				}
				c.Settings.Schedule = true
				c.Settings.ReflectionRequired, c.Settings.ReflectionOnPaper = true, true
				c.Settings.Eligibility = participation.Eligibility{
					Territories: []string{"69123", "69381"}, MinAge: 18, CensusList: "roll-2025",
					MinAssurance: civickit.AssuranceSubstantial,
				}
				c.Settings.MaxCommentDepth, c.Settings.HideAfterReports = 5, 7
			}
			if i == 2 { // the smallest consultation
				c.Summary, c.Body = "", ""
				c.Phases = c.Phases[3:4]
				c.Settings = participation.Settings{}
			}
			want := CanonConsultation(*c)
			require.NoError(t, st.CreateConsultation(ctx, c))
			got, err := st.GetConsultation(ctx, c.ID)
			require.NoError(t, err)
			assert.Equal(t, want, CanonConsultation(*got))
		}
	})

	t.Run("FollowUpLink", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(2)
		first := NewConsultation(rng, 0)
		require.NoError(t, st.CreateConsultation(ctx, first))
		next := NewConsultation(rng, 1)
		next.FollowUpOf = &first.ID
		require.NoError(t, st.CreateConsultation(ctx, next))
		got, err := st.GetConsultation(ctx, next.ID)
		require.NoError(t, err)
		require.NotNil(t, got.FollowUpOf)
		assert.Equal(t, first.ID, *got.FollowUpOf)

		orphan := NewConsultation(rng, 2)
		missing := NewID(rng)
		orphan.FollowUpOf = &missing
		err = st.CreateConsultation(ctx, orphan)
		assert.ErrorIs(t, err, participation.ErrNotFound, "a follow-up of an unknown consultation")
	})

	t.Run("Errors", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(3)
		_, err := st.GetConsultation(ctx, NewID(rng))
		assert.ErrorIs(t, err, participation.ErrNotFound)

		c := NewConsultation(rng, 0)
		require.NoError(t, st.CreateConsultation(ctx, c))
		dup := NewConsultation(rng, 1)
		dup.ID = c.ID
		assert.ErrorIs(t, st.CreateConsultation(ctx, dup), participation.ErrConflict)

		ghost := NewConsultation(rng, 2)
		assert.ErrorIs(t, st.UpdateConsultation(ctx, ghost), participation.ErrNotFound)
		tr := &participation.PhaseTransition{ID: NewID(rng), To: participation.PhaseInformation,
			Trigger: participation.TriggerManual, Actor: "org-1", At: BaseTime}
		assert.ErrorIs(t, st.TransitionConsultation(ctx, ghost, tr), participation.ErrNotFound)
	})

	t.Run("UpdateVersions", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(4)
		c := NewConsultation(rng, 0)
		require.NoError(t, st.CreateConsultation(ctx, c))
		stale := *c

		c.Title = "Nouveau titre"
		c.Languages = []string{"fr", "br", "oc"}
		c.Settings.Schedule = true
		c.UpdatedAt = c.UpdatedAt.Add(time.Hour)
		require.NoError(t, st.UpdateConsultation(ctx, c))
		assert.Equal(t, 2, c.Version)
		got, err := st.GetConsultation(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, CanonConsultation(*c), CanonConsultation(*got))

		stale.Title = "Écrasement"
		err = st.UpdateConsultation(ctx, &stale)
		assert.ErrorIs(t, err, participation.ErrConflict)
		assert.Equal(t, 1, stale.Version, "a refused update leaves the version alone")
		got, err = st.GetConsultation(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, "Nouveau titre", got.Title, "a stale update writes nothing")
	})

	t.Run("AuditLog", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(5)
		c := NewConsultation(rng, 0)
		require.NoError(t, st.CreateConsultation(ctx, c))
		other := NewConsultation(rng, 1)
		require.NoError(t, st.CreateConsultation(ctx, other))

		steps := []struct {
			to      participation.PhaseKind
			trigger participation.Trigger
			actor   string
		}{
			{participation.PhaseInformation, participation.TriggerManual, "organiser-7"},
			{participation.PhaseDebate, participation.TriggerSchedule, "schedule"},
			{participation.PhaseExpression, participation.TriggerManual, "organiser-8"},
			{"", participation.TriggerManual, "organiser-7"},
		}
		var want []participation.PhaseTransition
		from := participation.PhaseKind("")
		for i, s := range steps {
			activate(c, s.to)
			tr := &participation.PhaseTransition{
				ID: NewID(rng), From: from, To: s.to, Trigger: s.trigger, Actor: s.actor,
				At: BaseTime.Add(time.Duration(i) * time.Hour), Note: []string{"", "ouverture"}[i%2],
			}
			require.NoError(t, st.TransitionConsultation(ctx, c, tr))
			assert.Equal(t, i+1, tr.Seq)
			assert.Equal(t, i+2, c.Version)
			want = append(want, *tr)
			from = s.to
		}
		got := ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.PhaseTransition], error) {
			return st.ListTransitions(ctx, c.ID, after, limit)
		})
		CheckPaging(t, func(after string, limit int) (civickit.Page[participation.PhaseTransition], error) {
			return st.ListTransitions(ctx, c.ID, after, limit)
		})
		assert.Equal(t, canonTransitions(want), canonTransitions(got))

		stored, err := st.GetConsultation(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, participation.StatusClosed, stored.Status)
		assert.Nil(t, stored.ActivePhase())

		// A stale transition writes neither the consultation nor the log.
		stale := *other
		activate(other, participation.PhaseInformation)
		require.NoError(t, st.UpdateConsultation(ctx, other))
		activate(&stale, participation.PhaseDebate)
		err = st.TransitionConsultation(ctx, &stale, &participation.PhaseTransition{
			ID: NewID(rng), To: participation.PhaseDebate, Trigger: participation.TriggerManual, Actor: "x", At: BaseTime,
		})
		assert.ErrorIs(t, err, participation.ErrConflict)
		log := ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.PhaseTransition], error) {
			return st.ListTransitions(ctx, other.ID, after, limit)
		})
		assert.Empty(t, log)

		empty := ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.PhaseTransition], error) {
			return st.ListTransitions(ctx, NewID(rng), after, limit)
		})
		assert.Empty(t, empty)
	})

	t.Run("Due", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(7)
		var scheduled []*participation.Consultation
		for i := range 5 {
			c := NewConsultation(rng, i) // first phase starts BaseTime + i days
			c.Settings.Schedule = i != 3
			require.NoError(t, st.CreateConsultation(ctx, c))
			if c.Settings.Schedule {
				scheduled = append(scheduled, c)
			}
		}
		day := 24 * time.Hour
		tests := []struct {
			now  time.Time
			want []int // indexes into scheduled, in due order
		}{
			{BaseTime.Add(-time.Microsecond), nil},
			{BaseTime, []int{0}},
			{BaseTime.Add(2*day + time.Hour), []int{0, 1, 2}},
			{BaseTime.Add(30 * day), []int{0, 1, 2, 3}},
		}
		for _, tt := range tests {
			got, err := st.DueConsultations(ctx, tt.now, 10)
			require.NoError(t, err)
			var want []uuid.UUID
			for _, i := range tt.want {
				want = append(want, scheduled[i].ID)
			}
			assert.Equal(t, want, NilIfEmpty(got), "at %v", tt.now)
		}
		got, err := st.DueConsultations(ctx, BaseTime.Add(30*day), 2)
		require.NoError(t, err)
		assert.Equal(t, []uuid.UUID{scheduled[0].ID, scheduled[1].ID}, got, "limit")

		// Opening the first moves its due date to the debate's start;
		// closing it removes it from the schedule.
		c := scheduled[0]
		activate(c, participation.PhaseInformation)
		require.NoError(t, st.UpdateConsultation(ctx, c))
		got, err = st.DueConsultations(ctx, BaseTime.Add(7*day-time.Microsecond), 10)
		require.NoError(t, err)
		assert.NotContains(t, got, c.ID)
		got, err = st.DueConsultations(ctx, BaseTime.Add(7*day), 10)
		require.NoError(t, err)
		assert.Contains(t, got, c.ID)
		activate(c, "")
		require.NoError(t, st.UpdateConsultation(ctx, c))
		got, err = st.DueConsultations(ctx, BaseTime.Add(300*day), 10)
		require.NoError(t, err)
		assert.NotContains(t, got, c.ID)
		assert.Len(t, got, 3)
	})

	t.Run("List", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(8)
		var all []participation.Consultation
		for i := range 23 {
			c := NewConsultation(rng, i)
			c.CreatedAt = BaseTime.Add(time.Duration(i/3) * time.Second) // ties of three
			c.Territory = Territories[i%2]
			if i%3 == 0 {
				activate(c, participation.PhaseInformation)
			}
			require.NoError(t, st.CreateConsultation(ctx, c))
			all = append(all, CanonConsultation(*c))
		}
		slices.SortFunc(all, func(a, b participation.Consultation) int {
			return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(b.ID.String(), a.ID.String()))
		})
		filters := []participation.ConsultationFilter{
			{},
			{Territory: Territories[0]},
			{Status: participation.StatusOpen},
			{Territory: Territories[1], Status: participation.StatusDraft},
			{Territory: "00000"},
		}
		for _, f := range filters {
			var want []participation.Consultation
			for _, c := range all {
				if (f.Territory == "" || c.Territory == f.Territory) && (f.Status == "" || c.Status == f.Status) {
					want = append(want, c)
				}
			}
			CheckList(t, want, CanonConsultation, func(after string, limit int) (civickit.Page[participation.Consultation], error) {
				return st.ListConsultations(ctx, f, after, limit)
			})
			for _, limit := range []int{4, 100} {
				got := ReadAll(t, limit, func(after string, limit int) (civickit.Page[participation.Consultation], error) {
					return st.ListConsultations(ctx, f, after, limit)
				})
				for i := range got {
					got[i] = CanonConsultation(got[i])
				}
				assert.Equal(t, NilIfEmpty(want), NilIfEmpty(got), "filter %+v limit %d", f, limit)
			}
		}
	})

	t.Run("ConcurrentTransitions", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(6)
		c := NewConsultation(rng, 0)
		require.NoError(t, st.CreateConsultation(ctx, c))
		const writers = 8
		ids := make([]uuid.UUID, writers)
		for i := range ids {
			ids[i] = NewID(rng)
		}
		var wg sync.WaitGroup
		errs := make([]error, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				mine := *c
				mine.Phases = append([]participation.Phase(nil), c.Phases...)
				activate(&mine, participation.PhaseInformation)
				errs[i] = st.TransitionConsultation(ctx, &mine, &participation.PhaseTransition{
					ID: ids[i], To: participation.PhaseInformation, Trigger: participation.TriggerManual,
					Actor: "organiser", At: BaseTime,
				})
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case errors.Is(err, participation.ErrConflict), errors.Is(err, participation.ErrUnavailable):
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		assert.Equal(t, 1, won, "exactly one writer of version 1 wins")
		log := ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.PhaseTransition], error) {
			return st.ListTransitions(ctx, c.ID, after, limit)
		})
		assert.Len(t, log, 1)
		got, err := st.GetConsultation(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, 2, got.Version)
	})
}

// activate makes phase k the only active one (none when k is "") and sets
// the status to match.
func activate(c *participation.Consultation, k participation.PhaseKind) {
	for i := range c.Phases {
		c.Phases[i].Active = c.Phases[i].Kind == k
	}
	switch {
	case k != "":
		c.Status = participation.StatusOpen
	case c.Status == participation.StatusOpen:
		c.Status = participation.StatusClosed
	}
}

func canonTransitions(ts []participation.PhaseTransition) []participation.PhaseTransition {
	out := make([]participation.PhaseTransition, len(ts))
	for i, tr := range ts {
		tr.At = CanonTime(tr.At)
		out[i] = tr
	}
	return NilIfEmpty(out)
}
