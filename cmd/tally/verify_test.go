package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the board files in testdata/ from their generator")

// boardElection is the election of the board files: a ranked and a
// cardinal question.
func boardElection() ballotbox.Public {
	return ballotbox.Public{
		ID:    uuid.MustParse("7a1c3e5f-0d2b-4c6a-9e8f-1b3d5f7a9c0e"),
		Title: "Riverside district vote 2026",
		Questions: []ballotbox.Question{
			{ID: "chair", Title: "Chair of the district council", Candidates: []string{"Ada", "Brahim", "Chloé", "Dmitri"}, Method: "schulze"},
			{ID: "parks", Title: "Parks to renovate", Candidates: []string{"North", "South", "Riverside"}, Method: "approval",
				Spec: voting.CardinalSpec{Kind: voting.Approval}, Optional: true},
		},
		Opens:      time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC),
		Closes:     time.Date(2026, 6, 14, 20, 0, 0, 0, time.UTC),
		Revote:     "last",
		Visibility: "after_close",
	}
}

// validBoard builds the board of 40 entries from fixed random ballots: web,
// paper at two polling places, a kiosk; a revote every ninth entry.
func validBoard(t *testing.T) []byte {
	t.Helper()
	pub := boardElection()
	r := rand.New(rand.NewPCG(2026, 6))
	parts := []ballotbox.Part{{Channel: civickit.ChannelWeb}, {Channel: civickit.ChannelPaper, Place: "town-hall"},
		{Channel: civickit.ChannelPaper, Place: "school"}, {Channel: civickit.ChannelKiosk, Place: "library"}}
	bb := ballotbox.NewBoardBuilder(pub)
	for i := range 40 {
		perm := r.Perm(4)
		ranking := voting.Ranking{}
		for _, c := range perm[:1+r.IntN(4)] {
			ranking = append(ranking, []int{c})
		}
		b := ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "chair", Ranking: ranking}}}
		if r.IntN(4) > 0 {
			b.Answers = append(b.Answers, ballotbox.Answer{Question: "parks", Scores: []int{r.IntN(2), r.IntN(2), r.IntN(2)}})
		}
		replaces := ""
		if i > 0 && i%9 == 0 {
			replaces = fmt.Sprintf("trk-%04d", i-5)
		}
		bb.AppendBallot(fmt.Sprintf("trk-%04d", i), replaces, b, parts[r.IntN(len(parts))])
	}
	var buf bytes.Buffer
	_, err := bb.WriteTo(&buf)
	require.NoError(t, err)
	return buf.Bytes()
}

// tamper edits a board file's lines (0 is the header) like an attacker
// with a text editor.
func tamper(t *testing.T, board []byte, edit func(lines []string) []string) []byte {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(board), "\n"), "\n")
	return []byte(strings.Join(edit(slices.Clone(lines)), "\n") + "\n")
}

// boardFiles generates every board file of testdata/.
func boardFiles(t *testing.T) map[string][]byte {
	valid := validBoard(t)
	header := func(fn func(h *ballotbox.BoardHeader)) func([]string) []string {
		return func(lines []string) []string {
			var h ballotbox.BoardHeader
			require.NoError(t, json.Unmarshal([]byte(lines[0]), &h))
			fn(&h)
			b, err := json.Marshal(h)
			require.NoError(t, err)
			lines[0] = string(b)
			return lines
		}
	}
	return map[string][]byte{
		"board.jsonl": valid,
		// Entry 12's first choice changed from 0 (Ada) to 1 (Brahim), or back.
		"board-changed.jsonl": tamper(t, valid, func(l []string) []string {
			if strings.Contains(l[13], `"ranking":[[0]`) {
				l[13] = strings.Replace(l[13], `"ranking":[[0]`, `"ranking":[[1]`, 1)
			} else {
				l[13] = strings.Replace(l[13], `"ranking":[[`, `"ranking":[[0],[`, 1)
			}
			return l
		}),
		"board-deleted.jsonl":   tamper(t, valid, func(l []string) []string { return slices.Delete(l, 21, 22) }),
		"board-inserted.jsonl":  tamper(t, valid, func(l []string) []string { return slices.Insert(l, 31, l[4]) }),
		"board-reordered.jsonl": tamper(t, valid, func(l []string) []string { l[15], l[16] = l[16], l[15]; return l }),
		"board-truncated.jsonl": tamper(t, valid, func(l []string) []string { return l[:len(l)-3] }),
		"board-head.jsonl":      tamper(t, valid, header(func(h *ballotbox.BoardHeader) { h.Head = strings.Repeat("0", 64) })),
		"board-election.jsonl": tamper(t, valid, header(func(h *ballotbox.BoardHeader) {
			h.Election.Questions[0].Method = "plurality"
		})),
	}
}

// TestBoardTestdata keeps the board files in testdata/ equal to what their
// generator makes; `go test ./cmd/tally -run BoardTestdata -update`
// rewrites them.
func TestBoardTestdata(t *testing.T) {
	for name, want := range boardFiles(t) {
		path := filepath.Join("testdata", name)
		if *update {
			require.NoError(t, os.WriteFile(path, want, 0o644))
			continue
		}
		got, err := os.ReadFile(path)
		require.NoError(t, err, "run go test ./cmd/tally -run BoardTestdata -update")
		assert.Equal(t, string(want), string(got), "%s is stale: run go test ./cmd/tally -run BoardTestdata -update", name)
	}
}

