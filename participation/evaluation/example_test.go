package evaluation_test

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/civickit/civickit/participation/evaluation"
)

// A parent's progress is the weighted mean of its children's.
func ExampleBuildFollowUpTree() {
	works := evaluation.FollowUpItem{ID: uuid.MustParse("00000000-0000-0000-0000-000000000001"), Title: "Travaux"}
	roads := evaluation.FollowUpItem{ID: uuid.MustParse("00000000-0000-0000-0000-000000000002"), ParentID: &works.ID,
		Title: "Voirie", Progress: 100, Weight: 3}
	trees := evaluation.FollowUpItem{ID: uuid.MustParse("00000000-0000-0000-0000-000000000003"), ParentID: &works.ID,
		Title: "Plantations", Progress: 20, Weight: 1, Position: 1}
	roots, err := evaluation.BuildFollowUpTree([]evaluation.FollowUpItem{trees, works, roads}, nil)
	if err != nil {
		panic(err)
	}
	for _, n := range roots {
		fmt.Printf("%s %.0f%%\n", n.Item.Title, n.Progress)
		for _, c := range n.Children {
			fmt.Printf("  %s %.0f%% (weight %.0f)\n", c.Item.Title, c.Progress, c.Item.Weight)
		}
	}
	// Output:
	// Travaux 80%
	//   Voirie 100% (weight 3)
	//   Plantations 20% (weight 1)
}
