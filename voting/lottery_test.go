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
