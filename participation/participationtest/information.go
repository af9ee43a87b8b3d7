package participationtest

import (
	"cmp"
	"context"
	"fmt"
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
)

// NewResource returns a valid resource of the consultation, unique to i,
// at position i.
func NewResource(rng *rand.Rand, consultationID uuid.UUID, i int) *participation.Resource {
	kinds := participation.ResourceKinds()
	r := &participation.Resource{
		ID: NewID(rng), ConsultationID: consultationID, Kind: kinds[i%len(kinds)],
		Title:    fmt.Sprintf("Ressource n°%d : « plan guide »", i),
		Body:     "Présentation du projet, état des lieux et variantes étudiées.",
		URL:      fmt.Sprintf("https://example.org/docs/%d.pdf", i),
		Language: "fr", Required: i%2 == 0, Position: i,
		CreatedAt: BaseTime.Add(time.Duration(i) * time.Minute),
	}
	if r.Kind == participation.ResourceFAQ {
		r.URL = ""
	}
	return r
}

// NewPreliminaryQuestion returns a valid preliminary question of the
// consultation, unique to i, at position i: free text when i is even,
// with three choices when odd.
func NewPreliminaryQuestion(rng *rand.Rand, consultationID uuid.UUID, i int) *participation.PreliminaryQuestion {
	q := &participation.PreliminaryQuestion{
		ID: NewID(rng), ConsultationID: consultationID,
		Prompt:    fmt.Sprintf("Question préalable n°%d : avez-vous compris les enjeux ?", i),
		Mandatory: i%3 != 2, Position: i,
		CreatedAt: BaseTime.Add(time.Duration(i) * time.Minute),
	}
	if i%2 == 1 {
		q.Choices = []string{"oui", "non", "en partie"}
	}
	return q
}

