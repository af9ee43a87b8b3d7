package stv

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/civickit/civickit/voting"
)

var errOption = voting.ErrInvalidOption

// Report is an STV count: the Result every civickit method returns (with
// a round per stage, its transfers, exhausted votes and a note naming the
// quota and the action), and the stages with their values written exactly
// as the arithmetic holds them ("1234.56789"), for comparison with a
// published result sheet.
type Report struct {
	Result *voting.Result `json:"result"`
	Rules  Rules          `json:"rules"`
	Seats  int            `json:"seats"`
	// Valid is the number of ballots ranking at least one candidate.
	Valid int64 `json:"valid"`
	// Stages are the counts after each stage, exactly.
	Stages []Stage `json:"stages"`
}

// Stage is one stage of the count with exact values.
type Stage struct {
	// Action is "first" (first preferences), "surplus", "exclusion" or
	// "iteration" (Meek and Warren, one per stage of elections or
	// exclusions), "fill" (the remaining candidates fill the seats).
	Action string `json:"action"`
	// Candidate is whose surplus or papers moved at this stage (several,
	// comma-separated, when a rule moves every surplus at once).
	Candidate string `json:"candidate,omitempty"`
	// Value is the transfer value of a surplus (Inclusive, LastParcel).
	Value string `json:"value,omitempty"`
	Quota string `json:"quota"`
	// Votes is each candidate's total after the stage, in candidate order.
	Votes []string `json:"votes"`
	// Exhausted is the value of papers with no continuing preference and
	// Loss the value lost to truncation, both cumulated.
	Exhausted string `json:"exhausted"`
	Loss      string `json:"loss"`
	// Elected and Excluded list who was elected or excluded at the stage.
	Elected  []string `json:"elected,omitempty"`
	Excluded []string `json:"excluded,omitempty"`
}

// strictOnly is the refusal of a ballot with equal rankings.
const strictOnly = "equal rankings can be split only by the Gregory methods (inclusive, last-parcel transfers): use equal=2 (truncate) or equal=3 (skip) with this rule"

// ballotSet is the profile as flat arrays: the distinct rankings
// (candidate numbers, equal preferences encoded as in loadBallots) and
// their counts.
type ballotSet struct {
	cands  []int16
	starts []int32
	counts []int64
	valid  int64
}

func (b *ballotSet) ranking(i int32) []int16 { return b.cands[b.starts[i]:b.starts[i+1]] }

// loadBallots flattens p. A group of equally ranked candidates is stored
// as its first candidate c then ^c for each other one (as voting's
// compact profile does); ties are refused unless allowed.
func loadBallots(p *voting.Profile, equal EqualRanks, split bool) (*ballotSet, error) {
	d := p.Distinct()
	b := &ballotSet{starts: make([]int32, 1, d+1), counts: make([]int64, 0, d), cands: make([]int16, 0, 4*d)}
	for r, n := range p.Ballots() {
		if !r.Strict() {
			switch equal {
			case Split:
				if !split {
					return nil, fmt.Errorf("%w: %s", voting.ErrInvalidBallot, strictOnly)
				}
			case Truncate:
				r = r[:slices.IndexFunc(r, func(g []int) bool { return len(g) > 1 })]
			case Skip:
				r = slices.DeleteFunc(slices.Clone(r), func(g []int) bool { return len(g) > 1 })
			}
		}
		if len(r) == 0 {
			// Not a valid vote (or no longer one): a voter, not counted.
			continue
		}
		for _, g := range r {
			for k, c := range g {
				if k > 0 {
					c = ^c
				}
				b.cands = append(b.cands, int16(c))
			}
		}
		b.starts = append(b.starts, int32(len(b.cands)))
		b.counts = append(b.counts, n)
		b.valid += n
	}
	return b, nil
}

