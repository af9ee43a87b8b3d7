package proposals_test

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
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/participation/proposals"
	"github.com/civickit/civickit/storage"
)

// A call for proposals on SQLite: a proposal submitted during the
// debate, supported during the expression of choices, once per person
// whatever the channel.
func ExampleService_SupportProposal() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "civickit-example")
	defer os.RemoveAll(dir)
	db, err := storage.Open(ctx, storage.Config{DSN: "sqlite:" + filepath.Join(dir, "proposals.db"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	now := participationtest.BaseTime.Add(8 * 24 * time.Hour) // during the debate week
	clock := func() time.Time { return now }
	core, _ := participation.NewService(storage.NewParticipationStore(db), participation.Options{Now: clock})
	svc, _ := proposals.NewService(storage.NewProposalStore(db), core, proposals.Options{Now: clock})

	in := *participationtest.NewConsultation(participationtest.NewRand(1), 0)
	in.Settings.Eligibility = participation.Eligibility{}
	c, _ := core.CreateConsultation(ctx, in)
	c, _ = core.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseDebate, Actor: "organiser"})
	alice, _ := core.RegisterParticipant(ctx, nil)
	bob, _ := core.RegisterParticipant(ctx, nil)
	web := civickit.Provenance{Channel: civickit.ChannelWeb}
	paper := civickit.Provenance{Channel: civickit.ChannelPaper, CollectedBy: "agent-1", Place: "mairie"}

	p, _ := svc.SubmitProposal(ctx, proposals.NewProposal{ConsultationID: c.ID, AuthorID: alice.ID,
		Title: "Des fontaines", Body: "Deux fontaines à boire sur la place.", Provenance: web})
	_, err = svc.SupportProposal(ctx, proposals.Support{ProposalID: p.ID, ParticipantID: bob.ID, Provenance: web})
	fmt.Println(errors.Is(err, participation.ErrWrongPhase))

	core.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseExpression, Actor: "organiser"})
	got, _ := svc.SupportProposal(ctx, proposals.Support{ProposalID: p.ID, ParticipantID: bob.ID, Provenance: web})
	fmt.Println(got.Supports)
	_, err = svc.SupportProposal(ctx, proposals.Support{ProposalID: p.ID, ParticipantID: bob.ID, Provenance: paper})
	fmt.Println(errors.Is(err, civickit.ErrConflict))
	// Output:
	// true
	// 1
	// true
}
