package voting

import (
	"fmt"
	"slices"

	"github.com/civickit/civickit/voting/internal/compact"
)

// researchMethods are the single-winner methods of Holliday & Pacuit's
// pref_voting that civickit lacked, each defined as in its source and
// checked against pref_voting on generated profiles (testdata/prefvoting).
// Set-valued rules give their whole set as Winners; the tie policy picks
// Elected.
func researchMethods() []Method {
	const pv = " Checked against Holliday & Pacuit, pref_voting (v1.18)."
	return []Method{
		{
			Name: "benham", Title: "Benham",
			Description: "The Condorcet winner among the continuing candidates if there is one; otherwise the candidates with the fewest first preferences among the continuing ones are eliminated together and the test is repeated.",
			Source:      "C. Benham, 1996, as described by N. Tideman, Collective Decisions and Voting (2006) p. 232 and by Holliday & Pacuit, pref_voting 'Benham'." + pv,
			Ballots:     RankedBallots, Count: countBenham,
		},
		{
			Name: "woodall", Title: "Woodall",
			Description: "Candidates are eliminated as in instant runoff (the lowest together); the last member of the Smith set to survive wins (all of those eliminated last together when none survives alone).",
			Source:      "D. R. Woodall, 'Monotonicity of single-seat preferential election rules', Discrete Appl. Math. 77 (1997) 81–98; pref_voting 'Woodall'." + pv,
			Ballots:     RankedBallots, Count: countWoodall,
		},
		{
			Name: "condorcet-irv", Title: "Condorcet–IRV",
			Description: "The Condorcet winner if there is one, otherwise the instant-runoff winner: 'standard' counts with civickit's irv (one candidate eliminated a round, a tie for last decided by the tie policy); 'eliminate-tied' eliminates every candidate tied for last together and stops when someone has a strict majority of all the voters' first preferences among those left, as pref_voting's basic instant runoff (all eliminated at once: those last eliminated win).",
			Source:      "The 'Condorcet-Hare' rule, e.g. Green-Armytage, 'Four Condorcet-Hare hybrid methods', Voting Matters 29 (2011); pref_voting 'Condorcet IRV'." + pv,
			Ballots:     RankedBallots, Variants: []string{"standard", "eliminate-tied"},
			Count: func(in Input, o Options) (*Result, error) {
				if o.Variant == "eliminate-tied" {
					return countCondorcetIRVTied(in, o)
				}
				return condorcetThen("irv")(in, o)
			},
		},
		{
			Name: "condorcet-plurality", Title: "Condorcet–plurality",
			Description: "The Condorcet winner if there is one, otherwise the plurality winners.",
			Source:      "pref_voting 'Condorcet Plurality' (the composition of Condorcet and plurality)." + pv,
			Ballots:     RankedBallots, Count: condorcetThen("plurality"),
		},
		{
			Name: "weak-condorcet", Title: "Weak Condorcet",
			Description: "Every weak Condorcet winner (a candidate no other candidate beats head to head); every candidate when there is none.",
			Source:      "pref_voting 'Weak Condorcet'." + pv,
			Ballots:     RankedBallots, Count: countWeakCondorcet,
		},
		{
			Name: "daunou", Title: "Daunou",
			Description: "The Condorcet winner if there is one; otherwise Condorcet losers are removed one after another and the plurality winners among the rest win.",
			Source:      "P. Daunou, Mémoire sur les élections au scrutin (1803); see I. McLean & F. Hewitt, Condorcet: Foundations of Social Choice and Political Theory (1994) and Holliday & Pacuit's pref_voting 'Daunou'." + pv,
			Ballots:     RankedBallots, Count: countDaunou,
		},
		{
			Name: "superior-voting", Title: "Superior voting",
			Description: "Each candidate scores its first preferences plus the first preferences of every candidate it beats head to head; the highest score wins.",
			Source:      "W. H. Holliday & E. Pacuit, pref_voting 'Superior Voting' (after the 'superior' rule of Hanson 1979)." + pv,
			Ballots:     RankedBallots, Count: countSuperior,
		},
		{
			Name: "simplified-bucklin", Title: "Simplified Bucklin",
			Description: "Ranks are added one at a time; at the first rank where some candidate is ranked that high by a strict majority, every candidate so ranked wins (all of them, not only the highest). When no one ever reaches a majority (truncated ballots) the highest total wins.",
			Source:      "J. W. Bucklin's Grand Junction system (1909), simplified as in pref_voting 'Simplified Bucklin'." + pv,
			Ballots:     RankedBallots, Count: countSimplifiedBucklin,
		},
		{
			Name: "weighted-bucklin", Title: "Weighted Bucklin",
			Description: "Ranks are added one at a time, the r-th rank of m weighted (m-r)/(m-1); at the first rank where some candidate's weighted total reaches half the voters, the highest total wins.",
			Source:      "pref_voting 'Weighted Bucklin' (default weights, non-strict threshold)." + pv,
			Ballots:     RankedBallots, Count: countWeightedBucklin,
		},
		{
			Name: "smith-minimax", Title: "Smith–Minimax",
			Description: "Minimax (by margins) among the candidates of the Smith set only.",
			Source:      "pref_voting 'Smith-Minimax' (the composition of the Smith set and minimax)." + pv,
			Ballots:     RankedBallots, Count: countSmithMinimax,
		},
		{
			Name: "copeland-tiebreak", Title: "Copeland with a tie-break",
			Description: "The Copeland winners, narrowed by a second rule: 'global-borda' keeps those with the highest Borda score in the whole election, 'local-borda' the Borda winners of the election restricted to them, 'global-minimax' those with the best minimax (margins) score against everyone, 'local-minimax' the minimax winners among them.",
			Source:      "pref_voting 'Copeland-Global-Borda', 'Copeland-Local-Borda', 'Copeland-Global-Minimax', 'Copeland-Local-Minimax'." + pv,
			Ballots:     RankedBallots, Variants: []string{"global-borda", "local-borda", "global-minimax", "local-minimax"},
			Count: countCopelandTiebreak,
		},
		{
			Name: "loss-trimmer", Title: "Loss-Trimmer",
			Description: "The weak Condorcet winners if there are any; otherwise the candidate with the largest sum of margins of defeat is removed and the rule applied again (each of several such candidates in turn, the winners joined).",
			Source:      "R. B. Darlington, 'The case for the Loss-Trimmer voting system' (2021); pref_voting 'Loss-Trimmer Voting'." + pv,
			Ballots:     RankedBallots, Count: countLossTrimmer,
		},
		{
			Name: "iterated-removal-condorcet-loser", Title: "Iterated removal of Condorcet losers",
			Description: "Condorcet losers are removed one after another while more than one candidate remains; the remaining candidates win.",
			Source:      "pref_voting 'Iterated Removal Condorcet Loser'." + pv,
			Ballots:     RankedBallots, Count: countIteratedCL,
		},
		{
			Name: "raynaud", Title: "Raynaud",
			Description: "Repeatedly removes the candidates with the worst minimax score (the largest margin of defeat) until they would be all the remaining candidates; those win.",
			Source:      "H. Raynaud (1981), described in N. Tideman, Collective Decisions and Voting (2006); pref_voting 'Raynaud' (margins)." + pv,
			Ballots:     RankedBallots, Count: countRaynaud,
		},
		{
			Name: "pareto", Title: "Pareto set",
			Description: "The candidates no other candidate is ranked above by every voter (weak Pareto dominance).",
			Source:      "V. Pareto; pref_voting 'Pareto'." + pv,
			Ballots:     RankedBallots, Count: countPareto,
		},
		{
			Name: "uncovered-set-gillies", Title: "Uncovered set (Gillies)",
			Description: "The candidates not covered: y is covered when some x beats y and every candidate beating x also beats y (left covering).",
			Source:      "D. B. Gillies, 'Solutions to general non-zero-sum games' (1959); pref_voting 'Uncovered Set'. civickit's uncovered-set is McKelvey's." + pv,
			Ballots:     RankedBallots, Count: coveringSet(gilliesCovers),
		},
		{
			Name: "uncovered-set-fishburn", Title: "Uncovered set (Fishburn)",
			Description: "The candidates not covered: y is covered when some x is beaten by a strict subset of the candidates beating y.",
			Source:      "P. C. Fishburn, 'Condorcet social choice functions', SIAM J. Appl. Math. 33 (1977) 469–489; pref_voting 'Uncovered Set - Fishburn'." + pv,
			Ballots:     RankedBallots, Count: coveringSet(fishburnCovers),
		},
		{
			Name: "uncovered-set-bordes", Title: "Uncovered set (Bordes)",
			Description: "As Gillies', with 'beaten or tied' (a candidate counting as tied with itself) in place of 'beaten'.",
			Source:      "G. Bordes, 'On the possibility of reasonable consistent majoritarian choice', J. Econ. Theory 31 (1983) 122–132; pref_voting 'Uncovered Set - Bordes'." + pv,
			Ballots:     RankedBallots, Count: coveringSet(bordesCovers),
		},
		{
			Name: "random-dictatorship", Title: "Random dictatorship",
			Description: "A lottery: a voter drawn at random decides, so each candidate wins with its share of first preferences (a tie at the top split equally). Scores are the probabilities, Winners the candidates with a positive one; Elected is drawn from the lottery with the seed parameter.",
			Source:      "A. Gibbard, 'Manipulation of schemes that mix voting with chance', Econometrica 45 (1977) 665–681; pref_voting 'Random Dictator'." + pv,
			Ballots:     RankedBallots, Params: lotteryParams, Count: countLottery(dictatorLottery),
		},
		{
			Name: "proportional-borda", Title: "Proportional Borda lottery",
			Description: "A lottery: each candidate wins with probability proportional to its Borda score (computed from the pairwise matrix). Scores are the probabilities; Elected is drawn with the seed parameter.",
			Source:      "pref_voting 'Proportional Borda'; see F. Brandt, 'Rolling the dice: recent results in probabilistic social choice', in Trends in Computational Social Choice (2017)." + pv,
			Ballots:     RankedBallots, Params: lotteryParams, Count: countLottery(bordaLottery),
		},
	}
}

