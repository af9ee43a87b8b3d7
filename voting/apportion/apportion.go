// Package apportion allocates seats to parties (or states) in proportion
// to their votes (or populations): the divisor methods of D'Hondt
// (Jefferson), Sainte-Laguë (Webster) and its modified first divisor,
// Huntington–Hill, Adams, the Danish method and Imperiali, and the
// largest-remainder methods with the Hare and Droop quotas
// (Hare–Niemeyer, Hamilton). Thresholds exclude small parties first.
//
// Every comparison is exact (integer arithmetic on the votes, never
// floating point), so that a tie is a tie: it is reported, and decided by
// the tie policy, never by rounding. Each Result lists the seats in the
// order they were awarded, with the quotient that won each, so that the
// allocation explains itself.
package apportion

import (
	"fmt"
	"io"
	"math"
	"math/big"
	"slices"

	"github.com/civickit/civickit/voting"
)

// Method is an apportionment rule.
type Method struct {
	// Name is lower-case and hyphenated ("dhondt").
	Name        string
	Title       string
	Description string
	Source      string
	// divisor returns the divisor of a party holding s seats as the
	// fraction num/den, or den = 0 for an infinite priority (Adams and
	// Huntington–Hill give every party its first seat first). For
	// Huntington–Hill, num/den is the divisor's square (sqrt(s(s+1))).
	divisor func(s int64) (num, den int64)
	squared bool
	// quota is set for the largest-remainder methods instead.
	quota quotaKind
}

type quotaKind int

const (
	noQuota quotaKind = iota
	hareQuota
	droopQuota
)

// Methods returns every method, in -list order.
func Methods() []Method {
	return []Method{
		{Name: "dhondt", Title: "D'Hondt (Jefferson)", Description: "Divisors 1, 2, 3, …: favours larger parties; no party gets fewer seats than its whole quota.",
			Source:  "V. d'Hondt, Système pratique et raisonné de représentation proportionnelle (1882); Jefferson (1792).",
			divisor: func(s int64) (int64, int64) { return s + 1, 1 }},
		{Name: "sainte-lague", Title: "Sainte-Laguë (Webster)", Description: "Divisors 1, 3, 5, …: unbiased between large and small parties.",
			Source:  "A. Sainte-Laguë, 'La représentation proportionnelle et la méthode des moindres carrés', Annales de l'ENS 27 (1910); Webster (1832).",
			divisor: func(s int64) (int64, int64) { return 2*s + 1, 1 }},
		{Name: "sainte-lague-modified", Title: "Modified Sainte-Laguë", Description: "Divisors 1.4, 3, 5, …: a first seat costs more (Norway, Sweden before 2018).",
			Source: "Norwegian Election Act 2002, s. 11-4 (first divisor 1.4).",
			divisor: func(s int64) (int64, int64) {
				if s == 0 {
					return 7, 5
				}
				return 2*s + 1, 1
			}},
		{Name: "huntington-hill", Title: "Huntington–Hill (equal proportions)", Description: "Divisors sqrt(s(s+1)): every party (state) with votes gets a first seat; the rule of the US House since 1941.",
			Source: "2 U.S.C. § 2a; Huntington, 'The apportionment of representatives in Congress', Trans. AMS 30 (1928).",
			divisor: func(s int64) (int64, int64) {
				if s == 0 {
					return 0, 0
				}
				return s * (s + 1), 1
			}, squared: true},
		{Name: "adams", Title: "Adams (smallest divisors)", Description: "Divisors 0, 1, 2, …: every party with votes gets a seat first; favours smaller parties.",
			Source: "J. Q. Adams (1832); Balinski & Young, Fair Representation (1982).",
			divisor: func(s int64) (int64, int64) {
				if s == 0 {
					return 0, 0
				}
				return s, 1
			}},
		{Name: "danish", Title: "Danish method", Description: "Divisors 1, 4, 7, … (3s+1): used for the Danish supplementary seats.",
			Source:  "Danish Parliamentary Election Act, s. 77 (divisors 1, 4, 7, 10, …).",
			divisor: func(s int64) (int64, int64) { return 3*s + 1, 1 }},
		{Name: "imperiali", Title: "Imperiali (divisors)", Description: "Divisors 2, 3, 4, … (equivalently 1, 1.5, 2, …): favours larger parties more than D'Hondt (Belgian municipal councils).",
			Source:  "Belgian Local Elections Code (Code électoral communal), art. 56 (divisors 1, 1.5, 2, 2.5, …).",
			divisor: func(s int64) (int64, int64) { return s + 2, 1 }},
		{Name: "hare", Title: "Largest remainder, Hare quota (Hamilton, Hare–Niemeyer)", Description: "Each party gets its whole number of Hare quotas (votes × seats / total); the seats left go to the largest remainders.",
			Source: "A. Hamilton (1792); H. Niemeyer (1970); German Bundestag 1987–2005.",
			quota:  hareQuota},
		{Name: "droop", Title: "Largest remainder, Droop quota", Description: "Each party gets its whole number of Droop quotas (floor(total/(seats+1)) + 1); the seats left go to the largest remainders.",
			Source: "H. R. Droop, 'On methods of electing representatives', J. Statistical Society 44 (1881); South Africa, Electoral Act 1998, sch. 1A.",
			quota:  droopQuota},
	}
}

