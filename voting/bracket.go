package voting

import (
	"cmp"
	"fmt"
	"slices"
)

func bracketMethods() []Method {
	return []Method{{
		Name: "bracket-voting", Title: "Bracket voting",
		Description: "The four candidates with the most first preferences are seeded 1 to 4 by that count; 1 meets 4 and 2 meets 3 head to head, and the two victors meet in a final; a pairwise tie goes to the higher seed. With three candidates the first seed goes straight to the final; with two the plurality winners win. Equal first-preference counts are seeded by a tie-breaking ordering of all candidates: the tie policy's order (candidate order by default, pref_voting's 'lexicographic'; lot(seed) for a reproducible random seeding where pref_voting draws one with numpy).",
		Source:      "E. B. Foley's bracket voting, as defined by pref_voting 'Bracket Voting' (other_methods.bracket_voting). Checked against Holliday & Pacuit, pref_voting (v1.18) with its lexicographic ordering and with its seeded random ordering given to civickit as the tie policy.",
		Ballots:     RankedBallots, Count: countBracket,
	}}
}

func countBracket(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	n := p.N()
	all := allCandidates(n)
	fp := firstAmong(p, all)
	if n <= 2 {
		return setResult(p, m, extreme(all, func(c int) float64 { return fp[c] }, true), fp, o, "at most two candidates: plurality"), nil
	}
	tb, name := Resolve(o.Tie, all, TieContext{Candidates: p.candidates})
	place := make([]int, n)
	for i, c := range tb {
		place[c] = i
	}
	seeds := slices.Clone(all)
	slices.SortFunc(seeds, func(a, b int) int {
		if c := cmp.Compare(fp[b], fp[a]); c != 0 {
			return c
		}
		return cmp.Compare(place[a], place[b])
	})
	seeds = seeds[:min(4, n)]
	// match returns the victor of seeds i and j (i < j: i is the higher seed).
	match := func(i, j int) int {
		if m.Margin(seeds[i], seeds[j]) >= 0 {
			return i
		}
		return j
	}
	a := 0
	if len(seeds) == 4 {
		a = match(0, 3)
	}
	b := match(1, 2)
	w := match(min(a, b), max(a, b))
	notes := []string{fmt.Sprintf("seeds %v", candidateNames(p.candidates, seeds))}
	tied := seededByTie(fp, seeds, n)
	if tied {
		notes = append(notes, "first-preference ties seeded by "+name)
	}
	r := setResult(p, m, []int{seeds[w]}, fp, o, notes...)
	if tied {
		// Named in the round so that callers (the axiom checks) see the
		// result depends on the tie policy.
		r.Rounds[0].TieBreak = name
	}
	return r, nil
}

// seededByTie reports whether the tie-breaking ordering decided a seed: two
// candidates with equal first preferences, one of them seeded, are placed
// differently (one seeded and not the other, or at different seeds).
func seededByTie(fp []float64, seeds []int, n int) bool {
	for i, s := range seeds {
		for c := range n {
			if c != s && fp[c] == fp[s] && !slices.Contains(seeds[:i], c) {
				return true
			}
		}
	}
	return false
}
