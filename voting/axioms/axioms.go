// Package axioms searches for violations of the classic axioms of social
// choice by a counting method on a profile, and reports a witness: the
// Condorcet winner and loser criteria, monotonicity (raising a winner),
// participation (the no-show paradox), reinforcement (consistency) and
// independence of clones. Batch runs them over generated profiles
// (package voting/generate) and estimates violation rates per method, the
// tables of the literature (e.g. Felsenthal & Nurmi, or pref_voting's
// axiom tables).
//
// A check compares winner sets (Result.Winners, before any tie-break).
// Each search is bounded: it tries a documented family of modifications
// of the profile, so "no violation" means none in that family, while a
// reported violation is a real counterexample, with both profiles.
package axioms

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/civickit/civickit/voting"
)

// Axiom names an axiom.
type Axiom string

const (
	CondorcetWinner Axiom = "condorcet-winner" // a Condorcet winner is the only winner
	CondorcetLoser  Axiom = "condorcet-loser"  // a Condorcet loser never wins
	Monotonicity    Axiom = "monotonicity"     // raising a winner on one ballot keeps it a winner
	Participation   Axiom = "participation"    // no voter is better off not voting
	Reinforcement   Axiom = "reinforcement"    // two electorates with common winners elect exactly those together
	Clones          Axiom = "clones"           // adding a clone of a candidate changes no other outcome
)

// All lists every axiom, in the order of the constants.
func All() []Axiom {
	return []Axiom{CondorcetWinner, CondorcetLoser, Monotonicity, Participation, Reinforcement, Clones}
}

// Violation is a counterexample: the method elects Winners on Profile and
// Other on the modified profile (nil for the one-profile axioms).
type Violation struct {
	Axiom   Axiom
	Method  string
	Profile *voting.Profile
	Winners []int
	// Modified is the second profile of the witness: raised, without the
	// voter, the second electorate (reinforcement: Profile is the first
	// one, Modified the second, Joined the sum), or with the clone.
	Modified      *voting.Profile
	ModWinners    []int
	Joined        *voting.Profile
	JoinedWinners []int
	Detail        string
}

func (v *Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s violates %s: %s\n", v.Method, v.Axiom, v.Detail)
	writeProfile(&b, "profile", v.Profile, v.Winners)
	if v.Modified != nil {
		writeProfile(&b, "modified", v.Modified, v.ModWinners)
	}
	if v.Joined != nil {
		writeProfile(&b, "joined", v.Joined, v.JoinedWinners)
	}
	return b.String()
}

func writeProfile(b *strings.Builder, label string, p *voting.Profile, winners []int) {
	names := p.Candidates()
	fmt.Fprintf(b, "%s (winners %s):\n", label, nameList(names, winners))
	for r, c := range p.Ballots() {
		fmt.Fprintf(b, "  %d: %s\n", c, rankingString(names, r))
	}
}

func nameList(names []string, cs []int) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = names[c]
	}
	return "{" + strings.Join(out, ", ") + "}"
}

func rankingString(names []string, r voting.Ranking) string {
	groups := make([]string, len(r))
	for i, g := range r {
		s := make([]string, len(g))
		for j, c := range g {
			s[j] = names[c]
		}
		groups[i] = strings.Join(s, " = ")
	}
	return strings.Join(groups, " > ")
}

// Checker runs one method and searches its violations.
type Checker struct {
	method voting.Method
	opts   voting.Options
	// Seed drives the random splits of the reinforcement search.
	seed uint64
}

// Options configure a Checker.
type Options struct {
	// Count are the options the method is run with.
	Count voting.Options
	// Seed seeds the random parts of the searches (reinforcement splits).
	Seed uint64
}

// NewChecker returns a checker of m.
func NewChecker(m voting.Method, o Options) *Checker {
	return &Checker{method: m, opts: o.Count, seed: o.Seed}
}

