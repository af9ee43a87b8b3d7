package debate_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/debate"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// debateClock is a settable time source that moves one second per read,
// so that every record gets its own instant.
type debateClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *debateClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// debateEnv is a debate Service (and the consultation Service beside it)
// over a fresh SQLite database, with a consultation
// in its debate phase (web and paper offered, minimum age 16) and a few
// adult participants.
type debateEnv struct {
	core   *participation.Service
	svc    *debate.Service
	store  *storage.DebateStore
	c      *participation.Consultation
	people []uuid.UUID
	pds    []*participation.PersonalData
}

func newDebateEnv(t testing.TB, people int, edit func(c *participation.Consultation)) *debateEnv {
	t.Helper()
	ctx := context.Background()
	db := storagetest.Open(t, storage.SQLite)
	st := storage.NewDebateStore(db)
	clk := &debateClock{t: participationtest.BaseTime.Add(7*24*time.Hour + time.Hour)} // in the debate week
	core, err := participation.NewService(storage.NewParticipationStore(db), participation.Options{Now: clk.Now})
	require.NoError(t, err)
	svc, err := debate.NewService(st, core, debate.Options{Now: clk.Now})
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
	e := &debateEnv{core: core, svc: svc, store: st, c: c}
	for i := range people {
		_, pd := participationtest.NewParticipant(rng, i)
		pd.BirthDate = civickit.PartialDate{Year: 1960 + i%40}
		p, err := core.RegisterParticipant(ctx, pd)
		require.NoError(t, err)
		e.people = append(e.people, p.ID)
		e.pds = append(e.pds, pd)
	}
	return e
}

// comments reads every comment of the consultation, in thread order.
func (e *debateEnv) comments(t testing.TB, moderator bool) []debate.Comment {
	return participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[debate.Comment], error) {
		return e.svc.ListComments(context.Background(), e.c.ID, moderator, after, limit)
	})
}

// statements reads every statement of the consultation.
func (e *debateEnv) statements(t testing.TB, includeHidden bool) []debate.Statement {
	return participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[debate.Statement], error) {
		return e.svc.ListStatements(context.Background(), e.c.ID, includeHidden, after, limit)
	})
}

func (e *debateEnv) move(t *testing.T, to participation.PhaseKind) {
	t.Helper()
	c, err := e.core.Transition(context.Background(), e.c.ID, participation.TransitionRequest{To: to, Actor: "organiser-1"})
	require.NoError(t, err)
	e.c = c
}

func (e *debateEnv) comment(t testing.TB, who int, parent *debate.Comment, body string) *debate.Comment {
	t.Helper()
	in := debate.NewComment{ConsultationID: e.c.ID, AuthorID: e.people[who], Body: body,
		Provenance: civickit.Provenance{Channel: civickit.ChannelWeb}}
	if parent != nil {
		in.ParentID = &parent.ID
	}
	c, err := e.svc.PostComment(context.Background(), in)
	require.NoError(t, err)
	return c
}

var debateWeb = civickit.Provenance{Channel: civickit.ChannelWeb}