// Count counts p for seats seats with rules; tie decides ties between
// candidates (for a surplus, the first is transferred first; for an
// exclusion, the last is excluded). A nil tie is the rule's default:
// earliest unequal stage, then lot drawn from rules.Seed.
func Count(p *voting.Profile, seats int, rules Rules, tie voting.TiePolicy) (*Report, error) {
	if err := rules.Validate(); err != nil {
		return nil, err
	}
	if seats < 1 {
		return nil, fmt.Errorf("%w: seats %d: want at least 1", errOption, seats)
	}
	if seats > p.N() {
		return nil, fmt.Errorf("%w: %d seats for %d candidates", errOption, seats, p.N())
	}
	if tie == nil {
		tie = voting.Chain(voting.Forward(), voting.Lot(rules.Seed))
	}
	// Equal rankings split a paper: defined for the Gregory methods.
	split := rules.Transfer == Inclusive || rules.Transfer == LastParcel
	b, err := loadBallots(p, rules.EqualRanks, split)
	if err != nil {
		return nil, err
	}
	rep := &Report{Rules: rules, Seats: seats, Valid: b.valid}
	res := &voting.Result{Candidates: p.Candidates(), Ballots: p.Voters()}
	rep.Result = res
	switch {
	case rules.Transfer == Meek || rules.Transfer == Warren:
		c := &meekCount{f: newFixed(rules.Decimals), b: b, rules: rules, seats: seats, tie: tie, rep: rep}
		c.run()
	case rules.Decimals < 0:
		c := newTransferCount[*big.Rat](exact{}, b, rules, seats, tie, rep)
		c.run()
	default:
		c := newTransferCount[int64](newFixed(rules.Decimals), b, rules, seats, tie, rep)
		c.run()
	}
	res.Winners = slices.Clone(res.Elected)
	res.Ranking = ranking(res, p.N())
	res.Notes = append([]string{
		fmt.Sprintf("STV %s: %d seats, %d valid ballots, %s quota, %s transfers, %s.", rules.Name, seats, b.valid, rules.Quota, rules.Transfer, precision(rules.Decimals)),
	}, res.Notes...)
	return rep, nil
}

func precision(dec int) string {
	switch dec {
	case -1:
		return "exact rational arithmetic"
	case 0:
		return "whole votes"
	}
	return fmt.Sprintf("values truncated to %d decimals", dec)
}

// ranking orders the elected in order of election, then the others by
// their last count, then the excluded, last excluded first.
func ranking(r *voting.Result, n int) [][]int {
	var out [][]int
	placed := make([]bool, n)
	for _, c := range r.Elected {
		out = append(out, []int{c})
		placed[c] = true
	}
	var excluded []int
	for _, rd := range r.Rounds {
		excluded = append(excluded, rd.Eliminated...)
	}
	var rest []int
	for c := range n {
		if !placed[c] && !slices.Contains(excluded, c) {
			rest = append(rest, c)
		}
	}
	if len(r.Rounds) > 0 {
		last := r.Rounds[len(r.Rounds)-1].Counts
		slices.SortStableFunc(rest, func(a, b int) int {
			switch {
			case last[a] > last[b]:
				return -1
			case last[a] < last[b]:
				return 1
			}
			return 0
		})
	}
	for _, c := range rest {
		out = append(out, []int{c})
	}
	for i := len(excluded) - 1; i >= 0; i-- {
		out = append(out, []int{excluded[i]})
	}
	return out
}

// status of a candidate during a count.
type status uint8

const (
	hopeful status = iota
	elected
	excluded
)

// paper is a bundle of identical papers: n copies of ranking b, each of
// value w, now with the candidate at position pos of the ranking.
type paper[T any] struct {
	b   int32
	pos int32
	n   int64
	w   T
}

// transferCount is a count by surplus transfers (Inclusive, LastParcel,
// WholeVotes) in arithmetic A.
type transferCount[T any] struct {
	a       arith[T]
	b       *ballotSet
	rules   Rules
	seats   int
	tie     voting.TiePolicy
	rep     *Report
	names   []string
	quota   T
	votes   []T
	status  []status
	parcels [][][]paper[T] // parcels[c]: what c received, in order
	pending []int          // elected, surplus not yet transferred
	exh     T              // exhausted, cumulated
	loss    T              // lost to truncation, cumulated
	elected int
	rng     *rand.Rand
}

func newTransferCount[T any](a arith[T], b *ballotSet, rules Rules, seats int, tie voting.TiePolicy, rep *Report) *transferCount[T] {
	n := len(rep.Result.Candidates)
	c := &transferCount[T]{a: a, b: b, rules: rules, seats: seats, tie: tie, rep: rep, names: rep.Result.Candidates,
		votes: make([]T, n), status: make([]status, n), parcels: make([][][]paper[T], n), exh: a.fromInt(0), loss: a.fromInt(0)}
	for i := range c.votes {
		c.votes[i] = a.fromInt(0)
	}
	if rules.Transfer == WholeVotes {
		c.rng = rand.New(rand.NewPCG(rules.Seed, 0x6972697368)) // "irish"
	}
	return c
}

