package evaluation_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/evaluation"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

func item(id, parent int, progress, weight float64) evaluation.FollowUpItem {
	it := evaluation.FollowUpItem{ID: uuid.UUID{15: byte(id)}, Position: id, Progress: progress, Weight: weight,
		Status: evaluation.FollowUpInProgress}
	if parent > 0 {
		p := uuid.UUID{15: byte(parent)}
		it.ParentID = &p
	}
	return it
}

func TestBuildFollowUpTree(t *testing.T) {
	tests := []struct {
		name  string
		items []evaluation.FollowUpItem
		want  map[int]float64 // computed progress by item id
		total float64
	}{
		{"empty", nil, map[int]float64{}, 0},
		{"one leaf", []evaluation.FollowUpItem{item(1, 0, 40, 1)}, map[int]float64{1: 40}, 40},
		{
			// 2 = (3*100 + 1*20) / 4 = 80; 1 = (1*80 + 1*50) / 2 = 65
			"weighted mean of children, recursively",
			[]evaluation.FollowUpItem{
				item(1, 0, 0, 1), item(2, 1, 0, 1), item(3, 1, 50, 1),
				item(4, 2, 100, 3), item(5, 2, 20, 1),
			},
			map[int]float64{1: 65, 2: 80, 3: 50, 4: 100, 5: 20}, 65,
		},
		{
			"a parent's own progress is ignored; weight 0 counts as 1",
			[]evaluation.FollowUpItem{item(1, 0, 99, 2), item(2, 1, 30, 0), item(3, 1, 60, 0), item(6, 0, 10, 1)},
			map[int]float64{1: 45, 2: 30, 3: 60, 6: 10}, (2*45 + 10) / 3.0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roots, err := evaluation.BuildFollowUpTree(tt.items, nil)
			require.NoError(t, err)
			got := map[int]float64{}
			var walk func(ns []*evaluation.FollowUpNode)
			walk = func(ns []*evaluation.FollowUpNode) {
				for _, n := range ns {
					got[int(n.Item.ID[15])] = n.Progress
					walk(n.Children)
				}
			}
			walk(roots)
			assert.InDeltaMapValues(t, tt.want, got, 1e-9)
			assert.InDelta(t, tt.total, evaluation.WeightedProgress(roots), 1e-9)
		})
	}

	_, err := evaluation.BuildFollowUpTree([]evaluation.FollowUpItem{item(1, 2, 0, 1), item(2, 1, 0, 1)}, nil)
	assert.ErrorIs(t, err, participation.ErrInvalid, "cycle")
	_, err = evaluation.BuildFollowUpTree([]evaluation.FollowUpItem{item(1, 7, 0, 1)}, nil)
	assert.ErrorIs(t, err, participation.ErrInvalid, "unknown parent")
	_, err = evaluation.BuildFollowUpTree([]evaluation.FollowUpItem{item(1, 0, 0, 1), item(1, 0, 0, 1)}, nil)
	assert.ErrorIs(t, err, participation.ErrInvalid, "duplicate")
	_, err = evaluation.BuildFollowUpTree([]evaluation.FollowUpItem{item(1, 0, 0, 1)},
		[]evaluation.Milestone{{ItemID: uuid.UUID{15: 9}}})
	assert.ErrorIs(t, err, participation.ErrInvalid, "milestone of an unknown item")

	// Children come out by (Position, ID) whatever the input order.
	roots, err := evaluation.BuildFollowUpTree([]evaluation.FollowUpItem{item(5, 1, 0, 1), item(3, 1, 0, 1), item(1, 0, 0, 1), item(4, 1, 0, 1)}, nil)
	require.NoError(t, err)
	var order []byte
	for _, c := range roots[0].Children {
		order = append(order, c.Item.ID[15])
	}
	assert.Equal(t, []byte{3, 4, 5}, order)
}

