package questionnaire_test

import (
	"context"
	"errors"
	"fmt"
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
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// respClock is a settable time source.
type respClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *respClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *respClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// respEnv is a questionnaire Service and the consultation Service beside
// it, over a fresh SQLite database.
type respEnv struct {
	core  *participation.Service
	svc   *questionnaire.Service
	store *respStores
	clock *respClock
}

// respStores joins the two stores of the database, for tests that look
// at what was stored.
type respStores struct {
	*storage.QuestionnaireStore
	*storage.ParticipationStore
}

func newRespEnv(t *testing.T) *respEnv {
	t.Helper()
	db := storagetest.Open(t, storage.SQLite)
	st := &respStores{storage.NewQuestionnaireStore(db), storage.NewParticipationStore(db)}
	clk := &respClock{t: participationtest.BaseTime.Add(-time.Hour)}
	core, err := participation.NewService(st.ParticipationStore, participation.Options{Now: clk.now})
	require.NoError(t, err)
	svc, err := questionnaire.NewService(st.QuestionnaireStore, core, questionnaire.Options{Now: clk.now})
	require.NoError(t, err)
	return &respEnv{core: core, svc: svc, store: st, clock: clk}
}

// consultation creates a consultation open in phase k, with eligibility
// el and the channels web, paper, kiosk and mediator.
func (e *respEnv) consultation(t *testing.T, k participation.PhaseKind, el participation.Eligibility) *participation.Consultation {
	t.Helper()
	ctx := context.Background()
	in := *participationtest.NewConsultation(participationtest.NewRand(31), 0)
	in.Settings.Eligibility = el
	in.Settings.Channels = []civickit.Channel{civickit.ChannelWeb, civickit.ChannelPaper, civickit.ChannelKiosk, civickit.ChannelMediator}
	c, err := e.core.CreateConsultation(ctx, in)
	require.NoError(t, err)
	if k != "" {
		c, err = e.core.Transition(ctx, c.ID, participation.TransitionRequest{To: k, Actor: "organiser"})
		require.NoError(t, err)
	}
	return c
}

// questionnaire creates the fixture questionnaire in c, edited by edit.
func (e *respEnv) questionnaire(t *testing.T, c *participation.Consultation, edit func(*questionnaire.Questionnaire)) *questionnaire.Questionnaire {
	t.Helper()
	in := *fixtureQuestionnaire()
	in.ConsultationID = c.ID
	if edit != nil {
		edit(&in)
	}
	q, err := e.svc.CreateQuestionnaire(context.Background(), in)
	require.NoError(t, err)
	return q
}

// person registers a participant living in territory, born in 1980.
func (e *respEnv) person(t *testing.T, i int, territory string) uuid.UUID {
	t.Helper()
	p, err := e.core.RegisterParticipant(context.Background(), &participation.PersonalData{
		Name: fmt.Sprintf("Personne %d", i), Email: fmt.Sprintf("p%d@example.org", i), Territory: territory,
		BirthDate: civickit.PartialDate{Year: 1980},
	})
	require.NoError(t, err)
	return p.ID
}

func web(q *questionnaire.Questionnaire, pid uuid.UUID, answers []questionnaire.Answer) questionnaire.SubmitRequest {
	return questionnaire.SubmitRequest{
		QuestionnaireID: q.ID,
		Respondent:      participation.Respondent{ParticipantID: pid, Recruitment: participation.RecruitOpenCall},
		Provenance:      civickit.Provenance{Channel: civickit.ChannelWeb},
		Answers:         answers,
	}
}

func TestSubmit(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{Territories: []string{"69123"}})
	q := e.questionnaire(t, c, nil)
	alice, bob, outsider := e.person(t, 1, "69123"), e.person(t, 2, "69123"), e.person(t, 3, "75056")

	r, replayed, err := e.svc.Submit(ctx, web(q, alice, minimal("bus")))
	require.NoError(t, err)
	assert.False(t, replayed)
	assert.Equal(t, alice, r.Respondent.ParticipantID, "a named questionnaire keeps the respondent")
	assert.Equal(t, civickit.ChannelWeb, r.Provenance.Channel)
	assert.Equal(t, e.clock.now().UTC(), r.SubmittedAt)
	assert.Equal(t, uuid.Version(4), r.ID.Version(), "response IDs are random")

	tests := []struct {
		name string
		req  func() questionnaire.SubmitRequest
		is   error
		rule []string
	}{
		{"again on the web", func() questionnaire.SubmitRequest { return web(q, alice, minimal("bus")) }, participation.ErrConflict, nil},
		{"again on paper", func() questionnaire.SubmitRequest {
			r := web(q, alice, minimal("velo"))
			r.Provenance = civickit.Provenance{Channel: civickit.ChannelPaper, CollectedBy: "agent-1", Place: "mairie"}
			return r
		}, participation.ErrConflict, nil},
		{"not eligible", func() questionnaire.SubmitRequest { return web(q, outsider, minimal("bus")) }, participation.ErrNotEligible, nil},
		{"unknown participant", func() questionnaire.SubmitRequest { return web(q, uuid.New(), minimal("bus")) }, participation.ErrNotFound, nil},
		{"broken answers", func() questionnaire.SubmitRequest { return web(q, bob, minimal("bus")[:2]) }, participation.ErrInvalid, []string{"answers.satisfaction:required"}},
		{"no recruitment", func() questionnaire.SubmitRequest {
			r := web(q, bob, minimal("bus"))
			r.Respondent.Recruitment = ""
			return r
		}, participation.ErrInvalid, []string{"respondent.recruitment:oneof"}},
		{"paper without agent", func() questionnaire.SubmitRequest {
			r := web(q, bob, minimal("bus"))
			r.Provenance = civickit.Provenance{Channel: civickit.ChannelPaper, Place: "mairie"}
			return r
		}, participation.ErrInvalid, []string{"provenance.collected_by:required"}},
		{"channel not offered", func() questionnaire.SubmitRequest {
			r := web(q, bob, minimal("bus"))
			r.Provenance = civickit.Provenance{Channel: civickit.ChannelImport, CollectedBy: "job-1"}
			return r
		}, participation.ErrInvalid, []string{"provenance.channel:offered"}},
		{"kiosk not listed", func() questionnaire.SubmitRequest {
			r := web(q, bob, minimal("bus"))
			r.Provenance = civickit.Provenance{Channel: civickit.ChannelKiosk, Place: "gare"}
			return r
		}, participation.ErrInvalid, []string{"provenance.place:access_point"}},
		{"unknown questionnaire", func() questionnaire.SubmitRequest {
			r := web(q, bob, minimal("bus"))
			r.QuestionnaireID = uuid.New()
			return r
		}, participation.ErrNotFound, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := e.store.CountResponses(ctx, q.ID)
			require.NoError(t, err)
			_, _, err = e.svc.Submit(ctx, tt.req())
			require.ErrorIs(t, err, tt.is)
			if tt.rule != nil {
				assert.Equal(t, tt.rule, brokenRules(err))
			}
			after, err := e.store.CountResponses(ctx, q.ID)
			require.NoError(t, err)
			assert.Equal(t, before, after, "nothing stored")
		})
	}

	var ee *participation.EligibilityError
	_, _, err = e.svc.Submit(ctx, web(q, outsider, minimal("bus")))
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, "territory", ee.Rule)

	// Through a listed kiosk, a self-constituted panel's member.
	req := web(q, bob, minimal("marche"))
	req.Provenance = civickit.Provenance{Channel: civickit.ChannelKiosk, Place: "bm-part-dieu"}
	req.Respondent.Recruitment = participation.RecruitSelfPanel
	r, _, err = e.svc.Submit(ctx, req)
	require.NoError(t, err)
	got, err := e.svc.GetResponse(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, req.Provenance, got.Provenance)
	assert.Equal(t, participation.RecruitSelfPanel, got.Respondent.Recruitment)
	ok, err := e.svc.HasResponded(ctx, q.ID, bob)
	require.NoError(t, err)
	assert.True(t, ok)
}

