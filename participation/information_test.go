package participation_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
)

func TestInformationValidation(t *testing.T) {
	e := newEnv(t, participation.Options{})
	ctx := context.Background()
	c := e.create(t, draft(0))
	tests := []struct {
		name string
		r    participation.Resource
		want []string
	}{
		{"document", participation.Resource{Kind: "document", Title: "Plan", URL: "https://example.org/plan.pdf"}, nil},
		{"faq", participation.Resource{Kind: "faq", Title: "Combien ?", Body: "2 M€."}, nil},
		{"faq without answer", participation.Resource{Kind: "faq", Title: "Combien ?"}, []string{"body:required_if"}},
		{"link without url", participation.Resource{Kind: "link", Title: "Site"}, []string{"url:required_unless"}},
		{"bad url", participation.Resource{Kind: "link", Title: "Site", URL: "javascript:alert(1)"}, []string{"url:http_url"}},
		{"ftp url", participation.Resource{Kind: "link", Title: "Site", URL: "ftp://example.org/x"}, []string{"url:http_url"}},
		{"unknown kind", participation.Resource{Kind: "poster", Title: "Affiche", URL: "https://example.org"}, []string{"kind:resource_kind"}},
		{"no title", participation.Resource{Kind: "video", URL: "https://example.org/v"}, []string{"title:required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.svc.AddResource(ctx, c.ID, tt.r)
			if tt.want == nil {
				require.NoError(t, err)
				assert.Equal(t, c.ID, got.ConsultationID)
				return
			}
			require.ErrorIs(t, err, participation.ErrInvalid)
			assert.ElementsMatch(t, tt.want, fieldRules(err))
		})
	}
	_, err := e.svc.AddResource(ctx, uuid.New(), tests[0].r)
	assert.ErrorIs(t, err, participation.ErrNotFound)

	_, err = e.svc.AddPreliminaryQuestion(ctx, c.ID, participation.PreliminaryQuestion{Prompt: "?", Choices: []string{"a", " a", ""}})
	require.ErrorIs(t, err, participation.ErrInvalid)
	assert.ElementsMatch(t, []string{"choices[2]:required", "choices[1]:unique"}, fieldRules(err))
}

