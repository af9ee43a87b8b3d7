package committee

import (
	"fmt"
	"math"
	"slices"

	"github.com/civickit/civickit/voting"
)

// Options tune a committee count.
type Options struct {
	// Tie orders tied candidates (most favoured first); default
	// voting.CandidateOrder, which is abcvoting's resolute tie-breaking.
	Tie voting.TiePolicy
	// MaxNodes bounds the branch and bound of the exact Thiele rules
	// (PAV, SLAV, CC); default 10^7. Their search also stops after 10^10
	// elementary steps (bounds and gain updates), so that a refusal
	// comes within about a minute whatever the number of voters.
	MaxNodes int64
	// MaxWork bounds the enumeration of the exact Monroe and minimax AV:
	// committees times ballots (Monroe: times voters); default 10^8.
	MaxWork float64
}

// tol is the relative tolerance of float comparisons between scores.
const tol = 1e-9

func near(a, b float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// counter carries what every rule shares: the profile, the seats, the
// tie policy and the result being built.
type counter struct {
	p   *Profile
	k   int
	o   Options
	res *voting.Result
}

func newCounter(p *Profile, k int, o Options, method string) (*counter, error) {
	if p == nil {
		return nil, fmt.Errorf("%w: no profile", voting.ErrInvalidProfile)
	}
	if k < 1 || k > p.N() {
		return nil, fmt.Errorf("%w: committee size %d must be between 1 and the %d candidates", voting.ErrInvalidOption, k, p.N())
	}
	if o.Tie == nil {
		o.Tie = voting.CandidateOrder()
	}
	res := &voting.Result{Method: method, Candidates: p.Candidates(), Ballots: int64(p.voters)}
	return &counter{p: p, k: k, o: o, res: res}, nil
}

// best returns the candidates among cands whose value is the highest
// (or lowest when low), the tie broken by the policy: the first of
// Resolve's order.
func (c *counter) best(cands []int, value func(int) float64, low bool) int {
	var tied []int
	var bv float64
	for _, x := range cands {
		v := value(x)
		if low {
			v = -v
		}
		switch {
		case len(tied) == 0 || (v > bv && !near(v, bv)):
			bv, tied = v, append(tied[:0], x)
		case near(v, bv):
			tied = append(tied, x)
		}
	}
	if len(tied) > 1 {
		ord, name := voting.Resolve(c.o.Tie, tied, voting.TieContext{Rounds: c.res.Rounds, Candidates: c.res.Candidates})
		c.res.TieBreak = name
		return ord[0]
	}
	return tied[0]
}

// worst is the candidate Resolve favours least among those of lowest
// value: an elimination tie removes the last.
func (c *counter) worst(cands []int, value func(int) float64) int {
	var tied []int
	var bv float64
	for _, x := range cands {
		v := value(x)
		switch {
		case len(tied) == 0 || (v < bv && !near(v, bv)):
			bv, tied = v, append(tied[:0], x)
		case near(v, bv):
			tied = append(tied, x)
		}
	}
	if len(tied) > 1 {
		ord, name := voting.Resolve(c.o.Tie, tied, voting.TieContext{Rounds: c.res.Rounds, Candidates: c.res.Candidates})
		c.res.TieBreak = name
		return ord[len(ord)-1]
	}
	return tied[0]
}

func (c *counter) done(committee []int) *voting.Result {
	w := slices.Clone(committee)
	slices.Sort(w)
	c.res.Winners, c.res.Elected = w, slices.Clone(w)
	return c.res
}

// round records one step: the criterion per candidate (NaN-free; absent
// candidates get 0 and Active false).
func (c *counter) round(counts []float64, active []bool, elected []int, note string) {
	c.res.Rounds = append(c.res.Rounds, voting.Round{Counts: counts, Active: active, Elected: elected, Note: note})
}

func remaining(n int, in []bool) []int {
	var out []int
	for x := range n {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

// --- Separable rules: AV, SAV ---------------------------------------------

// AV elects the k candidates of highest approval weight.
func AV(p *Profile, k int, o Options) (*voting.Result, error) {
	c, err := newCounter(p, k, o, "av")
	if err != nil {
		return nil, err
	}
	return c.topK(p.approvalScores(), "approvals"), nil
}

// SAV (satisfaction approval voting) elects the k candidates of highest
// score, a voter approving a candidates giving 1/a to each.
func SAV(p *Profile, k int, o Options) (*voting.Result, error) {
	c, err := newCounter(p, k, o, "sav")
	if err != nil {
		return nil, err
	}
	s := make([]float64, p.N())
	for b, set := range p.ballots {
		for _, x := range set {
			s[x] += p.weights[b] / float64(len(set))
		}
	}
	return c.topK(s, "satisfaction scores"), nil
}

func (c *counter) topK(score []float64, what string) *voting.Result {
	c.res.Scores = score
	in := make([]bool, c.p.N())
	var w []int
	for range c.k {
		x := c.best(remaining(c.p.N(), in), func(x int) float64 { return score[x] }, false)
		in[x] = true
		w = append(w, x)
	}
	c.res.Notes = append(c.res.Notes, fmt.Sprintf("The %d candidates of highest %s.", c.k, what))
	return c.done(w)
}

// --- Thiele rules ----------------------------------------------------------

// thiele is a Thiele rule: a voter with t approved members scores
// Σ_{j<=t} weight(j).
type thiele struct {
	name   string
	weight func(j int) float64
}

var (
	pavW  = thiele{"pav", func(j int) float64 { return 1 / float64(j) }}
	slavW = thiele{"slav", func(j int) float64 { return 1 / float64(2*j-1) }}
	ccW   = thiele{"cc", func(j int) float64 {
		if j == 1 {
			return 1
		}
		return 0
	}}
)

// score is the Thiele score of a committee.
func (t thiele) score(p *Profile, committee []int) float64 {
	in := make([]bool, p.N())
	for _, x := range committee {
		in[x] = true
	}
	s := 0.0
	for b, set := range p.ballots {
		n := 0
		for _, x := range set {
			if in[x] {
				n++
				s += p.weights[b] * t.weight(n)
			}
		}
	}
	return s
}

// SeqThiele adds, k times, the candidate of greatest marginal Thiele
// score (seq-PAV, seq-SLAV, seq-CC).
func seqThiele(p *Profile, k int, o Options, t thiele) (*voting.Result, error) {
	c, err := newCounter(p, k, o, "seq-"+t.name)
	if err != nil {
		return nil, err
	}
	sat := make([]int, len(p.ballots)) // members approved per ballot
	appr := p.approvers()
	wt := make([]float64, k+2)
	for j := 1; j < len(wt); j++ {
		wt[j] = t.weight(j)
	}
	in := make([]bool, p.N())
	var w []int
	// gain[x] is x's marginal score; electing x changes it only for the
	// candidates its approvers also approve.
	base := make([]float64, p.N())
	for x := range base {
		for _, b := range appr[x] {
			base[x] += p.weights[b] * wt[1]
		}
	}
	for range k {
		gain := slices.Clone(base) // this round's record keeps its copy
		x := c.best(remaining(p.N(), in), func(x int) float64 { return gain[x] }, false)
		act := make([]bool, p.N())
		for y := range act {
			act[y] = !in[y]
		}
		c.round(gain, act, []int{x}, "marginal "+t.name+" score")
		in[x] = true
		w = append(w, x)
		for _, b := range appr[x] {
			sat[b]++
			delta := p.weights[b] * (wt[sat[b]+1] - wt[sat[b]])
			for _, y := range p.ballots[b] {
				base[y] += delta
			}
		}
	}
	c.res.Scores = nil
	c.res.Notes = append(c.res.Notes, fmt.Sprintf("%s score of the committee: %.6g.", t.name, t.score(p, w)))
	return c.done(w), nil
}

// SeqPAV is sequential proportional approval voting.
func SeqPAV(p *Profile, k int, o Options) (*voting.Result, error) { return seqThiele(p, k, o, pavW) }

// SeqSLAV is sequential Sainte-Laguë approval voting.
func SeqSLAV(p *Profile, k int, o Options) (*voting.Result, error) {
	return seqThiele(p, k, o, slavW)
}

// SeqCC is sequential Chamberlin–Courant (greedy coverage).
func SeqCC(p *Profile, k int, o Options) (*voting.Result, error) { return seqThiele(p, k, o, ccW) }

// RevSeqPAV starts from all candidates and removes, one at a time, the
// one whose removal costs least PAV score, until k remain.
func RevSeqPAV(p *Profile, k int, o Options) (*voting.Result, error) {
	c, err := newCounter(p, k, o, "rev-seq-pav")
	if err != nil {
		return nil, err
	}
	sat := make([]int, len(p.ballots))
	for b, set := range p.ballots {
		sat[b] = len(set)
	}
	appr := p.approvers()
	out := make([]bool, p.N())
	for n := p.N(); n > k; n-- {
		loss := make([]float64, p.N())
		for x := range loss {
			for _, b := range appr[x] {
				loss[x] += p.weights[b] * pavW.weight(sat[b])
			}
		}
		x := c.worst(remaining(p.N(), out), func(x int) float64 { return loss[x] })
		act := make([]bool, p.N())
		for y := range act {
			act[y] = !out[y]
		}
		c.res.Rounds = append(c.res.Rounds, voting.Round{Counts: loss, Active: act, Eliminated: []int{x}, Note: "PAV score lost by removing each candidate"})
		out[x] = true
		for _, b := range appr[x] {
			sat[b]--
		}
	}
	return c.done(remaining(p.N(), out)), nil
}

// exactThiele maximises a Thiele score over committees of size k by
// depth-first branch and bound: candidates by decreasing approval weight,
// each included or not; a branch is cut when its score plus the k-|W|
// largest marginal gains of the candidates left (an upper bound, the
// scores being submodular) cannot beat the best committee found (seeded
// by the sequential rule). Refused past Options.MaxNodes nodes.
func exactThiele(p *Profile, k int, o Options, t thiele) (*voting.Result, error) {
	c, err := newCounter(p, k, o, t.name)
	if err != nil {
		return nil, err
	}
	limit := o.MaxNodes
	if limit <= 0 {
		limit = 1e7
	}
	seed, err := seqThiele(p, k, o, t)
	if err != nil {
		return nil, err
	}
	best := t.score(p, seed.Elected)
	bestSet := slices.Clone(seed.Elected)
	order := make([]int, p.N())
	for i := range order {
		order[i] = i
	}
	av := p.approvalScores()
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case av[a] > av[b]:
			return -1
		case av[a] < av[b]:
			return 1
		}
		return 0
	})
	appr := p.approvers()
	sat := make([]int, len(p.ballots))
	// wt[j] is the weight of a voter's j-th approved member (wt[0] unused).
	wt := make([]float64, k+2)
	for j := 1; j < len(wt); j++ {
		wt[j] = t.weight(j)
	}
	// gains[d][x] is x's marginal score given the d members chosen on the
	// current branch; adding a member updates only the candidates its
	// approvers also approve.
	gains := make([][]float64, k+1)
	for d := range gains {
		gains[d] = make([]float64, p.N())
	}
	for x := range p.N() {
		for _, b := range appr[x] {
			gains[0][x] += p.weights[b] * wt[1]
		}
	}
	var chosen []int
	var nodes, work int64
	const maxWork = 1e10
	tooLarge := false
	top := make([]float64, 0, p.N())
	var dfs func(i int, score float64)
	dfs = func(i int, score float64) {
		nodes++
		work += int64(p.N())
		if nodes > limit || work > maxWork {
			tooLarge = true
			return
		}
		d := len(chosen)
		if d == k {
			if score > best && !near(score, best) {
				best, bestSet = score, slices.Clone(chosen)
			}
			return
		}
		if p.N()-i < k-d {
			return
		}
		g := gains[d]
		top = top[:0]
		for _, x := range order[i:] {
			top = append(top, g[x])
		}
		slices.SortFunc(top, func(a, b float64) int {
			switch {
			case a > b:
				return -1
			case a < b:
				return 1
			}
			return 0
		})
		bound := score
		for _, v := range top[:k-d] {
			bound += v
		}
		if bound < best || near(bound, best) {
			return
		}
		x := order[i]
		next := gains[d+1]
		copy(next, g)
		for _, b := range appr[x] {
			work += int64(len(p.ballots[b]))
			sat[b]++
			delta := p.weights[b] * (wt[sat[b]+1] - wt[sat[b]])
			for _, y := range p.ballots[b] {
				next[y] += delta
			}
		}
		chosen = append(chosen, x)
		dfs(i+1, score+g[x])
		chosen = chosen[:d]
		for _, b := range appr[x] {
			sat[b]--
		}
		if !tooLarge {
			dfs(i+1, score)
		}
	}
	dfs(0, 0)
	if tooLarge {
		return nil, fmt.Errorf("%w: %s over %d candidates, committee %d: branch and bound passed %d nodes or %.0g steps (limits: MaxNodes %d, 10^10 steps)", voting.ErrTooLarge, t.name, p.N(), k, nodes, float64(work), limit)
	}
	c.res.Notes = append(c.res.Notes, fmt.Sprintf("Exact optimum: %s score %.6g, proven by branch and bound in %d nodes.", t.name, best, nodes))
	return c.done(bestSet), nil
}

