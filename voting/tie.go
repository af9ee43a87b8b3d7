package voting

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// TieContext is what a tie policy may look at: the rounds counted so far
// (the current one last) and the candidate names.
type TieContext struct {
	Rounds     []Round
	Candidates []string
}

// TiePolicy orders tied candidates, most favoured first: a winner tie
// takes the first, an elimination tie removes the last. Order returns
// groups, most favoured first; a group of several holds candidates the
// policy could not separate (Resolve then falls back to candidate order).
type TiePolicy interface {
	Name() string
	Order(tied []int, ctx TieContext) [][]int
}

// candidateOrder favours the lower candidate index (the order of the file
// or the ballot paper).
type candidateOrder struct{}

// CandidateOrder favours the candidate listed first.
func CandidateOrder() TiePolicy { return candidateOrder{} }

func (candidateOrder) Name() string { return "candidate-order" }

func (candidateOrder) Order(tied []int, _ TieContext) [][]int {
	s := slices.Clone(tied)
	slices.Sort(s)
	return singletons(s)
}

// lot is a seeded random permutation of all candidates, drawn once so that
// every tie in a count is decided by the same published draw.
type lot struct {
	seed uint64
}

// Lot favours candidates by a random permutation drawn from seed. Publish
// the seed: anyone can then redraw the same permutation.
func Lot(seed uint64) TiePolicy { return lot{seed: seed} }

func (l lot) Name() string { return fmt.Sprintf("lot(seed=%d)", l.seed) }

// Permutation returns the draw for n candidates: rank[c] is c's place
// (0 = most favoured).
func (l lot) Permutation(n int) []int {
	rng := rand.New(rand.NewPCG(l.seed, 0x636976696b6974)) // "civikit": fixed second word
	perm := rng.Perm(n)
	rank := make([]int, n)
	for place, c := range perm {
		rank[c] = place
	}
	return rank
}

func (l lot) Order(tied []int, ctx TieContext) [][]int {
	n := len(ctx.Candidates)
	for _, c := range tied {
		n = max(n, c+1)
	}
	rank := l.Permutation(n)
	s := slices.Clone(tied)
	slices.SortFunc(s, func(a, b int) int { return rank[a] - rank[b] })
	return singletons(s)
}

// byRounds favours higher counts in earlier (forward) or later (backward)
// rounds.
type byRounds struct {
	forward bool
}

// Forward favours the candidate with more votes at the first round where
// the tied candidates' counts differ.
func Forward() TiePolicy { return byRounds{forward: true} }

// Backward favours the candidate with more votes at the most recent
// previous round where the counts differ ("previous-round counts").
func Backward() TiePolicy { return byRounds{forward: false} }

func (b byRounds) Name() string {
	if b.forward {
		return "forward"
	}
	return "backward"
}

func (b byRounds) Order(tied []int, ctx TieContext) [][]int {
	groups := [][]int{slices.Clone(tied)}
	n := len(ctx.Rounds)
	for k := 0; k < n; k++ {
		r := ctx.Rounds[k]
		if !b.forward {
			r = ctx.Rounds[n-1-k]
		}
		var next [][]int
		for _, g := range groups {
			next = append(next, splitBy(g, r.Counts)...)
		}
		groups = next
		if len(groups) == len(tied) {
			break
		}
	}
	return groups
}

// splitBy orders g by descending counts, grouping equal counts (a
// candidate past the end of counts has 0).
func splitBy(g []int, counts []float64) [][]int {
	return orderByScore(g, func(c int) float64 {
		if c < len(counts) {
			return counts[c]
		}
		return 0
	})
}

// chain applies policies in turn to the groups the previous ones left tied.
type chain []TiePolicy

// Chain tries each policy on what the previous ones left tied: for example
// Chain(Backward(), Lot(seed)) is "most recent unequal stage, then lot".
func Chain(policies ...TiePolicy) TiePolicy { return chain(policies) }

func (c chain) Name() string {
	name := ""
	for i, p := range c {
		if i > 0 {
			name += " then "
		}
		name += p.Name()
	}
	return name
}

func (c chain) Order(tied []int, ctx TieContext) [][]int {
	groups := [][]int{slices.Clone(tied)}
	for _, p := range c {
		var next [][]int
		for _, g := range groups {
			if len(g) < 2 {
				next = append(next, g)
				continue
			}
			next = append(next, p.Order(g, ctx)...)
		}
		groups = next
	}
	return groups
}

// funcPolicy adapts a caller's function.
type funcPolicy struct {
	name string
	fn   func(tied []int, ctx TieContext) [][]int
}

// TieFunc makes a policy of a caller-supplied function.
func TieFunc(name string, fn func(tied []int, ctx TieContext) [][]int) TiePolicy {
	return funcPolicy{name: name, fn: fn}
}

func (f funcPolicy) Name() string { return f.name }

func (f funcPolicy) Order(tied []int, ctx TieContext) [][]int { return f.fn(tied, ctx) }

func singletons(s []int) [][]int {
	out := make([][]int, len(s))
	for i, c := range s {
		out[i] = []int{c}
	}
	return out
}

// Resolve orders tied candidates with p and, when p leaves a group tied,
// falls back to candidate order so that a decision is always reached. It
// returns the order, most favoured first, and the name of what decided.
func Resolve(p TiePolicy, tied []int, ctx TieContext) ([]int, string) {
	if len(tied) < 2 {
		return slices.Clone(tied), ""
	}
	if p == nil {
		p = CandidateOrder()
	}
	groups := p.Order(tied, ctx)
	name := p.Name()
	var out []int
	fellBack := false
	for _, g := range groups {
		if len(g) > 1 {
			fellBack = true
			g = slices.Clone(g)
			slices.Sort(g)
		}
		out = append(out, g...)
	}
	if fellBack {
		name += " then candidate-order"
	}
	return out, name
}