// ErrTieDependent is returned by Check when the method's count of the
// profile broke a tie during the count (a round's TieBreak): its winners
// then depend on the tie policy, which is not neutral (candidate order,
// lot), and the axioms are not checked on it.
var ErrTieDependent = errors.New("axioms: the count broke a tie during the count")

// winners runs the method; tied reports a tie broken during the count.
func (c *Checker) winners(p *voting.Profile) ([]int, error) {
	r, err := c.method.Run(voting.Input{Ranked: p}, c.opts)
	if err != nil {
		return nil, err
	}
	for _, rd := range r.Rounds {
		if rd.TieBreak != "" {
			return r.Winners, errTied
		}
	}
	return r.Winners, nil
}

// errTied marks a modified profile whose count broke a tie: that
// modification is skipped, the search goes on.
var errTied = fmt.Errorf("%w", ErrTieDependent)

// Check searches p for a violation of a; it returns nil when it finds
// none, and ErrTieDependent when the count of p itself broke a tie.
// Modified profiles whose count broke a tie are skipped.
func (c *Checker) Check(a Axiom, p *voting.Profile) (*Violation, error) {
	w, err := c.winners(p)
	if errors.Is(err, errTied) {
		return nil, ErrTieDependent
	}
	if err != nil {
		return nil, fmt.Errorf("axioms: %s on the profile: %w", c.method.Name, err)
	}
	v := &Violation{Axiom: a, Method: c.method.Name, Profile: p, Winners: w}
	var found bool
	switch a {
	case CondorcetWinner:
		found = c.condorcetWinner(p, v)
	case CondorcetLoser:
		found = c.condorcetLoser(p, v)
	case Monotonicity:
		found, err = c.monotonicity(p, v)
	case Participation:
		found, err = c.participation(p, v)
	case Reinforcement:
		found, err = c.reinforcement(p, v)
	case Clones:
		found, err = c.clones(p, v)
	default:
		return nil, fmt.Errorf("%w: unknown axiom %q", voting.ErrInvalidOption, a)
	}
	if err != nil || !found {
		return nil, err
	}
	return v, nil
}

func (c *Checker) condorcetWinner(p *voting.Profile, v *Violation) bool {
	cw := p.Pairwise().CondorcetWinner()
	if cw < 0 || slices.Equal(v.Winners, []int{cw}) {
		return false
	}
	v.Detail = fmt.Sprintf("%s is the Condorcet winner", p.Candidates()[cw])
	return true
}

func (c *Checker) condorcetLoser(p *voting.Profile, v *Violation) bool {
	cl := p.Pairwise().CondorcetLoser()
	if cl < 0 || !slices.Contains(v.Winners, cl) {
		return false
	}
	v.Detail = fmt.Sprintf("%s is the Condorcet loser and wins", p.Candidates()[cl])
	return true
}

// ballots returns p's distinct ballots and counts.
func ballots(p *voting.Profile) ([]voting.Ranking, []int64) {
	var rs []voting.Ranking
	var cs []int64
	for r, c := range p.Ballots() {
		rs = append(rs, r)
		cs = append(cs, c)
	}
	return rs, cs
}

// build makes a profile over names from rankings and counts (count 0
// skipped).
func build(names []string, rs []voting.Ranking, cs []int64) (*voting.Profile, error) {
	q, err := voting.NewProfile(names, voting.UnrankedLast)
	if err != nil {
		return nil, err
	}
	for i, r := range rs {
		if cs[i] > 0 {
			if err := q.Add(r, cs[i]); err != nil {
				return nil, err
			}
		}
	}
	return q, nil
}

// raise returns the strict ranking r with w moved up by steps places.
func raise(r voting.Ranking, w, steps int) voting.Ranking {
	var flat []int
	for _, g := range r {
		flat = append(flat, g...)
	}
	i := slices.Index(flat, w)
	j := max(0, i-steps)
	copy(flat[j+1:i+1], flat[j:i])
	flat[j] = w
	out := make(voting.Ranking, len(flat))
	for k, c := range flat {
		out[k] = []int{c}
	}
	return out
}

