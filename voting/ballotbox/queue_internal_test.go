package ballotbox

import (
	"encoding/json"
	"strings"
	"testing"
)

// Sealed rows of different ballots have one length, so that the queue's
// rows do not tell ballots apart by size.
func TestPad(t *testing.T) {
	for _, tc := range []struct {
		in   int
		want int
	}{{0, 1024}, {10, 1024}, {1024, 1024}, {1025, 2048}, {5000, 8192}} {
		got := pad([]byte(strings.Repeat("x", tc.in)))
		if len(got) != tc.want {
			t.Errorf("pad(%d bytes) = %d bytes, want %d", tc.in, len(got), tc.want)
		}
	}
	var qb queuedBallot
	if err := json.Unmarshal(pad([]byte(`{"tracker":"a","digest":"d","ballot":{"answers":[]}}`)), &qb); err != nil || qb.Tracker != "a" {
		t.Fatalf("padded JSON does not decode: %v %+v", err, qb)
	}
}
