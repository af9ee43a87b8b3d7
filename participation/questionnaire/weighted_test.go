package questionnaire_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/panel"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/participation/questionnaire"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// TestWeightedResults answers the worked raking example of
// participation/panel/testdata/rake_example.json (self-selected
// respondents over-representing women and people over 60) through a real
// questionnaire: each respondent declares sex and age, answers which cell
// they are in, and the weighted counts must be the example's expected
// weighted cell totals, next to the unchanged raw counts.
func TestWeightedResults(t *testing.T) {
	ctx := context.Background()
	data, err := os.ReadFile("../panel/testdata/rake_example.json")
	require.NoError(t, err)
	var fx struct {
		Counts   map[string]int                `json:"respondent_counts"`
		Margins  map[string]map[string]float64 `json:"population_margins"`
		Expected map[string]float64            `json:"expected_weighted_cell_totals"`
		Tol      float64                       `json:"tolerance"`
	}
	require.NoError(t, json.Unmarshal(data, &fx))
	var m panel.Margins
	for _, name := range []string{"sex", "age"} {
		c := panel.Category{Name: name}
		for v, n := range fx.Margins[name] {
			c.Values = append(c.Values, panel.Margin{Value: v, Count: n})
		}
		m.Categories = append(m.Categories, c)
	}

	db := storagetest.Open(t, storage.SQLite)
	core, err := participation.NewService(storage.NewParticipationStore(db), participation.Options{})
	require.NoError(t, err)
	svc, err := questionnaire.NewService(storage.NewQuestionnaireStore(db), core, questionnaire.Options{Attributes: core})
	require.NoError(t, err)
	in := *participationtest.NewConsultation(participationtest.NewRand(31), 0)
	in.Settings.Channels = []civickit.Channel{civickit.ChannelWeb, civickit.ChannelPaper}
	in.Settings.Eligibility = participation.Eligibility{}
	c, err := core.CreateConsultation(ctx, in)
	require.NoError(t, err)
	c, err = core.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseExpression, Actor: "organiser"})
	require.NoError(t, err)
	var options []questionnaire.Option
	for cell := range fx.Counts {
		options = append(options, questionnaire.Option{ID: cellID(cell), Label: cell})
	}
	q, err := svc.CreateQuestionnaire(ctx, questionnaire.Questionnaire{ConsultationID: c.ID, Title: "Qui êtes-vous ?",
		Results: questionnaire.ResultsLive, MinGroupSize: 1, Questions: []questionnaire.Question{
			{ID: "cell", Type: questionnaire.QuestionSingleChoice, Title: "Votre groupe", Options: options},
			{ID: "note", Type: questionnaire.QuestionNumber, Title: "Votre note", Min: num(0), Max: num(10)},
		}})
	require.NoError(t, err)

	// Women over 60 give 10, everyone else 0: the weighted mean is their
	// weighted share × 10.
	i := 0
	for cell, n := range fx.Counts {
		sex, age, _ := strings.Cut(cell, "|")
		for range n {
			p, err := core.RegisterParticipant(ctx, nil)
			require.NoError(t, err)
			_, err = core.DeclareAttributes(ctx, p.ID, map[string]string{"sex": sex, "age": age}, true)
			require.NoError(t, err)
			note := 0.0
			if cell == "F|60+" {
				note = 10
			}
			ch := civickit.ChannelWeb
			if i%4 == 0 {
				ch = civickit.ChannelPaper
			}
			_, _, err = svc.Submit(ctx, questionnaire.SubmitRequest{QuestionnaireID: q.ID,
				Respondent: participation.Respondent{ParticipantID: p.ID, Recruitment: participation.RecruitOpenCall},
				Provenance: provenanceOf(ch),
				Answers:    []questionnaire.Answer{{Question: "cell", Choices: []string{cellID(cell)}}, {Question: "note", Number: num(note)}}})
			require.NoError(t, err)
			i++
		}
	}

	raw, err := svc.Results(ctx, q.ID)
	require.NoError(t, err)
	assert.Nil(t, raw.Weighting)
	res, err := svc.WeightedResults(ctx, q.ID, m, panel.RakeOptions{Tolerance: 1e-10})
	require.NoError(t, err)
	require.NotNil(t, res.Weighting)
	assert.True(t, res.Weighting.Converged)
	assert.Less(t, res.Weighting.MaxDeviation, 1e-8)
	assert.InDelta(t, 75.82, res.Weighting.Spread.Kish, 0.01, "Kish effective sample size of the example")
	assert.Zero(t, res.Weighting.Unweighted)
	assert.Equal(t, []string{"sex", "age"}, res.Weighting.Margins)

	// The raw counts are those of Results, untouched.
	for qi := range raw.Questions {
		for ci := range raw.Questions[qi].Counts {
			assert.Equal(t, raw.Questions[qi].Counts[ci].Breakdown, res.Questions[qi].Counts[ci].Breakdown)
			assert.Zero(t, raw.Questions[qi].Counts[ci].Weighted)
		}
	}
	cells := res.Questions[0]
	assert.InDelta(t, 100, cells.AnsweredWeighted, 1e-6)
	for _, cnt := range cells.Counts {
		var cell string
		for k := range fx.Counts {
			if cellID(k) == cnt.Key {
				cell = k
			}
		}
		assert.Equal(t, fx.Counts[cell], cnt.Total, cell)
		assert.InDelta(t, fx.Expected[cell], cnt.Weighted, fx.Tol, cell)
		assert.InDelta(t, fx.Expected[cell]/100, cnt.WeightedShare, fx.Tol/100, cell)
	}
	note := res.Questions[1]
	assert.InDelta(t, 3.0, note.Number.Mean, 1e-9, "raw: 30 of 100 gave 10")
	assert.InDelta(t, fx.Expected["F|60+"]/10, note.Number.WeightedMean, fx.Tol)

	// Before weighting, the respondents over-represent people over 60
	// (55 % against 30 %): the assessment says so, per channel too.
	age := findCategory(t, res.Weighting.Representativeness.Overall, "age")
	for _, row := range age.Rows {
		if row.Value == "60+" {
			assert.InDelta(t, 0.55, row.SampleShare, 1e-9)
			assert.InDelta(t, 0.30, row.PopulationShare, 1e-9)
		}
	}
	assert.Len(t, res.Weighting.Representativeness.ByChannel, 2)

	_, err = svc.WeightedResults(ctx, q.ID, panel.Margins{}, panel.RakeOptions{})
	assert.Equal(t, []civickit.FieldError{{Path: "margins", Rule: "required"}}, civickit.FieldErrors(err))
	plain, err := questionnaire.NewService(storage.NewQuestionnaireStore(db), core, questionnaire.Options{})
	require.NoError(t, err)
	_, err = plain.WeightedResults(ctx, q.ID, m, panel.RakeOptions{})
	assert.ErrorIs(t, err, civickit.ErrUnavailable)
}