func TestSubmitPhaseAndClosing(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseDebate, participation.Eligibility{})
	q := e.questionnaire(t, c, nil)
	p := e.person(t, 1, "69123")

	_, _, err := e.svc.Submit(ctx, web(q, p, minimal("bus")))
	var pe *participation.PhaseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, participation.PhaseError{Action: participation.ActionRespond, Phase: participation.PhaseDebate}, *pe)

	_, err = e.core.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseExpression, Actor: "organiser"})
	require.NoError(t, err)
	_, _, err = e.svc.Submit(ctx, web(q, p, minimal("bus")))
	require.NoError(t, err)

	closed, err := e.svc.CloseQuestionnaire(ctx, q.ID)
	require.NoError(t, err)
	assert.False(t, closed.ClosedAt.IsZero())
	_, _, err = e.svc.Submit(ctx, web(q, e.person(t, 2, "69123"), minimal("bus")))
	assert.ErrorIs(t, err, participation.ErrIllegalTransition, "a closed questionnaire takes no response")
	_, err = e.svc.CloseQuestionnaire(ctx, q.ID)
	assert.ErrorIs(t, err, participation.ErrIllegalTransition)

	n, err := e.store.CountResponses(ctx, q.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}

func TestSubmitIdempotent(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	q := e.questionnaire(t, c, nil)
	p := e.person(t, 1, "69123")
	req := web(q, p, minimal("bus"))
	req.IdempotencyKey = "0b6c7f7e-form"
	first, replayed, err := e.svc.Submit(ctx, req)
	require.NoError(t, err)
	require.False(t, replayed)
	e.clock.add(time.Minute)
	again, replayed, err := e.svc.Submit(ctx, req)
	require.NoError(t, err)
	assert.True(t, replayed)
	assert.Equal(t, first.ID, again.ID)
	assert.True(t, first.SubmittedAt.Equal(again.SubmittedAt))

	// A retry is answered even after the phase has moved on.
	_, err = e.core.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseEvaluation, Actor: "organiser"})
	require.NoError(t, err)
	again, replayed, err = e.svc.Submit(ctx, req)
	require.NoError(t, err)
	assert.True(t, replayed)
	assert.Equal(t, first.ID, again.ID)

	// Concurrent retries of one form store it once.
	q2 := e.questionnaire(t, e.consultation(t, participation.PhaseExpression, participation.Eligibility{}), nil)
	req = web(q2, p, minimal("velo"))
	req.IdempotencyKey = "double-click"
	ids := make([]uuid.UUID, 8)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			r, _, err := e.svc.Submit(ctx, req)
			if assert.NoError(t, err) {
				ids[i] = r.ID
			}
		})
	}
	wg.Wait()
	for _, id := range ids {
		assert.Equal(t, ids[0], id)
	}
	n, err := e.store.CountResponses(ctx, q2.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}

