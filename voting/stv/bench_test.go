package stv

import (
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/formats"
)

// benchBLT, when set, makes BenchmarkSTV write its profile there as a BLT
// file, so that another implementation can count the same ballots.
var benchBLT = flag.String("stv.blt", "", "write the benchmark profile to this BLT file")

// benchProfile draws voters ballots over n candidates from a
// Plackett–Luce model (candidate c has weight 1/(c+1)^0.8), each ballot
// truncated after a geometric number of preferences (mean about 4): many
// voters share their first few preferences, as in real elections.
func benchProfile(voters, n int, seed uint64) *voting.Profile {
	rng := rand.New(rand.NewPCG(seed, 1))
	names := make([]string, n)
	for i := range names {
		names[i] = "C" + strconv.Itoa(i+1)
	}
	p, _ := voting.NewProfile(names, voting.UnrankedLast)
	w := make([]float64, n)
	for c := range w {
		w[c] = 1 / math.Pow(float64(c+1), 0.8)
	}
	left := make([]float64, n)
	r := make(voting.Ranking, 0, n)
	groups := make([][]int, n)
	for c := range groups {
		groups[c] = []int{c}
	}
	for range voters {
		copy(left, w)
		total := 0.0
		for _, x := range w {
			total += x
		}
		r = r[:0]
		for len(r) < n {
			x := rng.Float64() * total
			c := 0
			for ; c < n-1 && (left[c] == 0 || x >= left[c]); c++ {
				x -= left[c]
			}
			if left[c] == 0 { // rounding at the end of the walk
				for left[c] == 0 {
					c--
				}
			}
			r = append(r, groups[c])
			total -= left[c]
			left[c] = 0
			if rng.Float64() < 0.25 {
				break
			}
		}
		if err := p.Add(r, 1); err != nil {
			panic(err)
		}
	}
	return p
}

func BenchmarkSTV(b *testing.B) {
	p := benchProfile(1_000_000, 20, 2026)
	if *benchBLT != "" {
		f, err := os.Create(*benchBLT)
		if err != nil {
			b.Fatal(err)
		}
		e := &formats.Election{Title: "benchmark", Candidates: p.Candidates(), Seats: 5, Ranked: p}
		if err := formats.Write(f, e, formats.BLT); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	b.Logf("%d voters, %d distinct ballots, 20 candidates, 5 seats", p.Voters(), p.Distinct())
	for _, name := range []string{"scottish", "wigm", "meek", "warren"} {
		rules, _ := Preset(name)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuSeconds()
			for b.Loop() {
				if _, err := Count(p, 5, rules, nil); err != nil {
					b.Fatal(err)
				}
			}
			// CPU time (all threads, GC included) per count: on a loaded
			// machine, wall time overstates the work.
			b.ReportMetric((cpuSeconds()-cpu)/float64(b.N)*1e3, "cpu-ms/op")
		})
	}
}
