package pb

import (
	"fmt"
	"math"
	"slices"

	"github.com/civickit/civickit/voting"
)

// mesRun is one run of the Method of Equal Shares for a given share.
type mesRun struct {
	share  float64
	funded []int
	rho    []float64 // price per unit of utility of each funded project
	money  []float64 // each voter's money at the end
	spent  float64
}

// MES is the Method of Equal Shares (Peters, Pierczyński & Skowron 2021):
// every voter gets an equal share of the budget; at each round the
// project whose supporters can pay its cost at the lowest price ρ per
// unit of utility is funded, each supporter paying min(money, ρ·utility).
// It stops when no project can be paid for by its supporters. Options.
// Completion then spends what is left: AddOne and Epsilon raise the share
// step by step (by 1 or by Options.Step) and keep the last outcome within the budget (at most
// Options.MaxSteps steps, default 10^5; an outcome that funds every
// remaining affordable project ends the search), Utilitarian adds the
// projects of highest utility that fit. Ties go to the tie policy.
// Arithmetic is float64 with a relative tolerance of 1e-12 on prices.
func MES(e *Election, o Options) (*Result, error) {
	c, err := prepare(e, o, "mes")
	if err != nil {
		return nil, err
	}
	comp := o.Completion
	if comp == "" {
		comp = NoCompletion
	}
	if o.Step < 0 || math.IsNaN(o.Step) || math.IsInf(o.Step, 0) {
		return nil, fmt.Errorf("%w: step %v must be > 0", voting.ErrInvalidOption, o.Step)
	}
	maxSteps := o.MaxSteps
	if maxSteps <= 0 {
		maxSteps = 1e5
	}
	c.res.Variant = string(comp)
	n := len(e.Voters)
	if n == 0 {
		c.res.Notes = append(c.res.Notes, "No voters: nothing funded.")
		c.explainMES(mesRun{})
		return c.res, nil
	}
	share := e.Budget / float64(n)
	run := c.mesRun(share)
	switch comp {
	case NoCompletion, Utilitarian:
	case AddOne, Epsilon, AddOneUtilitarian:
		step := 1.0
		if comp == Epsilon {
			step = o.Step
			if step == 0 {
				step = share / 100
			}
		}
		steps := 0
		for k := 1; k <= maxSteps && !c.exhaustive(run); k++ {
			next := c.mesRun(share + float64(k)*step)
			if next.spent > e.Budget*(1+1e-12)+1e-9 {
				break
			}
			run, steps = next, k
		}
		c.res.Notes = append(c.res.Notes, fmt.Sprintf("Completion %s: share raised %d times by %s, from %s to %s per voter.", comp, steps, num(step), money(share), money(run.share)))
	default:
		return nil, fmt.Errorf("%w: completion %q (none, add-one, epsilon, utilitarian, add-one+utilitarian)", voting.ErrInvalidOption, comp)
	}
	for i, p := range run.funded {
		c.fund(p, fmt.Sprintf("funded in round %d: its supporters paid %s for each unit of utility (share %s)", i+1, num(run.rho[i]), money(run.share)))
	}
	c.explainMES(run)
	if comp == Utilitarian || comp == AddOneUtilitarian {
		key := func(p int) float64 { return c.total[p] }
		before := len(c.res.Funded)
		var rest []int
		for p := range e.Projects {
			if !c.res.Projects[p].Funded && c.total[p] > 0 && c.fits(e.Projects[p].Cost) {
				rest = append(rest, p)
			}
		}
		for _, p := range c.order(rest, key) {
			if c.fits(e.Projects[p].Cost) {
				c.fund(p, fmt.Sprintf("funded by the utilitarian completion: utility %s, cost %s within the %s left", num(c.total[p]), money(e.Projects[p].Cost), money(e.Budget-c.res.Spent)))
			}
		}
		c.res.Notes = append(c.res.Notes, fmt.Sprintf("Utilitarian completion funded %d more projects.", len(c.res.Funded)-before))
	}
	return c.res, nil
}

