package participation_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
)

const day = 24 * time.Hour

func fieldRules(err error) []string {
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

func TestCreateConsultationValidation(t *testing.T) {
	e := newEnv(t, participation.Options{})
	ctx := context.Background()
	base := participationtest.BaseTime
	tests := []struct {
		name   string
		modify func(c *participation.Consultation)
		want   []string
	}{
		{"valid", func(c *participation.Consultation) {}, nil},
		{"active flags and status are ignored", func(c *participation.Consultation) {
			c.Status = participation.StatusOpen
			c.Phases[2].Active = true
		}, nil},
		{"title required", func(c *participation.Consultation) { c.Title = "   " }, []string{"title:required"}},
		{"no phases", func(c *participation.Consultation) { c.Phases = nil }, []string{"phases:required"}},
		{"language tag", func(c *participation.Consultation) { c.Languages = []string{"fr", "not a tag"} },
			[]string{"languages[1]:bcp47_language_tag"}},
		{"duplicate language", func(c *participation.Consultation) { c.Languages = []string{"fr", "fr"} },
			[]string{"languages[1]:unique"}},
		{"unknown phase kind", func(c *participation.Consultation) { c.Phases[1].Kind = "party" },
			[]string{"phases[1].kind:phase_kind"}},
		{"phase twice", func(c *participation.Consultation) { c.Phases[1].Kind = participation.PhaseInformation },
			[]string{"phases[1].kind:unique"}},
		{"phases out of order", func(c *participation.Consultation) {
			c.Phases[0].Kind, c.Phases[1].Kind = c.Phases[1].Kind, c.Phases[0].Kind
		}, []string{"phases[1].kind:phase_order"}},
		{"ends before start", func(c *participation.Consultation) { c.Phases[0].Ends = c.Phases[0].Starts },
			[]string{"phases[0].ends:gtfield"}},
		{"overlap", func(c *participation.Consultation) { c.Phases[2].Starts = c.Phases[1].Ends.Add(-time.Second) },
			[]string{"phases[2].starts:gtefield"}},
		{"missing start", func(c *participation.Consultation) { c.Phases = c.Phases[:1]; c.Phases[0].Starts = time.Time{} },
			[]string{"phases[0].starts:required"}},
		{"gap is fine", func(c *participation.Consultation) {
			c.Phases[4].Starts = base.Add(60 * day)
			c.Phases[4].Ends = base.Add(70 * day)
		}, nil},
		{"settings", func(c *participation.Consultation) {
			c.Settings.Channels = []civickit.Channel{"web", "pigeon", "web"}
			c.Settings.Actions = participation.ActionTable{"debate": {"shout"}, "party": nil}
			c.Settings.AccessPoints = append(c.Settings.AccessPoints, c.Settings.AccessPoints[0])
			c.Settings.Eligibility.MinAssurance = "total"
			c.Settings.MaxCommentDepth = -1
		}, []string{
			"settings.max_comment_depth:gte",
			"settings.actions.debate[0]:action", "settings.actions:phase_kind",
			"settings.channels[1]:channel", "settings.channels[2]:unique",
			"settings.access_points[1].id:unique", "settings.eligibility.min_assurance:assurance",
		}},
		{"empty channel list", func(c *participation.Consultation) { c.Settings.Channels = []civickit.Channel{} },
			[]string{"settings.channels:min"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := draft(i)
			tt.modify(&c)
			got, err := e.svc.CreateConsultation(ctx, c)
			if tt.want == nil {
				require.NoError(t, err)
				assert.Equal(t, participation.StatusDraft, got.Status)
				assert.Nil(t, got.ActivePhase())
				assert.Equal(t, 1, got.Version)
				stored, err := e.svc.GetConsultation(ctx, got.ID)
				require.NoError(t, err)
				assert.Equal(t, participationtest.CanonConsultation(*got), participationtest.CanonConsultation(*stored))
				return
			}
			require.ErrorIs(t, err, participation.ErrInvalid)
			assert.ElementsMatch(t, tt.want, fieldRules(err))
		})
	}
}

func TestActionTable(t *testing.T) {
	all := participation.Actions()
	table := participation.DefaultActionTable()
	// The examples: comments only in debate (and the evaluation
	// debate), responses only in expression.
	for _, k := range participation.PhaseKinds() {
		assert.Equal(t, k == participation.PhaseExpression, table.Allows(k, participation.ActionRespond), "respond in %s", k)
		assert.Equal(t, k == participation.PhaseExpression, table.Allows(k, participation.ActionVote), "vote in %s", k)
		assert.Equal(t, k == participation.PhaseDebate || k == participation.PhaseEvaluation,
			table.Allows(k, participation.ActionComment), "comment in %s", k)
		assert.True(t, table.Allows(k, participation.ActionModerate), "moderate in %s", k)
		assert.True(t, table.Allows(k, participation.ActionReadResource), "read in %s", k)
	}
	table[participation.PhaseDebate] = nil
	assert.True(t, participation.DefaultActionTable().Allows(participation.PhaseDebate, participation.ActionComment),
		"DefaultActionTable returns a copy")
	for _, a := range all {
		assert.True(t, a.Valid())
	}
	assert.False(t, participation.Action("shout").Valid())
}

func TestAllows(t *testing.T) {
	e := newEnv(t, participation.Options{})
	ctx := context.Background()
	c := e.create(t, draft(0))

	_, err := e.svc.CheckAction(ctx, c.ID, participation.ActionComment)
	var pe *participation.PhaseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, participation.PhaseError{Action: participation.ActionComment, Phase: ""}, *pe, "a draft allows nothing")
	_, err = e.svc.CheckAction(ctx, c.ID, participation.ActionModerate)
	assert.NoError(t, err)

	custom := draft(1)
	custom.Settings.Actions = participation.ActionTable{participation.PhaseDebate: {participation.ActionRespond}}
	cc := e.open(t, custom, participation.PhaseDebate)
	tests := []struct {
		id     func() *participation.Consultation
		phase  participation.PhaseKind
		action participation.Action
		ok     bool
	}{
		{func() *participation.Consultation { return cc }, participation.PhaseDebate, participation.ActionRespond, true},
		{func() *participation.Consultation { return cc }, participation.PhaseDebate, participation.ActionComment, false},
	}
	for _, tt := range tests {
		got, err := e.svc.CheckAction(ctx, tt.id().ID, tt.action)
		if tt.ok {
			require.NoError(t, err)
			assert.Equal(t, tt.phase, got.ActivePhase().Kind)
			continue
		}
		require.ErrorIs(t, err, participation.ErrWrongPhase)
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, tt.phase, pe.Phase)
		assert.Equal(t, tt.action, pe.Action)
	}
	for _, k := range participation.PhaseKinds() {
		c := draft(10)
		got := e.open(t, c, k)
		_, err := e.svc.CheckAction(ctx, got.ID, participation.ActionRespond)
		if k == participation.PhaseExpression {
			assert.NoError(t, err)
		} else {
			assert.ErrorIs(t, err, participation.ErrWrongPhase, "respond in %s", k)
		}
	}
	_, err = e.svc.CheckAction(ctx, participationtest.NewID(participationtest.NewRand(9)), participation.ActionRespond)
	assert.ErrorIs(t, err, participation.ErrNotFound)
}