func debateFieldRules(err error) []string {
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

func TestDebatePhaseGate(t *testing.T) {
	ctx := context.Background()
	e := newDebateEnv(t, 2, nil)
	cm := e.comment(t, 0, nil, "Premier avis.")
	st, err := e.svc.ProposeStatement(ctx, debate.NewStatement{ConsultationID: e.c.ID, AuthorID: e.people[0],
		Text: "Plus d'arbres.", Provenance: debateWeb})
	require.NoError(t, err)
	e.move(t, participation.PhaseReflection) // comments, votes, reports and statements are over

	actions := []struct {
		action participation.Action
		do     func() error
	}{
		{participation.ActionComment, func() error {
			_, err := e.svc.PostComment(ctx, debate.NewComment{ConsultationID: e.c.ID, AuthorID: e.people[1], Body: "Trop tard ?", Provenance: debateWeb})
			return err
		}},
		{participation.ActionComment, func() error {
			_, err := e.svc.EditComment(ctx, debate.CommentEdit{CommentID: cm.ID, AuthorID: e.people[0], Body: "Modifié", Version: 1})
			return err
		}},
		{participation.ActionVoteComment, func() error {
			_, err := e.svc.VoteComment(ctx, debate.CommentVote{CommentID: cm.ID, ParticipantID: e.people[1], Value: debate.VoteUp, Provenance: debateWeb})
			return err
		}},
		{participation.ActionReport, func() error {
			_, err := e.svc.Report(ctx, participation.NewReport{Item: participation.ItemRef{Kind: participation.ItemComment, ID: cm.ID},
				ReporterID: e.people[1], Reason: participation.ReasonSpam})
			return err
		}},
		{participation.ActionPropose, func() error {
			_, err := e.svc.ProposeStatement(ctx, debate.NewStatement{ConsultationID: e.c.ID, AuthorID: e.people[1], Text: "x", Provenance: debateWeb})
			return err
		}},
		{participation.ActionStatementVote, func() error {
			_, err := e.svc.VoteStatement(ctx, debate.StatementVote{StatementID: st.ID, ParticipantID: e.people[1],
				Opinion: debate.OpinionAgree, Provenance: debateWeb})
			return err
		}},
	}
	for _, a := range actions {
		t.Run(string(a.action), func(t *testing.T) {
			err := a.do()
			var pe *participation.PhaseError
			require.ErrorAs(t, err, &pe)
			assert.ErrorIs(t, err, participation.ErrWrongPhase)
			assert.Equal(t, a.action, pe.Action)
			assert.Equal(t, participation.PhaseReflection, pe.Phase)
		})
	}
	// Nothing was stored.
	page := e.comments(t, false)
	require.Len(t, page, 1)
	assert.Equal(t, 0, page[0].Up)
	assert.Equal(t, 1, page[0].Version)
	assert.Equal(t, participation.Moderation{}, page[0].Moderation)
	sts := e.statements(t, true)
	require.Len(t, sts, 1)
	assert.Equal(t, debate.OpinionCounts{}, sts[0].Counts)

	// Moderation stays possible in any phase.
	_, _, err = e.svc.Moderate(ctx, participation.ModerationRequest{Item: participation.ItemRef{Kind: participation.ItemComment, ID: cm.ID},
		Kind: participation.DecisionHide, Moderator: "moderatrice-1"})
	require.NoError(t, err)

	// In evaluation, comments are allowed again but statements are not.
	e.move(t, participation.PhaseEvaluation)
	e.comment(t, 1, nil, "Le suivi des travaux est clair.")
	_, err = e.svc.VoteStatement(ctx, debate.StatementVote{StatementID: st.ID, ParticipantID: e.people[1],
		Opinion: debate.OpinionAgree, Provenance: debateWeb})
	assert.ErrorIs(t, err, participation.ErrWrongPhase)
}

func TestDebateCommentRules(t *testing.T) {
	ctx := context.Background()
	e := newDebateEnv(t, 2, nil)
	parent := e.comment(t, 0, nil, "Racine")
	tests := []struct {
		name   string
		modify func(in *debate.NewComment)
		want   []string
	}{
		{"empty body", func(in *debate.NewComment) { in.Body = "  " }, []string{"body:required"}},
		{"long body", func(in *debate.NewComment) { in.Body = strings.Repeat("é", debate.MaxCommentLen+1) }, []string{"body:max"}},
		{"alignment", func(in *debate.NewComment) { in.Alignment = "maybe" }, []string{"alignment:oneof"}},
		{"no author", func(in *debate.NewComment) { in.AuthorID = uuid.Nil }, []string{"author_id:required"}},
		{"paper without agent", func(in *debate.NewComment) {
			in.Provenance = civickit.Provenance{Channel: civickit.ChannelPaper, Place: "mairie"}
		}, []string{"provenance.collected_by:required"}},
		{"channel not offered", func(in *debate.NewComment) {
			in.Provenance = civickit.Provenance{Channel: civickit.ChannelKiosk, Place: "bm-part-dieu"}
		}, []string{"provenance.channel:offered"}},
		{"unknown channel", func(in *debate.NewComment) { in.Provenance.Channel = "pigeon" }, []string{"provenance.channel:oneof"}},
		{"valid paper", func(in *debate.NewComment) {
			in.Provenance = civickit.Provenance{Channel: civickit.ChannelPaper, CollectedBy: "agent-3", Place: "mairie-annexe"}
			in.Alignment = debate.AlignAgainst
		}, nil},
		{"valid reply", func(in *debate.NewComment) { in.ParentID = &parent.ID }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := debate.NewComment{ConsultationID: e.c.ID, AuthorID: e.people[1], Body: "Un avis.", Provenance: debateWeb}
			tt.modify(&in)
			got, err := e.svc.PostComment(ctx, in)
			if tt.want == nil {
				require.NoError(t, err)
				stored, err := e.store.GetComment(ctx, got.ID)
				require.NoError(t, err)
				assert.Equal(t, in.Provenance, stored.Provenance, "the provenance is recorded")
				return
			}
			assert.ErrorIs(t, err, participation.ErrInvalid)
			assert.Equal(t, tt.want, debateFieldRules(err))
		})
	}
	_, err := e.svc.PostComment(ctx, debate.NewComment{ConsultationID: e.c.ID, AuthorID: e.people[1], Body: "x", Provenance: debateWeb})
	require.NoError(t, err)
	got, err := e.svc.GetComment(ctx, parent.ID)
	require.NoError(t, err)
	assert.Equal(t, debate.AlignNeutral, got.Alignment, "neutral by default")

	// Someone who is not eligible (no birth date known, minimum age 16).
	stranger, err := e.core.RegisterParticipant(ctx, nil)
	require.NoError(t, err)
	_, err = e.svc.PostComment(ctx, debate.NewComment{ConsultationID: e.c.ID, AuthorID: stranger.ID, Body: "x", Provenance: debateWeb})
	var ee *participation.EligibilityError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, "min_age", ee.Rule)
	_, err = e.svc.PostComment(ctx, debate.NewComment{ConsultationID: uuid.New(), AuthorID: e.people[0], Body: "x", Provenance: debateWeb})
	assert.ErrorIs(t, err, participation.ErrNotFound)
}

