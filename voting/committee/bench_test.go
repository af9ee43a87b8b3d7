package committee_test

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/committee"
)

// benchProfile draws m candidates and n voters, each approving every
// candidate with probability p (impartial culture for approval), from a
// fixed seed.
func benchProfile(m, n int, p float64) *committee.Profile {
	rng := rand.New(rand.NewPCG(40, 10000))
	names := make([]string, m)
	for i := range names {
		names[i] = "c" + strconv.Itoa(i)
	}
	prof, _ := committee.NewProfile(names)
	for range n {
		var a []int
		for c := range m {
			if rng.Float64() < p {
				a = append(a, c)
			}
		}
		_ = prof.Add(a, 1)
	}
	return prof
}

// BenchmarkPAV40x10000k8 is the figure: exact PAV, 40 candidates,
// 10^4 voters, committee of 8, with the default node limit; a run that
// passes the limit reports ErrTooLarge (see the note in docs/progress).
func BenchmarkPAV40x10000k8(b *testing.B) {
	for _, p := range []float64{0.1, 0.5} {
		b.Run("p="+strconv.FormatFloat(p, 'g', -1, 64), func(b *testing.B) {
			prof := benchProfile(40, 10000, p)
			b.ReportAllocs()
			for b.Loop() {
				_, err := committee.PAV(prof, 8, committee.Options{})
				if errors.Is(err, voting.ErrTooLarge) {
					b.Skip(err)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSeqPhragmen40x10000k8(b *testing.B) {
	prof := benchProfile(40, 10000, 0.1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := committee.SeqPhragmen(prof, 8, committee.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMES40x10000k8(b *testing.B) {
	prof := benchProfile(40, 10000, 0.1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := committee.MES(prof, 8, committee.Options{}, committee.CompletePhragmen); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSeqPAV40x10000k8(b *testing.B) {
	prof := benchProfile(40, 10000, 0.1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := committee.SeqPAV(prof, 8, committee.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