// PAV is proportional approval voting, solved exactly.
func PAV(p *Profile, k int, o Options) (*voting.Result, error) { return exactThiele(p, k, o, pavW) }

// SLAV is Sainte-Laguë approval voting, solved exactly.
func SLAV(p *Profile, k int, o Options) (*voting.Result, error) { return exactThiele(p, k, o, slavW) }

// CC is Chamberlin–Courant (approval), solved exactly.
func CC(p *Profile, k int, o Options) (*voting.Result, error) { return exactThiele(p, k, o, ccW) }

// --- Phragmén family ---------------------------------------------------------

// seqPhragmen continues a committee with sequential Phragmén from the
// given loads (per ballot, per unit of weight).
func (c *counter) seqPhragmen(in []bool, w []int, load []float64) []int {
	p := c.p
	appr := p.approvers()
	for len(w) < c.k {
		nl := make([]float64, p.N())
		for x := range nl {
			sw, sl := 0.0, 0.0
			for _, b := range appr[x] {
				sw += p.weights[b]
				sl += p.weights[b] * load[b]
			}
			if sw == 0 {
				nl[x] = float64(c.k + 1)
			} else {
				nl[x] = (sl + 1) / sw
			}
		}
		x := c.best(remaining(p.N(), in), func(x int) float64 { return nl[x] }, true)
		act := make([]bool, p.N())
		for y := range act {
			act[y] = !in[y]
		}
		c.round(nl, act, []int{x}, "new maximal load if elected")
		for _, b := range appr[x] {
			load[b] = nl[x]
		}
		in[x] = true
		w = append(w, x)
	}
	return w
}

