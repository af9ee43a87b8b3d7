package voting

import (
	"cmp"
	"slices"
)

func lockingTiebreakMethods() []Method {
	const pv = " Checked against Holliday & Pacuit, pref_voting (v1.18) 'Ranked Pairs TB' and 'River TB' with the default tie-breaker."
	desc := " Pairs of equal margin (pairwise ties included, both ways) are taken in the order of a fixed tie-breaking ranking of the candidates: the pair whose winner ranks higher first, then whose loser ranks higher. Variant 'fixed': the tie policy's order of all candidates (candidate order by default; lot(seed) for a random one); 'zavist-tideman': the first ballot of the profile (in file order), its ties and unranked candidates then by the tie policy, as pref_voting's ZT versions do. One winner, no search over orders (ranked-pairs and river report every winner over the orders)."
	return []Method{
		{
			Name: "ranked-pairs-tiebreak", Title: "Ranked Pairs with a fixed tie-breaker",
			Description: "Ranked Pairs by margins: each pair is locked unless it closes a cycle." + desc,
			Source:      "T. N. Tideman, 'Independence of clones as a criterion for voting rules', Soc. Choice Welf. 4 (1987) 185–206 (tie-breaking by a fixed ranking)." + pv,
			Ballots:     RankedBallots, Variants: []string{"fixed", "zavist-tideman"}, Count: countLockingTiebreak(false),
		},
		{
			Name: "river-tiebreak", Title: "River with a fixed tie-breaker",
			Description: "River by margins: a pair is locked unless it closes a cycle or its loser already has a locked defeat." + desc,
			Source:      "J. Heitzig, 'River method – updated summary', election-methods list (2004)." + pv,
			Ballots:     RankedBallots, Variants: []string{"fixed", "zavist-tideman"}, Count: countLockingTiebreak(true),
		},
	}
}

func countLockingTiebreak(river bool) func(Input, Options) (*Result, error) {
	return func(in Input, o Options) (*Result, error) {
		p := in.Ranked
		m := p.Pairwise()
		n := p.N()
		all := allCandidates(n)
		if cw := m.CondorcetWinner(); cw >= 0 {
			return setResult(p, m, []int{cw}, nil, o, "Condorcet winner"), nil
		}
		tb, name := Resolve(o.Tie, all, TieContext{Candidates: p.candidates})
		if o.Variant == "zavist-tideman" && p.set.Len() > 0 {
			// The first ballot's order, then the rest by the tie policy.
			var first []int
			for _, g := range rankingOf(p.set.Ballot(0)) {
				g = slices.Clone(g)
				slices.SortFunc(g, func(a, b int) int { return cmp.Compare(slices.Index(tb, a), slices.Index(tb, b)) })
				first = append(first, g...)
			}
			for _, c := range tb {
				if !slices.Contains(first, c) {
					first = append(first, c)
				}
			}
			tb, name = first, "the first ballot, then "+name
		}
		rank := make([]int, n)
		for i, c := range tb {
			rank[c] = i
		}
		type pair struct {
			a, b int
			mg   int64
		}
		var pairs []pair
		for a := range n {
			for b := range n {
				if a != b && m.Margin(a, b) >= 0 {
					pairs = append(pairs, pair{a, b, m.Margin(a, b)})
				}
			}
		}
		slices.SortFunc(pairs, func(x, y pair) int {
			if c := cmp.Compare(y.mg, x.mg); c != 0 {
				return c
			}
			if c := cmp.Compare(rank[x.a], rank[y.a]); c != 0 {
				return c
			}
			return cmp.Compare(rank[x.b], rank[y.b])
		})
		// reach[x][y]: x is above y in the locked relation (closed).
		reach := make([][]bool, n)
		for i := range reach {
			reach[i] = make([]bool, n)
		}
		beaten := make([]bool, n)
		for _, e := range pairs {
			if reach[e.b][e.a] || (river && beaten[e.b]) {
				continue
			}
			beaten[e.b] = true
			for x := range n {
				if x != e.a && !reach[x][e.a] {
					continue
				}
				for y := range n {
					if y == e.b || reach[e.b][y] {
						reach[x][y] = true
					}
				}
			}
		}
		var w []int
		for _, c := range all {
			if !beaten[c] {
				w = append(w, c)
			}
		}
		r := setResult(p, m, w[:1], nil, o, "equal margins ordered by the tie-breaking ranking of "+name)
		return r, nil
	}
}
