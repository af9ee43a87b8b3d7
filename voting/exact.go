package voting

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// Limits of the exact methods.
const (
	// maxOrderingCandidates bounds Kemeny–Young and Slater: the subset
	// programme keeps two words per subset (16 MiB at 20 candidates), and
	// 20! optimal rankings still fit a uint64.
	maxOrderingCandidates = 20
	// defaultMaxNodes and defaultMaxWork bound the exact Dodgson and
	// Young scores per candidate (Options.Params "max_nodes", "max_work"):
	// branch-and-bound nodes, and simplex tableau cell updates (an upper
	// estimate; the default is at most a second or so of work).
	defaultMaxNodes = 100_000
	defaultMaxWork  = 1 << 31
	// maxTableauCells bounds one linear relaxation (32 MiB of float64).
	maxTableauCells = 1 << 22
)

// exactMethods lists the exact methods over orderings (Kemeny–Young, Dodgson, Young, Slater).
func exactMethods() []Method {
	budget := map[string]string{
		"max_nodes": fmt.Sprintf("branch-and-bound nodes allowed per candidate before the count is refused with ErrTooLarge (a positive integer; default %d)", defaultMaxNodes),
		"max_work":  fmt.Sprintf("simplex tableau cell updates allowed per candidate before the count is refused with ErrTooLarge (a positive integer; default %d)", int64(defaultMaxWork)),
	}
	return []Method{
		{
			Name: "kemeny-young", Title: "Kemeny–Young",
			Description: fmt.Sprintf("The ranking that agrees with the most voter preferences over pairs (its Kemeny score: the sum, over the pairs it orders, of the voters who order them the same way). "+
				"Winners are the candidates ranked first by at least one optimal ranking; Ranking is an optimal ranking headed by the elected candidate; Scores give, per candidate, the best Kemeny score of a ranking it heads; "+
				"the notes give the optimal score and the number of optimal rankings. Exact, by dynamic programming over subsets of candidates; at most %d candidates (ErrTooLarge beyond).", maxOrderingCandidates),
			Source:  "J. G. Kemeny, 'Mathematics without numbers', Daedalus 88 (1959) 577–591; H. P. Young & A. Levenglick, 'A consistent extension of Condorcet's election principle', SIAM J. Appl. Math. 35 (1978) 285–300.",
			Ballots: RankedBallots,
			Count:   countKemeny,
		},
		{
			Name: "slater", Title: "Slater",
			Description: fmt.Sprintf("The ranking that reverses the fewest pairwise majority results; a pair with a zero margin has no majority and is never counted as reversed. "+
				"Winners are the candidates ranked first by at least one optimal ranking; Ranking is an optimal ranking headed by the elected candidate; Scores are minus the fewest reversals of a ranking each candidate heads. "+
				"Exact, by dynamic programming over subsets of candidates; at most %d candidates (ErrTooLarge beyond).", maxOrderingCandidates),
			Source:  "P. J. Slater, 'Inconsistencies in a schedule of paired comparisons', Biometrika 48 (1961) 303–312.",
			Ballots: RankedBallots,
			Count:   countSlater,
		},
		{
			Name: "dodgson", Title: "Dodgson",
			Description: "A candidate's Dodgson score is the fewest swaps of adjacent candidates on the ballots that make it beat every other candidate (a strict Condorcet winner); the lowest score wins. Scores are minus the scores. " +
				"'exact' solves a small integer programme per candidate by branch and bound and needs complete strict rankings (under the 'last' policy one candidate may be left unranked); " +
				"'quick' is Dodgson Quick, the sum over rivals of ceil(max(0, N(d,c) - N(c,d)) / 2), a lower bound; 'tideman' is Tideman's approximation, the sum of the margins of defeat. Both approximations take any ballots.",
			Source: "C. L. Dodgson, 'A method of taking votes on more than two issues' (1876), in D. Black, The Theory of Committees and Elections (1958); " +
				"integer programme: Bartholdi, Tovey & Trick, 'Voting schemes for which it can be difficult to tell who won the election', Soc. Choice Welf. 6 (1989) 157–165; " +
				"quick: McCabe-Dansted, Pritchard & Slinko, 'Approximability of Dodgson's rule', Soc. Choice Welf. 31 (2008) 311–330; tideman: N. Tideman, 'Independence of clones as a criterion for voting rules', Soc. Choice Welf. 4 (1987) 185–206.",
			Ballots:  RankedBallots,
			Variants: []string{"exact", "quick", "tideman"},
			Params:   budget,
			Count:    countDodgson,
		},
		{
			Name: "young", Title: "Young",
			Description: "A candidate's Young score is the largest number of voters who can be kept so that, among them, it is a Condorcet winner; equivalently the fewest voters to remove. The highest score wins; Scores are the voters kept. " +
				"'strict': it must beat every rival (0 when no group of voters makes it do so); 'weak': no rival may beat it. Exact, by branch and bound on a small integer programme per candidate; any ballots.",
			Source:   "H. P. Young, 'Extending Condorcet's rule', J. Econ. Theory 16 (1977) 335–353.",
			Ballots:  RankedBallots,
			Variants: []string{"strict", "weak"},
			Params:   budget,
			Count:    countYoung,
		},
	}
}

