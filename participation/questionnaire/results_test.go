package questionnaire_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/participation/questionnaire"
	"github.com/civickit/civickit/participation/questionnaire/questionnairetest"
)

// importRandom stores n random valid responses to q (from the
// participationtest generators) straight into the store and returns them.
func importRandom(t *testing.T, e *respEnv, q *questionnaire.Questionnaire, n int, seed uint64) []*questionnaire.Response {
	t.Helper()
	ctx := context.Background()
	rng := participationtest.NewRand(seed)
	subs := make([]questionnaire.Submission, n)
	out := make([]*questionnaire.Response, n)
	for i := range subs {
		p, _ := participationtest.NewParticipant(rng, i)
		require.NoError(t, e.store.CreateParticipant(ctx, p, nil))
		out[i] = questionnairetest.NewResponse(rng, q, p.ID, i*3600)
		subs[i] = questionnaire.Submission{ParticipantID: p.ID, Response: out[i]}
	}
	require.NoError(t, e.store.ImportResponses(ctx, subs))
	return out
}

// expectedCounts tallies responses the plain way: for every question and
// value key, the total and the splits.
func expectedCounts(q *questionnaire.Questionnaire, rs []*questionnaire.Response) map[string]questionnaire.Breakdown {
	out := map[string]questionnaire.Breakdown{}
	bump := func(key string, r *questionnaire.Response) {
		b := out[key]
		b.Total++
		if b.ByChannel == nil {
			b.ByChannel, b.ByRecruitment = map[civickit.Channel]int{}, map[participation.Recruitment]int{}
		}
		b.ByChannel[r.Provenance.Channel]++
		b.ByRecruitment[r.Respondent.Recruitment]++
		out[key] = b
	}
	for _, r := range rs {
		bump("responses", r)
		for _, a := range r.Answers {
			qq := q.Question(a.Question)
			bump(a.Question+"/answered", r)
			switch qq.Type {
			case questionnaire.QuestionRanking:
				for i, c := range a.Choices {
					bump(a.Question+"/"+c+"@"+strconv.Itoa(i+1), r)
				}
			case questionnaire.QuestionMatrixSingle, questionnaire.QuestionMatrixMultiple, questionnaire.QuestionMajority, questionnaire.QuestionScore:
				for row, cols := range a.Matrix {
					for _, c := range cols {
						bump(a.Question+"/"+row+"="+c, r)
					}
				}
			case questionnaire.QuestionScale:
				bump(a.Question+"/"+strconv.FormatFloat(*a.Number, 'g', -1, 64), r)
			case questionnaire.QuestionSingleChoice, questionnaire.QuestionMultipleChoice:
				for _, c := range a.Choices {
					bump(a.Question+"/"+c, r)
				}
			}
		}
	}
	return out
}

func TestResultsCounts(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	q := e.questionnaire(t, c, func(q *questionnaire.Questionnaire) { q.MinGroupSize = 1 })
	rs := importRandom(t, e, q, 150, 3)

	res, err := e.svc.Results(ctx, q.ID)
	require.NoError(t, err)
	want := expectedCounts(q, rs)
	got := map[string]questionnaire.Breakdown{"responses": res.Responses}
	sum := 0.0
	n := 0
	for _, r := range rs {
		for _, a := range r.Answers {
			if a.Question == "budget" {
				sum += *a.Number
				n++
			}
		}
	}
	for _, qr := range res.Questions {
		if qr.Answered.Total > 0 {
			got[qr.Question+"/answered"] = qr.Answered
		}
		for _, cnt := range qr.Counts {
			if cnt.Total > 0 {
				got[qr.Question+"/"+cnt.Key] = cnt.Breakdown
			}
		}
		if qr.Question == "budget" {
			require.NotNil(t, qr.Number)
			assert.Equal(t, n, qr.Number.Count)
			assert.InDelta(t, sum/float64(n), qr.Number.Mean, 1e-9)
		}
		if qr.Type.Text() {
			assert.Empty(t, qr.Counts, "free text is not tallied")
		}
	}
	assert.Equal(t, want, got)
	assert.Equal(t, 150, res.Responses.Total)
}

func TestMajorityGrades(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	q := e.questionnaire(t, c, func(q *questionnaire.Questionnaire) { q.MinGroupSize = 1 })
	// p1: TB TB B P P -> bien (the third of five); p2: TB B P P -> passable
	// (the lower of the two middle grades); p3 no grade below bien.
	grades := [][3]string{
		{"tres_bien", "tres_bien", "bien"}, {"tres_bien", "bien", "bien"}, {"bien", "passable", "tres_bien"},
		{"passable", "passable", "bien"}, {"passable", "", ""},
	}
	for i, g := range grades {
		ans := minimal("bus")
		if g[1] != "" {
			ans = append(ans, matrix("projets", map[string][]string{"p1": {g[0]}, "p2": {g[1]}, "p3": {g[2]}}))
		} else {
			ans[0] = choices("transport", "velo") // p1 only is impossible: every candidate is graded
			ans = append(ans, matrix("projets", map[string][]string{"p1": {g[0]}, "p2": {"a_rejeter"}, "p3": {"bien"}}))
		}
		_, _, err := e.svc.Submit(ctx, web(q, e.person(t, i, "69123"), ans))
		require.NoError(t, err)
	}
	res, err := e.svc.Results(ctx, q.ID)
	require.NoError(t, err)
	for _, qr := range res.Questions {
		if qr.Question == "projets" {
			// p2 got TB B P P and a_rejeter: lower median of five is P.
			assert.Equal(t, map[string]string{"p1": "bien", "p2": "passable", "p3": "bien"}, qr.MajorityGrades)
		}
	}
}

