package questionnairetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/participation/questionnaire"
)

func f64(v float64) *float64 { return &v }

func opts(ids ...string) []questionnaire.Option {
	out := make([]questionnaire.Option, len(ids))
	for i, id := range ids {
		out[i] = questionnaire.Option{ID: id, Label: "Libellé « " + id + " »"}
	}
	return out
}

// NewQuestionnaire returns a valid questionnaire of consultation
// consultationID, unique to i, with one question of every type, mandatory
// questions and display conditions of every kind:
//
//	transport     single_choice, mandatory
//	frequence     scale 1..5, mandatory
//	ameliorations multiple_choice (1 to 3), shown when transport = velo or bus (not voiture, not marche)
//	priorites     ranking (1 to 3 of 4)
//	satisfaction  matrix_single, mandatory (every row)
//	creneaux      matrix_multiple (1 to 2 per row)
//	budget        number 0..1000, whole
//	projets       majority_judgment (3 candidates, 5 grades)
//	visite        date in 2024..2026, shown when frequence matches ^[45]$
//	code_postal   short_text ^[0-9]{5}$, shown when budget is answered
//	avis          long_text, shown when ameliorations is answered
//	autre         short_text, shown when transport is not answered (never)
//	precisions    long_text, shown when ameliorations equals arbres
//	equipements   score 0..5 (3 candidates), shown unless projets has p1=a_rejeter
func NewQuestionnaire(rng *rand.Rand, consultationID uuid.UUID, i int) *questionnaire.Questionnaire {
	created := participationtest.BaseTime.Add(time.Duration(i) * time.Minute)
	return &questionnaire.Questionnaire{
		ID:             participationtest.NewID(rng),
		ConsultationID: consultationID,
		Title:          fmt.Sprintf("Questionnaire n°%d : mobilités et espaces publics", i),
		Description:    "Vos déplacements, vos priorités, vos projets préférés.",
		Questions: []questionnaire.Question{
			{ID: "transport", Type: questionnaire.QuestionSingleChoice, Title: "Comment vous déplacez-vous ?", Mandatory: true,
				Options: opts("bus", "velo", "voiture", "marche")},
			{ID: "frequence", Type: questionnaire.QuestionScale, Title: "À quelle fréquence ?", Mandatory: true,
				Min: f64(1), Max: f64(5), MinLabel: "rarement", MaxLabel: "tous les jours"},
			{ID: "ameliorations", Type: questionnaire.QuestionMultipleChoice, Title: "Que faudrait-il améliorer ?",
				Options: opts("pistes", "eclairage", "bancs", "arbres", "parking"), MinChoices: 1, MaxChoices: 3,
				Conditions: []questionnaire.Condition{
					{Question: "transport", Kind: questionnaire.CondNotEquals, Value: "voiture"},
					{Question: "transport", Kind: questionnaire.CondMatches, Value: "^(velo|bus)$"},
				}},
			{ID: "priorites", Type: questionnaire.QuestionRanking, Title: "Classez vos priorités",
				Options: opts("securite", "proprete", "verdure", "calme"), MaxChoices: 3},
			{ID: "satisfaction", Type: questionnaire.QuestionMatrixSingle, Title: "Votre satisfaction", Mandatory: true,
				Rows: opts("proprete", "securite", "acces"), Options: opts("mauvaise", "moyenne", "bonne")},
			{ID: "creneaux", Type: questionnaire.QuestionMatrixMultiple, Title: "Quand passez-vous ?",
				Rows: opts("semaine", "weekend"), Options: opts("matin", "midi", "soir"), MinChoices: 1, MaxChoices: 2},
			{ID: "budget", Type: questionnaire.QuestionNumber, Title: "Combien investir (k€) ?",
				Min: f64(0), Max: f64(1000), Integer: true},
			{ID: "projets", Type: questionnaire.QuestionMajority, Title: "Jugez chaque projet",
				Rows: opts("p1", "p2", "p3"), Options: opts("tres_bien", "bien", "passable", "insuffisant", "a_rejeter")},
			{ID: "visite", Type: questionnaire.QuestionDate, Title: "Date de votre dernière visite",
				MinDate: "2024-01-01", MaxDate: "2026-12-31",
				Conditions: []questionnaire.Condition{{Question: "frequence", Kind: questionnaire.CondMatches, Value: "^[45]$"}}},
			{ID: "code_postal", Type: questionnaire.QuestionShortText, Title: "Code postal", Pattern: `^[0-9]{5}$`,
				Conditions: []questionnaire.Condition{{Question: "budget", Kind: questionnaire.CondAnswered}}},
			{ID: "avis", Type: questionnaire.QuestionLongText, Title: "Votre avis", MaxLength: 2000,
				Conditions: []questionnaire.Condition{{Question: "ameliorations", Kind: questionnaire.CondAnswered}}},
			{ID: "autre", Type: questionnaire.QuestionShortText, Title: "Autre moyen ?",
				Conditions: []questionnaire.Condition{{Question: "transport", Kind: questionnaire.CondNotAnswered}}},
			{ID: "precisions", Type: questionnaire.QuestionLongText, Title: "Quels arbres ?",
				Conditions: []questionnaire.Condition{{Question: "ameliorations", Kind: questionnaire.CondEquals, Value: "arbres"}}},
			{ID: "equipements", Type: questionnaire.QuestionScore, Title: "Notez chaque équipement",
				Rows: opts("kiosque", "fontaine", "preau"), Min: f64(0), Max: f64(5),
				Conditions: []questionnaire.Condition{{Question: "projets", Kind: questionnaire.CondNotEquals, Value: "p1=a_rejeter"}}},
		},
		Results:   questionnaire.ResultsLive,
		Version:   1,
		CreatedAt: created,
		UpdatedAt: created,
	}
}

