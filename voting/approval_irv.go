package voting

import (
	"slices"

	"github.com/civickit/civickit/voting/internal/compact"
)

func approvalIRVMethods() []Method {
	return []Method{{
		Name: "approval-irv", Title: "Approval IRV (and split IRV)",
		Description: "Instant runoff for ballots with ties: each ballot supports every continuing candidate in its highest group that holds one, with a whole vote each ('approval') or a share of one vote ('split'); the candidates with the least support are eliminated together, with no majority stop, until one remains or all remaining tie (then all win). A ballot ranking no continuing candidate supports no one.",
		Source:      "Holliday & Pacuit, pref_voting 'Approval IRV' and 'Split IRV' (instant runoff on profiles with ties). Checked against pref_voting (v1.18).",
		Ballots:     RankedBallots, Variants: []string{"approval", "split"},
		Count: countApprovalIRV,
	}}
}

func countApprovalIRV(in Input, o Options) (*Result, error) {
	p := in.Ranked
	n := p.N()
	active := make([]bool, n)
	for c := range active {
		active[c] = true
	}
	act := allCandidates(n)
	var rounds []Round
	score := make([]float64, n)
	for len(act) > 1 {
		clear(score)
		for i, count := range p.set.Counts {
			run := p.set.Ballot(i)
			for g := 0; g < len(run); {
				end := compact.GroupEnd(run, g)
				k := 0
				for _, v := range run[g:end] {
					if active[compact.Cand(v)] {
						k++
					}
				}
				if k > 0 {
					share := float64(count)
					if o.Variant == "split" {
						share /= float64(k)
					}
					for _, v := range run[g:end] {
						if c := compact.Cand(v); active[c] {
							score[c] += share
						}
					}
					break
				}
				g = end
			}
		}
		low := extreme(act, func(c int) float64 { return score[c] }, false)
		rounds = append(rounds, Round{Counts: slices.Clone(score), Active: slices.Clone(active)})
		if len(low) == len(act) {
			break
		}
		rounds[len(rounds)-1].Eliminated = low
		for _, c := range low {
			active[c] = false
		}
		act = without(act, low)
	}
	r := setResult(p, nil, act, nil, o)
	r.Rounds = rounds
	return r, nil
}
