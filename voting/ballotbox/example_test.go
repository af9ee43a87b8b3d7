package ballotbox_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/google/uuid"
)

func exampleBoxElection() *ballotbox.Election {
	return &ballotbox.Election{
		ID:         uuid.MustParse("3f2a8c1e-7b4d-4e6f-a0c9-5d1e2f3a4b5c"),
		Title:      "Which square to redesign first?",
		Questions:  []ballotbox.Question{{ID: "square", Candidates: []string{"Market", "Station", "Church"}, Method: "irv"}},
		Opens:      time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC),
		Closes:     time.Date(2026, 9, 8, 20, 0, 0, 0, time.UTC),
		Revote:     ballotbox.RevoteLast,
		Visibility: ballotbox.VisibleLive,
	}
}

func exampleRanking(groups ...int) ballotbox.Ballot {
	r := make(voting.Ranking, len(groups))
	for i, c := range groups {
		r[i] = []int{c}
	}
	return ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "square", Ranking: r}}}
}

// A live tally counts web and paper ballots apart, takes back a ballot
// when its voter votes again, and counts any set of parts.
func ExampleTally() {
	e := exampleBoxElection()
	reg := voting.NewRegistry()
	tally := ballotbox.NewTally(e, reg)
	web := ballotbox.Part{Channel: civickit.ChannelWeb}
	paper := ballotbox.Part{Channel: civickit.ChannelPaper, Place: "town-hall"}

	_ = tally.Add(exampleRanking(0, 1), web, 4)   // Market > Station
	_ = tally.Add(exampleRanking(1, 0), web, 3)   // Station > Market
	_ = tally.Add(exampleRanking(2, 1), paper, 2) // Church > Station
	// A web voter changes their mind: the old ballot goes, the new one counts.
	_ = tally.Add(exampleRanking(0, 1), web, -1)
	_ = tally.Add(exampleRanking(2, 1), web, 1)

	for _, p := range tally.Parts() {
		only := func(q ballotbox.Part) bool { return q == p }
		r, _ := tally.Result("square", only)
		fmt.Printf("%s %s: %d ballots, %s\n", p.Channel, p.Place, r.Ballots, r.Candidates[r.Elected[0]])
	}
	r, _ := tally.Result("square", nil)
	fmt.Printf("all: %d ballots, %s after %d rounds\n", r.Ballots, r.Candidates[r.Elected[0]], len(r.Rounds))
	// Output:
	// paper town-hall: 2 ballots, Church
	// web : 7 ballots, Station
	// all: 9 ballots, Station after 2 rounds
}

// A board built without any store, exported and read back entry by entry.
func ExampleNewBoardBuilder() {
	bb := ballotbox.NewBoardBuilder(exampleBoxElection().Public())
	web := ballotbox.Part{Channel: civickit.ChannelWeb}
	bb.AppendBallot("tr-1", "", exampleRanking(0, 1), web)
	bb.AppendBallot("tr-2", "", exampleRanking(1), web)
	bb.AppendBallot("tr-3", "tr-1", exampleRanking(2, 0), web) // tr-1's voter votes again

	var file bytes.Buffer
	_, _ = bb.WriteTo(&file)
	br, _ := ballotbox.NewBoardReader(&file)
	fmt.Println(br.Header.Entries, "entries, head", br.Header.Head == bb.Head())
	for {
		e, err := br.Next()
		if err == io.EOF {
			break
		}
		fmt.Println(e.Index, e.Tracker, e.Replaces, string(e.Ballot), e.Hash == e.ComputeHash())
	}
	// Output:
	// 3 entries, head true
	// 0 tr-1  {"answers":[{"question":"square","ranking":[[0],[1]]}]} true
	// 1 tr-2  {"answers":[{"question":"square","ranking":[[1]]}]} true
	// 2 tr-3 tr-1 {"answers":[{"question":"square","ranking":[[2],[0]]}]} true
}

// Anyone can recount an exported board; a board whose entries were
// swapped names the first entry out of place.
func ExampleVerify() {
	bb := ballotbox.NewBoardBuilder(exampleBoxElection().Public())
	for i, b := range []ballotbox.Ballot{exampleRanking(0, 1), exampleRanking(1, 0), exampleRanking(2, 1), exampleRanking(0), exampleRanking(1, 2)} {
		bb.AppendBallot(fmt.Sprintf("tr-%d", i), "", b, ballotbox.Part{Channel: civickit.ChannelWeb})
	}
	var file bytes.Buffer
	_, _ = bb.WriteTo(&file)

	rep, err := ballotbox.Verify(bytes.NewReader(file.Bytes()), voting.NewRegistry())
	r := rep.Results[0].Result
	fmt.Println(err, rep.Counted, "ballots,", r.Candidates[r.Elected[0]], "elected")

	lines := strings.Split(file.String(), "\n")
	lines[3], lines[4] = lines[4], lines[3] // entries 2 and 3
	_, err = ballotbox.Verify(strings.NewReader(strings.Join(lines, "\n")), voting.NewRegistry())
	var te *ballotbox.TamperError
	fmt.Println(errors.Is(err, ballotbox.ErrTampered), errors.As(err, &te), te.Kind, te.Index)
	fmt.Println(err)
	// Output:
	// <nil> 5 ballots, Station elected
	// true true reordered 2
	// ballotbox: board does not verify: entry 2 (line 4): reordered: entry 2 comes after entry 3 (moved by 1)
}

// A voter who noted the board's head after casting checks that the board
// published later still passes through it, then finds their tracker.
func ExampleVerifyWith() {
	bb := ballotbox.NewBoardBuilder(exampleBoxElection().Public())
	web := ballotbox.Part{Channel: civickit.ChannelWeb}
	bb.AppendBallot("tr-1", "", exampleRanking(0, 1), web)
	mine := bb.AppendBallot("tr-2", "", exampleRanking(2), web)
	noted := bb.Head() // shown to the voter with their receipt
	bb.AppendBallot("tr-3", "", exampleRanking(1, 2), web)

	var file bytes.Buffer
	_, _ = bb.WriteTo(&file)
	rep, err := ballotbox.VerifyWith(bytes.NewReader(file.Bytes()), ballotbox.VerifyOptions{Head: noted})
	fmt.Println(err, rep.Entries, "entries")

	br, _ := ballotbox.NewBoardReader(bytes.NewReader(file.Bytes()))
	for e, err := br.Next(); err == nil; e, err = br.Next() {
		if e.Tracker == mine.Tracker {
			fmt.Println("my ballot is entry", e.Index, string(e.Ballot))
		}
	}
	// Output:
	// <nil> 3 entries
	// my ballot is entry 1 {"answers":[{"question":"square","ranking":[[2]]}]}
}