func TestDebateDepth(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		setting, want int
	}{{0, 3}, {1, 1}, {5, 5}} {
		t.Run(fmt.Sprint("max_comment_depth=", tt.setting), func(t *testing.T) {
			e := newDebateEnv(t, 1, func(c *participation.Consultation) { c.Settings.MaxCommentDepth = tt.setting })
			var parent *debate.Comment
			for d := 1; d <= tt.want; d++ {
				parent = e.comment(t, 0, parent, fmt.Sprintf("niveau %d", d))
				assert.Equal(t, d, parent.Depth)
			}
			_, err := e.svc.PostComment(ctx, debate.NewComment{ConsultationID: e.c.ID, ParentID: &parent.ID,
				AuthorID: e.people[0], Body: "trop profond", Provenance: debateWeb})
			var ve *civickit.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, []civickit.FieldError{{Path: "parent_id", Rule: "max_depth", Param: fmt.Sprint(tt.want)}}, ve.Fields)
			page := e.comments(t, false)
			assert.Len(t, page, tt.want, "the refused reply was not stored")
		})
	}
}

func TestDebateEditHistory(t *testing.T) {
	ctx := context.Background()
	e := newDebateEnv(t, 2, nil)
	c := e.comment(t, 0, nil, "Version 1")
	posted := c.UpdatedAt
	c, err := e.svc.EditComment(ctx, debate.CommentEdit{CommentID: c.ID, AuthorID: e.people[0], Body: "Version 2",
		Alignment: debate.AlignFor, Version: 1})
	require.NoError(t, err)
	assert.Equal(t, 2, c.Version)
	assert.True(t, c.Edited())
	second := c.UpdatedAt
	c, err = e.svc.EditComment(ctx, debate.CommentEdit{CommentID: c.ID, AuthorID: e.people[0], Body: "Version 3", Version: 2})
	require.NoError(t, err)
	assert.Equal(t, debate.AlignFor, c.Alignment, "an edit without alignment keeps it")

	_, err = e.svc.EditComment(ctx, debate.CommentEdit{CommentID: c.ID, AuthorID: e.people[1], Body: "Usurpation", Version: 3})
	assert.ErrorIs(t, err, debate.ErrNotAuthor)
	_, err = e.svc.EditComment(ctx, debate.CommentEdit{CommentID: c.ID, AuthorID: e.people[0], Body: "En retard", Version: 2})
	assert.ErrorIs(t, err, participation.ErrConflict)

	hist := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[debate.CommentRevision], error) {
		return e.svc.ListCommentRevisions(ctx, c.ID, after, limit)
	})
	require.Len(t, hist, 2)
	assert.Equal(t, "Version 1", hist[0].Body)
	assert.Equal(t, debate.AlignNeutral, hist[0].Alignment)
	assert.Equal(t, posted, hist[0].WrittenAt)
	assert.Equal(t, second, hist[0].ReplacedAt)
	assert.Equal(t, "Version 2", hist[1].Body)
	assert.Equal(t, debate.AlignFor, hist[1].Alignment)
	got, err := e.svc.GetComment(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, "Version 3", got.Body)
}