// SeqPhragmen is Phragmén's sequential rule: each elected candidate puts
// a load of 1 on its approvers, spread so that the largest load grows
// least.
func SeqPhragmen(p *Profile, k int, o Options) (*voting.Result, error) {
	c, err := newCounter(p, k, o, "seq-phragmen")
	if err != nil {
		return nil, err
	}
	w := c.seqPhragmen(make([]bool, p.N()), nil, make([]float64, len(p.ballots)))
	return c.done(w), nil
}

// PhragmenEnestrom: each voter starts with their weight as budget; a
// committee seat costs n/k; the candidate whose approvers hold the most
// budget wins and they pay the price in proportion to their budgets (all
// of it when they hold less).
func PhragmenEnestrom(p *Profile, k int, o Options) (*voting.Result, error) {
	c, err := newCounter(p, k, o, "phragmen-enestrom")
	if err != nil {
		return nil, err
	}
	budget := slices.Clone(p.weights)
	price := p.voters / float64(k)
	in := make([]bool, p.N())
	var w []int
	for range k {
		supp := make([]float64, p.N())
		for b, set := range p.ballots {
			if budget[b] <= 0 {
				continue
			}
			for _, x := range set {
				supp[x] += budget[b]
			}
		}
		x := c.best(remaining(p.N(), in), func(x int) float64 { return supp[x] }, false)
		c.round(supp, nil, []int{x}, "budget of the approvers")
		mult := 0.0
		if supp[x] > price {
			mult = (supp[x] - price) / supp[x]
		}
		for b, set := range p.ballots {
			if slices.Contains(set, x) {
				budget[b] *= mult
			}
		}
		in[x] = true
		w = append(w, x)
	}
	return c.done(w), nil
}