func cellID(cell string) string {
	return strings.NewReplacer("|", "-", "+", "plus").Replace(strings.ToLower(cell))
}

func provenanceOf(ch civickit.Channel) civickit.Provenance {
	if ch == civickit.ChannelPaper {
		return civickit.Provenance{Channel: ch, CollectedBy: "agent-1", Place: "mairie annexe"}
	}
	return civickit.Provenance{Channel: ch}
}

func findCategory(t *testing.T, r panel.Report, name string) panel.CategoryReport {
	t.Helper()
	for _, c := range r.Categories {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no category %q in %+v", name, r)
	return panel.CategoryReport{}
}

// TestWeightedResultsINSEE weights a skewed set of respondents (many
// women over 60, few young men) to INSEE's 2018 census margins for France
// (panel/testdata/insee_rp2018_france.csv): each respondent answers their
// own age band, so the weighted shares of that question must be the
// census shares of the age bands, whatever the skew.
func TestWeightedResultsINSEE(t *testing.T) {
	ctx := context.Background()
	f, err := os.Open("../panel/testdata/insee_rp2018_france.csv")
	require.NoError(t, err)
	defer f.Close()
	m, err := panel.ReadMargins(f)
	require.NoError(t, err)
	ages, _ := m.Category("age")

	db := storagetest.Open(t, storage.SQLite)
	core, err := participation.NewService(storage.NewParticipationStore(db), participation.Options{})
	require.NoError(t, err)
	svc, err := questionnaire.NewService(storage.NewQuestionnaireStore(db), core, questionnaire.Options{Attributes: core})
	require.NoError(t, err)
	in := *participationtest.NewConsultation(participationtest.NewRand(32), 0)
	in.Settings.Eligibility = participation.Eligibility{}
	c, err := core.CreateConsultation(ctx, in)
	require.NoError(t, err)
	_, err = core.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseExpression, Actor: "organiser"})
	require.NoError(t, err)
	var options []questionnaire.Option
	for i, v := range ages.Values {
		options = append(options, questionnaire.Option{ID: fmt.Sprintf("a%d", i), Label: v.Value})
	}
	q, err := svc.CreateQuestionnaire(ctx, questionnaire.Questionnaire{ConsultationID: c.ID, Title: "Âge",
		Results: questionnaire.ResultsLive, MinGroupSize: 1, Questions: []questionnaire.Question{
			{ID: "age", Type: questionnaire.QuestionSingleChoice, Title: "Votre âge", Options: options}}})
	require.NoError(t, err)
	for i, v := range ages.Values {
		for _, sexe := range []string{"Femmes", "Hommes"} {
			n := 2 + i // older bands answer more
			if sexe == "Femmes" {
				n *= 2
			}
			for range n {
				p, err := core.RegisterParticipant(ctx, nil)
				require.NoError(t, err)
				_, err = core.DeclareAttributes(ctx, p.ID, map[string]string{"sexe": sexe, "age": v.Value}, true)
				require.NoError(t, err)
				_, _, err = svc.Submit(ctx, questionnaire.SubmitRequest{QuestionnaireID: q.ID,
					Respondent: participation.Respondent{ParticipantID: p.ID, Recruitment: participation.RecruitOpenCall},
					Provenance: provenanceOf(civickit.ChannelWeb),
					Answers:    []questionnaire.Answer{{Question: "age", Choices: []string{fmt.Sprintf("a%d", i)}}}})
				require.NoError(t, err)
			}
		}
	}
	res, err := svc.WeightedResults(ctx, q.ID, m, panel.RakeOptions{Tolerance: 1e-10})
	require.NoError(t, err)
	require.True(t, res.Weighting.Converged)
	for i, cnt := range res.Questions[0].Counts {
		want := ages.Values[i].Count / ages.Total
		assert.InDelta(t, want, cnt.WeightedShare, 1e-8, ages.Values[i].Value)
		assert.Greater(t, math.Abs(float64(cnt.Total)/float64(res.Questions[0].Answered.Total)-want), 0.01,
			"%s: the raw share differs from the census (the skew is real)", ages.Values[i].Value)
	}
}
