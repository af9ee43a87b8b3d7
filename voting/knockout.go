package voting

import (
	"fmt"
	"slices"
)

func knockoutMethods() []Method {
	const pv = " Checked against Holliday & Pacuit, pref_voting (v1.18)."
	return []Method{
		{
			Name: "positive-negative", Title: "Positive-negative voting",
			Description: "A positional rule: +1 for a voter's first choice, -1 for their last, 0 otherwise; the highest total wins.",
			Source:      "pref_voting 'Positive-Negative Voting'; see the 'for and against' rule of D. S. Felsenthal, Topics in Social Choice (1990)." + pv,
			Ballots:     RankedBallots,
			Count: func(in Input, o Options) (*Result, error) {
				p := in.Ranked
				n := p.N()
				w := make([]float64, n)
				w[0] = 1
				if n > 1 {
					w[n-1] = -1
				}
				return positional(p, w, true, o.Tie), nil
			},
		},
		{
			Name: "borda-minimax-faceoff", Title: "Borda–Minimax face-off",
			Description: "When Borda and minimax (margins) have the same winners, they win; otherwise each Borda winner meets each minimax winner head to head and the victors win (both on a pairwise tie).",
			Source:      "pref_voting 'Borda-Minimax Faceoff'." + pv,
			Ballots:     RankedBallots, Count: countBordaMinimaxFaceoff,
		},
		{
			Name: "knockout", Title: "Knockout voting",
			Description: "The candidate with the lowest Borda score (in the whole election) meets the one with the second lowest head to head and the loser is knocked out, until one remains; every branch of a tie is followed and the winners joined.",
			Source:      "pref_voting 'Knockout Voting' (after Knockout voting of Y. Chen et al.)." + pv,
			Ballots:     RankedBallots, Count: countKnockout,
		},
	}
}

func countBordaMinimaxFaceoff(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	all := allCandidates(p.N())
	b := topScorers(all, bordaAmong(m, all))
	mm := topScorers(all, minimaxAmong(m, all))
	if slices.Equal(b, mm) {
		return setResult(p, m, b, nil, o, "Borda and minimax agree"), nil
	}
	var w []int
	add := func(c int) {
		if !slices.Contains(w, c) {
			w = append(w, c)
		}
	}
	for _, x := range b {
		for _, y := range mm {
			switch mg := m.Margin(x, y); {
			case mg > 0:
				add(x)
			case mg < 0:
				add(y)
			default:
				add(x)
				add(y)
			}
		}
	}
	return setResult(p, m, w, nil, o, fmt.Sprintf("face-off of Borda %v and minimax %v", candidateNames(p.candidates, b), candidateNames(p.candidates, mm))), nil
}

func countKnockout(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	n := p.N()
	if n > 63 {
		return nil, fmt.Errorf("%w: knockout voting follows every tie branch over candidate subsets: at most 63 candidates, not %d", ErrTooLarge, n)
	}
	borda := bordaAmong(m, allCandidates(n))
	memo := map[uint64][]int{}
	var ko func(cands []int) []int
	ko = func(cands []int) []int {
		if len(cands) == 1 {
			return cands
		}
		var key uint64
		for _, c := range cands {
			key |= 1 << c
		}
		if w, ok := memo[key]; ok {
			return w
		}
		var w []int
		join := func(ws []int) {
			for _, c := range ws {
				if !slices.Contains(w, c) {
					w = append(w, c)
				}
			}
		}
		low := extreme(cands, func(c int) float64 { return borda[c] }, false)
		if len(low) > 1 {
			for _, x := range low {
				for _, y := range low {
					if x != y && m.Margin(x, y) >= 0 {
						join(ko(without(cands, []int{y})))
					}
				}
			}
		} else {
			x := low[0]
			second := extreme(without(cands, low), func(c int) float64 { return borda[c] }, false)
			for _, y := range second {
				if m.Margin(y, x) >= 0 {
					join(ko(without(cands, []int{x})))
				}
				if m.Margin(x, y) > 0 {
					join(ko(without(cands, []int{y})))
				}
			}
		}
		slices.Sort(w)
		memo[key] = w
		return w
	}
	return setResult(p, m, ko(allCandidates(n)), borda, o), nil
}