// Consensus is the consensus rule (Lackner & Skowron): each round every
// voter receives their weight in budget; the candidate whose approvers
// with positive budget hold the most wins, and those approvers pay n in
// total, in proportion to their weights.
func Consensus(p *Profile, k int, o Options) (*voting.Result, error) {
	c, err := newCounter(p, k, o, "consensus")
	if err != nil {
		return nil, err
	}
	budget := make([]float64, len(p.ballots))
	in := make([]bool, p.N())
	var w []int
	for range k {
		for b := range budget {
			budget[b] += p.weights[b]
		}
		supp := make([]float64, p.N())
		for b, set := range p.ballots {
			if budget[b] <= 0 || near(budget[b], 0) {
				continue
			}
			for _, x := range set {
				supp[x] += budget[b]
			}
		}
		x := c.best(remaining(p.N(), in), func(x int) float64 { return supp[x] }, false)
		c.round(supp, nil, []int{x}, "budget of the approvers")
		sw := 0.0
		var payers []int
		for b, set := range p.ballots {
			if budget[b] > 0 && !near(budget[b], 0) && slices.Contains(set, x) {
				sw += p.weights[b]
				payers = append(payers, b)
			}
		}
		for _, b := range payers {
			budget[b] -= p.weights[b] * p.voters / sw
		}
		in[x] = true
		w = append(w, x)
	}
	return c.done(w), nil
}

