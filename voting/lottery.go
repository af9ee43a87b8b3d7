package voting

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// lotteryParams documents the seed of the draw from a lottery.
var lotteryParams = map[string]string{
	"seed": "seed of the draw of Elected from the lottery (an integer, default 0); the same seed draws the same candidate",
}

// countLottery turns a probabilistic rule into a Result: Scores holds the
// lottery (a probability per candidate), Winners its support, and Elected
// one candidate drawn from it with a PCG source of the seed parameter.
func countLottery(lottery func(p *Profile, m *Matrix) ([]float64, error)) func(Input, Options) (*Result, error) {
	return func(in Input, o Options) (*Result, error) {
		p := in.Ranked
		m := p.Pairwise()
		seed := o.Params["seed"]
		if seed < 0 || seed != math.Trunc(seed) || seed >= 1<<53 {
			return nil, fmt.Errorf("%w: seed %v: must be a whole number in [0, 2^53)", ErrInvalidOption, seed)
		}
		probs, err := lottery(p, m)
		if err != nil {
			return nil, err
		}
		var support []int
		for c, q := range probs {
			if q > 0 {
				support = append(support, c)
			}
		}
		r := &Result{
			Candidates: slices.Clone(p.candidates),
			Winners:    support,
			Scores:     probs,
			Ranking:    orderByScore(allCandidates(p.N()), func(c int) float64 { return probs[c] }),
			Rounds:     []Round{{Counts: slices.Clone(probs)}},
			Pairwise:   m,
			Ballots:    p.voters,
		}
		if len(support) == 0 {
			r.Winners = allCandidates(p.N()) // no ballots: the uniform lottery
			for c := range probs {
				probs[c] = 1 / float64(len(probs))
			}
		}
		c := Draw(probs, uint64(seed))
		r.Elected = []int{c}
		r.TieBreak = fmt.Sprintf("lottery draw(seed=%d)", uint64(seed))
		r.Notes = append(r.Notes, fmt.Sprintf("%s drawn from the lottery with seed %d", p.candidates[c], uint64(seed)))
		return r, nil
	}
}

// Draw returns a candidate drawn from the lottery probs (non-negative,
// summing to about 1) with a PCG source of seed: the same lottery and
// seed always draw the same candidate.
func Draw(probs []float64, seed uint64) int {
	r := rand.New(rand.NewPCG(seed, seed^0xda3e39cb94b95bdb))
	total := 0.0
	for _, q := range probs {
		total += q
	}
	u := r.Float64() * total
	last := 0
	for c, q := range probs {
		if q <= 0 {
			continue
		}
		last = c
		if u < q {
			return c
		}
		u -= q
	}
	return last // rounding past the end
}

// dictatorLottery gives each candidate its share of first preferences.
func dictatorLottery(p *Profile, _ *Matrix) ([]float64, error) {
	fp := firstAmong(p, allCandidates(p.N()))
	return normalise(fp), nil
}

// bordaLottery gives each candidate a probability proportional to its
// Borda score.
func bordaLottery(p *Profile, m *Matrix) ([]float64, error) {
	return normalise(bordaAmong(m, allCandidates(p.N()))), nil
}

func normalise(v []float64) []float64 {
	total := 0.0
	for _, x := range v {
		total += x
	}
	if total > 0 {
		for i := range v {
			v[i] /= total
		}
	}
	return v
}
