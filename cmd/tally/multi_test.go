package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The bug of issue 12: a 2-seat BLT was counted as single-winner IRV.
func TestMultiSeatBLTNeverSilentlySingle(t *testing.T) {
	t.Run("default counts the file's seats by STV", func(t *testing.T) {
		code, out, errOut := tallyRun(t, "-json", "testdata/two-seats.blt")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, errOut, "2 seats: counting by STV")
		var got struct {
			Method  string   `json:"method"`
			Variant string   `json:"variant"`
			Elected []string `json:"elected"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &got))
		assert.Equal(t, "stv", got.Method)
		assert.Equal(t, "scottish", got.Variant)
		// Hand count: quota floor(10/3)+1 = 4; Ann 5 elected, surplus 1
		// at 0.2 to Bob; Cat (1.4) then Bob (2.6) excluded; Dan fills.
		assert.Equal(t, []string{"Ann", "Dan"}, got.Elected)
	})
	for _, method := range []string{"irv", "schulze", "plurality"} {
		t.Run("single-winner "+method+" is refused", func(t *testing.T) {
			code, out, errOut := tallyRun(t, "-method", method, "testdata/two-seats.blt")
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, "2 seats to fill")
			assert.Contains(t, errOut, "-method stv")
			assert.Contains(t, errOut, "-seats 1")
		})
	}
	t.Run("-seats 1 asks for one winner", func(t *testing.T) {
		code, out, errOut := tallyRun(t, "-method", "irv", "-seats", "1", "testdata/two-seats.blt")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "Winner: Ann")
	})
	t.Run("-seats overrides the file", func(t *testing.T) {
		code, out, errOut := tallyRun(t, "-json", "-method", "stv", "-seats", "3", "testdata/two-seats.blt")
		require.Equal(t, 0, code, errOut)
		var got struct{ Elected []string }
		require.NoError(t, json.Unmarshal([]byte(out), &got))
		assert.Len(t, got.Elected, 3)
	})
	t.Run("compare names the refusal in its row", func(t *testing.T) {
		code, out, errOut := tallyRun(t, "-compare", "irv,stv", "testdata/two-seats.blt")
		require.Equal(t, 0, code, errOut)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		require.Len(t, lines, 3)
		assert.Contains(t, lines[1], "irv elects one winner")
		assert.Contains(t, lines[2], "Ann, Dan")
	})
	t.Run("negative seats", func(t *testing.T) {
		code, _, errOut := tallyRun(t, "-seats", "-2", "testdata/two-seats.blt")
		assert.Equal(t, 2, code)
		assert.Contains(t, errOut, "-seats -2")
	})
	t.Run("presets by name", func(t *testing.T) {
		for _, v := range []string{"scottish", "meek", "meek-prf", "warren", "wigm", "gregory", "ers97", "irish"} {
			code, _, errOut := tallyRun(t, "-method", "stv", "-variant", v, "testdata/two-seats.blt")
			assert.Equal(t, 0, code, "%s: %s", v, errOut)
		}
	})
	t.Run("single-seat files are unchanged", func(t *testing.T) {
		code, out, errOut := tallyRun(t, "-method", "irv", "testdata/tennessee.soc")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "Winner: Knoxville")
		assert.Empty(t, errOut)
	})
}

func TestCDFFile(t *testing.T) {
	code, out, errOut := tallyRun(t, "-json", "-method", "stv", "-variant", "rctab", "-seats", "3", "testdata/rctab-cdf.json")
	require.Equal(t, 0, code, errOut)
	var got struct {
		Elected []string `json:"elected"`
		Ballots int64    `json:"ballots"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, int64(30), got.Ballots)
	// RCTab's expected report for this file elects C, A and B.
	assert.ElementsMatch(t, []string{"Candidate A Name", "Candidate B Name", "Candidate C Name"}, got.Elected)
	code, _, errOut = tallyRun(t, "-format", "cdf", "-method", "irv", "testdata/two-seats.blt")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "not a CDF JSON report")
}

