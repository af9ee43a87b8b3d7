package questionnaire_test

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/participation/questionnaire"
	"github.com/civickit/civickit/participation/questionnaire/questionnairetest"
)

// brokenRules lists a *ValidationError's "field:rule" pairs.
func brokenRules(err error) []string {
	var ve *civickit.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	out := make([]string, len(ve.Fields))
	for i, f := range ve.Fields {
		out[i] = f.Path + ":" + f.Rule
	}
	return out
}

func fixtureQuestionnaire() *questionnaire.Questionnaire {
	rng := participationtest.NewRand(7)
	return questionnairetest.NewQuestionnaire(rng, participationtest.NewID(rng), 0)
}

func num(v float64) *float64 { return &v }

func TestValidateQuestionnaire(t *testing.T) {
	svc := newRespEnv(t).svc
	require.NoError(t, svc.ValidateQuestionnaire(fixtureQuestionnaire()))

	tests := []struct {
		name   string
		edit   func(q *questionnaire.Questionnaire)
		broken []string
	}{
		{"no questions", func(q *questionnaire.Questionnaire) { q.Questions = nil }, []string{"questions:required"}},
		{"no title", func(q *questionnaire.Questionnaire) { q.Title = "" }, []string{"title:required"}},
		{"visibility", func(q *questionnaire.Questionnaire) { q.Results = "sometimes" }, []string{"results:oneof"}},
		{"question id", func(q *questionnaire.Questionnaire) { q.Questions[0].ID = "a.b" }, []string{"questions[0].id:question_id",
			"questions[2].conditions[0].question:earlier_question", "questions[2].conditions[1].question:earlier_question",
			"questions[11].conditions[0].question:earlier_question"}},
		{"duplicate id", func(q *questionnaire.Questionnaire) { q.Questions[1].ID = "transport" }, []string{"questions[1].id:unique", "questions[8].conditions[0].question:earlier_question"}},
		{"unknown type", func(q *questionnaire.Questionnaire) { q.Questions[0].Type = "essay" }, []string{"questions[0].type:question_type"}},
		{"one option", func(q *questionnaire.Questionnaire) { q.Questions[0].Options = q.Questions[0].Options[:1] }, []string{"questions[0].options:min", "questions[2].conditions[0].value:value_of"}},
		{"duplicate option", func(q *questionnaire.Questionnaire) { q.Questions[0].Options[1].ID = "bus" }, []string{"questions[0].options[1].id:unique"}},
		{"max below min", func(q *questionnaire.Questionnaire) { q.Questions[2].MinChoices, q.Questions[2].MaxChoices = 3, 2 }, []string{"questions[2].max_choices:gtefield"}},
		{"too many choices", func(q *questionnaire.Questionnaire) { q.Questions[2].MaxChoices = 9 }, []string{"questions[2].max_choices:lte"}},
		{"scale without max", func(q *questionnaire.Questionnaire) { q.Questions[1].Max = nil }, []string{"questions[1].max:required"}},
		{"scale of halves", func(q *questionnaire.Questionnaire) { q.Questions[1].Min = num(0.5) }, []string{"questions[1].min:integer"}},
		{"scale too long", func(q *questionnaire.Questionnaire) { q.Questions[1].Max = num(500) }, []string{"questions[1].max:scale_steps"}},
		{"number bounds", func(q *questionnaire.Questionnaire) { q.Questions[6].Min = num(10); q.Questions[6].Max = num(1) }, []string{"questions[6].max:gtefield"}},
		{"infinite bound", func(q *questionnaire.Questionnaire) { q.Questions[6].Max = num(math.Inf(1)) }, []string{"questions[6].max:finite"}},
		{"matrix without rows", func(q *questionnaire.Questionnaire) { q.Questions[4].Rows = nil }, []string{"questions[4].rows:min"}},
		{"bad date bound", func(q *questionnaire.Questionnaire) { q.Questions[8].MinDate = "2024-13-01" }, []string{"questions[8].min_date:date"}},
		{"dates reversed", func(q *questionnaire.Questionnaire) { q.Questions[8].MaxDate = "2023-01-01" }, []string{"questions[8].max_date:gtefield"}},
		{"bad pattern", func(q *questionnaire.Questionnaire) { q.Questions[9].Pattern = "([0-9]" }, []string{"questions[9].pattern:regexp"}},
		{"text too long", func(q *questionnaire.Questionnaire) { q.Questions[10].MaxLength = 50000 }, []string{"questions[10].max_length:lte"}},
		{"field of another type", func(q *questionnaire.Questionnaire) { q.Questions[0].Pattern = "x" }, []string{"questions[0].pattern:excluded_with"}},
		{"condition on a later question", func(q *questionnaire.Questionnaire) {
			q.Questions[0].Conditions = []questionnaire.Condition{{Question: "budget", Kind: questionnaire.CondAnswered}}
		}, []string{"questions[0].conditions[0].question:earlier_question"}},
		{"condition on itself", func(q *questionnaire.Questionnaire) {
			q.Questions[1].Conditions = []questionnaire.Condition{{Question: "frequence", Kind: questionnaire.CondAnswered}}
		}, []string{"questions[1].conditions[0].question:earlier_question"}},
		{"condition kind", func(q *questionnaire.Questionnaire) { q.Questions[8].Conditions[0].Kind = "greater" }, []string{"questions[8].conditions[0].kind:oneof"}},
		{"equals an unknown option", func(q *questionnaire.Questionnaire) { q.Questions[12].Conditions[0].Value = "palmiers" }, []string{"questions[12].conditions[0].value:value_of"}},
		{"equals a cell", func(q *questionnaire.Questionnaire) {
			q.Questions[12].Conditions = []questionnaire.Condition{{Question: "satisfaction", Kind: questionnaire.CondEquals, Value: "acces=nulle"}}
		}, []string{"questions[12].conditions[0].value:value_of"}},
		{"equals a word on a number", func(q *questionnaire.Questionnaire) {
			q.Questions[12].Conditions = []questionnaire.Condition{{Question: "budget", Kind: questionnaire.CondNotEquals, Value: "beaucoup"}}
		}, []string{"questions[12].conditions[0].value:value_of"}},
		{"matches a bad pattern", func(q *questionnaire.Questionnaire) { q.Questions[8].Conditions[0].Value = "[" }, []string{"questions[8].conditions[0].value:regexp"}},
		{"answered with a value", func(q *questionnaire.Questionnaire) { q.Questions[9].Conditions[0].Value = "x" }, []string{"questions[9].conditions[0].value:excluded_with"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := fixtureQuestionnaire()
			tt.edit(q)
			err := svc.ValidateQuestionnaire(q)
			require.ErrorIs(t, err, participation.ErrInvalid)
			assert.Equal(t, tt.broken, brokenRules(err))
		})
	}
}