// Lookup returns the method named name.
func Lookup(name string) (Method, error) {
	for _, m := range Methods() {
		if m.Name == name {
			return m, nil
		}
	}
	return Method{}, fmt.Errorf("%w: no apportionment method %q", voting.ErrUnknownMethod, name)
}

// Options tune an allocation.
type Options struct {
	// Threshold is the share of the total votes (0.05 for 5 %) a party
	// needs to take part; parties below get no seat. Exempt parties (a
	// national minority, say) take part whatever their share.
	Threshold float64
	Exempt    []bool
	// Eligible, when set, excludes the parties marked false whatever
	// their votes here: a national threshold applied to a district's
	// allocation (compute it with NationallyEligible).
	Eligible []bool
	// Tie orders parties tied for the last seats (the first is
	// favoured); voting.CandidateOrder when nil. The Result names it.
	Tie voting.TiePolicy
}

// Award is one seat awarded by a divisor method.
type Award struct {
	Seat  int `json:"seat"`
	Party int `json:"party"`
	// Quotient is the party's votes over its divisor when it won the seat
	// ("inf" for a first seat under Adams or Huntington–Hill).
	Quotient string `json:"quotient"`
}

// Result is an allocation.
type Result struct {
	Method  string   `json:"method"`
	Parties []string `json:"parties"`
	Votes   []int64  `json:"votes"`
	Seats   []int    `json:"seats"`
	// Eligible is false for a party below the threshold.
	Eligible []bool `json:"eligible"`
	// Awards are the seats of a divisor method in the order won.
	Awards []Award `json:"awards,omitempty"`
	// Quota, Whole and Remainders explain a largest-remainder allocation:
	// whole quotas per party, then the remainders (in votes) that won
	// the seats left.
	Quota      string   `json:"quota,omitempty"`
	Whole      []int    `json:"whole,omitempty"`
	Remainders []string `json:"remainders,omitempty"`
	// Tied lists the parties that were tied for the last seat(s) and
	// TieBreak the policy that decided, when one had to.
	Tied     []int  `json:"tied,omitempty"`
	TieBreak string `json:"tie_break,omitempty"`
}

