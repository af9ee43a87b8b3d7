package axioms

import (
	"context"
	"errors"
	"fmt"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/generate"
)

// Rate is the outcome of a batch for one method and one axiom.
type Rate struct {
	Method string
	Axiom  Axiom
	// Checked counts the profiles where the axiom applies (those with a
	// Condorcet winner, or loser, for the Condorcet criteria; all others).
	Checked int
	// TieDependent counts the profiles left out because the count broke
	// a tie during the count (see ErrTieDependent).
	TieDependent int
	// Violations counts the profiles where the search found a violation;
	// Example is the first one.
	Violations int
	Example    *Violation
}

// Fraction is Violations/Checked (0 when nothing was checked).
func (r Rate) Fraction() float64 {
	if r.Checked == 0 {
		return 0
	}
	return float64(r.Violations) / float64(r.Checked)
}

// Batch draws profiles profiles from gen (profile i with seed gen.Seed+i)
// and checks every axiom on every method, returning one Rate per method
// and axiom, methods outer.
func Batch(ctx context.Context, methods []voting.Method, axioms []Axiom, gen generate.Options, profiles int, o Options) ([]Rate, error) {
	if profiles < 1 {
		return nil, fmt.Errorf("%w: profiles %d: must be at least 1", voting.ErrInvalidOption, profiles)
	}
	rates := make([]Rate, 0, len(methods)*len(axioms))
	for _, m := range methods {
		for _, a := range axioms {
			rates = append(rates, Rate{Method: m.Name, Axiom: a})
		}
	}
	base := gen.Seed
	for i := range profiles {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		gen.Seed = base + uint64(i)
		p, err := generate.Ranked(gen)
		if err != nil {
			return nil, err
		}
		pw := p.Pairwise()
		hasCW, hasCL := pw.CondorcetWinner() >= 0, pw.CondorcetLoser() >= 0
		for mi, m := range methods {
			c := NewChecker(m, Options{Count: o.Count, Seed: o.Seed + uint64(i)})
			for ai, a := range axioms {
				if (a == CondorcetWinner && !hasCW) || (a == CondorcetLoser && !hasCL) {
					continue
				}
				rt := &rates[mi*len(axioms)+ai]
				v, err := c.Check(a, p)
				if errors.Is(err, ErrTieDependent) {
					rt.TieDependent++
					continue
				}
				rt.Checked++
				if err != nil {
					return nil, fmt.Errorf("axioms: profile %d (seed %d): %w", i, gen.Seed, err)
				}
				if v != nil {
					rt.Violations++
					if rt.Example == nil {
						rt.Example = v
					}
				}
			}
		}
	}
	return rates, nil
}
