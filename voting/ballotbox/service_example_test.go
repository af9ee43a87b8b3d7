package ballotbox_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
)

// openExampleStore opens a throw-away SQLite ballot box.
func openExampleStore(ctx context.Context) (*storage.BallotBoxStore, func()) {
	dir, err := os.MkdirTemp("", "ballotbox-example")
	if err != nil {
		panic(err)
	}
	db, err := storage.Open(ctx, storage.Config{DSN: "sqlite:" + filepath.Join(dir, "box.db"), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		panic(err)
	}
	return storage.NewBallotBoxStore(db), func() { db.Close(); os.RemoveAll(dir) }
}

// A web vote, a retry with the same idempotency key, a second vote that
// the revote policy refuses, and the results after the close.
func ExampleService_Cast() {
	ctx := context.Background()
	st, done := openExampleStore(ctx)
	defer done()
	now := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	svc, err := ballotbox.NewService(st, ballotbox.Options{
		Now:    func() time.Time { return now },
		Rand:   rand.NewChaCha8([32]byte{1}), // trackers reproducible for the example
		Secret: []byte("keep me out of the database, 32+ bytes"),
		// Four voters: fewer than any useful anonymity set, so each cast
		// goes to the board at once (the default queues them, see Options).
		Anonymity: 1,
	})
	if err != nil {
		panic(err)
	}
	e := &ballotbox.Election{
		Title: "Nom de la nouvelle place",
		Questions: []ballotbox.Question{{ID: "name", Title: "Name", Method: "irv",
			Candidates: []string{"Place Olympe de Gouges", "Place des Tilleuls", "Place du Marché"}}},
		Opens:  time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC),
		Closes: time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC),
		Revote: ballotbox.RevoteNone, Visibility: ballotbox.VisibleAfterClose,
	}
	if err := svc.CreateElection(ctx, e); err != nil {
		panic(err)
	}
	vote := func(id string, ranking ...[]int) ballotbox.Cast {
		return ballotbox.Cast{ElectionID: e.ID, Voter: ballotbox.Voter{ID: id}, IdempotencyKey: "form-" + id,
			Ballot: ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "name", Ranking: voting.Ranking(ranking)}}}}
	}
	r, err := svc.Cast(ctx, vote("A-1", []int{0}, []int{2}))
	fmt.Println("accepted:", r.Index, len(r.Tracker), err)
	again, _ := svc.Cast(ctx, vote("A-1", []int{0}, []int{2}))
	fmt.Println("retry: same tracker", again.Tracker == r.Tracker, "replayed", again.Replayed)
	_, err = svc.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotbox.Voter{ID: "a 1"}, Ballot: vote("", []int{1}).Ballot})
	fmt.Println("second vote:", errors.Is(err, ballotbox.ErrAlreadyVoted))
	for i, id := range []string{"B-2", "C-3", "D-4"} {
		if _, err := svc.Cast(ctx, vote(id, []int{i % 2}, []int{2})); err != nil {
			panic(err)
		}
	}
	_, err = svc.Results(ctx, e.ID, nil, nil)
	fmt.Println("before the close:", errors.Is(err, ballotbox.ErrHidden))
	now = e.Closes
	res, err := svc.Results(ctx, e.ID, nil, nil)
	if err != nil {
		panic(err)
	}
	q := res.Questions[0].Result
	fmt.Println("after the close:", e.Questions[0].Candidates[q.Elected[0]], "with", q.Ballots, "ballots")
	chk, _ := svc.CheckReceipt(ctx, e.ID, r.Tracker)
	fmt.Println("receipt counted:", chk.Counted, "board entries:", chk.Head.Entries)
	// Output:
	// accepted: 0 32 <nil>
	// retry: same tracker true replayed true
	// second vote: true
	// before the close: true
	// after the close: Place Olympe de Gouges with 4 ballots
	// receipt counted: true board entries: 4
}