// --- Method of Equal Shares --------------------------------------------------

// MESCompletion names how MES fills the seats it leaves empty.
type MESCompletion string

const (
	// CompletePhragmen continues with sequential Phragmén from the
	// voters' remaining budgets (abcvoting's default).
	CompletePhragmen MESCompletion = "seq-phragmen"
	// CompleteAV adds the remaining candidates of highest approval.
	CompleteAV MESCompletion = "av"
	// CompleteIncrement raises the voters' budget from k/n in steps of
	// 1/n until MES alone fills the k seats.
	CompleteIncrement MESCompletion = "increment"
	// CompleteNone returns what MES alone elects (possibly fewer than k).
	CompleteNone MESCompletion = "none"
)

// mes runs the Method of Equal Shares with each voter holding share per
// unit of weight and each seat costing 1; it returns the committee and
// the budgets left.
func (c *counter) mes(share float64) ([]int, []bool, []float64) {
	p := c.p
	appr := p.approvers()
	budget := make([]float64, len(p.ballots))
	for b := range budget {
		budget[b] = share * p.weights[b]
	}
	in := make([]bool, p.N())
	var w []int
	for len(w) < c.k {
		q := make([]float64, p.N())
		var afford []int
		for _, x := range remaining(p.N(), in) {
			if v, ok := mesPrice(appr[x], budget, p.weights); ok {
				q[x] = v
				afford = append(afford, x)
			}
		}
		if len(afford) == 0 {
			break
		}
		x := c.best(afford, func(x int) float64 { return q[x] }, true)
		c.round(q, nil, []int{x}, "price per unit of weight (affordable candidates)")
		for _, b := range appr[x] {
			budget[b] -= math.Min(budget[b], q[x]*p.weights[b])
		}
		in[x] = true
		w = append(w, x)
	}
	return w, in, budget
}

