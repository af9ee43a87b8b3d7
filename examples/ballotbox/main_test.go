package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/civickit/civickit/voting/ballotbox"
)

// find returns the first submatch of pattern in out.
func find(t *testing.T, out, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(out)
	require.NotNil(t, m, "no %q in\n%s", pattern, out)
	return m[1]
}

// The election runs on every engine; what it prints is checked against
// the exported board, verified here on its own, and against the database.
func TestRunElection(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, engine storage.Engine) {
		dsn := storagetest.NewDSN(t, engine)
		boardFile := filepath.Join(t.TempDir(), "board.ndjson")
		var stdout, stderr bytes.Buffer
		require.Equal(t, 0, run([]string{"-dsn", dsn, "-out", boardFile}, &stdout, &stderr), "stderr: %s", stderr.String())
		assert.Empty(t, stderr.String())
		out := stdout.String()

		board, err := os.ReadFile(boardFile)
		require.NoError(t, err)
		rep, err := ballotbox.Verify(bytes.NewReader(board), nil)
		require.NoError(t, err, "the exported board verifies")

		// Every voter in the register has exactly one counted ballot: web,
		// kiosk and paper voters alike, the revoter once.
		ctx := context.Background()
		db, err := storage.Open(ctx, storage.Config{DSN: dsn, SkipMigrations: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		require.NoError(t, err)
		defer db.Close()
		voters, err := storage.NewBallotBoxStore(db).CountVoters(ctx, rep.Election.ID)
		require.NoError(t, err)
		assert.Equal(t, voters, rep.Counted, "counted ballots = voters")
		assert.EqualValues(t, 1, rep.Replaced, "one revote")
		assert.Equal(t, rep.Ballots, rep.Entries, "no void entry")

		// The printed figures are the board's.
		assert.Equal(t, rep.Head, find(t, out, `(?m)^head: ([0-9a-f]{64})$`))
		assert.Contains(t, out, "board verifies: "+strconv.FormatInt(rep.Entries, 10)+" entries")
		for _, res := range []string{"live", "final"} {
			_, section, ok := strings.Cut(out, res+" results")
			require.True(t, ok, res)
			pattern := `(?m)^  all\s+(\d+)\s`
			if res == "final" {
				pattern = `^ \(final true\), (\d+) ballots:`
			}
			all := find(t, section, pattern)
			assert.Equal(t, strconv.FormatInt(rep.Counted, 10), all, "%s results count every ballot", res)
		}
		// The parts add up to the whole.
		live, _, _ := strings.Cut(out, "final results")
		sum := int64(0)
		parts := 0
		for _, line := range strings.Split(live, "\n") {
			cols := regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(line), -1)
			if len(cols) == 4 && regexp.MustCompile(`^(web|kiosk|paper)\b`).MatchString(cols[0]) {
				n, err := strconv.ParseInt(cols[1], 10, 64)
				require.NoError(t, err, line)
				sum += n
				parts++
			}
		}
		assert.Equal(t, 3, parts, "web, a kiosk, a polling station")
		assert.Equal(t, rep.Counted, sum, "web + kiosk + paper")
		for _, q := range rep.Results {
			require.NoError(t, q.Err)
			winner := q.Result.Candidates[q.Result.Elected[0]]
			assert.Contains(t, out, "  "+q.Question+": "+winner+" elected", "the board's recount elects what the service printed")
		}

		// The receipts the program printed are on the board.
		mine := find(t, out, `receipt (\S+) \(EX-0001\)`)
		first := find(t, out, `receipt (\S+) \(EX-0003's first ballot\)`)
		next := find(t, out, `replaced by (\S+)`)
		rep, err = ballotbox.VerifyWith(bytes.NewReader(board), ballotbox.VerifyOptions{Trackers: []string{mine, first, next}})
		require.NoError(t, err)
		assert.True(t, rep.Trackers[mine].Counted)
		assert.Equal(t, ballotbox.TrackerStatus{Found: true, Index: rep.Trackers[first].Index, Ballot: rep.Trackers[first].Ballot, ReplacedBy: next}, rep.Trackers[first])
		assert.True(t, rep.Trackers[next].Counted)

		// Each refusal names its typed error.
		for _, want := range []string{
			`EX-0999, not in the census: *ballotbox.EligibilityError{Rule: "census"}`,
			`after voting on paper: ballotbox.ErrAlreadyVoted`,
			`twice: *ballotbox.BallotError{Question: "project", Rule: "duplicate"}`,
			`*ballotbox.BallotError{Question: "market", Rule: "range"}`,
			`after the close: EX-0015: ballotbox.ErrClosed`,
			`batch of 5 sheets keyed by agent-a and agent-b: disputed, sheets [2] disputed`,
			`batch committed`,
			`paper: Polling station 1: 5 voters marked, 5 sheets counted`,
			`paper: a second bundle of 1 sheet: excess, sheets [0] held`,
			`voids it: bundle committed, nothing counted`,
		} {
			assert.Contains(t, out, want)
		}

		// Nothing about voters, operators or agents reaches the board.
		for _, personal := range []string{"EX-0", "operator-17", "clerk-3", "agent-a", "supervisor"} {
			assert.NotContains(t, string(board), personal)
		}
	})
}

// Without flags the database is temporary and removed; the board stays.
func TestRunDefaults(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run(nil, &stdout, &stderr), "stderr: %s", stderr.String())
	dirs, err := os.ReadDir(tmp)
	require.NoError(t, err)
	require.Len(t, dirs, 1)
	files, err := os.ReadDir(filepath.Join(tmp, dirs[0].Name()))
	require.NoError(t, err)
	require.Len(t, files, 1, "only the board is left")
	boardFile := filepath.Join(tmp, dirs[0].Name(), files[0].Name())
	assert.Equal(t, "board.ndjson", files[0].Name())
	assert.Contains(t, stdout.String(), "board: "+boardFile+" (")
	f, err := os.Open(boardFile)
	require.NoError(t, err)
	defer f.Close()
	_, err = ballotbox.Verify(f, nil)
	assert.NoError(t, err)

	// With -out only, the temporary directory goes entirely.
	stdout.Reset()
	require.Equal(t, 0, run([]string{"-out", filepath.Join(t.TempDir(), "b.ndjson")}, &stdout, &stderr), "stderr: %s", stderr.String())
	dirs, err = os.ReadDir(tmp)
	require.NoError(t, err)
	assert.Len(t, dirs, 1, "the second run left nothing behind")
}

func TestRunFailures(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown flag", []string{"-nope"}, 2, "flag provided but not defined"},
		{"help", []string{"-h"}, 0, "-dsn"},
		{"stray argument", []string{"x"}, 2, "unexpected arguments"},
		{"bad DSN", []string{"-dsn", "oracle://db", "-out", filepath.Join(t.TempDir(), "b")}, 1, "unknown DSN scheme"},
		{"unwritable board", []string{"-out", filepath.Join(t.TempDir(), "missing", "board.ndjson")}, 1, "board.ndjson"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("TMPDIR", t.TempDir())
			var stdout, stderr bytes.Buffer
			assert.Equal(t, tc.code, run(tc.args, &stdout, &stderr))
			assert.Contains(t, stderr.String(), tc.msg)
		})
	}
}