// Minimum age is checked on the closing day against partial birth dates:
// a voter whose date is too imprecise to prove the age is refused.
func ExampleService_CheckEligibility() {
	ctx := context.Background()
	st, done := openExampleStore(ctx)
	defer done()
	svc, err := ballotbox.NewService(st, ballotbox.Options{Secret: []byte("keep me out of the database, 32+ bytes")})
	if err != nil {
		panic(err)
	}
	e := &ballotbox.Election{
		Title:     "Conseil des jeunes",
		Questions: []ballotbox.Question{{ID: "q", Method: "plurality", Candidates: []string{"Oui", "Non"}}},
		Opens:     time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC),
		Closes:    time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC),
		Revote:    ballotbox.RevoteNone, Visibility: ballotbox.VisibleAfterClose,
		Eligibility: ballotbox.Eligibility{MinimumAge: 16},
	}
	if err := svc.CreateElection(ctx, e); err != nil {
		panic(err)
	}
	for _, born := range []civickit.PartialDate{{Year: 2010, Month: 3, Day: 8}, {Year: 2010, Month: 3}, {Year: 2009}, {}} {
		err := svc.CheckEligibility(ctx, e, ballotbox.Voter{ID: "X-1", BirthDate: born})
		fmt.Printf("%-10s %v\n", born, err)
	}
	// Output:
	// 2010-03-08 <nil>
	// 2010-03    ballotbox: voter not eligible: minimum_age: not proven 16 on the closing day
	// 2009       <nil>
	//            ballotbox: voter not eligible: minimum_age: not proven 16 on the closing day
}

// phaseGate admits casts only while its consultation's phase is the vote.
type phaseGate struct{ phase *string }

// phaseError is the process's own refusal.
type phaseError struct{ Phase string }

func (e *phaseError) Error() string { return "not in the vote phase but in " + e.Phase }

func (g phaseGate) Admit(_ context.Context, _ *ballotbox.Election, a ballotbox.Admission) error {
	if *g.phase != "vote" {
		return &phaseError{*g.phase}
	}
	return nil
}

// An election that belongs to a consultation: the Gate refuses ballots
// outside the consultation's vote phase, and the consultation opens and
// closes the election when the phase starts and ends.
func ExampleGate() {
	ctx := context.Background()
	st, done := openExampleStore(ctx)
	defer done()
	now := time.Date(2026, 2, 27, 9, 0, 0, 0, time.UTC)
	phase := "debate"
	svc, err := ballotbox.NewService(st, ballotbox.Options{
		Now:    func() time.Time { return now },
		Secret: []byte("keep me out of the database, 32+ bytes"),
		Gate:   phaseGate{&phase},
	})
	if err != nil {
		panic(err)
	}
	e := &ballotbox.Election{
		Title:     "Quel projet ?",
		Questions: []ballotbox.Question{{ID: "q", Method: "plurality", Candidates: []string{"Parc", "Piscine"}}},
		Opens:     time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC),
		Closes:    time.Date(2026, 3, 15, 20, 0, 0, 0, time.UTC),
		Revote:    ballotbox.RevoteNone, Visibility: ballotbox.VisibleLive,
	}
	if err := svc.CreateElection(ctx, e); err != nil {
		panic(err)
	}
	ballot := ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "q", Ranking: voting.Ranking{{1}}}}}
	_, err = svc.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotbox.Voter{ID: "A-1"}, Ballot: ballot})
	var pe *phaseError
	fmt.Println("during the debate:", errors.As(err, &pe), pe.Phase)

	phase = "vote" // the consultation's vote phase starts early
	e, _ = svc.OpenNow(ctx, e.ID)
	_, err = svc.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotbox.Voter{ID: "A-1"}, Ballot: ballot})
	fmt.Println("opened early:", e.Opens.Format("2 Jan 15:04"), err)

	now = now.Add(48 * time.Hour)
	phase = "evaluation" // and ends early
	e, _ = svc.CloseNow(ctx, e.ID)
	_, err = svc.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotbox.Voter{ID: "B-2"}, Ballot: ballot})
	fmt.Println("closed early:", e.ClosedAt.Format("2 Jan 15:04"), errors.As(err, &pe), pe.Phase)
	// Output:
	// during the debate: true debate
	// opened early: 27 Feb 09:00 <nil>
	// closed early: 1 Mar 09:00 true evaluation
}
