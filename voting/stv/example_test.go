package stv_test

import (
	"fmt"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/stv"
)

func Example() {
	p, _ := voting.NewProfile([]string{"Ann", "Bob", "Cat", "Dan"}, voting.UnrankedLast)
	p.Add(voting.Ranking{{0}, {1}}, 3)
	p.Add(voting.Ranking{{0}, {2}}, 2)
	p.Add(voting.Ranking{{1}}, 2)
	p.Add(voting.Ranking{{2}, {3}}, 1)
	p.Add(voting.Ranking{{3}, {2}}, 2)
	rules, _ := stv.Preset("scottish")
	rep, _ := stv.Count(p, 2, rules, nil)
	for _, st := range rep.Stages {
		fmt.Println(st.Action, st.Candidate, st.Votes, "elected:", st.Elected)
	}
	// Output:
	// first  [5.00000 2.00000 1.00000 2.00000] elected: [Ann]
	// surplus Ann [4.00000 2.60000 1.40000 2.00000] elected: []
	// exclusion Cat [4.00000 2.60000 0.00000 3.00000] elected: []
	// exclusion Bob [4.00000 0.00000 0.00000 3.00000] elected: []
	// fill  [4.00000 0.00000 0.00000 3.00000] elected: [Dan]
}