func TestDebateVotes(t *testing.T) {
	ctx := context.Background()
	e := newDebateEnv(t, 4, nil)
	c := e.comment(t, 0, nil, "À voter")
	vote := func(who int, v debate.CommentVoteValue) *debate.Comment {
		t.Helper()
		got, err := e.svc.VoteComment(ctx, debate.CommentVote{CommentID: c.ID, ParticipantID: e.people[who], Value: v,
			Provenance: civickit.Provenance{Channel: civickit.ChannelPaper, CollectedBy: "agent-1", Place: "mairie"}})
		require.NoError(t, err)
		return got
	}
	vote(1, debate.VoteUp)
	vote(2, debate.VoteUp)
	got := vote(1, debate.VoteDown)
	assert.Equal(t, [2]int{1, 1}, [2]int{got.Up, got.Down})
	got = vote(2, debate.VoteNone)
	assert.Equal(t, [2]int{0, 1}, [2]int{got.Up, got.Down})
	v, err := e.store.GetCommentVote(ctx, c.ID, e.people[1])
	require.NoError(t, err)
	assert.Equal(t, civickit.ChannelPaper, v.Provenance.Channel, "the vote records its channel")
	_, err = e.svc.VoteComment(ctx, debate.CommentVote{CommentID: c.ID, ParticipantID: e.people[3], Value: 2, Provenance: debateWeb})
	assert.Equal(t, []string{"value:oneof"}, debateFieldRules(err))
}