func ans(q string) questionnaire.Answer { return questionnaire.Answer{Question: q} }

func choices(q string, c ...string) questionnaire.Answer {
	return questionnaire.Answer{Question: q, Choices: c}
}

func number(q string, v float64) questionnaire.Answer {
	return questionnaire.Answer{Question: q, Number: &v}
}

func matrix(q string, m map[string][]string) questionnaire.Answer {
	return questionnaire.Answer{Question: q, Matrix: m}
}

// minimal returns answers to the fixture's mandatory questions.
func minimal(transport string) []questionnaire.Answer {
	return []questionnaire.Answer{
		choices("transport", transport),
		number("frequence", 3),
		matrix("satisfaction", map[string][]string{"proprete": {"bonne"}, "securite": {"moyenne"}, "acces": {"mauvaise"}}),
	}
}

func TestCheckAnswers(t *testing.T) {
	q := fixtureQuestionnaire()
	with := func(transport string, extra ...questionnaire.Answer) []questionnaire.Answer {
		return append(minimal(transport), extra...)
	}
	text := func(q, s string) questionnaire.Answer { return questionnaire.Answer{Question: q, Text: s} }
	date := func(q, s string) questionnaire.Answer { return questionnaire.Answer{Question: q, Date: s} }
	tests := []struct {
		name    string
		answers []questionnaire.Answer
		broken  []string
	}{
		{"mandatory only", minimal("marche"), nil},
		{"every type", with("velo",
			choices("ameliorations", "arbres", "bancs"), choices("priorites", "calme", "securite"),
			matrix("creneaux", map[string][]string{"semaine": {"matin", "soir"}}), number("budget", 250),
			matrix("projets", map[string][]string{"p1": {"bien"}, "p2": {"a_rejeter"}, "p3": {"tres_bien"}}),
			text("code_postal", "69003"), text("avis", "Plus d'ombre."), text("precisions", "Des platanes.")), nil},
		{"empty answers count as unanswered", with("marche", ans("budget"), ans("priorites")), nil},
		{"missing mandatory", minimal("bus")[:1], []string{"answers.frequence:required", "answers.satisfaction:required"}},
		{"matrix row missing", []questionnaire.Answer{choices("transport", "bus"), number("frequence", 1),
			matrix("satisfaction", map[string][]string{"proprete": {"bonne"}})},
			[]string{"answers.satisfaction.securite:all_rows", "answers.satisfaction.acces:all_rows"}},
		{"unknown question", with("bus", choices("couleur", "bleu")), []string{"answers[3].question:unknown_question"}},
		{"answered twice", with("bus", choices("transport", "bus")), []string{"answers.transport:unique"}},
		{"hidden question answered", with("voiture", choices("ameliorations", "parking")), []string{"answers.ameliorations:not_displayed"}},
		{"hidden by matches", with("marche", choices("ameliorations", "bancs")), []string{"answers.ameliorations:not_displayed"}},
		{"hidden date", with("bus", date("visite", "2025-01-10")), []string{"answers.visite:not_displayed"}},
		{"not_answered hides", with("bus", text("autre", "trottinette")), []string{"answers.autre:not_displayed"}},
		{"equals hides", with("bus", choices("ameliorations", "bancs"), text("precisions", "?")), []string{"answers.precisions:not_displayed"}},
		{"unknown option", []questionnaire.Answer{choices("transport", "avion"), number("frequence", 3), minimal("bus")[2]}, []string{"answers.transport:option"}},
		{"two single choices", []questionnaire.Answer{choices("transport", "bus", "velo"), number("frequence", 3), minimal("bus")[2]}, []string{"answers.transport:one_choice"}},
		{"too many choices", with("velo", choices("ameliorations", "arbres", "bancs", "pistes", "parking")), []string{"answers.ameliorations:max_choices"}},
		{"choice repeated", with("velo", choices("ameliorations", "arbres", "arbres")), []string{"answers.ameliorations:unique"}},
		{"ranking too long", with("bus", choices("priorites", "calme", "securite", "verdure", "proprete")), []string{"answers.priorites:max_ranked"}},
		{"wrong shape", with("bus", number("priorites", 1)), []string{"answers.priorites:answer_type"}},
		{"matrix unknown row", with("bus", matrix("creneaux", map[string][]string{"nuit": {"soir"}})), []string{"answers.creneaux.nuit:row"}},
		{"matrix unknown column", with("bus", matrix("creneaux", map[string][]string{"semaine": {"aube"}})), []string{"answers.creneaux.semaine:option"}},
		{"matrix too many per row", with("bus", matrix("creneaux", map[string][]string{"weekend": {"matin", "midi", "soir"}})), []string{"answers.creneaux.weekend:max_choices"}},
		{"matrix single two columns", []questionnaire.Answer{choices("transport", "bus"), number("frequence", 3),
			matrix("satisfaction", map[string][]string{"proprete": {"bonne", "moyenne"}, "securite": {"moyenne"}, "acces": {"mauvaise"}})},
			[]string{"answers.satisfaction.proprete:one_per_row"}},
		{"grade every project", with("bus", matrix("projets", map[string][]string{"p1": {"bien"}})), []string{"answers.projets.p2:grade_all", "answers.projets.p3:grade_all"}},
		{"number not whole", with("bus", number("budget", 2.5)), []string{"answers.budget:integer"}},
		{"number too big", with("bus", number("budget", 1001)), []string{"answers.budget:max"}},
		{"number below", with("bus", number("budget", -1)), []string{"answers.budget:min"}},
		{"number NaN", with("bus", number("budget", math.NaN())), []string{"answers.budget:finite"}},
		{"scale out of range", []questionnaire.Answer{choices("transport", "bus"), number("frequence", 6), minimal("bus")[2]}, []string{"answers.frequence:max"}},
		{"date shown and malformed", []questionnaire.Answer{choices("transport", "bus"), number("frequence", 5), minimal("bus")[2], date("visite", "10/01/2025")}, []string{"answers.visite:date"}},
		{"date before min", []questionnaire.Answer{choices("transport", "bus"), number("frequence", 4), minimal("bus")[2], date("visite", "2023-12-31")}, []string{"answers.visite:min_date"}},
		{"date ok", []questionnaire.Answer{choices("transport", "bus"), number("frequence", 4), minimal("bus")[2], date("visite", "2024-02-29")}, nil},
		{"pattern", with("bus", number("budget", 3), text("code_postal", "69OO3")), []string{"answers.code_postal:pattern"}},
		{"text too long", with("velo", choices("ameliorations", "bancs"), text("avis", string(make([]rune, 2001)))), []string{"answers.avis:max_length"}},
		{"invalid utf-8", with("velo", choices("ameliorations", "bancs"), text("avis", "\xff")), []string{"answers.avis:utf8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := q.Check(tt.answers)
			if tt.broken == nil {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, participation.ErrInvalid)
			assert.Equal(t, tt.broken, brokenRules(err))
		})
	}
}

