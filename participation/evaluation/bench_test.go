package evaluation_test

import (
	"fmt"
	"testing"

	"github.com/civickit/civickit/participation/evaluation"
	"github.com/civickit/civickit/participation/participationtest"
)

// BenchmarkBuildFollowUpTree builds and rolls up a follow-up tree whose
// items hang under a random earlier item (about log n deep on average).
func BenchmarkBuildFollowUpTree(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			rng := participationtest.NewRand(1)
			items := make([]evaluation.FollowUpItem, n)
			for i := range items {
				items[i] = evaluation.FollowUpItem{ID: participationtest.NewID(rng), Position: rng.IntN(10),
					Progress: float64(rng.IntN(101)), Weight: float64(1 + rng.IntN(5))}
				if i > 0 && rng.IntN(20) > 0 {
					items[i].ParentID = &items[rng.IntN(i)].ID
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := evaluation.BuildFollowUpTree(items, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
		})
	}
}