func TestDebateReportsHideAndModeration(t *testing.T) {
	ctx := context.Background()
	e := newDebateEnv(t, 6, func(c *participation.Consultation) { c.Settings.HideAfterReports = 0 }) // default 3
	root := e.comment(t, 0, nil, "Racine")
	bad := e.comment(t, 1, root, "Propos déplacés")
	reply := e.comment(t, 2, bad, "Réponse")
	item := participation.ItemRef{Kind: participation.ItemComment, ID: bad.ID}
	report := func(who int, reason participation.ReportReason, details string) (*participation.ReportResult, error) {
		return e.svc.Report(ctx, participation.NewReport{Item: item, ReporterID: e.people[who], Reason: reason, Details: details})
	}
	_, err := report(3, participation.ReasonOther, "")
	assert.Equal(t, []string{"details:required"}, debateFieldRules(err), "other needs details")
	_, err = report(3, "boring", "")
	assert.Equal(t, []string{"reason:oneof"}, debateFieldRules(err))
	for i, who := range []int{3, 4, 5} {
		res, err := report(who, participation.ReasonOffensive, "")
		require.NoError(t, err)
		assert.Equal(t, i == 2, res.Moderation.Hidden(), "report %d", i+1)
	}
	_, err = report(3, participation.ReasonSpam, "")
	assert.ErrorIs(t, err, participation.ErrConflict, "one report per person")

	page := e.comments(t, false)
	require.Len(t, page, 3)
	assert.Equal(t, []uuid.UUID{root.ID, bad.ID, reply.ID}, []uuid.UUID{page[0].ID, page[1].ID, page[2].ID})
	hidden := page[1]
	assert.True(t, hidden.Moderation.Hidden())
	assert.Empty(t, hidden.Body, "a hidden comment keeps its place without its text")
	assert.Equal(t, uuid.Nil, hidden.AuthorID)
	mod := e.comments(t, true)
	assert.Equal(t, "Propos déplacés", mod[1].Body, "moderators see it")

	_, err = e.svc.PostComment(ctx, debate.NewComment{ConsultationID: e.c.ID, ParentID: &bad.ID, AuthorID: e.people[0], Body: "x", Provenance: debateWeb})
	assert.ErrorIs(t, err, participation.ErrIllegalTransition, "no reply to a hidden comment")
	_, err = e.svc.VoteComment(ctx, debate.CommentVote{CommentID: bad.ID, ParticipantID: e.people[0], Value: debate.VoteUp, Provenance: debateWeb})
	assert.ErrorIs(t, err, participation.ErrIllegalTransition, "no vote on a hidden comment")
	_, err = e.svc.EditComment(ctx, debate.CommentEdit{CommentID: bad.ID, AuthorID: e.people[1], Body: "Pardon", Version: 1})
	assert.ErrorIs(t, err, participation.ErrIllegalTransition, "no edit of a hidden comment")

	queue := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.QueuedItem], error) {
		return e.svc.ListModerationQueue(ctx, e.c.ID, after, limit)
	})
	assert.Equal(t, []participation.QueuedItem{{Item: item, Moderation: participation.Moderation{HiddenBy: participation.HiddenByReports, OpenReports: 3}}}, queue)

	d, m, err := e.svc.Moderate(ctx, participation.ModerationRequest{Item: item, Kind: participation.DecisionRestore,
		Moderator: "moderatrice-1", Note: "Vif mais recevable."})
	require.NoError(t, err)
	assert.False(t, m.Hidden())
	assert.Equal(t, 3, d.ReportsResolved)
	queue = participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.QueuedItem], error) {
		return e.svc.ListModerationQueue(ctx, e.c.ID, after, limit)
	})
	assert.Empty(t, queue, "the decision empties the queue")
	_, _, err = e.svc.Moderate(ctx, participation.ModerationRequest{Item: item, Kind: participation.DecisionRestore, Moderator: "moderatrice-1"})
	var te *participation.TransitionError
	assert.ErrorAs(t, err, &te, "restoring a visible comment")
	_, _, err = e.svc.Moderate(ctx, participation.ModerationRequest{Item: item, Kind: participation.DecisionAutoHide, Moderator: "moderatrice-1"})
	assert.Equal(t, []string{"kind:oneof"}, debateFieldRules(err), "auto_hide is not a moderator's decision")
	_, _, err = e.svc.Moderate(ctx, participation.ModerationRequest{Item: participation.ItemRef{Kind: participation.ItemComment, ID: uuid.New()},
		Kind: participation.DecisionHide, Moderator: "moderatrice-1"})
	assert.ErrorIs(t, err, participation.ErrNotFound)

	log := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.ModerationDecision], error) {
		return e.svc.ListModerationDecisions(ctx, e.c.ID, after, limit)
	})
	require.Len(t, log, 2)
	assert.Equal(t, participation.DecisionAutoHide, log[0].Kind)
	assert.Equal(t, participation.AutoHideActor, log[0].Moderator)
	assert.Equal(t, participation.DecisionRestore, log[1].Kind)
	assert.Equal(t, "moderatrice-1", log[1].Moderator)
	assert.Equal(t, "Vif mais recevable.", log[1].Note)
	assert.Equal(t, d.At, log[1].At, "when")
	assert.True(t, log[1].At.After(log[0].At))
	reports := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.Report], error) {
		return e.svc.ListReports(ctx, item, after, limit)
	})
	require.Len(t, reports, 3)
	for _, r := range reports {
		assert.Equal(t, participation.ReportRejected, r.Status)
		assert.Equal(t, d.ID, *r.DecisionID)
	}
}

