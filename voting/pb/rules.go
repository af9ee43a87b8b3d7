package pb

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/civickit/civickit/voting"
)

// Utility is how a voter values a project their ballot lists.
type Utility string

const (
	// ApprovalUtility: 1 per listed project (points > 0 on points ballots).
	ApprovalUtility Utility = "approval"
	// CostUtility: the project's cost (a voter values money spent on what
	// they asked for).
	CostUtility Utility = "cost"
	// PointsUtility: the points given (cumulative and scoring ballots).
	PointsUtility Utility = "points"
)

// Completion names how the Method of Equal Shares spends what it leaves.
type Completion string

const (
	NoCompletion Completion = "none"
	// AddOne raises every voter's share by one currency unit and counts
	// again, keeping the last outcome within the real budget (as in
	// Wieliczka and equalshares.net).
	AddOne Completion = "add-one"
	// Epsilon raises every voter's share by Options.Step per step
	// instead of one unit.
	Epsilon Completion = "epsilon"
	// Utilitarian funds, after MES, the projects of highest utility that
	// still fit.
	Utilitarian Completion = "utilitarian"
	// AddOneUtilitarian is AddOne then Utilitarian.
	AddOneUtilitarian Completion = "add-one+utilitarian"
)

// Options tune a count.
type Options struct {
	// Utility defaults to PointsUtility for cumulative and scoring
	// ballots, ApprovalUtility otherwise (ordinal ballots count as
	// approvals of the listed projects).
	Utility Utility
	// Completion applies to MES; default NoCompletion.
	Completion Completion
	// Step is the per-voter increase of the Epsilon completion, in
	// currency units (default: 1% of the initial share; pabutools'
	// voter_budget_increment).
	Step float64
	// Tie orders projects tied on the rule's criterion; default file
	// order (voting.CandidateOrder over the projects).
	Tie voting.TiePolicy
	// MaxNodes bounds the search of MaxUtility (default 10^7 nodes).
	MaxNodes int64
	// MaxSteps bounds the budget increases of a completion (default 10^5).
	MaxSteps int
}

// Rule is a named participatory-budgeting rule.
type Rule struct {
	Name, Title, Description, Source string
	// Count runs the rule.
	Count func(e *Election, o Options) (*Result, error)
}

// Rules lists the rules, by name.
func Rules() []Rule {
	return []Rule{
		{Name: "greedy", Title: "Greedy by utility", Count: Greedy,
			Description: "Funds projects by decreasing total utility (approvals or points), skipping any that no longer fits. The rule of most Pabulib cities.",
			Source:      "Pabulib rule \"greedy\"; Faliszewski et al., IJCAI 2023"},
		{Name: "greedy-ratio", Title: "Greedy by utility per cost", Count: GreedyRatio,
			Description: "Funds projects by decreasing utility per unit of cost, skipping any that no longer fits.",
			Source:      "Talmon & Faliszewski, AAAI 2019"},
		{Name: "max-utility", Title: "Utilitarian optimum (knapsack)", Count: MaxUtility,
			Description: "Funds a set of projects of greatest total utility within the budget, found exactly by branch and bound.",
			Source:      "Talmon & Faliszewski, AAAI 2019"},
		{Name: "mes", Title: "Method of Equal Shares", Count: MES,
			Description: "Splits the budget equally among voters; repeatedly funds the project its supporters can buy at the lowest price per unit of utility, each paying at most that price times their utility.",
			Source:      "Peters, Pierczyński & Skowron, NeurIPS 2021; equalshares.net"},
		{Name: "phragmen", Title: "Sequential Phragmén", Count: Phragmen,
			Description: "Supporters earn money continuously; the first project whose supporters can pay for it is funded and their money spent; stops at the first project that would break the budget.",
			Source:      "Los, Christoff & Grossi, 2022; pabutools sequential_phragmen"},
	}
}

// LookupRule returns the rule named name.
func LookupRule(name string) (Rule, error) {
	for _, r := range Rules() {
		if r.Name == name {
			return r, nil
		}
	}
	return Rule{}, fmt.Errorf("%w: participatory-budgeting rule %q", voting.ErrUnknownMethod, name)
}

