package votetest_test

import (
	"fmt"

	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/participation/vote"
	"github.com/civickit/civickit/participation/vote/votetest"
)

// Fixtures are reproducible, and SortLinks orders links as a store lists
// them: by creation time, then election ID.
func ExampleNewLink() {
	consultation := participationtest.NewID(participationtest.NewRand(1))
	a := votetest.NewLink(participationtest.NewRand(2), consultation, 5)
	b := votetest.NewLink(participationtest.NewRand(3), consultation, 1)
	again := votetest.NewLink(participationtest.NewRand(2), consultation, 5)
	links := []vote.Link{*a, *b}
	votetest.SortLinks(links)
	fmt.Println(a.ElectionID == again.ElectionID, links[0] == *b, a.CreatedAt.Sub(participationtest.BaseTime))
	// Output:
	// true true 5s
}
