package storage_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
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

// TestParticipationModerationKinds checks, on every engine, that the
// debate and proposals stores share the reports and the moderation log
// but each answers for its own item kinds only.
func TestParticipationModerationKinds(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		ctx := context.Background()
		db := storagetest.Open(t, e)
		core, ds, ps := storage.NewParticipationStore(db), storage.NewDebateStore(db), storage.NewProposalStore(db)
		rng := participationtest.NewRand(1)
		c := participationtest.NewConsultation(rng, 0)
		require.NoError(t, core.CreateConsultation(ctx, c))
		var people []uuid.UUID
		for i := range 2 {
			p, pd := participationtest.NewParticipant(rng, i)
			require.NoError(t, core.CreateParticipant(ctx, p, pd))
			people = append(people, p.ID)
		}
		cm := debatetest.NewComment(rng, c.ID, people[0], nil, 0)
		_, err := ds.CreateComment(ctx, cm)
		require.NoError(t, err)
		pr := proposalstest.NewProposal(rng, c.ID, people[0], 0)
		_, err = ps.CreateProposal(ctx, pr)
		require.NoError(t, err)
		comment := participation.ItemRef{Kind: participation.ItemComment, ID: cm.ID}
		proposal := participation.ItemRef{Kind: participation.ItemProposal, ID: pr.ID}
		report := func(st participation.ModerationStore, item participation.ItemRef) error {
			_, err := st.CreateReport(ctx, &participation.Report{ID: participationtest.NewID(rng), Item: item,
				ReporterID: people[1], Reason: participation.ReasonSpam, CreatedAt: participationtest.BaseTime}, 1,
				&participation.ModerationDecision{ID: participationtest.NewID(rng), Kind: participation.DecisionAutoHide,
					Moderator: participation.AutoHideActor, At: participationtest.BaseTime})
			return err
		}
		assert.ErrorIs(t, report(ds, proposal), participation.ErrNotFound, "the debate store holds no proposal")
		assert.ErrorIs(t, report(ps, comment), participation.ErrNotFound, "the proposals store holds no comment")
		require.NoError(t, report(ds, comment))
		require.NoError(t, report(ps, proposal))

		for _, tt := range []struct {
			st   participation.ModerationStore
			item participation.ItemRef
		}{{ds, comment}, {ps, proposal}} {
			queue := participationtest.ReadAll(t, 1, func(after string, limit int) (civickit.Page[participation.QueuedItem], error) {
				return tt.st.ListModerationQueue(ctx, c.ID, after, limit)
			})
			require.Len(t, queue, 1)
			assert.Equal(t, tt.item, queue[0].Item)
			log := participationtest.ReadAll(t, 1, func(after string, limit int) (civickit.Page[participation.ModerationDecision], error) {
				return tt.st.ListModerationDecisions(ctx, c.ID, after, limit)
			})
			require.Len(t, log, 1, "the automatic hiding of its own item only")
			assert.Equal(t, tt.item, log[0].Item)
		}
	})
}

// TestParticipationForgedCursors feeds well-formed cursors holding keys
// no store wrote (an ID that is no UUID, a NUL byte) to the lists, on
// every engine: each is refused as a malformed cursor before the engine
// sees it, never as a database error.
func TestParticipationForgedCursors(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		ctx := context.Background()
		db := storagetest.Open(t, e)
		core, ds, es := storage.NewParticipationStore(db), storage.NewDebateStore(db), storage.NewEvaluationStore(db)
		id := participationtest.NewID(participationtest.NewRand(1))
		lists := map[string]func(after string) error{
			"consultations": func(after string) error {
				_, err := core.ListConsultations(ctx, participation.ConsultationFilter{}, after, 2)
				return err
			},
			"resources": func(after string) error { _, err := core.ListResources(ctx, id, after, 2); return err },
			"comments":  func(after string) error { _, err := ds.ListComments(ctx, id, after, 2); return err },
			"opinions":  func(after string) error { _, err := ds.ListOpinions(ctx, id, after, 2); return err },
			"milestones": func(after string) error {
				_, err := es.ListMilestones(ctx, id, after, 2)
				return err
			},
		}
		tests := []struct {
			after   string
			refused []string // the lists whose keys the cursor breaks
		}{
			{civickit.EncodeCursor(map[string]any{"n": 1, "id": "not-a-uuid"}), []string{"consultations", "resources", "opinions", "milestones"}},
			{civickit.EncodeCursor(map[string]any{"s": "a\x00b", "id": id.String()}), []string{"comments", "opinions", "milestones"}},
		}
		for _, tt := range tests {
			for name, list := range lists {
				err := list(tt.after)
				if slices.Contains(tt.refused, name) {
					assert.ErrorIs(t, err, participation.ErrInvalid, "%s", name)
				} else {
					assert.NoError(t, err, "%s", name)
				}
			}
		}
	})
}