func TestEvaluationStep(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.open(t, draft(0), participation.PhaseExpression)
	decision := evaluation.Decision{Summary: "Le conseil retient la variante B.", DecidedBy: "Conseil municipal",
		DecidedOn: time.Date(2025, 6, 30, 18, 45, 0, 0, time.FixedZone("CEST", 7200)), DocumentURL: "https://example.org/d.pdf"}

	// Before the evaluation phase: refused with the phase named, nothing stored.
	_, err := e.svc.SetDecision(ctx, c.ID, decision)
	var pe *participation.PhaseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, participation.PhaseExpression, pe.Phase)
	_, err = e.svc.AddFollowUpItem(ctx, c.ID, evaluation.FollowUpItem{Title: "x", Status: "planned"})
	require.ErrorIs(t, err, participation.ErrWrongPhase)
	ev, err := e.svc.Evaluation(ctx, c.ID)
	require.NoError(t, err)
	assert.Nil(t, ev.Decision)
	assert.Empty(t, ev.Items)

	_, err = e.core.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseEvaluation, Actor: "org"})
	require.NoError(t, err)
	_, err = e.svc.SetDecision(ctx, c.ID, evaluation.Decision{Summary: "x"})
	require.ErrorIs(t, err, participation.ErrInvalid)
	assert.ElementsMatch(t, []string{"decided_by:required", "decided_on:required"}, fieldRules(err))
	d, err := e.svc.SetDecision(ctx, c.ID, decision)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), d.DecidedOn, "a date")
	assert.Equal(t, 1, d.Version)
	_, err = e.svc.SetDecision(ctx, c.ID, decision)
	assert.ErrorIs(t, err, participation.ErrConflict, "a second decision without the version")
	d.Summary = "Le conseil retient la variante B, amendée."
	d, err = e.svc.SetDecision(ctx, c.ID, *d)
	require.NoError(t, err)
	assert.Equal(t, 2, d.Version)

	// The follow-up tree.
	add := func(title string, parent *uuid.UUID, progress, weight float64, status evaluation.FollowUpStatus) *evaluation.FollowUpItem {
		it, err := e.svc.AddFollowUpItem(ctx, c.ID, evaluation.FollowUpItem{Title: title, ParentID: parent,
			Progress: progress, Weight: weight, Status: status})
		require.NoError(t, err)
		return it
	}
	works := add("Travaux", nil, 0, 3, evaluation.FollowUpInProgress)
	roads := add("Voirie", &works.ID, 100, 2, evaluation.FollowUpCompleted)
	trees := add("Plantations", &works.ID, 25, 1, evaluation.FollowUpInProgress)
	report := add("Rapport public", nil, 0, 1, evaluation.FollowUpPlanned)
	ev, err = e.svc.Evaluation(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, ev.Items, 2)
	assert.InDelta(t, 75, ev.Items[0].Progress, 1e-9) // (2*100 + 1*25) / 3
	assert.InDelta(t, 56.25, ev.Progress, 1e-9)       // (3*75 + 1*0) / 4
	assert.Equal(t, roads.ID, ev.Items[0].Children[0].Item.ID)

	tests := []struct {
		name string
		it   evaluation.FollowUpItem
		want []string
	}{
		{"completed below 100", evaluation.FollowUpItem{Title: "x", Status: "completed", Progress: 90}, []string{"progress:eq_when_completed"}},
		{"progress above 100", evaluation.FollowUpItem{Title: "x", Status: "planned", Progress: 101}, []string{"progress:lte"}},
		{"NaN", evaluation.FollowUpItem{Title: "x", Status: "planned", Progress: math.NaN()}, []string{"progress:gte", "progress:finite"}},
		{"negative weight", evaluation.FollowUpItem{Title: "x", Status: "planned", Weight: -1}, []string{"weight:gte"}},
		{"unknown status", evaluation.FollowUpItem{Title: "x", Status: "abandoned"}, []string{"status:follow_up_status"}},
		{"dates", evaluation.FollowUpItem{Title: "x", Status: "planned", StartsOn: ptr(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)),
			EndsOn: ptr(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))}, []string{"ends_on:gtefield"}},
	}
	for _, tt := range tests {
		_, err := e.svc.AddFollowUpItem(ctx, c.ID, tt.it)
		assert.Equal(t, tt.want, fieldRules(err), tt.name)
	}

	// Re-parenting: no cycles, same consultation only.
	moved := *works
	moved.ParentID = &trees.ID
	_, err = e.svc.UpdateFollowUpItem(ctx, moved)
	assert.Equal(t, []string{"parent_id:acyclic"}, fieldRules(err))
	other := e.open(t, draft(1), participation.PhaseEvaluation)
	foreign, err := e.svc.AddFollowUpItem(ctx, other.ID, evaluation.FollowUpItem{Title: "Ailleurs", Status: "planned"})
	require.NoError(t, err)
	moved.ParentID = &foreign.ID
	_, err = e.svc.UpdateFollowUpItem(ctx, moved)
	assert.Equal(t, []string{"parent_id:same_consultation"}, fieldRules(err))
	mv := *report
	mv.ParentID = &works.ID
	_, err = e.svc.UpdateFollowUpItem(ctx, mv)
	require.NoError(t, err)
	upd := *trees
	upd.Progress = 100
	upd.Status = evaluation.FollowUpCompleted
	_, err = e.svc.UpdateFollowUpItem(ctx, upd)
	require.NoError(t, err)
	_, err = e.svc.UpdateFollowUpItem(ctx, upd)
	assert.ErrorIs(t, err, participation.ErrConflict, "stale version")
	ev, err = e.svc.Evaluation(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, ev.Items, 1)
	assert.InDelta(t, 75, ev.Progress, 1e-9) // (2*100 + 1*100 + 1*0) / 4

	// Milestones.
	m, err := e.svc.AddMilestone(ctx, roads.ID, evaluation.Milestone{Title: "Réception des travaux", DueOn: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	_, err = e.svc.AddMilestone(ctx, roads.ID, evaluation.Milestone{Title: "Bilan"})
	assert.Equal(t, []string{"due_on:required"}, fieldRules(err))
	_, err = e.svc.AddMilestone(ctx, uuid.New(), evaluation.Milestone{Title: "x", DueOn: time.Now()})
	assert.ErrorIs(t, err, participation.ErrNotFound)
	reached := time.Date(2026, 2, 27, 15, 0, 0, 0, time.UTC)
	m, err = e.svc.ReachMilestone(ctx, c.ID, m.ID, m.Version, &reached)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 2, 27, 0, 0, 0, 0, time.UTC), *m.ReachedOn)
	_, err = e.svc.ReachMilestone(ctx, c.ID, m.ID, 1, nil)
	assert.ErrorIs(t, err, participation.ErrConflict)
	ev, err = e.svc.Evaluation(ctx, c.ID)
	require.NoError(t, err)
	assert.Len(t, ev.Items[0].Children[0].Milestones, 1)

	// A follow-up consultation, linked both ways.
	next := draft(2)
	next.Title = "Évaluation de la place réaménagée"
	fc, err := e.svc.StartFollowUpConsultation(ctx, c.ID, next)
	require.NoError(t, err)
	require.NotNil(t, fc.FollowUpOf)
	assert.Equal(t, c.ID, *fc.FollowUpOf)
	ev, err = e.svc.Evaluation(ctx, c.ID)
	require.NoError(t, err)
	require.NotNil(t, ev.Decision.FollowUpConsultationID)
	assert.Equal(t, fc.ID, *ev.Decision.FollowUpConsultationID)
	_, err = e.svc.StartFollowUpConsultation(ctx, c.ID, next)
	assert.ErrorIs(t, err, participation.ErrConflict)
	_, err = e.svc.StartFollowUpConsultation(ctx, other.ID, next)
	assert.ErrorIs(t, err, participation.ErrNotFound, "no decision yet")

	// Closed consultations still take follow-up work.
	_, err = e.core.Transition(ctx, c.ID, participation.TransitionRequest{Actor: "org"})
	require.NoError(t, err)
	_, err = e.svc.AddFollowUpItem(ctx, c.ID, evaluation.FollowUpItem{Title: "Suivi", Status: "planned"})
	assert.NoError(t, err)
}

