package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/voting/ballotbox"
)

// fill runs the attack suite's election on dsn and keeps the database for
// the file-level attacks (see README.md): n voters cast one ballot each,
// one at a time, with anonymity set k; the election is closed (the last
// batch appended). It writes the truth — one JSON line per voter with its
// register key and ballot tracker — to truth, which only the attacker's
// referee may read.
func fill(ctx context.Context, dsn string, n, k int, truth string) error {
	db, err := storage.Open(ctx, storage.Config{DSN: dsn, Domains: []storage.Domain{storage.DomainBallotBox},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	defer db.Close()
	svc, err := ballotbox.NewService(storage.NewBallotBoxStore(db), ballotbox.Options{
		Secret: []byte("file-level attack secret, 32 bytes"), Anonymity: k})
	if err != nil {
		return err
	}
	now := time.Now()
	e := &ballotbox.Election{Title: "attack", Opens: now.Add(-time.Hour), Closes: now.Add(24 * time.Hour),
		Revote: ballotbox.RevoteNone, Visibility: ballotbox.VisibleLive,
		Questions: []ballotbox.Question{{ID: "q", Title: "Q", Candidates: []string{"a", "b", "c", "d"}, Method: "schulze"}}}
	if err := svc.CreateElection(ctx, e); err != nil {
		return err
	}
	f, err := os.Create(truth)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for i := range n {
		id := fmt.Sprintf("VOTER-%05d", i)
		r, err := svc.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotbox.Voter{ID: id},
			Ballot: ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "q", Ranking: [][]int{{i % 4}}}}}})
		if err != nil {
			return err
		}
		key, err := svc.VoterKey(ctx, e.ID, id)
		if err != nil {
			return err
		}
		if err := enc.Encode(map[string]string{"voter_key": string(key), "tracker": r.Tracker}); err != nil {
			return err
		}
	}
	if _, err := svc.CloseNow(ctx, e.ID); err != nil {
		return err
	}
	fmt.Printf("election %s: %d voters, k=%d, database kept: %s\n", e.ID, n, k, dsn)
	return nil
}