// setResult builds the result of a rule that chose winners (with scores
// when it has them), the tie policy picking Elected.
func setResult(p *Profile, m *Matrix, winners []int, scores []float64, o Options, notes ...string) *Result {
	return namedSetResult(p.candidates, p.voters, m, winners, scores, o, notes...)
}

// namedSetResult is setResult for any kind of ballots.
func namedSetResult(names []string, voters int64, m *Matrix, winners []int, scores []float64, o Options, notes ...string) *Result {
	slices.Sort(winners)
	r := &Result{
		Candidates: slices.Clone(names),
		Winners:    winners,
		Scores:     scores,
		Pairwise:   m,
		Ballots:    voters,
		Notes:      notes,
	}
	if scores != nil {
		r.Rounds = []Round{{Counts: slices.Clone(scores)}}
	}
	r.elect(o.Tie)
	return r
}

// firstAmong returns the first preferences among the candidates of cands
// (a top group of k of them giving each 1/k).
func firstAmong(p *Profile, cands []int) []float64 {
	active := make([]bool, p.N())
	for _, c := range cands {
		active[c] = true
	}
	return slices.Clone(newFirstPrefs(p, active).counts)
}

// topScorers returns the candidates of cands with the highest score.
func topScorers(cands []int, score []float64) []int {
	return extreme(cands, func(c int) float64 { return score[c] }, true)
}