// mesPrice is the least q such that the approvers, each paying
// min(budget, q·weight), pay 1.
func mesPrice(appr []int, budget, weight []float64) (float64, bool) {
	held := 0.0
	for _, b := range appr {
		held += budget[b]
	}
	if len(appr) == 0 || held < 1 && !near(held, 1) {
		return 0, false
	}
	s := slices.Clone(appr)
	slices.SortFunc(s, func(a, b int) int {
		x, y := budget[a]/weight[a], budget[b]/weight[b]
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	paid, wsum := 0.0, 0.0
	for _, b := range s {
		wsum += weight[b]
	}
	q := 0.0
	for _, b := range s {
		q = (1 - paid) / wsum
		if budget[b]/weight[b] >= q || near(budget[b]/weight[b], q) {
			return q, true
		}
		paid += budget[b]
		wsum -= weight[b]
		if wsum <= 0 {
			break
		}
	}
	return q, true
}

// MES is the Method of Equal Shares for committees (Peters & Skowron
// 2020): each voter holds k/n per unit of weight, each seat costs 1, the
// candidate affordable at the lowest price per unit of weight is elected
// and its approvers pay min(budget, price·weight). Seats left empty are
// filled by the completion.
func MES(p *Profile, k int, o Options, completion MESCompletion) (*voting.Result, error) {
	c, err := newCounter(p, k, o, "mes")
	if err != nil {
		return nil, err
	}
	c.res.Variant = string(completion)
	n := p.voters
	w, in, budget := c.mes(float64(k) / n)
	if len(w) < k {
		c.res.Notes = append(c.res.Notes, fmt.Sprintf("MES alone elected %d of %d.", len(w), k))
	}
	switch completion {
	case CompleteNone:
	case CompletePhragmen:
		load := make([]float64, len(budget))
		for b := range load {
			load[b] = -budget[b] / p.weights[b]
		}
		w = c.seqPhragmen(in, w, load)
	case CompleteAV:
		av := p.approvalScores()
		for len(w) < k {
			x := c.best(remaining(p.N(), in), func(x int) float64 { return av[x] }, false)
			in[x] = true
			w = append(w, x)
		}
	case CompleteIncrement:
		approved := 0
		for _, s := range p.approvalScores() {
			if s > 0 {
				approved++
			}
		}
		if approved < k {
			r, err := AV(p, k, o)
			if err == nil {
				r.Method, r.Variant = "mes", string(completion)
				r.Notes = append(r.Notes, "Fewer approved candidates than seats: AV decides.")
			}
			return r, err
		}
		for j := k + 1; len(w) < k; j++ {
			c.res.Rounds = nil
			w, _, _ = c.mes(float64(j) / n)
			if len(w) == k {
				c.res.Notes = append(c.res.Notes, fmt.Sprintf("Budget raised to %d/n per voter.", j))
			}
		}
	default:
		return nil, fmt.Errorf("%w: MES completion %q (seq-phragmen, av, increment, none)", voting.ErrInvalidOption, completion)
	}
	return c.done(w), nil
}

// --- Monroe and minimax AV -----------------------------------------------------

// GreedyMonroe elects, k times, the candidate approved by the most
// voters not yet represented, and assigns to it up to n/k of them (the
// first n mod k candidates take one more), those cast first. Voters are
// unit-weight: the weights must be whole numbers.
func GreedyMonroe(p *Profile, k int, o Options) (*voting.Result, error) {
	c, err := newCounter(p, k, o, "greedy-monroe")
	if err != nil {
		return nil, err
	}
	voters, err := unitVoters(p)
	if err != nil {
		return nil, err
	}
	n := len(voters)
	left := make([]bool, n)
	for i := range left {
		left[i] = true
	}
	in := make([]bool, p.N())
	var w []int
	for t := range k {
		cnt := make([]float64, p.N())
		for i, set := range voters {
			if left[i] {
				for _, x := range set {
					cnt[x]++
				}
			}
		}
		x := c.best(remaining(p.N(), in), func(x int) float64 { return cnt[x] }, false)
		c.round(cnt, nil, []int{x}, "approvals among voters not yet represented")
		quota := n / k
		if t < n-k*(n/k) {
			quota++
		}
		for i, set := range voters {
			if quota > 0 && left[i] && slices.Contains(set, x) {
				left[i] = false
				quota--
			}
		}
		in[x] = true
		w = append(w, x)
	}
	return c.done(w), nil
}

func unitVoters(p *Profile) ([][]int, error) {
	var out [][]int
	for _, cb := range p.cast {
		if cb.weight != math.Trunc(cb.weight) || p.voters > 1e6 {
			return nil, fmt.Errorf("%w: Monroe needs whole-number weights and at most 10^6 voters", voting.ErrInvalidOption)
		}
		for range int(cb.weight) {
			out = append(out, p.ballots[cb.ballot])
		}
	}
	return out, nil
}

// combinations calls f with each k-subset of 0..n-1 in lexicographic
// order, until f returns false.
func combinations(n, k int, f func([]int) bool) {
	s := make([]int, k)
	for i := range s {
		s[i] = i
	}
	for {
		if !f(s) {
			return
		}
		i := k - 1
		for i >= 0 && s[i] == n-k+i {
			i--
		}
		if i < 0 {
			return
		}
		s[i]++
		for j := i + 1; j < k; j++ {
			s[j] = s[j-1] + 1
		}
	}
}

func binomial(n, k int) float64 {
	r := 1.0
	for i := range k {
		r = r * float64(n-i) / float64(i+1)
	}
	return r
}

func (c *counter) checkWork(name string, work float64) error {
	limit := c.o.MaxWork
	if limit <= 0 {
		limit = 1e8
	}
	if work > limit {
		return fmt.Errorf("%w: %s over %d candidates, committee %d: %.3g steps of enumeration, limit %.3g (raise MaxWork)", voting.ErrTooLarge, name, c.p.N(), c.k, work, limit)
	}
	return nil
}

// Monroe maximises the number of voters assigned to an approved member
// when each member represents n/k voters (rounded down or up), by
// enumerating committees and solving the assignment of each as a maximum
// flow. Refused when committees × voters² passes Options.MaxWork.
func Monroe(p *Profile, k int, o Options) (*voting.Result, error) {
	c, err := newCounter(p, k, o, "monroe")
	if err != nil {
		return nil, err
	}
	voters, err := unitVoters(p)
	if err != nil {
		return nil, err
	}
	n := len(voters)
	if err := c.checkWork("monroe", binomial(p.N(), k)*float64(n*n)); err != nil {
		return nil, err
	}
	best := -1
	var bestSet []int
	combinations(p.N(), k, func(w []int) bool {
		if s := monroeScore(voters, w); s > best {
			best, bestSet = s, slices.Clone(w)
		}
		return true
	})
	c.res.Notes = append(c.res.Notes, fmt.Sprintf("Exact optimum by enumeration: %d of %d voters represented by an approved member.", best, n))
	return c.done(bestSet), nil
}

// monroeScore is the largest number of voters assignable to an approved
// member of w: a maximum flow source → voter → approved member → sink,
// each member taking ⌊n/k⌋ voters directly and one more through a shared
// node that admits n mod k.
func monroeScore(voters [][]int, w []int) int {
	n, k := len(voters), len(w)
	pos := map[int]int{}
	for j, x := range w {
		pos[x] = j
	}
	// Nodes: 0 source, 1..n voters, n+1..n+k members, n+k+1 extra, n+k+2 sink.
	g := newFlow(n + k + 3)
	src, extra, sink := 0, n+k+1, n+k+2
	for v, set := range voters {
		g.edge(src, 1+v, 1)
		for _, x := range set {
			if j, ok := pos[x]; ok {
				g.edge(1+v, 1+n+j, 1)
			}
		}
	}
	for j := range k {
		g.edge(1+n+j, sink, n/k)
		g.edge(1+n+j, extra, 1)
	}
	g.edge(extra, sink, n%k)
	return g.max(src, sink)
}

// flow is a small residual graph for Edmonds–Karp.
type flow struct {
	adj [][]int // edge ids per node
	to  []int
	cap []int
}

func newFlow(n int) *flow { return &flow{adj: make([][]int, n)} }

func (f *flow) edge(a, b, c int) {
	f.adj[a] = append(f.adj[a], len(f.to))
	f.to, f.cap = append(f.to, b), append(f.cap, c)
	f.adj[b] = append(f.adj[b], len(f.to))
	f.to, f.cap = append(f.to, a), append(f.cap, 0)
}

func (f *flow) max(s, t int) int {
	total := 0
	prev := make([]int, len(f.adj))
	for {
		for i := range prev {
			prev[i] = -1
		}
		prev[s] = -2
		queue := []int{s}
		for len(queue) > 0 && prev[t] == -1 {
			u := queue[0]
			queue = queue[1:]
			for _, e := range f.adj[u] {
				if v := f.to[e]; f.cap[e] > 0 && prev[v] == -1 {
					prev[v] = e
					queue = append(queue, v)
				}
			}
		}
		if prev[t] == -1 {
			return total
		}
		for v := t; v != s; v = f.to[prev[v]^1] {
			f.cap[prev[v]]--
			f.cap[prev[v]^1]++
		}
		total++
	}
}

// MinimaxAV minimises the largest Hamming distance between a ballot and
// the committee, by enumeration (refused when committees × ballots
// passes Options.MaxWork).
func MinimaxAV(p *Profile, k int, o Options) (*voting.Result, error) {
	c, err := newCounter(p, k, o, "minimax-av")
	if err != nil {
		return nil, err
	}
	if err := c.checkWork("minimax-av", binomial(p.N(), k)*float64(len(p.ballots))); err != nil {
		return nil, err
	}
	best := math.MaxInt
	var bestSet []int
	in := make([]bool, p.N())
	combinations(p.N(), k, func(w []int) bool {
		for _, x := range w {
			in[x] = true
		}
		worst := 0
		for _, set := range p.ballots {
			common := 0
			for _, x := range set {
				if in[x] {
					common++
				}
			}
			if d := len(set) + k - 2*common; d > worst {
				worst = d
			}
			if worst >= best {
				break
			}
		}
		for _, x := range w {
			in[x] = false
		}
		if worst < best {
			best, bestSet = worst, slices.Clone(w)
		}
		return true
	})
	c.res.Notes = append(c.res.Notes, fmt.Sprintf("Exact optimum by enumeration: largest Hamming distance to a ballot %d.", best))
	return c.done(bestSet), nil
}