// Allocate gives seats to the parties in proportion to votes.
func (m Method) Allocate(parties []string, votes []int64, seats int, o Options) (*Result, error) {
	if len(parties) != len(votes) || len(parties) == 0 {
		return nil, fmt.Errorf("%w: %d parties and %d vote counts", voting.ErrInvalidOption, len(parties), len(votes))
	}
	if seats < 0 {
		return nil, fmt.Errorf("%w: seats %d: want 0 or more", voting.ErrInvalidOption, seats)
	}
	if o.Threshold < 0 || o.Threshold >= 1 {
		return nil, fmt.Errorf("%w: threshold %v: want a share in [0, 1)", voting.ErrInvalidOption, o.Threshold)
	}
	if o.Exempt != nil && len(o.Exempt) != len(parties) {
		return nil, fmt.Errorf("%w: exempt has %d entries for %d parties", voting.ErrInvalidOption, len(o.Exempt), len(parties))
	}
	if o.Eligible != nil && len(o.Eligible) != len(parties) {
		return nil, fmt.Errorf("%w: eligible has %d entries for %d parties", voting.ErrInvalidOption, len(o.Eligible), len(parties))
	}
	var total int64
	for i, v := range votes {
		if v < 0 {
			return nil, fmt.Errorf("%w: party %q has %d votes", voting.ErrInvalidOption, parties[i], v)
		}
		total += v
	}
	r := &Result{Method: m.Name, Parties: slices.Clone(parties), Votes: slices.Clone(votes), Seats: make([]int, len(parties)), Eligible: make([]bool, len(parties))}
	// Threshold: votes × 10^6 ≥ share × total × 10^6, in integers.
	need := new(big.Rat).Mul(new(big.Rat).SetFloat64(o.Threshold), new(big.Rat).SetInt64(total))
	var eligible []int
	var pool int64
	for i, v := range votes {
		ok := v > 0 && (new(big.Rat).SetInt64(v).Cmp(need) >= 0 || (o.Exempt != nil && o.Exempt[i])) && (o.Eligible == nil || o.Eligible[i])
		r.Eligible[i] = ok
		if ok {
			eligible = append(eligible, i)
			pool += v
		}
	}
	if seats > 0 && len(eligible) == 0 {
		return nil, fmt.Errorf("%w: no party has votes above the threshold", voting.ErrInvalidOption)
	}
	if o.Tie == nil {
		o.Tie = voting.CandidateOrder()
	}
	if m.quota != noQuota {
		m.largestRemainder(r, eligible, pool, seats, o.Tie)
	} else {
		m.divisorMethod(r, eligible, seats, o.Tie)
	}
	return r, nil
}

// quotient is votes/divisor as a fraction; inf when the divisor is 0.
type quotient struct {
	num, den *big.Int
	inf      bool
}

func (m Method) quotientOf(v int64, s int64) quotient {
	dn, dd := m.divisor(s)
	if dd == 0 || dn == 0 {
		return quotient{inf: true}
	}
	num := big.NewInt(v)
	if m.squared {
		num.Mul(num, num) // compare v²/(s(s+1)) for v/sqrt(s(s+1))
	}
	// v / (dn/dd) = v·dd / dn
	return quotient{num: num.Mul(num, big.NewInt(dd)), den: big.NewInt(dn)}
}

func (q quotient) cmp(p quotient) int {
	switch {
	case q.inf && p.inf:
		return 0
	case q.inf:
		return 1
	case p.inf:
		return -1
	}
	a := new(big.Int).Mul(q.num, p.den)
	b := new(big.Int).Mul(p.num, q.den)
	return a.Cmp(b)
}

func (q quotient) String(squared bool) string {
	if q.inf {
		return "inf"
	}
	f, _ := new(big.Rat).SetFrac(q.num, q.den).Float64()
	if squared {
		return fmt.Sprintf("%.3f", math.Sqrt(f))
	}
	return new(big.Rat).SetFrac(q.num, q.den).FloatString(3)
}

// divisorMethod awards seats one at a time to the highest quotient.
func (m Method) divisorMethod(r *Result, eligible []int, seats int, tie voting.TiePolicy) {
	for k := 1; k <= seats; k++ {
		var best []int
		var bq quotient
		for _, p := range eligible {
			q := m.quotientOf(r.Votes[p], int64(r.Seats[p]))
			if best == nil {
				best, bq = []int{p}, q
				continue
			}
			switch c := q.cmp(bq); {
			case c > 0:
				best, bq = []int{p}, q
			case c == 0:
				best = append(best, p)
			}
		}
		winner := best[0]
		if len(best) > 1 && seats-k+1 < len(best) {
			// More tied parties than seats left: the policy decides.
			order, name := voting.Resolve(tie, best, voting.TieContext{Candidates: r.Parties})
			winner = order[0]
			r.Tied, r.TieBreak = slices.Clone(best), name
		}
		r.Seats[winner]++
		r.Awards = append(r.Awards, Award{Seat: k, Party: winner, Quotient: bq.String(m.squared)})
	}
}

