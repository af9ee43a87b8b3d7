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
			var winners []string
			for k, round := range want.Results {
				for _, tr := range round.TallyResult {
					if tr.Elected != "" {
						winners = append(winners, tr.Elected)
					}
				}
				if k >= len(rep.Stages) {
					// RCTab records a last round after the final
					// surpluses although every seat is filled.
					assert.Equal(t, len(want.Results)-1, k, "missing stage %d", k+1)
					continue
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
