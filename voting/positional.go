package voting

import (
	"fmt"

	"github.com/civickit/civickit/voting/internal/compact"
)

func positionalMethods() []Method {
	return []Method{
		{
			Name: "plurality", Title: "Plurality (first past the post)",
			Description: "Each ballot gives one point to its first choice (shared equally when several are ranked first); the most points wins.",
			Source:      "Classical; e.g. Brams & Fishburn, Approval Voting (1983), ch. 1.",
			Ballots:     RankedBallots,
			Count: func(in Input, o Options) (*Result, error) {
				return positional(in.Ranked, []float64{1}, true, o.Tie), nil
			},
		},
		{
			Name: "anti-plurality", Title: "Anti-plurality (veto)",
			Description: "Each ballot vetoes its last-ranked candidate (unranked candidates share the veto under the 'last' policy); the fewest vetoes wins. Scores are minus the vetoes.",
			Source:      "Classical; Saari, Geometry of Voting (1994).",
			Ballots:     RankedBallots,
			Count: func(in Input, o Options) (*Result, error) {
				n := in.Ranked.N()
				w := make([]float64, n)
				w[n-1] = -1
				r := positional(in.Ranked, w, true, o.Tie)
				return r, nil
			},
		},
		{
			Name: "borda", Title: "Borda count",
			Description: "A candidate ranked k-th of n gets n-k points; tied candidates share the points of the places they occupy.",
			Source:      "J.-C. de Borda, Mémoire sur les élections au scrutin (1781); truncation treatments after Emerson, 'The original Borda count and partial voting', Soc. Choice Welf. 40 (2013).",
			Ballots:     RankedBallots,
			Variants:    []string{"average", "pessimistic", "modified"},
			Count:       countBorda,
		},
		{
			Name: "dowdall", Title: "Dowdall (Nauru) count",
			Description: "A candidate ranked k-th gets 1/k points; unranked candidates get nothing.",
			Source:      "Reilly, 'Social choice in the south seas: electoral innovation and the Borda count in the Pacific island countries', Int. Pol. Sci. Rev. 23 (2002).",
			Ballots:     RankedBallots,
			Count: func(in Input, o Options) (*Result, error) {
				n := in.Ranked.N()
				w := make([]float64, n)
				for k := range w {
					w[k] = 1 / float64(k+1)
				}
				return positional(in.Ranked, w, false, o.Tie), nil
			},
		},
		{
			Name: "positional", Title: "Positional scoring rule",
			Description: "Any scoring vector: the k-th place gets Weights[k] points (missing weights are 0); tied and unranked candidates share the weights of the places they occupy.",
			Source:      "Young, 'Social choice scoring functions', SIAM J. Appl. Math. 28 (1975).",
			Ballots:     RankedBallots,
			Count: func(in Input, o Options) (*Result, error) {
				if len(o.Weights) == 0 || len(o.Weights) > in.Ranked.N() {
					return nil, fmt.Errorf("%w: positional needs 1 to %d weights, got %d", ErrInvalidOption, in.Ranked.N(), len(o.Weights))
				}
				return positional(in.Ranked, o.Weights, true, o.Tie), nil
			},
		},
	}
}

func countBorda(in Input, o Options) (*Result, error) {
	p := in.Ranked
	n := p.N()
	switch o.Variant {
	case "average":
		// Unranked candidates share the remaining places: the same as
		// treating them as tied last.
		w := make([]float64, n)
		for k := range w {
			w[k] = float64(n - 1 - k)
		}
		return positional(p, w, true, o.Tie), nil
	case "pessimistic":
		// Ranked candidates score as on a full ballot; unranked get 0.
		w := make([]float64, n)
		for k := range w {
			w[k] = float64(n - 1 - k)
		}
		return positional(p, w, false, o.Tie), nil
	}
	// modified (Emerson): with k candidates ranked, the first gets k
	// points, the last ranked 1, the unranked 0.
	scores := make([]float64, n)
	for r, count := range p.Ballots() {
		k := r.Ranked()
		place := 0
		for _, g := range r {
			share := 0.0
			for i := range g {
				share += float64(k - place - i)
			}
			share /= float64(len(g))
			for _, c := range g {
				scores[c] += share * float64(count)
			}
			place += len(g)
		}
	}
	return scoreResult(p.candidates, scores, p.voters, o.Tie), nil
}

// positional scores p with weight w[k] for place k (0-based; places past
// len(w) are worth 0). A group of tied candidates shares the mean weight of
// the places it covers. Unranked candidates, when shareUnranked and the
// profile's policy is UnrankedLast, share the mean weight of the places
// left; otherwise they get nothing.
func positional(p *Profile, w []float64, shareUnranked bool, tie TiePolicy) *Result {
	n := p.N()
	weight := func(k int) float64 {
		if k < len(w) {
			return w[k]
		}
		return 0
	}
	mean := func(from, count int) float64 {
		s := 0.0
		for k := from; k < from+count; k++ {
			s += weight(k)
		}
		return s / float64(count)
	}
	scores := make([]float64, n)
	ranked := make([]bool, n)
	share := shareUnranked && p.policy == UnrankedLast
	for i, count := range p.set.Counts {
		run := p.set.Ballot(i)
		weight := float64(count)
		place := 0
		for place < len(run) && place < len(w) {
			end := compact.GroupEnd(run, place)
			var s float64
			if end == place+1 {
				s = w[place] * weight // the common strict case: mean(place, 1)
			} else {
				s = mean(place, end-place) * weight
			}
			for _, v := range run[place:end] {
				scores[compact.Cand(v)] += s
			}
			place = end
		}
		if !share || place >= len(w) {
			continue // no weight is left for the unranked
		}
		k := len(run)
		s := mean(k, n-k) * weight
		if k == n || s == 0 {
			continue
		}
		clear(ranked)
		for _, v := range run {
			ranked[compact.Cand(v)] = true
		}
		for c, ok := range ranked {
			if !ok {
				scores[c] += s
			}
		}
	}
	return scoreResult(p.candidates, scores, p.voters, tie)
}
