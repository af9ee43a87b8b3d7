package questionnaire_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/questionnaire"
)

func TestPaperDoubleKeying(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{Territories: []string{"69123"}})
	q := e.questionnaire(t, c, nil)
	people := []uuid.UUID{e.person(t, 1, "69123"), e.person(t, 2, "69123"), e.person(t, 3, "69123"), e.person(t, 4, "69123"), e.person(t, 5, "13055")}

	// Person 4 already answered on the web.
	_, _, err := e.svc.Submit(ctx, web(q, people[3], minimal("bus")))
	require.NoError(t, err)

	_, err = e.svc.CreatePaperBatch(ctx, questionnaire.PaperBatch{QuestionnaireID: q.ID, Label: "Urne", Forms: 0})
	assert.Equal(t, []string{"collected_by:required", "place:required", "forms:gte"}, brokenRules(err))
	b, err := e.svc.CreatePaperBatch(ctx, questionnaire.PaperBatch{
		QuestionnaireID: q.ID, Label: "Urne de la mairie annexe", CollectedBy: "agent-12", Place: "mairie-annexe-3",
		Forms: 6, DoubleKeying: true,
	})
	require.NoError(t, err)
	assert.Equal(t, questionnaire.BatchOpen, b.Status)

	entry := func(form int, pass questionnaire.Pass, agent string, pid uuid.UUID, answers []questionnaire.Answer) questionnaire.PaperEntry {
		return questionnaire.PaperEntry{
			BatchID: b.ID, Form: form, Pass: pass, Agent: agent,
			Respondent: participation.Respondent{ParticipantID: pid, Recruitment: participation.RecruitRandomSample},
			Answers:    answers,
		}
	}
	key := func(en questionnaire.PaperEntry) {
		t.Helper()
		_, err := e.svc.KeyPaperForm(ctx, en)
		require.NoError(t, err)
	}
	// Form 1: both agents agree (choices keyed in another order).
	a1 := append(minimal("velo"), choices("ameliorations", "bancs", "arbres"))
	a2 := append(minimal("velo"), choices("ameliorations", "arbres", "bancs"))
	key(entry(1, questionnaire.PassFirst, "agent-a", people[0], a1))
	key(entry(1, questionnaire.PassSecond, "agent-b", people[0], a2))
	// Form 2: they disagree on the scale and the respondent.
	d2 := minimal("bus")
	d2[1] = number("frequence", 4)
	key(entry(2, questionnaire.PassFirst, "agent-a", people[1], minimal("bus")))
	key(entry(2, questionnaire.PassSecond, "agent-b", people[2], d2))
	// Form 3: only the first pass so far.
	key(entry(3, questionnaire.PassFirst, "agent-a", people[2], minimal("marche")))
	// Form 4: person 4, who answered on the web; form 5: not eligible;
	// form 6: spoiled, by both.
	key(entry(4, questionnaire.PassFirst, "agent-a", people[3], minimal("marche")))
	key(entry(4, questionnaire.PassSecond, "agent-b", people[3], minimal("marche")))
	key(entry(5, questionnaire.PassFirst, "agent-a", people[4], minimal("marche")))
	key(entry(5, questionnaire.PassSecond, "agent-b", people[4], minimal("marche")))
	key(questionnaire.PaperEntry{BatchID: b.ID, Form: 6, Pass: questionnaire.PassFirst, Agent: "agent-a", Spoiled: true})
	key(questionnaire.PaperEntry{BatchID: b.ID, Form: 6, Pass: questionnaire.PassSecond, Agent: "agent-b", Spoiled: true})

	refusals := []struct {
		name  string
		entry questionnaire.PaperEntry
		is    error
		rules []string
	}{
		{"same agent twice", entry(3, questionnaire.PassSecond, "agent-a", people[2], minimal("marche")), participation.ErrInvalid, []string{"agent:second_agent"}},
		{"pass keyed twice", entry(1, questionnaire.PassFirst, "agent-c", people[0], a1), participation.ErrConflict, nil},
		{"form out of batch", entry(7, questionnaire.PassFirst, "agent-a", people[0], a1), participation.ErrInvalid, []string{"form:form_number"}},
		{"bad pass", entry(3, 3, "agent-c", people[2], a1), participation.ErrInvalid, []string{"pass:oneof"}},
		{"broken answers", entry(3, questionnaire.PassSecond, "agent-b", people[2], minimal("marche")[:1]), participation.ErrInvalid,
			[]string{"answers.frequence:required", "answers.satisfaction:required"}},
		{"spoiled with answers", questionnaire.PaperEntry{BatchID: b.ID, Form: 3, Pass: questionnaire.PassSecond, Agent: "agent-b", Spoiled: true, Answers: minimal("bus")},
			participation.ErrInvalid, []string{"answers:excluded_with"}},
		{"no respondent", entry(3, questionnaire.PassSecond, "agent-b", uuid.Nil, minimal("marche")), participation.ErrInvalid, []string{"respondent.participant_id:required"}},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.KeyPaperForm(ctx, tt.entry)
			require.ErrorIs(t, err, tt.is)
			if tt.rules != nil {
				assert.Equal(t, tt.rules, brokenRules(err))
			}
		})
	}

	rec, err := e.svc.ReconcilePaperBatch(ctx, b.ID)
	require.NoError(t, err)
	states := map[int]questionnaire.FormState{}
	for _, f := range rec.Forms {
		states[f.Form] = f.State
	}
	assert.Equal(t, map[int]questionnaire.FormState{1: "agreed", 2: "disputed", 3: "pending", 4: "agreed", 5: "agreed", 6: "agreed"}, states)
	assert.Equal(t, []string{"respondent", "answers.frequence"}, rec.Forms[1].Differences)
	assert.Equal(t, [4]int{1, 4, 1, 0}, [4]int{rec.Pending, rec.Agreed, rec.Disputed, rec.Resolved})

	_, err = e.svc.CommitPaperBatch(ctx, b.ID)
	var re *questionnaire.ReconcileError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, []int{3}, re.Pending)
	assert.Equal(t, []int{2}, re.Disputed)
	assert.ErrorIs(t, err, participation.ErrIllegalTransition)

	_, err = e.svc.ResolvePaperForm(ctx, entry(1, 0, "superviseur", people[0], a1))
	assert.ErrorIs(t, err, participation.ErrIllegalTransition, "only a disputed form is resolved")
	key(entry(3, questionnaire.PassSecond, "agent-b", people[2], minimal("marche")))
	_, err = e.svc.ResolvePaperForm(ctx, entry(2, 0, "superviseur", people[1], d2))
	require.NoError(t, err)
	rec, err = e.svc.ReconcilePaperBatch(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, questionnaire.FormResolved, rec.Forms[1].State)
	assert.Equal(t, people[1], rec.Forms[1].Final.Respondent.ParticipantID)

	rep, err := e.svc.CommitPaperBatch(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3}, rep.Stored)
	assert.Equal(t, []int{4}, rep.Duplicates, "one response per person across channels")
	assert.Equal(t, []int{6}, rep.Spoiled)
	assert.Equal(t, map[int]string{5: "not eligible: territory=69123"}, rep.Refused)
	assert.Equal(t, questionnaire.BatchCommitted, rep.Batch.Status)
	assert.Equal(t, 3, rep.Batch.Committed)

	// The responses carry the paper provenance and the batch.
	var fromPaper int
	require.NoError(t, e.store.StreamResponses(ctx, q.ID, func(r *questionnaire.Response) error {
		if r.Provenance.Channel != civickit.ChannelPaper {
			return nil
		}
		fromPaper++
		assert.Equal(t, civickit.Provenance{Channel: civickit.ChannelPaper, CollectedBy: "agent-12", Place: "mairie-annexe-3"}, r.Provenance)
		if assert.NotNil(t, r.BatchID) {
			assert.Equal(t, b.ID, *r.BatchID)
		}
		assert.Equal(t, participation.RecruitRandomSample, r.Respondent.Recruitment)
		return nil
	}))
	assert.Equal(t, 3, fromPaper)
	for _, p := range people[:3] {
		ok, err := e.svc.HasResponded(ctx, q.ID, p)
		require.NoError(t, err)
		assert.True(t, ok)
	}
	got, err := e.svc.GetResponse(ctx, mustResponseByKey(t, e, q.ID, "paper:"+b.ID.String()+":2").ID)
	require.NoError(t, err)
	assert.Equal(t, float64(4), *got.Answers[1].Number, "the resolution counts")

	_, err = e.svc.CommitPaperBatch(ctx, b.ID)
	assert.ErrorIs(t, err, participation.ErrIllegalTransition, "a batch is committed once")
	_, err = e.svc.KeyPaperForm(ctx, entry(1, questionnaire.PassFirst, "agent-c", people[0], a1))
	assert.ErrorIs(t, err, participation.ErrIllegalTransition, "a committed batch takes no keying")
}

