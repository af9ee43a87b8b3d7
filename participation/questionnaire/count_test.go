package questionnaire_test

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/questionnaire"
	"github.com/civickit/civickit/voting"
)

// The outcome of every counted question is what package voting finds on
// the same ballots, built here the plain way from the responses.
func TestResultsOutcomes(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	q := e.questionnaire(t, c, func(q *questionnaire.Questionnaire) { q.MinGroupSize = 1 })
	rs := importRandom(t, e, q, 120, 11)
	res, err := e.svc.Results(ctx, q.ID)
	require.NoError(t, err)
	byID := map[string]questionnaire.QuestionResult{}
	for _, qr := range res.Questions {
		byID[qr.Question] = qr
		if !qr.Type.Counted() {
			assert.Nil(t, qr.Outcome, "%s is not counted by a method", qr.Question)
		}
	}
	answers := func(id string) []questionnaire.Answer {
		var out []questionnaire.Answer
		for _, r := range rs {
			for _, a := range r.Answers {
				if a.Question == id {
					out = append(out, a)
				}
			}
		}
		return out
	}
	reg := voting.NewRegistry()
	run := func(method string, in voting.Input) *voting.Result {
		m, err := reg.Lookup(method)
		require.NoError(t, err)
		r, err := m.Run(in, voting.Options{})
		require.NoError(t, err)
		return r
	}

	// Ranking: Schulze over the rankings, unranked options last.
	prio := q.Question("priorites")
	ids := []string{"securite", "proprete", "verdure", "calme"}
	prof, err := voting.NewProfile(ids, voting.UnrankedLast)
	require.NoError(t, err)
	for _, a := range answers("priorites") {
		var r voting.Ranking
		for _, ch := range a.Choices {
			r = append(r, []int{slices.Index(ids, ch)})
		}
		require.NoError(t, prof.Add(r, 1))
	}
	require.NotNil(t, byID["priorites"].Outcome)
	assert.Equal(t, run("schulze", voting.Input{Ranked: prof}), byID["priorites"].Outcome)
	assert.Equal(t, ids, byID["priorites"].Outcome.Candidates, "candidates are the options of %s", prio.ID)

	// Multiple choice: approval scores are the counts of each option.
	appr := byID["ameliorations"].Outcome
	require.NotNil(t, appr)
	assert.Equal(t, "approval", appr.Method)
	for i, opt := range appr.Candidates {
		n := 0
		for _, a := range answers("ameliorations") {
			if slices.Contains(a.Choices, opt) {
				n++
			}
		}
		assert.Equal(t, float64(n), appr.Scores[i], opt)
	}

	// Majority judgment: the majority grade of each candidate is the
	// lower median of its grades (best first).
	mj := byID["projets"]
	require.NotNil(t, mj.Outcome)
	assert.Equal(t, "majority-judgment", mj.Outcome.Method)
	grades := []string{"tres_bien", "bien", "passable", "insuffisant", "a_rejeter"}
	for _, row := range []string{"p1", "p2", "p3"} {
		var got []int
		for _, a := range answers("projets") {
			got = append(got, slices.Index(grades, a.Matrix[row][0]))
		}
		slices.Sort(got) // best first
		assert.Equal(t, grades[got[len(got)/2]], mj.MajorityGrades[row], "lower median of %s", row)
	}

	// Score grid: sums, a blank counting as the minimum.
	sc := byID["equipements"].Outcome
	require.NotNil(t, sc)
	assert.Equal(t, "score", sc.Method)
	for i, row := range sc.Candidates {
		sum := 0
		for _, a := range answers("equipements") {
			if v := a.Matrix[row]; len(v) == 1 {
				n, err := strconv.Atoi(v[0])
				require.NoError(t, err)
				sum += n
			}
		}
		assert.Equal(t, float64(sum), sc.Scores[i], row)
	}
	assert.Equal(t, int64(len(answers("equipements"))), sc.Ballots)
}

