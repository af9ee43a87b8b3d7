package voting

import (
	"fmt"
	"slices"
)

func greatestMedianMethods() []Method {
	return []Method{{
		Name: "greatest-median", Title: "Greatest median with a tie-breaker",
		Description: "Each candidate's lower median grade (a blank counts as the lowest); among the candidates with the best one, a single tie-breaking score computed from p and q, the shares of voters grading the candidate strictly above and strictly below that median: 'majority-judgment' p if p > q, else -q (Balinski & Laraki's first gauge step; civickit's majority-judgment iterates it); 'difference' p - q (Fabre's typical judgment); 'relative-shares' (p - q)/(2(p + q)), 0 when p = q = 0 (central judgment); 'normalized-difference' (p - q)/(2(1 - p - q)) (usual judgment). The highest score wins; equal scores tie.",
		Source:      "M. Balinski & R. Laraki, Majority Judgment (2011); A. Fabre, 'Tie-breaking the highest median: alternatives to the majority judgment', Soc. Choice Welf. 56 (2021) 101–124; pref_voting grade_methods 'greatest_median'. Checked against pref_voting (v1.18).",
		Ballots:     CardinalBallots, Kinds: []CardinalKind{Graded, Score},
		Variants: []string{"majority-judgment", "difference", "relative-shares", "normalized-difference"},
		Count:    countGreatestMedian,
	}}
}

// frac is an exact fraction num/den with den > 0, for comparing the
// tie-breaking scores without rounding.
type frac struct{ num, den int64 }

func (a frac) cmp(b frac) int {
	l, r := a.num*b.den, b.num*a.den
	switch {
	case l < r:
		return -1
	case l > r:
		return 1
	}
	return 0
}

func countGreatestMedian(in Input, o Options) (*Result, error) {
	p := in.Cardinal
	n := p.N()
	if p.voters == 0 {
		return namedSetResult(p.candidates, 0, nil, allCandidates(n), nil, o), nil
	}
	if p.voters > 1<<31 {
		return nil, fmt.Errorf("%w: greatest-median compares exact fractions of at most 2^31 voters, not %d", ErrTooLarge, p.voters)
	}
	lo := 0
	if p.spec.Kind == Score {
		lo = p.spec.Min
	}
	grade := func(b []int, c int) int {
		if b[c] == NoScore {
			return lo
		}
		return b[c]
	}
	medians := make([]float64, n)
	tb := make([]frac, n)
	for c := range n {
		type gc struct {
			g int
			k int64
		}
		var gs []gc
		for i, b := range p.ballots {
			gs = append(gs, gc{grade(b, c), p.counts[i]})
		}
		slices.SortFunc(gs, func(a, b gc) int { return a.g - b.g })
		// The lower median: the grade of voter (n-1)/2 (0-based) in order.
		target, acc := (p.voters-1)/2, int64(0)
		med := gs[len(gs)-1].g
		for _, x := range gs {
			if acc += x.k; acc > target {
				med = x.g
				break
			}
		}
		var above, below int64
		for _, x := range gs {
			switch {
			case x.g > med:
				above += x.k
			case x.g < med:
				below += x.k
			}
		}
		medians[c] = float64(med)
		v := p.voters
		switch o.Variant {
		case "majority-judgment":
			if above > below {
				tb[c] = frac{above, v}
			} else {
				tb[c] = frac{-below, v}
			}
		case "difference":
			tb[c] = frac{above - below, v}
		case "relative-shares":
			if above+below == 0 {
				tb[c] = frac{0, 1}
			} else {
				tb[c] = frac{above - below, 2 * (above + below)}
			}
		default: // normalized-difference: the median's own share is > 0
			tb[c] = frac{above - below, 2 * (v - above - below)}
		}
	}
	best := topScorers(allCandidates(n), medians)
	var w []int
	for _, c := range best {
		if len(w) == 0 {
			w = []int{c}
			continue
		}
		switch tb[c].cmp(tb[w[0]]) {
		case 1:
			w = []int{c}
		case 0:
			w = append(w, c)
		}
	}
	return namedSetResult(p.candidates, p.voters, nil, w, medians, o, "Scores are the lower median grades"), nil
}
