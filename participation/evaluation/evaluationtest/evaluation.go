package evaluationtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/evaluation"
	"github.com/civickit/civickit/participation/participationtest"
)

// NewFollowUpItem returns a valid follow-up item of the consultation,
// unique to i, under parent (nil for a root), at position i, Version 1.
func NewFollowUpItem(rng *rand.Rand, consultationID uuid.UUID, parent *uuid.UUID, i int) *evaluation.FollowUpItem {
	statuses := []evaluation.FollowUpStatus{evaluation.FollowUpPlanned, evaluation.FollowUpInProgress, evaluation.FollowUpCancelled}
	created := participationtest.BaseTime.Add(time.Duration(i) * time.Minute)
	it := &evaluation.FollowUpItem{
		ID: participationtest.NewID(rng), ConsultationID: consultationID, ParentID: parent,
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

func canonDecision(d evaluation.Decision) evaluation.Decision {
	d.DecidedOn = participationtest.CanonTime(d.DecidedOn)
	d.CreatedAt, d.UpdatedAt = participationtest.CanonTime(d.CreatedAt), participationtest.CanonTime(d.UpdatedAt)
	return d
}

func canonItems(its []evaluation.FollowUpItem) []evaluation.FollowUpItem {
	out := make([]evaluation.FollowUpItem, len(its))
	for i, it := range its {
		it.CreatedAt, it.UpdatedAt = participationtest.CanonTime(it.CreatedAt), participationtest.CanonTime(it.UpdatedAt)
		if it.StartsOn != nil {
			s := participationtest.CanonTime(*it.StartsOn)
			it.StartsOn = &s
		}
		if it.EndsOn != nil {
			e := participationtest.CanonTime(*it.EndsOn)
			it.EndsOn = &e
		}
		out[i] = it
	}
	return participationtest.NilIfEmpty(out)
}

func canonMilestones(ms []evaluation.Milestone) []evaluation.Milestone {
	out := make([]evaluation.Milestone, len(ms))
	for i, m := range ms {
		m.DueOn = participationtest.CanonTime(m.DueOn)
		m.CreatedAt, m.UpdatedAt = participationtest.CanonTime(m.CreatedAt), participationtest.CanonTime(m.UpdatedAt)
		if m.ReachedOn != nil {
			r := participationtest.CanonTime(*m.ReachedOn)
			m.ReachedOn = &r
		}
		out[i] = m
	}
	return participationtest.NilIfEmpty(out)
}

func testEvaluation(t *testing.T, newStore func(t *testing.T) stores) {
	ctx := context.Background()

	t.Run("Decision", func(t *testing.T) {
		st := newStore(t)
		rng := participationtest.NewRand(31)
		c, next := participationtest.NewConsultation(rng, 0), participationtest.NewConsultation(rng, 1)
		require.NoError(t, st.CreateConsultation(ctx, c))
		require.NoError(t, st.CreateConsultation(ctx, next))
		_, err := st.GetDecision(ctx, c.ID)
		assert.ErrorIs(t, err, participation.ErrNotFound)

		d := &evaluation.Decision{
			ConsultationID: c.ID, Summary: "Le conseil municipal retient la variante B.",
			DecidedBy: "Conseil municipal", DecidedOn: Date(2025, time.June, 30),
			DocumentURL: "https://example.org/deliberation-2025-117.pdf", Version: 1,
			CreatedAt: participationtest.BaseTime, UpdatedAt: participationtest.BaseTime,
		}
		require.NoError(t, st.CreateDecision(ctx, d))
		got, err := st.GetDecision(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, canonDecision(*d), canonDecision(*got))
		again := *d
		assert.ErrorIs(t, st.CreateDecision(ctx, &again), participation.ErrConflict, "one decision per consultation")

		stale := *d
		d.FollowUpConsultationID = &next.ID
		d.UpdatedAt = participationtest.BaseTime.Add(time.Hour)
		require.NoError(t, st.UpdateDecision(ctx, d))
		assert.Equal(t, 2, d.Version)
		got, err = st.GetDecision(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, canonDecision(*d), canonDecision(*got))
		assert.ErrorIs(t, st.UpdateDecision(ctx, &stale), participation.ErrConflict)

		orphan := *d
		orphan.ConsultationID = participationtest.NewID(rng)
		assert.ErrorIs(t, st.CreateDecision(ctx, &orphan), participation.ErrNotFound)
		assert.ErrorIs(t, st.UpdateDecision(ctx, &orphan), participation.ErrNotFound)
		bad := *d
		missing := participationtest.NewID(rng)
		bad.FollowUpConsultationID = &missing
		assert.ErrorIs(t, st.UpdateDecision(ctx, &bad), participation.ErrNotFound, "unknown follow-up consultation")
	})

	t.Run("FollowUpItems", func(t *testing.T) {
		st := newStore(t)
		rng := participationtest.NewRand(32)
		c, other := participationtest.NewConsultation(rng, 0), participationtest.NewConsultation(rng, 1)
		require.NoError(t, st.CreateConsultation(ctx, c))
		require.NoError(t, st.CreateConsultation(ctx, other))
		root := NewFollowUpItem(rng, c.ID, nil, 2)
		require.NoError(t, st.CreateFollowUpItem(ctx, root))
		want := []evaluation.FollowUpItem{*root}
		for _, i := range []int{0, 3, 1} {
			it := NewFollowUpItem(rng, c.ID, &root.ID, i)
			require.NoError(t, st.CreateFollowUpItem(ctx, it))
			want = append(want, *it)
		}
		require.NoError(t, st.CreateFollowUpItem(ctx, NewFollowUpItem(rng, other.ID, nil, 0)))
		sortBy(want, func(it evaluation.FollowUpItem) (int, uuid.UUID) { return it.Position, it.ID })
		got := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[evaluation.FollowUpItem], error) {
			return st.ListFollowUpItems(ctx, c.ID, after, limit)
		})
		participationtest.CheckPaging(t, func(after string, limit int) (civickit.Page[evaluation.FollowUpItem], error) {
			return st.ListFollowUpItems(ctx, c.ID, after, limit)
		})
		assert.Equal(t, canonItems(want), canonItems(got))

		one, err := st.GetFollowUpItem(ctx, root.ID)
		require.NoError(t, err)
		assert.Equal(t, canonItems([]evaluation.FollowUpItem{*root}), canonItems([]evaluation.FollowUpItem{*one}))
		_, err = st.GetFollowUpItem(ctx, participationtest.NewID(rng))
		assert.ErrorIs(t, err, participation.ErrNotFound)

		stale := *root
		root.Progress, root.Status, root.Weight = 62.5, evaluation.FollowUpInProgress, 0.25
		root.StartsOn, root.EndsOn = nil, nil
		require.NoError(t, st.UpdateFollowUpItem(ctx, root))
		assert.Equal(t, 2, root.Version)
		one, err = st.GetFollowUpItem(ctx, root.ID)
		require.NoError(t, err)
		assert.Equal(t, canonItems([]evaluation.FollowUpItem{*root}), canonItems([]evaluation.FollowUpItem{*one}))
		assert.ErrorIs(t, st.UpdateFollowUpItem(ctx, &stale), participation.ErrConflict)

		dup := NewFollowUpItem(rng, c.ID, nil, 9)
		dup.ID = root.ID
		assert.ErrorIs(t, st.CreateFollowUpItem(ctx, dup), participation.ErrConflict)
		missing := participationtest.NewID(rng)
		assert.ErrorIs(t, st.CreateFollowUpItem(ctx, NewFollowUpItem(rng, c.ID, &missing, 9)), participation.ErrNotFound)
		assert.ErrorIs(t, st.CreateFollowUpItem(ctx, NewFollowUpItem(rng, participationtest.NewID(rng), nil, 9)), participation.ErrNotFound)
		assert.ErrorIs(t, st.UpdateFollowUpItem(ctx, NewFollowUpItem(rng, c.ID, nil, 9)), participation.ErrNotFound)
	})

	t.Run("Milestones", func(t *testing.T) {
		st := newStore(t)
		rng := participationtest.NewRand(33)
		c := participationtest.NewConsultation(rng, 0)
		require.NoError(t, st.CreateConsultation(ctx, c))
		a, b := NewFollowUpItem(rng, c.ID, nil, 0), NewFollowUpItem(rng, c.ID, nil, 1)
		require.NoError(t, st.CreateFollowUpItem(ctx, a))
		require.NoError(t, st.CreateFollowUpItem(ctx, b))
		var want []evaluation.Milestone
		for i, due := range []time.Time{Date(2026, 3, 1), Date(2025, 11, 15), Date(2026, 3, 1), Date(2025, 12, 31)} {
			m := evaluation.Milestone{
				ID: participationtest.NewID(rng), ItemID: []uuid.UUID{a.ID, b.ID}[i%2], ConsultationID: c.ID,
				Title: fmt.Sprintf("Jalon %d", i), DueOn: due, Version: 1, CreatedAt: participationtest.BaseTime, UpdatedAt: participationtest.BaseTime,
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
		sorted := make([]evaluation.Milestone, len(order))
		for i, j := range order {
			sorted[i] = want[j]
		}
		got := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[evaluation.Milestone], error) {
			return st.ListMilestones(ctx, c.ID, after, limit)
		})
		participationtest.CheckPaging(t, func(after string, limit int) (civickit.Page[evaluation.Milestone], error) {
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
		ghost.ID = participationtest.NewID(rng)
		assert.ErrorIs(t, st.UpdateMilestone(ctx, &ghost), participation.ErrNotFound)
		require.NoError(t, st.CreateMilestone(ctx, &ghost))
		orphan := ghost
		orphan.ID, orphan.ItemID = participationtest.NewID(rng), participationtest.NewID(rng)
		assert.ErrorIs(t, st.CreateMilestone(ctx, &orphan), participation.ErrNotFound)
	})
}
