package voting

import (
	"fmt"
	"slices"
	"strings"

	"github.com/civickit/civickit/voting/internal/compact"
)

// Runoff and elimination methods. They share one convention for the
// record: each Round holds the tallies of the candidates still in the
// count, who leaves the count as a result of that round (Eliminated or
// Elected) and, for the methods that move ballots, the votes transferred
// from the eliminated candidates (they make the next round's tallies).
// Exhausted counts the ballots, cumulated, that no longer rank a
// candidate in the count, so that in every round the active counts plus
// Exhausted equal the voters.
//
// A tie in an elimination is decided by the tie policy over the tied
// candidates with the rounds so far (the current one last); the least
// favoured is eliminated, and the policy is named in the round. When only
// two candidates remain and they tie, both are Winners and the tie policy
// picks the Elected. Ranking puts the winners first, then the other
// candidates still in the count by their last tallies, then the eliminated
// ones, last eliminated first (candidates eliminated together are ordered
// by their tallies in that round).
//
// IRV, two-round and Bucklin read only the ranks a ballot gives: a
// truncated ballot exhausts (for Bucklin, stops adding) under either
// unranked policy. Coombs, Baldwin, Nanson and the Smith set follow the
// profile's policy.

func eliminationMethods() []Method {
	return []Method{
		{
			Name: "two-round", Title: "Two-round system (runoff)",
			Description: "A candidate with an absolute majority of first preferences wins; otherwise the two candidates with the most first preferences meet in a runoff counted from the same ballots (the contingent vote). A ballot ranking several candidates first is split equally between them.",
			Source:      "Constitution of the French Republic (1958), art. 7; with ranked ballots, the contingent vote of the Constitution of Sri Lanka (1978), art. 94.",
			Ballots:     RankedBallots,
			Count:       countTwoRound,
		},
		{
			Name: "irv", Title: "Instant-runoff voting (alternative vote)",
			Description: "Each ballot counts for its highest-ranked continuing candidate; a candidate with a majority of the continuing ballots wins, otherwise the last candidate is eliminated and its ballots move to their next preferences. A ballot ranking several continuing candidates equal at its top is split equally between them. Variants: 'standard' eliminates one candidate a round; 'batch' eliminates at once the lowest candidates whose combined votes are below the next one's (they cannot win: same winner, fewer rounds); 'bottom-two' eliminates the loser of a head-to-head comparison between the two lowest (a ballot ranking one of them and not the other counts for it); 'eliminate-tied' eliminates every candidate tied for last together (no tie policy) and stops at a strict majority of all the voters, as pref_voting's basic instant runoff (those eliminated last together win).",
			Source:      "T. Hare, The Election of Representatives (1859); W. R. Ware (1871); Commonwealth Electoral Act 1918 (Australia), s. 274. Batch elimination: Minneapolis Code of Ordinances, ch. 167, s. 167.20 (RCTab 'batchElimination'). Bottom-two runoff: Holliday & Pacuit, pref_voting, 'Bottom-Two-Runoff Instant Runoff'; eliminate-tied: pref_voting 'Instant Runoff' (algorithm 'basic').",
			Ballots:     RankedBallots,
			Variants:    []string{"standard", "batch", "bottom-two", "eliminate-tied"},
			Params: map[string]string{
				"until-two": "when not 0, keep eliminating after a majority is reached until two candidates remain (RCTab 'continueUntilTwoCandidatesRemain'); the winner is the same",
			},
			Count: func(in Input, o Options) (*Result, error) {
				if o.Variant == "eliminate-tied" {
					// pref_voting's basic instant runoff: no tie policy, all the last out together.
					return irvEliminateTied(in.Ranked, in.Ranked.Pairwise(), o, "instant runoff, candidates tied for last eliminated together (pref_voting's convention)"), nil
				}
				e := newElimination(in.Ranked, o.Tie, true)
				return e.instantRunoff(o.Variant, o.Params["until-two"] != 0), nil
			},
		},
		{
			Name: "coombs", Title: "Coombs' method",
			Description: "A candidate with a majority of first preferences among the continuing ballots wins; otherwise the candidate ranked last by the most voters is eliminated. Under the 'last' unranked policy a truncated ballot puts its unranked continuing candidates last together (sharing its vote); under 'skip' a ballot names a last place only once it ranks every continuing candidate.",
			Source:      "C. H. Coombs, 'Social choice and strength of preference', in Thrall, Coombs & Davis (eds.), Decision Processes (1954); Grofman & Feld, 'If you like the alternative vote (a.k.a. the instant runoff), then you ought to know about the Coombs rule', Electoral Studies 23 (2004).",
			Ballots:     RankedBallots,
			Count:       countCoombs,
		},
		{
			Name: "baldwin", Title: "Baldwin's method",
			Description: "Eliminate the candidate with the lowest Borda score, recomputed over the remaining candidates, until one remains. Borda scores come from the pairwise counts (tied and, under the 'skip' policy, uncompared pairs share the point), so the Condorcet winner is never eliminated.",
			Source:      "J. M. Baldwin, 'The technique of the Nanson preferential majority system of election', Proc. Royal Society of Victoria 39 (1926).",
			Ballots:     RankedBallots,
			Count:       countBaldwin,
		},
		{
			Name: "nanson", Title: "Nanson's method",
			Description: "Eliminate at once every candidate whose Borda score, over the remaining candidates, is below the mean ('strict', the variant studied by Schwartz) or at or below it ('weak', Nanson's wording), until one remains or all remaining scores are equal. The Condorcet winner is never eliminated.",
			Source:      "E. J. Nanson, 'Methods of election', Trans. Proc. Royal Society of Victoria 19 (1882); Niou, 'A note on Nanson's rule', Public Choice 54 (1987).",
			Ballots:     RankedBallots,
			Variants:    []string{"strict", "weak"},
			Count:       countNanson,
		},
		{
			Name: "bucklin", Title: "Bucklin voting (Grand Junction)",
			Description: "Count first preferences; while no candidate is ranked by a majority of the voters, add the next rank of every ballot. The candidate with the highest total in the round a majority is reached wins (the highest total after the last rank when none is). Candidates tied at a rank each receive a full vote; unranked candidates never do.",
			Source:      "J. W. Bucklin, Grand Junction (Colorado) city charter (1909); Hoag & Hallett, Proportional Representation (1926), ch. 23.",
			Ballots:     RankedBallots,
			Count:       countBucklin,
		},
		{
			Name: "smith-irv", Title: "Smith//IRV",
			Description: "Restrict the count to the Smith set (the smallest set of candidates who each beat every candidate outside it head to head), then count by instant-runoff voting.",
			Source:      "Smith, 'Aggregation of preferences with variable electorate', Econometrica 41 (1973); Green-Armytage, 'Four Condorcet-Hare hybrid methods for single-winner elections', Voting Matters 29 (2011).",
			Ballots:     RankedBallots,
			Count:       countSmithIRV,
		},
		{
			Name: "tideman-alternative", Title: "Tideman's alternative method (Smith)",
			Description: "Repeat: keep only the Smith set of the remaining candidates, then eliminate the one with the fewest first preferences among them, until one remains.",
			Source:      "N. Tideman, Collective Decisions and Voting (2006), ch. 7; Holliday & Pacuit, pref_voting, 'tideman_alternative_smith'.",
			Ballots:     RankedBallots,
			Count:       countTidemanAlternative,
		},
	}
}