func ptr[T any](v T) *T { return &v }

// env is an evaluation Service and the consultation Service beside it,
// over a fresh SQLite database.
type env struct {
	db   *storage.DB
	core *participation.Service
	svc  *evaluation.Service
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := storagetest.Open(t, storage.SQLite)
	now := func() time.Time { return participationtest.BaseTime.Add(-24 * time.Hour) }
	core, err := participation.NewService(storage.NewParticipationStore(db), participation.Options{Now: now})
	require.NoError(t, err)
	svc, err := evaluation.NewService(storage.NewEvaluationStore(db), core, evaluation.Options{Now: now})
	require.NoError(t, err)
	return &env{db: db, core: core, svc: svc}
}

// draft returns a valid consultation input whose five phases are a week
// each from participationtest.BaseTime.
func draft(i int) participation.Consultation {
	return *participationtest.NewConsultation(participationtest.NewRand(uint64(100+i)), 0)
}

// open creates consultation c and opens it at phase k.
func (e *env) open(t *testing.T, c participation.Consultation, k participation.PhaseKind) *participation.Consultation {
	t.Helper()
	ctx := context.Background()
	got, err := e.core.CreateConsultation(ctx, c)
	require.NoError(t, err)
	got, err = e.core.Transition(ctx, got.ID, participation.TransitionRequest{To: k, Actor: "organiser"})
	require.NoError(t, err)
	return got
}