// --- Kemeny–Young and Slater -------------------------------------------

// orderingDP finds the strict rankings that maximise the total weight of
// the ordered pairs they keep: a ranking putting i above j earns w[i][j].
// best[S] is the best weight of an ordering of the set S counting only
// pairs inside S. The weight of a ranking splits into its first k
// candidates, the rest, and the pairs across, which depend only on the
// sets; so best[S] = max over c in S of best[S without c] plus the weight
// of the pairs (j, c), j in S: c placed last. That is 2^n·n steps, where
// enumerating rankings takes n! (Held–Karp style; cf. Betzler et al.,
// 'Fixed-parameter algorithms for Kemeny rankings', Theor. Comput. Sci.
// 410 (2009)). w must have a zero diagonal.
type orderingDP struct {
	n  int
	w  [][]int64
	at []subsetBest
}

// subsetBest holds best[S] and how many orderings of S reach it, side by
// side: the programme reads both for the same S.
type subsetBest struct {
	best  int64
	count uint64
}

func newOrderingDP(w [][]int64) *orderingDP {
	n := len(w)
	d := &orderingDP{n: n, w: w, at: make([]subsetBest, 1<<n)}
	d.at[0].count = 1
	// sums[b][c] is the weight of the pairs (j, c) over the members j of
	// the set chosen so far among candidates b..n-1; depth-first over
	// "without b, then with b" visits the sets in increasing order, so
	// every S without c is settled before S.
	sums := make([][]int64, n+1)
	for i := range sums {
		sums[i] = make([]int64, n)
	}
	var walk func(b int, set uint32)
	walk = func(b int, set uint32) {
		if b < 0 {
			if set != 0 {
				d.settle(set, sums[0])
			}
			return
		}
		above, cur := sums[b+1], sums[b]
		copy(cur, above)
		walk(b-1, set)
		for c, wc := range w[b] {
			cur[c] = above[c] + wc
		}
		walk(b-1, set|1<<b)
	}
	walk(n-1, 0)
	return d
}

func (d *orderingDP) settle(set uint32, colsum []int64) {
	best, count := int64(math.MinInt64), uint64(0)
	for rest := set; rest != 0; rest &= rest - 1 {
		c := bits.TrailingZeros32(rest)
		prev := d.at[set&^(1<<c)]
		switch v := prev.best + colsum[c]; {
		case v > best:
			best, count = v, prev.count
		case v == best:
			count += prev.count
		}
	}
	d.at[set] = subsetBest{best, count}
}

func (d *orderingDP) full() uint32 { return 1<<d.n - 1 }

// rowIn is the weight c earns above every other member of set.
func (d *orderingDP) rowIn(c int, set uint32) int64 {
	var s int64
	for rest := set &^ (1 << c); rest != 0; rest &= rest - 1 {
		s += d.w[c][bits.TrailingZeros32(rest)]
	}
	return s
}

// top returns, for each candidate, the best weight of a ranking it heads.
func (d *orderingDP) top() []int64 {
	t := make([]int64, d.n)
	for c := range t {
		t[c] = d.rowIn(c, d.full()) + d.at[d.full()&^(1<<c)].best
	}
	return t
}