var avis = []string{
	"Plus d'arbres rue Garibaldi, s'il vous plaît.",
	"Les bancs sont trop rares près de l'école.",
	"Éclairage insuffisant l'hiver ; piste cyclable coupée au carrefour.",
	"Très bien comme ça.",
}

// NewAnswers returns answers to q that keep every rule: each displayed
// mandatory question answered, optional ones answered about four times
// in five, hidden ones left out, every answer within its question's
// bounds.
func NewAnswers(rng *rand.Rand, q *questionnaire.Questionnaire) []questionnaire.Answer {
	var out []questionnaire.Answer
	for i := range q.Questions {
		qq := &q.Questions[i]
		if !q.Displayed(out)[i] || (!qq.Mandatory && rng.IntN(5) == 0) {
			continue
		}
		out = append(out, answerFor(rng, qq))
	}
	return out
}

func pick(rng *rand.Rand, os []questionnaire.Option, n int) []string {
	ids := make([]string, len(os))
	for i, o := range os {
		ids[i] = o.ID
	}
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	return ids[:n]
}

func between(rng *rand.Rand, lo, hi int) int { return lo + rng.IntN(hi-lo+1) }

func answerFor(rng *rand.Rand, q *questionnaire.Question) questionnaire.Answer {
	a := questionnaire.Answer{Question: q.ID}
	hi := q.MaxChoices
	if hi == 0 {
		hi = len(q.Options)
	}
	lo := max(q.MinChoices, 1)
	switch q.Type {
	case questionnaire.QuestionShortText:
		a.Text = fmt.Sprintf("%05d", rng.IntN(100000))
	case questionnaire.QuestionLongText:
		a.Text = avis[rng.IntN(len(avis))]
	case questionnaire.QuestionSingleChoice:
		a.Choices = pick(rng, q.Options, 1)
	case questionnaire.QuestionMultipleChoice, questionnaire.QuestionRanking:
		a.Choices = pick(rng, q.Options, between(rng, lo, hi))
	case questionnaire.QuestionMatrixSingle, questionnaire.QuestionMatrixMultiple, questionnaire.QuestionMajority:
		a.Matrix = map[string][]string{}
		for _, r := range q.Rows {
			if q.Type == questionnaire.QuestionMatrixMultiple {
				a.Matrix[r.ID] = pick(rng, q.Options, between(rng, lo, hi))
			} else {
				a.Matrix[r.ID] = pick(rng, q.Options, 1)
			}
		}
	case questionnaire.QuestionScore:
		a.Matrix = map[string][]string{}
		for _, r := range q.Rows {
			if rng.IntN(4) > 0 { // a candidate may be left unscored
				a.Matrix[r.ID] = []string{strconv.Itoa(between(rng, int(*q.Min), int(*q.Max)))}
			}
		}
		if len(a.Matrix) == 0 {
			a.Matrix[q.Rows[0].ID] = []string{strconv.Itoa(int(*q.Max))}
		}
	case questionnaire.QuestionNumber, questionnaire.QuestionScale:
		v := float64(between(rng, int(*q.Min), int(*q.Max)))
		a.Number = &v
	case questionnaire.QuestionDate:
		lo, _ := time.Parse(questionnaire.DateLayout, q.MinDate)
		hi, _ := time.Parse(questionnaire.DateLayout, q.MaxDate)
		days := int(hi.Sub(lo).Hours() / 24)
		a.Date = lo.AddDate(0, 0, rng.IntN(days+1)).Format(questionnaire.DateLayout)
	}
	return a
}