// monotonicity raises each winner, on ballots of each distinct kind that
// do not put it first (one, two, three, half or all of the voters of that
// kind), by one place and to the top; the winner must still win. Only
// strict ballots are modified.
func (c *Checker) monotonicity(p *voting.Profile, v *Violation) (bool, error) {
	rs, cs := ballots(p)
	names := p.Candidates()
	for _, w := range v.Winners {
		for i, r := range rs {
			pos := r.Positions(p.N())[w]
			if pos <= 0 || !r.Strict() {
				continue
			}
			for _, steps := range distinct(1, pos) {
				for _, k := range distinct(min(1, cs[i]), min(2, cs[i]), min(3, cs[i]), max(1, cs[i]/2), cs[i]) {
					rs2 := append(slices.Clone(rs), raise(r, w, steps))
					cs2 := append(slices.Clone(cs), k)
					cs2[i] -= k
					q, err := build(names, rs2, cs2)
					if err != nil {
						return false, err
					}
					w2, err := c.winners(q)
					if errors.Is(err, errTied) {
						continue
					}
					if err != nil {
						return false, err
					}
					if !slices.Contains(w2, w) {
						v.Modified, v.ModWinners = q, w2
						v.Detail = fmt.Sprintf("raising winner %s by %d place(s) on %d ballot(s) %s makes it lose", names[w], steps, k, rankingString(names, r))
						return true, nil
					}
				}
			}
		}
	}
	return false, nil
}

// participation removes one voter of each distinct ballot: if that voter
// prefers every winner without them to every winner with them, they were
// better off not voting.
func (c *Checker) participation(p *voting.Profile, v *Violation) (bool, error) {
	rs, cs := ballots(p)
	names := p.Candidates()
	for i, r := range rs {
		cs2 := slices.Clone(cs)
		cs2[i]--
		q, err := build(names, rs, cs2)
		if err != nil {
			return false, err
		}
		w2, err := c.winners(q)
		if errors.Is(err, errTied) {
			continue
		}
		if err != nil {
			return false, err
		}
		pos := r.Positions(p.N())
		better := func(a, b int) bool { // the voter ranks a strictly above b
			pa, pb := pos[a], pos[b]
			if pa < 0 {
				return false
			}
			return pb < 0 || pa < pb
		}
		all := len(w2) > 0
		for _, a := range w2 {
			for _, b := range v.Winners {
				all = all && better(a, b)
			}
		}
		if all {
			v.Modified, v.ModWinners = q, w2
			v.Detail = fmt.Sprintf("a voter casting %s prefers the winners without their ballot", rankingString(names, r))
			return true, nil
		}
	}
	return false, nil
}

// reinforcement splits p in two: each distinct ballot's voters apart from
// the rest, and ten seeded random splits of the voters. When the two parts
// have a winner in common, the whole must elect exactly the common ones.
func (c *Checker) reinforcement(p *voting.Profile, v *Violation) (bool, error) {
	rs, cs := ballots(p)
	names := p.Candidates()
	r := rand.New(rand.NewPCG(c.seed, 0x7e1f))
	var splits [][]int64
	for i := range rs {
		a := make([]int64, len(cs))
		a[i] = cs[i]
		splits = append(splits, a)
	}
	for range 10 {
		a := make([]int64, len(cs))
		for i, k := range cs {
			for range k {
				if r.Uint64()&1 == 0 {
					a[i]++
				}
			}
		}
		splits = append(splits, a)
	}
	for _, a := range splits {
		b := make([]int64, len(cs))
		na, nb := int64(0), int64(0)
		for i := range cs {
			b[i] = cs[i] - a[i]
			na += a[i]
			nb += b[i]
		}
		if na == 0 || nb == 0 {
			continue
		}
		pa, err := build(names, rs, a)
		if err != nil {
			return false, err
		}
		pb, err := build(names, rs, b)
		if err != nil {
			return false, err
		}
		wa, err := c.winners(pa)
		if errors.Is(err, errTied) {
			continue
		}
		if err != nil {
			return false, err
		}
		wb, err := c.winners(pb)
		if errors.Is(err, errTied) {
			continue
		}
		if err != nil {
			return false, err
		}
		var common []int
		for _, x := range wa {
			if slices.Contains(wb, x) {
				common = append(common, x)
			}
		}
		if len(common) == 0 || slices.Equal(common, v.Winners) {
			continue
		}
		v.Profile, v.Winners = pa, wa
		v.Modified, v.ModWinners = pb, wb
		v.Joined, v.JoinedWinners = p, mustWinners(c, p)
		v.Detail = fmt.Sprintf("the two electorates both elect %s, together %s", nameList(names, common), nameList(names, v.JoinedWinners))
		return true, nil
	}
	return false, nil
}

