package panel

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/civickit/civickit"
)

// Algorithm names a selection algorithm.
type Algorithm string

const (
	// Legacy is the Sortition Foundation's greedy draw: repeatedly take
	// someone at random from the value furthest from its minimum. Its
	// probabilities are estimated by running it many times.
	Legacy Algorithm = "legacy"
	// Maximin maximises the smallest selection probability.
	Maximin Algorithm = "maximin"
	// Nash maximises the product of the selection probabilities.
	Nash Algorithm = "nash"
	// Leximin maximises the smallest probability, then the next
	// smallest, and so on (Flanigan et al., Nature 2021).
	Leximin Algorithm = "leximin"
)

// Version identifies the algorithms' implementation in manifests: a draw
// re-run with the same version gives the same panel.
const Version = "civickit-panel/1"

// SelectOptions tune Select.
type SelectOptions struct {
	Algorithm Algorithm // default Leximin
	// LegacyRuns is how many greedy draws estimate Legacy's
	// probabilities (default 10000), seeded with LegacySeed.
	LegacyRuns int
	LegacySeed string
}

// Type is a group of interchangeable people: the same values and no
// household shared with anyone else in the pool.
type Type struct {
	Features  map[string]string `json:"features"`
	Household string            `json:"household,omitempty"`
	Members   []string          `json:"members"`
}

// Panel is one panel of the distribution's support, as how many members
// of each type it has; Draw picks the members of a type uniformly.
type Panel struct {
	Probability float64 `json:"probability"`
	Counts      []int   `json:"counts"`
}

// Probability is one person's chance of being selected.
type Probability struct {
	ID          string  `json:"id"`
	Probability float64 `json:"probability"`
}

// Distribution is a lottery over feasible panels.
type Distribution struct {
	Algorithm     Algorithm     `json:"algorithm"`
	K             int           `json:"k"`
	Types         []Type        `json:"types"`
	Panels        []Panel       `json:"panels"`
	Probabilities []Probability `json:"probabilities"` // in pool order; they sum to K
	// Minimum is the smallest probability of anyone some feasible panel
	// includes; Uncoverable lists those no feasible panel includes.
	Minimum     float64  `json:"minimum"`
	Uncoverable []string `json:"uncoverable"`
	// Exact is false when a pricing search stopped at its limit before
	// proving no better panel exists: every panel still meets the
	// quotas and the probabilities are right for this lottery, but it
	// may fall short of the algorithm's optimum.
	Exact bool `json:"exact"`
}

// Probability returns a person's selection probability.
func (d Distribution) ProbabilityOf(id string) (float64, bool) {
	for _, p := range d.Probabilities {
		if p.ID == id {
			return p.Probability, true
		}
	}
	return 0, false
}

// Select computes the distribution over panels of the chosen algorithm.
// Quotas no panel can meet give an *InfeasibleError.
func Select(in Instance, opts SelectOptions) (Distribution, error) {
	p, err := compile(in)
	if err != nil {
		return Distribution{}, err
	}
	if opts.Algorithm == "" {
		opts.Algorithm = Leximin
	}
	switch opts.Algorithm {
	case Legacy, Maximin, Nash, Leximin:
	default:
		return Distribution{}, invalid("algorithm", "oneof", "legacy maximin nash leximin")
	}
	if opts.Algorithm == Legacy {
		return p.legacyDistribution(opts)
	}
	cols, covered, err := p.cover()
	if err != nil {
		return Distribution{}, err
	}
	var lambda []float64
	switch opts.Algorithm {
	case Maximin:
		cols, lambda, err = p.leximin(cols, covered, true)
	case Leximin:
		cols, lambda, err = p.leximin(cols, covered, false)
	case Nash:
		cols, lambda, err = p.nash(cols, covered)
	}
	if err != nil {
		return Distribution{}, err
	}
	return p.distribution(opts.Algorithm, cols, lambda), nil
}