// rankingFrom returns an optimal ranking headed by first, which must head
// one: at each step the lowest-numbered candidate that keeps the rest
// optimal goes next.
func (d *orderingDP) rankingFrom(first int) [][]int {
	out := [][]int{{first}}
	set := d.full() &^ (1 << first)
	for set != 0 {
		for rest := set; rest != 0; rest &= rest - 1 {
			c := bits.TrailingZeros32(rest)
			if d.rowIn(c, set)+d.at[set&^(1<<c)].best == d.at[set].best {
				out = append(out, []int{c})
				set &^= 1 << c
				break
			}
		}
	}
	return out
}

// orderingResult reports an ordering optimisation: winners are the heads of
// optimal rankings, scores come from score(best weight of a ranking headed
// by c).
func orderingResult(p *Profile, m *Matrix, d *orderingDP, tie TiePolicy, score func(int64) float64) *Result {
	top := d.top()
	scores := make([]float64, len(top))
	for c, t := range top {
		scores[c] = score(t)
	}
	r := &Result{
		Candidates: p.Candidates(),
		Scores:     scores,
		Rounds:     []Round{{Counts: slices.Clone(scores)}},
		Pairwise:   m,
		Ballots:    p.Voters(),
	}
	for c, t := range top {
		if t == d.at[d.full()].best {
			r.Winners = append(r.Winners, c)
		}
	}
	r.elect(tie)
	r.Ranking = d.rankingFrom(r.Elected[0])
	return r
}

func checkOrderingSize(name string, n int) error {
	if n > maxOrderingCandidates {
		return fmt.Errorf("%w: %s counts at most %d candidates, got %d", ErrTooLarge, name, maxOrderingCandidates, n)
	}
	return nil
}

func countKemeny(in Input, o Options) (*Result, error) {
	p := in.Ranked
	if err := checkOrderingSize("kemeny-young", p.N()); err != nil {
		return nil, err
	}
	// Every ranking's score is a sum over the n(n-1)/2 pairs of at most
	// the voters: refuse what int64 cannot hold rather than overflow.
	if pairs := int64(p.N()) * int64(p.N()-1) / 2; pairs > 0 && p.Voters() > math.MaxInt64/pairs {
		return nil, fmt.Errorf("%w: kemeny-young sums %d voters over %d pairs, past int64", ErrTooLarge, p.Voters(), pairs)
	}
	m := p.Pairwise()
	d := newOrderingDP(m.M)
	r := orderingResult(p, m, d, o.Tie, func(t int64) float64 { return float64(t) })
	var compared int64
	for i := range m.N {
		for j := range m.N {
			compared += m.M[i][j]
		}
	}
	best := d.at[d.full()].best
	r.Notes = append(r.Notes,
		fmt.Sprintf("Optimal Kemeny score %d: voter preferences over pairs kept by the ranking (%d reversed).", best, compared-best),
		fmt.Sprintf("%d optimal ranking(s); the winners are the candidates that head at least one.", d.at[d.full()].count))
	return r, nil
}

func countSlater(in Input, o Options) (*Result, error) {
	p := in.Ranked
	if err := checkOrderingSize("slater", p.N()); err != nil {
		return nil, err
	}
	m := p.Pairwise()
	w := make([][]int64, m.N)
	var edges int64
	for i := range w {
		w[i] = make([]int64, m.N)
		for j := range w[i] {
			if m.Beats(i, j) {
				w[i][j] = 1
				edges++
			}
		}
	}
	d := newOrderingDP(w)
	r := orderingResult(p, m, d, o.Tie, func(t int64) float64 { return float64(t - edges) })
	r.Notes = append(r.Notes,
		fmt.Sprintf("An optimal ranking reverses %d of the %d pairwise majority results; pairs with a zero margin have no majority and are never counted.", edges-d.at[d.full()].best, edges),
		fmt.Sprintf("%d optimal ranking(s); the winners are the candidates that head at least one.", d.at[d.full()].count))
	return r, nil
}

// --- Dodgson and Young ---------------------------------------------------

// budget is the work an exact Dodgson or Young score may take per candidate.
type budget struct {
	nodes int
	work  int64
}

func budgetOf(o Options) (budget, error) {
	b := budget{nodes: defaultMaxNodes, work: defaultMaxWork}
	for name, v := range o.Params { // Run has checked the names
		if v < 1 || v != math.Trunc(v) || v > 1<<53 {
			return budget{}, fmt.Errorf("%w: %s must be a positive integer, got %v", ErrInvalidOption, name, v)
		}
		switch name {
		case "max_nodes":
			b.nodes = int(min(v, math.MaxInt32))
		case "max_work":
			b.work = int64(v)
		}
	}
	return b, nil
}

