package voting_test

import (
	"errors"
	"testing"

	"github.com/civickit/civickit/voting"
)

func TestDraw(t *testing.T) {
	probs := []float64{0.5, 0, 0.25, 0.25}
	const n = 40000
	got := make([]int, len(probs))
	for seed := range uint64(n) {
		c := voting.Draw(probs, seed)
		if c != voting.Draw(probs, seed) {
			t.Fatalf("seed %d drew two candidates", seed)
		}
		got[c]++
	}
	if got[1] != 0 {
		t.Errorf("a candidate of probability 0 was drawn %d times", got[1])
	}
	// Binomial sd at p = 1/2 is 100: 5 sd.
	if d := got[0] - n/2; d > 500 || d < -500 {
		t.Errorf("probability 1/2 drawn %d of %d times", got[0], n)
	}
}

func TestLotteryResult(t *testing.T) {
	p := readElections(t, "tennessee.txt", voting.UnrankedLast)[0].Profile
	r := run(t, "random-dictatorship", p, voting.Options{Params: map[string]float64{"seed": 7}})
	sum := 0.0
	for _, q := range r.Scores {
		sum += q
	}
	if sum < 1-1e-12 || sum > 1+1e-12 || len(r.Elected) != 1 {
		t.Fatalf("lottery %v sums to %v, elected %v", r.Scores, sum, r.Elected)
	}
	again := run(t, "random-dictatorship", p, voting.Options{Params: map[string]float64{"seed": 7}})
	if again.Elected[0] != r.Elected[0] {
		t.Error("same seed, different draw")
	}
	m, _ := voting.NewRegistry().Lookup("proportional-borda")
	if _, err := m.Run(voting.Input{Ranked: p}, voting.Options{Params: map[string]float64{"seed": 1.5}}); !errors.Is(err, voting.ErrInvalidOption) {
		t.Errorf("seed 1.5: %v", err)
	}
}

// In a three-cycle x>y by a, y>z by b, z>x by c the maximal lottery is
// (b, c, a)/(a+b+c) (Fishburn 1984): here a = b = 3, c = 1. With signs
// only (the c1 variant) it is uniform.
func TestMaximalLotteryCycle(t *testing.T) {
	p, err := voting.NewProfile([]string{"A", "B", "C"}, voting.UnrankedLast)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []struct {
		r voting.Ranking
		n int64
	}{{voting.Ranking{{0}, {1}, {2}}, 3}, {voting.Ranking{{1}, {2}, {0}}, 2}, {voting.Ranking{{2}, {0}, {1}}, 2}} {
		if err := p.Add(b.r, b.n); err != nil {
			t.Fatal(err)
		}
	}
	for variant, want := range map[string][]float64{"margins": {3.0 / 7, 1.0 / 7, 3.0 / 7}, "c1": {1.0 / 3, 1.0 / 3, 1.0 / 3}} {
		r := run(t, "maximal-lotteries", p, voting.Options{Variant: variant})
		for c, q := range want {
			if d := r.Scores[c] - q; d > 1e-12 || d < -1e-12 {
				t.Errorf("%s: lottery %v, want %v", variant, r.Scores, want)
			}
		}
		es := run(t, "essential-set", p, voting.Options{Variant: variant})
		if len(es.Winners) != 3 {
			t.Errorf("%s: essential set %v", variant, es.Winners)
		}
	}
	// A Condorcet winner gets probability 1.
	if err := p.Add(voting.Ranking{{0}, {2}, {1}}, 4); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "maximal-lotteries", p, voting.Options{}); r.Scores[0] != 1 || r.Elected[0] != 0 {
		t.Errorf("Condorcet winner A: lottery %v", r.Scores)
	}
}
