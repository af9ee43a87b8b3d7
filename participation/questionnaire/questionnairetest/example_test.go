package questionnairetest_test

import (
	"fmt"

	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/participation/questionnaire/questionnairetest"
)

// The fixture questionnaire holds one question of every type, and its
// random answers keep every rule.
func ExampleNewQuestionnaire() {
	rng := participationtest.NewRand(1)
	q := questionnairetest.NewQuestionnaire(rng, participationtest.NewID(rng), 0)
	types := map[string]bool{}
	for _, qq := range q.Questions {
		types[string(qq.Type)] = true
	}
	fmt.Println(len(q.Questions), "questions,", len(types), "types")
	for range 100 {
		if err := q.Check(questionnairetest.NewAnswers(rng, q)); err != nil {
			fmt.Println(err)
		}
	}
	// Output:
	// 14 questions, 12 types
}
