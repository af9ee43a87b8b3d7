package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/civickit/civickit/voting/formats"
	"github.com/civickit/civickit/voting/pb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tallyRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestList(t *testing.T) {
	code, out, _ := tallyRun(t, "-list")
	require.Equal(t, 0, code)
	methods, presets, _ := strings.Cut(strings.TrimSpace(out), "\n\n")
	lines := strings.Split(methods, "\n")
	assert.Len(t, lines, len(newRegistry().Methods())+len(pb.Rules()), "one line a method or budget rule")
	for _, p := range []string{"scottish", "meek", "meek-prf", "warren", "rctab", "wigm", "gregory", "ers97", "irish"} {
		assert.Contains(t, presets, "\n  "+p+" ", "preset %s listed", p)
	}
	for _, name := range []string{"plurality", "anti-plurality", "borda", "irv", "two-round", "coombs", "baldwin", "nanson",
		"bucklin", "copeland", "minimax", "schulze", "ranked-pairs", "river", "split-cycle", "stable-voting", "kemeny-young",
		"dodgson", "young", "slater", "black", "smith-irv", "approval", "score", "star", "majority-judgment", "cumulative", "quadratic", "stv"} {
		assert.Contains(t, "\n"+out, "\n"+name, "missing %s", name)
	}
}

func TestJSON(t *testing.T) {
	for _, tt := range []struct {
		method  string
		winners []string
	}{
		{"plurality", []string{"Memphis"}},
		{"irv", []string{"Knoxville"}},
		{"schulze", []string{"Nashville"}},
		{"kemeny-young", []string{"Nashville"}},
	} {
		t.Run(tt.method, func(t *testing.T) {
			code, out, errOut := tallyRun(t, "-json", "-method", tt.method, "testdata/tennessee.soc")
			require.Equal(t, 0, code, errOut)
			var got map[string]any
			require.NoError(t, json.Unmarshal([]byte(out), &got))
			for _, key := range []string{"method", "winners", "elected", "tied", "rounds", "ballots"} {
				assert.Contains(t, got, key)
			}
			assert.Equal(t, tt.method, got["method"])
			assert.Equal(t, float64(100), got["ballots"])
			var winners []string
			for _, w := range got["winners"].([]any) {
				winners = append(winners, w.(string))
			}
			assert.Equal(t, tt.winners, winners)
			assert.Equal(t, false, got["tied"])
		})
	}
}

func TestCompare(t *testing.T) {
	code, out, errOut := tallyRun(t, "-compare", "plurality,irv,borda,schulze", "testdata/tennessee.soc")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 5, out)
	assert.Contains(t, lines[1], "Memphis")
	assert.Contains(t, lines[2], "Knoxville")
	assert.Contains(t, lines[4], "Nashville")

	code, out, _ = tallyRun(t, "-json", "-compare", "plurality,schulze", "testdata/tennessee.soc")
	require.Equal(t, 0, code)
	var got []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got, 2)
	assert.Equal(t, "schulze", got[1]["method"])
}

func TestTextAndSVG(t *testing.T) {
	svg := filepath.Join(t.TempDir(), "irv.svg")
	code, out, errOut := tallyRun(t, "-method", "irv", "-svg", svg, "testdata/tennessee.soc")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Knoxville")
	b, err := os.ReadFile(svg)
	require.NoError(t, err)
	assert.Contains(t, string(b), "<svg")
	assert.Contains(t, string(b), "Knoxville")
}

func TestTiePolicyFlags(t *testing.T) {
	// Anti-plurality ties Nashville and Chattanooga; the lot decides.
	code, out, _ := tallyRun(t, "-json", "-method", "anti-plurality", "-tie", "lot", "-seed", "3", "testdata/tennessee.soc")
	require.Equal(t, 0, code)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, true, got["tied"])
	assert.Equal(t, "lot(seed=3)", got["tie_break"])
}

