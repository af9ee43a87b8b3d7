package formats_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/formats"
)

const (
	benchBallots    = 1_000_000
	benchCandidates = 10
)

// benchOrders draws truncated strict orders over benchCandidates: from a
// pool of pool distinct orders with skewed popularity, as real ballots
// repeat, or all different when pool is 0.
func benchOrders(pool int) [][]int {
	rng := rand.New(rand.NewPCG(2026, 11))
	draw := func() []int {
		o := rng.Perm(benchCandidates)
		return o[:1+rng.IntN(benchCandidates)]
	}
	out := make([][]int, benchBallots)
	if pool == 0 {
		seen := map[string]bool{}
		for i := range out {
			for {
				o := draw()
				if k := fmt.Sprint(o); !seen[k] {
					seen[k] = true
					out[i] = o
					break
				}
			}
		}
		return out
	}
	orders := make([][]int, pool)
	for i := range orders {
		orders[i] = draw()
	}
	zipf := rand.NewZipf(rng, 1.1, 1, uint64(pool-1))
	for i := range out {
		out[i] = orders[zipf.Uint64()]
	}
	return out
}

// benchFile writes one ballot per line, count 1, as a raw (unaggregated)
// export would.
func benchFile(format formats.Format, orders [][]int) []byte {
	var b bytes.Buffer
	switch format {
	case formats.PrefLibSOI:
		fmt.Fprintf(&b, "# TITLE: bench\n# DATA TYPE: soi\n# NUMBER ALTERNATIVES: %d\n# NUMBER VOTERS: %d\n# NUMBER UNIQUE ORDERS: %d\n",
			benchCandidates, len(orders), len(orders))
		for c := range benchCandidates {
			fmt.Fprintf(&b, "# ALTERNATIVE NAME %d: Candidate %d\n", c+1, c+1)
		}
	case formats.BLT:
		fmt.Fprintf(&b, "%d 1\n", benchCandidates)
	}
	var line []byte
	for _, o := range orders {
		line = line[:0]
		if format == formats.BLT {
			line = append(line, '1')
			for _, c := range o {
				line = strconv.AppendInt(append(line, ' '), int64(c+1), 10)
			}
			line = append(line, " 0\n"...)
		} else {
			line = append(line, "1: "...)
			for i, c := range o {
				if i > 0 {
					line = append(line, ',')
				}
				line = strconv.AppendInt(line, int64(c+1), 10)
			}
			line = append(line, '\n')
		}
		b.Write(line)
	}
	if format == formats.BLT {
		b.WriteString("0\n")
		for c := range benchCandidates {
			fmt.Fprintf(&b, "\"Candidate %d\"\n", c+1)
		}
		b.WriteString("\"bench\"\n")
	}
	return b.Bytes()
}

func benchRead(b *testing.B, format formats.Format, pool int) {
	orders := benchOrders(pool)
	data := benchFile(format, orders)
	orders = nil
	runtime.GC() // the setup's garbage is not the reader's
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var distinct int
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	mallocs := ms.Mallocs
	cpu := cpuSeconds()
	for b.Loop() {
		e, err := formats.Read(bytes.NewReader(data), format, formats.ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		distinct = e.Ranked.Distinct()
	}
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(distinct), "distinct")
	// Allocations per distinct ballot: the profile grows by amortised
	// appends to flat arrays, so this stays far below 1.
	if distinct > 0 {
		b.ReportMetric(float64(ms.Mallocs-mallocs)/float64(b.N)/float64(distinct), "allocs/distinct")
	}
	// CPU time, garbage collection included, measures the parser when
	// other processes share the machine; on an idle one MB/s says the same.
	if used := cpuSeconds() - cpu; used > 0 {
		b.ReportMetric(float64(len(data))*float64(b.N)/used/1e6, "MB/cpu-s")
	}
}

// BenchmarkRead parses 10^6 ballots of 10 candidates from memory: from a
// pool of 5 000 orders (repeated ballots, the common case of a raw export)
// and all distinct (where building the voting.Profile dominates).
func BenchmarkRead(b *testing.B) {
	for _, f := range []formats.Format{formats.PrefLibSOI, formats.BLT} {
		b.Run(f.String()+"/pool=5000", func(b *testing.B) { benchRead(b, f, 5000) })
		b.Run(f.String()+"/distinct", func(b *testing.B) { benchRead(b, f, 0) })
	}
}

// BenchmarkProfileAdd measures voting.Profile.Add alone on the 10^6
// distinct rankings of BenchmarkRead/*/distinct.
func BenchmarkProfileAdd(b *testing.B) {
	orders := benchOrders(0)
	rankings := make([]voting.Ranking, len(orders))
	for i, o := range orders {
		for _, c := range o {
			rankings[i] = append(rankings[i], []int{c})
		}
	}
	names := make([]string, benchCandidates)
	for i := range names {
		names[i] = "Candidate " + strconv.Itoa(i+1)
	}
	b.ReportAllocs()
	for b.Loop() {
		p, _ := voting.NewProfile(names, voting.UnrankedLast)
		for _, r := range rankings {
			if err := p.Add(r, 1); err != nil {
				b.Fatal(err)
			}
		}
	}
}
