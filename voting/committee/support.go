package committee

import (
	"fmt"
	"math"
	"slices"

	"github.com/civickit/civickit/voting"
)

// maxSupportMembers bounds the committees whose maximin support value is
// computed, by enumeration of their subsets.
const maxSupportMembers = 20

// supportValue is the maximin support of a committee: the largest t such
// that the voters can spread their weight over approved members giving
// each at least t. By the max-flow min-cut theorem (Hall's condition) it
// equals the least, over non-empty subsets S of the committee, of the
// weight of the voters approving a member of S divided by |S|; this
// enumerates the subsets.
func (p *Profile) supportValue(w []int) float64 {
	pos := make(map[int]uint32, len(w))
	for i, x := range w {
		pos[x] = 1 << i
	}
	// cover[b] is the set of members ballot b approves.
	cover := make([]uint32, len(p.ballots))
	for b, set := range p.ballots {
		for _, x := range set {
			cover[b] |= pos[x]
		}
	}
	best := math.Inf(1)
	for s := uint32(1); s < 1<<len(w); s++ {
		reach := 0.0
		for b, c := range cover {
			if c&s != 0 {
				reach += p.weights[b]
			}
		}
		if v := reach / float64(popcount(s)); v < best {
			best = v
		}
	}
	return best
}

func popcount(s uint32) int {
	n := 0
	for ; s != 0; s &= s - 1 {
		n++
	}
	return n
}

// MaximinSupport adds, k times, the candidate that makes the committee's
// maximin support value largest (Sánchez-Fernández et al. 2022). The
// value is computed exactly by enumerating subsets of the committee, so k
// is limited to 20 (voting.ErrTooLarge beyond).
func MaximinSupport(p *Profile, k int, o Options) (*voting.Result, error) {
	c, err := newCounter(p, k, o, "maximin-support")
	if err != nil {
		return nil, err
	}
	if k > maxSupportMembers {
		return nil, fmt.Errorf("%w: maximin support computed for committees of at most %d", voting.ErrTooLarge, maxSupportMembers)
	}
	in := make([]bool, p.N())
	var w []int
	for range k {
		val := make([]float64, p.N())
		for _, x := range remaining(p.N(), in) {
			val[x] = p.supportValue(append(slices.Clone(w), x))
		}
		x := c.best(remaining(p.N(), in), func(x int) float64 { return val[x] }, false)
		c.round(val, nil, []int{x}, "maximin support of the committee with the candidate")
		in[x] = true
		w = append(w, x)
	}
	return c.done(w), nil
}

// MinimaxPhragmen elects a committee whose largest voter load is least
// when each member's unit load is spread over its approvers — equivalently
// whose maximin support value is largest — by enumerating committees
// (refused past Options.MaxWork committees × subsets × ballots, and for
// k > 20). Among optimal committees it returns the first in
// lexicographic order.
func MinimaxPhragmen(p *Profile, k int, o Options) (*voting.Result, error) {
	c, err := newCounter(p, k, o, "minimax-phragmen")
	if err != nil {
		return nil, err
	}
	if k > maxSupportMembers {
		return nil, fmt.Errorf("%w: maximin support computed for committees of at most %d", voting.ErrTooLarge, maxSupportMembers)
	}
	if err := c.checkWork("minimax-phragmen", binomial(p.N(), k)*math.Exp2(float64(k))*float64(len(p.ballots))); err != nil {
		return nil, err
	}
	// With fewer approved candidates than seats, no committee carries
	// all loads: all approved candidates are elected and the seats left
	// go to the others in candidate order (as abcvoting does).
	var approved, others []int
	for x, s := range p.approvalScores() {
		if s > 0 {
			approved = append(approved, x)
		} else {
			others = append(others, x)
		}
	}
	if len(approved) < k {
		c.res.Notes = append(c.res.Notes, "Fewer approved candidates than seats: all are elected, the rest in candidate order.")
		return c.done(append(approved, others[:k-len(approved)]...)), nil
	}
	best := -1.0
	var bestSet []int
	combinations(p.N(), k, func(w []int) bool {
		if v := p.supportValue(w); v > best && !near(v, best) {
			best, bestSet = v, slices.Clone(w)
		}
		return true
	})
	load := math.Inf(1)
	if best > 0 {
		load = 1 / best
	}
	c.res.Notes = append(c.res.Notes, fmt.Sprintf("Exact optimum by enumeration: maximin support %.6g, largest load %.6g.", best, load))
	return c.done(bestSet), nil
}

// layer is a group of voters carrying the same load in a leximax-optimal
// distribution.
type layer struct {
	load, weight float64
}