// cover finds, for every type, a feasible panel including it if any:
// the first columns of the column generation. It reports which types
// some panel covers, and an *InfeasibleError when no panel exists.
func (p *problem) cover() ([][]int, []bool, error) {
	nt := len(p.types)
	covered := make([]bool, nt)
	tried := make([]bool, nt)
	var cols [][]int
	for t := range nt {
		if covered[t] || tried[t] {
			continue
		}
		// Any panel with t is worth more than k + 1/2, any without it
		// at most k; among them the search leans towards panels with
		// many types not yet covered, so few searches cover everyone.
		w := make([]float64, nt)
		for u := range nt {
			if !covered[u] && !tried[u] {
				w[u] = 1
			}
		}
		w[t] = float64(p.k + 1)
		c, _, exact, err := p.improve(w, float64(p.k)+0.5)
		if err != nil {
			return nil, nil, fmt.Errorf("panel: pricing: %w", err)
		}
		if c == nil {
			if !exact {
				p.inexact = true // undecided: treated as uncoverable
			}
			if len(cols) == 0 && exact {
				// No panel includes t; is there a panel at all?
				if any, _, _, _ := p.improve(make([]float64, nt), -1); any == nil {
					return nil, nil, p.explain()
				}
			}
			tried[t] = true
			continue
		}
		tried[t] = true
		if c[t] == 0 {
			continue // no feasible panel includes t
		}
		cols = append(cols, c)
		for u, x := range c {
			if x > 0 {
				covered[u] = true
			}
		}
	}
	if len(cols) == 0 {
		return nil, nil, p.explain()
	}
	return cols, covered, nil
}

// leximin runs the column generation of Flanigan et al.: each stage
// maximises the smallest probability z of the types not yet fixed,
// adding panels the pricing problem finds worth more than the duals
// allow, then fixes the types whose dual is positive at z.
//
// One master LP serves every stage. Each type's row reads
// π_t ≥ z₁ + δ₂ + … + δ_s, where δ_j (the rise of the level at stage j)
// has a coefficient only in the rows of types still unfixed at stage j,
// and the objective is the level z₁ + δ₂ + …. A new stage adds the
// column δ and a row δ_j ≥ δ_j* for the stage just closed: the previous
// optimum stays feasible, so the simplex resumes from its basis instead
// of starting over. Raising an earlier δ only tightens the rows of the
// types it fixed, so the optimal level is the one the stage would have
// with those types held at their levels.
func (p *problem) leximin(cols [][]int, covered []bool, onlyFirst bool) ([][]int, []float64, error) {
	nt := len(p.types)
	isFixed := make([]bool, nt)
	var rowType []int
	for t := range nt {
		if covered[t] {
			rowType = append(rowType, t)
		}
	}
	m := len(rowType) + 1
	colOf := func(c []int, rows int) []float64 {
		a := make([]float64, rows)
		for r, t := range rowType {
			a[r] = -float64(c[t]) / float64(p.n(t))
		}
		a[m-1] = 1
		return a
	}
	senses := make([]sense, m)
	rhs := make([]float64, m)
	zcol := make([]float64, m)
	for r := range rowType {
		senses[r], zcol[r] = le, 1
	}
	senses[m-1], rhs[m-1] = eq, 1
	all := [][]float64{zcol}
	costs := []float64{1}
	lam := make([]int, 0, len(cols)) // structural index of each panel's λ
	for _, c := range cols {
		lam = append(lam, len(all))
		all = append(all, colOf(c, m))
		costs = append(costs, 0)
	}
	s, err := newSimplex(senses, rhs, all, costs)
	if err != nil {
		return nil, nil, fmt.Errorf("panel: master LP: %w", err)
	}
	// A level's lower bound gives way by fixEps so that rounding in the
	// previous optimum cannot make the master infeasible.
	const fixEps = 1e-10
	level := s.str[0] // tableau column of the current stage's level variable
	for {
		for round := 0; ; round++ {
			if round > 10000 {
				return nil, nil, fmt.Errorf("panel: column generation did not converge")
			}
			y := s.duals()
			w := make([]float64, nt)
			for r, t := range rowType {
				w[t] = math.Max(y[r]/float64(p.n(t)), 0)
			}
			c, _, exact, err := p.improve(w, y[m-1]+1e-9)
			if err != nil {
				return nil, nil, fmt.Errorf("panel: pricing: %w", err)
			}
			if !exact && c == nil {
				p.inexact = true
			}
			if c == nil {
				break
			}
			cols = append(cols, c)
			lam = append(lam, len(s.str))
			if err := s.addColumn(colOf(c, s.m), 0); err != nil {
				return nil, nil, fmt.Errorf("panel: master LP: %w", err)
			}
		}
		x := s.x()
		lambda := make([]float64, len(lam))
		for i, j := range lam {
			lambda[i] = x[j]
		}
		if onlyFirst {
			return cols, lambda, nil
		}
		y := s.duals()
		bestR, bestY := -1, 0.0
		any := false
		for r, t := range rowType {
			if isFixed[t] {
				continue
			}
			if y[r] > bestY {
				bestR, bestY = r, y[r]
			}
			if y[r] > 1e-6 {
				isFixed[t] = true
				any = true
			}
		}
		if !any {
			if bestR < 0 {
				// No positive dual at all: every unfixed type is at z in
				// any optimum only if the LP says so; fix them all.
				for _, t := range rowType {
					isFixed[t] = true
				}
			} else {
				isFixed[rowType[bestR]] = true
			}
		}
		if allFixed(isFixed, rowType) {
			return cols, lambda, nil
		}
		// Next stage: hold the level just reached, let the unfixed rise.
		var value float64
		for i, b := range s.basis {
			if b == level {
				value = s.rhs[i]
			}
		}
		s.addLowerBound(level, value-fixEps)
		delta := make([]float64, s.m)
		for r, t := range rowType {
			if !isFixed[t] {
				delta[r] = 1
			}
		}
		if err := s.addColumn(delta, 1); err != nil {
			return nil, nil, fmt.Errorf("panel: master LP: %w", err)
		}
		level = s.str[len(s.str)-1]
	}
}

