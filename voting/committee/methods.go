package committee

import (
	"fmt"
	"math"

	"github.com/civickit/civickit/voting"
)

// Methods returns the committee rules as voting methods over approval
// ballots, for a voting.Registry: Options.Params["seats"] is the
// committee size (required), "max_nodes" and "max_work" raise the limits
// of the exact rules, Options.Tie breaks ties. Names are abcvoting's
// rule ids with hyphens, prefixed where a single-winner method already
// uses the name.
func Methods() []voting.Method {
	const src = "Lackner & Skowron, Multi-Winner Voting with Approval Preferences (Springer 2023); abcvoting"
	type rule = func(*Profile, int, Options) (*voting.Result, error)
	m := func(name, title, desc string, r rule) voting.Method {
		return voting.Method{
			Name: name, Title: title, Description: desc, Source: src,
			Ballots: voting.CardinalBallots, Kinds: []voting.CardinalKind{voting.Approval},
			Params: params(),
			Count: func(in voting.Input, o voting.Options) (*voting.Result, error) {
				p, k, co, err := fromInput(in, o)
				if err != nil {
					return nil, err
				}
				return withAxioms(r(p, k, co))(p, o)
			},
		}
	}
	mesMethod := m("mes-committee", "Method of Equal Shares (committee)",
		"Voters share k seats' worth of budget; the candidate affordable at the lowest price per voter is elected, its approvers paying equal shares. Variants name the completion.", nil)
	mesMethod.Variants = []string{string(CompletePhragmen), string(CompleteAV), string(CompleteIncrement), string(CompleteNone)}
	mesMethod.Count = func(in voting.Input, o voting.Options) (*voting.Result, error) {
		p, k, co, err := fromInput(in, o)
		if err != nil {
			return nil, err
		}
		return withAxioms(MES(p, k, co, MESCompletion(o.Variant)))(p, o)
	}
	return []voting.Method{
		m("av-committee", "Approval Voting (committee)", "Elects the k candidates with the most approvals.", AV),
		m("sav", "Satisfaction Approval Voting", "Elects the k candidates of highest score, each voter's approval split equally among the candidates they approve.", SAV),
		m("pav", "Proportional Approval Voting", "Elects the committee maximising the sum over voters of 1 + 1/2 + … + 1/t for t approved members; exact, by branch and bound.", PAV),
		m("seq-pav", "Sequential PAV", "Adds, k times, the candidate that raises the PAV score most.", SeqPAV),
		m("rev-seq-pav", "Reverse sequential PAV", "Removes, from all candidates, the one whose removal costs least PAV score until k remain.", RevSeqPAV),
		m("slav", "Sainte-Laguë Approval Voting", "Elects the committee maximising the sum of 1 + 1/3 + 1/5 + … per voter; exact, by branch and bound.", SLAV),
		m("seq-slav", "Sequential SLAV", "Adds, k times, the candidate that raises the SLAV score most.", SeqSLAV),
		m("cc", "Chamberlin–Courant (approval)", "Elects the committee in which the most voters approve at least one member; exact, by branch and bound.", CC),
		m("seq-cc", "Sequential Chamberlin–Courant", "Adds, k times, the candidate approved by the most voters not yet represented.", SeqCC),
		m("seq-phragmen", "Phragmén's sequential rule", "Each elected candidate puts a load of 1 on its approvers; the candidate keeping the largest load lowest is elected next.", SeqPhragmen),
		m("phragmen-enestrom", "Phragmén–Eneström", "Voters start with budget 1; the candidate whose approvers hold most wins and they pay n/k in proportion to their budgets.", PhragmenEnestrom),
		m("consensus", "Consensus rule", "Each round voters gain 1; the candidate whose approvers hold most wins and they pay n in total.", Consensus),
		mesMethod,
		m("maximin-support", "Maximin support", "Adds, k times, the candidate that makes the committee's maximin support (the least support a member can be guaranteed when voters spread their weight) largest.", MaximinSupport),
		m("leximax-phragmen", "Leximax Phragmén", "Elects the committee whose voters' loads, sorted from the largest, are lexicographically least; exact, by enumeration.", LeximaxPhragmen),
		m("minimax-phragmen", "Minimax Phragmén", "Elects the committee whose largest voter load is least when each member's load of 1 is spread over its approvers; exact, by enumeration.", MinimaxPhragmen),
		m("monroe", "Monroe (approval)", "Elects the committee maximising the voters assigned to an approved member, each member representing n/k voters; exact, by enumeration and maximum flow.", Monroe),
		m("greedy-monroe", "Greedy Monroe", "Elects, k times, the candidate approved by most unrepresented voters and assigns n/k of them to it.", GreedyMonroe),
		m("minimax-av", "Minimax Approval Voting", "Elects the committee minimising the largest Hamming distance to a ballot; exact, by enumeration.", MinimaxAV),
	}
}

func params() map[string]string {
	return map[string]string{
		"seats":     "committee size (required)",
		"max_nodes": "branch-and-bound node limit of PAV, SLAV, CC (default 1e7)",
		"max_work":  "enumeration limit of Monroe, minimax AV and minimax Phragmén (default 1e8)",
		"axioms":    "1: add to the notes whether the committee satisfies JR, PJR, EJR and priceability (with a witness when not)",
	}
}

func fromInput(in voting.Input, o voting.Options) (*Profile, int, Options, error) {
	p, err := FromCardinal(in.Cardinal)
	if err != nil {
		return nil, 0, Options{}, err
	}
	seats, ok := o.Params["seats"]
	if !ok || seats < 1 || seats != math.Trunc(seats) || seats > float64(p.N()) {
		return nil, 0, Options{}, fmt.Errorf("%w: a committee rule needs seats (-param seats=N), a whole number from 1 to %d", voting.ErrInvalidOption, p.N())
	}
	return p, int(seats), Options{Tie: o.Tie, MaxNodes: int64(o.Params["max_nodes"]), MaxWork: o.Params["max_work"]}, nil
}

// withAxioms returns a function adding, when Params["axioms"] is 1, the
// verdict of each axiom check to the result's notes.
func withAxioms(r *voting.Result, err error) func(*Profile, voting.Options) (*voting.Result, error) {
	return func(p *Profile, o voting.Options) (*voting.Result, error) {
		if err != nil || o.Params["axioms"] != 1 {
			return r, err
		}
		r.Notes = append(r.Notes, AxiomNotes(p, r.Elected)...)
		return r, nil
	}
}

// AxiomNotes says, one sentence per axiom, whether the committee
// satisfies JR, PJR, EJR and priceability, with the witness of a
// violation, or why a check was not made.
func AxiomNotes(p *Profile, committee []int) []string {
	var out []string
	for _, a := range []struct {
		name  string
		check func(*Profile, []int) (*Violation, error)
	}{{"JR", JR}, {"PJR", PJR}, {"EJR", EJR}} {
		v, err := a.check(p, committee)
		switch {
		case err != nil:
			out = append(out, fmt.Sprintf("%s: not checked (%v).", a.name, err))
		case v != nil:
			out = append(out, v.Text(p.candidates)+".")
		default:
			out = append(out, a.name+": satisfied.")
		}
	}
	ps, err := Priceable(p, committee)
	switch {
	case err != nil:
		out = append(out, fmt.Sprintf("Priceability: not checked (%v).", err))
	case ps == nil:
		out = append(out, "Priceability: no price system exists.")
	default:
		out = append(out, fmt.Sprintf("Priceability: satisfied at price %.6g per seat (budget 1 per voter).", ps.Price))
	}
	return out
}