// count is an election prepared for the rules: each project's supporters
// and their utilities.
type count struct {
	e       *Election
	utility Utility
	tie     voting.TiePolicy
	names   []string
	// supp[p] are the voters listing p, util[p] their utility (> 0).
	supp [][]int32
	util [][]float64
	// total[p] is the voters' total utility for p; approvers[p] the
	// voters listing it (with points > 0 on points ballots).
	total     []float64
	approvers []int
	res       *Result
}

func prepare(e *Election, o Options, rule string) (*count, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	if len(e.Voters) > math.MaxInt32 {
		return nil, fmt.Errorf("%w: more than 2^31 voters", voting.ErrTooLarge)
	}
	u := o.Utility
	points := e.VoteType == Cumulative || e.VoteType == Scoring
	if u == "" {
		u = ApprovalUtility
		if points {
			u = PointsUtility
		}
	}
	switch u {
	case ApprovalUtility, CostUtility:
	case PointsUtility:
		if !points {
			return nil, fmt.Errorf("%w: points utility needs cumulative or scoring ballots, not %s", voting.ErrWrongBallots, e.VoteType)
		}
	default:
		return nil, fmt.Errorf("%w: utility %q (approval, cost, points)", voting.ErrInvalidOption, u)
	}
	c := &count{e: e, utility: u, tie: o.Tie}
	if c.tie == nil {
		c.tie = voting.CandidateOrder()
	}
	np := len(e.Projects)
	c.supp, c.util, c.total = make([][]int32, np), make([][]float64, np), make([]float64, np)
	c.approvers = make([]int, np)
	c.names = make([]string, np)
	for p, pr := range e.Projects {
		c.names[p] = pr.ID
	}
	for v, voter := range e.Voters {
		for k, p := range voter.Projects {
			x := 1.0
			switch {
			case u == PointsUtility:
				x = voter.Points[k]
			case points && voter.Points[k] <= 0:
				x = 0
			case u == CostUtility:
				x = e.Projects[p].Cost
			}
			if points && voter.Points[k] <= 0 {
				continue
			}
			c.approvers[p]++
			if x <= 0 {
				continue
			}
			c.supp[p] = append(c.supp[p], int32(v))
			c.util[p] = append(c.util[p], x)
			c.total[p] += x
		}
	}
	c.res = &Result{Rule: rule, Utility: string(u), Budget: e.Budget, Voters: len(e.Voters), Projects: make([]ProjectOutcome, np)}
	for p, pr := range e.Projects {
		c.res.Projects[p] = ProjectOutcome{ID: pr.ID, Name: pr.Name, Cost: pr.Cost, Support: c.approvers[p], Utility: c.total[p]}
	}
	return c, nil
}

// fund records p as funded at the next round.
func (c *count) fund(p int, reason string) {
	c.res.Funded = append(c.res.Funded, p)
	c.res.Spent += c.e.Projects[p].Cost
	o := &c.res.Projects[p]
	o.Funded, o.Round, o.Reason = true, len(c.res.Funded), reason
}

// fits reports whether cost fits in what is left, with a tolerance for
// the rounding of decimal amounts.
func (c *count) fits(cost float64) bool {
	return c.res.Spent+cost <= c.e.Budget*(1+1e-12)+1e-9
}

// order sorts projects by decreasing key, ties by the tie policy (which
// favours the first of a group).
func (c *count) order(projects []int, key func(p int) float64) []int {
	s := slices.Clone(projects)
	slices.SortStableFunc(s, func(a, b int) int { return cmp.Compare(key(b), key(a)) })
	out := make([]int, 0, len(s))
	for i := 0; i < len(s); {
		j := i + 1
		for j < len(s) && key(s[j]) == key(s[i]) {
			j++
		}
		if j-i > 1 {
			tied, name := voting.Resolve(c.tie, s[i:j], voting.TieContext{Candidates: c.names})
			c.noteTie(name)
			out = append(out, tied...)
		} else {
			out = append(out, s[i])
		}
		i = j
	}
	return out
}

func (c *count) noteTie(name string) {
	if name != "" {
		c.res.TieBreak = name
	}
}