func testInformation(t *testing.T, newStore func(t *testing.T) participation.Store) {
	ctx := context.Background()

	// setup stores a consultation and n participants.
	setup := func(t *testing.T, st participation.Store, rng *rand.Rand, n int) (*participation.Consultation, []uuid.UUID) {
		c := NewConsultation(rng, 0)
		require.NoError(t, st.CreateConsultation(ctx, c))
		var ids []uuid.UUID
		for i := range n {
			p, pd := NewParticipant(rng, i)
			require.NoError(t, st.CreateParticipant(ctx, p, pd))
			ids = append(ids, p.ID)
		}
		return c, ids
	}

	t.Run("Resources", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(21)
		c, _ := setup(t, st, rng, 0)
		other, _ := setup(t, st, rng, 0)
		var want []participation.Resource
		for _, i := range []int{3, 0, 6, 1, 4, 2, 5} {
			r := NewResource(rng, c.ID, i)
			if i == 5 {
				r.Position = 3 // a tie on position: broken by ID
			}
			require.NoError(t, st.CreateResource(ctx, r))
			want = append(want, *r)
		}
		require.NoError(t, st.CreateResource(ctx, NewResource(rng, other.ID, 0)))
		sortBy(want, func(r participation.Resource) (int, uuid.UUID) { return r.Position, r.ID })
		got := ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.Resource], error) {
			return st.ListResources(ctx, c.ID, after, limit)
		})
		CheckPaging(t, func(after string, limit int) (civickit.Page[participation.Resource], error) {
			return st.ListResources(ctx, c.ID, after, limit)
		})
		assert.Equal(t, canonResources(want), canonResources(got))

		dup := NewResource(rng, c.ID, 9)
		dup.ID = want[0].ID
		assert.ErrorIs(t, st.CreateResource(ctx, dup), participation.ErrConflict)
		assert.ErrorIs(t, st.CreateResource(ctx, NewResource(rng, NewID(rng), 0)), participation.ErrNotFound)
		none := ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.Resource], error) {
			return st.ListResources(ctx, NewID(rng), after, limit)
		})
		assert.Empty(t, none)
	})

	t.Run("PreliminaryQuestions", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(22)
		c, _ := setup(t, st, rng, 0)
		var want []participation.PreliminaryQuestion
		for _, i := range []int{2, 0, 1, 3} {
			q := NewPreliminaryQuestion(rng, c.ID, i)
			require.NoError(t, st.CreatePreliminaryQuestion(ctx, q))
			want = append(want, *q)
		}
		sortBy(want, func(q participation.PreliminaryQuestion) (int, uuid.UUID) { return q.Position, q.ID })
		got := ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.PreliminaryQuestion], error) {
			return st.ListPreliminaryQuestions(ctx, c.ID, after, limit)
		})
		CheckPaging(t, func(after string, limit int) (civickit.Page[participation.PreliminaryQuestion], error) {
			return st.ListPreliminaryQuestions(ctx, c.ID, after, limit)
		})
		assert.Equal(t, canonQuestions(want), canonQuestions(got))
		dup := NewPreliminaryQuestion(rng, c.ID, 5)
		dup.ID = want[0].ID
		assert.ErrorIs(t, st.CreatePreliminaryQuestion(ctx, dup), participation.ErrConflict)
		assert.ErrorIs(t, st.CreatePreliminaryQuestion(ctx, NewPreliminaryQuestion(rng, NewID(rng), 0)), participation.ErrNotFound)
	})

	t.Run("Reads", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(23)
		c, people := setup(t, st, rng, 2)
		r0, r1 := NewResource(rng, c.ID, 0), NewResource(rng, c.ID, 1)
		require.NoError(t, st.CreateResource(ctx, r0))
		require.NoError(t, st.CreateResource(ctx, r1))

		read := func(r *participation.Resource, p uuid.UUID, ch civickit.Channel, at time.Duration) (bool, error) {
			return st.RecordRead(ctx, &participation.ResourceRead{ConsultationID: c.ID, ResourceID: r.ID,
				ParticipantID: p, Channel: ch, At: BaseTime.Add(at)})
		}
		first, err := read(r1, people[0], civickit.ChannelWeb, time.Hour)
		require.NoError(t, err)
		assert.True(t, first)
		first, err = read(r1, people[0], civickit.ChannelKiosk, 2*time.Hour)
		require.NoError(t, err)
		assert.False(t, first, "a second read is not recorded")
		first, err = read(r0, people[0], civickit.ChannelPaper, 3*time.Hour)
		require.NoError(t, err)
		assert.True(t, first)
		_, err = read(r0, people[1], civickit.ChannelWeb, 4*time.Hour)
		require.NoError(t, err)

		got := ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.ResourceRead], error) {
			return st.ListReads(ctx, c.ID, people[0], after, limit)
		})
		CheckPaging(t, func(after string, limit int) (civickit.Page[participation.ResourceRead], error) {
			return st.ListReads(ctx, c.ID, people[0], after, limit)
		})
		want := []participation.ResourceRead{
			{ConsultationID: c.ID, ResourceID: r1.ID, ParticipantID: people[0], Channel: civickit.ChannelWeb, At: BaseTime.Add(time.Hour)},
			{ConsultationID: c.ID, ResourceID: r0.ID, ParticipantID: people[0], Channel: civickit.ChannelPaper, At: BaseTime.Add(3 * time.Hour)},
		}
		for i := range got {
			got[i].At = CanonTime(got[i].At)
		}
		for i := range want {
			want[i].At = CanonTime(want[i].At)
		}
		assert.Equal(t, want, got)

		counts, err := st.CountReads(ctx, c.ID)
		require.NoError(t, err)
		wantCounts := []participation.ReadCount{
			{ResourceID: r0.ID, Channel: civickit.ChannelPaper, Count: 1},
			{ResourceID: r0.ID, Channel: civickit.ChannelWeb, Count: 1},
			{ResourceID: r1.ID, Channel: civickit.ChannelWeb, Count: 1},
		}
		if r1.ID.String() < r0.ID.String() {
			wantCounts = append(wantCounts[2:], wantCounts[:2]...)
		}
		assert.Equal(t, wantCounts, counts)
		none, err := st.CountReads(ctx, NewID(rng))
		require.NoError(t, err)
		assert.Empty(t, none)

		_, err = read(r0, NewID(rng), civickit.ChannelWeb, 0)
		assert.ErrorIs(t, err, participation.ErrNotFound, "unknown participant")
		_, err = read(&participation.Resource{ID: NewID(rng)}, people[0], civickit.ChannelWeb, 0)
		assert.ErrorIs(t, err, participation.ErrNotFound, "unknown resource")
	})

	t.Run("Concurrency", func(t *testing.T) {
		st := store(t, newStore)
		c, people := setup(t, st, NewRand(26), 1)
		testInformationConcurrency(t, st, c, people)
	})

	t.Run("Answers", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(24)
		c, people := setup(t, st, rng, 2)
		q0, q1 := NewPreliminaryQuestion(rng, c.ID, 0), NewPreliminaryQuestion(rng, c.ID, 1)
		require.NoError(t, st.CreatePreliminaryQuestion(ctx, q0))
		require.NoError(t, st.CreatePreliminaryQuestion(ctx, q1))
		answer := func(q *participation.PreliminaryQuestion, p uuid.UUID, text string, at time.Duration) error {
			return st.SavePreliminaryAnswer(ctx, &participation.PreliminaryAnswer{ConsultationID: c.ID,
				QuestionID: q.ID, ParticipantID: p, Answer: text, Channel: civickit.ChannelWeb, At: BaseTime.Add(at)})
		}
		require.NoError(t, answer(q1, people[0], "non", time.Hour))
		require.NoError(t, answer(q0, people[0], "Le tracé longe l'école.", 2*time.Hour))
		require.NoError(t, answer(q1, people[0], "oui", 3*time.Hour)) // replaces
		require.NoError(t, answer(q1, people[0], "oui", 3*time.Hour)) // the same again
		require.NoError(t, answer(q1, people[1], "en partie", time.Hour))

		got := ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.PreliminaryAnswer], error) {
			return st.ListPreliminaryAnswers(ctx, c.ID, people[0], after, limit)
		})
		CheckPaging(t, func(after string, limit int) (civickit.Page[participation.PreliminaryAnswer], error) {
			return st.ListPreliminaryAnswers(ctx, c.ID, people[0], after, limit)
		})
		require.Len(t, got, 2)
		assert.Equal(t, []string{"Le tracé longe l'école.", "oui"}, []string{got[0].Answer, got[1].Answer})
		assert.Equal(t, []uuid.UUID{q0.ID, q1.ID}, []uuid.UUID{got[0].QuestionID, got[1].QuestionID})
		assert.True(t, BaseTime.Add(3*time.Hour).Equal(got[1].At))

		assert.ErrorIs(t, answer(q0, NewID(rng), "x", 0), participation.ErrNotFound)
		assert.ErrorIs(t, answer(&participation.PreliminaryQuestion{ID: NewID(rng)}, people[0], "x", 0), participation.ErrNotFound)
	})
}

