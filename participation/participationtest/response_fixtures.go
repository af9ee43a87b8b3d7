package participationtest

import (
	"fmt"
	"github.com/civickit/civickit"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit/participation"
)

func f64(v float64) *float64 { return &v }

func opts(ids ...string) []participation.Option {
	out := make([]participation.Option, len(ids))
	for i, id := range ids {
		out[i] = participation.Option{ID: id, Label: "Libellé « " + id + " »"}
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
func NewQuestionnaire(rng *rand.Rand, consultationID uuid.UUID, i int) *participation.Questionnaire {
	created := BaseTime.Add(time.Duration(i) * time.Minute)
	return &participation.Questionnaire{
		ID:             NewID(rng),
		ConsultationID: consultationID,
		Title:          fmt.Sprintf("Questionnaire n°%d : mobilités et espaces publics", i),
		Description:    "Vos déplacements, vos priorités, vos projets préférés.",
		Questions: []participation.Question{
			{ID: "transport", Type: participation.QuestionSingleChoice, Title: "Comment vous déplacez-vous ?", Mandatory: true,
				Options: opts("bus", "velo", "voiture", "marche")},
			{ID: "frequence", Type: participation.QuestionScale, Title: "À quelle fréquence ?", Mandatory: true,
				Min: f64(1), Max: f64(5), MinLabel: "rarement", MaxLabel: "tous les jours"},
			{ID: "ameliorations", Type: participation.QuestionMultipleChoice, Title: "Que faudrait-il améliorer ?",
				Options: opts("pistes", "eclairage", "bancs", "arbres", "parking"), MinChoices: 1, MaxChoices: 3,
				Conditions: []participation.Condition{
					{Question: "transport", Kind: participation.CondNotEquals, Value: "voiture"},
					{Question: "transport", Kind: participation.CondMatches, Value: "^(velo|bus)$"},
				}},
			{ID: "priorites", Type: participation.QuestionRanking, Title: "Classez vos priorités",
				Options: opts("securite", "proprete", "verdure", "calme"), MaxChoices: 3},
			{ID: "satisfaction", Type: participation.QuestionMatrixSingle, Title: "Votre satisfaction", Mandatory: true,
				Rows: opts("proprete", "securite", "acces"), Options: opts("mauvaise", "moyenne", "bonne")},
			{ID: "creneaux", Type: participation.QuestionMatrixMultiple, Title: "Quand passez-vous ?",
				Rows: opts("semaine", "weekend"), Options: opts("matin", "midi", "soir"), MinChoices: 1, MaxChoices: 2},
			{ID: "budget", Type: participation.QuestionNumber, Title: "Combien investir (k€) ?",
				Min: f64(0), Max: f64(1000), Integer: true},
			{ID: "projets", Type: participation.QuestionMajority, Title: "Jugez chaque projet",
				Rows: opts("p1", "p2", "p3"), Options: opts("tres_bien", "bien", "passable", "insuffisant", "a_rejeter")},
			{ID: "visite", Type: participation.QuestionDate, Title: "Date de votre dernière visite",
				MinDate: "2024-01-01", MaxDate: "2026-12-31",
				Conditions: []participation.Condition{{Question: "frequence", Kind: participation.CondMatches, Value: "^[45]$"}}},
			{ID: "code_postal", Type: participation.QuestionShortText, Title: "Code postal", Pattern: `^[0-9]{5}$`,
				Conditions: []participation.Condition{{Question: "budget", Kind: participation.CondAnswered}}},
			{ID: "avis", Type: participation.QuestionLongText, Title: "Votre avis", MaxLength: 2000,
				Conditions: []participation.Condition{{Question: "ameliorations", Kind: participation.CondAnswered}}},
			{ID: "autre", Type: participation.QuestionShortText, Title: "Autre moyen ?",
				Conditions: []participation.Condition{{Question: "transport", Kind: participation.CondNotAnswered}}},
			{ID: "precisions", Type: participation.QuestionLongText, Title: "Quels arbres ?",
				Conditions: []participation.Condition{{Question: "ameliorations", Kind: participation.CondEquals, Value: "arbres"}}},
		},
		Results:   participation.ResultsLive,
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
func NewAnswers(rng *rand.Rand, q *participation.Questionnaire) []participation.Answer {
	var out []participation.Answer
	for i := range q.Questions {
		qq := &q.Questions[i]
		if !q.Displayed(out)[i] || (!qq.Mandatory && rng.IntN(5) == 0) {
			continue
		}
		out = append(out, answerFor(rng, qq))
	}
	return out
}

func pick(rng *rand.Rand, os []participation.Option, n int) []string {
	ids := make([]string, len(os))
	for i, o := range os {
		ids[i] = o.ID
	}
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	return ids[:n]
}

func between(rng *rand.Rand, lo, hi int) int { return lo + rng.IntN(hi-lo+1) }

func answerFor(rng *rand.Rand, q *participation.Question) participation.Answer {
	a := participation.Answer{Question: q.ID}
	hi := q.MaxChoices
	if hi == 0 {
		hi = len(q.Options)
	}
	lo := max(q.MinChoices, 1)
	switch q.Type {
	case participation.QuestionShortText:
		a.Text = fmt.Sprintf("%05d", rng.IntN(100000))
	case participation.QuestionLongText:
		a.Text = avis[rng.IntN(len(avis))]
	case participation.QuestionSingleChoice:
		a.Choices = pick(rng, q.Options, 1)
	case participation.QuestionMultipleChoice, participation.QuestionRanking:
		a.Choices = pick(rng, q.Options, between(rng, lo, hi))
	case participation.QuestionMatrixSingle, participation.QuestionMatrixMultiple, participation.QuestionMajority:
		a.Matrix = map[string][]string{}
		for _, r := range q.Rows {
			if q.Type == participation.QuestionMatrixMultiple {
				a.Matrix[r.ID] = pick(rng, q.Options, between(rng, lo, hi))
			} else {
				a.Matrix[r.ID] = pick(rng, q.Options, 1)
			}
		}
	case participation.QuestionNumber, participation.QuestionScale:
		v := float64(between(rng, int(*q.Min), int(*q.Max)))
		a.Number = &v
	case participation.QuestionDate:
		lo, _ := time.Parse(participation.DateLayout, q.MinDate)
		hi, _ := time.Parse(participation.DateLayout, q.MaxDate)
		days := int(hi.Sub(lo).Hours() / 24)
		a.Date = lo.AddDate(0, 0, rng.IntN(days+1)).Format(participation.DateLayout)
	}
	return a
}

// NewResponse returns a valid response of participant participantID to q
// (answers from NewAnswers, normalized), through a channel and with a
// recruitment drawn from rng, submitted at BaseTime plus i seconds.
func NewResponse(rng *rand.Rand, q *participation.Questionnaire, participantID uuid.UUID, i int) *participation.Response {
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
	return &participation.Response{
		ID:              NewID(rng),
		QuestionnaireID: q.ID,
		Respondent: participation.Respondent{
			ParticipantID: participantID,
			Recruitment:   participation.Recruitments()[rng.IntN(len(participation.Recruitments()))],
		},
		Provenance:  prov,
		Answers:     q.Normalize(NewAnswers(rng, q)),
		SubmittedAt: BaseTime.Add(time.Duration(i) * time.Second),
	}
}

// CanonResponse returns r in canonical form for comparisons.
func CanonResponse(r participation.Response) participation.Response {
	r.SubmittedAt = CanonTime(r.SubmittedAt)
	r.Answers = nilIfEmpty(slices.Clone(r.Answers))
	if r.BatchID != nil {
		id := *r.BatchID
		r.BatchID = &id
	}
	return r
}

// CanonQuestionnaire returns q in canonical form for comparisons.
func CanonQuestionnaire(q participation.Questionnaire) participation.Questionnaire {
	q.ClosedAt, q.CreatedAt, q.UpdatedAt = CanonTime(q.ClosedAt), CanonTime(q.CreatedAt), CanonTime(q.UpdatedAt)
	q.Questions = nilIfEmpty(q.Questions)
	return q
}