// explainMES gives each project MES did not fund its reason.
func (c *count) explainMES(run mesRun) {
	for p := range c.res.Projects {
		r := &c.res.Projects[p]
		if r.Funded {
			continue
		}
		if len(c.supp[p]) == 0 {
			r.Reason = "not funded: no voter supports it"
			continue
		}
		held := 0.0
		for _, v := range c.supp[p] {
			if run.money != nil {
				held += run.money[v]
			}
		}
		r.Reason = fmt.Sprintf("not funded: its %d supporters held %s of its cost %s when no project could be bought", len(c.supp[p]), money(held), money(r.Cost))
	}
}

// exhaustive reports whether no unfunded supported project fits what run
// leaves of the budget.
func (c *count) exhaustive(run mesRun) bool {
	funded := make([]bool, len(c.e.Projects))
	for _, p := range run.funded {
		funded[p] = true
	}
	for p, pr := range c.e.Projects {
		if !funded[p] && c.total[p] > 0 && run.spent+pr.Cost <= c.e.Budget*(1+1e-12)+1e-9 {
			return false
		}
	}
	return true
}

// mesRun counts MES with the given share per voter. Prices only rise from
// round to round (voters' money only falls), so the projects are tried
// in order of their last price and the search stops at the first whose
// last price exceeds the best found.
func (c *count) mesRun(share float64) mesRun {
	np := len(c.e.Projects)
	run := mesRun{share: share, money: make([]float64, len(c.e.Voters))}
	for v := range run.money {
		run.money[v] = share
	}
	alive := make([]int, 0, np)
	for p := range np {
		if c.total[p] > 0 {
			alive = append(alive, p)
		}
	}
	last := make([]float64, np)
	var scratch []int
	for len(alive) > 0 {
		slices.SortStableFunc(alive, func(a, b int) int {
			switch {
			case last[a] < last[b]:
				return -1
			case last[a] > last[b]:
				return 1
			}
			return a - b
		})
		best := math.Inf(1)
		var tied []int
		var dead []int
		for _, p := range alive {
			if last[p] > best*(1+1e-12) {
				break
			}
			var rho float64
			var ok bool
			rho, scratch, ok = c.price(p, run.money, scratch)
			if !ok {
				dead = append(dead, p)
				continue
			}
			last[p] = rho
			switch {
			case rho < best*(1-1e-12):
				best = rho
				tied = append(tied[:0], p)
			case rho <= best*(1+1e-12):
				tied = append(tied, p)
			}
		}
		if len(dead) > 0 {
			alive = slices.DeleteFunc(alive, func(p int) bool { return slices.Contains(dead, p) })
		}
		if len(tied) == 0 {
			break
		}
		pick := tied[0]
		if len(tied) > 1 {
			ord, name := voting.Resolve(c.tie, tied, voting.TieContext{Candidates: c.names})
			c.noteTie(name)
			pick = ord[0]
		}
		for k, v := range c.supp[pick] {
			pay := min(run.money[v], best*c.util[pick][k])
			run.money[v] -= pay
		}
		run.funded = append(run.funded, pick)
		run.rho = append(run.rho, best)
		run.spent += c.e.Projects[pick].Cost
		alive = slices.DeleteFunc(alive, func(p int) bool { return p == pick })
	}
	return run
}

// price returns the least ρ such that the supporters of p, each paying
// min(money, ρ·utility), pay its cost; ok is false when all their money
// does not reach it.
func (c *count) price(p int, money []float64, scratch []int) (float64, []int, bool) {
	cost := c.e.Projects[p].Cost
	if cost == 0 {
		return 0, scratch, true
	}
	supp, util := c.supp[p], c.util[p]
	held := 0.0
	for _, v := range supp {
		held += money[v]
	}
	if held < cost*(1-1e-12) {
		return 0, scratch, false
	}
	scratch = scratch[:0]
	for k := range supp {
		scratch = append(scratch, k)
	}
	slices.SortFunc(scratch, func(a, b int) int {
		x, y := money[supp[a]]/util[a], money[supp[b]]/util[b]
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	paid, u := 0.0, c.total[p]
	rho := 0.0
	for _, k := range scratch {
		rho = (cost - paid) / u
		if cap := money[supp[k]] / util[k]; cap >= rho {
			return rho, scratch, true
		} else {
			rho = cap
		}
		paid += money[supp[k]]
		u -= util[k]
		if u <= 0 {
			break
		}
	}
	// Everyone pays all they hold (within the tolerance).
	return rho, scratch, true
}