func allFixed(isFixed []bool, rows []int) bool {
	for _, t := range rows {
		if !isFixed[t] {
			return false
		}
	}
	return true
}

// nash maximises Σ log p_i over the covered people: the mixture weights
// of the panels are fitted by the EM (multiplicative) update, and the
// pricing problem with weights 1/p adds the panel of steepest ascent
// until none improves.
func (p *problem) nash(cols [][]int, covered []bool) ([][]int, []float64, error) {
	nt := len(p.types)
	ncov := 0.0
	for t := range nt {
		if covered[t] {
			ncov += float64(p.n(t))
		}
	}
	lambda := make([]float64, len(cols))
	for i := range lambda {
		lambda[i] = 1 / float64(len(cols))
	}
	probs := func() []float64 {
		pt := make([]float64, nt)
		for i, c := range cols {
			for t, x := range c {
				pt[t] += lambda[i] * float64(x) / float64(p.n(t))
			}
		}
		return pt
	}
	em := func(iters int) []float64 {
		var pt []float64
		for range iters {
			pt = probs()
			gap := 0.0
			for i, c := range cols {
				g := 0.0
				for t, x := range c {
					if x > 0 {
						g += float64(x) / pt[t]
					}
				}
				g /= ncov
				if lambda[i] > 1e-12 {
					gap = math.Max(gap, math.Abs(g-1))
				}
				lambda[i] *= g
			}
			if gap < 1e-9 {
				break
			}
		}
		return probs()
	}
	for round := 0; round < 300; round++ {
		pt := em(5000)
		w := make([]float64, nt)
		for t := range nt {
			if covered[t] && pt[t] > 0 {
				w[t] = 1 / pt[t]
			}
		}
		c, _, exact, err := p.improve(w, ncov*(1+1e-7))
		if err != nil {
			return nil, nil, fmt.Errorf("panel: pricing: %w", err)
		}
		if !exact && c == nil {
			p.inexact = true
		}
		if c == nil {
			break
		}
		// A panel already in the lottery whose weight EM let fall to
		// nearly nothing gets some back; a new one enters.
		i := slices.IndexFunc(cols, func(x []int) bool { return slices.Equal(x, c) })
		if i < 0 {
			cols = append(cols, c)
			lambda = append(lambda, 0)
			i = len(cols) - 1
		}
		for j := range lambda {
			lambda[j] *= 0.9
		}
		lambda[i] += 0.1
	}
	em(20000)
	return cols, lambda, nil
}