func TestReflection(t *testing.T) {
	e := newEnv(t, participation.Options{})
	ctx := context.Background()
	d := draft(0)
	d.Settings.ReflectionRequired = true
	c := e.create(t, d)
	d.Settings.ReflectionOnPaper = true
	strict := e.create(t, d)
	d.Settings.ReflectionRequired, d.Settings.ReflectionOnPaper = false, false
	free := e.create(t, d)

	add := func(cid uuid.UUID) (req, opt *participation.Resource, mand, choice *participation.PreliminaryQuestion) {
		var err error
		req, err = e.svc.AddResource(ctx, cid, participation.Resource{Kind: "document", Title: "Dossier", URL: "https://example.org/d.pdf", Required: true})
		require.NoError(t, err)
		opt, err = e.svc.AddResource(ctx, cid, participation.Resource{Kind: "faq", Title: "Coût ?", Body: "2 M€", Position: 1})
		require.NoError(t, err)
		mand, err = e.svc.AddPreliminaryQuestion(ctx, cid, participation.PreliminaryQuestion{Prompt: "Qu'avez-vous retenu ?", Mandatory: true})
		require.NoError(t, err)
		choice, err = e.svc.AddPreliminaryQuestion(ctx, cid, participation.PreliminaryQuestion{Prompt: "Utilisez-vous la place ?", Choices: []string{"oui", "non"}, Position: 1})
		require.NoError(t, err)
		return
	}
	req, opt, mand, choice := add(c.ID)
	sreq, _, smand, _ := add(strict.ID)
	add(free.ID)
	p, err := e.svc.RegisterParticipant(ctx, nil)
	require.NoError(t, err)

	// Draft: reading is refused with the phase named.
	err = e.svc.RecordRead(ctx, c.ID, req.ID, p.ID, civickit.ChannelWeb)
	require.ErrorIs(t, err, participation.ErrWrongPhase)

	for _, id := range []uuid.UUID{c.ID, strict.ID, free.ID} {
		_, err = e.svc.Transition(ctx, id, participation.TransitionRequest{To: participation.PhaseReflection, Actor: "org"})
		require.NoError(t, err)
	}

	// Nothing done: web needs everything; paper needs nothing unless configured.
	err = e.svc.CheckReflection(ctx, c.ID, p.ID, civickit.ChannelWeb)
	require.ErrorIs(t, err, participation.ErrInvalid)
	assert.ElementsMatch(t, []string{
		"reflection.resources." + req.ID.String() + ":read",
		"reflection.questions." + mand.ID.String() + ":answered",
	}, fieldRules(err))
	for _, ch := range []civickit.Channel{civickit.ChannelPaper, civickit.ChannelKiosk, civickit.ChannelMediator, civickit.ChannelImport} {
		assert.NoError(t, e.svc.CheckReflection(ctx, c.ID, p.ID, ch), "%s", ch)
		assert.Error(t, e.svc.CheckReflection(ctx, strict.ID, p.ID, ch), "%s when configured", ch)
	}
	assert.NoError(t, e.svc.CheckReflection(ctx, free.ID, p.ID, civickit.ChannelWeb))
	assert.ErrorIs(t, e.svc.CheckReflection(ctx, c.ID, p.ID, "pigeon"), participation.ErrInvalid)

	// Answers are checked against the question.
	tests := []struct {
		q      *participation.PreliminaryQuestion
		answer string
		rule   string
	}{
		{mand, "  ", "answer:required"},
		{choice, "peut-être", "answer:oneof"},
		{choice, "", ""}, // optional: may stay empty
		{choice, "oui", ""},
		{mand, "Le coût et le calendrier.", ""},
	}
	for _, tt := range tests {
		err := e.svc.AnswerPreliminary(ctx, c.ID, tt.q.ID, p.ID, tt.answer, civickit.ChannelWeb)
		if tt.rule == "" {
			assert.NoError(t, err, "%q", tt.answer)
		} else {
			assert.Equal(t, []string{tt.rule}, fieldRules(err), "%q", tt.answer)
		}
	}
	err = e.svc.AnswerPreliminary(ctx, c.ID, smand.ID, p.ID, "x", civickit.ChannelWeb)
	assert.ErrorIs(t, err, participation.ErrNotFound, "a question of another consultation")
	err = e.svc.RecordRead(ctx, c.ID, sreq.ID, p.ID, civickit.ChannelWeb)
	assert.ErrorIs(t, err, participation.ErrNotFound, "a resource of another consultation")

	err = e.svc.CheckReflection(ctx, c.ID, p.ID, civickit.ChannelWeb)
	assert.Equal(t, []string{"reflection.resources." + req.ID.String() + ":read"}, fieldRules(err))
	require.NoError(t, e.svc.RecordRead(ctx, c.ID, opt.ID, p.ID, civickit.ChannelWeb))
	require.Error(t, e.svc.CheckReflection(ctx, c.ID, p.ID, civickit.ChannelWeb), "an optional read is not enough")
	err = e.svc.RecordRead(ctx, c.ID, req.ID, p.ID, civickit.ChannelKiosk)
	assert.Equal(t, []string{"channel:offered"}, fieldRules(err), "the fixture offers web and paper only")
	require.Error(t, e.svc.CheckReflection(ctx, c.ID, p.ID, civickit.ChannelWeb), "the refused read stored nothing")
	require.NoError(t, e.svc.RecordRead(ctx, c.ID, req.ID, p.ID, civickit.ChannelPaper))
	require.NoError(t, e.svc.RecordRead(ctx, c.ID, req.ID, p.ID, civickit.ChannelWeb), "again")
	assert.NoError(t, e.svc.CheckReflection(ctx, c.ID, p.ID, civickit.ChannelWeb))

	r, err := e.svc.Reflection(ctx, c.ID, p.ID)
	require.NoError(t, err)
	assert.True(t, r.Complete())
	counts, err := e.svc.ReadCounts(ctx, c.ID)
	require.NoError(t, err)
	total := map[uuid.UUID]int{}
	for _, rc := range counts {
		total[rc.ResourceID] += rc.Count
	}
	assert.Equal(t, map[uuid.UUID]int{req.ID: 1, opt.ID: 1}, total, "one participant, first reads only")
	assert.Equal(t, []uuid.UUID{req.ID, opt.ID}, r.Read)
	assert.Equal(t, []uuid.UUID{mand.ID, choice.ID}, r.Answered)

	// The expression phase still allows answering, the debate would not.
	_, err = e.svc.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseExpression, Actor: "org"})
	require.NoError(t, err)
	assert.NoError(t, e.svc.AnswerPreliminary(ctx, c.ID, choice.ID, p.ID, "non", civickit.ChannelPaper))
	_, err = e.svc.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseEvaluation, Actor: "org"})
	require.NoError(t, err)
	err = e.svc.AnswerPreliminary(ctx, c.ID, choice.ID, p.ID, "oui", civickit.ChannelWeb)
	var pe *participation.PhaseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, participation.PhaseEvaluation, pe.Phase)
	r, err = e.svc.Reflection(ctx, c.ID, p.ID)
	require.NoError(t, err)
	assert.Len(t, r.Answered, 2, "the refused answer stored nothing")
	answers := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.PreliminaryAnswer], error) {
		return e.store.ListPreliminaryAnswers(ctx, c.ID, p.ID, after, limit)
	})
	for _, a := range answers {
		if a.QuestionID == choice.ID {
			assert.Equal(t, "non", a.Answer)
			assert.Equal(t, civickit.ChannelPaper, a.Channel)
		}
	}
}