// -rctab prints the count in RCTab's own result shape: the rounds equal
// RCTab's expected report for the same file.
func TestRCTabOutput(t *testing.T) {
	code, out, errOut := tallyRun(t, "-method", "stv", "-variant", "rctab", "-seats", "3", "-rctab", "testdata/rctab-cdf.json")
	require.Equal(t, 0, code, errOut)
	var got, want struct {
		Results []struct {
			Round        int               `json:"round"`
			Tally        map[string]string `json:"tally"`
			Threshold    string            `json:"threshold"`
			TallyResults []map[string]any  `json:"tallyResults"`
		} `json:"results"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	b, err := os.ReadFile("testdata/rctab-expected.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &want))
	assert.Equal(t, want.Results, got.Results)

	code, _, errOut = tallyRun(t, "-method", "irv", "-seats", "1", "-rctab", "testdata/two-seats.blt")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "-rctab prints an STV count")
}

// A withdrawn candidate (BLT -4) takes no part in the STV count.
func TestMultiSeatWithdrawn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.blt")
	b, err := os.ReadFile("testdata/two-seats.blt")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(b), "4 2\n", "4 2\n-4\n", 1)), 0o600))
	code, out, errOut := tallyRun(t, "-json", path)
	require.Equal(t, 0, code, errOut)
	var got struct {
		Candidates []string `json:"candidates"`
		Elected    []string `json:"elected"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, []string{"Ann", "Bob", "Cat"}, got.Candidates)
	// Without Dan, his 2 voters go to Cat: quota 4, Ann elected, her
	// surplus (0.6 to Bob, 0.4 to Cat); Bob 2.6 and Cat 3.4: Bob is
	// excluded and Cat fills the seat.
	assert.Equal(t, []string{"Ann", "Cat"}, got.Elected)
}

// -compare sets STV presets side by side with METHOD:VARIANT names.
func TestComparePresets(t *testing.T) {
	code, out, errOut := tallyRun(t, "-compare", "stv:scottish,stv:meek,stv:irish,irv", "testdata/two-seats.blt")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 5)
	assert.Contains(t, lines[1], "stv (scottish)")
	assert.Contains(t, lines[1], "Ann, Dan")
	assert.Contains(t, lines[2], "stv (meek)")
	assert.Contains(t, lines[2], "Ann, Bob", "Meek's quota falls as votes exhaust")
	assert.Contains(t, lines[3], "stv (irish)")
	assert.Contains(t, lines[4], "irv elects one winner")
	code, _, errOut = tallyRun(t, "-compare", "stv:nope", "testdata/two-seats.blt")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `no variant "nope"`)
}

// Without -tie, STV breaks ties by its rule (earliest stage with unequal
// votes, then lot); -tie chooses another policy.
func TestSTVStatutoryTies(t *testing.T) {
	var got struct {
		Elected  []string `json:"elected"`
		TieBreak string   `json:"tie_break"`
	}
	code, out, errOut := tallyRun(t, "-json", "testdata/stv-tie.blt")
	require.Equal(t, 0, code, errOut)
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, []string{"A", "B"}, got.Elected)
	assert.Equal(t, "forward then lot(seed=0)", got.TieBreak)

	code, out, errOut = tallyRun(t, "-json", "-tie", "candidate-order", "testdata/stv-tie.blt")
	require.Equal(t, 0, code, errOut)
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, []string{"A", "C"}, got.Elected)
	assert.Equal(t, "candidate-order", got.TieBreak)
}

func TestCDFContest(t *testing.T) {
	code, _, errOut := tallyRun(t, "-contest", "test set multi winner whole", "-method", "stv", "-seats", "3", "testdata/rctab-cdf.json")
	require.Equal(t, 0, code, errOut)
	code, _, errOut = tallyRun(t, "-contest", "Mayor", "-method", "stv", "-seats", "3", "testdata/rctab-cdf.json")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "no such contest")
	assert.Contains(t, errOut, "test set multi winner whole")
}