// elimination is the record of a count in progress: who is still in it,
// the first preferences when the method moves ballots, and the rounds.
type elimination struct {
	p        *Profile
	tie      TiePolicy
	active   []bool
	fp       *firstPrefs // nil for the methods that move no ballots
	rounds   []Round
	tieBreak string // the last tie decision taken during the count
}

// newElimination starts a count over every candidate; moving says whether
// the method moves ballots to their next preferences.
func newElimination(p *Profile, tie TiePolicy, moving bool) *elimination {
	active := make([]bool, p.N())
	for c := range active {
		active[c] = true
	}
	e := &elimination{p: p, tie: tie, active: active}
	if moving {
		e.fp = newFirstPrefs(p, active)
	}
	return e
}

func (e *elimination) activeList() []int {
	var out []int
	for c, ok := range e.active {
		if ok {
			out = append(out, c)
		}
	}
	return out
}

// addRound records counts (only the active candidates' are kept) and
// returns the new round, valid until the next one is added.
func (e *elimination) addRound(counts []float64, exhausted float64) *Round {
	r := Round{Counts: make([]float64, len(counts)), Active: slices.Clone(e.active), Exhausted: exhausted}
	for c, ok := range e.active {
		if ok {
			r.Counts[c] = counts[c]
		}
	}
	e.rounds = append(e.rounds, r)
	return e.current()
}

