package voting

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

func moreMarginMethods() []Method {
	const pv = " Checked against Holliday & Pacuit, pref_voting (v1.18)."
	return []Method{
		{
			Name: "leximax", Title: "Leximax",
			Description: "Each candidate's margins of defeat by every other candidate (negative for wins), sorted from the largest; the lexicographically smallest sequence wins (minimax, ties broken by the next worst result).",
			Source:      "pref_voting 'Leximax'." + pv,
			Ballots:     RankedBallots, Count: countLeximax,
		},
		{
			Name: "mwsl", Title: "Most wins, smallest loss",
			Description: "The Copeland winners (a pairwise tie counts ½); among several, the one whose margins of defeat, sorted from the largest, form the lexicographically smallest sequence (0 for an undefeated candidate).",
			Source:      "pref_voting 'Most Wins, Smallest Loss' (default options)." + pv,
			Ballots:     RankedBallots, Count: countMWSL,
		},
		{
			Name: "beta-uncovered-set", Title: "β-uncovered set",
			Description: "x β-covers y when at least a fraction β of the voters prefer x to y and every z preferred to x by at least β is preferred to y by at least β; the candidates no one β-covers win (parameter beta, default ½).",
			Source:      "pref_voting 'beta_uncovered_set'; after F. Brandt, 'Rolling the dice', and the β-covering of Dutta & Laslier." + pv,
			Ballots:     RankedBallots, Params: map[string]string{"beta": "the threshold fraction of voters, in (0, 1] (default 0.5)"},
			Count: countBetaUncovered,
		},
		{
			Name: "consensus-builder", Title: "Consensus builder",
			Description: "Candidates are taken from the last of the consensus-building ranking (here the candidate order) to the first; each one still in eliminates every earlier candidate that at least a fraction β of the voters rank below it (parameter beta, default ½). The last candidate taken that is still in wins. Not neutral: the candidate order matters.",
			Source:      "pref_voting 'Consensus Builder' (default consensus-building ranking: the candidates' order)." + pv,
			Ballots:     RankedBallots, Params: map[string]string{"beta": "the threshold fraction of voters, in (0, 1] (default 0.5)"},
			Count: countConsensusBuilder,
		},
		{
			Name: "bradley-terry", Title: "Bradley–Terry",
			Description: "Fits the Bradley–Terry model P(x beats y) = s_x/(s_x+s_y) to the shares of voters preferring each candidate to each other by the minorisation–maximisation iteration (strengths normalised to mean 1, stopped when no strength moves by 10^-6, at most 10,000 rounds); the candidates within 10^-5 of the highest strength win and Scores holds the strengths. When a candidate is unbeatable the fit does not converge (its strength grows without bound): it is then the winner, as a note says.",
			Source:      "R. A. Bradley & M. E. Terry, 'Rank analysis of incomplete block designs I', Biometrika 39 (1952) 324–345; D. R. Hunter, 'MM algorithms for generalized Bradley–Terry models', Ann. Statist. 32 (2004) 384–406; pref_voting 'Bradley-Terry'." + pv,
			Ballots:     RankedBallots, Count: countBradleyTerry,
		},
		{
			Name: "tideman-alternative-gocha", Title: "Tideman's alternative (GOCHA)",
			Description: "The Schwartz set (GOCHA) of the continuing candidates; if some of its members have more first preferences among the set than others, the fewest are eliminated and the rule starts again; otherwise the set wins.",
			Source:      "N. Tideman, Collective Decisions and Voting (2006) p. 233; pref_voting 'tideman_alternative_gocha'." + pv,
			Ballots:     RankedBallots, Count: countTidemanGOCHA,
		},
	}
}

// defeatSequence is the margins of defeat of x by each other candidate
// of cands, largest first.
func defeatSequence(m *Matrix, cands []int, x int, onlyDefeats bool) []int64 {
	var s []int64
	for _, y := range cands {
		if y == x {
			continue
		}
		if mg := m.Margin(y, x); !onlyDefeats || mg > 0 {
			s = append(s, mg)
		}
	}
	slices.SortFunc(s, func(a, b int64) int { return cmp.Compare(b, a) })
	return s
}

// lexMin returns the candidates whose sequences are lexicographically
// smallest (a proper prefix is smaller, as in Python).
func lexMin(cands []int, seq map[int][]int64) []int {
	var best []int
	for _, c := range cands {
		if len(best) == 0 {
			best = []int{c}
			continue
		}
		switch slices.Compare(seq[c], seq[best[0]]) {
		case -1:
			best = []int{c}
		case 0:
			best = append(best, c)
		}
	}
	return best
}