func TestManualTransitions(t *testing.T) {
	e := newEnv(t, participation.Options{})
	ctx := context.Background()
	c := draft(0)
	c.Phases = append(c.Phases[:1], c.Phases[3:]...) // information, expression, evaluation
	got := e.create(t, c)
	id := got.ID

	steps := []struct {
		req     participation.TransitionRequest
		wantErr error
		status  participation.Status
		active  participation.PhaseKind
	}{
		{participation.TransitionRequest{To: participation.PhaseDebate, Actor: "org"}, participation.ErrInvalid, participation.StatusDraft, ""},
		{participation.TransitionRequest{To: participation.PhaseInformation}, participation.ErrInvalid, participation.StatusDraft, ""},
		{participation.TransitionRequest{To: participation.PhaseInformation, Actor: "org-1", Note: "lancement"}, nil, participation.StatusOpen, participation.PhaseInformation},
		{participation.TransitionRequest{To: participation.PhaseInformation, Actor: "org-1"}, participation.ErrIllegalTransition, participation.StatusOpen, participation.PhaseInformation},
		{participation.TransitionRequest{To: participation.PhaseExpression, Actor: "org-2"}, nil, participation.StatusOpen, participation.PhaseExpression},
		{participation.TransitionRequest{To: participation.PhaseInformation, Actor: "org-2"}, participation.ErrIllegalTransition, participation.StatusOpen, participation.PhaseExpression},
		{participation.TransitionRequest{To: participation.PhaseEvaluation, Actor: "org-1"}, nil, participation.StatusOpen, participation.PhaseEvaluation},
		{participation.TransitionRequest{Actor: "org-1", Note: "clôture"}, nil, participation.StatusClosed, ""},
		{participation.TransitionRequest{To: participation.PhaseEvaluation, Actor: "org-1"}, participation.ErrIllegalTransition, participation.StatusClosed, ""},
		{participation.TransitionRequest{Actor: "org-1"}, participation.ErrIllegalTransition, participation.StatusClosed, ""},
	}
	var wantLog []participation.PhaseTransition
	from := participation.PhaseKind("")
	for i, s := range steps {
		e.clock.Set(participationtest.BaseTime.Add(time.Duration(i) * time.Hour))
		_, err := e.svc.Transition(ctx, id, s.req)
		if s.wantErr != nil {
			assert.ErrorIs(t, err, s.wantErr, "step %d", i)
		} else {
			require.NoError(t, err, "step %d", i)
			wantLog = append(wantLog, participation.PhaseTransition{
				ConsultationID: id, Seq: len(wantLog) + 1, From: from, To: s.req.To,
				Trigger: participation.TriggerManual, Actor: s.req.Actor, At: e.clock.Now(), Note: s.req.Note,
			})
			from = s.req.To
		}
		cur, err := e.svc.GetConsultation(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, s.status, cur.Status, "step %d", i)
		if s.active == "" {
			assert.Nil(t, cur.ActivePhase(), "step %d", i)
		} else {
			require.NotNil(t, cur.ActivePhase(), "step %d", i)
			assert.Equal(t, s.active, cur.ActivePhase().Kind, "step %d", i)
		}
	}
	log := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.PhaseTransition], error) {
		return e.svc.ListTransitions(ctx, id, after, limit)
	})
	for i := range log {
		assert.NotZero(t, log[i].ID)
		log[i].ID = uuid.UUID{}
		log[i].At = log[i].At.UTC()
	}
	assert.Equal(t, wantLog, log)

	var te *participation.TransitionError
	_, err := e.svc.Transition(ctx, id, participation.TransitionRequest{Actor: "x"})
	require.ErrorAs(t, err, &te)
	assert.Equal(t, participation.TransitionError{Entity: "consultation", From: "closed", To: "closed"}, *te)
}

