package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/civickit/civickit/voting/ballotbox/ballotboxtest"
)

// A board exported after its election was closed early (its process
// ended the vote) verifies: the header carries the early close, which the
// genesis hash the entries chain from does not cover.
func TestVerifyEarlyClose(t *testing.T) {
	ctx := t.Context()
	st := storage.NewBallotBoxStore(storagetest.Open(t, storage.SQLite))
	clock := ballotboxtest.NewClock(ballotboxtest.During)
	svc, err := ballotbox.NewService(st, ballotbox.Options{Now: clock.Now, Secret: ballotboxtest.Secret})
	require.NoError(t, err)
	e := ballotboxtest.NewElection(ballotbox.RevoteLast, ballotbox.VisibleAfterClose)
	require.NoError(t, svc.CreateElection(ctx, e))
	station, err := svc.OpenSession(ctx, e.ID, "clerk", "Bureau 1", civickit.ChannelPaper)
	require.NoError(t, err)
	for i := range 8 {
		_, err := svc.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotboxtest.Voter(i % 6), Ballot: ballotboxtest.Full(i)})
		require.NoError(t, err)
	}
	for i := 10; i < 13; i++ {
		_, err := svc.MarkPaperVoter(ctx, station.ID, ballotboxtest.Voter(i), "")
		require.NoError(t, err)
	}
	closed, err := svc.CloseNow(ctx, e.ID)
	require.NoError(t, err)
	// Paper is counted after the close, an early one too.
	b, err := svc.CreateBatch(ctx, ballotbox.NewBatch{ElectionID: e.ID, Place: "Bureau 1", Sheets: 3})
	require.NoError(t, err)
	sheets := make([]ballotbox.Sheet, 3)
	for i := range sheets {
		bl := ballotboxtest.Full(20 + i)
		sheets[i] = ballotbox.Sheet{Ballot: &bl}
	}
	_, err = svc.KeyBatch(ctx, b.ID, "agent", sheets)
	require.NoError(t, err)

	var board bytes.Buffer
	require.NoError(t, svc.ExportBoard(ctx, e.ID, &board))
	path := filepath.Join(t.TempDir(), "board.jsonl")
	require.NoError(t, os.WriteFile(path, board.Bytes(), 0o644))
	code, out, errOut := tallyRun(t, "verify", path)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, path+" verifies")
	assert.Contains(t, out, "closed    2026-03-04T12:30:00Z, early (published close 2026-03-08T20:00:00Z)\n")
	assert.Contains(t, out, "entries   11\n")
	assert.Contains(t, out, "counted   9\n", "6 web voters, 3 paper ballots")

	code, out, errOut = tallyRun(t, "verify", "-json", path)
	require.Equal(t, 0, code, errOut)
	var got struct {
		Verifies bool
		ClosedAt *time.Time `json:"closed_at"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.True(t, got.Verifies)
	require.NotNil(t, got.ClosedAt)
	assert.True(t, closed.ClosedAt.Equal(*got.ClosedAt))

	// An early close moved past the published close is refused.
	lines := strings.SplitN(board.String(), "\n", 2)
	var h ballotbox.BoardHeader
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &h))
	late := h.Election.Closes.Add(time.Hour)
	h.ClosedAt = &late
	hdr, err := json.Marshal(h)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, []byte(string(hdr)+"\n"+lines[1]), 0o644))
	code, _, errOut = tallyRun(t, "verify", path)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "header (line 1): election: the early close is not before the published close")
}

// Boards exported before the kernel work verify as they did.
func TestVerifyBoardV1(t *testing.T) {
	code, out, errOut := tallyRun(t, "verify", "../../voting/ballotbox/testdata/board-v1.jsonl")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "head      b88f1e432e371ddcbbe781eed54769303a87c36da7350d5c769ceea2380bd207\n")
	assert.Contains(t, out, "counted   15\n")
	assert.NotContains(t, out, "closed")
}