func (c *count) all() []int {
	out := make([]int, len(c.e.Projects))
	for p := range out {
		out[p] = p
	}
	return out
}

// greedy funds projects in the given order, skipping what does not fit.
func (c *count) greedy(order []int, what string, value func(p int) float64) {
	for _, p := range order {
		if c.res.Projects[p].Funded {
			continue
		}
		cost := c.e.Projects[p].Cost
		left := c.e.Budget - c.res.Spent
		if c.approvers[p] == 0 {
			c.res.Projects[p].Reason = "not funded: no voter supports it"
			continue
		}
		if !c.fits(cost) {
			c.res.Projects[p].Reason = fmt.Sprintf("not funded: %s %s, its cost %s exceeded the %s left at its turn", what, num(value(p)), money(cost), money(left))
			continue
		}
		c.fund(p, fmt.Sprintf("funded: %s %s, cost %s within the %s left", what, num(value(p)), money(cost), money(left)))
	}
}

// Greedy funds projects by decreasing total utility, skipping any that no
// longer fits.
func Greedy(e *Election, o Options) (*Result, error) {
	c, err := prepare(e, o, "greedy")
	if err != nil {
		return nil, err
	}
	key := func(p int) float64 { return c.total[p] }
	c.greedy(c.order(c.all(), key), c.utility.what(), key)
	return c.res, nil
}

func (u Utility) what() string {
	switch u {
	case PointsUtility:
		return "points"
	case CostUtility:
		return "cost-utility"
	}
	return "approvals"
}

// GreedyRatio funds projects by decreasing utility per unit of cost
// (free projects first), skipping any that no longer fits.
func GreedyRatio(e *Election, o Options) (*Result, error) {
	c, err := prepare(e, o, "greedy-ratio")
	if err != nil {
		return nil, err
	}
	key := func(p int) float64 {
		if c.e.Projects[p].Cost == 0 && c.approvers[p] > 0 {
			return math.Inf(1)
		}
		return ratio(c.total[p], c.e.Projects[p].Cost)
	}
	c.greedy(c.order(c.all(), key), c.utility.what()+" per unit of cost", key)
	return c.res, nil
}

func ratio(u, cost float64) float64 {
	if cost == 0 {
		if u > 0 {
			return math.Inf(1)
		}
		return 0
	}
	return u / cost
}

// MaxUtility funds a set of projects of greatest total utility within the
// budget (a 0/1 knapsack), found exactly by depth-first branch and bound
// over the projects sorted by utility per cost, bounded by the fractional
// relaxation. The search is refused with voting.ErrTooLarge past
// Options.MaxNodes nodes (default 10^7: Pabulib instances of 100–200
// projects finish well within it; adversarial costs may not). Among
// optima it returns the first found in that order.
func MaxUtility(e *Election, o Options) (*Result, error) {
	c, err := prepare(e, o, "max-utility")
	if err != nil {
		return nil, err
	}
	limit := o.MaxNodes
	if limit <= 0 {
		limit = 1e7
	}
	var items []int
	var free []int
	for p := range c.e.Projects {
		switch {
		case c.total[p] == 0:
		case c.e.Projects[p].Cost == 0:
			free = append(free, p)
		default:
			items = append(items, p)
		}
	}
	items = c.order(items, func(p int) float64 { return ratio(c.total[p], c.e.Projects[p].Cost) })
	n := len(items)
	cost := make([]float64, n)
	val := make([]float64, n)
	for i, p := range items {
		cost[i], val[i] = c.e.Projects[p].Cost, c.total[p]
	}
	capacity := c.e.Budget*(1+1e-12) + 1e-9
	bound := func(i int, room, v float64) float64 {
		for ; i < n; i++ {
			if cost[i] <= room {
				room -= cost[i]
				v += val[i]
				continue
			}
			return v + val[i]*room/cost[i]
		}
		return v
	}
	best := -1.0
	var bestSet []bool
	take := make([]bool, n)
	var nodes int64
	var tooLarge bool
	var dfs func(i int, room, v float64)
	dfs = func(i int, room, v float64) {
		nodes++
		if nodes > limit {
			tooLarge = true
			return
		}
		if v > best {
			best = v
			bestSet = slices.Clone(take[:i])
		}
		if i == n || tooLarge || bound(i, room, v) <= best*(1+1e-12) {
			return
		}
		if cost[i] <= room {
			take[i] = true
			dfs(i+1, room-cost[i], v+val[i])
			take[i] = false
		}
		dfs(i+1, room, v)
	}
	dfs(0, capacity, 0)
	if tooLarge {
		return nil, fmt.Errorf("%w: max-utility search passed %d nodes over %d projects (raise Options.MaxNodes)", voting.ErrTooLarge, limit, n)
	}
	for _, p := range free {
		c.fund(p, "funded: free and supported")
	}
	for i, p := range items {
		if i < len(bestSet) && bestSet[i] {
			c.fund(p, fmt.Sprintf("funded: in the set of greatest total utility (%s)", num(best)))
		}
	}
	for p := range c.res.Projects {
		if r := &c.res.Projects[p]; !r.Funded {
			switch {
			case c.total[p] == 0:
				r.Reason = "not funded: no voter supports it"
			case !c.fits(r.Cost):
				r.Reason = fmt.Sprintf("not funded: adding it to the optimum would exceed the budget by %s", money(c.res.Spent+r.Cost-c.e.Budget))
			default:
				r.Reason = "not funded: fits what is left, yet no set with it has greater utility"
			}
		}
	}
	c.res.Notes = append(c.res.Notes, fmt.Sprintf("Exact optimum: total utility %s, found in %d search nodes.", num(best), nodes))
	return c.res, nil
}

