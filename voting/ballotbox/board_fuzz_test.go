package ballotbox_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
)

// verifyFuzzSeeds are a valid board and a few damaged ones.
func verifyFuzzSeeds(f *testing.F) {
	valid := verifyBoardBytes(f, verifyBoardOf(f, 12, 5))
	f.Add(valid)
	f.Add(verifyBoardBytes(f, verifyBoardOf(f, 0, 1)))
	f.Add(valid[:len(valid)/2])
	f.Add(bytes.Replace(valid, []byte(`"index":3`), []byte(`"index":4`), 1))
	f.Add(bytes.Replace(valid, []byte(`"ranking":[[`), []byte(`"ranking":[[1,`), 1))
	f.Add([]byte(`{"format":"civickit-board-v1","election":{"questions":[{"id":"q","candidates":["a","b"],"method":"plurality"}]},"entries":1}` + "\n" +
		`{"index":0,"tracker":"t","ballot":{"answers":[{"question":"q","ranking":[[0]]}]},"channel":"web","prev":"","hash":""}` + "\n"))
	f.Add([]byte(`{"format":"civickit-board-v1","election":{"opens":"0000-01-01T00:00:00+23:59"}}`))
}

// The board reader never panics, fails only with ErrBoardFormat, and what
// it reads is written back with the same hashes.
func FuzzBoardReader(f *testing.F) {
	verifyFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		br, err := ballotbox.NewBoardReader(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ballotbox.ErrBoardFormat) {
				t.Fatalf("header error is not ErrBoardFormat: %v", err)
			}
			return
		}
		var entries []ballotbox.Entry
		for range 1000 {
			e, err := br.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				if !errors.Is(err, ballotbox.ErrBoardFormat) {
					t.Fatalf("entry error is not ErrBoardFormat: %v", err)
				}
				continue
			}
			entries = append(entries, e)
		}
		var buf bytes.Buffer
		err = ballotbox.WriteBoard(&buf, br.Header, func(yield func(ballotbox.Entry, error) bool) {
			for _, e := range entries {
				if !yield(e, nil) {
					return
				}
			}
		})
		if err != nil {
			return // a raw ballot that is not JSON cannot be written back
		}
		back, err := ballotbox.NewBoardReader(&buf)
		if err != nil {
			t.Fatalf("written header not read back: %v", err)
		}
		if g, w := ballotbox.GenesisHash(back.Header.Election), ballotbox.GenesisHash(br.Header.Election); g != w {
			t.Fatalf("genesis changed by a round trip: %s != %s", g, w)
		}
		for i, e := range entries {
			got, err := back.Next()
			if err != nil {
				t.Fatalf("entry %d not read back: %v", i, err)
			}
			if got.ComputeHash() != e.ComputeHash() {
				t.Fatalf("entry %d hashes differently after a round trip", i)
			}
		}
	})
}

// Verify never panics and says why a board does not verify; a board that
// verifies is consistent with its header.
func FuzzVerify(f *testing.F) {
	verifyFuzzSeeds(f)
	reg := voting.NewRegistry()
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := ballotbox.Verify(bytes.NewReader(data), reg)
		if err != nil {
			var te *ballotbox.TamperError
			switch {
			case errors.As(err, &te):
				if rep == nil || rep.Problem != te || rep.Results != nil {
					t.Fatalf("report does not carry the problem: %v", err)
				}
				if te.Index < ballotbox.HeaderIndex || te.Index > rep.Entries+1 && te.Kind != ballotbox.TamperTruncated {
					t.Fatalf("index %d out of range (%d entries chain): %v", te.Index, rep.Entries, err)
				}
			case errors.Is(err, ballotbox.ErrBoardFormat):
				if rep != nil {
					t.Fatal("a report for an unreadable header")
				}
			default:
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		if rep.Head != rep.Published || rep.Counted > rep.Ballots || rep.Ballots > rep.Entries {
			t.Fatalf("inconsistent report: %+v", rep)
		}
		for _, q := range rep.Election.Questions { // every counted ballot answers a mandatory question
			in, err := rep.Tally.Input(q.ID, nil)
			if q.Optional || err != nil {
				continue
			}
			voters := int64(0)
			if in.Ranked != nil {
				voters = in.Ranked.Voters()
			} else if in.Cardinal != nil {
				voters = in.Cardinal.Voters()
			}
			if voters != rep.Counted {
				t.Fatalf("question %s counts %d voters, the board %d ballots", q.ID, voters, rep.Counted)
			}
		}
	})
}