// quotaOf computes the quota from the valid votes.
func quotaOf[T any](a arith[T], q Quota, valid int64, seats int) T {
	v := a.fromInt(valid)
	switch q {
	case Hare:
		return a.divInt(v, int64(seats))
	case DroopExact:
		return a.divInt(v, int64(seats+1))
	case DroopFractional:
		return a.add(a.divInt(v, int64(seats+1)), a.ulp())
	}
	return a.add(a.floor(a.divInt(v, int64(seats+1))), a.fromInt(1))
}

// reached reports whether v meets the quota (passes it, for DroopExact).
func (c *transferCount[T]) reached(v T) bool {
	d := c.a.cmp(v, c.quota)
	return d > 0 || (d == 0 && c.rules.Quota != DroopExact)
}

func (c *transferCount[T]) run() {
	a := c.a
	c.quota = quotaOf(a, c.rules.Quota, c.b.valid, c.seats)
	// First preferences: one parcel per candidate.
	first := make([][]paper[T], len(c.votes))
	one := a.fromInt(1)
	for i, n := range c.b.counts {
		r := c.b.ranking(int32(i))
		g := r[:groupEnd(r, 0)]
		w := one
		if len(g) > 1 {
			// Equal first preferences share the paper.
			w = a.divInt(one, int64(len(g)))
			c.loss = a.add(c.loss, a.mulInt(a.sub(one, a.mulInt(w, int64(len(g)))), n))
		}
		for _, v := range g {
			cand := candOf(v)
			first[cand] = append(first[cand], paper[T]{b: int32(i), n: n, w: w})
			c.votes[cand] = a.add(c.votes[cand], a.mulInt(w, n))
		}
	}
	for cand, p := range first {
		if p != nil {
			c.parcels[cand] = [][]paper[T]{p}
		}
	}
	st := Stage{Action: "first"}
	rd := c.round()
	for {
		c.electReached(rd, &st)
		c.finishStage(st)
		if c.elected == c.seats && (!c.rules.BatchSurplus || len(c.pending) == 0) {
			break
		}
		if h := c.hopefuls(); c.elected < c.seats && len(h) <= c.seats-c.elected {
			// The continuing candidates fill the remaining seats.
			rd.Note = "the continuing candidates fill the remaining seats"
			st = Stage{Action: "fill"}
			for _, x := range c.byVotes(h) {
				c.elect(x, rd, &st)
			}
			c.finishStage(st)
			break
		}
		var trs []voting.Transfer
		if len(c.pending) > 0 {
			batch := []int{c.byVotesFirst(c.pending)}
			if c.rules.BatchSurplus {
				batch = c.byVotes(c.pending)
			}
			var notes, names []string
			var values []string
			for _, x := range batch {
				c.pending = slices.DeleteFunc(c.pending, func(y int) bool { return y == x })
				surplus := a.str(a.sub(c.votes[x], c.quota))
				t, value := c.transferSurplus(x)
				trs = append(trs, t...)
				names, values = append(names, c.names[x]), append(values, a.str(value))
				notes = append(notes, fmt.Sprintf("surplus of %s (%s) transferred at value %s", c.names[x], surplus, a.str(value)))
			}
			st = Stage{Action: "surplus", Candidate: strings.Join(names, ", "), Value: strings.Join(values, ", ")}
			rd.Note = fmt.Sprintf("quota %s; %s", a.str(c.quota), strings.Join(notes, "; "))
		} else {
			out := []int{c.lowest()}
			if c.rules.BatchElimination {
				out = c.batchLosers()
			}
			var names []string
			for _, x := range out {
				names = append(names, c.names[x])
				c.status[x] = excluded // before any moves: none receives another's papers
			}
			rd.Eliminated = out
			rd.Note = fmt.Sprintf("quota %s; %s excluded", a.str(c.quota), strings.Join(names, ", "))
			st = Stage{Action: "exclusion", Candidate: strings.Join(names, ", "), Excluded: names}
			for _, x := range out {
				trs = append(trs, c.exclude(x)...)
			}
		}
		rd.Transfers = trs
		rd = c.round()
	}
}

// round appends a round holding the current counts.
func (c *transferCount[T]) round() *voting.Round {
	res := c.rep.Result
	counts := make([]float64, len(c.votes))
	active := make([]bool, len(c.votes))
	for i, v := range c.votes {
		counts[i] = c.a.float(v)
		active[i] = c.status[i] != excluded
	}
	res.Rounds = append(res.Rounds, voting.Round{Counts: counts, Active: active, Exhausted: c.a.float(c.exh)})
	return &res.Rounds[len(res.Rounds)-1]
}