// The lower median of an even number of grades is the worse middle one,
// as in TestMajorityGrades, and ties are broken by the majority gauge.
func TestMajorityJudgmentWinner(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	q := e.questionnaire(t, c, func(q *questionnaire.Questionnaire) { q.MinGroupSize = 1 })
	// p1 and p2 both get "bien" as majority grade; p1 has more grades
	// above it (proponents): p1 wins. p3 is "passable".
	for i, g := range [][3]string{
		{"tres_bien", "bien", "passable"}, {"tres_bien", "bien", "passable"}, {"bien", "bien", "bien"},
		{"passable", "passable", "insuffisant"}, {"bien", "insuffisant", "a_rejeter"},
	} {
		ans := append(minimal("bus"), matrix("projets", map[string][]string{"p1": {g[0]}, "p2": {g[1]}, "p3": {g[2]}}))
		_, _, err := e.svc.Submit(ctx, web(q, e.person(t, i, "69123"), ans))
		require.NoError(t, err)
	}
	res, err := e.svc.Results(ctx, q.ID)
	require.NoError(t, err)
	for _, qr := range res.Questions {
		if qr.Question != "projets" {
			continue
		}
		assert.Equal(t, map[string]string{"p1": "bien", "p2": "bien", "p3": "passable"}, qr.MajorityGrades)
		require.NotNil(t, qr.Outcome)
		assert.Equal(t, [][]int{{0}, {1}, {2}}, qr.Outcome.Ranking)
		assert.Equal(t, []int{0}, qr.Outcome.Elected)
	}
}

func TestScoreGrid(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	grid := questionnaire.Question{ID: "equipements", Type: questionnaire.QuestionScore, Title: "Notez",
		Rows: []questionnaire.Option{{ID: "kiosque", Label: "Kiosque"}, {ID: "fontaine", Label: "Fontaine"}}, Min: num(0), Max: num(5)}

	bad := []struct {
		name  string
		edit  func(q *questionnaire.Question)
		rules []string
	}{
		{"no bounds", func(q *questionnaire.Question) { q.Min, q.Max = nil, nil }, []string{"questions[0].min:required"}},
		{"options", func(q *questionnaire.Question) { q.Options = q.Rows }, []string{"questions[0].options:excluded_with"}},
		{"no rows", func(q *questionnaire.Question) { q.Rows = nil }, []string{"questions[0].rows:min"}},
		{"unknown method", func(q *questionnaire.Question) { q.Method = "dictator" }, []string{"questions[0].method:method"}},
		{"a ranked method", func(q *questionnaire.Question) { q.Method = "borda" }, []string{"questions[0].method:ballots_of"}},
		{"a method of other ballots", func(q *questionnaire.Question) { q.Method = "majority-judgment" }, []string{"questions[0].method:ballots_of"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			qq := grid
			tt.edit(&qq)
			err := e.svc.ValidateQuestionnaire(&questionnaire.Questionnaire{Title: "t", Results: questionnaire.ResultsLive,
				Questions: []questionnaire.Question{qq}})
			assert.Equal(t, tt.rules, brokenRules(err))
		})
	}
	star := grid
	star.Method = "star"
	require.NoError(t, e.svc.ValidateQuestionnaire(&questionnaire.Questionnaire{Title: "t", Results: questionnaire.ResultsLive,
		Questions: []questionnaire.Question{star}}))

	q, err := e.svc.CreateQuestionnaire(ctx, questionnaire.Questionnaire{ConsultationID: c.ID, Title: "Équipements",
		Results: questionnaire.ResultsLive, MinGroupSize: 1, Questions: []questionnaire.Question{grid,
			{ID: "pourquoi", Type: questionnaire.QuestionShortText, Title: "Pourquoi la fontaine ?",
				Conditions: []questionnaire.Condition{{Question: "equipements", Kind: questionnaire.CondEquals, Value: "fontaine=5"}}}}})
	require.NoError(t, err)
	checks := []struct {
		name  string
		cells map[string][]string
		rules []string
	}{
		{"out of range", map[string][]string{"kiosque": {"6"}}, []string{"answers.equipements.kiosque:max"}},
		{"not a whole number", map[string][]string{"kiosque": {"2.5"}}, []string{"answers.equipements.kiosque:integer"}},
		{"not canonical", map[string][]string{"kiosque": {"03"}}, []string{"answers.equipements.kiosque:integer"}},
		{"two values", map[string][]string{"kiosque": {"1", "2"}}, []string{"answers.equipements.kiosque:one_per_row"}},
		{"unknown row", map[string][]string{"preau": {"1"}}, []string{"answers.equipements.preau:row"}},
	}
	for _, tt := range checks {
		assert.Equal(t, tt.rules, brokenRules(q.Check([]questionnaire.Answer{matrix("equipements", tt.cells)})), tt.name)
	}
	assert.Equal(t, []bool{true, true}, q.Displayed([]questionnaire.Answer{matrix("equipements", map[string][]string{"fontaine": {"5"}})}))
	assert.Equal(t, []bool{true, false}, q.Displayed([]questionnaire.Answer{matrix("equipements", map[string][]string{"fontaine": {"4"}})}))

	// kiosque 5+3+(blank=0) = 8, fontaine 2+4+5 = 11: fontaine wins.
	for i, cells := range []map[string][]string{
		{"kiosque": {"5"}, "fontaine": {"2"}}, {"kiosque": {"3"}, "fontaine": {"4"}}, {"fontaine": {"5"}},
	} {
		_, _, err := e.svc.Submit(ctx, web(q, e.person(t, i, "69123"), []questionnaire.Answer{matrix("equipements", cells)}))
		require.NoError(t, err)
	}
	res, err := e.svc.Results(ctx, q.ID)
	require.NoError(t, err)
	qr := res.Questions[0]
	require.NotNil(t, qr.Outcome)
	assert.Equal(t, []string{"kiosque", "fontaine"}, qr.Outcome.Candidates)
	assert.Equal(t, []float64{8, 11}, qr.Outcome.Scores)
	assert.Equal(t, []int{1}, qr.Outcome.Elected)
	counts := map[string]int{}
	for _, cnt := range qr.Counts {
		if cnt.Total > 0 {
			counts[cnt.Key] = cnt.Total
		}
	}
	assert.Equal(t, map[string]int{"kiosque=5": 1, "kiosque=3": 1, "fontaine=2": 1, "fontaine=4": 1, "fontaine=5": 1}, counts)
	assert.Equal(t, 3, qr.Answered.Total)

	var buf bytes.Buffer
	_, err = e.svc.Export(ctx, &buf, q.ID, questionnaire.ExportOptions{Format: questionnaire.ExportNDJSON,
		Columns: []string{"equipements.kiosque", "equipements.fontaine"}})
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	assert.ElementsMatch(t, []string{
		`{"equipements.kiosque":5,"equipements.fontaine":2}`,
		`{"equipements.kiosque":3,"equipements.fontaine":4}`,
		`{"equipements.kiosque":null,"equipements.fontaine":5}`,
	}, lines, "scores export as numbers")
}

