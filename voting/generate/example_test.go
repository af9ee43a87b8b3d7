package generate_test

import (
	"fmt"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/generate"
)

// Draw 1000 voters from a Mallows model around A > B > C > D and count
// them with Borda.
func Example() {
	p, err := generate.Ranked(generate.Options{
		Candidates: 4,
		Voters:     1000,
		Seed:       2026,
		Culture:    generate.Mallows{Phi: 0.4},
	})
	if err != nil {
		panic(err)
	}
	m, _ := voting.NewRegistry().Lookup("borda")
	r, err := m.Run(voting.Input{Ranked: p}, voting.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Voters(), "voters; Borda elects", p.Candidates()[r.Elected[0]])
	// Output: 1000 voters; Borda elects A
}
