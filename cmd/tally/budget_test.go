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

const wieliczka = "../../voting/formats/testdata/pabulib/poland_wieliczka_2023.pb"

func TestBudgetFile(t *testing.T) {
	code, out, errOut := tallyRun(t, "-method", "mes", "-variant", "add-one", "-utility", "cost", wieliczka)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "mes (add-one), cost utility: 31 of 64 projects funded")
	assert.Contains(t, out, "not funded: its")

	code, out, errOut = tallyRun(t, "-json", "-method", "greedy", wieliczka)
	require.Equal(t, 0, code, errOut)
	var r struct {
		Rule     string  `json:"rule"`
		Spent    float64 `json:"spent"`
		Budget   float64 `json:"budget"`
		Projects []struct {
			ID     string `json:"id"`
			Funded bool   `json:"funded"`
			Reason string `json:"reason"`
		} `json:"projects"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	assert.Equal(t, "greedy", r.Rule)
	assert.LessOrEqual(t, r.Spent, r.Budget)
	assert.Len(t, r.Projects, 64)

	// -budget replaces the file's budget; -compare puts rules side by side.
	code, out, errOut = tallyRun(t, "-compare", "greedy,mes,phragmen", "-budget", "100000", wieliczka)
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 4)
	assert.True(t, strings.HasPrefix(lines[1], "greedy "))

	code, _, errOut = tallyRun(t, "-method", "schulze", wieliczka)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "unknown method")
}

func TestBudgetFormatByContent(t *testing.T) {
	b, err := os.ReadFile(wieliczka)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "budget.txt")
	require.NoError(t, os.WriteFile(path, b, 0o600))
	code, out, errOut := tallyRun(t, path)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "greedy, approval utility")
}

func TestCommitteeRule(t *testing.T) {
	path := filepath.Join(t.TempDir(), "approval.cat")
	require.NoError(t, os.WriteFile(path, []byte("# NUMBER ALTERNATIVES: 4\n# NUMBER CATEGORIES: 2\n# CATEGORY NAME 1: Yes\n# CATEGORY NAME 2: No\n"+
		"# ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 2: b\n# ALTERNATIVE NAME 3: c\n# ALTERNATIVE NAME 4: d\n6: {1,2,3},{4}\n3: {4},{1,2,3}\n"), 0o600))
	code, out, errOut := tallyRun(t, "-compare", "av-committee,pav,seq-phragmen,mes-committee", "-param", "seats=3", path)
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `\npav +a, b, d `, out)
	assert.Regexp(t, `\nav-committee +a, b, c `, out)
	assert.Regexp(t, `\nmes-committee \(seq-phragmen\) +a, b, d `, out)
	code, _, errOut = tallyRun(t, "-method", "pav", path)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "seats")
}
