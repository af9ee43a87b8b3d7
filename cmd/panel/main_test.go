package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/participation/panel"
)

const (
	data    = "../../participation/panel/testdata/"
	cats200 = data + "alternate_200_20/categories.csv"
	resp200 = data + "alternate_200_20/respondents.csv"
	census  = data + "insee_rp2018_france.csv"
)

func panelRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestSelect(t *testing.T) {
	code, out, errOut := panelRun(t, "select", "-categories", cats200, "-respondents", resp200, "-k", "20", "-seed", "s", "-alternates", "2")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "minimum probability 0.1000")
	assert.Contains(t, out, "p0001  0.100000")
	assert.Contains(t, out, `draw with seed "s": `)
	assert.Contains(t, out, "alternates: ")

	code, out, _ = panelRun(t, "select", "-categories", cats200, "-respondents", resp200, "-k", "20", "-algorithm", "nash", "-json")
	require.Equal(t, 0, code)
	var got struct {
		Distribution panel.Distribution `json:"distribution"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, panel.Nash, got.Distribution.Algorithm)
	assert.Len(t, got.Distribution.Probabilities, 200)
}

func TestDrawVerify(t *testing.T) {
	dir := t.TempDir()
	manifest := filepath.Join(dir, "manifest.json")
	code, _, errOut := panelRun(t, "draw", "-categories", cats200, "-respondents", resp200, "-k", "20",
		"-seed", "Loto 2026-12-05: 3 14 22 36 41 + 7", "-alternates", "3", "-o", manifest)
	require.Equal(t, 0, code, errOut)
	code, out, errOut := panelRun(t, "verify", manifest, resp200)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "verified: civickit-panel/1 leximin on a pool of 200")

	// A manifest whose panel was edited does not verify: exit 1.
	raw, err := os.ReadFile(manifest)
	require.NoError(t, err)
	var m panel.Manifest
	require.NoError(t, json.Unmarshal(raw, &m))
	m.Selected[0], m.AlternateIDs[0] = m.AlternateIDs[0], m.Selected[0]
	raw, err = json.Marshal(m)
	require.NoError(t, err)
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, raw, 0o644))
	code, _, errOut = panelRun(t, "verify", bad, resp200)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "manifest selected does not verify")

	// The pool changed: exit 1 too.
	pool, err := os.ReadFile(resp200)
	require.NoError(t, err)
	other := filepath.Join(dir, "pool.csv")
	require.NoError(t, os.WriteFile(other, bytes.Replace(pool, []byte("p0002,female,liberal"), []byte("p0002,male,conservative"), 1), 0o644))
	code, _, errOut = panelRun(t, "verify", manifest, other)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "pool_sha256")
}

func TestRepresentAndRake(t *testing.T) {
	svg := filepath.Join(t.TempDir(), "chart.svg")
	code, out, errOut := panelRun(t, "represent", "-census", census, "-respondents", "testdata/respondents.csv", "-svg", svg)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "overall: 8 respondents")
	assert.Contains(t, out, "channel=kiosk")
	assert.Contains(t, out, "recruitment=self_constituted_panel")
	chart, err := os.ReadFile(svg)
	require.NoError(t, err)
	assert.Contains(t, string(chart), `role="img"`)

	weights := filepath.Join(t.TempDir(), "w.csv")
	code, out, errOut = panelRun(t, "rake", "-census", census, "-respondents", "testdata/respondents.csv", "-cap", "3", "-o", weights)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "8 respondents")
	assert.Contains(t, out, "no respondent for: age=15 à 29 ans")
	w, err := os.ReadFile(weights)
	require.NoError(t, err)
	assert.Len(t, strings.Split(strings.TrimSpace(string(w)), "\n"), 9)
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"nope"},
		{"select", "-k", "0"},
		{"select", "-categories", cats200, "-respondents", resp200},
		{"select", "-categories", "missing.csv", "-respondents", resp200, "-k", "2"},
		{"draw", "-categories", cats200, "-respondents", resp200, "-k", "20"},
		{"verify", "only-one"},
		{"represent", "-census", census},
		{"select", "-categories", cats200, "-respondents", resp200, "-k", "20", "-algorithm", "best"},
		{"select", "-categories", cats200, "-respondents", resp200, "-k", "5"},
	} {
		code, _, errOut := panelRun(t, args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %q", errOut)
	}
	// Infeasible quotas are explained.
	_, _, errOut := panelRun(t, "select", "-categories", cats200, "-respondents", resp200, "-k", "5")
	assert.Contains(t, errOut, "smallest relaxation")
}