func condorcetLoserAmong(m *Matrix, cands []int) int {
	for _, x := range cands {
		ok := true
		for _, y := range cands {
			if y != x && !m.Beats(y, x) {
				ok = false
				break
			}
		}
		if ok {
			return x
		}
	}
	return -1
}

func weakCondorcetAmong(m *Matrix, cands []int) []int {
	var out []int
	for _, x := range cands {
		beaten := false
		for _, y := range cands {
			if y != x && m.Beats(y, x) {
				beaten = true
				break
			}
		}
		if !beaten {
			out = append(out, x)
		}
	}
	return out
}

// minimaxAmong is minus the largest margin of defeat of each candidate of
// cands by another of cands (0 when undefeated): pref_voting's
// minimax_scores with margins.
func minimaxAmong(m *Matrix, cands []int) []float64 {
	s := make([]float64, m.N)
	for _, x := range cands {
		worst := int64(0)
		for _, y := range cands {
			if y != x {
				worst = max(worst, m.Margin(y, x))
			}
		}
		s[x] = -float64(worst)
	}
	return s
}

// bordaAmong is each candidate's Borda score in the election restricted
// to cands, from the pairwise matrix: one point per voter ranking it above
// another of cands (exactly the positional Borda score for complete
// ballots without ties).
func bordaAmong(m *Matrix, cands []int) []float64 {
	s := make([]float64, m.N)
	for _, x := range cands {
		for _, y := range cands {
			if y != x {
				s[x] += float64(m.M[x][y])
			}
		}
	}
	return s
}

