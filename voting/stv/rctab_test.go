package stv

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"

	"github.com/civickit/civickit/voting/formats"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rctabReport is the part of RCTab's detailed JSON report a test reads.
type rctabReport struct {
	Results []struct {
		Round       int               `json:"round"`
		Tally       map[string]string `json:"tally"`
		Threshold   string            `json:"threshold"`
		TallyResult []struct {
			Elected string `json:"elected"`
		} `json:"tallyResults"`
	} `json:"results"`
}

// RCTab's own multi-winner tests (CDF input, expected detailed reports):
// each round's tally, to the fourth decimal, and the winners.
func TestRCTabMultiWinner(t *testing.T) {
	for _, tt := range []struct {
		name  string
		quota Quota
	}{
		{"whole", Droop},                // nonIntegerWinningThreshold false
		{"fractional", DroopFractional}, // nonIntegerWinningThreshold true
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, err := os.Open("testdata/rctab/multi_winner_" + tt.name + "_cvr.json")
			require.NoError(t, err)
			defer f.Close()
			// The configs: overvoteRule alwaysSkipToNextRank,
			// maxSkippedRanksAllowed 1.
			e, err := formats.ReadCDF(f, formats.CDFOptions{Overvote: formats.OvervoteSkip, MaxSkipped: 1})
			require.NoError(t, err)
			b, err := os.ReadFile("testdata/rctab/multi_winner_" + tt.name + "_expected_detailed_report.json")
			require.NoError(t, err)
			var want rctabReport
			require.NoError(t, json.Unmarshal(b, &want))

			rules, err := Preset("rctab")
			require.NoError(t, err)
			rules.Quota = tt.quota
			rep, err := Count(e.Ranked, 3, rules, nil)
			require.NoError(t, err)
			require.Len(t, rep.Stages, len(want.Results), "one stage a round")
			var winners []string
			for k, round := range want.Results {
				for _, tr := range round.TallyResult {
					if tr.Elected != "" {
						winners = append(winners, tr.Elected)
					}
				}
				st := rep.Stages[k]
				assert.Equal(t, round.Threshold, trimZeros(st.Quota), "round %d threshold", round.Round)
				for name, v := range round.Tally {
					i := indexOf(e.Candidates, name)
					require.GreaterOrEqual(t, i, 0, name)
					assert.Equal(t, v, trimZeros(st.Votes[i]), "round %d, %s", round.Round, name)
				}
			}
			assert.ElementsMatch(t, winners, names(e, rep.Result.Elected))
			checkConserved(t, rep)

			// The same count in RCTab's JSON shape: every round's tally,
			// threshold, and elected/eliminated with their transfers.
			got := rep.RCTab(RCTabMeta{Contest: "test set multi winner " + tt.name})
			var wantFull, gotFull map[string]any
			require.NoError(t, json.Unmarshal(b, &wantFull))
			gb, err := json.Marshal(got)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(gb, &gotFull))
			wantResults := wantFull["results"].([]any)
			gotResults := gotFull["results"].([]any)
			require.Len(t, gotResults, len(wantResults))
			for k := range wantResults {
				w, g := wantResults[k].(map[string]any), gotResults[k].(map[string]any)
				for _, key := range []string{"round", "tally", "threshold", "tallyResults"} {
					assert.Equal(t, w[key], g[key], "round %d %s", k+1, key)
				}
			}
			ws, gs := wantFull["summary"].(map[string]any), gotFull["summary"].(map[string]any)
			// (Not undervotes: one ballot here is emptied by the skipped-rank
			// rule, which RCTab counts as inactive, not as an undervote.)
			for _, key := range []string{"finalThreshold", "numCandidates", "numWinners", "totalNumBallots"} {
				assert.Equal(t, ws[key], gs[key], "summary %s", key)
			}
		})
	}
}

// trimZeros writes 7.2500 as RCTab does: 7.25, and 8.0000 as 8.
func trimZeros(s string) string {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
