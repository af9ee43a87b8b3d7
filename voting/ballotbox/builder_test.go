package ballotbox_test

import (
	"bytes"
	"testing"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBoardBuilder(t *testing.T) {
	pub := verifyElection()
	bb := ballotbox.NewBoardBuilder(pub)
	assert.Equal(t, ballotbox.GenesisHash(pub), bb.Genesis())
	assert.Equal(t, bb.Genesis(), bb.Head(), "an empty board's head is its genesis")
	b := ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "chair", Ranking: voting.Ranking{{3, 1}, {0}}}}}
	e0 := bb.AppendBallot("a", "", b, ballotbox.Part{Channel: civickit.ChannelPaper, Place: "library"})
	e1 := bb.Append(ballotbox.Entry{Tracker: "b", Replaces: "a", Channel: civickit.ChannelWeb, Index: 99, Prev: "ignored"})
	assert.Equal(t, int64(0), e0.Index)
	assert.Equal(t, bb.Genesis(), e0.Prev)
	assert.Equal(t, `{"answers":[{"question":"chair","ranking":[[1,3],[0]]}]}`, string(e0.Ballot), "canonical")
	assert.Equal(t, int64(1), e1.Index)
	assert.Equal(t, e0.Hash, e1.Prev)
	assert.Equal(t, e1.Hash, bb.Head())
	assert.Equal(t, []ballotbox.Entry{e0, e1}, bb.Entries())
	h := bb.Header()
	assert.Equal(t, ballotbox.BoardHeader{Format: ballotbox.BoardFormat, Election: pub, Genesis: bb.Genesis(), Head: e1.Hash, Entries: 2}, h)

	var buf bytes.Buffer
	n, err := bb.WriteTo(&buf)
	require.NoError(t, err)
	assert.Equal(t, int64(buf.Len()), n)
	rep, err := ballotbox.Verify(bytes.NewReader(buf.Bytes()), nil)
	require.NoError(t, err)
	assert.Equal(t, int64(0), rep.Counted, "the only ballot was voided")
	assert.Equal(t, int64(1), rep.Replaced)
}

// WriteBoard fills in what a header can be missing.
func TestWriteBoardFillsHeader(t *testing.T) {
	pub := verifyElection()
	var buf bytes.Buffer
	require.NoError(t, ballotbox.WriteBoard(&buf, ballotbox.BoardHeader{Election: pub}, ballotbox.NewBoardBuilder(pub).All()))
	br, err := ballotbox.NewBoardReader(&buf)
	require.NoError(t, err)
	assert.Equal(t, ballotbox.GenesisHash(pub), br.Header.Genesis)
	assert.Equal(t, br.Header.Genesis, br.Header.Head)
	_, err = ballotbox.VerifyBoard(br, ballotbox.VerifyOptions{})
	assert.NoError(t, err)
}