func TestAnonymousQuestionnaire(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	q := e.questionnaire(t, c, func(q *questionnaire.Questionnaire) { q.Anonymous = true })
	p := e.person(t, 1, "69123")
	r, _, err := e.svc.Submit(ctx, web(q, p, minimal("bus")))
	require.NoError(t, err)
	assert.Equal(t, uuid.Nil, r.Respondent.ParticipantID)
	got, err := e.svc.GetResponse(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, uuid.Nil, got.Respondent.ParticipantID, "the stored response does not name its respondent")
	_, _, err = e.svc.Submit(ctx, web(q, p, minimal("velo")))
	assert.ErrorIs(t, err, participation.ErrConflict, "still one response per person")
}

func TestQuestionnaireGuards(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	anon := e.questionnaire(t, c, func(q *questionnaire.Questionnaire) { q.Anonymous = true })
	assert.Equal(t, questionnaire.ResultsLive, anon.Results, "the fixture's visibility")
	hidden := e.questionnaire(t, c, func(q *questionnaire.Questionnaire) { q.Results = "" })
	assert.Equal(t, questionnaire.ResultsAfterClose, hidden.Results, "hidden until closed by default")

	named := *anon
	named.Anonymous = false
	_, err := e.svc.UpdateQuestionnaire(ctx, named)
	var te *participation.TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, participation.TransitionError{Entity: "questionnaire", From: "anonymous", To: "named"}, *te)

	early := *hidden
	early.Results = questionnaire.ResultsLive
	_, err = e.svc.UpdateQuestionnaire(ctx, early)
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "results_after_close", te.From)

	retitled := *hidden
	retitled.Title = "Nouveau titre"
	retitled.Questions = retitled.Questions[:5]
	up, err := e.svc.UpdateQuestionnaire(ctx, retitled)
	require.NoError(t, err, "questions may change before the first response")
	assert.Equal(t, 2, up.Version)

	_, _, err = e.svc.Submit(ctx, web(up, e.person(t, 1, "69123"), minimal("bus")))
	require.NoError(t, err)
	frozen := *up
	frozen.Questions = frozen.Questions[:4]
	_, err = e.svc.UpdateQuestionnaire(ctx, frozen)
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "answered", te.From)
	up.Description = "Précisions"
	up, err = e.svc.UpdateQuestionnaire(ctx, *up)
	require.NoError(t, err, "the rest may still change")

	_, err = e.svc.CloseQuestionnaire(ctx, up.ID)
	require.NoError(t, err)
	up.Version++
	_, err = e.svc.UpdateQuestionnaire(ctx, *up)
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "closed", te.From)

	list := participationtest.ReadAll(t, 1, func(after string, limit int) (civickit.Page[questionnaire.Questionnaire], error) {
		return e.svc.ListQuestionnaires(ctx, c.ID, after, limit)
	})
	assert.Len(t, list, 2)

	// A closed consultation gets no new questionnaire.
	_, err = e.core.Transition(ctx, c.ID, participation.TransitionRequest{Actor: "organiser"})
	require.NoError(t, err)
	in := *fixtureQuestionnaire()
	in.ConsultationID = c.ID
	_, err = e.svc.CreateQuestionnaire(ctx, in)
	assert.True(t, errors.Is(err, participation.ErrIllegalTransition), "got %v", err)
}

