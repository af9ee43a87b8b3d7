package associationstest

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
)

// testRepresentatives checks the mandates store: one row per person and
// association, known associations only, exact deletes and keyset pages.
func (s *suite) testRepresentatives(t *testing.T) {
	st := s.store(t)
	ctx := t.Context()
	rng := NewRand(50)
	a, b := NewAssociation(rng, 0), NewAssociation(rng, 1)
	mustCreate(t, st, a, b)
	at := BaseTime.Add(90 * time.Minute)
	people := make([]uuid.UUID, 7)
	for i := range people {
		people[i] = uuid.New()
		r := associations.Representative{AssociationID: a.ID, ParticipantID: people[i],
			AuthorisedBy: "agent", Evidence: "minutes", AuthorisedAt: at}
		require.NoError(t, st.CreateRepresentative(ctx, &r))
	}

	got, err := st.GetRepresentative(ctx, a.ID, people[3])
	require.NoError(t, err)
	assert.Equal(t, associations.Representative{AssociationID: a.ID, ParticipantID: people[3],
		AuthorisedBy: "agent", Evidence: "minutes", AuthorisedAt: at}, *got)
	_, err = st.GetRepresentative(ctx, b.ID, people[3])
	assert.ErrorIs(t, err, civickit.ErrNotFound, "a mandate is for one association")

	dup := associations.Representative{AssociationID: a.ID, ParticipantID: people[0], AuthorisedBy: "x", Evidence: "y", AuthorisedAt: at}
	assert.ErrorIs(t, st.CreateRepresentative(ctx, &dup), civickit.ErrConflict)
	unknown := associations.Representative{AssociationID: uuid.New(), ParticipantID: people[0], AuthorisedBy: "x", Evidence: "y", AuthorisedAt: at}
	assert.ErrorIs(t, st.CreateRepresentative(ctx, &unknown), civickit.ErrNotFound)

	// Concurrent mandates of one person for one association: exactly one.
	p := uuid.New()
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := associations.Representative{AssociationID: b.ID, ParticipantID: p, AuthorisedBy: "x", Evidence: "y", AuthorisedAt: at}
			errs[i] = st.CreateRepresentative(ctx, &r)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			assert.ErrorIs(t, err, civickit.ErrConflict)
		}
	}
	assert.Equal(t, 1, ok)

	// Pages of two, in participant order, each mandate once.
	var seen []uuid.UUID
	after := ""
	for {
		page, err := st.ListRepresentatives(ctx, a.ID, after, 2)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.Items), 2)
		for _, r := range page.Items {
			seen = append(seen, r.ParticipantID)
		}
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	want := append([]uuid.UUID(nil), people...)
	slices.SortFunc(want, func(x, y uuid.UUID) int { return strings.Compare(x.String(), y.String()) })
	assert.Equal(t, want, seen)
	_, err = st.ListRepresentatives(ctx, a.ID, "garbage", 2)
	assert.ErrorIs(t, err, civickit.ErrInvalid)

	require.NoError(t, st.DeleteRepresentative(ctx, a.ID, people[2]))
	assert.ErrorIs(t, st.DeleteRepresentative(ctx, a.ID, people[2]), civickit.ErrNotFound)
	assert.ErrorIs(t, st.DeleteRepresentative(ctx, b.ID, people[3]), civickit.ErrNotFound)
	_, err = st.GetRepresentative(ctx, a.ID, people[3])
	assert.NoError(t, err, "deleting one mandate leaves the others")
	page, err := st.ListRepresentatives(ctx, a.ID, "", 0)
	require.NoError(t, err)
	assert.Len(t, page.Items, 6)
}