func TestDebateStatementsAndMatrix(t *testing.T) {
	ctx := context.Background()
	const people = 12
	e := newDebateEnv(t, people, nil)
	var statements []*debate.Statement
	for i := range 4 {
		st, err := e.svc.ProposeStatement(ctx, debate.NewStatement{ConsultationID: e.c.ID, AuthorID: e.people[i],
			Text: fmt.Sprintf("Proposition %d", i), Provenance: debateWeb})
		require.NoError(t, err)
		statements = append(statements, st)
	}
	seed, err := e.svc.SeedStatement(ctx, e.c.ID, "organiser-1", "Proposition de départ")
	require.NoError(t, err)
	assert.Nil(t, seed.AuthorID)
	statements = append(statements, seed)
	_, err = e.svc.ProposeStatement(ctx, debate.NewStatement{ConsultationID: e.c.ID, AuthorID: e.people[0], Text: " ", Provenance: debateWeb})
	assert.Equal(t, []string{"text:required"}, debateFieldRules(err))

	// Votes: person p on statement s, the opinion of (p+s)%4 (3: no vote);
	// then person 0 changes their mind on statement 0.
	opinions := []debate.Opinion{debate.OpinionAgree, debate.OpinionDisagree, debate.OpinionPass}
	want := map[[2]int]debate.Opinion{}
	vote := func(p, s int, o debate.Opinion) {
		t.Helper()
		prov := debateWeb
		if p%3 == 1 {
			prov = civickit.Provenance{Channel: civickit.ChannelPaper, CollectedBy: "agent-2", Place: "mairie"}
		}
		_, err := e.svc.VoteStatement(ctx, debate.StatementVote{StatementID: statements[s].ID, ParticipantID: e.people[p], Opinion: o, Provenance: prov})
		require.NoError(t, err)
		want[[2]int{p, s}] = o
	}
	for p := range people {
		for s := range statements {
			if k := (p + s) % 4; k < 3 {
				vote(p, s, opinions[k])
			}
		}
	}
	vote(0, 0, debate.OpinionDisagree)
	_, err = e.svc.VoteStatement(ctx, debate.StatementVote{StatementID: statements[0].ID, ParticipantID: e.people[0], Opinion: "meh", Provenance: debateWeb})
	assert.Equal(t, []string{"opinion:oneof"}, debateFieldRules(err))

	// Hide statement 3 by moderation: it leaves the public list and the matrix.
	_, _, err = e.svc.Moderate(ctx, participation.ModerationRequest{Item: participation.ItemRef{Kind: participation.ItemStatement, ID: statements[3].ID},
		Kind: participation.DecisionHide, Moderator: "moderatrice-1"})
	require.NoError(t, err)
	visible := e.statements(t, false)
	assert.Len(t, visible, 4)
	_, err = e.svc.VoteStatement(ctx, debate.StatementVote{StatementID: statements[3].ID, ParticipantID: e.people[0], Opinion: debate.OpinionAgree, Provenance: debateWeb})
	assert.ErrorIs(t, err, participation.ErrIllegalTransition)

	key := []byte("clé de l'export")
	export := func(opts debate.MatrixOptions) [][]string {
		t.Helper()
		var buf bytes.Buffer
		require.NoError(t, e.svc.WriteOpinionMatrixCSV(ctx, &buf, e.c.ID, opts))
		rows, err := csv.NewReader(&buf).ReadAll()
		require.NoError(t, err)
		return rows
	}
	rows := export(debate.MatrixOptions{Key: key, PageSize: 7})
	cols := []int{0, 1, 2, 4} // the visible statements, oldest first
	header := append(debate.MatrixFixedColumns(), statements[0].ID.String(), statements[1].ID.String(), statements[2].ID.String(), statements[4].ID.String())
	require.Equal(t, header, rows[0])

	// Expected rows, as a multiset of (counts, cells) — keys are opaque.
	expect := map[string]int{}
	for p := range people {
		var cells []string
		var n, agree, disagree, pass int
		for _, s := range cols {
			o, ok := want[[2]int{p, s}]
			if !ok {
				cells = append(cells, "")
				continue
			}
			n++
			switch o {
			case debate.OpinionAgree:
				agree++
			case debate.OpinionDisagree:
				disagree++
			default:
				pass++
			}
			cells = append(cells, fmt.Sprint(o.Value()))
		}
		if n > 0 {
			expect[fmt.Sprintf("%d %d %d %d %q", n, agree, disagree, pass, cells)]++
		}
	}
	got := map[string]int{}
	keys := map[string]bool{}
	for _, r := range rows[1:] {
		require.Len(t, r, len(header))
		assert.Regexp(t, "^[0-9a-f]{20}$", r[0])
		keys[r[0]] = true
		got[fmt.Sprintf("%s %s %s %s %q", r[1], r[2], r[3], r[4], r[5:])]++
	}
	assert.Equal(t, expect, got)
	assert.Len(t, keys, len(rows)-1, "one row per participant")

	again := export(debate.MatrixOptions{Key: key})
	assert.Equal(t, rows, again, "the same key gives the same export, whatever the page size")
	fresh := export(debate.MatrixOptions{})
	require.Len(t, fresh, len(rows))
	for _, r := range fresh[1:] {
		assert.False(t, keys[r[0]], "exports without a key cannot be linked")
	}
	withHidden := export(debate.MatrixOptions{Key: key, IncludeHidden: true})
	assert.Len(t, withHidden[0], len(debate.MatrixFixedColumns())+5)
	for _, minVotes := range []int{3, 4, 5} {
		n := 0
		for _, r := range rows[1:] {
			if r[1] >= fmt.Sprint(minVotes) {
				n++
			}
		}
		assert.Len(t, export(debate.MatrixOptions{Key: key, MinVotes: minVotes}), 1+n, "min votes %d", minVotes)
	}

	// The export holds no personal data and no participant ID.
	var buf bytes.Buffer
	require.NoError(t, e.svc.WriteOpinionMatrixCSV(ctx, &buf, e.c.ID, debate.MatrixOptions{IncludeHidden: true}))
	out := buf.String()
	for i, pd := range e.pds {
		for _, v := range []string{pd.Name, pd.Email, pd.Phone, pd.Address, e.people[i].String(), strings.ReplaceAll(e.people[i].String(), "-", "")} {
			assert.NotContains(t, out, v)
		}
	}

	// The statements file names the matrix columns and counts the votes.
	var sbuf bytes.Buffer
	require.NoError(t, e.svc.WriteStatementsCSV(ctx, &sbuf, e.c.ID, false))
	srows, err := csv.NewReader(&sbuf).ReadAll()
	require.NoError(t, err)
	require.Len(t, srows, 5)
	assert.Equal(t, debate.StatementColumns(), srows[0])
	for i, s := range cols {
		r := srows[1+i]
		assert.Equal(t, header[len(debate.MatrixFixedColumns())+i], r[0])
		var c debate.OpinionCounts
		for p := range people {
			if o, ok := want[[2]int{p, s}]; ok {
				debateCount(&c, o)
			}
		}
		assert.Equal(t, []string{fmt.Sprint(c.Agree), fmt.Sprint(c.Disagree), fmt.Sprint(c.Pass), "false", statements[s].Text}, r[3:])
		assert.Equal(t, fmt.Sprint(s == 4), r[2], "seeded")
	}
	for i, pd := range e.pds {
		for _, v := range []string{pd.Name, pd.Email, e.people[i].String()} {
			assert.NotContains(t, sbuf.String(), v)
		}
	}

	err = e.svc.OpinionMatrix(ctx, e.c.ID, debate.MatrixOptions{}, func([]string) error { return errors.New("disk full") })
	assert.EqualError(t, err, "disk full")
	err = e.svc.OpinionMatrix(ctx, uuid.New(), debate.MatrixOptions{}, func([]string) error { return nil })
	assert.ErrorIs(t, err, participation.ErrNotFound)
}

