package participation_test

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
	"github.com/civickit/civickit/storage"
)

// The declarative table says which actions each phase allows; an action
// outside its phase is refused with a *PhaseError.
func ExampleConsultation_Allows() {
	c := &participation.Consultation{
		Status: participation.StatusOpen,
		Phases: []participation.Phase{
			{Kind: participation.PhaseDebate, Active: true},
			{Kind: participation.PhaseExpression},
		},
	}
	fmt.Println(c.Allows(participation.ActionComment))
	err := c.Allows(participation.ActionRespond)
	var pe *participation.PhaseError
	fmt.Println(errors.Is(err, participation.ErrWrongPhase), errors.As(err, &pe), pe.Phase)
	fmt.Println(err)
	// Output:
	// <nil>
	// true true debate
	// participation: action respond not allowed in phase debate
}

// A birth date known only to the month counts as the month's last day, so
// a minimum age is never granted too early.
func ExamplePartialDate_CertainlyAtLeast() {
	born, _ := civickit.ParsePartialDate("2010-04")
	for _, day := range []string{"2026-04-29", "2026-04-30"} {
		on, _ := time.Parse(time.DateOnly, day)
		fmt.Println(day, born.CertainlyAtLeast(16, on))
	}
	// Output:
	// 2026-04-29 false
	// 2026-04-30 true
}

// A consultation moves through its phases by hand (or on schedule), and
// every move is in the audit log.
func ExampleService_Transition() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "civickit-example")
	defer os.RemoveAll(dir)
	db, err := storage.Open(ctx, storage.Config{DSN: "sqlite:" + filepath.Join(dir, "example.db"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		panic(err)
	}
	defer db.Close()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	svc, err := participation.NewService(storage.NewParticipationStore(db), participation.Options{
		Now: func() time.Time { return now },
	})
	if err != nil {
		panic(err)
	}
	week := 7 * 24 * time.Hour
	c, err := svc.CreateConsultation(ctx, participation.Consultation{
		Title: "Réaménagement de la place du marché", Organiser: "Ville de Lyon", Territory: "69123",
		Languages: []string{"fr"},
		Phases: []participation.Phase{
			{Kind: participation.PhaseDebate, Starts: now, Ends: now.Add(week)},
			{Kind: participation.PhaseExpression, Starts: now.Add(week), Ends: now.Add(2 * week)},
		},
	})
	if err != nil {
		panic(err)
	}
	for _, to := range []participation.PhaseKind{participation.PhaseDebate, participation.PhaseExpression, participation.PhaseDebate} {
		_, err := svc.Transition(ctx, c.ID, participation.TransitionRequest{To: to, Actor: "maire-adjointe"})
		fmt.Println("to", to+":", err)
	}
	log, _ := svc.ListTransitions(ctx, c.ID, "", 10)
	for _, t := range log.Items {
		fmt.Printf("%d %q -> %s by %s\n", t.Seq, t.From, t.To, t.Actor)
	}
	// Output:
	// to debate: <nil>
	// to expression: <nil>
	// to debate: participation: illegal consultation transition expression -> debate
	// 1 "" -> debate by maire-adjointe
	// 2 "debate" -> expression by maire-adjointe
}

func ExampleApplyDecision() {
	m := participation.Moderation{}
	for range 3 { // three distinct people report a comment
		m = m.Reported(participation.DefaultHideAfterReports)
	}
	fmt.Println(m.HiddenBy, m.OpenReports)
	m, status, _ := participation.ApplyDecision(m, participation.DecisionRejectReports)
	fmt.Printf("visible=%t reports %s\n", !m.Hidden(), status)
	_, _, err := participation.ApplyDecision(m, participation.DecisionRestore)
	fmt.Println(err)
	// Output:
	// reports 3
	// visible=true reports rejected
	// participation: illegal moderation transition visible -> restore
}