func TestVerifyValid(t *testing.T) {
	rep, err := ballotbox.Verify(bytes.NewReader(validBoard(t)), nil)
	require.NoError(t, err)
	code, out, errOut := tallyRun(t, "verify", "testdata/board.jsonl")
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut)
	assert.Contains(t, out, "testdata/board.jsonl verifies")
	assert.Contains(t, out, "head      "+rep.Head)
	assert.Contains(t, out, "entries   40\n")
	assert.Contains(t, out, "ballots   40 (4 replaced)\n")
	assert.Contains(t, out, "counted   36\n")
	for _, qr := range rep.Results {
		require.NoError(t, qr.Err)
		n := qr.Result.Named()
		assert.Contains(t, out, fmt.Sprintf("elected %s", strings.Join(n.Elected, ", ")))
		assert.Contains(t, out, fmt.Sprintf("; %d ballots", n.Ballots))
	}
	assert.Contains(t, out, "chair (schulze)")
	assert.Contains(t, out, "parks (approval)")

	code, out, errOut = tallyRun(t, "verify", "-json", "testdata/board.jsonl")
	require.Equal(t, 0, code, errOut)
	var got struct {
		Verifies bool
		Head     string
		Counted  int64
		Results  map[string]voting.NamedResult
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.True(t, got.Verifies)
	assert.Equal(t, rep.Head, got.Head)
	assert.Equal(t, int64(36), got.Counted)
	assert.Equal(t, rep.Results[0].Result.Named().Elected, got.Results["chair"].Elected)
	assert.Equal(t, int64(36), got.Results["chair"].Ballots)

	// A head noted earlier by a voter must be on the chain.
	var entry ballotbox.Entry
	lines := strings.Split(string(validBoard(t)), "\n")
	require.NoError(t, json.Unmarshal([]byte(lines[10]), &entry))
	code, _, errOut = tallyRun(t, "verify", "-head", entry.Hash, "testdata/board.jsonl")
	assert.Equal(t, 0, code, errOut)
	code, _, errOut = tallyRun(t, "verify", "-head", strings.Repeat("9", 64), "testdata/board.jsonl")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "is not on this board")
}

func TestVerifyTampered(t *testing.T) {
	for _, tt := range []struct {
		file string
		msg  string
		kind ballotbox.TamperKind
		idx  int64
	}{
		{"board-changed.jsonl", "entry 12 (line 14): changed", ballotbox.TamperChanged, 12},
		{"board-deleted.jsonl", "entry 20 (line 22): deleted: entry 20 is missing", ballotbox.TamperDeleted, 20},
		{"board-inserted.jsonl", "entry 30 (line 32): inserted", ballotbox.TamperInserted, 30},
		{"board-reordered.jsonl", "entry 14 (line 16): reordered: entry 14 comes after entry 15", ballotbox.TamperReordered, 14},
		{"board-truncated.jsonl", "entry 37: truncated: the board ends after 37 entries, the header announces 40", ballotbox.TamperTruncated, 37},
		{"board-head.jsonl", "header (line 1): head", ballotbox.TamperHead, ballotbox.HeaderIndex},
		{"board-election.jsonl", "header (line 1): election", ballotbox.TamperElection, ballotbox.HeaderIndex},
	} {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			code, out, errOut := tallyRun(t, "verify", path)
			assert.Equal(t, 1, code)
			assert.Empty(t, out)
			assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %q", errOut)
			assert.Contains(t, errOut, "tally: "+path+": ballotbox: board does not verify: "+tt.msg)

			code, out, _ = tallyRun(t, "verify", "-json", path)
			assert.Equal(t, 1, code)
			var got struct {
				Verifies bool
				Problem  struct {
					Kind  ballotbox.TamperKind
					Index int64
				}
			}
			require.NoError(t, json.Unmarshal([]byte(out), &got))
			assert.False(t, got.Verifies)
			assert.Equal(t, tt.kind, got.Problem.Kind)
			assert.Equal(t, tt.idx, got.Problem.Index)
		})
	}
}

func TestVerifyUsage(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		msg  string
	}{
		{"no file", []string{"verify"}, "want one board file, got 0"},
		{"two files", []string{"verify", "a", "b"}, "want one board file, got 2"},
		{"bad flag", []string{"verify", "-method", "irv", "testdata/board.jsonl"}, "flag provided but not defined"},
		{"missing file", []string{"verify", "testdata/nope.jsonl"}, "no such file"},
		{"not a board", []string{"verify", "testdata/tennessee.soc"}, "not a board file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := tallyRun(t, tt.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %q", errOut)
			assert.Contains(t, errOut, tt.msg)
		})
	}
}

// "Verify my vote": a voter looks their tracker up on the board.
func TestVerifyTracker(t *testing.T) {
	code, out, errOut := tallyRun(t, "verify", "-tracker", "trk-0004", "-tracker", "trk-0005", "testdata/board.jsonl")
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `tracker trk-0004 +entry 4, replaced by trk-0009\n`, out)
	assert.Regexp(t, `tracker trk-0005 +entry 5, counted: \{"answers":`, out)

	code, out, errOut = tallyRun(t, "verify", "-json", "-tracker", "trk-0009", "testdata/board.jsonl")
	require.Equal(t, 0, code, errOut)
	var got struct {
		Trackers map[string]ballotbox.TrackerStatus
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.True(t, got.Trackers["trk-0009"].Found)
	assert.True(t, got.Trackers["trk-0009"].Counted)
	assert.Equal(t, int64(9), got.Trackers["trk-0009"].Index)

	code, out, errOut = tallyRun(t, "verify", "-tracker", "trk-9999", "testdata/board.jsonl")
	assert.Equal(t, 1, code)
	assert.Regexp(t, `tracker trk-9999 +not on the board`, out)
	assert.Contains(t, errOut, `tracker "trk-9999" is not on the board`)

	code, _, errOut = tallyRun(t, "verify", "-tracker", "", "testdata/board.jsonl")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "empty tracker")
}
