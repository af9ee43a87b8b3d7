package voting

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

func utilityMethods() []Method {
	return []Method{{
		Name: "utility", Title: "Utility-based rules",
		Description: "Reads score ballots as utilities (a blank as the lowest score). 'sum': the highest total (utilitarian); 'relative': each voter's utilities rescaled to [0, 1] by their own range (0 for all when the voter gives one score), then summed; 'maximin': the highest worst utility over the voters (Rawls); 'leximin': maximin, ties broken by the next worst utility and so on; 'nash': among the status quo and the candidates every voter prefers to it, the highest product of gains over the status quo (parameter status-quo, a candidate index, default 0).",
		Source:      "J. C. Harsanyi (1955); C. d'Aspremont & L. Gevers (1977); J. Rawls (1971); J. F. Nash, 'The bargaining problem', Econometrica 18 (1950) 155–162; as defined in Holliday & Pacuit, pref_voting utility_methods. Checked against pref_voting (v1.18).",
		Ballots:     CardinalBallots, Kinds: []CardinalKind{Score},
		Variants: []string{"sum", "relative", "maximin", "leximin", "nash"},
		Params:   map[string]string{"status-quo": "nash: index of the status-quo candidate (default 0)"},
		Count:    countUtility,
	}}
}

func countUtility(in Input, o Options) (*Result, error) {
	p := in.Cardinal
	n := p.N()
	lo := p.spec.Min
	util := func(b []int, c int) float64 {
		if b[c] == NoScore {
			return float64(lo)
		}
		return float64(b[c])
	}
	all := allCandidates(n)
	scores := make([]float64, n)
	var notes []string
	switch o.Variant {
	case "sum", "relative":
		for i, b := range p.ballots {
			w := float64(p.counts[i])
			lo, hi := math.Inf(1), math.Inf(-1)
			for c := range n {
				lo, hi = min(lo, util(b, c)), max(hi, util(b, c))
			}
			for c := range n {
				u := util(b, c)
				if o.Variant == "relative" {
					if hi == lo {
						u = 0
					} else {
						u = (u - lo) / (hi - lo)
					}
				}
				scores[c] += w * u
			}
		}
	case "maximin", "leximin":
		for c := range n {
			scores[c] = math.Inf(1)
			for _, b := range p.ballots {
				scores[c] = min(scores[c], util(b, c))
			}
		}
		if o.Variant == "leximin" {
			w := leximin(p, all, util)
			return namedSetResult(p.candidates, p.voters, nil, w, scores, o), nil
		}
	case "nash":
		sq := int(o.Params["status-quo"])
		if float64(sq) != o.Params["status-quo"] || sq < 0 || sq >= n {
			return nil, fmt.Errorf("%w: status-quo %v: must be a candidate index in [0, %d)", ErrInvalidOption, o.Params["status-quo"], n)
		}
		// Sums of logarithms: a product over millions of voters would
		// overflow. The status quo scores log 0 = -Inf.
		for c := range n {
			scores[c] = math.Inf(-1)
			if c == sq {
				continue
			}
			s := 0.0
			for i, b := range p.ballots {
				g := util(b, c) - util(b, sq)
				if g <= 0 {
					s = math.NaN()
					break
				}
				s += float64(p.counts[i]) * math.Log(g)
			}
			if !math.IsNaN(s) {
				scores[c] = s
			}
		}
		if !slices.ContainsFunc(all, func(c int) bool { return !math.IsInf(scores[c], -1) }) {
			notes = append(notes, "no candidate is better than the status quo for every voter: the status quo wins")
			return namedSetResult(p.candidates, p.voters, nil, []int{sq}, nil, o, notes...), nil
		}
		// The logarithms of the products are reported in a note, not as
		// Scores: -Inf (no gain for someone) has no JSON form.
		var parts []string
		for c, v := range scores {
			if !math.IsInf(v, -1) {
				parts = append(parts, fmt.Sprintf("%s %.6g", p.candidates[c], v))
			}
		}
		notes = append(notes, fmt.Sprintf("log of the product of gains over the status quo %s: %s", p.candidates[sq], strings.Join(parts, ", ")))
		return namedSetResult(p.candidates, p.voters, nil, topScorers(all, scores), nil, o, notes...), nil
	}
	return namedSetResult(p.candidates, p.voters, nil, topScorers(all, scores), scores, o, notes...), nil
}

// leximin compares the candidates' utilities over all voters sorted
// increasingly, lexicographically; the greatest win.
func leximin(p *CardinalProfile, cands []int, util func([]int, int) float64) []int {
	type row struct {
		u []float64
		w []int64
	}
	rows := make([]row, len(cands))
	for k, c := range cands {
		idx := make([]int, len(p.ballots))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int {
			ua, ub := util(p.ballots[a], c), util(p.ballots[b], c)
			switch {
			case ua < ub:
				return -1
			case ua > ub:
				return 1
			}
			return 0
		})
		for _, i := range idx {
			rows[k].u = append(rows[k].u, util(p.ballots[i], c))
			rows[k].w = append(rows[k].w, p.counts[i])
		}
	}
	// cmp walks two sorted multisets (values with multiplicities).
	cmp := func(a, b row) int {
		i, j := 0, 0
		ra, rb := int64(0), int64(0)
		if len(a.w) > 0 {
			ra = a.w[0]
		}
		if len(b.w) > 0 {
			rb = b.w[0]
		}
		for i < len(a.u) && j < len(b.u) {
			if a.u[i] != b.u[j] {
				if a.u[i] < b.u[j] {
					return -1
				}
				return 1
			}
			k := min(ra, rb)
			ra, rb = ra-k, rb-k
			if ra == 0 {
				if i++; i < len(a.u) {
					ra = a.w[i]
				}
			}
			if rb == 0 {
				if j++; j < len(b.u) {
					rb = b.w[j]
				}
			}
		}
		return 0
	}
	best := []int{0}
	for k := 1; k < len(cands); k++ {
		switch c := cmp(rows[k], rows[best[0]]); {
		case c > 0:
			best = []int{k}
		case c == 0:
			best = append(best, k)
		}
	}
	out := make([]int, len(best))
	for i, k := range best {
		out[i] = cands[k]
	}
	return out
}
