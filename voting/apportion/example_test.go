package apportion_test

import (
	"fmt"

	"github.com/civickit/civickit/voting/apportion"
)

func Example() {
	m, _ := apportion.Lookup("dhondt")
	r, _ := m.Allocate([]string{"A", "B", "C", "D"}, []int64{100000, 80000, 30000, 20000}, 8, apportion.Options{})
	fmt.Println(r.Seats)
	for _, a := range r.Awards[:3] {
		fmt.Println(a.Seat, r.Parties[a.Party], a.Quotient)
	}
	// Output:
	// [4 3 1 0]
	// 1 A 100000.000
	// 2 B 80000.000
	// 3 A 50000.000
}