func TestScheduledTransitions(t *testing.T) {
	e := newEnv(t, participation.Options{})
	ctx := context.Background()
	base := participationtest.BaseTime
	c := draft(0)
	c.Settings.Schedule = true
	c.Phases = append(c.Phases[:2], c.Phases[3])       // information, debate, expression
	c.Phases[2].Starts = c.Phases[1].Ends.Add(2 * day) // a two-day gap
	c.Phases[2].Ends = c.Phases[2].Starts.Add(7 * day)
	got := e.create(t, c)
	manual := draft(1)
	manual.Settings.Schedule = false
	other := e.create(t, manual)

	type want struct {
		status participation.Status
		active participation.PhaseKind
	}
	steps := []struct {
		at   time.Time
		want want
	}{
		{base.Add(-time.Microsecond), want{participation.StatusDraft, ""}},
		{base, want{participation.StatusOpen, participation.PhaseInformation}},
		{base.Add(7*day - time.Microsecond), want{participation.StatusOpen, participation.PhaseInformation}},
		{base.Add(7 * day), want{participation.StatusOpen, participation.PhaseDebate}},
		{base.Add(15 * day), want{participation.StatusOpen, participation.PhaseDebate}}, // the gap keeps debate
		{base.Add(16 * day), want{participation.StatusOpen, participation.PhaseExpression}},
		{base.Add(23 * day), want{participation.StatusClosed, ""}},
		{base.Add(400 * day), want{participation.StatusClosed, ""}},
	}
	for i, s := range steps {
		e.clock.Set(s.at)
		cur, err := e.svc.GetConsultation(ctx, got.ID)
		require.NoError(t, err)
		assert.Equal(t, s.want.status, cur.Status, "step %d", i)
		if s.want.active == "" {
			assert.Nil(t, cur.ActivePhase(), "step %d", i)
		} else if assert.NotNil(t, cur.ActivePhase(), "step %d", i) {
			assert.Equal(t, s.want.active, cur.ActivePhase().Kind, "step %d", i)
		}
	}
	log := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.PhaseTransition], error) {
		return e.svc.ListTransitions(ctx, got.ID, after, limit)
	})
	require.Len(t, log, 4)
	for _, tr := range log {
		assert.Equal(t, participation.TriggerSchedule, tr.Trigger)
		assert.Equal(t, participation.ScheduleActor, tr.Actor)
	}
	assert.Equal(t, []participation.PhaseKind{"information", "debate", "expression", ""},
		[]participation.PhaseKind{log[0].To, log[1].To, log[2].To, log[3].To})

	cur, err := e.svc.GetConsultation(ctx, other.ID)
	require.NoError(t, err)
	assert.Equal(t, participation.StatusDraft, cur.Status, "no schedule, no move")

	// A late reader jumps straight to the phase of the day: one entry.
	late := e.create(t, c)
	e.clock.Set(base.Add(17 * day))
	cur, err = e.svc.GetConsultation(ctx, late.ID)
	require.NoError(t, err)
	assert.Equal(t, participation.PhaseExpression, cur.ActivePhase().Kind)
	log = participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.PhaseTransition], error) {
		return e.svc.ListTransitions(ctx, late.ID, after, limit)
	})
	require.Len(t, log, 1)
	assert.Equal(t, participation.PhaseKind(""), log[0].From)

	// A phase opened early by hand is not undone by the schedule.
	early := e.create(t, c)
	e.clock.Set(base.Add(day))
	_, err = e.svc.Transition(ctx, early.ID, participation.TransitionRequest{To: participation.PhaseExpression, Actor: "org"})
	require.NoError(t, err)
	e.clock.Set(base.Add(8 * day))
	cur, err = e.svc.GetConsultation(ctx, early.ID)
	require.NoError(t, err)
	assert.Equal(t, participation.PhaseExpression, cur.ActivePhase().Kind)
}

