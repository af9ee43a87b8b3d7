package committee

import (
	"fmt"
	"slices"
	"strings"

	"github.com/civickit/civickit/voting"
)

// Violation is a witness that a committee fails an axiom: a group of
// voters of weight at least Ell·n/k who all approve the candidates
// Common (|Common| = Ell), yet are represented too little — under JR and
// EJR each has fewer than Ell approved members, under PJR together fewer
// than Ell.
type Violation struct {
	Axiom  string  `json:"axiom"`
	Ell    int     `json:"ell"`
	Common []int   `json:"common"`
	Weight float64 `json:"weight"`
	// Quota is Ell·n/k, the weight the group needed.
	Quota float64 `json:"quota"`
	// Group lists the group's ballots (approval sets) and their weights.
	Group []GroupBallot `json:"group"`
}

// GroupBallot is one distinct ballot of a witness group.
type GroupBallot struct {
	Approved []int   `json:"approved"`
	Weight   float64 `json:"weight"`
}

func (v *Violation) String() string { return v.describe(fmt.Sprint(v.Common)) }

// Text is String with candidate names in place of indices.
func (v *Violation) Text(names []string) string {
	var common []string
	for _, c := range v.Common {
		if c >= 0 && c < len(names) {
			common = append(common, names[c])
		}
	}
	return v.describe(strings.Join(common, ", "))
}

func (v *Violation) describe(common string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s violated: %.6g voters (quota %.6g for ℓ=%d) all approve %s", v.Axiom, v.Weight, v.Quota, v.Ell, common)
	if v.Axiom == "PJR" {
		fmt.Fprintf(&b, " but together approve fewer than %d members", v.Ell)
	} else {
		fmt.Fprintf(&b, " but each approves fewer than %d members", v.Ell)
	}
	return b.String()
}

// JR checks justified representation: no group of n/k voters sharing a
// candidate is left with no approved member. Polynomial.
func JR(p *Profile, committee []int) (*Violation, error) {
	return checkAxiom(p, committee, "JR", 1, 0)
}

// EJR checks extended justified representation: for every ℓ, no group
// of ℓ·n/k voters approving ℓ common candidates has every member with
// fewer than ℓ approved in the committee. Checking EJR is coNP-complete;
// this enumerates the ℓ-sets of candidates and is refused with
// voting.ErrTooLarge past 10^8 steps (or maxWork when > 0).
func EJR(p *Profile, committee []int) (*Violation, error) {
	return checkAxiom(p, committee, "EJR", len(committee), 0)
}

// PJR checks proportional justified representation: for every ℓ, no
// group of ℓ·n/k voters approving ℓ common candidates together approves
// fewer than ℓ members. It enumerates ℓ-sets of candidates and (ℓ-1)-
// subsets of the committee, within the same limit as EJR.
func PJR(p *Profile, committee []int) (*Violation, error) {
	return checkAxiom(p, committee, "PJR", len(committee), 0)
}

func checkAxiom(p *Profile, committee []int, axiom string, maxEll int, maxWork float64) (*Violation, error) {
	k := len(committee)
	if k == 0 {
		return nil, fmt.Errorf("%w: empty committee", voting.ErrInvalidOption)
	}
	in := make([]bool, p.N())
	for _, x := range committee {
		if x < 0 || x >= p.N() || in[x] {
			return nil, fmt.Errorf("%w: committee member %d invalid or repeated", voting.ErrInvalidOption, x)
		}
		in[x] = true
	}
	if maxWork <= 0 {
		maxWork = 1e8
	}
	// Only candidates approved by a quota's weight can be common to a
	// group, so the enumeration is over them.
	av := p.approvalScores()
	reaching := func(ell int) int {
		quota := float64(ell) * p.voters / float64(k)
		n := 0
		for _, s := range av {
			if s >= quota || near(s, quota) {
				n++
			}
		}
		return n
	}
	work := 0.0
	for ell := 1; ell <= maxEll; ell++ {
		w := binomial(reaching(ell), ell) * float64(len(p.ballots))
		if axiom == "PJR" {
			w *= binomial(k, ell-1)
		}
		work += w
	}
	if work > maxWork {
		return nil, fmt.Errorf("%w: %s check over %d candidates, committee %d: %.3g steps, limit %.3g", voting.ErrTooLarge, axiom, p.N(), k, work, maxWork)
	}
	sat := make([]int, len(p.ballots))
	for b, set := range p.ballots {
		for _, x := range set {
			if in[x] {
				sat[b]++
			}
		}
	}
	n := p.voters
	for ell := 1; ell <= maxEll; ell++ {
		quota := float64(ell) * n / float64(k)
		var cands []int
		for x, s := range av {
			if s >= quota || near(s, quota) {
				cands = append(cands, x)
			}
		}
		if len(cands) < ell {
			break
		}
		var found *Violation
		combinations(len(cands), ell, func(idx []int) bool {
			common := make([]int, ell)
			for i, j := range idx {
				common[i] = cands[j]
			}
			var group []int
			for b, set := range p.ballots {
				if containsAll(set, common) {
					group = append(group, b)
				}
			}
			if axiom != "PJR" {
				var g []int
				for _, b := range group {
					if sat[b] < ell {
						g = append(g, b)
					}
				}
				found = witness(p, axiom, ell, common, g, quota)
				return found == nil
			}
			// PJR: some ℓ-1 members Y cover the group's approved members.
			combinations(k, min(ell-1, k), func(yi []int) bool {
				y := make([]bool, p.N())
				for _, j := range yi {
					y[committee[j]] = true
				}
				var g []int
				for _, b := range group {
					if coveredBy(p.ballots[b], in, y) {
						g = append(g, b)
					}
				}
				found = witness(p, axiom, ell, common, g, quota)
				return found == nil
			})
			return found == nil
		})
		if found != nil {
			return found, nil
		}
	}
	return nil, nil
}

// coveredBy reports whether the members a ballot approves are all in y.
func coveredBy(set []int, in, y []bool) bool {
	for _, x := range set {
		if in[x] && !y[x] {
			return false
		}
	}
	return true
}

func containsAll(set, sub []int) bool {
	for _, x := range sub {
		if _, ok := slices.BinarySearch(set, x); !ok {
			return false
		}
	}
	return true
}

func witness(p *Profile, axiom string, ell int, common, group []int, quota float64) *Violation {
	w := 0.0
	for _, b := range group {
		w += p.weights[b]
	}
	if w < quota && !near(w, quota) {
		return nil
	}
	v := &Violation{Axiom: axiom, Ell: ell, Common: common, Weight: w, Quota: quota}
	for _, b := range group {
		v.Group = append(v.Group, GroupBallot{Approved: slices.Clone(p.ballots[b]), Weight: p.weights[b]})
	}
	return v
}