func TestDisplayed(t *testing.T) {
	q := fixtureQuestionnaire()
	idx := func(id string) int {
		for i, qq := range q.Questions {
			if qq.ID == id {
				return i
			}
		}
		t.Fatalf("no question %s", id)
		return -1
	}
	tests := []struct {
		answers []questionnaire.Answer
		id      string
		want    bool
	}{
		{nil, "transport", true},
		{nil, "ameliorations", false}, // not_equals needs an answer
		{[]questionnaire.Answer{choices("transport", "velo")}, "ameliorations", true}, // not_equals voiture and matches
		{[]questionnaire.Answer{choices("transport", "voiture")}, "ameliorations", false},
		{[]questionnaire.Answer{choices("transport", "marche")}, "ameliorations", false}, // matches fails
		{[]questionnaire.Answer{number("frequence", 4)}, "visite", true},
		{[]questionnaire.Answer{number("frequence", 3)}, "visite", false},
		{[]questionnaire.Answer{number("budget", 0)}, "code_postal", true}, // answered, even with zero
		{nil, "autre", true}, // not_answered
		{[]questionnaire.Answer{choices("transport", "bus")}, "autre", false},
		{[]questionnaire.Answer{choices("transport", "bus"), choices("ameliorations", "arbres", "bancs")}, "precisions", true},
		{[]questionnaire.Answer{choices("transport", "voiture"), choices("ameliorations", "arbres")}, "precisions", false}, // ameliorations hidden
		{[]questionnaire.Answer{choices("transport", "velo"), choices("ameliorations", "arbres")}, "avis", true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, q.Displayed(tt.answers)[idx(tt.id)], "%s given %v", tt.id, tt.answers)
	}
}

func TestNormalize(t *testing.T) {
	q := fixtureQuestionnaire()
	in := []questionnaire.Answer{
		{Question: "avis", Text: "  Merci  "},
		choices("ameliorations", "parking", "arbres", "pistes"),
		choices("priorites", "verdure", "calme"),
		ans("budget"),
		matrix("creneaux", map[string][]string{"semaine": {"soir", "matin"}, "weekend": {}}),
		choices("inconnue", "x"),
		choices("transport", "velo"),
	}
	got := q.Normalize(in)
	want := []questionnaire.Answer{
		choices("transport", "velo"),
		choices("ameliorations", "pistes", "arbres", "parking"), // option order
		choices("priorites", "verdure", "calme"),                // a ranking keeps its order
		matrix("creneaux", map[string][]string{"semaine": {"matin", "soir"}}),
		{Question: "avis", Text: "Merci"},
	}
	assert.Equal(t, want, got)
	assert.Equal(t, []string{"parking", "arbres", "pistes"}, in[1].Choices, "the input is left alone")
}