func TestAdvanceSchedule(t *testing.T) {
	e := newEnv(t, participation.Options{})
	ctx := context.Background()
	base := participationtest.BaseTime
	var ids []uuid.UUID
	for i := range 5 {
		c := draft(i)
		c.Settings.Schedule = i != 4
		ids = append(ids, e.create(t, c).ID)
	}
	e.clock.Set(base.Add(-time.Hour))
	n, err := e.svc.AdvanceSchedule(ctx, 0)
	require.NoError(t, err)
	assert.Equal(t, 0, n)
	e.clock.Set(base.Add(time.Hour))
	n, err = e.svc.AdvanceSchedule(ctx, 3)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	n, err = e.svc.AdvanceSchedule(ctx, 0)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	for i, id := range ids {
		c, err := e.store.GetConsultation(ctx, id)
		require.NoError(t, err)
		if i == 4 {
			assert.Equal(t, participation.StatusDraft, c.Status)
		} else {
			assert.Equal(t, participation.StatusOpen, c.Status)
		}
	}
}

func TestUpdateConsultation(t *testing.T) {
	e := newEnv(t, participation.Options{})
	ctx := context.Background()
	c := e.open(t, draft(0), participation.PhaseDebate)

	upd := *c
	upd.Title = "Titre révisé"
	upd.Status = participation.StatusDraft // ignored
	upd.Phases = append([]participation.Phase(nil), c.Phases...)
	upd.Phases[1].Active = false // ignored
	upd.Phases[4].Ends = upd.Phases[4].Ends.Add(7 * day)
	got, err := e.svc.UpdateConsultation(ctx, upd)
	require.NoError(t, err)
	assert.Equal(t, participation.StatusOpen, got.Status)
	assert.Equal(t, participation.PhaseDebate, got.ActivePhase().Kind)
	assert.Equal(t, c.Version+1, got.Version)

	stale := *c
	stale.Title = "Trop tard"
	_, err = e.svc.UpdateConsultation(ctx, stale)
	assert.ErrorIs(t, err, participation.ErrConflict)

	drop := *got
	drop.Phases = append([]participation.Phase(nil), got.Phases[2:]...)
	_, err = e.svc.UpdateConsultation(ctx, drop)
	require.ErrorIs(t, err, participation.ErrInvalid)
	assert.ElementsMatch(t, []string{"phases:keeps_active", "phases:one_active"}, fieldRules(err))

	closed, err := e.svc.Transition(ctx, got.ID, participation.TransitionRequest{Actor: "org"})
	require.NoError(t, err)
	_, err = e.svc.UpdateConsultation(ctx, *closed)
	assert.ErrorIs(t, err, participation.ErrIllegalTransition)
}

