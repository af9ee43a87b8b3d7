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
func ExamplePartialDate_AtLeast() {
	closing := time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)
	fmt.Println(ballotbox.PartialDate{Year: 2010, Month: 3, Day: 8}.AtLeast(16, closing))
	fmt.Println(ballotbox.PartialDate{Year: 2010, Month: 3}.AtLeast(16, closing))
	fmt.Println(ballotbox.PartialDate{Year: 2009}.AtLeast(16, closing))
	// Output:
	// true
	// false
	// true
}

func ExampleNormalizeVoterID() {
	fmt.Println(ballotbox.NormalizeVoterID("ab 12-34"))
	// Output: AB1234
}