func (e *elimination) current() *Round { return &e.rounds[len(e.rounds)-1] }

// firstPrefRound records the current first preferences.
func (e *elimination) firstPrefRound() *Round {
	return e.addRound(e.fp.counts, e.fp.exhausted)
}

// drop eliminates out at the end of the current round, moving their
// ballots.
func (e *elimination) drop(out []int) {
	r := e.current()
	r.Eliminated = append(r.Eliminated, out...)
	r.Transfers = append(r.Transfers, e.fp.eliminate(out)...)
}

// order asks the tie policy to order tied candidates, most favoured first,
// and records its name in the current round.
func (e *elimination) order(tied []int) []int {
	order, name := Resolve(e.tie, tied, TieContext{Rounds: e.rounds, Candidates: e.p.candidates})
	if name != "" {
		e.current().TieBreak = name
		e.tieBreak = name
	}
	return order
}

// loser returns the least favoured of tied candidates.
func (e *elimination) loser(tied []int) int {
	if len(tied) == 1 {
		return tied[0]
	}
	o := e.order(tied)
	return o[len(o)-1]
}

// extreme returns the candidates of cands with the lowest (or highest)
// score, equal scores tying.
func extreme(cands []int, score func(int) float64, highest bool) []int {
	var out []int
	for _, c := range cands {
		switch {
		case len(out) == 0:
			out = []int{c}
		case scoresEqual(score(c), score(out[0])):
			out = append(out, c)
		case (score(c) > score(out[0])) == highest:
			out = []int{c}
		}
	}
	return out
}

// majority returns the leading candidate among act by first preferences
// and whether it holds more than half of the continuing ballots.
func (e *elimination) majority(act []int) (int, bool) {
	counts := e.fp.counts
	leader, total := act[0], 0.0
	for _, c := range act {
		total += counts[c]
		if counts[c] > counts[leader] {
			leader = c
		}
	}
	v := 2 * counts[leader]
	return leader, v > total && !scoresEqual(v, total)
}

// finish builds the result once the winner set is known.
func (e *elimination) finish(winners []int) *Result {
	winners = slices.Clone(winners)
	slices.Sort(winners)
	r := &Result{
		Candidates: slices.Clone(e.p.candidates),
		Winners:    winners,
		Rounds:     e.rounds,
		Ballots:    e.p.voters,
	}
	r.elect(e.tie)
	last := &r.Rounds[len(r.Rounds)-1]
	last.Elected = slices.Clone(r.Elected)
	if r.TieBreak != "" {
		last.TieBreak = r.TieBreak
	} else {
		r.TieBreak = e.tieBreak
	}
	r.Ranking = eliminationRanking(r.Rounds, winners)
	return r
}

// eliminationRanking orders every candidate: the winners, the others still
// in the count by their last tallies, then the eliminated, last eliminated
// first, those eliminated together by their tallies in that round.
func eliminationRanking(rounds []Round, winners []int) [][]int {
	last := rounds[len(rounds)-1]
	out := [][]int{slices.Clone(winners)}
	var rest []int
	for c, ok := range last.Active {
		if ok && !slices.Contains(winners, c) && !slices.Contains(last.Eliminated, c) {
			rest = append(rest, c)
		}
	}
	if len(rest) > 0 {
		out = append(out, orderByScore(rest, func(c int) float64 { return last.Counts[c] })...)
	}
	for i := len(rounds) - 1; i >= 0; i-- {
		r := rounds[i]
		if len(r.Eliminated) > 0 {
			out = append(out, orderByScore(r.Eliminated, func(c int) float64 { return r.Counts[c] })...)
		}
	}
	return out
}

func (e *elimination) names(cs []int) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = e.p.candidates[c]
	}
	return strings.Join(parts, ", ")
}

// instantRunoff counts by IRV from the current state.
func (e *elimination) instantRunoff(variant string, untilTwo bool) *Result {
	for {
		e.firstPrefRound()
		act := e.activeList()
		if len(act) == 1 {
			return e.finish(act)
		}
		leader, majority := e.majority(act)
		if majority && (!untilTwo || len(act) == 2) {
			return e.finish([]int{leader})
		}
		if len(act) == 2 {
			return e.finish(act) // the last two tie
		}
		var out []int
		switch variant {
		case "batch":
			out = e.batchLosers(act)
		case "bottom-two":
			out = []int{e.bottomTwoLoser(act)}
		default:
			out = []int{e.loser(extreme(act, e.count, false))}
		}
		e.drop(out)
	}
}

