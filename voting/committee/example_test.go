package committee_test

import (
	"fmt"

	"github.com/civickit/civickit/voting/committee"
)

func ExamplePAV() {
	// Six voters approve a, b and c; three approve d. Three seats.
	p, _ := committee.NewProfile([]string{"a", "b", "c", "d"})
	_ = p.Add([]int{0, 1, 2}, 6)
	_ = p.Add([]int{3}, 3)
	av, _ := committee.AV(p, 3, committee.Options{})
	pav, _ := committee.PAV(p, 3, committee.Options{})
	fmt.Println("AV: ", av.Elected)
	fmt.Println("PAV:", pav.Elected)
	v, _ := committee.JR(p, av.Elected)
	fmt.Println(v)
	v, _ = committee.EJR(p, pav.Elected)
	fmt.Println("PAV EJR violation:", v)
	// Output:
	// AV:  [0 1 2]
	// PAV: [0 1 3]
	// JR violated: 3 voters (quota 3 for ℓ=1) all approve [3] but each approves fewer than 1 members
	// PAV EJR violation: <nil>
}