// leximaxLoads returns the leximax-optimal load distribution of a
// committee whose members all have approvers, as layers by decreasing
// load: the set S of members whose approvers are least per member
// (weight of the voters approving a member of S, divided by |S|; the
// largest such S) must carry its load on those voters alone, all equally;
// S and its voters are then removed and the rest distributed the same
// way (the principal partition of the coverage function).
func (p *Profile) leximaxLoads(w []int) []layer {
	pos := make(map[int]uint32, len(w))
	for i, x := range w {
		pos[x] = 1 << i
	}
	cover := make([]uint32, len(p.ballots))
	for b, set := range p.ballots {
		for _, x := range set {
			cover[b] |= pos[x]
		}
	}
	left := uint32(1)<<len(w) - 1
	used := make([]bool, len(p.ballots))
	var out []layer
	for left != 0 {
		bestS, bestD := uint32(0), math.Inf(1)
		for s := left; s != 0; s = (s - 1) & left {
			reach := 0.0
			for b, c := range cover {
				if !used[b] && c&s != 0 {
					reach += p.weights[b]
				}
			}
			d := reach / float64(popcount(s))
			if d < bestD && !near(d, bestD) || near(d, bestD) && popcount(s) > popcount(bestS) {
				bestS, bestD = s, d
			}
		}
		reach := 0.0
		for b, c := range cover {
			if !used[b] && c&bestS != 0 {
				reach += p.weights[b]
				used[b] = true
			}
		}
		out = append(out, layer{load: 1 / bestD, weight: reach})
		left &^= bestS
	}
	return out
}

// compareLoads orders two load distributions (layers by decreasing load)
// lexicographically on the voters' loads sorted decreasingly: -1 when a
// is better (smaller).
func compareLoads(a, b []layer) int {
	i, j := 0, 0
	var wa, wb float64
	if len(a) > 0 {
		wa = a[0].weight
	}
	if len(b) > 0 {
		wb = b[0].weight
	}
	for i < len(a) && j < len(b) {
		if !near(a[i].load, b[j].load) {
			if a[i].load < b[j].load {
				return -1
			}
			return 1
		}
		step := math.Min(wa, wb)
		wa, wb = wa-step, wb-step
		if wa <= tol*math.Max(1, step) {
			if i++; i < len(a) {
				wa = a[i].weight
			}
		}
		if wb <= tol*math.Max(1, step) {
			if j++; j < len(b) {
				wb = b[j].weight
			}
		}
	}
	// The rest carry load 0 on both sides.
	return 0
}

// LeximaxPhragmen elects a committee whose voters' loads, sorted from the
// largest, are lexicographically least (Brill et al. 2017's max-Phragmén
// refined lexicographically), by enumerating committees of approved
// candidates and computing each one's optimal distribution exactly
// (refused past Options.MaxWork committees × subsets × ballots, and for
// k > 20). With fewer approved candidates than seats, all are elected and
// the rest go in candidate order. Among optimal committees it returns the
// first in lexicographic order.
func LeximaxPhragmen(p *Profile, k int, o Options) (*voting.Result, error) {
	c, err := newCounter(p, k, o, "leximax-phragmen")
	if err != nil {
		return nil, err
	}
	if k > maxSupportMembers {
		return nil, fmt.Errorf("%w: load distributions computed for committees of at most %d", voting.ErrTooLarge, maxSupportMembers)
	}
	var approved, others []int
	for x, s := range p.approvalScores() {
		if s > 0 {
			approved = append(approved, x)
		} else {
			others = append(others, x)
		}
	}
	if len(approved) < k {
		c.res.Notes = append(c.res.Notes, "Fewer approved candidates than seats: all are elected, the rest in candidate order.")
		return c.done(append(approved, others[:k-len(approved)]...)), nil
	}
	if err := c.checkWork("leximax-phragmen", binomial(len(approved), k)*math.Exp2(float64(k))*float64(k*len(p.ballots))); err != nil {
		return nil, err
	}
	var best []layer
	var bestSet []int
	w := make([]int, k)
	combinations(len(approved), k, func(idx []int) bool {
		for i, j := range idx {
			w[i] = approved[j]
		}
		loads := p.leximaxLoads(w)
		if bestSet == nil || compareLoads(loads, best) < 0 {
			best, bestSet = loads, slices.Clone(w)
		}
		return true
	})
	c.res.Notes = append(c.res.Notes, fmt.Sprintf("Exact optimum by enumeration: largest voter load %.6g.", best[0].load))
	return c.done(bestSet), nil
}
