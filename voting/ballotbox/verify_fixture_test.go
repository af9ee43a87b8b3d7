package ballotbox_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// verifyElection has a ranked question and an optional cardinal one.
func verifyElection() ballotbox.Public {
	return ballotbox.Public{
		ID:    uuid.MustParse("0b0e2f6c-3c1a-4c55-9d0e-6f5d7e0c2a11"),
		Title: "Neighbourhood council 2026",
		Questions: []ballotbox.Question{
			{ID: "chair", Title: "Chair", Candidates: []string{"Ada", "Brahim", "Chloé", "Dmitri"}, Method: "schulze"},
			{ID: "parks", Title: "Parks to renovate", Candidates: []string{"North", "South", "Riverside"}, Method: "approval",
				Spec: voting.CardinalSpec{Kind: voting.Approval}, Optional: true},
		},
		Opens:      time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC),
		Closes:     time.Date(2026, 3, 15, 20, 0, 0, 0, time.UTC),
		Revote:     string(ballotbox.RevoteLast),
		Visibility: string(ballotbox.VisibleAfterClose),
	}
}

// verifyRandomBallot draws a valid ballot of verifyElection.
func verifyRandomBallot(r *rand.Rand) ballotbox.Ballot {
	perm := r.Perm(4)
	cut := 1 + r.IntN(4)
	ranking := voting.Ranking{}
	for i, c := range perm[:cut] {
		if i > 0 && r.IntN(4) == 0 { // tie with the previous rank
			ranking[len(ranking)-1] = append(ranking[len(ranking)-1], c)
			continue
		}
		ranking = append(ranking, []int{c})
	}
	b := ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "chair", Ranking: ranking}}}
	if r.IntN(5) > 0 {
		b.Answers = append(b.Answers, ballotbox.Answer{Question: "parks", Scores: []int{r.IntN(2), r.IntN(2), r.IntN(2)}})
	}
	return b
}

func verifyParts() []ballotbox.Part {
	return []ballotbox.Part{
		{Channel: civickit.ChannelWeb},
		{Channel: civickit.ChannelPaper, Place: "town-hall"},
		{Channel: civickit.ChannelPaper, Place: "library"},
		{Channel: civickit.ChannelKiosk, Place: "library"},
	}
}

// verifyBoardOf builds a valid board of n entries: ballots from every part,
// with a revote every seventh entry and a voided ballot.
func verifyBoardOf(t testing.TB, n int, seed uint64) *ballotbox.BoardBuilder {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	bb := ballotbox.NewBoardBuilder(verifyElection())
	voided := false
	for i := range n {
		tracker := fmt.Sprintf("T%06d", i)
		p := verifyParts()[r.IntN(len(verifyParts()))]
		switch {
		case i > 2 && i%7 == 0:
			bb.AppendBallot(tracker, fmt.Sprintf("T%06d", i-3), verifyRandomBallot(r), p)
		case i > 2 && i%11 == 0 && !voided:
			bb.Append(ballotbox.Entry{Tracker: tracker, Replaces: fmt.Sprintf("T%06d", i-1), Channel: p.Channel, Place: p.Place})
			voided = true
		default:
			bb.AppendBallot(tracker, "", verifyRandomBallot(r), p)
		}
	}
	return bb
}

func verifyBoardBytes(t testing.TB, bb *ballotbox.BoardBuilder) []byte {
	t.Helper()
	var buf bytes.Buffer
	_, err := bb.WriteTo(&buf)
	require.NoError(t, err)
	return buf.Bytes()
}