func (c *transferCount[T]) finishStage(st Stage) {
	st.Quota = c.a.str(c.quota)
	st.Exhausted = c.a.str(c.exh)
	st.Loss = c.a.str(c.loss)
	for _, v := range c.votes {
		st.Votes = append(st.Votes, c.a.str(v))
	}
	c.rep.Stages = append(c.rep.Stages, st)
}

func (c *transferCount[T]) hopefuls() []int {
	var out []int
	for i, s := range c.status {
		if s == hopeful {
			out = append(out, i)
		}
	}
	return out
}

// electReached elects every hopeful at or past the quota, most votes first.
func (c *transferCount[T]) electReached(rd *voting.Round, st *Stage) {
	var got []int
	for _, x := range c.hopefuls() {
		if c.reached(c.votes[x]) {
			got = append(got, x)
		}
	}
	for _, x := range c.byVotes(got) {
		if c.elected < c.seats {
			c.elect(x, rd, st)
			if c.a.cmp(c.votes[x], c.quota) > 0 {
				c.pending = append(c.pending, x)
			}
		}
	}
}

func (c *transferCount[T]) elect(x int, rd *voting.Round, st *Stage) {
	c.status[x] = elected
	c.elected++
	rd.Elected = append(rd.Elected, x)
	c.rep.Result.Elected = append(c.rep.Result.Elected, x)
	st.Elected = append(st.Elected, c.names[x])
}

// byVotes orders cs by votes, most first, ties by the tie policy.
func (c *transferCount[T]) byVotes(cs []int) []int {
	s := slices.Clone(cs)
	slices.SortStableFunc(s, func(x, y int) int { return c.a.cmp(c.votes[y], c.votes[x]) })
	var out []int
	for i := 0; i < len(s); {
		j := i + 1
		for j < len(s) && c.a.cmp(c.votes[s[j]], c.votes[s[i]]) == 0 {
			j++
		}
		out = append(out, c.resolve(s[i:j])...)
		i = j
	}
	return out
}

func (c *transferCount[T]) byVotesFirst(cs []int) int {
	// The largest surplus is the largest vote (every pending candidate
	// passed the same quota).
	return c.byVotes(cs)[0]
}

// lowest returns the hopeful to exclude.
func (c *transferCount[T]) lowest() int {
	h := c.byVotes(c.hopefuls())
	return h[len(h)-1]
}

func (c *transferCount[T]) resolve(tied []int) []int {
	if len(tied) < 2 {
		return tied
	}
	res := c.rep.Result
	order, name := voting.Resolve(c.tie, tied, voting.TieContext{Rounds: res.Rounds, Candidates: res.Candidates})
	rd := &res.Rounds[len(res.Rounds)-1]
	rd.TieBreak = name
	res.TieBreak = name
	return order
}

// batchLosers returns the hopefuls excluded together under batch
// elimination: the lowest k whose votes added up stay below the votes of
// the (k+1)-th lowest, for the largest such k that leaves at least as many
// hopefuls as seats to fill (at least the lowest one). None of them could
// overtake a candidate above them with the others' votes.
func (c *transferCount[T]) batchLosers() []int {
	a := c.a
	order := c.byVotes(c.hopefuls())
	slices.Reverse(order) // lowest first
	keep := c.seats - c.elected
	best := 1
	sum := a.fromInt(0)
	for k := 1; k < len(order) && len(order)-k >= keep; k++ {
		sum = a.add(sum, c.votes[order[k-1]])
		if a.cmp(sum, c.votes[order[k]]) < 0 {
			best = k
		}
	}
	return order[:best]
}

// next returns the position of the next hopeful on ranking b after pos,
// or -1.
func (c *transferCount[T]) next(b, pos int32) int32 {
	r := c.b.ranking(b)
	for k := int32(groupEnd(r, int(pos))); k < int32(len(r)); {
		e := int32(groupEnd(r, int(k)))
		for j := k; j < e; j++ {
			if c.status[candOf(r[j])] == hopeful {
				return k
			}
		}
		k = e
	}
	return -1
}

// groupEnd returns the end of the group of equal preferences starting at
// i in an encoded ranking.
func groupEnd(r []int16, i int) int {
	for i++; i < len(r) && r[i] < 0; i++ {
	}
	return i
}