func TestExitStatus2(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		msg  string
	}{
		{"missing file", []string{"testdata/nope.soc"}, "no such file"},
		{"unknown method", []string{"-method", "dictator", "testdata/tennessee.soc"}, "unknown method"},
		{"unknown variant", []string{"-method", "schulze", "-variant", "fastest", "testdata/tennessee.soc"}, "no variant"},
		{"bad flag", []string{"-frobnicate", "testdata/tennessee.soc"}, "flag provided but not defined"},
		{"bad tie policy", []string{"-tie", "coin", "testdata/tennessee.soc"}, "unknown tie policy"},
		{"no file", []string{}, "want one election file"},
		{"bad format", []string{"-format", "xls", "testdata/tennessee.soc"}, "xls"},
		{"cardinal method on ranked ballots", []string{"-method", "approval", "testdata/tennessee.soc"}, "cardinal"},
		{"unparsable file", []string{"-format", "blt", "testdata/README.md"}, "README.md"},
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

// TestEveryFormat writes the Tennessee ballots in each ranked format the
// formats package can write, then counts each file: same winners.
func TestEveryFormat(t *testing.T) {
	f, err := os.Open("testdata/tennessee.soc")
	require.NoError(t, err)
	defer f.Close()
	e, err := formats.Read(f, formats.PrefLibSOC, formats.ReadOptions{})
	require.NoError(t, err)
	dir := t.TempDir()
	wrote := 0
	for _, format := range formats.Formats() {
		path := filepath.Join(dir, "tennessee."+format.String())
		var buf bytes.Buffer
		if err := formats.Write(&buf, e, format); err != nil {
			assert.ErrorIs(t, err, formats.ErrUnsupported, "%s", format)
			continue
		}
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o600))
		wrote++
		t.Run(format.String(), func(t *testing.T) {
			for method, want := range map[string]string{"plurality": "Memphis", "irv": "Knoxville", "schulze": "Nashville"} {
				code, out, errOut := tallyRun(t, "-json", "-method", method, path)
				require.Equal(t, 0, code, errOut)
				var got struct {
					Winners []string `json:"winners"`
					Ballots int64    `json:"ballots"`
				}
				require.NoError(t, json.Unmarshal([]byte(out), &got))
				assert.Equal(t, []string{want}, got.Winners, "%s on %s", method, format)
				assert.Equal(t, int64(100), got.Ballots)
			}
		})
	}
	assert.GreaterOrEqual(t, wrote, 6, "soc, soi, toc, toi, blt, hil, abif, csv: most formats carry these ballots")
}

// A method that does not apply gets its reason in its row; the others
// are counted.
func TestCompareGoesOn(t *testing.T) {
	code, out, errOut := tallyRun(t, "-compare", "plurality,approval,schulze", "testdata/tennessee.soc")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 4, out)
	assert.Contains(t, lines[1], "Memphis")
	assert.Contains(t, lines[2], "approval")
	assert.Contains(t, lines[2], "not counted")
	assert.Contains(t, lines[2], "cardinal")
	assert.Contains(t, lines[3], "Nashville")

	code, out, _ = tallyRun(t, "-json", "-compare", "approval,schulze", "testdata/tennessee.soc")
	require.Equal(t, 0, code)
	var got []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got, 2)
	assert.Equal(t, "approval", got[0]["method"])
	assert.Contains(t, got[0]["error"], "cardinal")
	assert.Equal(t, "schulze", got[1]["method"])

	code, _, errOut = tallyRun(t, "-compare", "approval,score", "testdata/tennessee.soc")
	assert.Equal(t, 2, code, "no method could count")
	assert.Contains(t, errOut, "approval")
}

func TestParamFlag(t *testing.T) {
	// Exact Dodgson refuses past max_work; the parameter is set from the
	// command line.
	code, _, errOut := tallyRun(t, "-method", "dodgson", "-variant", "exact", "-param", "max_work=1", "testdata/tennessee.soc")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "max_work")
	code, out, errOut := tallyRun(t, "-json", "-method", "dodgson", "-variant", "exact", "-param", "max_work=1e9", "testdata/tennessee.soc")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Nashville")

	for _, bad := range []struct{ arg, msg string }{
		{"max_work", "NAME=VALUE"},
		{"max_work=lots", "not a number"},
		{"speed=3", "takes no parameter"},
	} {
		code, _, errOut := tallyRun(t, "-method", "dodgson", "-variant", "exact", "-param", bad.arg, "testdata/tennessee.soc")
		assert.Equal(t, 2, code, bad.arg)
		assert.Contains(t, errOut, bad.msg)
	}
	_, out, _ = tallyRun(t, "-list")
	assert.Contains(t, out, "max_work")
}

// -tie lot without -seed draws one and prints it: the same seed repeats
// the count.
func TestLotDrawsSeed(t *testing.T) {
	code, out, errOut := tallyRun(t, "-json", "-method", "anti-plurality", "-tie", "lot", "testdata/tennessee.soc")
	require.Equal(t, 0, code, errOut)
	var seed uint64
	_, err := fmt.Sscanf(errOut[strings.Index(errOut, "drew seed "):], "drew seed %d", &seed)
	require.NoError(t, err, errOut)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, fmt.Sprintf("lot(seed=%d)", seed), got["tie_break"])

	code, again, errOut := tallyRun(t, "-json", "-method", "anti-plurality", "-tie", "lot", "-seed", fmt.Sprint(seed), "testdata/tennessee.soc")
	require.Equal(t, 0, code)
	assert.Empty(t, errOut)
	assert.Equal(t, out, again)
}

// A garbage file gets one short line, not a screen of escaped bytes.
func TestGarbageMessage(t *testing.T) {
	dir := t.TempDir()
	junk := make([]byte, 3000)
	for i := range junk {
		junk[i] = byte(128 + i%128)
	}
	for name, content := range map[string][]byte{
		"junk.soc": append([]byte("# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n1: "), junk...),
		"junk.blt": append([]byte("2 1\n1 "), junk...),
		"junk.csv": append(append([]byte("A,B\n"), junk...), '\n'),
		"junk.bin": junk,
	} {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, content, 0o600))
		code, _, errOut := tallyRun(t, path)
		assert.Equal(t, 2, code, name)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), name)
		assert.LessOrEqual(t, len(errOut), 320, "%s: %s", name, errOut)
	}
}
