package ballotbox_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/voting/ballotbox"
)

// testdata/board-v1.jsonl was exported by the Service over the SQLite
// store before the kernel work (web, kiosk and paper ballots, revotes, a
// paper voter voiding a web ballot, a recount): boards published then
// must verify, and count the same, for ever.
func TestBoardV1Fixture(t *testing.T) {
	f, err := os.Open("testdata/board-v1.jsonl")
	require.NoError(t, err)
	defer f.Close()
	rep, err := ballotbox.Verify(f, nil)
	require.NoError(t, err)
	assert.Equal(t, "b88f1e432e371ddcbbe781eed54769303a87c36da7350d5c769ceea2380bd207", rep.Head)
	assert.Equal(t, rep.Published, rep.Head)
	assert.Equal(t, int64(23), rep.Entries)
	assert.Equal(t, int64(21), rep.Ballots)
	assert.Equal(t, int64(6), rep.Replaced)
	assert.Equal(t, int64(15), rep.Counted)
	require.Len(t, rep.Results, 3)
	for i, want := range []struct {
		question string
		elected  string
		ballots  int64
	}{{"mayor", "Cyd", 15}, {"park", "North", 11}, {"budget", "Bikes", 11}} {
		r := rep.Results[i]
		require.NoError(t, r.Err)
		assert.Equal(t, want.question, r.Question)
		assert.Equal(t, want.ballots, r.Result.Ballots, want.question)
		require.Len(t, r.Result.Elected, 1)
		assert.Equal(t, want.elected, r.Result.Candidates[r.Result.Elected[0]], want.question)
	}
}