// scoreNotes renders "A 2, B 3" for per-candidate integer scores.
func scoreNotes(names []string, scores []int64) string {
	parts := make([]string, len(names))
	for c, s := range scores {
		parts[c] = fmt.Sprintf("%s %d", names[c], s)
	}
	return strings.Join(parts, ", ")
}

func countDodgson(in Input, o Options) (*Result, error) {
	p := in.Ranked
	limit, err := budgetOf(o)
	if err != nil {
		return nil, err
	}
	m := p.Pairwise()
	n := p.N()
	scores := make([]int64, n)
	var note string
	switch o.Variant {
	case "quick", "tideman":
		for c := range n {
			for d := range n {
				if def := m.M[d][c] - m.M[c][d]; def > 0 {
					if o.Variant == "quick" {
						def = (def + 1) / 2
					}
					scores[c] += def
				}
			}
		}
		note = "Dodgson Quick scores (a lower bound on the swaps): "
		if o.Variant == "tideman" {
			note = "Tideman scores (sums of the margins of defeat): "
		}
	default:
		orders, counts, err := linearOrders(p)
		if err != nil {
			return nil, err
		}
		for c := range n {
			if scores[c], err = dodgsonScore(orders, counts, m, c, limit); err != nil {
				return nil, fmt.Errorf("dodgson score of %s: %w", p.candidates[c], err)
			}
		}
		note = "Dodgson scores (adjacent swaps): "
	}
	neg := make([]float64, n)
	for c, s := range scores {
		neg[c] = -float64(s)
	}
	r := scoreResult(p.candidates, neg, p.voters, o.Tie)
	r.Pairwise = m
	r.Notes = append(r.Notes, note+scoreNotes(p.candidates, scores)+"; Scores hold their negatives.")
	return r, nil
}

// linearOrders returns each distinct ballot as a complete strict order, or
// ErrWrongBallots: a swap is defined between neighbours on a strict order.
func linearOrders(p *Profile) ([][]int, []int64, error) {
	n := p.N()
	orders := make([][]int, 0, p.set.Len())
	for i, r := range p.rankings() {
		k := r.Ranked()
		if !r.Strict() || k < n-1 || (k == n-1 && p.policy != UnrankedLast) {
			return nil, nil, fmt.Errorf("%w: exact dodgson needs complete strict rankings (ballot %d is %v); use the quick or tideman variant", ErrWrongBallots, i+1, r)
		}
		order := make([]int, 0, n)
		for _, g := range r {
			order = append(order, g[0])
		}
		if k == n-1 {
			pos := r.Positions(n)
			order = append(order, slices.Index(pos, -1))
		}
		orders = append(orders, order)
	}
	return orders, slices.Clone(p.set.Counts), nil
}

