package generate_test

import (
	"fmt"
	"testing"

	"github.com/civickit/civickit/voting/generate"
)

// BenchmarkRanked draws 10^7 ballots per iteration into a profile:
//
//	go test ./voting/generate -run ^$ -bench Ranked -benchmem -benchtime 1x
//
// ballots/s is reported; B/op is the whole profile's allocation.
func BenchmarkRanked(b *testing.B) {
	const n = 10_000_000
	for _, tc := range []struct {
		name string
		m    int
		c    generate.Culture
	}{
		{"ic", 5, generate.IC{}},
		{"ic", 10, generate.IC{}},
		{"iac", 5, generate.IAC{}},
		{"mallows-0.5", 10, generate.Mallows{Phi: 0.5}},
		{"urn-0.1", 10, generate.Urn{Alpha: 0.1}},
		{"sp-walsh", 10, generate.SinglePeakedWalsh{}},
		{"sp-conitzer", 10, generate.SinglePeakedConitzer{}},
		{"euclidean-2d", 10, generate.Euclidean{Dim: 2}},
		{"plackett-luce", 10, generate.PlackettLuce{Weights: []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}}},
	} {
		b.Run(fmt.Sprintf("%s/m=%d", tc.name, tc.m), func(b *testing.B) {
			for b.Loop() {
				p, err := generate.Ranked(generate.Options{Candidates: tc.m, Voters: n, Seed: 1, Culture: tc.c})
				if err != nil || p.Voters() != n {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "ballots/s")
		})
	}
}
