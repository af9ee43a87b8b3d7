package axioms_test

import (
	"context"
	"fmt"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/axioms"
	"github.com/civickit/civickit/voting/generate"
)

// Search a profile for a violation and print the witness.
func ExampleChecker_Check() {
	p, _ := voting.NewProfile([]string{"A", "B", "C"}, voting.UnrankedLast)
	p.Add(voting.Ranking{{0}, {1}, {2}}, 8)
	p.Add(voting.Ranking{{1}, {2}, {0}}, 7)
	p.Add(voting.Ranking{{2}, {1}, {0}}, 6)
	plurality, _ := voting.NewRegistry().Lookup("plurality")
	v, _ := axioms.NewChecker(plurality, axioms.Options{}).Check(axioms.CondorcetWinner, p)
	fmt.Print(v)
	// Output:
	// plurality violates condorcet-winner: B is the Condorcet winner
	// profile (winners {A}):
	//   8: A > B > C
	//   7: B > C > A
	//   6: C > B > A
}

// Estimate how often IRV fails monotonicity on impartial-culture profiles.
func ExampleBatch() {
	irv, _ := voting.NewRegistry().Lookup("irv")
	gen := generate.Options{Candidates: 4, Voters: 101, Seed: 1}
	rates, _ := axioms.Batch(context.Background(), []voting.Method{irv}, []axioms.Axiom{axioms.Monotonicity}, gen, 200, axioms.Options{})
	r := rates[0]
	fmt.Println(r.Method, r.Axiom, r.Checked+r.TieDependent, "profiles, violations found:", r.Violations > 0)
	// Output: irv monotonicity 200 profiles, violations found: true
}