func countLeximax(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	all := allCandidates(p.N())
	seq := map[int][]int64{}
	for _, c := range all {
		seq[c] = defeatSequence(m, all, c, false)
	}
	return setResult(p, m, lexMin(all, seq), nil, o), nil
}

func countMWSL(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	all := allCandidates(p.N())
	cs := copelandScores(m, 0.5)
	w := topScorers(all, cs)
	if len(w) > 1 {
		seq := map[int][]int64{}
		for _, c := range w {
			if seq[c] = defeatSequence(m, all, c, true); len(seq[c]) == 0 {
				seq[c] = []int64{0}
			}
		}
		w = lexMin(w, seq)
	}
	return setResult(p, m, w, cs, o), nil
}

func countBetaUncovered(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	beta, err := betaParam(o)
	if err != nil {
		return nil, err
	}
	n := p.N()
	// at reports whether at least a fraction beta of the voters prefer x
	// to y.
	at := func(x, y int) bool { return float64(m.M[x][y]) >= beta*float64(p.voters) }
	var w []int
	for y := range n {
		covered := false
		for x := 0; x < n && !covered; x++ {
			if x == y || !at(x, y) {
				continue
			}
			covered = true
			for z := range n {
				if at(z, x) && !at(z, y) {
					covered = false
					break
				}
			}
		}
		if !covered {
			w = append(w, y)
		}
	}
	return setResult(p, m, w, nil, o), nil
}

func betaParam(o Options) (float64, error) {
	b, ok := o.Params["beta"]
	if !ok {
		return 0.5, nil
	}
	if !(b > 0 && b <= 1) {
		return 0, fmt.Errorf("%w: beta %v: must be in (0, 1]", ErrInvalidOption, b)
	}
	return b, nil
}

func countConsensusBuilder(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	beta, err := betaParam(o)
	if err != nil {
		return nil, err
	}
	n := p.N()
	out := make([]bool, n)
	last := -1
	for i := n - 1; i >= 0; i-- {
		if out[i] {
			continue
		}
		for j := 0; j < i; j++ {
			if !out[j] && float64(m.M[i][j]) >= beta*float64(p.voters) {
				out[j] = true
			}
		}
		last = i
	}
	return setResult(p, m, []int{last}, nil, o), nil
}

func countBradleyTerry(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	n := p.N()
	all := allCandidates(n)
	if p.voters == 0 || n == 1 {
		return setResult(p, m, all, nil, o), nil
	}
	wins := make([]float64, n)
	for i := range n {
		for j := range n {
			if i != j {
				wins[i] += float64(m.M[i][j]) / float64(p.voters)
			}
		}
	}
	s := make([]float64, n)
	for i := range s {
		s[i] = 1
	}
	next := make([]float64, n)
	converged := false
	for range 10000 {
		mean := 0.0
		for j := range n {
			d := 0.0
			for i := range n {
				if i != j {
					d += 1 / (s[i] + s[j])
				}
			}
			next[j] = wins[j] / d
			mean += next[j]
		}
		mean /= float64(n)
		moved := 0.0
		for j := range n {
			next[j] /= mean
			moved = max(moved, math.Abs(next[j]-s[j]))
		}
		s, next = next, s
		if moved < 1e-6 {
			converged = true
			break
		}
	}
	best := slices.Max(s)
	var w []int
	for c, v := range s {
		if best-v <= 1e-5 {
			w = append(w, c)
		}
	}
	var notes []string
	if !converged {
		notes = append(notes, "the fit did not converge (an unbeatable candidate's strength grows without bound); the strongest after 10,000 rounds win")
	}
	r := setResult(p, m, w, slices.Clone(s), o, notes...)
	r.Ranking = orderByScore(all, func(c int) float64 { return s[c] })
	return r, nil
}

func countTidemanGOCHA(in Input, o Options) (*Result, error) {
	p := in.Ranked
	full := p.Pairwise()
	cands := allCandidates(p.N())
	var rounds []Round
	for {
		q, err := p.Restrict(cands)
		if err != nil {
			return nil, err
		}
		var s []int
		for _, i := range SchwartzSet(q.Pairwise()) {
			s = append(s, cands[i])
		}
		fp := firstAmong(p, s)
		low := extreme(s, func(c int) float64 { return fp[c] }, false)
		if len(low) == len(s) {
			r := setResult(p, full, s, nil, o)
			r.Rounds = rounds
			return r, nil
		}
		rounds = append(rounds, Round{Counts: fp, Eliminated: low, Note: fmt.Sprintf("Schwartz set %v", candidateNames(p.candidates, s))})
		cands = without(cands, low)
	}
}