func (e *elimination) count(c int) float64 { return e.fp.counts[c] }

// batchLosers returns the largest set of lowest candidates whose combined
// votes are below the next candidate's: none of them can win, whatever the
// transfers. At least two candidates are kept. With no such set of two or
// more, it falls back to the single lowest.
func (e *elimination) batchLosers(act []int) []int {
	s := slices.Clone(act)
	slices.SortStableFunc(s, func(a, b int) int {
		switch ca, cb := e.count(a), e.count(b); {
		case ca < cb:
			return -1
		case ca > cb:
			return 1
		}
		return 0
	})
	k, sum := 0, 0.0
	for i := 0; i < len(s)-2; i++ {
		sum += e.count(s[i])
		if next := e.count(s[i+1]); sum < next && !scoresEqual(sum, next) {
			k = i + 1
		}
	}
	if k >= 2 {
		return s[:k]
	}
	return []int{e.loser(extreme(act, e.count, false))}
}

// bottomTwoLoser picks the two lowest candidates (the tie policy choosing
// among equal tallies) and returns the one the other beats head to head.
func (e *elimination) bottomTwoLoser(act []int) int {
	groups := orderByScore(act, e.count)
	var bottom []int
	for i := len(groups) - 1; i >= 0 && len(bottom) < 2; i-- {
		g := groups[i]
		if need := 2 - len(bottom); len(g) > need {
			o := e.order(g)
			g = o[len(o)-need:]
		}
		bottom = append(bottom, g...)
	}
	a, b := bottom[0], bottom[1]
	va, vb := e.headToHead(a, b)
	e.current().Note = fmt.Sprintf("bottom two: %s %g, %s %g head to head",
		e.p.candidates[a], va, e.p.candidates[b], vb)
	switch {
	case va > vb:
		return b
	case vb > va:
		return a
	}
	return e.loser([]int{a, b})
}

// headToHead counts the ballots preferring a to b and b to a. A ballot
// ranking only one of them prefers it, whatever the unranked policy, as it
// would count for it if the other candidates were eliminated. Both are
// continuing, so neither stands before a ballot's top group.
func (e *elimination) headToHead(a, b int) (float64, float64) {
	f := e.fp
	var va, vb float64
	for i := range f.ballots {
		bs := &f.ballots[i]
		for j := bs.top; j < f.starts[i+1]; j++ {
			c := cand(f.cands[j])
			if c != a && c != b {
				continue
			}
			other, tied := a+b-c, false
			for k := f.groupStart(j); k < f.groupEnd(j, f.starts[i+1]); k++ {
				tied = tied || cand(f.cands[k]) == other
			}
			switch {
			case tied:
			case c == a:
				va += float64(f.w[i])
			default:
				vb += float64(f.w[i])
			}
			break
		}
	}
	return va, vb
}

// topCandidates returns the k candidates of act with the most first
// preferences, the tie policy choosing among equal tallies.
func (e *elimination) topCandidates(act []int, k int) []int {
	var top []int
	for _, g := range orderByScore(act, e.count) {
		if len(top) == k {
			break
		}
		if need := k - len(top); len(g) > need {
			g = e.order(g)[:need]
		}
		top = append(top, g...)
	}
	return top
}

func countTwoRound(in Input, o Options) (*Result, error) {
	e := newElimination(in.Ranked, o.Tie, true)
	e.firstPrefRound()
	act := e.activeList()
	if len(act) == 1 {
		return e.finish(act), nil
	}
	if leader, majority := e.majority(act); majority {
		return e.finish([]int{leader}), nil
	}
	if len(act) == 2 {
		return e.finish(act), nil // the first round was the runoff, and it tied
	}
	finalists := e.topCandidates(act, 2)
	var out []int
	for _, c := range act {
		if !slices.Contains(finalists, c) {
			out = append(out, c)
		}
	}
	e.current().Note = "no absolute majority: runoff between " + e.names(finalists)
	e.drop(out)
	e.firstPrefRound().Note = "runoff"
	if leader, majority := e.majority(finalists); majority {
		return e.finish([]int{leader}), nil
	}
	return e.finish(finalists), nil
}