// candOf decodes an entry of an encoded ranking.
func candOf(v int16) int {
	if v < 0 {
		return int(^v)
	}
	return int(v)
}

// move sends papers on to their next hopeful preferences at the values
// value(p) gives, returning the transfers from x.
func (c *transferCount[T]) move(x int, parcels [][]paper[T], value func(p paper[T]) T) []voting.Transfer {
	a := c.a
	n := len(c.votes)
	got := make([][]paper[T], n)
	moved := make([]T, n)
	for i := range moved {
		moved[i] = a.fromInt(0)
	}
	exh := a.fromInt(0)
	for _, parcel := range parcels {
		for _, p := range parcel {
			w := value(p)
			k := c.next(p.b, p.pos)
			if k < 0 {
				exh = a.add(exh, a.mulInt(w, p.n))
				continue
			}
			r := c.b.ranking(p.b)
			if e := groupEnd(r, int(k)); e == int(k)+1 {
				to := candOf(r[k])
				got[to] = append(got[to], paper[T]{b: p.b, pos: k, n: p.n, w: w})
				moved[to] = a.add(moved[to], a.mulInt(w, p.n))
			} else {
				// Equal preferences: the paper is split equally between the
				// group's hopefuls (the truncated remainder is lost).
				m := 0
				for _, v := range r[k:e] {
					if c.status[candOf(v)] == hopeful {
						m++
					}
				}
				piece := a.divInt(w, int64(m))
				c.loss = a.add(c.loss, a.mulInt(a.sub(w, a.mulInt(piece, int64(m))), p.n))
				for _, v := range r[k:e] {
					if to := candOf(v); c.status[to] == hopeful {
						got[to] = append(got[to], paper[T]{b: p.b, pos: k, n: p.n, w: piece})
						moved[to] = a.add(moved[to], a.mulInt(piece, p.n))
					}
				}
			}
		}
	}
	var trs []voting.Transfer
	for to := range n {
		if got[to] == nil {
			continue
		}
		c.parcels[to] = append(c.parcels[to], got[to])
		c.votes[to] = a.add(c.votes[to], moved[to])
		trs = append(trs, voting.Transfer{From: x, To: to, Votes: a.float(moved[to])})
	}
	c.exh = a.add(c.exh, exh)
	if a.sign(exh) > 0 {
		trs = append(trs, voting.Transfer{From: x, To: -1, Votes: a.float(exh)})
	}
	return trs
}

// exclude moves every paper of x at its value.
func (c *transferCount[T]) exclude(x int) []voting.Transfer {
	c.status[x] = excluded
	parcels := c.parcels[x]
	c.parcels[x] = nil
	trs := c.move(x, parcels, func(p paper[T]) T { return p.w })
	c.votes[x] = c.a.fromInt(0)
	return trs
}

// transferSurplus moves x's surplus and returns the transfers and the
// transfer value (of a paper of value 1; for Inclusive, the ratio).
func (c *transferCount[T]) transferSurplus(x int) ([]voting.Transfer, T) {
	a := c.a
	surplus := a.sub(c.votes[x], c.quota)
	before := a.add(a.add(c.sum(), c.exh), c.loss)
	var trs []voting.Transfer
	var value T
	switch c.rules.Transfer {
	case Inclusive:
		all := c.parcels[x]
		total := c.votes[x]
		value = a.mulDiv(a.fromInt(1), surplus, total)
		if c.rules.SurplusFraction {
			trs = c.move(x, all, func(p paper[T]) T { return a.mulDiv(p.w, value, a.fromInt(1)) })
		} else {
			trs = c.move(x, all, func(p paper[T]) T { return a.mulDiv(p.w, surplus, total) })
		}
	case LastParcel:
		last := c.parcels[x][len(c.parcels[x])-1]
		// The transfer value is surplus / value of the transferable
		// papers, capped at the value the papers came with.
		tv := a.fromInt(0)
		for _, p := range last {
			if c.next(p.b, p.pos) >= 0 {
				tv = a.add(tv, a.mulInt(p.w, p.n))
			}
		}
		if a.sign(tv) == 0 {
			value = a.fromInt(0)
		} else {
			value = a.mulDiv(a.fromInt(1), surplus, tv)
			if a.cmp(value, a.fromInt(1)) > 0 {
				value = a.fromInt(1)
			}
		}
		transferable := slices.DeleteFunc(slices.Clone(last), func(p paper[T]) bool { return c.next(p.b, p.pos) < 0 })
		trs = c.move(x, [][]paper[T]{transferable}, func(p paper[T]) T { return a.mulDiv(p.w, value, a.fromInt(1)) })
	case WholeVotes:
		trs, value = c.wholeSurplus(x, surplus)
	}
	c.votes[x] = c.quota
	// What the surplus did not carry on is lost to truncation (or, for
	// LastParcel and WholeVotes, stays non-transferable with x).
	after := a.add(a.add(c.sum(), c.exh), c.loss)
	c.loss = a.add(c.loss, a.sub(before, after))
	return trs, value
}

