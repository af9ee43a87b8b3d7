package debatetest

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/debate"
	"github.com/civickit/civickit/participation/participationtest"
)

// testDebateIdempotency checks that contributions carrying an
// idempotency key are stored once per author and consultation.
func testDebateIdempotency(t *testing.T, st stores) {
	ctx := context.Background()
	rng := participationtest.NewRand(331)
	w := newDebateWorld(t, st, rng, 0, 2)
	other := newDebateWorld(t, st, rng, 1, 0)
	other.people = w.people

	first := NewComment(rng, w.c.ID, w.people[0], nil, 0)
	first.IdempotencyKey = "7f1c2a90-retry-key"
	require.NoError(t, debateCreateComment(st, first))
	got, err := st.GetComment(ctx, first.ID)
	require.NoError(t, err)
	assert.Equal(t, CanonComment(*first), CanonComment(*got), "the key round-trips")

	retry := NewComment(rng, w.c.ID, w.people[0], nil, 1) // a new ID and time, the same key
	retry.IdempotencyKey = first.IdempotencyKey
	retryID := retry.ID
	replayed, err := st.CreateComment(ctx, retry)
	require.NoError(t, err)
	assert.True(t, replayed)
	assert.Equal(t, CanonComment(*first), CanonComment(*retry), "the retry gets the stored comment")
	_, err = st.GetComment(ctx, retryID)
	assert.ErrorIs(t, err, participation.ErrNotFound, "the retry stored nothing")

	for i, c := range []*debate.Comment{
		NewComment(rng, w.c.ID, w.people[1], nil, 2),     // the key, another author
		NewComment(rng, other.c.ID, w.people[0], nil, 3), // the key, another consultation
		NewComment(rng, w.c.ID, w.people[0], nil, 4),     // no key
	} {
		if i < 2 {
			c.IdempotencyKey = first.IdempotencyKey
		}
		require.NoError(t, debateCreateComment(st, c))
	}
	page, err := st.ListComments(ctx, w.c.ID, "", 100)
	require.NoError(t, err)
	assert.Len(t, page.Items, 3)

	dup := NewComment(rng, w.c.ID, w.people[0], nil, 5)
	dup.ID, dup.IdempotencyKey = first.ID, "another-key"
	_, err = st.CreateComment(ctx, dup)
	assert.ErrorIs(t, err, participation.ErrConflict, "a taken ID is not a replay")

	// Concurrent retries store one comment.
	const writers = 8
	var wg sync.WaitGroup
	results := make([]*debate.Comment, writers)
	errs := make([]error, writers)
	for i := range writers {
		c := NewComment(rng, w.c.ID, w.people[1], nil, 10+i)
		c.IdempotencyKey = "concurrent-key"
		results[i] = c
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = st.CreateComment(ctx, c)
		}()
	}
	wg.Wait()
	for i := range writers {
		require.NoError(t, errs[i], "writer %d", i)
		assert.Equal(t, results[0].ID, results[i].ID, "writer %d got the stored comment", i)
	}
	page, err = st.ListComments(ctx, w.c.ID, "", 100)
	require.NoError(t, err)
	assert.Len(t, page.Items, 4)

	// Statements follow the same rule.
	s := NewStatement(rng, w.c.ID, &w.people[0], 0)
	s.IdempotencyKey = "statement-key"
	require.NoError(t, debateCreateStatement(st, s))
	s2 := NewStatement(rng, w.c.ID, &w.people[0], 1)
	s2.IdempotencyKey = s.IdempotencyKey
	replayed, err = st.CreateStatement(ctx, s2)
	require.NoError(t, err)
	assert.True(t, replayed)
	assert.Equal(t, CanonStatement(*s), CanonStatement(*s2))
}