// dodgsonScore is the fewest adjacent swaps making c a strict Condorcet
// winner. Swaps that do not raise c are never needed, so a voter's edit is
// "raise c by k places": c then passes the k candidates just above it. c
// must pass rival d on need(d) = floor(def/2)+1 ballots, def = N(d,c) -
// N(c,d) >= 0, each pass adding 2 to its margin. The integer programme
// (after Bartholdi, Tovey & Trick) has one variable per ballot kind and
// stopping place: how many of those voters raise c to just above the
// rival at that place; it covers every need and uses each voter once.
func dodgsonScore(orders [][]int, counts []int64, m *Matrix, c int, limit budget) (int64, error) {
	need := make([]int64, m.N)
	var rivals []int
	for d := range m.N {
		if def := m.M[d][c] - m.M[c][d]; d != c && def >= 0 {
			need[d] = def/2 + 1
			rivals = append(rivals, d)
		}
	}
	if len(rivals) == 0 {
		return 0, nil
	}
	// Only the places where a needed rival sits matter: stopping elsewhere
	// costs swaps and passes no one new that counts. Ballots alike up to
	// the last needed rival above c are one kind.
	type stop struct{ place, rival int }
	kinds := map[string]int{}
	var stops [][]stop
	var weight []int64
	for bi, order := range orders {
		at := slices.Index(order, c)
		var ss []stop
		var key strings.Builder
		for k := 1; k <= at; k++ {
			if d := order[at-k]; need[d] > 0 {
				ss = append(ss, stop{k, d})
				fmt.Fprintf(&key, "%d:%d,", k, d)
			}
		}
		if len(ss) == 0 {
			continue
		}
		if i, ok := kinds[key.String()]; ok {
			weight[i] += counts[bi]
			continue
		}
		kinds[key.String()] = len(stops)
		stops = append(stops, ss)
		weight = append(weight, counts[bi])
	}
	row := map[int]int{}
	for i, d := range rivals {
		row[d] = i
	}
	var nv int
	for _, ss := range stops {
		nv += len(ss)
	}
	if err := checkProgramSize(len(rivals)+len(stops), nv); err != nil {
		return 0, err
	}
	prog := &coverProgram{}
	for _, d := range rivals {
		prog.b = append(prog.b, need[d])
	}
	prog.a = make([][]int64, len(rivals)+len(stops))
	for i := range prog.a {
		prog.a[i] = make([]int64, nv)
	}
	v := 0
	for t, ss := range stops {
		for i, s := range ss {
			prog.cost = append(prog.cost, int64(s.place))
			prog.hi = append(prog.hi, -1) // bounded by the kind's row
			for _, passed := range ss[:i+1] {
				prog.a[row[passed.rival]][v] = 1
			}
			prog.a[len(rivals)+t][v] = -1
			v++
		}
		prog.b = append(prog.b, -weight[t])
	}
	opt, _, ok, err := prog.solve(limit)
	if err != nil {
		return 0, err
	}
	if !ok {
		// Only a profile without ballots leaves no way to win: every
		// margin is 0 and stays 0. Score it 0, as the approximations do.
		return 0, nil
	}
	return opt, nil
}

func countYoung(in Input, o Options) (*Result, error) {
	p := in.Ranked
	limit, err := budgetOf(o)
	if err != nil {
		return nil, err
	}
	m := p.Pairwise()
	n := p.N()
	threshold := int64(1)
	if o.Variant == "weak" {
		threshold = 0
	}
	kept := make([]int64, n)
	removed := make([]int64, n)
	var impossible []string
	for c := range n {
		k, ok, err := youngRemovals(p, m, c, threshold, limit)
		if err != nil {
			return nil, fmt.Errorf("young score of %s: %w", p.candidates[c], err)
		}
		if !ok {
			removed[c] = -1
			impossible = append(impossible, p.candidates[c])
			continue
		}
		removed[c], kept[c] = k, p.voters-k
	}
	scores := make([]float64, n)
	for c, k := range kept {
		scores[c] = float64(k)
	}
	r := scoreResult(p.candidates, scores, p.voters, o.Tie)
	r.Pairwise = m
	r.Notes = append(r.Notes, "Voters to remove: "+scoreNotes(p.candidates, removed)+".")
	if len(impossible) > 0 {
		r.Notes = append(r.Notes, "No group of voters makes "+strings.Join(impossible, ", ")+" beat every rival (-1 above); scored 0.")
	}
	return r, nil
}

// youngRemovals is the fewest voters to remove so that c's margin over
// every rival reaches threshold (1: strict, 0: weak). A voter's effect on
// c is a vector over rivals (+1 prefers c, -1 prefers the rival, 0 does
// not compare them); voters with the same vector are one variable, and
// only vectors with a -1 are worth removing. ok is false when no removal
// works.
func youngRemovals(p *Profile, m *Matrix, c int, threshold int64, limit budget) (int64, bool, error) {
	n := p.N()
	var rivals []int
	for d := range n {
		if d != c {
			rivals = append(rivals, d)
		}
	}
	kinds := map[string]int{}
	var effects [][]int64
	var weight []int64
	effect := make([]int64, len(rivals))
	for bi, r := range p.rankings() {
		pos := r.Positions(n)
		helps := false
		var key strings.Builder
		for i, d := range rivals {
			effect[i] = compare(pos[c], pos[d], p.policy)
			helps = helps || effect[i] < 0
			fmt.Fprintf(&key, "%d,", effect[i])
		}
		if !helps {
			continue
		}
		if i, ok := kinds[key.String()]; ok {
			weight[i] += p.set.Counts[bi]
			continue
		}
		kinds[key.String()] = len(effects)
		effects = append(effects, slices.Clone(effect))
		weight = append(weight, p.set.Counts[bi])
	}
	prog := &coverProgram{a: make([][]int64, len(rivals))}
	for i, d := range rivals {
		prog.b = append(prog.b, threshold-m.Margin(c, d))
		prog.a[i] = make([]int64, len(effects))
		for v, e := range effects {
			prog.a[i][v] = -e[i]
		}
	}
	for v := range effects {
		prog.cost = append(prog.cost, 1)
		prog.hi = append(prog.hi, weight[v])
	}
	opt, _, ok, err := prog.solve(limit)
	return opt, ok, err
}