// distribution turns columns and their weights into a Distribution.
func (p *problem) distribution(alg Algorithm, cols [][]int, lambda []float64) Distribution {
	d := Distribution{Algorithm: alg, K: p.k, Uncoverable: []string{}, Exact: !p.inexact && alg != Legacy}
	var total float64
	for _, l := range lambda {
		if l > 1e-10 {
			total += l
		}
	}
	merged := map[string]int{}
	for i, c := range cols {
		if lambda[i] <= 1e-10 {
			continue
		}
		key := fmt.Sprint(c)
		if j, ok := merged[key]; ok {
			d.Panels[j].Probability += lambda[i] / total
			continue
		}
		merged[key] = len(d.Panels)
		d.Panels = append(d.Panels, Panel{Probability: lambda[i] / total, Counts: c})
	}
	pt := make([]float64, len(p.types))
	for _, pn := range d.Panels {
		for t, x := range pn.Counts {
			pt[t] += pn.Probability * float64(x) / float64(p.n(t))
		}
	}
	d.Types = p.publicTypes()
	d.Minimum = math.Inf(1)
	for i, id := range p.ids {
		pr := math.Min(1, math.Max(0, pt[p.typeOf[i]]))
		d.Probabilities = append(d.Probabilities, Probability{ID: id, Probability: pr})
		if pr < 1e-9 {
			d.Uncoverable = append(d.Uncoverable, id)
		} else {
			d.Minimum = math.Min(d.Minimum, pr)
		}
	}
	if math.IsInf(d.Minimum, 1) {
		d.Minimum = 0
	}
	return d
}

func (p *problem) publicTypes() []Type {
	out := make([]Type, len(p.types))
	for t, ty := range p.types {
		f := map[string]string{}
		for i, name := range p.feats {
			f[name] = p.vals[i][ty.vals[i]]
		}
		members := make([]string, len(ty.members))
		for j, i := range ty.members {
			members[j] = p.ids[i]
		}
		out[t] = Type{Features: f, Household: ty.home, Members: members}
	}
	return out
}

// InfeasibleError says why no panel meets the quotas: the conflicts
// found directly, and the smallest total change of quota bounds (people
// added to maxima or removed from minima) that makes a panel possible.
type InfeasibleError struct {
	Conflicts  []string      `json:"conflicts"`
	Relaxation []QuotaChange `json:"relaxation"`
	Total      int           `json:"total"` // sum of the changes; 0 if no relaxation of quotas suffices
}

// QuotaChange is one relaxed quota.
type QuotaChange struct {
	Quota
	NewMin int `json:"new_min"`
	NewMax int `json:"new_max"`
}

func (e *InfeasibleError) Error() string {
	var b strings.Builder
	b.WriteString("panel: no panel meets the quotas")
	if len(e.Conflicts) > 0 {
		b.WriteString(": " + strings.Join(e.Conflicts, "; "))
	}
	if len(e.Relaxation) > 0 {
		parts := make([]string, len(e.Relaxation))
		for i, c := range e.Relaxation {
			parts[i] = fmt.Sprintf("%s=%s %d..%d → %d..%d", c.Feature, c.Value, c.Min, c.Max, c.NewMin, c.NewMax)
		}
		b.WriteString("; smallest relaxation: " + strings.Join(parts, ", "))
	}
	return b.String()
}

// Unwrap makes an infeasible instance an invalid input.
func (e *InfeasibleError) Unwrap() error { return civickit.ErrInvalid }

