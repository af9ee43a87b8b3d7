package questionnaire_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/questionnaire"
	"github.com/civickit/civickit/storage"
)

func ExampleQuestionnaire_Check() {
	lo, hi := 1.0, 5.0
	q := questionnaire.Questionnaire{Questions: []questionnaire.Question{
		{ID: "mode", Type: questionnaire.QuestionSingleChoice, Title: "Comment venez-vous ?", Mandatory: true,
			Options: []questionnaire.Option{{ID: "bus", Label: "Bus"}, {ID: "velo", Label: "Vélo"}}},
		{ID: "note", Type: questionnaire.QuestionScale, Title: "Votre note", Min: &lo, Max: &hi},
		{ID: "piste", Type: questionnaire.QuestionShortText, Title: "Quelle piste ?",
			Conditions: []questionnaire.Condition{{Question: "mode", Kind: questionnaire.CondEquals, Value: "velo"}}},
	}}
	six := 6.0
	err := q.Check([]questionnaire.Answer{
		{Question: "mode", Choices: []string{"bus"}},
		{Question: "note", Number: &six},
		{Question: "piste", Text: "quai Perrache"},
	})
	var ve *civickit.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			fmt.Println(f)
		}
	}
	// Output:
	// answers.note: max=5
	// answers.piste: not_displayed
}

// sequence returns IDs 00000000-0000-4000-8000-00000000000n, n = 1, 2, ...
func sequence() func() uuid.UUID {
	n := 0
	return func() uuid.UUID {
		n++
		return uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-%012d", n))
	}
}

func ExampleService_Export() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "civickit-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	db, err := storage.Open(ctx, storage.Config{
		DSN:    "sqlite:" + filepath.Join(dir, "civickit.db"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		panic(err)
	}
	defer db.Close()
	now := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	clock, ids, secretIDs := func() time.Time { return now }, sequence(), sequence()
	core, err := participation.NewService(storage.NewParticipationStore(db), participation.Options{
		Now: clock, NewID: ids, NewSecretID: secretIDs,
	})
	if err != nil {
		panic(err)
	}
	svc, err := questionnaire.NewService(storage.NewQuestionnaireStore(db), core, questionnaire.Options{
		Now: clock, NewID: ids, NewSecretID: secretIDs,
	})
	if err != nil {
		panic(err)
	}
	c, err := core.CreateConsultation(ctx, participation.Consultation{
		Title: "Place du marché", Organiser: "Ville", Territory: "69123", Languages: []string{"fr"},
		Phases: []participation.Phase{{Kind: participation.PhaseExpression, Starts: now, Ends: now.AddDate(0, 1, 0)}},
	})
	if err != nil {
		panic(err)
	}
	if _, err := core.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseExpression, Actor: "maire"}); err != nil {
		panic(err)
	}
	q, err := svc.CreateQuestionnaire(ctx, questionnaire.Questionnaire{
		ConsultationID: c.ID, Title: "Votre avis", Results: questionnaire.ResultsLive, MinGroupSize: 2,
		Questions: []questionnaire.Question{
			{ID: "arbres", Type: questionnaire.QuestionSingleChoice, Title: "Planter des arbres ?", Mandatory: true,
				Options: []questionnaire.Option{{ID: "oui", Label: "Oui"}, {ID: "non", Label: "Non"}}},
			{ID: "remarque", Type: questionnaire.QuestionLongText, Title: "Une remarque ?"},
		},
	})
	if err != nil {
		panic(err)
	}
	for i, vote := range []string{"oui", "oui", "non"} {
		p, err := core.RegisterParticipant(ctx, &participation.PersonalData{Name: fmt.Sprint("Habitant ", i)})
		if err != nil {
			panic(err)
		}
		prov := civickit.Provenance{Channel: civickit.ChannelWeb}
		if i == 2 {
			prov = civickit.Provenance{Channel: civickit.ChannelPaper, CollectedBy: "agent-1", Place: "mairie"}
		}
		_, _, err = svc.Submit(ctx, questionnaire.SubmitRequest{
			QuestionnaireID: q.ID,
			Respondent:      participation.Respondent{ParticipantID: p.ID, Recruitment: participation.RecruitOpenCall},
			Provenance:      prov,
			Answers: []questionnaire.Answer{
				{Question: "arbres", Choices: []string{vote}},
				{Question: "remarque", Text: "Je suis " + fmt.Sprint("Habitant ", i)},
			},
		})
		if err != nil {
			panic(err)
		}
	}
	// The paper response is alone in its channel (k = 2): left out.
	rep, err := svc.Export(ctx, os.Stdout, q.ID, questionnaire.ExportOptions{
		Format: questionnaire.ExportCSV, Columns: []string{"channel", "submitted_on", "arbres"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("rows:", rep.Rows, "suppressed:", rep.Suppressed)
	// Output:
	// channel,submitted_on,arbres
	// web,2025-03-10,oui
	// web,2025-03-10,oui
	// rows: 2 suppressed: 1
}
