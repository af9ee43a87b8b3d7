package storage_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/civickit/civickit/voting/ballotbox/ballotboxtest"
)

// TestBallotBoxKill kills the casting process (SIGKILL, as kill -9) in the
// middle of a load, again and again, and after each kill replays every
// idempotency key sent so far from a fresh process: no acknowledged
// ballot is lost (its replay returns the acknowledged tracker, which ends
// on the board), none is duplicated (one counted ballot per registered
// voter), the board verifies and the live tally equals a recount. Casts
// go through the anonymity set's queue (k = 20): a kill may hit an enqueue
// group or a sequencing batch. CIVICKIT_KILL_ROUNDS sets the rounds (20).
//
//	go test ./storage -run TestBallotBoxKill -v
func TestBallotBoxKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills processes")
	}
	rounds := 20
	if s := os.Getenv("CIVICKIT_KILL_ROUNDS"); s != "" {
		rounds, _ = strconv.Atoi(s)
	}
	const perRound, concurrency = 150, 16
	storagetest.ForEachEngine(t, func(t *testing.T, engine storage.Engine) {
		ctx := t.Context()
		dsn := storagetest.NewDSN(t, engine)
		db, err := storage.Open(ctx, storage.Config{DSN: dsn, Logger: quiet})
		require.NoError(t, err)
		defer db.Close()
		clock := ballotboxtest.NewClock(ballotboxtest.During)
		fresh := func() *ballotbox.Service {
			svc, err := ballotbox.NewService(storage.NewBallotBoxStore(db), ballotbox.Options{Now: clock.Now, Secret: ballotboxtest.Secret})
			require.NoError(t, err)
			return svc
		}
		e := ballotboxtest.NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive)
		require.NoError(t, fresh().CreateElection(ctx, e))

		acked := map[int]string{}    // voter -> tracker acknowledged to them
		sent := 0                    // voters 0..sent-1 may have been sent
		killedAfter, midLoad := 0, 0 // acknowledgements before the kills; kills before the round's end
		for round := range rounds {
			// Each round's voters overlap the last round's: some are retries.
			from := max(0, sent-perRound/4)
			to := sent + perRound
			cmd := exec.Command(os.Args[0], "-test.run=^TestBallotBoxKillHelper$", "-test.count=1")
			cmd.Env = append(os.Environ(), "CIVICKIT_KILL_DSN="+dsn, "CIVICKIT_KILL_ELECTION="+e.ID.String(),
				fmt.Sprintf("CIVICKIT_KILL_VOTERS=%d-%d", from, to), fmt.Sprintf("CIVICKIT_KILL_CONCURRENCY=%d", concurrency))
			out, err := cmd.StdoutPipe()
			require.NoError(t, err)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			require.NoError(t, cmd.Start())
			sent = to
			var mu sync.Mutex
			readDone := make(chan struct{})
			acks := 0
			go func() {
				defer close(readDone)
				sc := bufio.NewScanner(out)
				for sc.Scan() {
					f := strings.Fields(sc.Text())
					if len(f) == 3 && f[0] == "ACK" {
						i, _ := strconv.Atoi(f[1])
						mu.Lock()
						if prev, ok := acked[i]; ok {
							assert.Equal(t, prev, f[2], "voter %d acknowledged two trackers", i)
						}
						acked[i] = f[2]
						acks++
						mu.Unlock()
					}
				}
			}()
			// Kill once the load runs: after a few acknowledgements, at a
			// random moment.
			deadline := time.Now().Add(20 * time.Second)
			for {
				mu.Lock()
				n := acks
				mu.Unlock()
				if n >= 5 || time.Now().After(deadline) {
					break
				}
				time.Sleep(5 * time.Millisecond)
			}
			time.Sleep(time.Duration(rand.IntN(40)) * time.Millisecond)
			require.NoError(t, cmd.Process.Kill())
			<-readDone
			_ = cmd.Wait()
			if acks == 0 { // a slow start: the round still kills and replays
				t.Logf("round %d: killed before any acknowledgement: %s", round, stderr.String())
			}
			killedAfter += acks
			if acks < to-from {
				midLoad++
			}

			// A fresh process replays every key sent so far.
			svc := fresh()
			for i := range sent {
				r, err := svc.Cast(ctx, killCast(e.ID, i))
				require.NoError(t, err, "replay of voter %d", i)
				if tr, ok := acked[i]; ok {
					require.True(t, r.Replayed, "round %d: voter %d was acknowledged: the replay finds it", round, i)
					require.Equal(t, tr, r.Tracker, "round %d: voter %d: acknowledged tracker lost", round, i)
				}
				acked[i] = r.Tracker
			}
		}
		svc := fresh()
		closed, err := svc.CloseNow(ctx, e.ID)
		require.NoError(t, err)
		voters, err := storage.NewBallotBoxStore(db).CountVoters(ctx, e.ID)
		require.NoError(t, err)
		var board bytes.Buffer
		require.NoError(t, svc.ExportBoard(ctx, e.ID, &board))
		rep, err := ballotbox.VerifyWith(bytes.NewReader(board.Bytes()), ballotbox.VerifyOptions{Registry: svc.Registry()})
		require.NoError(t, err, "the board verifies")
		lost := 0
		for i, tr := range acked {
			chk, err := svc.CheckReceipt(ctx, e.ID, tr)
			if err != nil || !chk.Counted {
				lost++
				t.Errorf("voter %d: tracker %s not counted: %v", i, tr, err)
			}
		}
		assert.Zero(t, lost, "acknowledged ballots lost")
		assert.EqualValues(t, sent, voters, "every voter sent is registered once")
		assert.EqualValues(t, voters, rep.Entries, "one board entry per registered voter: none duplicated")
		assert.True(t, closed.Closed(clock.Now()))
		ballotboxtest.AssertLiveEqualsRecount(t, svc, e.ID)
		t.Logf("%s: %d kills, %d before the round's last acknowledgement (%d acknowledgements in all); %d voters, %d entries: %d lost, %d duplicated",
			engine, rounds, midLoad, killedAfter, voters, rep.Entries, lost, rep.Entries-voters)
	})
}

