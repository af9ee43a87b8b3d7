package debate_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/debate"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/storage"
)

func ExampleOpinion_Value() {
	for _, o := range []debate.Opinion{debate.OpinionAgree, debate.OpinionDisagree, debate.OpinionPass} {
		fmt.Println(o, o.Value())
	}
	// Output:
	// agree 1
	// disagree -1
	// pass 0
}

// A debate on SQLite: a comment, a reply, votes, a statement and the
// opinion matrix; then the debate closes and comments are refused.
func ExampleService_PostComment() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "civickit-example")
	defer os.RemoveAll(dir)
	db, err := storage.Open(ctx, storage.Config{DSN: "sqlite:" + filepath.Join(dir, "debate.db"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	now := participationtest.BaseTime.Add(8 * 24 * time.Hour) // during the debate week
	clock := func() time.Time { return now }
	core, _ := participation.NewService(storage.NewParticipationStore(db), participation.Options{Now: clock})
	svc, _ := debate.NewService(storage.NewDebateStore(db), core, debate.Options{Now: clock})

	in := *participationtest.NewConsultation(participationtest.NewRand(1), 0)
	in.Settings.Eligibility = participation.Eligibility{}
	c, _ := core.CreateConsultation(ctx, in)
	c, _ = core.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseDebate, Actor: "organiser"})
	alice, _ := core.RegisterParticipant(ctx, nil)
	bob, _ := core.RegisterParticipant(ctx, nil)
	web := civickit.Provenance{Channel: civickit.ChannelWeb}

	first, _ := svc.PostComment(ctx, debate.NewComment{ConsultationID: c.ID, AuthorID: alice.ID,
		Body: "Gardons les platanes.", Alignment: debate.AlignFor, Provenance: web})
	reply, _ := svc.PostComment(ctx, debate.NewComment{ConsultationID: c.ID, ParentID: &first.ID, AuthorID: bob.ID,
		Body: "Et l'ombre l'été !", Provenance: civickit.Provenance{Channel: civickit.ChannelPaper, CollectedBy: "agent-1", Place: "mairie"}})
	voted, _ := svc.VoteComment(ctx, debate.CommentVote{CommentID: first.ID, ParticipantID: bob.ID, Value: debate.VoteUp, Provenance: web})
	fmt.Println(first.Depth, reply.Depth, reply.Provenance.Channel, voted.Up)

	st, _ := svc.ProposeStatement(ctx, debate.NewStatement{ConsultationID: c.ID, AuthorID: alice.ID, Text: "La place doit rester piétonne.", Provenance: web})
	svc.VoteStatement(ctx, debate.StatementVote{StatementID: st.ID, ParticipantID: alice.ID, Opinion: debate.OpinionAgree, Provenance: web})
	svc.VoteStatement(ctx, debate.StatementVote{StatementID: st.ID, ParticipantID: bob.ID, Opinion: debate.OpinionPass, Provenance: web})
	rows := 0
	svc.OpinionMatrix(ctx, c.ID, debate.MatrixOptions{}, func(row []string) error {
		if rows == 0 {
			fmt.Println(row[:5])
		}
		rows++
		return nil
	})
	fmt.Println(rows-1, "participants")

	core.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseReflection, Actor: "organiser"})
	_, err = svc.PostComment(ctx, debate.NewComment{ConsultationID: c.ID, AuthorID: alice.ID, Body: "Encore un mot.", Provenance: web})
	fmt.Println(errors.Is(err, participation.ErrWrongPhase), err)
	// Output:
	// 1 2 paper 1
	// [participant n_votes n_agree n_disagree n_pass]
	// 2 participants
	// true participation: action comment not allowed in phase reflection
}