// largestRemainder gives whole quotas, then the seats left by remainder.
func (m Method) largestRemainder(r *Result, eligible []int, pool int64, seats int, tie voting.TiePolicy) {
	// Quota as a fraction qn/qd of votes.
	qn, qd := big.NewInt(pool), big.NewInt(int64(max(seats, 1)))
	if m.quota == droopQuota {
		qn = big.NewInt(pool/int64(seats+1) + 1)
		qd = big.NewInt(1)
	}
	r.Quota = new(big.Rat).SetFrac(qn, qd).FloatString(3)
	r.Whole = make([]int, len(r.Parties))
	r.Remainders = make([]string, len(r.Parties))
	rems := make([]*big.Rat, len(r.Parties))
	given := 0
	for _, p := range eligible {
		// whole = floor(v·qd / qn); remainder = v - whole·quota
		vq := new(big.Int).Mul(big.NewInt(r.Votes[p]), qd)
		whole, rem := new(big.Int).QuoRem(vq, qn, new(big.Int))
		r.Whole[p] = int(whole.Int64())
		r.Seats[p] = r.Whole[p]
		given += r.Whole[p]
		rems[p] = new(big.Rat).SetFrac(rem, qd)
		r.Remainders[p] = rems[p].FloatString(3)
	}
	left := seats - given
	if left < 0 {
		// The Droop quota can over-allocate only on rounding; never with
		// floor(V/(S+1))+1, but stay safe.
		left = 0
	}
	order := slices.Clone(eligible)
	slices.SortStableFunc(order, func(a, b int) int { return rems[b].Cmp(rems[a]) })
	for i := 0; i < len(order) && left > 0; {
		j := i + 1
		for j < len(order) && rems[order[j]].Cmp(rems[order[i]]) == 0 {
			j++
		}
		group := order[i:j]
		if len(group) > left {
			ranked, name := voting.Resolve(tie, group, voting.TieContext{Candidates: r.Parties})
			r.Tied, r.TieBreak = slices.Clone(group), name
			group = ranked[:left]
		}
		for _, p := range group {
			r.Seats[p]++
			left--
		}
		i = j
	}
}

// WriteText writes the allocation: a line per party with its votes and
// seats, then how the seats were won.
func (r *Result) WriteText(w io.Writer) error {
	var b []byte
	b = fmt.Appendf(b, "Apportionment: %s, %d seats\n", r.Method, sum(r.Seats))
	for i, p := range r.Parties {
		status := ""
		if !r.Eligible[i] {
			status = " (below the threshold)"
		}
		b = fmt.Appendf(b, "  %s: %d votes, %d seats%s\n", p, r.Votes[i], r.Seats[i], status)
	}
	if r.Quota != "" {
		b = fmt.Appendf(b, "Quota %s; whole quotas, then the largest remainders:\n", r.Quota)
		for i, p := range r.Parties {
			if r.Eligible[i] {
				b = fmt.Appendf(b, "  %s: %d whole, remainder %s\n", p, r.Whole[i], r.Remainders[i])
			}
		}
	}
	for _, a := range r.Awards {
		b = fmt.Appendf(b, "  seat %d: %s (quotient %s)\n", a.Seat, r.Parties[a.Party], a.Quotient)
	}
	if r.TieBreak != "" {
		var names []string
		for _, p := range r.Tied {
			names = append(names, r.Parties[p])
		}
		b = fmt.Appendf(b, "Tie between %v for the last seat(s), decided by %s.\n", names, r.TieBreak)
	}
	_, err := w.Write(b)
	return err
}

func sum(s []int) int {
	t := 0
	for _, v := range s {
		t += v
	}
	return t
}

// NationallyEligible returns, for parties with the given national votes,
// which reach share of the national total (or are exempt): pass it as
// Options.Eligible to each district's allocation for a two-tier
// threshold (the district's own Threshold may apply as well).
func NationallyEligible(national []int64, share float64, exempt []bool) ([]bool, error) {
	if share < 0 || share >= 1 {
		return nil, fmt.Errorf("%w: threshold %v: want a share in [0, 1)", voting.ErrInvalidOption, share)
	}
	if exempt != nil && len(exempt) != len(national) {
		return nil, fmt.Errorf("%w: exempt has %d entries for %d parties", voting.ErrInvalidOption, len(exempt), len(national))
	}
	var total int64
	for _, v := range national {
		if v < 0 {
			return nil, fmt.Errorf("%w: negative national votes %d", voting.ErrInvalidOption, v)
		}
		total += v
	}
	need := new(big.Rat).Mul(new(big.Rat).SetFloat64(share), new(big.Rat).SetInt64(total))
	out := make([]bool, len(national))
	for i, v := range national {
		out[i] = new(big.Rat).SetInt64(v).Cmp(need) >= 0 || (exempt != nil && exempt[i])
	}
	return out, nil
}