// compare says how a ballot with positions pa, pb (-1: unranked) orders a
// and b: +1 a above, -1 b above, 0 tied or not compared, as Pairwise does.
func compare(pa, pb int, policy UnrankedPolicy) int64 {
	switch {
	case pa < 0 && pb < 0:
		return 0
	case pa < 0 || pb < 0:
		if policy == UnrankedSkip {
			return 0
		}
		if pa < 0 {
			return -1
		}
		return 1
	case pa < pb:
		return 1
	case pb < pa:
		return -1
	}
	return 0
}

// --- A small integer programme solver ------------------------------------

// coverProgram is: minimise cost·x subject to a·x >= b and 0 <= x <= hi
// (hi[j] < 0: no bound), x integer, every cost >= 0. Dodgson and Young
// scores are such programmes, with a row per rival (and, for Dodgson, one
// per kind of ballot) and a variable per kind of ballot (and stopping
// place).
type coverProgram struct {
	a    [][]int64
	b    []int64
	cost []int64
	hi   []int64
	work int64 // tableau cell updates so far
}

// solve runs a depth-first branch and bound on the linear relaxation. It
// returns the optimum and a solution, ok = false when no integer point is
// feasible, or ErrTooLarge past the budget or maxTableauCells.
func (p *coverProgram) solve(limit budget) (int64, []int64, bool, error) {
	nv := len(p.cost)
	type node struct{ lo, hi []int64 }
	stack := []node{{lo: make([]int64, nv), hi: slices.Clone(p.hi)}}
	var bestX []int64
	best := int64(math.MaxInt64)
	for nodes := 0; len(stack) > 0; nodes++ {
		if nodes >= limit.nodes {
			return 0, nil, false, fmt.Errorf("%w: more than %d branch-and-bound nodes (raise max_nodes)", ErrTooLarge, limit.nodes)
		}
		nd := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		x, val, feasible, err := p.relax(nd.lo, nd.hi, limit.work)
		if err != nil {
			return 0, nil, false, err
		}
		// Costs are integers, so a bound within rounding of the incumbent
		// cannot improve on it.
		if !feasible || math.Ceil(val-1e-6) >= float64(best) {
			continue
		}
		branch, frac := -1, 1e-6
		for j, v := range x {
			if f := math.Abs(v - math.Round(v)); f > frac {
				branch, frac = j, f
			}
		}
		if branch < 0 {
			xi := make([]int64, nv)
			for j, v := range x {
				xi[j] = int64(math.Round(v))
			}
			if !p.feasible(xi) {
				return 0, nil, false, fmt.Errorf("voting: integer programme: rounding error on a relaxation")
			}
			if obj := p.objective(xi); obj < best {
				best, bestX = obj, xi
			}
			continue
		}
		f := math.Floor(x[branch])
		down := node{lo: nd.lo, hi: slices.Clone(nd.hi)}
		down.hi[branch] = int64(f)
		up := node{lo: slices.Clone(nd.lo), hi: nd.hi}
		up.lo[branch] = int64(f) + 1
		// Raising a variable tends to reach a feasible cover sooner, so
		// the up branch is searched first (pushed last).
		stack = append(stack, down, up)
	}
	if bestX == nil {
		return 0, nil, false, nil
	}
	return best, bestX, true, nil
}

// checkProgramSize refuses a relaxation whose tableau (a row per
// constraint, a column per variable and surplus) would pass maxTableauCells.
func checkProgramSize(rows, vars int) error {
	if rows*(vars+rows+1) > maxTableauCells {
		return fmt.Errorf("%w: integer programme of %d variables and %d constraints", ErrTooLarge, vars, rows)
	}
	return nil
}

func (p *coverProgram) objective(x []int64) int64 {
	var s int64
	for j, v := range x {
		s += p.cost[j] * v
	}
	return s
}

