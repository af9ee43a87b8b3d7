package proposals_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/participation/proposals"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

var web = civickit.Provenance{Channel: civickit.ChannelWeb}

// env is a proposals Service and the consultation Service beside it,
// over a fresh SQLite database, with a consultation in its debate phase
// (web and paper offered, minimum age 16) and a few adult participants.
type env struct {
	core   *participation.Service
	svc    *proposals.Service
	c      *participation.Consultation
	people []uuid.UUID
}

func newEnv(t *testing.T, people int, edit func(c *participation.Consultation)) *env {
	t.Helper()
	ctx := context.Background()
	db := storagetest.Open(t, storage.SQLite)
	at := participationtest.BaseTime.Add(7*24*time.Hour + time.Hour) // in the debate week
	clock := func() time.Time { at = at.Add(time.Second); return at }
	core, err := participation.NewService(storage.NewParticipationStore(db), participation.Options{Now: clock})
	require.NoError(t, err)
	svc, err := proposals.NewService(storage.NewProposalStore(db), core, proposals.Options{Now: clock})
	require.NoError(t, err)
	rng := participationtest.NewRand(77)
	in := *participationtest.NewConsultation(rng, 0)
	if edit != nil {
		edit(&in)
	}
	c, err := core.CreateConsultation(ctx, in)
	require.NoError(t, err)
	c, err = core.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseDebate, Actor: "organiser-1"})
	require.NoError(t, err)
	e := &env{core: core, svc: svc, c: c}
	for i := range people {
		_, pd := participationtest.NewParticipant(rng, i)
		pd.BirthDate = civickit.PartialDate{Year: 1960 + i%40}
		p, err := core.RegisterParticipant(ctx, pd)
		require.NoError(t, err)
		e.people = append(e.people, p.ID)
	}
	return e
}

func (e *env) move(t *testing.T, to participation.PhaseKind) {
	t.Helper()
	c, err := e.core.Transition(context.Background(), e.c.ID, participation.TransitionRequest{To: to, Actor: "organiser-1"})
	require.NoError(t, err)
	e.c = c
}

func fieldRules(err error) []string {
	var out []string
	for _, f := range civickit.FieldErrors(err) {
		out = append(out, f.Path+":"+f.Rule)
	}
	return out
}

func TestProposalsAndSupports(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 4, nil)
	paper := civickit.Provenance{Channel: civickit.ChannelPaper, CollectedBy: "agent-5", Place: "mairie"}
	p, err := e.svc.SubmitProposal(ctx, proposals.NewProposal{ConsultationID: e.c.ID, AuthorID: e.people[0],
		Title: "Des fontaines", Body: "Deux fontaines à boire sur la place.", Provenance: paper})
	require.NoError(t, err)
	assert.Equal(t, paper, p.Provenance)
	_, err = e.svc.SubmitProposal(ctx, proposals.NewProposal{ConsultationID: e.c.ID, AuthorID: e.people[0], Provenance: web})
	assert.Equal(t, []string{"title:required", "body:required"}, fieldRules(err))

	support := func(who int, prov civickit.Provenance) (*proposals.Proposal, error) {
		return e.svc.SupportProposal(ctx, proposals.Support{ProposalID: p.ID, ParticipantID: e.people[who], Provenance: prov})
	}
	_, err = support(1, web)
	var pe *participation.PhaseError
	require.ErrorAs(t, err, &pe, "supports wait for the expression phase")
	assert.Equal(t, participation.ActionSupport, pe.Action)

	e.move(t, participation.PhaseExpression)
	_, err = e.svc.SubmitProposal(ctx, proposals.NewProposal{ConsultationID: e.c.ID, AuthorID: e.people[0], Title: "t", Body: "b", Provenance: web})
	assert.ErrorIs(t, err, participation.ErrWrongPhase, "proposals are submitted during the debate")
	got, err := support(1, web)
	require.NoError(t, err)
	assert.Equal(t, 1, got.Supports)
	_, err = support(1, paper)
	assert.ErrorIs(t, err, participation.ErrConflict, "one support per person across channels")
	got, err = support(2, paper)
	require.NoError(t, err)
	assert.Equal(t, 2, got.Supports)
	got, err = e.svc.WithdrawSupport(ctx, p.ID, e.people[1])
	require.NoError(t, err)
	assert.Equal(t, 1, got.Supports)
	_, err = e.svc.WithdrawSupport(ctx, p.ID, e.people[1])
	assert.ErrorIs(t, err, participation.ErrNotFound)

	_, _, err = e.svc.Moderate(ctx, participation.ModerationRequest{Item: participation.ItemRef{Kind: participation.ItemProposal, ID: p.ID},
		Kind: participation.DecisionHide, Moderator: "moderatrice-1", Note: "Doublon"})
	require.NoError(t, err)
	_, err = support(3, web)
	assert.ErrorIs(t, err, participation.ErrIllegalTransition, "no support for a hidden proposal")
	visible := e.proposals(t, false)
	assert.Empty(t, visible)
	all := e.proposals(t, true)
	require.Len(t, all, 1)
	assert.Equal(t, 1, all[0].Supports)
}