// NewResponse returns a valid response of participant participantID to q
// (answers from NewAnswers, normalized), through a channel and with a
// recruitment drawn from rng, submitted at BaseTime plus i seconds.
func NewResponse(rng *rand.Rand, q *questionnaire.Questionnaire, participantID uuid.UUID, i int) *questionnaire.Response {
	ch := civickit.Channels()[rng.IntN(len(civickit.Channels()))]
	prov := civickit.Provenance{Channel: ch}
	switch ch {
	case civickit.ChannelPaper, civickit.ChannelMediator:
		prov.CollectedBy, prov.Place = fmt.Sprintf("agent-%d", rng.IntN(3)), fmt.Sprintf("mairie-annexe-%d", rng.IntN(2))
	case civickit.ChannelKiosk:
		prov.Place = "bm-part-dieu"
	case civickit.ChannelImport:
		prov.CollectedBy = "import-2025-03"
	}
	return &questionnaire.Response{
		ID:              participationtest.NewID(rng),
		QuestionnaireID: q.ID,
		Respondent: participation.Respondent{
			ParticipantID: participantID,
			Recruitment:   participation.Recruitments()[rng.IntN(len(participation.Recruitments()))],
		},
		Provenance:  prov,
		Answers:     q.Normalize(NewAnswers(rng, q)),
		SubmittedAt: participationtest.BaseTime.Add(time.Duration(i) * time.Second),
	}
}

// CanonResponse returns r in canonical form for comparisons.
func CanonResponse(r questionnaire.Response) questionnaire.Response {
	r.SubmittedAt = participationtest.CanonTime(r.SubmittedAt)
	r.Answers = participationtest.NilIfEmpty(slices.Clone(r.Answers))
	if r.BatchID != nil {
		id := *r.BatchID
		r.BatchID = &id
	}
	return r
}

// CanonQuestionnaire returns q in canonical form for comparisons.
func CanonQuestionnaire(q questionnaire.Questionnaire) questionnaire.Questionnaire {
	q.ClosedAt, q.CreatedAt, q.UpdatedAt = participationtest.CanonTime(q.ClosedAt), participationtest.CanonTime(q.CreatedAt), participationtest.CanonTime(q.UpdatedAt)
	q.Questions = participationtest.NilIfEmpty(q.Questions)
	return q
}
