package ballotboxtest_test

import (
	"fmt"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/civickit/civickit/voting/ballotbox/ballotboxtest"
)

// The fixtures are valid for the methods of the default registry.
func ExampleNewElection() {
	e := ballotboxtest.NewElection(ballotbox.RevoteLast, ballotbox.VisibleAfterVote)
	reg := voting.NewRegistry()
	fmt.Println(e.Validate(reg))
	fmt.Println(e.CheckBallot(reg, ballotboxtest.Full(7)))
	fmt.Println(string(e.Canonical(ballotboxtest.Ranked(2, 0))))
	// Output:
	// <nil>
	// <nil>
	// {"answers":[{"question":"mayor","ranking":[[2],[0]]}]}
}

func ExampleClock() {
	c := ballotboxtest.NewClock(ballotboxtest.During)
	fmt.Println(c.Now().Format("2006-01-02 15:04"))
	c.Set(ballotboxtest.After)
	fmt.Println(c.Now().Format("2006-01-02 15:04"))
	// Output:
	// 2026-03-04 12:30
	// 2026-03-09 09:00
}
