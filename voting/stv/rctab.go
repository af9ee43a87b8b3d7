package stv

import (
	"maps"
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// RCTab's JSON result ("detailed report", jsonFormatVersion 1), so that a
// count can be read by the tools that read RCTab's: one entry a round
// with the tally of the candidates in the count, who was elected or
// eliminated and where their votes went. Values are written as RCTab
// writes them: decimals without trailing zeros.

// RCTabMeta is the contest description RCTab's report carries.
type RCTabMeta struct {
	Contest, Date, Jurisdiction, Office string
}

// RCTabReport is the JSON document.
type RCTabReport struct {
	Config struct {
		Contest      string `json:"contest"`
		Date         string `json:"date,omitempty"`
		GeneratedBy  string `json:"generatedBy"`
		Jurisdiction string `json:"jurisdiction,omitempty"`
		Office       string `json:"office,omitempty"`
	} `json:"config"`
	JSONFormatVersion string       `json:"jsonFormatVersion"`
	Results           []RCTabRound `json:"results"`
	Summary           struct {
		FinalThreshold  string `json:"finalThreshold"`
		NumCandidates   int    `json:"numCandidates"`
		NumWinners      int    `json:"numWinners"`
		TotalNumBallots string `json:"totalNumBallots"`
		// Undervotes counts the ballots that rank no candidate (RCTab
		// counts a ballot emptied by its skipped-rank rule as inactive
		// instead).
		Undervotes int64 `json:"undervotes"`
	} `json:"summary"`
}

// RCTabRound is one round. InactiveBallots holds only the cumulated
// exhausted value, as "exhaustedChoices": the count does not tell why a
// ballot became inactive (RCTab also splits overvotes and skipped ranks).
type RCTabRound struct {
	InactiveBallots map[string]string `json:"inactiveBallots"`
	Round           int               `json:"round"`
	Tally           map[string]string `json:"tally"`
	TallyResults    []RCTabResult     `json:"tallyResults"`
	Threshold       string            `json:"threshold"`
}

// RCTabResult is a candidate elected or eliminated in a round, and the
// votes that left it ("exhausted", and "residual surplus" for the part of
// a surplus lost to truncation). A surplus transferred in a later round
// than its candidate's election (rules without BatchSurplus) is listed
// with Elected set again in that round.
type RCTabResult struct {
	Elected    string            `json:"elected,omitempty"`
	Eliminated string            `json:"eliminated,omitempty"`
	Transfers  map[string]string `json:"transfers"`
}

// rctabNum writes an exact decimal string as RCTab does: 8.0000 as 8,
// 7.2500 as 7.25.
func rctabNum(s string) string {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return s
	}
	out := r.FloatString(12)
	for out[len(out)-1] == '0' {
		out = out[:len(out)-1]
	}
	if out[len(out)-1] == '.' {
		out = out[:len(out)-1]
	}
	return out
}

// RCTab returns the report in RCTab's JSON shape.
func (r *Report) RCTab(meta RCTabMeta) RCTabReport {
	var out RCTabReport
	out.Config.Contest, out.Config.Date, out.Config.Jurisdiction, out.Config.Office = meta.Contest, meta.Date, meta.Jurisdiction, meta.Office
	out.Config.GeneratedBy = "civickit voting/stv (" + r.Rules.Name + ")"
	out.JSONFormatVersion = "1"
	res := r.Result
	dec := max(r.Rules.Decimals, 9) // a float transfer back to its exact decimals
	if r.Rules.Decimals >= 0 {
		dec = r.Rules.Decimals
	}
	// Transfers keep their decimals as RCTab's do (2.3330), whole votes
	// none (1).
	fl := func(v float64) string {
		s := strconv.FormatFloat(v, 'f', dec, 64)
		if x := rctabNum(s); !strings.Contains(x, ".") {
			return x
		}
		return s
	}
	for k, rd := range res.Rounds {
		st := r.Stages[k]
		round := RCTabRound{Round: k + 1, Tally: map[string]string{}, Threshold: rctabNum(st.Quota), TallyResults: []RCTabResult{},
			InactiveBallots: map[string]string{"exhaustedChoices": rctabNum(st.Exhausted)}}
		for i, v := range st.Votes {
			if rd.Active[i] || slices.Contains(rd.Eliminated, i) {
				round.Tally[res.Candidates[i]] = rctabNum(v)
			}
		}
		from := map[int]map[string]string{}
		moved := map[int]*big.Rat{}
		for _, t := range rd.Transfers {
			if from[t.From] == nil {
				from[t.From], moved[t.From] = map[string]string{}, new(big.Rat)
			}
			to := "exhausted"
			if t.To >= 0 {
				to = res.Candidates[t.To]
			}
			v := fl(t.Votes)
			from[t.From][to] = v
			x, _ := new(big.Rat).SetString(v)
			moved[t.From].Add(moved[t.From], x)
		}
		quota, _ := new(big.Rat).SetString(st.Quota)
		entry := func(c int, elected bool) RCTabResult {
			e := RCTabResult{Transfers: from[c]}
			if e.Transfers == nil {
				e.Transfers = map[string]string{}
			}
			if elected {
				e.Elected = res.Candidates[c]
				if moved[c] != nil {
					// The residual: surplus minus what moved on.
					v, _ := new(big.Rat).SetString(st.Votes[c])
					residual := new(big.Rat).Sub(new(big.Rat).Sub(v, quota), moved[c])
					if residual.Sign() > 0 {
						e.Transfers["residual surplus"] = rctabNum(residual.FloatString(max(dec, 0)))
					}
				}
			} else {
				e.Eliminated = res.Candidates[c]
			}
			delete(from, c)
			return e
		}
		for _, c := range rd.Elected {
			round.TallyResults = append(round.TallyResults, entry(c, true))
		}
		for _, c := range rd.Eliminated {
			round.TallyResults = append(round.TallyResults, entry(c, false))
		}
		for _, c := range slices.Sorted(maps.Keys(from)) {
			round.TallyResults = append(round.TallyResults, entry(c, true))
		}
		out.Results = append(out.Results, round)
	}
	if n := len(r.Stages); n > 0 {
		out.Summary.FinalThreshold = rctabNum(r.Stages[n-1].Quota)
	}
	out.Summary.NumCandidates = len(res.Candidates)
	out.Summary.NumWinners = r.Seats
	out.Summary.TotalNumBallots = strconv.FormatInt(res.Ballots, 10)
	out.Summary.Undervotes = res.Ballots - r.Valid
	return out
}