func fieldRules(err error) []string {
	var out []string
	for _, f := range civickit.FieldErrors(err) {
		out = append(out, f.Path+":"+f.Rule)
	}
	return out
}

// outcomeFunc adapts a function to evaluation.OutcomeSource.
type outcomeFunc func(ctx context.Context, consultationID uuid.UUID) ([]evaluation.Outcome, error)

func (f outcomeFunc) Outcomes(ctx context.Context, consultationID uuid.UUID) ([]evaluation.Outcome, error) {
	return f(ctx, consultationID)
}

// The evaluation shows what its OutcomeSource gives for the
// consultation, and fails with it; without one, no outcomes (an empty
// list in JSON). Package vote tests the source a vote provides.
func TestEvaluationOutcomes(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	c := e.open(t, draft(0), participation.PhaseEvaluation)
	ev, err := e.svc.Evaluation(ctx, c.ID)
	require.NoError(t, err)
	assert.NotNil(t, ev.Outcomes)
	assert.Empty(t, ev.Outcomes)

	want := []evaluation.Outcome{{Source: evaluation.SourceVote, ElectionID: uuid.New(), QuestionID: "q", Method: "plurality",
		Winners: []string{"Oui"}, Elected: []string{"Oui"}, Ballots: 12, Final: true}}
	var asked []uuid.UUID
	down := errors.New("ballot box unreachable")
	fail := false
	src := outcomeFunc(func(_ context.Context, id uuid.UUID) ([]evaluation.Outcome, error) {
		asked = append(asked, id)
		if fail {
			return nil, down
		}
		return want, nil
	})
	now := func() time.Time { return participationtest.BaseTime.Add(-24 * time.Hour) }
	svc, err := evaluation.NewService(storage.NewEvaluationStore(e.db), e.core, evaluation.Options{Now: now, Outcomes: src})
	require.NoError(t, err)
	ev, err = svc.Evaluation(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, want, ev.Outcomes)
	assert.Equal(t, []uuid.UUID{c.ID}, asked)

	fail = true
	_, err = svc.Evaluation(ctx, c.ID)
	assert.ErrorIs(t, err, down)
	_, err = svc.Evaluation(ctx, uuid.New())
	assert.ErrorIs(t, err, participation.ErrNotFound, "an unknown consultation, before asking the source")
	assert.Len(t, asked, 2)
}
