package participationtest

import (
	"context"
	"fmt"
	"github.com/civickit/civickit"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/participation"
)

// NewFollowUpItem returns a valid follow-up item of the consultation,
// unique to i, under parent (nil for a root), at position i, Version 1.
func NewFollowUpItem(rng *rand.Rand, consultationID uuid.UUID, parent *uuid.UUID, i int) *participation.FollowUpItem {
	statuses := []participation.FollowUpStatus{participation.FollowUpPlanned, participation.FollowUpInProgress, participation.FollowUpCancelled}
	created := BaseTime.Add(time.Duration(i) * time.Minute)
	it := &participation.FollowUpItem{
		ID: NewID(rng), ConsultationID: consultationID, ParentID: parent,
		Title:       fmt.Sprintf("Action n°%d : réaménager la place", i),
		Description: "Travaux de voirie, plantations et mobilier urbain.",
		Status:      statuses[rng.IntN(len(statuses))],
		Progress:    float64(rng.IntN(101)) / 4, // quarters: exact in binary
		Weight:      float64(1 + rng.IntN(8)),
		Position:    i,
		Version:     1, CreatedAt: created, UpdatedAt: created,
	}
	if i%2 == 0 {
		s, e := Date(2025, time.Month(1+i%12), 1), Date(2026, time.Month(1+i%12), 28)
		it.StartsOn, it.EndsOn = &s, &e
	}
	return it
}