func TestListConsultations(t *testing.T) {
	e := newEnv(t, participation.Options{})
	ctx := context.Background()
	var ids []uuid.UUID
	for i := range 7 {
		e.clock.Set(participationtest.BaseTime.Add(time.Duration(i) * time.Minute))
		ids = append(ids, e.create(t, draft(i)).ID)
	}
	var got []uuid.UUID
	for _, c := range participationtest.ReadAll(t, 3, func(after string, limit int) (civickit.Page[participation.Consultation], error) {
		return e.svc.ListConsultations(ctx, participation.ConsultationFilter{}, after, limit)
	}) {
		got = append(got, c.ID)
	}
	slices.Reverse(ids)
	assert.Equal(t, ids, got, "newest first")

	_, err := e.svc.ListConsultations(ctx, participation.ConsultationFilter{}, "!!", 3)
	assert.Equal(t, []string{"after:cursor"}, fieldRules(err))
	_, err = e.svc.ListConsultations(ctx, participation.ConsultationFilter{Status: "paused"}, "", -1)
	assert.ElementsMatch(t, []string{"status:oneof", "limit:gte"}, fieldRules(err))
	page, err := e.svc.ListConsultations(ctx, participation.ConsultationFilter{}, "", civickit.MaxLimit+1)
	require.NoError(t, err, "a limit above the maximum is cut")
	assert.Len(t, page.Items, 7)
	page, err = e.svc.ListConsultations(ctx, participation.ConsultationFilter{Territory: "none"}, "", 0)
	require.NoError(t, err)
	assert.NotNil(t, page.Items)
	assert.Empty(t, page.Items)
}

// FuzzListConsultationsCursor feeds arbitrary cursors to a listing: it
// never panics, and a cursor it refuses is ErrInvalid.
func FuzzListConsultationsCursor(f *testing.F) {
	f.Add("")
	f.Add("MTIzXw")
	f.Add(civickit.EncodeCursor(map[string]any{"n": 1, "id": "0193a5e2-7c1f-7d2b-9a6e-3c4d5e6f7a8b"}))
	f.Add(civickit.EncodeCursor(map[string]any{"n": "x"}))
	e := newEnv(f, participation.Options{})
	f.Fuzz(func(t *testing.T, s string) {
		_, err := e.svc.ListConsultations(context.Background(), participation.ConsultationFilter{}, s, 2)
		if err != nil {
			require.ErrorIs(t, err, participation.ErrInvalid)
		}
	})
}
