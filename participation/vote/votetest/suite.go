package votetest

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/participation/vote"
)

// TestStore runs the conformance suite against the vote.Store that
// newStores returns, beside a participation.Store on the same database
// (links refer to its consultations). newStores must return fresh, empty
// stores on every call; it is called once by the suite (every scenario
// works in consultations of its own) and may register cleanups on the t
// it is given.
func TestStore(t *testing.T, newStores func(t *testing.T) (vote.Store, participation.Store)) {
	t.Helper()
	st, core := newStores(t)
	require.NotNil(t, st, "newStores returned no vote store")
	require.NotNil(t, core, "newStores returned no participation store")
	t.Run("Links", func(t *testing.T) { testLinks(t, st, core) })
	t.Run("Paging", func(t *testing.T) { testPaging(t, st, core) })
	t.Run("Concurrency", func(t *testing.T) { testConcurrency(t, st, core) })
}

// NewLink returns a link of a new election, drawn from rng, to the
// consultation, created at participationtest.BaseTime plus i seconds.
func NewLink(rng *rand.Rand, consultationID uuid.UUID, i int) *vote.Link {
	return &vote.Link{
		ElectionID:     participationtest.NewID(rng),
		ConsultationID: consultationID,
		CreatedAt:      participationtest.BaseTime.Add(time.Duration(i) * time.Second),
	}
}

// CanonLink returns l in canonical form for comparisons.
func CanonLink(l vote.Link) vote.Link {
	l.CreatedAt = participationtest.CanonTime(l.CreatedAt)
	return l
}

// SortLinks sorts links as ListLinks returns them: by CreatedAt, then
// ElectionID (bytewise, as every engine sorts the canonical text of a
// UUID).
func SortLinks(ls []vote.Link) {
	slices.SortFunc(ls, func(a, b vote.Link) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), bytes.Compare(a.ElectionID[:], b.ElectionID[:]))
	})
}

func newConsultation(t *testing.T, core participation.Store, rng *rand.Rand, i int) *participation.Consultation {
	t.Helper()
	c := participationtest.NewConsultation(rng, i)
	require.NoError(t, core.CreateConsultation(context.Background(), c))
	return c
}

func testLinks(t *testing.T, st vote.Store, core participation.Store) {
	ctx := context.Background()
	rng := participationtest.NewRand(701)
	c := newConsultation(t, core, rng, 0)
	other := newConsultation(t, core, rng, 1)

	l := NewLink(rng, c.ID, 0)
	l.CreatedAt = l.CreatedAt.Add(789 * time.Nanosecond) // kept to the microsecond
	require.NoError(t, st.CreateLink(ctx, l))
	got, err := st.GetLink(ctx, l.ElectionID)
	require.NoError(t, err)
	assert.Equal(t, CanonLink(*l), CanonLink(*got))

	_, err = st.GetLink(ctx, participationtest.NewID(rng))
	assert.ErrorIs(t, err, civickit.ErrNotFound, "an election linked to nothing")

	again := *l
	again.ConsultationID = other.ID
	assert.ErrorIs(t, st.CreateLink(ctx, &again), civickit.ErrConflict, "an election belongs to one consultation")
	same := *l
	assert.ErrorIs(t, st.CreateLink(ctx, &same), civickit.ErrConflict, "linked twice to the same consultation")
	got, err = st.GetLink(ctx, l.ElectionID)
	require.NoError(t, err)
	assert.Equal(t, c.ID, got.ConsultationID, "the first link stays")

	stray := NewLink(rng, participationtest.NewID(rng), 1)
	assert.ErrorIs(t, st.CreateLink(ctx, stray), civickit.ErrNotFound, "an unknown consultation")
	_, err = st.GetLink(ctx, stray.ElectionID)
	assert.ErrorIs(t, err, civickit.ErrNotFound, "nothing stored for the refused link")

	list := func(id uuid.UUID) func(after string, limit int) (civickit.Page[vote.Link], error) {
		return func(after string, limit int) (civickit.Page[vote.Link], error) {
			return st.ListLinks(ctx, id, after, limit)
		}
	}
	participationtest.CheckList(t, []vote.Link{*l}, CanonLink, list(c.ID))
	participationtest.CheckList(t, nil, CanonLink, list(other.ID))
	participationtest.CheckList(t, nil, CanonLink, list(participationtest.NewID(rng)))
}

// testPaging lists links created out of order, some at the same instant
// (ordered by election ID then), among another consultation's.
func testPaging(t *testing.T, st vote.Store, core participation.Store) {
	ctx := context.Background()
	rng := participationtest.NewRand(702)
	c := newConsultation(t, core, rng, 2)
	other := newConsultation(t, core, rng, 3)
	var want []vote.Link
	for i := range 9 {
		l := NewLink(rng, c.ID, (i*5)%7) // instants 0..6, two of them twice
		require.NoError(t, st.CreateLink(ctx, l))
		want = append(want, *l)
		require.NoError(t, st.CreateLink(ctx, NewLink(rng, other.ID, i)))
	}
	for i := range want {
		want[i] = CanonLink(want[i])
	}
	SortLinks(want)
	participationtest.CheckList(t, want, CanonLink, func(after string, limit int) (civickit.Page[vote.Link], error) {
		return st.ListLinks(ctx, c.ID, after, limit)
	})
	p, err := st.ListLinks(ctx, other.ID, "", 0)
	require.NoError(t, err)
	assert.Len(t, p.Items, 9)
	assert.Empty(t, p.Next)
}

// testConcurrency races writers linking the same elections to two
// consultations: each election ends up in exactly one.
func testConcurrency(t *testing.T, st vote.Store, core participation.Store) {
	ctx := context.Background()
	rng := participationtest.NewRand(703)
	cs := []*participation.Consultation{newConsultation(t, core, rng, 4), newConsultation(t, core, rng, 5)}
	const elections, writers = 5, 4
	ids := make([]uuid.UUID, elections)
	for i := range ids {
		ids[i] = participationtest.NewID(rng)
	}
	won := make([][]int, elections) // which writers won each election
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i, id := range ids {
				l := &vote.Link{ElectionID: id, ConsultationID: cs[w%2].ID, CreatedAt: participationtest.BaseTime}
				err := st.CreateLink(ctx, l)
				if !assert.True(t, err == nil || errors.Is(err, civickit.ErrConflict), "writer %d: %v", w, err) {
					continue
				}
				if err == nil {
					mu.Lock()
					won[i] = append(won[i], w)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	total := 0
	for i, id := range ids {
		require.Len(t, won[i], 1, "election %d linked once", i)
		got, err := st.GetLink(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, cs[won[i][0]%2].ID, got.ConsultationID, "the winner's link is stored")
	}
	for _, c := range cs {
		total += len(participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[vote.Link], error) {
			return st.ListLinks(ctx, c.ID, after, limit)
		}))
	}
	assert.Equal(t, elections, total, "every election listed once")
}