func TestDebateCommentPages(t *testing.T) {
	ctx := context.Background()
	e := newDebateEnv(t, 2, nil)
	var want []uuid.UUID
	for i := range 5 {
		r := e.comment(t, i%2, nil, fmt.Sprint("racine ", i))
		want = append(want, r.ID)
		if i%2 == 0 {
			want = append(want, e.comment(t, 0, r, "réponse").ID)
		}
	}
	var got []uuid.UUID
	for _, c := range participationtest.ReadAll(t, 3, func(after string, limit int) (civickit.Page[debate.Comment], error) {
		return e.svc.ListComments(ctx, e.c.ID, false, after, limit)
	}) {
		got = append(got, c.ID)
	}
	assert.Equal(t, want, got)
	_, err := e.svc.ListComments(ctx, e.c.ID, false, "%%%", 3)
	assert.Equal(t, []string{"after:cursor"}, debateFieldRules(err))
	_, err = e.svc.ListComments(ctx, e.c.ID, false, "", -1)
	assert.Equal(t, []string{"limit:gte"}, debateFieldRules(err))
}

func TestApplyDecision(t *testing.T) {
	visible := participation.Moderation{OpenReports: 2}
	byReports := participation.Moderation{HiddenBy: participation.HiddenByReports, OpenReports: 3}
	byModerator := participation.Moderation{HiddenBy: participation.HiddenByModerator, OpenReports: 1}
	clean := participation.Moderation{}
	tests := []struct {
		from   participation.Moderation
		kind   participation.DecisionKind
		want   participation.Moderation
		status participation.ReportStatus
		err    bool
	}{
		{visible, participation.DecisionHide, participation.Moderation{HiddenBy: participation.HiddenByModerator}, participation.ReportUpheld, false},
		{byReports, participation.DecisionHide, participation.Moderation{HiddenBy: participation.HiddenByModerator}, participation.ReportUpheld, false},
		{byModerator, participation.DecisionHide, byModerator, "", true},
		{visible, participation.DecisionRestore, visible, "", true},
		{byReports, participation.DecisionRestore, clean, participation.ReportRejected, false},
		{byModerator, participation.DecisionRestore, clean, participation.ReportRejected, false},
		{visible, participation.DecisionRejectReports, clean, participation.ReportRejected, false},
		{byReports, participation.DecisionRejectReports, clean, participation.ReportRejected, false},
		{byModerator, participation.DecisionRejectReports, participation.Moderation{HiddenBy: participation.HiddenByModerator}, participation.ReportRejected, false},
		{clean, participation.DecisionRejectReports, clean, "", true},
		{visible, participation.DecisionAutoHide, visible, "", true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.from.HiddenBy, tt.kind), func(t *testing.T) {
			got, status, err := participation.ApplyDecision(tt.from, tt.kind)
			assert.Equal(t, tt.err, err != nil, "error %v", err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.status, status)
		})
	}
	m := participation.Moderation{}
	for i := 1; i <= 4; i++ {
		m = m.Reported(3)
		assert.Equal(t, i >= 3, m.Hidden(), "after %d reports", i)
	}
	assert.Equal(t, participation.Moderation{HiddenBy: participation.HiddenByModerator, OpenReports: 5},
		participation.Moderation{HiddenBy: participation.HiddenByModerator, OpenReports: 4}.Reported(3), "a moderator's hiding stays")
}

