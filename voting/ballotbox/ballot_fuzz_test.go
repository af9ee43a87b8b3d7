package ballotbox_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/civickit/civickit/voting/ballotbox/ballotboxtest"
)

func TestSplitBallot(t *testing.T) {
	e := ballotboxtest.NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive)
	canonical := e.Canonical(ballotboxtest.Full(7))
	parts, err := ballotbox.SplitBallot(canonical)
	require.NoError(t, err)
	require.Len(t, parts, 3)
	for i, q := range []string{"mayor", "park", "budget"} {
		assert.Equal(t, q, parts[i].Question)
		assert.Equal(t, int64(1), parts[i].N)
		var a ballotbox.Answer
		require.NoError(t, json.Unmarshal(parts[i].Answer, &a))
		again := e.Canonical(ballotbox.Ballot{Answers: []ballotbox.Answer{a}})
		assert.Contains(t, string(canonical), string(parts[i].Answer), "answers are cut from the canonical ballot")
		assert.Contains(t, string(again), string(parts[i].Answer))
	}
	none, err := ballotbox.SplitBallot(nil)
	require.NoError(t, err)
	assert.Empty(t, none)
	_, err = ballotbox.SplitBallot([]byte("{"))
	assert.ErrorIs(t, err, ballotbox.ErrInvalidBallot)
}

func TestBallotDigest(t *testing.T) {
	e := ballotboxtest.NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive)
	tied := ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "mayor", Ranking: voting.Ranking{{2, 0}, {1}}}}}
	same := ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "mayor", Ranking: voting.Ranking{{0, 2}, {1}}}}}
	other := ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "mayor", Ranking: voting.Ranking{{0}, {2}, {1}}}}}
	assert.Equal(t, ballotbox.BallotDigest(e.Canonical(tied)), ballotbox.BallotDigest(e.Canonical(same)))
	assert.NotEqual(t, ballotbox.BallotDigest(e.Canonical(tied)), ballotbox.BallotDigest(e.Canonical(other)))
	assert.Len(t, ballotbox.BallotDigest(nil), 64)
}

// FuzzParseBallot feeds arbitrary bytes to the ballot decoder and the
// answer splitter: they never panic, and whatever decodes and checks out
// re-encodes canonically to a fixed point.
func FuzzParseBallot(f *testing.F) {
	e := ballotboxtest.NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive)
	reg := voting.NewRegistry()
	for k := range 5 {
		f.Add(e.Canonical(ballotboxtest.Full(k)))
	}
	f.Add([]byte(`{"answers":[{"question":"mayor","ranking":[[1,0],[3]]}]}`))
	f.Add([]byte(`{"answers":[{"question":"mayor","ranking":[[0],[0]]}]}`))
	f.Add([]byte(`{"answers":[{"question":"budget","scores":[-2147483648,10,0]}]}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"answers":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ballotbox.SplitBallot(data)
		b, err := ballotbox.ParseBallot(data)
		if err != nil {
			return
		}
		if e.CheckBallot(reg, b) != nil {
			return
		}
		c := e.Canonical(b)
		b2, err := ballotbox.ParseBallot(c)
		if err != nil {
			t.Fatalf("canonical encoding %s does not parse: %v", c, err)
		}
		if err := e.CheckBallot(reg, b2); err != nil {
			t.Fatalf("canonical encoding %s no longer checks: %v", c, err)
		}
		if c2 := e.Canonical(b2); !bytes.Equal(c, c2) {
			t.Fatalf("canonical encoding is not a fixed point: %s then %s", c, c2)
		}
	})
}
