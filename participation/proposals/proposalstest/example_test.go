package proposalstest_test

import (
	"fmt"

	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/participation/proposals/proposalstest"
)

// Fixtures are reproducible: the same seed gives the same proposal, and
// the channel follows i.
func ExampleNewProposal() {
	consultation, author := participationtest.NewID(participationtest.NewRand(1)), participationtest.NewID(participationtest.NewRand(2))
	p := proposalstest.NewProposal(participationtest.NewRand(3), consultation, author, 3)
	again := proposalstest.NewProposal(participationtest.NewRand(3), consultation, author, 3)
	fmt.Println(p.Title, p.Provenance.Channel, p.CreatedAt.Sub(participationtest.BaseTime))
	fmt.Println(proposalstest.CanonProposal(*p) == proposalstest.CanonProposal(*again))
	// Output:
	// Proposition n°3 mediator 3m0s
	// true
}