// FuzzListCommentsCursor feeds arbitrary cursors to a page of
// comments: it never panics, and a cursor it refuses is ErrInvalid.
func FuzzListCommentsCursor(f *testing.F) {
	for _, s := range []string{"", "YQ", "%%%", civickit.EncodeCursor(map[string]string{"s": "00000000000000ffabc"}), strings.Repeat("A", 5000)} {
		f.Add(s)
	}
	e := newDebateEnv(f, 1, nil)
	e.comment(f, 0, nil, "Bonjour")
	f.Fuzz(func(t *testing.T, s string) {
		_, err := e.svc.ListComments(context.Background(), e.c.ID, false, s, 2)
		if err != nil {
			assert.ErrorIs(t, err, participation.ErrInvalid)
		}
	})
}

func TestDebateIdempotentPosts(t *testing.T) {
	ctx := context.Background()
	e := newDebateEnv(t, 1, nil)
	in := debate.NewComment{ConsultationID: e.c.ID, AuthorID: e.people[0], Body: "Envoyé deux fois ?",
		Provenance: debateWeb, IdempotencyKey: "b2f0c1d4-client-key"}
	first, err := e.svc.PostComment(ctx, in)
	require.NoError(t, err)
	again, err := e.svc.PostComment(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, first.ID, again.ID, "a retry returns the stored comment")
	in.Body = "Autre chose"
	_, err = e.svc.PostComment(ctx, in)
	assert.ErrorIs(t, err, participation.ErrConflict, "a key reused for another comment")
	in.IdempotencyKey = "avec espace"
	_, err = e.svc.PostComment(ctx, in)
	assert.Equal(t, []string{"idempotency_key:printascii"}, debateFieldRules(err))
	page := e.comments(t, false)
	assert.Len(t, page, 1)

	s := debate.NewStatement{ConsultationID: e.c.ID, AuthorID: e.people[0], Text: "Une proposition courte",
		Provenance: debateWeb, IdempotencyKey: "statement-1"}
	s1, err := e.svc.ProposeStatement(ctx, s)
	require.NoError(t, err)
	s2, err := e.svc.ProposeStatement(ctx, s)
	require.NoError(t, err)
	assert.Equal(t, s1.ID, s2.ID)
}

func debateCount(c *debate.OpinionCounts, o debate.Opinion) {
	switch o {
	case debate.OpinionAgree:
		c.Agree++
	case debate.OpinionDisagree:
		c.Disagree++
	default:
		c.Pass++
	}
}