// distinct returns its arguments without repeats, in order.
func distinct[T comparable](xs ...T) []T {
	var out []T
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func mustWinners(c *Checker, p *voting.Profile) []int {
	w, _ := c.winners(p)
	return w
}

// clones adds a clone c' of each candidate c, placed just below c on
// every ballot, then just above, then below for half of the voters of
// each distinct ballot and above for the others. The winners, with c'
// read as c, must be unchanged: a winner other than c stays the winner,
// and c or its clone wins when c won.
func (c *Checker) clones(p *voting.Profile, v *Violation) (bool, error) {
	rs, cs := ballots(p)
	names := p.Candidates()
	n := p.N()
	if n >= voting.MaxCandidates {
		return false, nil
	}
	clone := n // index of the clone
	for x := range n {
		cloneName := names[x] + "'"
		for slices.Contains(names, cloneName) {
			cloneName += "'"
		}
		names2 := append(slices.Clone(names), cloneName)
		for _, mode := range []string{"below", "above", "split"} {
			var rs2 []voting.Ranking
			var cs2 []int64
			for i, r := range rs {
				switch mode {
				case "split": // half the voters of each kind each way
					if up := cs[i] / 2; up > 0 {
						rs2, cs2 = append(rs2, withClone(r, x, clone, true)), append(cs2, up)
					}
					rs2, cs2 = append(rs2, withClone(r, x, clone, false)), append(cs2, cs[i]-cs[i]/2)
				default:
					rs2, cs2 = append(rs2, withClone(r, x, clone, mode == "above")), append(cs2, cs[i])
				}
			}
			q, err := build(names2, rs2, cs2)
			if err != nil {
				return false, err
			}
			w2, err := c.winners(q)
			if errors.Is(err, errTied) {
				continue
			}
			if err != nil {
				return false, err
			}
			// Read the clone as x.
			var read []int
			for _, y := range w2 {
				if y == clone {
					y = x
				}
				if !slices.Contains(read, y) {
					read = append(read, y)
				}
			}
			slices.Sort(read)
			if !slices.Equal(read, v.Winners) {
				v.Modified, v.ModWinners = q, w2
				where := map[string]string{
					"below": "just below it on every ballot",
					"above": "just above it on every ballot",
					"split": "just above it for half the voters of each ballot and just below for the others",
				}[mode]
				v.Detail = fmt.Sprintf("adding a clone %s of %s %s changes the winners", cloneName, names[x], where)
				return true, nil
			}
		}
	}
	return false, nil
}

// withClone returns r with clone ranked just below (or above) x, in a
// group of its own; an unranked x leaves the clone unranked too.
func withClone(r voting.Ranking, x, clone int, above bool) voting.Ranking {
	out := make(voting.Ranking, 0, len(r)+1)
	for _, g := range r {
		if !slices.Contains(g, x) {
			out = append(out, g)
			continue
		}
		if above {
			out = append(out, []int{clone}, g)
		} else {
			out = append(out, g, []int{clone})
		}
	}
	return out
}