// explain builds the InfeasibleError of an instance without panels.
func (p *problem) explain() error {
	e := &InfeasibleError{Conflicts: []string{}, Relaxation: []QuotaChange{}}
	// Direct conflicts.
	seats := len(p.homes)
	for _, ty := range p.types {
		if ty.home == "" {
			seats += len(ty.members)
		}
	}
	if seats < p.k {
		e.Conflicts = append(e.Conflicts, fmt.Sprintf("the pool can seat %d people (one per household) for a panel of %d", seats, p.k))
	}
	for f, name := range p.feats {
		lo, hi := 0, 0
		for v := range p.vals[f] {
			lo += p.qmin[f][v]
			hi += min(p.qmax[f][v], p.k)
			avail := 0
			for _, ty := range p.types {
				if ty.vals[f] == v {
					avail += len(ty.members)
				}
			}
			if avail < p.qmin[f][v] {
				e.Conflicts = append(e.Conflicts, fmt.Sprintf("%s=%s needs at least %d but the pool has %d", name, p.vals[f][v], p.qmin[f][v], avail))
			}
		}
		if lo > p.k {
			e.Conflicts = append(e.Conflicts, fmt.Sprintf("the minima of %s sum to %d, over the panel size %d", name, lo, p.k))
		}
		if hi < p.k {
			e.Conflicts = append(e.Conflicts, fmt.Sprintf("the maxima of %s sum to %d, under the panel size %d", name, hi, p.k))
		}
	}
	if seats < p.k {
		return e
	}
	// The smallest relaxation: an integer program over type counts and
	// one slack per quota bound, minimising the slacks' sum.
	senses, rhs, cols, ub, bounds := p.rows(true)
	w := make([]float64, len(cols))
	for j := len(p.types); j < len(cols); j++ {
		w[j] = -1
	}
	x, _, err := (&ilp{senses: senses, rhs: rhs, cols: cols, ub: ub, w: w, nodeLimit: pricingNodes}).solve()
	if err != nil {
		return e
	}
	changed := map[[2]int]*QuotaChange{}
	var order [][2]int
	for i, b := range bounds {
		s := x[len(p.types)+i]
		if s == 0 {
			continue
		}
		key := [2]int{b.f, b.v}
		c := changed[key]
		if c == nil {
			q := Quota{Feature: p.feats[b.f], Value: p.vals[b.f][b.v], Min: p.qmin[b.f][b.v], Max: p.qmax[b.f][b.v]}
			c = &QuotaChange{Quota: q, NewMin: q.Min, NewMax: q.Max}
			changed[key] = c
			order = append(order, key)
		}
		if b.lower {
			c.NewMin -= s
		} else {
			c.NewMax += s
		}
		e.Total += s
	}
	for _, k := range order {
		e.Relaxation = append(e.Relaxation, *changed[k])
	}
	if len(e.Conflicts) == 0 {
		// No single quota is impossible: name a smallest set of quota
		// bounds that cannot hold together (deletion filter: drop each
		// bound whose removal leaves the rest infeasible).
		var parts []string
		for _, b := range p.conflictSet() {
			q := fmt.Sprintf("%s=%s at most %d", p.feats[b.f], p.vals[b.f][b.v], p.qmax[b.f][b.v])
			if b.lower {
				q = fmt.Sprintf("%s=%s at least %d", p.feats[b.f], p.vals[b.f][b.v], p.qmin[b.f][b.v])
			}
			parts = append(parts, q)
		}
		e.Conflicts = append(e.Conflicts, fmt.Sprintf("these quotas cannot hold together in a panel of %d: %s", p.k, strings.Join(parts, ", ")))
	}
	return e
}

// conflictSet returns an irreducible set of quota bounds with no panel
// meeting them all (the size and households always hold).
func (p *problem) conflictSet() []quotaBound {
	senses, rhs, cols, ub, bounds := p.rows(false)
	active := make([]bool, len(bounds))
	for i := range active {
		active[i] = true
	}
	feasible := func() bool {
		drop := map[int]bool{}
		for i, b := range bounds {
			if !active[i] {
				drop[b.row] = true
			}
		}
		var se []sense
		var rh []float64
		for r := range rhs {
			if !drop[r] {
				se = append(se, senses[r])
				rh = append(rh, rhs[r])
			}
		}
		cs := make([][]float64, len(cols))
		for j, col := range cols {
			for r, a := range col {
				if !drop[r] {
					cs[j] = append(cs[j], a)
				}
			}
		}
		_, _, err := (&ilp{senses: se, rhs: rh, cols: cs, ub: ub, w: make([]float64, len(cols)), nodeLimit: pricingNodes / 4}).solve()
		return err == nil || !errors.Is(err, errInfeasible)
	}
	for i := range bounds {
		active[i] = false
		if feasible() {
			active[i] = true
		}
	}
	var out []quotaBound
	for i, b := range bounds {
		if active[i] {
			out = append(out, b)
		}
	}
	return out
}