// pluralityElimination eliminates the candidates with the fewest first
// preferences together, calling stop before each elimination (and once
// after the last) with the continuing candidates; it returns what stop
// returns once it says done, or the last candidates eliminated together
// when none is left.
func pluralityElimination(p *Profile, stop func(act []int) ([]int, bool)) ([]int, []Round) {
	active := make([]bool, p.N())
	for c := range active {
		active[c] = true
	}
	f := newFirstPrefs(p, active)
	act := allCandidates(p.N())
	var rounds []Round
	var low []int
	for {
		if w, done := stop(act); done {
			return w, rounds
		}
		if len(act) == 0 {
			return low, rounds
		}
		low = extreme(act, func(c int) float64 { return f.counts[c] }, false)
		rounds = append(rounds, Round{Counts: slices.Clone(f.counts), Active: slices.Clone(active), Eliminated: low})
		if len(low) < len(act) {
			f.eliminate(low)
		}
		for _, c := range low {
			active[c] = false
		}
		act = without(act, low)
	}
}

func countBenham(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	w, rounds := pluralityElimination(p, func(act []int) ([]int, bool) {
		if cw := condorcetWinnerAmong(m, act); cw >= 0 {
			return []int{cw}, true
		}
		return nil, false
	})
	r := setResult(p, m, w, nil, o)
	r.Rounds = rounds
	return r, nil
}

// countCondorcetIRVTied is Condorcet–IRV with pref_voting's basic
// instant runoff: all candidates tied for last out together, a strict
// majority of all voters (not of the continuing ballots) to stop.
func countCondorcetIRVTied(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	if cw := m.CondorcetWinner(); cw >= 0 {
		return setResult(p, m, []int{cw}, nil, o, "Condorcet winner: "+p.candidates[cw]), nil
	}
	return irvEliminateTied(p, m, o, "no Condorcet winner: instant runoff, candidates tied for last eliminated together"), nil
}

// irvEliminateTied is pref_voting's basic instant runoff: every candidate
// tied for last is eliminated together, and a candidate with a strict
// majority of all the voters' first preferences among those left wins
// (those eliminated last together win when none is left).
func irvEliminateTied(p *Profile, m *Matrix, o Options, note string) *Result {
	maj := float64(p.voters/2 + 1)
	w, rounds := pluralityElimination(p, func(act []int) ([]int, bool) {
		fp := firstAmong(p, act)
		var w []int
		for _, c := range act {
			if fp[c] >= maj {
				w = append(w, c)
			}
		}
		return w, len(w) > 0
	})
	r := setResult(p, m, w, nil, o, note)
	r.Rounds = rounds
	return r
}

func countWoodall(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	smith := SmithSet(m)
	inSmith := func(act []int) []int {
		var out []int
		for _, c := range act {
			if slices.Contains(smith, c) {
				out = append(out, c)
			}
		}
		return out
	}
	prev := smith
	w, rounds := pluralityElimination(p, func(act []int) ([]int, bool) {
		left := inSmith(act)
		switch len(left) {
		case 0:
			return prev, true
		case 1:
			return left, true
		}
		prev = left
		return nil, false
	})
	r := setResult(p, m, w, nil, o)
	r.Rounds = rounds
	return r, nil
}

