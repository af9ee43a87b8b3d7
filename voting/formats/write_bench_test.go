package formats_test

import (
	"io"
	"testing"

	"github.com/civickit/civickit/voting/formats"
	"github.com/civickit/civickit/voting/generate"
)

// BenchmarkWriteSOC writes 10^6 impartial-culture voters over 10
// candidates (about 900,000 distinct orders) as PrefLib SOC. B/op counts
// every allocation, short-lived ones included: the writer keeps an index
// and a count per distinct ballot, its peak memory is measured on the
// whole command (docs/progress/issue20.md).
func BenchmarkWriteSOC(b *testing.B) {
	p, err := generate.Ranked(generate.Options{Candidates: 10, Voters: 1_000_000, Seed: 1, Culture: generate.IC{}})
	if err != nil {
		b.Fatal(err)
	}
	e := &formats.Election{Ranked: p}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := formats.Write(io.Discard, e, formats.PrefLibSOC); err != nil {
			b.Fatal(err)
		}
	}
}
