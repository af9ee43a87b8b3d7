package questionnairetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/participation/questionnaire"
)

// respondents creates n participants (without personal data) in st.
func respondents(t *testing.T, st stores, rng *rand.Rand, n int) []uuid.UUID {
	t.Helper()
	ids := make([]uuid.UUID, n)
	for i := range ids {
		p, _ := participationtest.NewParticipant(rng, i)
		require.NoError(t, st.CreateParticipant(context.Background(), p, nil))
		ids[i] = p.ID
	}
	return ids
}

// questionnaireIn creates a consultation and a questionnaire of it.
func questionnaireIn(t *testing.T, st stores, rng *rand.Rand) *questionnaire.Questionnaire {
	t.Helper()
	ctx := context.Background()
	c := participationtest.NewConsultation(rng, 0)
	require.NoError(t, st.CreateConsultation(ctx, c))
	q := NewQuestionnaire(rng, c.ID, 0)
	require.NoError(t, st.CreateQuestionnaire(ctx, q))
	return q
}

func canonResponses(rs []questionnaire.Response) []questionnaire.Response {
	out := make([]questionnaire.Response, len(rs))
	for i, r := range rs {
		out[i] = CanonResponse(r)
	}
	return participationtest.NilIfEmpty(out)
}

// testResponses checks the contract of questionnaire.Store.
func testResponses(t *testing.T, newStore func(t *testing.T) stores) {
	ctx := context.Background()

	t.Run("Questionnaires", func(t *testing.T) {
		st := newStore(t)
		rng := participationtest.NewRand(41)
		c := participationtest.NewConsultation(rng, 0)
		require.NoError(t, st.CreateConsultation(ctx, c))
		var want []questionnaire.Questionnaire
		for i := range 3 {
			q := NewQuestionnaire(rng, c.ID, i)
			if i == 1 {
				q.Anonymous, q.Results, q.MinGroupSize = true, questionnaire.ResultsAfterClose, 11
				q.ClosedAt = participationtest.BaseTime.Add(time.Hour)
			}
			require.NoError(t, st.CreateQuestionnaire(ctx, q))
			got, err := st.GetQuestionnaire(ctx, q.ID)
			require.NoError(t, err)
			assert.Equal(t, CanonQuestionnaire(*q), CanonQuestionnaire(*got))
			want = append(want, CanonQuestionnaire(*q))
		}
		other := participationtest.NewConsultation(rng, 1)
		require.NoError(t, st.CreateConsultation(ctx, other))
		require.NoError(t, st.CreateQuestionnaire(ctx, NewQuestionnaire(rng, other.ID, 9)))
		list := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[questionnaire.Questionnaire], error) {
			return st.ListQuestionnaires(ctx, c.ID, after, limit)
		})
		participationtest.CheckPaging(t, func(after string, limit int) (civickit.Page[questionnaire.Questionnaire], error) {
			return st.ListQuestionnaires(ctx, c.ID, after, limit)
		})
		got := make([]questionnaire.Questionnaire, len(list))
		for i, q := range list {
			got[i] = CanonQuestionnaire(q)
		}
		assert.Equal(t, want, got, "by creation time")

		// Versioned updates.
		q := &list[0]
		stale := CanonQuestionnaire(*q)
		q.Title, q.ClosedAt = "Questionnaire clos", participationtest.BaseTime.Add(2*time.Hour)
		q.Questions = q.Questions[:2]
		require.NoError(t, st.UpdateQuestionnaire(ctx, q))
		assert.Equal(t, 2, q.Version)
		back, err := st.GetQuestionnaire(ctx, q.ID)
		require.NoError(t, err)
		assert.Equal(t, CanonQuestionnaire(*q), CanonQuestionnaire(*back))
		stale.Title = "Écrasement"
		assert.ErrorIs(t, st.UpdateQuestionnaire(ctx, &stale), participation.ErrConflict)
		assert.Equal(t, 1, stale.Version)

		// Errors.
		_, err = st.GetQuestionnaire(ctx, participationtest.NewID(rng))
		assert.ErrorIs(t, err, participation.ErrNotFound)
		ghost := NewQuestionnaire(rng, c.ID, 5)
		assert.ErrorIs(t, st.UpdateQuestionnaire(ctx, ghost), participation.ErrNotFound)
		dup := NewQuestionnaire(rng, c.ID, 6)
		dup.ID = q.ID
		assert.ErrorIs(t, st.CreateQuestionnaire(ctx, dup), participation.ErrConflict)
		orphan := NewQuestionnaire(rng, participationtest.NewID(rng), 7)
		assert.ErrorIs(t, st.CreateQuestionnaire(ctx, orphan), participation.ErrNotFound)
	})

	t.Run("SubmitRoundTrip", func(t *testing.T) {
		st := newStore(t)
		rng := participationtest.NewRand(42)
		q := questionnaireIn(t, st, rng)
		people := respondents(t, st, rng, 6)
		for i, pid := range people {
			r := NewResponse(rng, q, pid, i)
			if i%2 == 1 {
				r.IdempotencyKey = fmt.Sprintf("form-%d-%s", i, participationtest.NewID(rng))
			}
			if i == 3 { // anonymous: the response does not name its respondent
				r.Respondent.ParticipantID = uuid.Nil
			}
			want := CanonResponse(*r)
			stored, replayed, err := st.SubmitResponse(ctx, pid, r)
			require.NoError(t, err)
			assert.False(t, replayed)
			assert.Equal(t, want, CanonResponse(*stored))
			got, err := st.GetResponse(ctx, r.ID)
			require.NoError(t, err)
			assert.Equal(t, want, CanonResponse(*got))
			ok, err := st.HasResponded(ctx, q.ID, pid)
			require.NoError(t, err)
			assert.True(t, ok, "the respondent is recorded, even when anonymous")
			if r.IdempotencyKey != "" {
				byKey, err := st.ResponseByKey(ctx, q.ID, r.IdempotencyKey)
				require.NoError(t, err)
				assert.Equal(t, want, CanonResponse(*byKey))
			}
		}
		n, err := st.CountResponses(ctx, q.ID)
		require.NoError(t, err)
		assert.Equal(t, len(people), n)
		outsider := respondents(t, st, rng, 1)[0]
		ok, err := st.HasResponded(ctx, q.ID, outsider)
		require.NoError(t, err)
		assert.False(t, ok)

		_, err = st.GetResponse(ctx, participationtest.NewID(rng))
		assert.ErrorIs(t, err, participation.ErrNotFound)
		_, err = st.ResponseByKey(ctx, q.ID, "absent")
		assert.ErrorIs(t, err, participation.ErrNotFound)
		r := NewResponse(rng, q, participationtest.NewID(rng), 9)
		_, _, err = st.SubmitResponse(ctx, r.Respondent.ParticipantID, r)
		assert.ErrorIs(t, err, participation.ErrNotFound, "unknown participant")
		r = NewResponse(rng, q, outsider, 9)
		r.QuestionnaireID = participationtest.NewID(rng)
		_, _, err = st.SubmitResponse(ctx, outsider, r)
		assert.ErrorIs(t, err, participation.ErrNotFound, "unknown questionnaire")
	})

	t.Run("OneResponsePerPerson", func(t *testing.T) {
		st := newStore(t)
		rng := participationtest.NewRand(43)
		q := questionnaireIn(t, st, rng)
		pid := respondents(t, st, rng, 1)[0]
		web := NewResponse(rng, q, pid, 0)
		web.Provenance = civickit.Provenance{Channel: civickit.ChannelWeb}
		_, _, err := st.SubmitResponse(ctx, pid, web)
		require.NoError(t, err)
		for i, ch := range []civickit.Channel{civickit.ChannelWeb, civickit.ChannelPaper, civickit.ChannelKiosk} {
			again := NewResponse(rng, q, pid, i+1)
			again.Provenance = civickit.Provenance{Channel: ch, CollectedBy: "agent", Place: "mairie"}
			again.IdempotencyKey = "other-key-" + string(ch)
			if i == 1 {
				again.Respondent.ParticipantID = uuid.Nil // anonymous form, same person
			}
			_, _, err = st.SubmitResponse(ctx, pid, again)
			assert.ErrorIs(t, err, participation.ErrConflict, "second response through %s", ch)
			_, err = st.GetResponse(ctx, again.ID)
			assert.ErrorIs(t, err, participation.ErrNotFound, "nothing stored")
		}
		// The same person may answer another questionnaire.
		q2 := NewQuestionnaire(rng, q.ConsultationID, 1)
		require.NoError(t, st.CreateQuestionnaire(ctx, q2))
		_, _, err = st.SubmitResponse(ctx, pid, NewResponse(rng, q2, pid, 5))
		assert.NoError(t, err)
		n, err := st.CountResponses(ctx, q.ID)
		require.NoError(t, err)
		assert.Equal(t, 1, n)
	})

	t.Run("IdempotentRetry", func(t *testing.T) {
		st := newStore(t)
		rng := participationtest.NewRand(44)
		q := questionnaireIn(t, st, rng)
		pid := respondents(t, st, rng, 1)[0]
		first := NewResponse(rng, q, pid, 0)
		first.IdempotencyKey = "7d8f0b3e-retry"
		_, replayed, err := st.SubmitResponse(ctx, pid, first)
		require.NoError(t, err)
		require.False(t, replayed)
		retry := NewResponse(rng, q, pid, 1) // a new ID, the same key
		retry.IdempotencyKey = first.IdempotencyKey
		got, replayed, err := st.SubmitResponse(ctx, pid, retry)
		require.NoError(t, err)
		assert.True(t, replayed)
		assert.Equal(t, CanonResponse(*first), CanonResponse(*got), "the stored response comes back")
		n, err := st.CountResponses(ctx, q.ID)
		require.NoError(t, err)
		assert.Equal(t, 1, n)
	})

	t.Run("ConcurrentRetries", func(t *testing.T) {
		st := newStore(t)
		rng := participationtest.NewRand(45)
		q := questionnaireIn(t, st, rng)
		pid := respondents(t, st, rng, 1)[0]
		const writers = 8
		rs := make([]*questionnaire.Response, writers)
		for i := range rs {
			rs[i] = NewResponse(rng, q, pid, i)
			rs[i].IdempotencyKey = "double-click"
		}
		got := make([]*questionnaire.Response, writers)
		errs := make([]error, writers)
		var wg sync.WaitGroup
		for i := range writers {
			wg.Go(func() { got[i], _, errs[i] = st.SubmitResponse(ctx, pid, rs[i]) })
		}
		wg.Wait()
		var ids []uuid.UUID
		for i, err := range errs {
			if errors.Is(err, participation.ErrUnavailable) {
				continue // the engine gave up under contention: allowed, nothing stored twice
			}
			require.NoError(t, err, "writer %d", i)
			ids = append(ids, got[i].ID)
		}
		require.NotEmpty(t, ids)
		for _, id := range ids {
			assert.Equal(t, ids[0], id, "every retry returns the one stored response")
		}
		n, err := st.CountResponses(ctx, q.ID)
		require.NoError(t, err)
		assert.Equal(t, 1, n)
	})

	t.Run("ConcurrentWriters", func(t *testing.T) {
		st := newStore(t)
		rng := participationtest.NewRand(46)
		q := questionnaireIn(t, st, rng)
		const writers = 16
		people := respondents(t, st, rng, writers)
		rs := make([]*questionnaire.Response, writers)
		same := make([]*questionnaire.Response, writers)
		for i := range rs {
			rs[i] = NewResponse(rng, q, people[i], i)
			same[i] = NewResponse(rng, q, people[0], i) // all from one person
		}
		errs := make([]error, writers)
		var wg sync.WaitGroup
		for i := range writers {
			wg.Go(func() { _, _, errs[i] = st.SubmitResponse(ctx, people[i], rs[i]) })
		}
		wg.Wait()
		for i, err := range errs {
			assert.NoError(t, err, "writer %d", i)
		}
		n, err := st.CountResponses(ctx, q.ID)
		require.NoError(t, err)
		assert.Equal(t, writers, n)

		// One person through many channels at once: at most one wins.
		q2 := NewQuestionnaire(rng, q.ConsultationID, 1)
		require.NoError(t, st.CreateQuestionnaire(ctx, q2))
		for i := range same {
			same[i].QuestionnaireID = q2.ID
			wg.Go(func() { _, _, errs[i] = st.SubmitResponse(ctx, people[0], same[i]) })
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
		assert.Equal(t, 1, won)
		n, err = st.CountResponses(ctx, q2.ID)
		require.NoError(t, err)
		assert.Equal(t, 1, n)
	})

	t.Run("ImportStreamGroups", func(t *testing.T) {
		st := newStore(t)
		rng := participationtest.NewRand(47)
		q := questionnaireIn(t, st, rng)
		const total = 1234 // more than one stream page
		people := respondents(t, st, rng, total+1)
		subs := make([]questionnaire.Submission, total)
		var want []questionnaire.Response
		type gkey struct {
			ch    civickit.Channel
			rec   participation.Recruitment
			place string
			day   int64
		}
		groups := map[gkey]int{}
		for i := range subs {
			r := NewResponse(rng, q, people[i], i*97) // spread over days
			subs[i] = questionnaire.Submission{ParticipantID: people[i], Response: r}
			want = append(want, *r)
			groups[gkey{r.Provenance.Channel, r.Respondent.Recruitment, r.Provenance.Place, r.SubmittedAt.Unix() / 86400}]++
		}
		require.NoError(t, st.ImportResponses(ctx, subs))

		// A batch with one person who already responded is refused whole.
		bad := []questionnaire.Submission{
			{ParticipantID: people[total], Response: NewResponse(rng, q, people[total], 0)},
			{ParticipantID: people[0], Response: NewResponse(rng, q, people[0], 1)},
		}
		assert.ErrorIs(t, st.ImportResponses(ctx, bad), participation.ErrConflict)
		ok, err := st.HasResponded(ctx, q.ID, people[total])
		require.NoError(t, err)
		assert.False(t, ok, "nothing of a refused import is written")

		sort.Slice(want, func(i, j int) bool { return want[i].ID.String() < want[j].ID.String() })
		var got []questionnaire.Response
		require.NoError(t, st.StreamResponses(ctx, q.ID, func(r *questionnaire.Response) error {
			cp := *r
			cp.Answers = slices.Clone(r.Answers)
			got = append(got, cp)
			return nil
		}))
		require.Len(t, got, total)
		slices.SortFunc(got, func(a, b questionnaire.Response) int { return compareIDs(a.ID, b.ID) })
		want, got = canonResponses(want), canonResponses(got)
		for i := range want { // element by element: a diff of the whole would take minutes
			if !assert.Equal(t, want[i], got[i], "response %d of %d in ID order", i, total) {
				break
			}
		}

		stop := errors.New("stop")
		seen := 0
		err = st.StreamResponses(ctx, q.ID, func(*questionnaire.Response) error {
			seen++
			if seen == 10 {
				return stop
			}
			return nil
		})
		assert.ErrorIs(t, err, stop)
		assert.Equal(t, 10, seen)

		gs, err := st.ResponseGroups(ctx, q.ID)
		require.NoError(t, err)
		gotGroups := map[gkey]int{}
		for _, g := range gs {
			gotGroups[gkey{g.Channel, g.Recruitment, g.Place, g.Day}] += g.Count
		}
		assert.Equal(t, groups, gotGroups)
		assert.True(t, slices.IsSortedFunc(gs, func(a, b questionnaire.ResponseGroup) int {
			switch {
			case a.Channel != b.Channel:
				return compareStrings(string(a.Channel), string(b.Channel))
			case a.Recruitment != b.Recruitment:
				return compareStrings(string(a.Recruitment), string(b.Recruitment))
			case a.Place != b.Place:
				return compareStrings(a.Place, b.Place)
			}
			return int(a.Day - b.Day)
		}), "groups in order")
	})

	t.Run("PaperBatches", func(t *testing.T) {
		st := newStore(t)
		rng := participationtest.NewRand(48)
		q := questionnaireIn(t, st, rng)
		people := respondents(t, st, rng, 3)
		b := &questionnaire.PaperBatch{
			ID: participationtest.NewID(rng), QuestionnaireID: q.ID, Label: "Urne de la mairie annexe, 10 mars",
			CollectedBy: "agent-12", Place: "mairie-annexe-3", Forms: 3, DoubleKeying: true,
			Status: questionnaire.BatchOpen, Version: 1, CreatedAt: participationtest.BaseTime, UpdatedAt: participationtest.BaseTime,
		}
		require.NoError(t, st.CreatePaperBatch(ctx, b))
		got, err := st.GetPaperBatch(ctx, b.ID)
		require.NoError(t, err)
		assert.Equal(t, canonBatch(*b), canonBatch(*got))

		var want []questionnaire.PaperEntry
		for form := 3; form >= 1; form-- { // keyed out of order
			for _, pass := range []questionnaire.Pass{questionnaire.PassSecond, questionnaire.PassFirst} {
				e := questionnaire.PaperEntry{
					ID: participationtest.NewID(rng), BatchID: b.ID, Form: form, Pass: pass, Agent: fmt.Sprintf("agent-%d", pass),
					Respondent: participation.Respondent{ParticipantID: people[form-1], Recruitment: participation.RecruitOpenCall},
					Answers:    q.Normalize(NewAnswers(rng, q)), KeyedAt: participationtest.BaseTime.Add(time.Duration(form) * time.Minute),
				}
				if form == 2 && pass == questionnaire.PassFirst {
					e.Spoiled, e.Answers, e.Respondent = true, nil, participation.Respondent{}
				}
				require.NoError(t, st.AddPaperEntry(ctx, &e))
				want = append(want, e)
			}
		}
		dup := want[0]
		dup.ID = participationtest.NewID(rng)
		assert.ErrorIs(t, st.AddPaperEntry(ctx, &dup), participation.ErrConflict, "a pass keyed twice")
		orphan := want[0]
		orphan.ID, orphan.BatchID = participationtest.NewID(rng), participationtest.NewID(rng)
		assert.ErrorIs(t, st.AddPaperEntry(ctx, &orphan), participation.ErrNotFound)

		slices.SortFunc(want, func(a, b questionnaire.PaperEntry) int {
			if a.Form != b.Form {
				return a.Form - b.Form
			}
			return int(a.Pass - b.Pass)
		})
		entries := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[questionnaire.PaperEntry], error) {
			return st.ListPaperEntries(ctx, b.ID, after, limit)
		})
		participationtest.CheckPaging(t, func(after string, limit int) (civickit.Page[questionnaire.PaperEntry], error) {
			return st.ListPaperEntries(ctx, b.ID, after, limit)
		})
		assert.Equal(t, canonEntries(want), canonEntries(entries))

		stale := *b
		b.Status, b.Committed, b.UpdatedAt = questionnaire.BatchCommitted, 2, participationtest.BaseTime.Add(time.Hour)
		require.NoError(t, st.UpdatePaperBatch(ctx, b))
		assert.Equal(t, 2, b.Version)
		got, err = st.GetPaperBatch(ctx, b.ID)
		require.NoError(t, err)
		assert.Equal(t, canonBatch(*b), canonBatch(*got))
		assert.ErrorIs(t, st.UpdatePaperBatch(ctx, &stale), participation.ErrConflict)

		_, err = st.GetPaperBatch(ctx, participationtest.NewID(rng))
		assert.ErrorIs(t, err, participation.ErrNotFound)
		ghost := *b
		ghost.ID = participationtest.NewID(rng)
		assert.ErrorIs(t, st.UpdatePaperBatch(ctx, &ghost), participation.ErrNotFound)
		lost := *b
		lost.ID, lost.QuestionnaireID = participationtest.NewID(rng), participationtest.NewID(rng)
		assert.ErrorIs(t, st.CreatePaperBatch(ctx, &lost), participation.ErrNotFound)

		// A response keyed from the batch keeps the link.
		r := NewResponse(rng, q, people[0], 0)
		r.BatchID = &b.ID
		r.Provenance = civickit.Provenance{Channel: civickit.ChannelPaper, CollectedBy: b.CollectedBy, Place: b.Place}
		_, _, err = st.SubmitResponse(ctx, people[0], r)
		require.NoError(t, err)
		back, err := st.GetResponse(ctx, r.ID)
		require.NoError(t, err)
		require.NotNil(t, back.BatchID)
		assert.Equal(t, b.ID, *back.BatchID)
	})
}

func canonBatch(b questionnaire.PaperBatch) questionnaire.PaperBatch {
	b.CreatedAt, b.UpdatedAt = participationtest.CanonTime(b.CreatedAt), participationtest.CanonTime(b.UpdatedAt)
	return b
}

func canonEntries(es []questionnaire.PaperEntry) []questionnaire.PaperEntry {
	out := make([]questionnaire.PaperEntry, len(es))
	for i, e := range es {
		e.KeyedAt = participationtest.CanonTime(e.KeyedAt)
		e.Answers = participationtest.NilIfEmpty(e.Answers)
		out[i] = e
	}
	return participationtest.NilIfEmpty(out)
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func compareIDs(a, b uuid.UUID) int { return compareStrings(a.String(), b.String()) }
