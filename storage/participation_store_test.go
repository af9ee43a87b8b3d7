package storage_test

import (
	"testing"

	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/debate"
	"github.com/civickit/civickit/participation/debate/debatetest"
	"github.com/civickit/civickit/participation/evaluation"
	"github.com/civickit/civickit/participation/evaluation/evaluationtest"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/participation/proposals"
	"github.com/civickit/civickit/participation/proposals/proposalstest"
	"github.com/civickit/civickit/participation/questionnaire"
	"github.com/civickit/civickit/participation/questionnaire/questionnairetest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// TestParticipationStore runs the conformance suite of the consultation
// core on every engine of the matrix, each subtest on a fresh database.
func TestParticipationStore(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		participationtest.TestStore(t, func(t *testing.T) participation.Store {
			return storage.NewParticipationStore(storagetest.Open(t, e))
		})
	})
}

// TestDebateStore runs the debate conformance suite on every engine.
func TestDebateStore(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		debatetest.TestStore(t, func(t *testing.T) (debate.Store, participation.Store) {
			db := storagetest.Open(t, e)
			return storage.NewDebateStore(db), storage.NewParticipationStore(db)
		})
	})
}

// TestProposalStore runs the proposals conformance suite on every engine.
func TestProposalStore(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		proposalstest.TestStore(t, func(t *testing.T) (proposals.Store, participation.Store) {
			db := storagetest.Open(t, e)
			return storage.NewProposalStore(db), storage.NewParticipationStore(db)
		})
	})
}

// TestQuestionnaireStore runs the questionnaire conformance suite on
// every engine.
func TestQuestionnaireStore(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		questionnairetest.TestStore(t, func(t *testing.T) (questionnaire.Store, participation.Store) {
			db := storagetest.Open(t, e)
			return storage.NewQuestionnaireStore(db), storage.NewParticipationStore(db)
		})
	})
}

// TestEvaluationStore runs the evaluation conformance suite on every
// engine.
func TestEvaluationStore(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		evaluationtest.TestStore(t, func(t *testing.T) (evaluation.Store, participation.Store) {
			db := storagetest.Open(t, e)
			return storage.NewEvaluationStore(db), storage.NewParticipationStore(db)
		})
	})
}