// Date returns midnight UTC of the given day, the form of every date field.
func Date(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

func canonDecision(d participation.Decision) participation.Decision {
	d.DecidedOn = CanonTime(d.DecidedOn)
	d.CreatedAt, d.UpdatedAt = CanonTime(d.CreatedAt), CanonTime(d.UpdatedAt)
	return d
}

func canonItems(its []participation.FollowUpItem) []participation.FollowUpItem {
	out := make([]participation.FollowUpItem, len(its))
	for i, it := range its {
		it.CreatedAt, it.UpdatedAt = CanonTime(it.CreatedAt), CanonTime(it.UpdatedAt)
		if it.StartsOn != nil {
			s := CanonTime(*it.StartsOn)
			it.StartsOn = &s
		}
		if it.EndsOn != nil {
			e := CanonTime(*it.EndsOn)
			it.EndsOn = &e
		}
		out[i] = it
	}
	return nilIfEmpty(out)
}

func canonMilestones(ms []participation.Milestone) []participation.Milestone {
	out := make([]participation.Milestone, len(ms))
	for i, m := range ms {
		m.DueOn = CanonTime(m.DueOn)
		m.CreatedAt, m.UpdatedAt = CanonTime(m.CreatedAt), CanonTime(m.UpdatedAt)
		if m.ReachedOn != nil {
			r := CanonTime(*m.ReachedOn)
			m.ReachedOn = &r
		}
		out[i] = m
	}
	return nilIfEmpty(out)
}

func testEvaluation(t *testing.T, newStore func(t *testing.T) participation.Store) {
	ctx := context.Background()

	t.Run("Decision", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(31)
		c, next := NewConsultation(rng, 0), NewConsultation(rng, 1)
		require.NoError(t, st.CreateConsultation(ctx, c))
		require.NoError(t, st.CreateConsultation(ctx, next))
		_, err := st.GetDecision(ctx, c.ID)
		assert.ErrorIs(t, err, participation.ErrNotFound)

		d := &participation.Decision{
			ConsultationID: c.ID, Summary: "Le conseil municipal retient la variante B.",
			DecidedBy: "Conseil municipal", DecidedOn: Date(2025, time.June, 30),
			DocumentURL: "https://example.org/deliberation-2025-117.pdf", Version: 1,
			CreatedAt: BaseTime, UpdatedAt: BaseTime,
		}
		require.NoError(t, st.CreateDecision(ctx, d))
		got, err := st.GetDecision(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, canonDecision(*d), canonDecision(*got))
		again := *d
		assert.ErrorIs(t, st.CreateDecision(ctx, &again), participation.ErrConflict, "one decision per consultation")

		stale := *d
		d.FollowUpConsultationID = &next.ID
		d.UpdatedAt = BaseTime.Add(time.Hour)
		require.NoError(t, st.UpdateDecision(ctx, d))
		assert.Equal(t, 2, d.Version)
		got, err = st.GetDecision(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, canonDecision(*d), canonDecision(*got))
		assert.ErrorIs(t, st.UpdateDecision(ctx, &stale), participation.ErrConflict)

		orphan := *d
		orphan.ConsultationID = NewID(rng)
		assert.ErrorIs(t, st.CreateDecision(ctx, &orphan), participation.ErrNotFound)
		assert.ErrorIs(t, st.UpdateDecision(ctx, &orphan), participation.ErrNotFound)
		bad := *d
		missing := NewID(rng)
		bad.FollowUpConsultationID = &missing
		assert.ErrorIs(t, st.UpdateDecision(ctx, &bad), participation.ErrNotFound, "unknown follow-up consultation")
	})

	t.Run("FollowUpItems", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(32)
		c, other := NewConsultation(rng, 0), NewConsultation(rng, 1)
		require.NoError(t, st.CreateConsultation(ctx, c))
		require.NoError(t, st.CreateConsultation(ctx, other))
		root := NewFollowUpItem(rng, c.ID, nil, 2)
		require.NoError(t, st.CreateFollowUpItem(ctx, root))
		want := []participation.FollowUpItem{*root}
		for _, i := range []int{0, 3, 1} {
			it := NewFollowUpItem(rng, c.ID, &root.ID, i)
			require.NoError(t, st.CreateFollowUpItem(ctx, it))
			want = append(want, *it)
		}
		require.NoError(t, st.CreateFollowUpItem(ctx, NewFollowUpItem(rng, other.ID, nil, 0)))
		sortBy(want, func(it participation.FollowUpItem) (int, uuid.UUID) { return it.Position, it.ID })
		got := ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.FollowUpItem], error) {
			return st.ListFollowUpItems(ctx, c.ID, after, limit)
		})
		assert.Equal(t, canonItems(want), canonItems(got))

		one, err := st.GetFollowUpItem(ctx, root.ID)
		require.NoError(t, err)
		assert.Equal(t, canonItems([]participation.FollowUpItem{*root}), canonItems([]participation.FollowUpItem{*one}))
		_, err = st.GetFollowUpItem(ctx, NewID(rng))
		assert.ErrorIs(t, err, participation.ErrNotFound)

		stale := *root
		root.Progress, root.Status, root.Weight = 62.5, participation.FollowUpInProgress, 0.25
		root.StartsOn, root.EndsOn = nil, nil
		require.NoError(t, st.UpdateFollowUpItem(ctx, root))
		assert.Equal(t, 2, root.Version)
		one, err = st.GetFollowUpItem(ctx, root.ID)
		require.NoError(t, err)
		assert.Equal(t, canonItems([]participation.FollowUpItem{*root}), canonItems([]participation.FollowUpItem{*one}))
		assert.ErrorIs(t, st.UpdateFollowUpItem(ctx, &stale), participation.ErrConflict)

		dup := NewFollowUpItem(rng, c.ID, nil, 9)
		dup.ID = root.ID
		assert.ErrorIs(t, st.CreateFollowUpItem(ctx, dup), participation.ErrConflict)
		missing := NewID(rng)
		assert.ErrorIs(t, st.CreateFollowUpItem(ctx, NewFollowUpItem(rng, c.ID, &missing, 9)), participation.ErrNotFound)
		assert.ErrorIs(t, st.CreateFollowUpItem(ctx, NewFollowUpItem(rng, NewID(rng), nil, 9)), participation.ErrNotFound)
		assert.ErrorIs(t, st.UpdateFollowUpItem(ctx, NewFollowUpItem(rng, c.ID, nil, 9)), participation.ErrNotFound)
	})

	t.Run("Milestones", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(33)
		c := NewConsultation(rng, 0)
		require.NoError(t, st.CreateConsultation(ctx, c))
		a, b := NewFollowUpItem(rng, c.ID, nil, 0), NewFollowUpItem(rng, c.ID, nil, 1)
		require.NoError(t, st.CreateFollowUpItem(ctx, a))
		require.NoError(t, st.CreateFollowUpItem(ctx, b))
		var want []participation.Milestone
		for i, due := range []time.Time{Date(2026, 3, 1), Date(2025, 11, 15), Date(2026, 3, 1), Date(2025, 12, 31)} {
			m := participation.Milestone{
				ID: NewID(rng), ItemID: []uuid.UUID{a.ID, b.ID}[i%2], ConsultationID: c.ID,
				Title: fmt.Sprintf("Jalon %d", i), DueOn: due, Version: 1, CreatedAt: BaseTime, UpdatedAt: BaseTime,
			}
			if i == 1 {
				r := Date(2025, 11, 20)
				m.ReachedOn = &r
			}
			require.NoError(t, st.CreateMilestone(ctx, &m))
			want = append(want, m)
		}
		order := []int{1, 3, 0, 2}
		if want[2].ID.String() < want[0].ID.String() {
			order = []int{1, 3, 2, 0}
		}
		sorted := make([]participation.Milestone, len(order))
		for i, j := range order {
			sorted[i] = want[j]
		}
		got := ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.Milestone], error) {
			return st.ListMilestones(ctx, c.ID, after, limit)
		})
		assert.Equal(t, canonMilestones(sorted), canonMilestones(got))

		m := want[0]
		stale := m
		r := Date(2026, 2, 27)
		m.ReachedOn = &r
		require.NoError(t, st.UpdateMilestone(ctx, &m))
		assert.Equal(t, 2, m.Version)
		assert.ErrorIs(t, st.UpdateMilestone(ctx, &stale), participation.ErrConflict)
		ghost := m
		ghost.ID = NewID(rng)
		assert.ErrorIs(t, st.UpdateMilestone(ctx, &ghost), participation.ErrNotFound)
		require.NoError(t, st.CreateMilestone(ctx, &ghost))
		orphan := ghost
		orphan.ID, orphan.ItemID = NewID(rng), NewID(rng)
		assert.ErrorIs(t, st.CreateMilestone(ctx, &orphan), participation.ErrNotFound)
	})
}
