package voting_test

import (
	"fmt"

	"github.com/civickit/civickit/voting"
)

// Count the same ballots with two methods from the registry.
func Example() {
	p, _ := voting.NewProfile([]string{"Memphis", "Nashville", "Chattanooga", "Knoxville"}, voting.UnrankedLast)
	_ = p.Add(voting.Ranking{{0}, {1}, {2}, {3}}, 42)
	_ = p.Add(voting.Ranking{{1}, {2}, {3}, {0}}, 26)
	_ = p.Add(voting.Ranking{{2}, {3}, {1}, {0}}, 15)
	_ = p.Add(voting.Ranking{{3}, {2}, {1}, {0}}, 17)

	reg := voting.NewRegistry()
	for _, name := range []string{"plurality", "borda"} {
		m, _ := reg.Lookup(name)
		r, _ := m.Run(voting.Input{Ranked: p}, voting.Options{})
		fmt.Println(name, p.Candidates()[r.Elected[0]], r.Scores)
	}
	fmt.Println("Condorcet winner:", p.Candidates()[p.Pairwise().CondorcetWinner()])
	// Output:
	// plurality Memphis [42 26 15 17]
	// borda Nashville [126 194 173 107]
	// Condorcet winner: Nashville
}

// A lot drawn from a published seed decides ties reproducibly.
func ExampleLot() {
	order, policy := voting.Resolve(voting.Chain(voting.Backward(), voting.Lot(2026)), []int{0, 1, 2},
		voting.TieContext{Rounds: []voting.Round{{Counts: []float64{4, 4, 4}}}})
	again, _ := voting.Resolve(voting.Lot(2026), []int{0, 1, 2}, voting.TieContext{})
	fmt.Println(policy)
	fmt.Println(len(order), order[0] == again[0])
	// Output:
	// backward then lot(seed=2026)
	// 3 true
}
