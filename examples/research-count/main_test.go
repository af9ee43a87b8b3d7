package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runOK runs the program and returns its output, requiring success.
func runOK(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	require.Equal(t, 0, code, "stderr: %s", errOut.String())
	assert.Empty(t, errOut.String())
	return out.String()
}

// table returns the comparison table's rows: method → elected.
func table(t *testing.T, out string) map[string]string {
	t.Helper()
	rows := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	in := false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "method "):
			in = true
		case in && line == "":
			return rows
		case in:
			f := strings.SplitN(line, "  ", 2)
			require.Len(t, f, 2, line)
			// The elected column ends at the next run of two spaces.
			elected, _, _ := strings.Cut(strings.TrimSpace(f[1]), "  ")
			rows[strings.TrimSpace(f[0])] = elected
		}
	}
	require.True(t, in, "no table in\n%s", out)
	return rows
}

// The expected outcomes are worked out by hand from the file in
// testdata/README.md; the voters are summed from the file here.
func TestRunCountsTheShippedFile(t *testing.T) {
	out := runOK(t)
	data, err := os.ReadFile(filepath.Join("testdata", "footbridge.blt"))
	require.NoError(t, err)
	assert.Equal(t, footbridge, data, "the program embeds the shipped file")
	voters := 0
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) > 2 && f[len(f)-1] == "0" {
			n, err := strconv.Atoi(f[0])
			require.NoError(t, err)
			voters += n
		}
	}
	assert.Contains(t, out, "4 candidates, "+strconv.Itoa(voters)+" voters, 5 distinct ballots")
	assert.Contains(t, out, "Condorcet winner: Station")
	assert.Equal(t, map[string]string{
		"plurality": "North quay", "irv": "Old mill",
		"schulze": "Station", "ranked-pairs": "Station", "kemeny-young": "Station", "borda": "Station",
	}, table(t, out))
	assert.Contains(t, out, "North quay (40) > Old mill (30) > Park (18) > Station (12)", "first preferences")
	assert.Contains(t, out, "Station (208) > Old mill (168) > North quay (162) > Park (62)", "Borda points")
	assert.Contains(t, out, "the 6 methods elect 3 different outcomes")

	// The instant runoff's report: Station out first, then Park, Old mill
	// elected 60 to 40.
	_, report, ok := strings.Cut(out, "Report of irv:")
	require.True(t, ok)
	assert.Equal(t, 3, strings.Count(report, "\nRound "))
	assert.Contains(t, report, "Transfers: Station → Old mill 12")
	assert.Contains(t, report, "Transfers: Park → Old mill 18")
	assert.Regexp(t, `Old mill\s+60\s+60\.0%\s+elected`, report)
}

// A PrefLib file where one candidate is everyone's first choice: every
// method elects it.
func TestRunPrefLibFileWithAUnanimousFavourite(t *testing.T) {
	const soi = `# TITLE: Unanimous
# DATA TYPE: soi
# NUMBER ALTERNATIVES: 3
# NUMBER VOTERS: 9
# NUMBER UNIQUE ORDERS: 3
# ALTERNATIVE NAME 1: Ash
# ALTERNATIVE NAME 2: Birch
# ALTERNATIVE NAME 3: Cedar
4: 2,1,3
3: 2,3
2: 2
`
	file := filepath.Join(t.TempDir(), "unanimous.soi")
	require.NoError(t, os.WriteFile(file, []byte(soi), 0o644))
	out := runOK(t, "-file", file, "-methods", "plurality, irv,borda ,copeland", "-report", "borda")
	assert.Contains(t, out, "format soi")
	assert.Contains(t, out, "3 candidates, 9 voters, 3 distinct ballots")
	rows := table(t, out)
	assert.Len(t, rows, 4)
	for m, elected := range rows {
		assert.Equal(t, "Birch", elected, m)
	}
	assert.Contains(t, out, "all 4 methods agree")
	assert.Contains(t, out, "Report of borda:")
	assert.NotContains(t, out, "Round 2", "Borda counts once")
}

// A BLT file that withdraws a candidate: the count leaves them out.
func TestRunLeavesWithdrawnCandidatesOut(t *testing.T) {
	const blt = "3 1\n-1\n5 1 2 3 0\n4 2 3 0\n3 3 2 0\n0\n\"Ash\" \"Birch\" \"Cedar\" \"Withdrawn Ash\"\n"
	file := filepath.Join(t.TempDir(), "ballots")
	require.NoError(t, os.WriteFile(file, []byte(blt), 0o644))
	out := runOK(t, "-file", file, "-methods", "plurality", "-report", "")
	assert.Contains(t, out, "format blt", "detected from the content")
	assert.Contains(t, out, "2 candidates, 12 voters")
	assert.Contains(t, out, "(1 withdrawn candidates left out)")
	assert.Equal(t, map[string]string{"plurality": "Birch"}, table(t, out), "Ash's 5 first preferences go to Birch")
	assert.NotContains(t, out, "Report of")
}

func TestRunFailures(t *testing.T) {
	dir := t.TempDir()
	garbled := filepath.Join(dir, "bad.blt")
	require.NoError(t, os.WriteFile(garbled, []byte("3 1\n2 1 7 0\n0\n\"A\" \"B\" \"C\" \"T\"\n"), 0o644))
	twoSeats := filepath.Join(dir, "council.blt")
	require.NoError(t, os.WriteFile(twoSeats, []byte("3 2\n2 1 2 0\n1 3 0\n0\n\"A\" \"B\" \"C\"\n"), 0o644))
	scores := filepath.Join(dir, "scores.abif")
	require.NoError(t, os.WriteFile(scores, []byte("3: A/5, B/2\n"), 0o644))
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown flag", []string{"-nope"}, 2, "flag provided but not defined"},
		{"help", []string{"-h"}, 0, "-methods"},
		{"stray argument", []string{"file.blt"}, 2, "unexpected arguments"},
		{"unknown method", []string{"-methods", "plurality,nonesuch"}, 1, "nonesuch"},
		{"unknown report method", []string{"-report", "nonesuch"}, 1, "nonesuch"},
		{"no method", []string{"-methods", " , "}, 1, "no method"},
		{"missing file", []string{"-file", filepath.Join(dir, "absent.blt")}, 1, "absent.blt"},
		{"unknown format", []string{"-format", "xls"}, 1, "xls"},
		{"parse error", []string{"-file", garbled}, 1, "line 2: unknown candidate"},
		{"cardinal ballots", []string{"-file", scores}, 1, "cardinal ballots"},
		{"multi-seat file", []string{"-file", twoSeats}, 1, "elects 2 seats"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			assert.Equal(t, tc.code, run(tc.args, &out, &errOut))
			assert.Contains(t, errOut.String(), tc.msg)
		})
	}
}
