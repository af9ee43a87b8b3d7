package axioms_test

import (
	"errors"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/axioms"
	"github.com/civickit/civickit/voting/generate"
)

// BenchmarkCheck measures the axiom search, every axiom on one IC profile
// of 5 candidates and 21 voters per op (profiles/s; a profile whose count
// breaks a tie during the count is left out after one count):
//
//	go test ./voting/axioms -run ^$ -bench Check -benchmem
func BenchmarkCheck(b *testing.B) {
	reg := voting.NewRegistry()
	var profiles []*voting.Profile
	for s := range uint64(64) {
		p, err := generate.Ranked(generate.Options{Candidates: 5, Voters: 21, Seed: s})
		if err != nil {
			b.Fatal(err)
		}
		profiles = append(profiles, p)
	}
	for _, name := range []string{"plurality", "borda", "irv", "copeland", "minimax", "schulze", "ranked-pairs", "benham", "raynaud", "smith-minimax"} {
		m, err := reg.Lookup(name)
		if err != nil {
			b.Fatal(err)
		}
		c := axioms.NewChecker(m, axioms.Options{})
		b.Run(name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				p := profiles[i%len(profiles)]
				i++
				for _, a := range axioms.All() {
					if _, err := c.Check(a, p); err != nil && !errors.Is(err, axioms.ErrTieDependent) {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "profiles/s")
		})
	}
}
