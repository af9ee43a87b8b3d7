package questionnaire_test

import (
	"encoding/json"
	"testing"

	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/questionnaire"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// FuzzCheckAnswers decodes answers from arbitrary JSON and checks them
// against the fixture questionnaire: Check, Displayed and Normalize never
// panic, and answers that pass still pass once normalized.
func FuzzCheckAnswers(f *testing.F) {
	for _, s := range []string{
		`[{"question":"transport","choices":["bus"]},{"question":"frequence","number":3},{"question":"satisfaction","matrix":{"proprete":["bonne"],"securite":["bonne"],"acces":["bonne"]}}]`,
		`[{"question":"transport","choices":["velo"]},{"question":"ameliorations","choices":["arbres","bancs"]},{"question":"precisions","text":"x"}]`,
		`[{"question":"budget","number":1e308},{"question":"visite","date":"2024-02-30"},{"question":"code_postal","text":"\u0000"}]`,
		`[{"question":"projets","matrix":{"p1":["bien","bien"],"":[]}},{"question":"priorites","choices":["calme","calme"]}]`,
		`[]`, `null`, `[{}]`,
	} {
		f.Add([]byte(s))
	}
	q := fixtureQuestionnaire()
	f.Fuzz(func(t *testing.T, data []byte) {
		var answers []questionnaire.Answer
		if json.Unmarshal(data, &answers) != nil {
			return
		}
		_ = q.Displayed(answers)
		err := q.Check(answers)
		norm := q.Normalize(answers)
		if err == nil {
			if err := q.Check(norm); err != nil {
				t.Fatalf("valid answers %s fail once normalized: %v", data, err)
			}
		}
	})
}

// FuzzValidateQuestionnaire decodes a questionnaire from arbitrary JSON:
// validation never panics, and a questionnaire that passes can check,
// normalize and list export columns for any answers without panicking.
func FuzzValidateQuestionnaire(f *testing.F) {
	seed, err := json.Marshal(fixtureQuestionnaire())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed, []byte(`[{"question":"transport","choices":["bus"]}]`))
	f.Add([]byte(`{"title":"t","results":"live","questions":[{"id":"a","type":"scale","title":"x","min":-1e308,"max":1e308}]}`), []byte(`[{"question":"a","number":1}]`))
	f.Add([]byte(`{"title":"t","results":"live","questions":[{"id":"a","type":"short_text","title":"x","pattern":"(a*)*b"},{"id":"b","type":"date","title":"y","conditions":[{"question":"a","kind":"matches","value":"^(a|b)+$"}]}]}`), []byte(`[{"question":"a","text":"aaaa"},{"question":"b","date":"2025-01-01"}]`))
	db := storagetest.Open(f, storage.SQLite)
	core, err := participation.NewService(storage.NewParticipationStore(db), participation.Options{})
	if err != nil {
		f.Fatal(err)
	}
	svc, err := questionnaire.NewService(storage.NewQuestionnaireStore(db), core, questionnaire.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, def, ans []byte) {
		var q questionnaire.Questionnaire
		if json.Unmarshal(def, &q) != nil {
			return
		}
		if svc.ValidateQuestionnaire(&q) != nil {
			return
		}
		var answers []questionnaire.Answer
		_ = json.Unmarshal(ans, &answers)
		_ = q.Check(answers)
		_ = q.Normalize(answers)
		_ = questionnaire.ExportColumns(&q)
	})
}