// condorcetThen elects the Condorcet winner, or counts with the named
// built-in method.
func condorcetThen(name string) func(Input, Options) (*Result, error) {
	return func(in Input, o Options) (*Result, error) {
		p := in.Ranked
		m := p.Pairwise()
		if cw := m.CondorcetWinner(); cw >= 0 {
			return setResult(p, m, []int{cw}, nil, o, "Condorcet winner: "+p.candidates[cw]), nil
		}
		for _, meth := range builtins() {
			if meth.Name == name {
				r, err := meth.Run(in, Options{Tie: o.Tie})
				if err != nil {
					return nil, err
				}
				r.Pairwise = m
				r.Notes = append(r.Notes, "no Condorcet winner: counted by "+name)
				return r, nil
			}
		}
		return nil, fmt.Errorf("%w: %q", ErrUnknownMethod, name)
	}
}

func countWeakCondorcet(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	w := weakCondorcetAmong(m, allCandidates(p.N()))
	if len(w) == 0 {
		w = allCandidates(p.N())
	}
	return setResult(p, m, w, nil, o), nil
}

// iteratedCL removes Condorcet losers from cands while more than one
// candidate remains.
func iteratedCL(m *Matrix, cands []int) []int {
	for len(cands) > 1 {
		cl := condorcetLoserAmong(m, cands)
		if cl < 0 {
			break
		}
		cands = without(cands, []int{cl})
	}
	return cands
}

func countIteratedCL(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	return setResult(p, m, iteratedCL(m, allCandidates(p.N())), nil, o), nil
}

func countDaunou(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	if cw := m.CondorcetWinner(); cw >= 0 {
		return setResult(p, m, []int{cw}, nil, o, "Condorcet winner"), nil
	}
	rest := iteratedCL(m, allCandidates(p.N()))
	fp := firstAmong(p, rest)
	return setResult(p, m, topScorers(rest, fp), fp, o, "plurality among the candidates left after removing Condorcet losers"), nil
}

func countSuperior(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	all := allCandidates(p.N())
	fp := firstAmong(p, all)
	s := slices.Clone(fp)
	for x := range s {
		for y := range s {
			if x != y && m.Beats(x, y) {
				s[x] += fp[y]
			}
		}
	}
	return setResult(p, m, topScorers(all, s), s, o), nil
}

// rankCounts returns, per rank (group index) k, the voters placing each
// candidate in their k-th group.
func rankCounts(p *Profile) [][]float64 {
	n := p.N()
	var out [][]float64
	for i, count := range p.set.Counts {
		run := p.set.Ballot(i)
		k := 0
		for g := 0; g < len(run); k++ {
			end := compact.GroupEnd(run, g)
			for len(out) <= k {
				out = append(out, make([]float64, n))
			}
			for _, v := range run[g:end] {
				out[k][compact.Cand(v)] += float64(count)
			}
			g = end
		}
	}
	return out
}

func countSimplifiedBucklin(in Input, o Options) (*Result, error) {
	p := in.Ranked
	all := allCandidates(p.N())
	maj := float64(p.voters/2 + 1)
	totals := make([]float64, p.N())
	var rounds []Round
	for _, rc := range rankCounts(p) {
		for c, v := range rc {
			totals[c] += v
		}
		rounds = append(rounds, Round{Counts: slices.Clone(totals)})
		var w []int
		for _, c := range all {
			if totals[c] >= maj {
				w = append(w, c)
			}
		}
		if len(w) > 0 {
			r := setResult(p, nil, w, totals, o)
			r.Rounds = rounds
			return r, nil
		}
	}
	r := setResult(p, nil, topScorers(all, totals), totals, o, "no candidate reached a strict majority: the highest total wins")
	r.Rounds = rounds
	return r, nil
}

func countWeightedBucklin(in Input, o Options) (*Result, error) {
	p := in.Ranked
	n := p.N()
	all := allCandidates(n)
	half := float64(p.voters) / 2
	totals := make([]float64, n)
	var rounds []Round
	for k, rc := range rankCounts(p) {
		w := 1.0
		if n > 1 {
			w = float64(n-1-k) / float64(n-1)
		}
		for c, v := range rc {
			totals[c] += w * v
		}
		rounds = append(rounds, Round{Counts: slices.Clone(totals)})
		if slices.ContainsFunc(all, func(c int) bool { return totals[c] >= half }) {
			break
		}
	}
	r := setResult(p, nil, topScorers(all, totals), totals, o)
	r.Rounds = rounds
	return r, nil
}

