package panel

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// newRand is the draws' random source: ChaCha8 (math/rand/v2, a fixed
// algorithm) keyed with the SHA-256 of the seed text, so that anyone
// with the seed gets the same stream on any machine.
func newRand(seed string) *rand.Rand {
	return rand.New(rand.NewChaCha8(sha256.Sum256([]byte(seed))))
}

// Selection is one drawn panel and its ordered alternates.
type Selection struct {
	Panel      []string `json:"panel"`      // the members' pool pseudonyms, sorted
	Alternates []string `json:"alternates"` // in the order they are called
}

// Draw takes one panel from the distribution with the seed, and then
// alternates people at random among those left (not from a selected
// member's household). For Legacy it runs the greedy draw itself with
// the seed. The same instance, distribution and seed give the same
// selection.
func Draw(in Instance, d Distribution, seed string, alternates int) (Selection, error) {
	p, err := compile(in)
	if err != nil {
		return Selection{}, err
	}
	if alternates < 0 {
		return Selection{}, invalid("alternates", "min", "0")
	}
	rng := newRand(seed)
	var sel []int
	if d.Algorithm == Legacy {
		sel, err = p.legacy(rng)
		if err != nil {
			return Selection{}, err
		}
	} else {
		sel, err = p.drawFrom(d, rng)
		if err != nil {
			return Selection{}, err
		}
	}
	out := Selection{Panel: make([]string, len(sel)), Alternates: []string{}}
	taken := make([]bool, len(p.ids))
	homes := map[string]bool{}
	for j, i := range sel {
		out.Panel[j] = p.ids[i]
		taken[i] = true
		if h := p.types[p.typeOf[i]].home; h != "" {
			homes[h] = true
		}
	}
	slices.Sort(out.Panel)
	var rest []int
	for i := range p.ids {
		if !taken[i] && !homes[p.types[p.typeOf[i]].home] {
			rest = append(rest, i)
		}
	}
	for _, i := range pick(rng, rest, min(alternates, len(rest))) {
		out.Alternates = append(out.Alternates, p.ids[i])
	}
	return out, nil
}

// drawFrom picks a panel with its probability, then its members type by
// type. Probabilities are rounded to 1e-12 first, so that last-bit
// differences between machines do not move a draw.
func (p *problem) drawFrom(d Distribution, rng *rand.Rand) ([]int, error) {
	if len(d.Panels) == 0 {
		return nil, errors.New("panel: the distribution has no panel")
	}
	if len(d.Types) != len(p.types) {
		return nil, fmt.Errorf("panel: the distribution has %d types, the pool %d", len(d.Types), len(p.types))
	}
	var total float64
	for _, pn := range d.Panels {
		total += math.Round(pn.Probability*1e12) / 1e12
	}
	u := rng.Float64() * total
	chosen := d.Panels[len(d.Panels)-1]
	acc := 0.0
	for _, pn := range d.Panels {
		acc += math.Round(pn.Probability*1e12) / 1e12
		if u < acc {
			chosen = pn
			break
		}
	}
	var sel []int
	for t, c := range chosen.Counts {
		if c > len(p.types[t].members) {
			return nil, fmt.Errorf("panel: a panel takes %d of a type of %d", c, len(p.types[t].members))
		}
		sel = append(sel, pick(rng, p.types[t].members, c)...)
	}
	slices.Sort(sel)
	return sel, nil
}

// pick draws c of xs uniformly, in draw order (a partial Fisher–Yates).
func pick(rng *rand.Rand, xs []int, c int) []int {
	a := slices.Clone(xs)
	for i := range c {
		j := i + rng.IntN(len(a)-i)
		a[i], a[j] = a[j], a[i]
	}
	return a[:c]
}
