package voting

import (
	"math"
	"slices"

	"github.com/civickit/civickit/voting/internal/compact"
)

func pluralityVetoMethods() []Method {
	return []Method{{
		Name: "plurality-veto", Title: "Plurality veto",
		Description: "Each candidate starts with its first preferences; candidates with none are out. Then the voters, in ballot order (each distinct ballot in the order first seen, repeated by its count), each take one point from the candidate they rank last among those still holding points; a candidate reaching 0 is out. The last candidate standing wins (when all are out, the last one out). Not anonymous: the order of the ballots matters. A voter ranking none of those left vetoes no one; a ballot's top tie splits its first preference, and a tie at the bottom vetoes its highest-numbered candidate.",
		Source:      "S. Kizilkaya & D. Kempe, 'Plurality Veto: a simple voting rule achieving optimal metric distortion', IJCAI 2022; pref_voting 'Plurality Veto' (default voter order). Checked against pref_voting (v1.18).",
		Ballots:     RankedBallots, Count: countPluralityVeto,
	}}
}

func countPluralityVeto(in Input, o Options) (*Result, error) {
	p := in.Ranked
	n := p.N()
	score := firstAmong(p, allCandidates(n))
	active := make([]bool, n)
	last := -1
	for c := range n {
		active[c] = score[c] > 0
		if !active[c] {
			last = c
		}
	}
	remaining := func() []int {
		var r []int
		for c := range n {
			if active[c] && score[c] > 0 {
				r = append(r, c)
			}
		}
		return r
	}
	finish := func(w []int) (*Result, error) {
		r := setResult(p, p.Pairwise(), w, slices.Clone(score), o)
		return r, nil
	}
	for i, count := range p.set.Counts {
		run := p.set.Ballot(i)
		// The voters of one ballot veto the same candidate until it is
		// out: they are taken in batches, so the work is per distinct
		// ballot and candidate, not per voter.
		for count > 0 {
			rem := remaining()
			switch {
			case len(rem) == 0 && last >= 0:
				return finish([]int{last})
			case len(rem) == 0:
				return finish(allCandidates(n))
			case len(rem) == 1:
				return finish(rem)
			}
			bottom := -1
			for k := len(run) - 1; k >= 0 && bottom < 0; k-- {
				if c := compact.Cand(run[k]); active[c] && score[c] > 0 {
					bottom = c
				}
			}
			if bottom < 0 {
				break
			}
			t := min(count, int64(math.Ceil(score[bottom])))
			count -= t
			if score[bottom] -= float64(t); score[bottom] <= 0 {
				active[bottom] = false
				last = bottom
			}
		}
	}
	if last >= 0 {
		return finish([]int{last})
	}
	return finish(topScorers(allCandidates(n), score))
}