func TestResultsSuppression(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	q := e.questionnaire(t, c, nil) // k = 5
	submit := func(i int, ch civickit.Channel, rec participation.Recruitment) {
		req := web(q, e.person(t, i, "69123"), minimal("bus"))
		req.Respondent.Recruitment = rec
		if ch != civickit.ChannelWeb {
			req.Provenance = civickit.Provenance{Channel: ch, CollectedBy: "agent", Place: "bm-part-dieu"}
		}
		_, _, err := e.svc.Submit(ctx, req)
		require.NoError(t, err)
	}
	for i := range 7 {
		submit(i, civickit.ChannelWeb, participation.RecruitOpenCall)
	}
	submit(10, civickit.ChannelPaper, participation.RecruitOpenCall)
	submit(11, civickit.ChannelPaper, participation.RecruitOpenCall)
	submit(12, civickit.ChannelMediator, participation.RecruitOpenCall)
	for i := range 6 {
		submit(20+i, civickit.ChannelKiosk, participation.RecruitSelfPanel)
	}
	res, err := e.svc.Results(ctx, q.ID)
	require.NoError(t, err)
	assert.Equal(t, 5, res.K)
	assert.Equal(t, questionnaire.Breakdown{
		Total:         16,
		ByChannel:     map[civickit.Channel]int{civickit.ChannelWeb: 7, civickit.ChannelKiosk: 6},
		ByRecruitment: map[participation.Recruitment]int{participation.RecruitOpenCall: 10, participation.RecruitSelfPanel: 6},
		Suppressed:    []string{"channel:mediator", "channel:paper"},
	}, res.Responses)
	for _, qr := range res.Questions {
		if qr.Question != "transport" {
			continue
		}
		bus := qr.Counts[0]
		require.Equal(t, "bus", bus.Key)
		assert.Equal(t, 16, bus.Total, "totals are not suppressed")
	}
	// One small cell alone would be given away by the total: its
	// smallest neighbour goes too.
	e2 := newRespEnv(t)
	c2 := e2.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	q2 := e2.questionnaire(t, c2, nil)
	for i := range 8 {
		req := web(q2, e2.person(t, i, "69123"), minimal("bus"))
		if i < 2 {
			req.Provenance = civickit.Provenance{Channel: civickit.ChannelPaper, CollectedBy: "agent", Place: "mairie"}
		}
		_, _, err := e2.svc.Submit(ctx, req)
		require.NoError(t, err)
	}
	res, err = e2.svc.Results(ctx, q2.ID)
	require.NoError(t, err)
	assert.Empty(t, res.Responses.ByChannel)
	assert.Equal(t, []string{"channel:paper", "channel:web"}, res.Responses.Suppressed)
	assert.Equal(t, map[participation.Recruitment]int{participation.RecruitOpenCall: 8}, res.Responses.ByRecruitment)
}

func TestResultsVisibility(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	hidden := e.questionnaire(t, c, func(q *questionnaire.Questionnaire) { q.Results = questionnaire.ResultsAfterClose })
	live := e.questionnaire(t, c, nil)
	other := e.questionnaire(t, c, func(q *questionnaire.Questionnaire) { q.Results = questionnaire.ResultsAfterClose })

	_, err := e.svc.Results(ctx, hidden.ID)
	assert.ErrorIs(t, err, participation.ErrHidden)
	_, err = e.svc.Export(ctx, discard{}, hidden.ID, questionnaire.ExportOptions{Format: questionnaire.ExportCSV})
	assert.ErrorIs(t, err, participation.ErrHidden)
	_, err = e.svc.Results(ctx, live.ID)
	assert.NoError(t, err)
	_, err = e.svc.Results(ctx, uuid.New())
	assert.ErrorIs(t, err, participation.ErrNotFound)

	_, err = e.svc.CloseQuestionnaire(ctx, hidden.ID)
	require.NoError(t, err)
	_, err = e.svc.Results(ctx, hidden.ID)
	assert.NoError(t, err, "visible once closed by hand")

	_, err = e.svc.Results(ctx, other.ID)
	assert.ErrorIs(t, err, participation.ErrHidden)
	_, err = e.core.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseEvaluation, Actor: "organiser"})
	require.NoError(t, err)
	_, err = e.svc.Results(ctx, other.ID)
	assert.NoError(t, err, "visible once the consultation has left the expression phase")
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