func countCoombs(in Input, o Options) (*Result, error) {
	p := in.Ranked
	e := newElimination(p, o.Tie, true)
	lp := newLastPlaces(p, e.fp)
	for {
		rd := e.firstPrefRound()
		act := e.activeList()
		if len(act) == 1 {
			return e.finish(act), nil
		}
		if leader, majority := e.majority(act); majority {
			return e.finish([]int{leader}), nil
		}
		vetoes := lp.count(len(act))
		rd.Note = "ranked last: " + e.tallies(act, vetoes)
		most := extreme(act, func(c int) float64 { return vetoes[c] }, true)
		if len(act) == 2 && len(most) == 2 {
			return e.finish(act), nil
		}
		e.drop([]int{e.loser(most)})
	}
}

// tallies renders the non-zero values of cands, highest first.
func (e *elimination) tallies(cands []int, v []float64) string {
	var parts []string
	for _, g := range orderByScore(cands, func(c int) float64 { return v[c] }) {
		for _, c := range g {
			if v[c] != 0 {
				parts = append(parts, fmt.Sprintf("%s %g", e.p.candidates[c], v[c]))
			}
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// lastPlaces counts, for Coombs, how many ballots rank each continuing
// candidate last. It keeps for each distinct ballot the start of the lowest
// group that may still hold a continuing candidate, which only moves up.
type lastPlaces struct {
	policy UnrankedPolicy
	fp     *firstPrefs
	full   []bool // the ballot ranks every candidate
	bottom []int32
	vetoes []float64
	sub    []float64
}

func newLastPlaces(p *Profile, fp *firstPrefs) *lastPlaces {
	l := &lastPlaces{
		policy: p.policy,
		fp:     fp,
		full:   make([]bool, p.set.Len()),
		bottom: make([]int32, p.set.Len()),
		vetoes: make([]float64, p.N()),
		sub:    make([]float64, p.N()),
	}
	for i := range l.full {
		start, end := p.set.Starts[i], p.set.Starts[i+1]
		l.full[i] = int(end-start) == p.N()
		if end > start {
			l.bottom[i] = fp.groupStart(end - 1)
		}
	}
	return l
}

// count returns the last-place votes of the continuing candidates (nActive
// of them). An exhausted ballot names no last place.
func (l *lastPlaces) count(nActive int) []float64 {
	f := l.fp
	active := f.active
	clear(l.vetoes)
	clear(l.sub)
	shared := 0.0 // per-candidate share of the votes cast against all unranked continuing candidates
	for i := range f.ballots {
		b := &f.ballots[i]
		if b.top >= f.starts[i+1] {
			continue
		}
		g := l.bottom[i]
		for activeIn(f.cands[g:f.groupEnd(g, f.starts[i+1])], active) == 0 {
			g = f.groupStart(g - 1)
		}
		l.bottom[i] = g
		last := f.cands[g:f.groupEnd(g, f.starts[i+1])]
		if !l.full[i] {
			ranked := f.cands[b.top:f.groupEnd(g, f.starts[i+1])]
			if unranked := nActive - activeIn(ranked, active); unranked > 0 {
				if l.policy == UnrankedLast {
					// The unranked continuing candidates share the last
					// place: add the share to everyone, then take it back
					// from the ranked ones, so the ballot costs O(ranked).
					share := float64(f.w[i]) / float64(unranked)
					shared += share
					for _, v := range ranked {
						if c := cand(v); active[c] {
							l.sub[c] += share
						}
					}
				}
				continue // under UnrankedSkip the ballot names no last place yet
			}
		}
		share := float64(f.w[i]) / float64(activeIn(last, active))
		for _, v := range last {
			if c := cand(v); active[c] {
				l.vetoes[c] += share
			}
		}
	}
	for c, ok := range active {
		if ok {
			l.vetoes[c] += shared - l.sub[c]
		} else {
			l.vetoes[c] = 0
		}
	}
	return l.vetoes
}

// bordaCount holds the net pairwise margins of the remaining candidates,
// from which Baldwin and Nanson read Borda scores: over k remaining
// candidates and V voters, B(c) = ((k-1)·V + net(c)) / 2, the Borda count
// where tied (or uncompared) pairs share the point; its mean is (k-1)·V/2,
// so a score is below the mean exactly when net(c) < 0.
type bordaCount struct {
	m   *Matrix
	net []int64
}

func newBordaCount(m *Matrix) *bordaCount {
	b := &bordaCount{m: m, net: make([]int64, m.N)}
	for c := range b.net {
		for d := range b.net {
			if d != c {
				b.net[c] += m.Margin(c, d)
			}
		}
	}
	return b
}

func (b *bordaCount) remove(out []int, active []bool) {
	for c, ok := range active {
		if ok {
			for _, d := range out {
				b.net[c] -= b.m.Margin(c, d)
			}
		}
	}
}

func (b *bordaCount) scores(k int, voters int64) []float64 {
	s := make([]float64, len(b.net))
	for c, v := range b.net {
		s[c] = (float64(k-1)*float64(voters) + float64(v)) / 2
	}
	return s
}

// newBordaElimination starts a Baldwin or Nanson count: no ballot moves.
func newBordaElimination(p *Profile, tie TiePolicy) (*elimination, *bordaCount, *Matrix) {
	e := newElimination(p, tie, false)
	m := p.Pairwise()
	return e, newBordaCount(m), m
}

func (e *elimination) dropStill(out []int, b *bordaCount) {
	r := e.current()
	r.Eliminated = append(r.Eliminated, out...)
	for _, c := range out {
		e.active[c] = false
	}
	b.remove(out, e.active)
}

func countBaldwin(in Input, o Options) (*Result, error) {
	p := in.Ranked
	e, b, m := newBordaElimination(p, o.Tie)
	for {
		act := e.activeList()
		if len(act) == 1 && len(e.rounds) > 0 {
			break // elected in the round of the last elimination
		}
		e.addRound(b.scores(len(act), p.voters), 0)
		if len(act) == 1 {
			break
		}
		lowest := extreme(act, func(c int) float64 { return float64(b.net[c]) }, false)
		if len(act) == 2 && len(lowest) == 2 {
			break
		}
		e.dropStill([]int{e.loser(lowest)}, b)
	}
	r := e.finish(e.activeList())
	r.Pairwise = m
	return r, nil
}

func countNanson(in Input, o Options) (*Result, error) {
	p := in.Ranked
	e, b, m := newBordaElimination(p, o.Tie)
	for {
		act := e.activeList()
		if len(act) == 1 && len(e.rounds) > 0 {
			break // elected in the round of the last elimination
		}
		rd := e.addRound(b.scores(len(act), p.voters), 0)
		rd.Note = fmt.Sprintf("mean Borda score %g", float64(len(act)-1)*float64(p.voters)/2)
		if len(act) == 1 {
			break
		}
		var out []int
		for _, c := range act {
			if b.net[c] < 0 || o.Variant == "weak" && b.net[c] == 0 {
				out = append(out, c)
			}
		}
		if len(out) == 0 || len(out) == len(act) {
			break // every remaining score equals the mean
		}
		e.dropStill(out, b)
	}
	r := e.finish(e.activeList())
	r.Pairwise = m
	return r, nil
}

func countBucklin(in Input, o Options) (*Result, error) {
	p := in.Ranked
	n := p.N()
	depth := 0
	ballots := p.rankings()
	weights := make([]float64, len(ballots))
	for i, r := range ballots {
		depth = max(depth, len(r))
		weights[i] = float64(p.set.Counts[i])
	}
	all := allCandidates(n)
	totals := make([]float64, n)
	var rounds []Round
	var top []int
	decided := false
	for k := 0; k < max(depth, 1) && !decided; k++ {
		for i, r := range ballots {
			if k < len(r) {
				for _, c := range r[k] {
					totals[c] += weights[i]
				}
			}
		}
		rounds = append(rounds, Round{Counts: slices.Clone(totals), Note: fmt.Sprintf("ranks 1 to %d", k+1)})
		top = extreme(all, func(c int) float64 { return totals[c] }, true)
		v := 2 * totals[top[0]]
		decided = v > float64(p.voters) && !scoresEqual(v, float64(p.voters))
	}
	r := &Result{
		Candidates: slices.Clone(p.candidates),
		Winners:    top,
		Scores:     totals,
		Ranking:    orderByScore(all, func(c int) float64 { return totals[c] }),
		Rounds:     rounds,
		Ballots:    p.voters,
	}
	if !decided {
		r.Notes = append(r.Notes, "no candidate reached a majority of the voters: the highest total after the last rank wins")
	}
	r.elect(o.Tie)
	last := &r.Rounds[len(r.Rounds)-1]
	last.Elected, last.TieBreak = slices.Clone(r.Elected), r.TieBreak
	return r, nil
}

func countSmithIRV(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	all := allCandidates(p.N())
	smith := smithAmong(m, all)
	e := newElimination(p, o.Tie, true)
	if len(smith) < len(all) {
		e.firstPrefRound().Note = "Smith set: " + e.names(smith)
		e.drop(without(all, smith))
	}
	r := e.instantRunoff("standard", false)
	r.Pairwise = m
	r.Notes = append(r.Notes, "Smith set: "+e.names(smith))
	return r, nil
}

func countTidemanAlternative(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	e := newElimination(p, o.Tie, true)
	for {
		act := e.activeList()
		if smith := smithAmong(m, act); len(smith) < len(act) {
			e.firstPrefRound().Note = "Smith set: " + e.names(smith)
			e.drop(without(act, smith))
			act = smith
		}
		e.firstPrefRound()
		if len(act) == 1 {
			r := e.finish(act)
			r.Pairwise = m
			return r, nil
		}
		lowest := extreme(act, e.count, false)
		if len(act) == 2 && len(lowest) == 2 {
			r := e.finish(act)
			r.Pairwise = m
			return r, nil
		}
		e.drop([]int{e.loser(lowest)})
	}
}

// without returns the candidates of all not in keep.
func without(all, keep []int) []int {
	var out []int
	for _, c := range all {
		if !slices.Contains(keep, c) {
			out = append(out, c)
		}
	}
	return out
}

// firstPrefs counts first preferences among the continuing candidates and
// moves ballots on elimination. It works on distinct ballots, laid out in
// one array so that following a ballot reads contiguous memory: each keeps
// the position of its top group holding a continuing candidate, and each
// candidate the list of ballots whose top group holds it, so an
// elimination only touches the eliminated candidates' ballots. A top group
// of k continuing candidates gives each 1/k of the ballot.
type firstPrefs struct {
	// cands holds every ballot, best first: c starts a group, ^c (negative)
	// continues the group before it (a tie).
	cands     []int16
	starts    []int32 // ballot i is cands[starts[i]:starts[i+1]]
	w         []int64 // ballot i is cast by w[i] voters
	ballots   []ballotState
	active    []bool // shared with the elimination
	byTop     [][]int32
	counts    []float64
	exhausted float64
	stamp     uint32
	leaving   []int32 // index in out of each candidate leaving now, or -1
}

type ballotState struct {
	top   int32  // start in cands of the top group; end when exhausted
	width int32  // continuing candidates in the top group
	seen  uint32 // elimination stamp, so a ballot moves once per elimination
}

func cand(v int16) int { return compact.Cand(v) }

// activeIn counts the continuing candidates of a run of cands.
func activeIn(s []int16, active []bool) int {
	k := 0
	for _, v := range s {
		if active[cand(v)] {
			k++
		}
	}
	return k
}

// groupStart returns the start of the group holding position j.
func (f *firstPrefs) groupStart(j int32) int32 {
	for f.cands[j] < 0 {
		j--
	}
	return j
}

// groupEnd returns the end of the group holding position j, in a ballot
// ending at end.
func (f *firstPrefs) groupEnd(j, end int32) int32 {
	for j++; j < end && f.cands[j] < 0; j++ {
	}
	return j
}

// newFirstPrefs reads the profile's own flat array, which has the layout
// of cands.
func newFirstPrefs(p *Profile, active []bool) *firstPrefs {
	f := &firstPrefs{
		cands:   p.set.Cands,
		starts:  p.set.Starts,
		w:       p.set.Counts,
		ballots: make([]ballotState, p.set.Len()),
		active:  active,
		byTop:   make([][]int32, p.N()),
		counts:  make([]float64, p.N()),
		leaving: make([]int32, p.N()),
	}
	for c := range f.leaving {
		f.leaving[c] = -1
	}
	// Size each candidate's list from a counting pass, in one slab: grown
	// by appends, the lists of a million ballots left twice their size in
	// garbage.
	need := make([]int, p.N())
	total := 0
	for i := range p.set.Counts {
		for j, end := p.set.Starts[i], p.set.Starts[i+1]; j < end; {
			k := f.groupEnd(j, end)
			if activeIn(f.cands[j:k], f.active) > 0 {
				for _, v := range f.cands[j:k] {
					if c := cand(v); active[c] {
						need[c]++
						total++
					}
				}
				break
			}
			j = k
		}
	}
	slab := make([]int32, total)
	for c, k := range need {
		f.byTop[c], slab = slab[:0:k], slab[k:]
	}
	assigned := 0.0
	for i, count := range p.set.Counts {
		start := p.set.Starts[i]
		if f.advance(i, start) {
			assigned += float64(count)
		}
	}
	f.exhausted = float64(p.voters) - assigned
	return f
}

// advance moves ballot i to its first group from position j on that holds
// a continuing candidate and credits them; it reports false when the
// ballot is exhausted.
func (f *firstPrefs) advance(i int, j int32) bool {
	b := &f.ballots[i]
	for j < f.starts[i+1] {
		k := f.groupEnd(j, f.starts[i+1])
		if n := activeIn(f.cands[j:k], f.active); n > 0 {
			b.top, b.width = j, int32(n)
			share := float64(f.w[i]) / float64(n)
			for _, v := range f.cands[j:k] {
				if c := cand(v); f.active[c] {
					f.counts[c] += share
					f.byTop[c] = append(f.byTop[c], int32(i))
				}
			}
			return true
		}
		j = k
	}
	b.top = f.starts[i+1]
	return false
}

// reserve grows the lists of the continuing candidates once, by the
// ballots of out that will move to them (a tied ballot may be counted
// twice), so that moving a large part of the ballots leaves no trail of
// outgrown lists behind.
func (f *firstPrefs) reserve(out []int) {
	need := make([]int, len(f.byTop))
	for _, c := range out {
		for _, i := range f.byTop[c] {
			end := f.starts[i+1]
			j := f.groupEnd(f.ballots[i].top, end)
			if activeIn(f.cands[f.ballots[i].top:j], f.active) > 0 {
				continue // stays with the rest of its tied group
			}
			for j < end {
				k := f.groupEnd(j, end)
				if activeIn(f.cands[j:k], f.active) > 0 {
					for _, v := range f.cands[j:k] {
						if x := cand(v); f.active[x] {
							need[x]++
						}
					}
					break
				}
				j = k
			}
		}
	}
	for x, k := range need {
		if k > 0 {
			f.byTop[x] = slices.Grow(f.byTop[x], k)
		}
	}
}

// eliminate removes out from the count and moves their ballots to the
// next continuing preferences, returning the transfers.
func (f *firstPrefs) eliminate(out []int) []Transfer {
	n := len(f.counts)
	f.stamp++
	for k, c := range out {
		f.active[c] = false
		f.leaving[c] = int32(k)
	}
	f.reserve(out)
	// moved[k*(n+1)+t+1]: votes from out[k] to candidate t (-1: exhausted).
	moved := make([]float64, len(out)*(n+1))
	from := make([]int, 0, 4)
	for _, c := range out {
		for _, i := range f.byTop[c] {
			b := &f.ballots[i]
			if b.seen == f.stamp {
				continue // in a tied group with another candidate leaving now
			}
			b.seen = f.stamp
			g := f.cands[b.top:f.groupEnd(b.top, f.starts[i+1])]
			share := float64(f.w[i]) / float64(b.width)
			from = from[:0]
			for _, v := range g {
				if k := f.leaving[cand(v)]; k >= 0 {
					from = append(from, int(k))
				}
			}
			if stay := activeIn(g, f.active); stay > 0 {
				// Others of the tied top group remain: they share the ballot.
				b.width = int32(stay)
				each := share / float64(stay)
				for _, v := range g {
					if x := cand(v); f.active[x] {
						f.counts[x] += each * float64(len(from))
						for _, k := range from {
							moved[k*(n+1)+x+1] += each
						}
					}
				}
				continue
			}
			if !f.advance(int(i), f.groupEnd(b.top, f.starts[i+1])) {
				f.exhausted += float64(f.w[i])
				for _, k := range from {
					moved[k*(n+1)] += share
				}
				continue
			}
			each := share / float64(b.width)
			for _, v := range f.cands[b.top:f.groupEnd(b.top, f.starts[i+1])] {
				if x := cand(v); f.active[x] {
					for _, k := range from {
						moved[k*(n+1)+x+1] += each
					}
				}
			}
		}
		f.byTop[c] = nil
		f.counts[c] = 0
	}
	var tr []Transfer
	for k, c := range out {
		f.leaving[c] = -1
		row := moved[k*(n+1) : (k+1)*(n+1)]
		for t := 1; t <= n; t++ {
			if row[t] != 0 {
				tr = append(tr, Transfer{From: c, To: t - 1, Votes: row[t]})
			}
		}
		if row[0] != 0 {
			tr = append(tr, Transfer{From: c, To: -1, Votes: row[0]})
		}
	}
	return tr
}
