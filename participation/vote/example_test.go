package vote_test

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
	"github.com/civickit/civickit/participation/evaluation"
	"github.com/civickit/civickit/participation/vote"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
)

// A consultation whose expression step is a vote: the ballot box is
// gated by the consultation, the organiser's transitions open and close
// the election, and its outcome appears in the evaluation.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "vote-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	db, err := storage.Open(ctx, storage.Config{DSN: "sqlite:" + filepath.Join(dir, "civickit.db"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		panic(err)
	}
	defer db.Close()
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	// Wiring: the Gate first, since the ballot box needs it, then the
	// ballot box, then the vote Service, which the evaluation reads.
	core, err := participation.NewService(storage.NewParticipationStore(db), participation.Options{Now: clock})
	if err != nil {
		panic(err)
	}
	links := storage.NewVoteStore(db)
	gate := vote.NewGate(links, core)
	box, err := ballotbox.NewService(storage.NewBallotBoxStore(db), ballotbox.Options{
		Now: clock, Gate: gate, Secret: []byte("keep me out of the database, 32+ bytes")})
	if err != nil {
		panic(err)
	}
	votes, err := vote.NewService(links, core, box, vote.Options{Now: clock})
	if err != nil {
		panic(err)
	}
	evals, err := evaluation.NewService(storage.NewEvaluationStore(db), core, evaluation.Options{Now: clock, Outcomes: votes})
	if err != nil {
		panic(err)
	}

	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	c, err := core.CreateConsultation(ctx, participation.Consultation{
		Title: "Aménagement de la place du Marché", Organiser: "Ville de Lyon", Territory: "69123", Languages: []string{"fr"},
		Phases: []participation.Phase{
			{Kind: participation.PhaseDebate, Starts: day(1), Ends: day(15)},
			{Kind: participation.PhaseExpression, Starts: day(15), Ends: day(29)},
			{Kind: participation.PhaseEvaluation, Starts: day(29), Ends: day(31)},
		},
		Settings: participation.Settings{Channels: []civickit.Channel{civickit.ChannelWeb, civickit.ChannelPaper}},
	})
	if err != nil {
		panic(err)
	}
	if _, err := votes.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseDebate, Actor: "organiser"}); err != nil {
		panic(err)
	}
	e, err := votes.CreateVote(ctx, c.ID, ballotbox.Election{
		Title: "Aménagement",
		Questions: []ballotbox.Question{{ID: "place", Title: "Quel aménagement ?", Method: "plurality",
			Candidates: []string{"Jardin", "Marché couvert", "Parking"}}},
		Revote: ballotbox.RevoteNone, Visibility: ballotbox.VisibleAfterClose,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("window:", e.Opens.Format(time.DateOnly), "to", e.Closes.Format(time.DateOnly))

	var voters []*participation.Participant
	for range 3 {
		p, err := core.RegisterParticipant(ctx, nil)
		if err != nil {
			panic(err)
		}
		voters = append(voters, p)
	}
	choose := func(i int) ballotbox.Cast {
		return ballotbox.Cast{ElectionID: e.ID, Ballot: ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "place", Ranking: voting.Ranking{{i}}}}}}
	}
	_, err = votes.Cast(ctx, c.ID, voters[0].ID, choose(0))
	var pe *participation.PhaseError
	fmt.Println("during the debate:", errors.As(err, &pe), pe.Phase)

	// The organiser opens the expression step early: the election opens.
	if _, err := votes.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseExpression, Actor: "organiser"}); err != nil {
		panic(err)
	}
	for i, p := range voters {
		if _, err := votes.Cast(ctx, c.ID, p.ID, choose(i/2)); err != nil {
			panic(err)
		}
	}
	_, err = votes.Cast(ctx, c.ID, voters[0].ID, choose(2))
	fmt.Println("twice:", errors.Is(err, ballotbox.ErrAlreadyVoted))
	ev, err := evals.Evaluation(ctx, c.ID)
	if err != nil {
		panic(err)
	}
	fmt.Println("outcomes before the close:", len(ev.Outcomes))

	// The organiser moves on to the evaluation: the election closes.
	now = now.Add(24 * time.Hour)
	if _, err := votes.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseEvaluation, Actor: "organiser"}); err != nil {
		panic(err)
	}
	ev, err = evals.Evaluation(ctx, c.ID)
	if err != nil {
		panic(err)
	}
	for _, o := range ev.Outcomes {
		fmt.Printf("%s %q: %v with %d ballots, final %v\n", o.Source, o.QuestionTitle, o.Elected, o.Ballots, o.Final)
	}
	// Output:
	// window: 2026-03-15 to 2026-03-29
	// during the debate: true debate
	// twice: true
	// outcomes before the close: 0
	// vote "Quel aménagement ?": [Jardin] with 3 ballots, final true
}