// Phragmen is sequential Phragmén for budgets: voters earn money at the
// same rate from 0; when the supporters of a project hold its cost
// together, it is funded and they pay all they hold (their loads rise to
// the same level). It stops at the first project that would break the
// budget, as pabutools does. Points ballots count as approvals of the
// projects given points; Options.Utility is ignored.
func Phragmen(e *Election, o Options) (*Result, error) {
	o.Utility = ApprovalUtility
	c, err := prepare(e, o, "phragmen")
	if err != nil {
		return nil, err
	}
	c.res.Utility = string(ApprovalUtility)
	load := make([]float64, len(e.Voters))
	left := make([]int, 0, len(e.Projects))
	for p := range e.Projects {
		if len(c.supp[p]) > 0 {
			left = append(left, p)
		} else {
			c.res.Projects[p].Reason = "not funded: no voter supports it"
		}
	}
	newLoad := make([]float64, len(e.Projects))
	for len(left) > 0 {
		for _, p := range left {
			s := e.Projects[p].Cost
			for _, v := range c.supp[p] {
				s += load[v]
			}
			newLoad[p] = s / float64(len(c.supp[p]))
		}
		best := left[0]
		var tied []int
		for _, p := range left {
			switch {
			case newLoad[p] < newLoad[best]:
				best, tied = p, tied[:0]
				tied = append(tied, p)
			case newLoad[p] == newLoad[best]:
				tied = append(tied, p)
			}
		}
		if len(tied) > 1 {
			ord, name := voting.Resolve(c.tie, tied, voting.TieContext{Candidates: c.names})
			c.noteTie(name)
			best = ord[0]
		}
		if !c.fits(e.Projects[best].Cost) {
			reached := newLoad[best]
			for _, p := range left {
				c.res.Projects[p].Reason = fmt.Sprintf("not funded: the count stopped at load %s, when %s could be bought but did not fit the budget", num(reached), e.Projects[best].ID)
			}
			c.res.Notes = append(c.res.Notes, fmt.Sprintf("Stopped: project %s (cost %s) was next at load %s but only %s was left.", e.Projects[best].ID, money(e.Projects[best].Cost), num(reached), money(e.Budget-c.res.Spent)))
			break
		}
		for _, v := range c.supp[best] {
			load[v] = newLoad[best]
		}
		c.fund(best, fmt.Sprintf("funded: its %d supporters could pay its cost at load %s each", len(c.supp[best]), num(newLoad[best])))
		left = slices.DeleteFunc(left, func(p int) bool { return p == best })
	}
	return c.res, nil
}