// A question may name another method of its ballots' kind.
func TestQuestionMethod(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	q := e.questionnaire(t, c, func(q *questionnaire.Questionnaire) {
		q.MinGroupSize = 1
		q.Question("priorites").Method = "borda"
	})
	err := e.svc.ValidateQuestionnaire(&questionnaire.Questionnaire{Title: "t", Results: questionnaire.ResultsLive,
		Questions: []questionnaire.Question{{ID: "r", Type: questionnaire.QuestionRanking, Title: "r", Method: "approval",
			Options: []questionnaire.Option{{ID: "a", Label: "A"}, {ID: "b", Label: "B"}}}}})
	assert.Equal(t, []string{"questions[0].method:ranked_method"}, brokenRules(err))
	err = e.svc.ValidateQuestionnaire(&questionnaire.Questionnaire{Title: "t", Results: questionnaire.ResultsLive,
		Questions: []questionnaire.Question{{ID: "d", Type: questionnaire.QuestionDate, Title: "d", Method: "borda"}}})
	assert.Equal(t, []string{"questions[0].method:excluded_with"}, brokenRules(err))

	for i, order := range [][]string{{"verdure", "calme"}, {"verdure", "securite", "calme"}, {"calme", "verdure"}} {
		ans := append(minimal("bus"), choices("priorites", order...))
		_, _, err := e.svc.Submit(ctx, web(q, e.person(t, i, "69123"), ans))
		require.NoError(t, err)
	}
	res, err := e.svc.Results(ctx, q.ID)
	require.NoError(t, err)
	for _, qr := range res.Questions {
		if qr.Question == "priorites" {
			require.NotNil(t, qr.Outcome)
			assert.Equal(t, "borda", qr.Outcome.Method)
			assert.Equal(t, []int{2}, qr.Outcome.Elected, "verdure")
		}
	}
}