// proposals reads every proposal of the consultation.
func (e *env) proposals(t testing.TB, includeHidden bool) []proposals.Proposal {
	return participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[proposals.Proposal], error) {
		return e.svc.ListProposals(context.Background(), e.c.ID, includeHidden, after, limit)
	})
}

func TestIdempotentProposals(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 1, nil)
	p := proposals.NewProposal{ConsultationID: e.c.ID, AuthorID: e.people[0], Title: "Un titre", Body: "Un texte",
		Provenance: web, IdempotencyKey: "proposal-1"}
	p1, err := e.svc.SubmitProposal(ctx, p)
	require.NoError(t, err)
	p2, err := e.svc.SubmitProposal(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, p1.ID, p2.ID)
	p.Title = "Un autre titre"
	_, err = e.svc.SubmitProposal(ctx, p)
	assert.ErrorIs(t, err, participation.ErrConflict, "a key reused for another proposal")
	assert.Len(t, e.proposals(t, true), 1)
}

func TestProposalModeration(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 4, func(c *participation.Consultation) { c.Settings.HideAfterReports = 2 })
	p, err := e.svc.SubmitProposal(ctx, proposals.NewProposal{ConsultationID: e.c.ID, AuthorID: e.people[0],
		Title: "Un kiosque", Body: "Un kiosque à musique.", Provenance: web})
	require.NoError(t, err)
	item := participation.ItemRef{Kind: participation.ItemProposal, ID: p.ID}
	for who := 1; who <= 2; who++ {
		_, err := e.svc.Report(ctx, participation.NewReport{Item: item, ReporterID: e.people[who], Reason: participation.ReasonSpam})
		require.NoError(t, err)
	}
	assert.Empty(t, e.proposals(t, false), "two reports hide the proposal")
	queue := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.QueuedItem], error) {
		return e.svc.ListModerationQueue(ctx, e.c.ID, after, limit)
	})
	assert.Equal(t, []participation.QueuedItem{{Item: item, Moderation: participation.Moderation{HiddenBy: participation.HiddenByReports, OpenReports: 2}}}, queue)
	_, err = e.svc.Report(ctx, participation.NewReport{Item: participation.ItemRef{Kind: participation.ItemComment, ID: p.ID},
		ReporterID: e.people[3], Reason: participation.ReasonSpam})
	assert.Equal(t, []string{"item.kind:oneof"}, fieldRules(err), "a proposals service moderates proposals only")
	d, m, err := e.svc.Moderate(ctx, participation.ModerationRequest{Item: item, Kind: participation.DecisionRestore, Moderator: "moderatrice-1"})
	require.NoError(t, err)
	assert.False(t, m.Hidden())
	assert.Equal(t, 2, d.ReportsResolved)
	assert.Len(t, e.proposals(t, false), 1)
	log := participationtest.ReadAll(t, 1, func(after string, limit int) (civickit.Page[participation.ModerationDecision], error) {
		return e.svc.ListModerationDecisions(ctx, e.c.ID, after, limit)
	})
	require.Len(t, log, 2)
	assert.Equal(t, []participation.DecisionKind{participation.DecisionAutoHide, participation.DecisionRestore}, []participation.DecisionKind{log[0].Kind, log[1].Kind})
}