func TestImportResponses(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	c.Settings.Channels = nil // every channel, import included
	c, err := e.core.UpdateConsultation(ctx, *c)
	require.NoError(t, err)
	q := e.questionnaire(t, c, nil)
	imported := func(pid uuid.UUID, transport string) questionnaire.SubmitRequest {
		r := web(q, pid, minimal(transport))
		r.Provenance = civickit.Provenance{Channel: civickit.ChannelImport, CollectedBy: "import-ville-2025"}
		r.Respondent.Recruitment = participation.RecruitStratified
		return r
	}
	people := []uuid.UUID{e.person(t, 1, "69123"), e.person(t, 2, "69123"), e.person(t, 3, "69123")}
	rs, err := e.svc.ImportResponses(ctx, []questionnaire.SubmitRequest{imported(people[0], "bus"), imported(people[1], "velo")})
	require.NoError(t, err)
	require.Len(t, rs, 2)
	got, err := e.svc.GetResponse(ctx, rs[1].ID)
	require.NoError(t, err)
	assert.Equal(t, civickit.ChannelImport, got.Provenance.Channel)
	assert.Equal(t, participation.RecruitStratified, got.Respondent.Recruitment)

	refused := []struct {
		name  string
		reqs  []questionnaire.SubmitRequest
		is    error
		rules []string
	}{
		{"already responded", []questionnaire.SubmitRequest{imported(people[2], "bus"), imported(people[0], "bus")}, participation.ErrConflict, nil},
		{"twice in the batch", []questionnaire.SubmitRequest{imported(people[2], "bus"), imported(people[2], "velo")}, participation.ErrConflict, nil},
		{"broken answers", []questionnaire.SubmitRequest{imported(people[2], "bus"), web(q, people[2], minimal("bus")[:2])},
			participation.ErrInvalid, []string{"responses[1].answers.satisfaction:required"}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.ImportResponses(ctx, tt.reqs)
			require.ErrorIs(t, err, tt.is)
			if tt.rules != nil {
				assert.Equal(t, tt.rules, brokenRules(err))
			}
			ok, err := e.svc.HasResponded(ctx, q.ID, people[2])
			require.NoError(t, err)
			assert.False(t, ok, "nothing of a refused import is stored")
		})
	}
}