func testInformationConcurrency(t *testing.T, st participation.Store, c *participation.Consultation, people []uuid.UUID) {
	ctx := context.Background()
	rng := NewRand(25)
	r := NewResource(rng, c.ID, 0)
	require.NoError(t, st.CreateResource(ctx, r))
	q := NewPreliminaryQuestion(rng, c.ID, 0)
	require.NoError(t, st.CreatePreliminaryQuestion(ctx, q))
	const writers = 8
	firsts := make([]bool, writers)
	errs := make([]error, 2*writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(2)
		go func() {
			defer wg.Done()
			firsts[i], errs[i] = st.RecordRead(ctx, &participation.ResourceRead{ConsultationID: c.ID, ResourceID: r.ID,
				ParticipantID: people[0], Channel: civickit.ChannelWeb, At: BaseTime.Add(time.Duration(i) * time.Second)})
		}()
		go func() {
			defer wg.Done()
			errs[writers+i] = st.SavePreliminaryAnswer(ctx, &participation.PreliminaryAnswer{ConsultationID: c.ID,
				QuestionID: q.ID, ParticipantID: people[0], Answer: fmt.Sprint("réponse ", i),
				Channel: civickit.ChannelWeb, At: BaseTime.Add(time.Duration(i) * time.Second)})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	n := 0
	for _, f := range firsts {
		if f {
			n++
		}
	}
	assert.Equal(t, 1, n, "exactly one first read")
	reads := ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.ResourceRead], error) {
		return st.ListReads(ctx, c.ID, people[0], after, limit)
	})
	assert.Len(t, reads, 1)
	answers := ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.PreliminaryAnswer], error) {
		return st.ListPreliminaryAnswers(ctx, c.ID, people[0], after, limit)
	})
	assert.Len(t, answers, 1)
}

func sortBy[T any](xs []T, key func(T) (int, uuid.UUID)) {
	slices.SortFunc(xs, func(a, b T) int {
		pa, ia := key(a)
		pb, ib := key(b)
		return cmp.Or(cmp.Compare(pa, pb), cmp.Compare(ia.String(), ib.String()))
	})
}

func canonResources(rs []participation.Resource) []participation.Resource {
	out := make([]participation.Resource, len(rs))
	for i, r := range rs {
		r.CreatedAt = CanonTime(r.CreatedAt)
		out[i] = r
	}
	return NilIfEmpty(out)
}

func canonQuestions(qs []participation.PreliminaryQuestion) []participation.PreliminaryQuestion {
	out := make([]participation.PreliminaryQuestion, len(qs))
	for i, q := range qs {
		q.CreatedAt = CanonTime(q.CreatedAt)
		q.Choices = NilIfEmpty(q.Choices)
		out[i] = q
	}
	return NilIfEmpty(out)
}