// legacyDistribution estimates Legacy's probabilities by running it.
func (p *problem) legacyDistribution(opts SelectOptions) (Distribution, error) {
	runs := opts.LegacyRuns
	if runs <= 0 {
		runs = 10000
	}
	rng := newRand("legacy-estimate:" + opts.LegacySeed)
	counts := map[string]int{}
	var keys []string
	var panels [][]int
	for range runs {
		sel, err := p.legacy(rng)
		if err != nil {
			return Distribution{}, err
		}
		c := make([]int, len(p.types))
		for _, i := range sel {
			c[p.typeOf[i]]++
		}
		key := fmt.Sprint(c)
		if counts[key] == 0 {
			keys = append(keys, key)
			panels = append(panels, c)
		}
		counts[key]++
	}
	lambda := make([]float64, len(keys))
	for i, k := range keys {
		lambda[i] = float64(counts[k]) / float64(runs)
	}
	d := p.distribution(Legacy, panels, lambda)
	// Someone the greedy never drew in these runs is not uncoverable:
	// the minimum is over everyone some feasible panel includes.
	_, covered, err := p.cover()
	if err != nil {
		return Distribution{}, err
	}
	d.Uncoverable = []string{}
	d.Minimum = math.Inf(1)
	for i, pr := range d.Probabilities {
		if covered[p.typeOf[i]] {
			d.Minimum = math.Min(d.Minimum, pr.Probability)
		} else {
			d.Uncoverable = append(d.Uncoverable, pr.ID)
		}
	}
	if math.IsInf(d.Minimum, 1) {
		d.Minimum = 0
	}
	return d, nil
}

// legacy draws one panel greedily (up to 100 attempts): take the value
// whose unmet minimum is largest relative to the people left with it,
// then someone at random with that value; drop the values that reached
// their maximum and the selected person's household.
func (p *problem) legacy(rng *rand.Rand) ([]int, error) {
	for range 100 {
		if sel, ok := p.legacyAttempt(rng); ok {
			return sel, nil
		}
	}
	if _, _, err := p.cover(); err != nil {
		return nil, err
	}
	return nil, errors.New("panel: legacy: 100 attempts failed to meet the quotas")
}

func (p *problem) legacyAttempt(rng *rand.Rand) ([]int, bool) {
	n := len(p.ids)
	nf := len(p.feats)
	valOf := func(i, f int) int { return p.types[p.typeOf[i]].vals[f] }
	// Who is still available, overall and per feature value, as lists
	// with positions so that removal is O(features).
	all := make([]int, n)
	posAll := make([]int, n)
	lists := make([][][]int, nf)
	pos := make([][]int, nf)
	for f := range nf {
		lists[f] = make([][]int, len(p.vals[f]))
		pos[f] = make([]int, n)
	}
	homes := map[string][]int{}
	for i := range n {
		all[i], posAll[i] = i, i
		for f := range nf {
			v := valOf(i, f)
			pos[f][i] = len(lists[f][v])
			lists[f][v] = append(lists[f][v], i)
		}
		if h := p.types[p.typeOf[i]].home; h != "" {
			homes[h] = append(homes[h], i)
		}
	}
	alive := make([]bool, n)
	for i := range alive {
		alive[i] = true
	}
	remove := func(i int) {
		if !alive[i] {
			return
		}
		alive[i] = false
		last := all[len(all)-1]
		all[posAll[i]], posAll[last] = last, posAll[i]
		all = all[:len(all)-1]
		for f := range nf {
			l := lists[f][valOf(i, f)]
			last := l[len(l)-1]
			l[pos[f][i]], pos[f][last] = last, pos[f][i]
			lists[f][valOf(i, f)] = l[:len(l)-1]
		}
	}
	selected := make([][]int, nf)
	for f := range selected {
		selected[f] = make([]int, len(p.vals[f]))
	}
	var sel []int
	for len(sel) < p.k {
		if len(all) == 0 {
			return nil, false
		}
		bf, bv, best := -1, -1, 0.0
		for f := range nf {
			for v := range p.vals[f] {
				need := p.qmin[f][v] - selected[f][v]
				if need <= 0 {
					continue
				}
				left := len(lists[f][v])
				if left < need {
					return nil, false
				}
				if r := float64(need) / float64(left); r > best {
					bf, bv, best = f, v, r
				}
			}
		}
		cand := all
		if bf >= 0 {
			cand = lists[bf][bv]
		}
		i := cand[rng.IntN(len(cand))]
		sel = append(sel, i)
		remove(i)
		if h := p.types[p.typeOf[i]].home; h != "" {
			for _, j := range homes[h] {
				remove(j)
			}
		}
		for f := range nf {
			v := valOf(i, f)
			selected[f][v]++
			if selected[f][v] >= p.qmax[f][v] {
				for len(lists[f][v]) > 0 {
					remove(lists[f][v][0])
				}
			}
		}
	}
	for f := range nf {
		for v := range p.vals[f] {
			if selected[f][v] < p.qmin[f][v] || selected[f][v] > p.qmax[f][v] {
				return nil, false
			}
		}
	}
	slices.Sort(sel)
	return sel, true
}
