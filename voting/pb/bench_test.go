package pb_test

import (
	"testing"

	"github.com/civickit/civickit/voting/pb"
)

// The largest Pabulib instance kept: Łódź 2022, 160 projects, 90 494
// approval ballots.
func benchLodz(b *testing.B, rule func(*pb.Election, pb.Options) (*pb.Result, error), o pb.Options) {
	e := readPB(b, "poland_lodz_2022_.pb")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := rule(e, o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMESLodz(b *testing.B)       { benchLodz(b, pb.MES, pb.Options{}) }
func BenchmarkMESCostLodz(b *testing.B)   { benchLodz(b, pb.MES, pb.Options{Utility: pb.CostUtility}) }
func BenchmarkMESAddOneLodz(b *testing.B) { benchLodz(b, pb.MES, pb.Options{Completion: pb.AddOne}) }
func BenchmarkPhragmenLodz(b *testing.B)  { benchLodz(b, pb.Phragmen, pb.Options{}) }
func BenchmarkGreedyLodz(b *testing.B)    { benchLodz(b, pb.Greedy, pb.Options{}) }
func BenchmarkMaxUtilityLodz(b *testing.B) {
	benchLodz(b, pb.MaxUtility, pb.Options{})
}