func countSmithMinimax(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	smith := SmithSet(m)
	s := minimaxAmong(m, smith)
	return setResult(p, m, topScorers(smith, s), nil, o, fmt.Sprintf("Smith set: %v", candidateNames(p.candidates, smith))), nil
}

func countCopelandTiebreak(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	all := allCandidates(p.N())
	cs := copelandScores(m, 0.5)
	w := topScorers(all, cs)
	var second []float64
	switch o.Variant {
	case "global-borda":
		second = bordaAmong(m, all)
	case "local-borda":
		second = bordaAmong(m, w)
	case "global-minimax":
		second = minimaxAmong(m, all)
	default:
		second = minimaxAmong(m, w)
	}
	return setResult(p, m, topScorers(w, second), cs, o), nil
}

func countLossTrimmer(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	seen := map[string][]int{}
	var trim func(cands []int) []int
	trim = func(cands []int) []int {
		key := fmt.Sprint(cands)
		if w, ok := seen[key]; ok {
			return w
		}
		w := weakCondorcetAmong(m, cands)
		if len(w) == 0 {
			loss := make([]float64, m.N)
			for _, x := range cands {
				for _, y := range cands {
					if mg := m.Margin(y, x); mg > 0 {
						loss[x] += float64(mg)
					}
				}
			}
			for _, bl := range topScorers(cands, loss) {
				for _, c := range trim(without(cands, []int{bl})) {
					if !slices.Contains(w, c) {
						w = append(w, c)
					}
				}
			}
			slices.Sort(w)
		}
		seen[key] = w
		return w
	}
	return setResult(p, m, trim(allCandidates(p.N())), nil, o), nil
}

func countRaynaud(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	cands := allCandidates(p.N())
	var rounds []Round
	for len(cands) > 1 {
		s := minimaxAmong(m, cands)
		worst := extreme(cands, func(c int) float64 { return s[c] }, false)
		if len(worst) == len(cands) {
			break
		}
		rounds = append(rounds, Round{Counts: s, Eliminated: worst})
		cands = without(cands, worst)
	}
	r := setResult(p, m, cands, nil, o)
	r.Rounds = rounds
	return r, nil
}

func countPareto(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	var w []int
	for y := range p.N() {
		dominated := false
		for x := range p.N() {
			if x != y && p.voters > 0 && m.M[x][y] == p.voters {
				dominated = true
				break
			}
		}
		if !dominated {
			w = append(w, y)
		}
	}
	return setResult(p, m, w, nil, o), nil
}

// The covering relations: covers(x, y) with x ≠ y, for the majority
// relation beats and the sets of candidates beating each candidate.
type coverFunc func(m *Matrix, dom, weakDom []map[int]bool, x, y int) bool

func subsetOf(a, b map[int]bool) bool {
	for c := range a {
		if !b[c] {
			return false
		}
	}
	return true
}

func gilliesCovers(m *Matrix, dom, _ []map[int]bool, x, y int) bool {
	return m.Beats(x, y) && subsetOf(dom[x], dom[y])
}

func fishburnCovers(m *Matrix, dom, _ []map[int]bool, x, y int) bool {
	return subsetOf(dom[x], dom[y]) && !subsetOf(dom[y], dom[x])
}

func bordesCovers(m *Matrix, _, weakDom []map[int]bool, x, y int) bool {
	return m.Beats(x, y) && subsetOf(weakDom[x], weakDom[y])
}

func coveringSet(covers coverFunc) func(Input, Options) (*Result, error) {
	return func(in Input, o Options) (*Result, error) {
		p := in.Ranked
		m := p.Pairwise()
		n := p.N()
		dom := make([]map[int]bool, n)
		weak := make([]map[int]bool, n)
		for y := range n {
			dom[y], weak[y] = map[int]bool{}, map[int]bool{}
			for x := range n {
				switch {
				case m.Beats(x, y):
					dom[y][x], weak[y][x] = true, true
				case !m.Beats(y, x):
					weak[y][x] = true // tied, or x itself
				}
			}
		}
		var w []int
		for y := range n {
			covered := false
			for x := 0; x < n && !covered; x++ {
				covered = x != y && covers(m, dom, weak, x, y)
			}
			if !covered {
				w = append(w, y)
			}
		}
		return setResult(p, m, w, nil, o), nil
	}
}