func mustResponseByKey(t *testing.T, e *respEnv, qid uuid.UUID, key string) *questionnaire.Response {
	t.Helper()
	r, err := e.store.ResponseByKey(context.Background(), qid, key)
	require.NoError(t, err)
	return r
}

func TestPaperSingleKeying(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	q := e.questionnaire(t, c, nil)
	p := e.person(t, 1, "69123")
	b, err := e.svc.CreatePaperBatch(ctx, questionnaire.PaperBatch{
		QuestionnaireID: q.ID, Label: "Permanence", CollectedBy: "mediateur-2", Place: "centre-social", Forms: 1,
	})
	require.NoError(t, err)
	en := questionnaire.PaperEntry{BatchID: b.ID, Form: 1, Pass: questionnaire.PassSecond, Agent: "a",
		Respondent: participation.Respondent{ParticipantID: p, Recruitment: participation.RecruitInvited}, Answers: minimal("bus")}
	_, err = e.svc.KeyPaperForm(ctx, en)
	assert.Equal(t, []string{"pass:single_keying"}, brokenRules(err))
	en.Pass = questionnaire.PassFirst
	_, err = e.svc.KeyPaperForm(ctx, en)
	require.NoError(t, err)
	rep, err := e.svc.CommitPaperBatch(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, []int{1}, rep.Stored)

	// A consultation without the paper channel has no batches.
	c2 := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	c2.Settings.Channels = []civickit.Channel{civickit.ChannelWeb}
	c2, err = e.core.UpdateConsultation(ctx, *c2)
	require.NoError(t, err)
	q2 := e.questionnaire(t, c2, nil)
	_, err = e.svc.CreatePaperBatch(ctx, questionnaire.PaperBatch{QuestionnaireID: q2.ID, Label: "x", CollectedBy: "a", Place: "b", Forms: 1})
	assert.Equal(t, []string{"channel:offered"}, brokenRules(err))
}
