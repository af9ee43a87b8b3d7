package evaluationtest_test

import (
	"fmt"
	"time"

	"github.com/civickit/civickit/participation/evaluation/evaluationtest"
	"github.com/civickit/civickit/participation/participationtest"
)

// Follow-up items are valid, reproducible records, under a parent when
// one is given.
func ExampleNewFollowUpItem() {
	rng := participationtest.NewRand(1)
	consultation := participationtest.NewID(rng)
	root := evaluationtest.NewFollowUpItem(rng, consultation, nil, 0)
	child := evaluationtest.NewFollowUpItem(rng, consultation, &root.ID, 1)
	fmt.Println(root.ParentID == nil, *child.ParentID == root.ID, child.Version)
	fmt.Println(evaluationtest.Date(2025, time.June, 30).Format(time.DateOnly))
	// Output:
	// true true 1
	// 2025-06-30
}