func killCast(electionID uuid.UUID, i int) ballotbox.Cast {
	return ballotbox.Cast{ElectionID: electionID, Voter: ballotboxtest.Voter(10000 + i), Ballot: ballotboxtest.Full(i),
		IdempotencyKey: fmt.Sprint("kill-", i)}
}

// TestBallotBoxKillHelper is the casting process of TestBallotBoxKill: it
// casts its voters from several goroutines and prints each acknowledgement.
func TestBallotBoxKillHelper(t *testing.T) {
	dsn := os.Getenv("CIVICKIT_KILL_DSN")
	if dsn == "" {
		t.Skip("run by TestBallotBoxKill")
	}
	ctx := context.Background()
	id := uuid.MustParse(os.Getenv("CIVICKIT_KILL_ELECTION"))
	var from, to, conc int
	_, err := fmt.Sscanf(os.Getenv("CIVICKIT_KILL_VOTERS"), "%d-%d", &from, &to)
	require.NoError(t, err)
	conc, _ = strconv.Atoi(os.Getenv("CIVICKIT_KILL_CONCURRENCY"))
	db, err := storage.Open(ctx, storage.Config{DSN: dsn, Logger: quiet})
	require.NoError(t, err)
	clock := ballotboxtest.NewClock(ballotboxtest.During)
	svc, err := ballotbox.NewService(storage.NewBallotBoxStore(db), ballotbox.Options{Now: clock.Now, Secret: ballotboxtest.Secret})
	require.NoError(t, err)
	var mu sync.Mutex
	next := from
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= to {
					return
				}
				r, err := svc.Cast(ctx, killCast(id, i))
				if err != nil {
					fmt.Fprintln(os.Stderr, "cast", i, err)
					continue
				}
				mu.Lock()
				fmt.Printf("ACK %d %s\n", i, r.Tracker)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	// Finished before the kill: wait for it, as a server would.
	time.Sleep(time.Minute)
}