func (p *coverProgram) feasible(x []int64) bool {
	for j, v := range x {
		if v < 0 || (p.hi[j] >= 0 && v > p.hi[j]) {
			return false
		}
	}
	for i, row := range p.a {
		var s int64
		for j, a := range row {
			s += a * x[j]
		}
		if s < p.b[i] {
			return false
		}
	}
	return true
}

// relax solves the linear relaxation with lo <= x <= hi and returns x and
// cost·x. It substitutes x = lo + y and runs the dual simplex on "min
// cost·y, A'y >= b', y >= 0" (bounds hi become rows -y_j >= lo_j - hi_j).
// With cost >= 0 the all-surplus basis is dual feasible from the start, so
// there is no phase one, and the tableau has one row per constraint: few
// rivals and ballot kinds, not one per variable.
func (p *coverProgram) relax(lo, hi []int64, maxWork int64) ([]float64, float64, bool, error) {
	nv := len(p.cost)
	type row struct {
		a   []int64 // nil: the bound row of variable j
		j   int
		rhs int64
	}
	var rows []row
	for i, a := range p.a {
		b := p.b[i]
		for j, aj := range a {
			b -= aj * lo[j]
		}
		rows = append(rows, row{a: a, rhs: b})
	}
	for j, h := range hi {
		if h < 0 {
			continue
		}
		if h < lo[j] {
			return nil, 0, false, nil
		}
		rows = append(rows, row{j: j, rhs: lo[j] - h})
	}
	base := float64(p.objective(lo))
	mr := len(rows)
	if err := checkProgramSize(mr, nv); err != nil {
		return nil, 0, false, err
	}
	width := nv + mr + 1
	// Row i reads -a_i·y + s_i = -b'_i with surplus s_i >= 0 basic.
	t := make([][]float64, mr)
	for i, r := range rows {
		t[i] = make([]float64, width)
		if r.a == nil {
			t[i][r.j] = 1
		} else {
			for j, a := range r.a {
				t[i][j] = -float64(a)
			}
		}
		t[i][nv+i] = 1
		t[i][width-1] = -float64(r.rhs)
	}
	// Reduced costs; the last cell holds minus the objective.
	z := make([]float64, width)
	for j, c := range p.cost {
		z[j] = float64(c)
	}
	basis := make([]int, mr)
	for i := range basis {
		basis[i] = nv + i
	}
	const eps = 1e-9
	for it := 0; ; it++ {
		if p.work > maxWork {
			return nil, 0, false, fmt.Errorf("%w: more than %d simplex tableau updates (raise max_work)", ErrTooLarge, maxWork)
		}
		// Leave: the most negative basic value, or once pivots run long
		// the lowest-indexed negative one (Bland's rule, which cannot cycle).
		bland := it > 5*width
		leave := -1
		for i := range t {
			v := t[i][width-1]
			if v >= -eps {
				continue
			}
			if leave < 0 || (bland && basis[i] < basis[leave]) || (!bland && v < t[leave][width-1]) {
				leave = i
			}
		}
		if leave < 0 {
			break
		}
		// Enter: the column keeping the reduced costs non-negative.
		enter := -1
		var ratio float64
		for k, a := range t[leave][:width-1] {
			if a >= -eps {
				continue
			}
			if q := max(z[k], 0) / -a; enter < 0 || q < ratio-eps {
				enter, ratio = k, q
			}
		}
		if enter < 0 {
			return nil, 0, false, nil // the row cannot be satisfied: infeasible node
		}
		pivot(t, z, leave, enter)
		basis[leave] = enter
		p.work += int64(mr * width)
	}
	x := make([]float64, nv)
	for j := range x {
		x[j] = float64(lo[j])
	}
	for i, b := range basis {
		if b < nv {
			x[b] += t[i][width-1]
		}
	}
	return x, base - z[width-1], true, nil
}

// pivot makes column c basic in row r.
func pivot(t [][]float64, z []float64, r, c int) {
	pr := t[r]
	inv := 1 / pr[c]
	for k := range pr {
		pr[k] *= inv
	}
	pr[c] = 1
	eliminate := func(row []float64) {
		f := row[c]
		if f == 0 {
			return
		}
		for k, v := range pr {
			row[k] -= f * v
		}
		row[c] = 0
	}
	for i, row := range t {
		if i != r {
			eliminate(row)
		}
	}
	eliminate(z)
}