func (c *transferCount[T]) sum() T {
	s := c.a.fromInt(0)
	for _, v := range c.votes {
		s = c.a.add(s, v)
	}
	return s
}

// wholeSurplus moves surplus whole papers of x's last parcel: to each
// continuing candidate its share of the transferable papers (floor, then
// largest remainders, ties to the candidate with more papers, then by
// draw), the papers chosen by the seeded draw. Value is the fraction of
// the transferable papers moved, in whole votes (0 or 1).
func (c *transferCount[T]) wholeSurplus(x int, surplus T) ([]voting.Transfer, T) {
	a := c.a
	last := c.parcels[x][len(c.parcels[x])-1]
	n := len(c.votes)
	by := make([][]paper[T], n)
	papers := make([]int64, n)
	var transferable int64
	for _, p := range last {
		k := c.next(p.b, p.pos)
		if k < 0 {
			continue
		}
		to := c.b.ranking(p.b)[k]
		by[to] = append(by[to], p)
		papers[to] += p.n
		transferable += p.n
	}
	s := int64(a.float(surplus) + 0.5) // whole votes: exact
	if transferable <= s {
		// Every transferable paper moves.
		var all []paper[T]
		for _, ps := range by {
			all = append(all, ps...)
		}
		return c.move(x, [][]paper[T]{all}, func(p paper[T]) T { return p.w }), a.fromInt(1)
	}
	share := make([]int64, n)
	type rem struct {
		c   int
		num int64
	}
	var rems []rem
	var given int64
	for to := range n {
		if papers[to] == 0 {
			continue
		}
		share[to] = papers[to] * s / transferable
		given += share[to]
		rems = append(rems, rem{to, papers[to] * s % transferable})
	}
	order := c.rng.Perm(n)
	slices.SortStableFunc(rems, func(p, q rem) int {
		switch {
		case p.num != q.num:
			return int(q.num - p.num)
		case papers[p.c] != papers[q.c]:
			return int(papers[q.c] - papers[p.c])
		}
		return order[p.c] - order[q.c]
	})
	for i := 0; given < s; i++ {
		share[rems[i].c]++
		given++
	}
	// Draw which papers move: shuffle each candidate's papers one by one.
	var moving []paper[T]
	for to := range n {
		if share[to] == 0 {
			continue
		}
		moving = append(moving, c.draw(by[to], share[to])...)
	}
	// The papers that moved leave the parcel; the rest stay with x.
	c.removeFromParcel(x, moving)
	return c.move(x, [][]paper[T]{moving}, func(p paper[T]) T { return p.w }), a.fromInt(1)
}

// draw picks k papers at random from ps (bundles), returning bundles.
func (c *transferCount[T]) draw(ps []paper[T], k int64) []paper[T] {
	var total int64
	for _, p := range ps {
		total += p.n
	}
	// Selection sampling (Knuth's algorithm S) over the papers, bundle by
	// bundle: each paper is taken with probability need/left.
	out := make([]paper[T], 0, len(ps))
	need, left := k, total
	for _, p := range ps {
		var take int64
		for range p.n {
			if need > 0 && c.rng.Int64N(left) < need {
				take++
				need--
			}
			left--
		}
		if take > 0 {
			q := p
			q.n = take
			out = append(out, q)
		}
	}
	return out
}

func (c *transferCount[T]) removeFromParcel(x int, moving []paper[T]) {
	last := c.parcels[x][len(c.parcels[x])-1]
	take := map[[2]int32]int64{}
	for _, p := range moving {
		take[[2]int32{p.b, p.pos}] += p.n
	}
	var keep []paper[T]
	for _, p := range last {
		key := [2]int32{p.b, p.pos}
		t := min(take[key], p.n)
		take[key] -= t
		if p.n-t > 0 {
			p.n -= t
			keep = append(keep, p)
		}
	}
	c.parcels[x][len(c.parcels[x])-1] = keep
}
