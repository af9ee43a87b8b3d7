package generate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/civickit/civickit/voting/internal/compact"
)

// A Culture is a probability distribution over strict rankings of m
// candidates, named 0..m-1. Its sampler fills a permutation, best first.
type Culture interface {
	// Name is the culture's short name ("ic", "mallows", ...).
	Name() string
	sampler(m int, r *rand.Rand) (sampler, error)
}

type sampler interface {
	// draw writes a strict ranking of every candidate into order.
	draw(order []int)
}

// IC is the impartial culture: every ranking equally likely, voters
// independent.
type IC struct{}

func (IC) Name() string { return "ic" }

func (IC) sampler(m int, r *rand.Rand) (sampler, error) { return icSampler{r}, nil }

type icSampler struct{ r *rand.Rand }

func (s icSampler) draw(order []int) {
	for i := range order {
		order[i] = i
	}
	shuffle(s.r, order)
}

// shuffle is Fisher–Yates with rand's unbiased bounded draw.
func shuffle(r *rand.Rand, a []int) {
	for i := len(a) - 1; i > 0; i-- {
		j := r.IntN(i + 1)
		a[i], a[j] = a[j], a[i]
	}
}

// IAC is the impartial anonymous culture: every anonymous profile (every
// multiset of n rankings) equally likely. It is the Pólya–Eggenberger urn
// with one copy returned per draw (Urn with Alpha = 1/m!).
type IAC struct{}

func (IAC) Name() string { return "iac" }

func (IAC) sampler(m int, r *rand.Rand) (sampler, error) {
	// 1/m! underflows to 0 past m = 170, where the urn is IC for any
	// realistic number of voters anyway.
	alpha := 1.0
	for k := 2; k <= m; k++ {
		alpha /= float64(k)
	}
	return Urn{Alpha: alpha}.sampler(m, r)
}

// Urn is the Pólya–Eggenberger urn model (Berg 1985), with the
// normalised replacement of Boehmer et al. (2021): the urn starts with the
// m! rankings once each, and each drawn ranking goes back with Alpha·m!
// copies. Voter i+1 therefore draws a fresh uniform ranking with
// probability 1/(1+i·Alpha), and otherwise copies a previous voter chosen
// uniformly. Alpha = 0 is IC; Alpha = 1/m! is IAC.
type Urn struct {
	Alpha float64
}

func (Urn) Name() string { return "urn" }

func (u Urn) sampler(m int, r *rand.Rand) (sampler, error) {
	if !(u.Alpha >= 0) || math.IsInf(u.Alpha, 0) {
		return nil, fmt.Errorf("urn: alpha %v: must be finite and >= 0", u.Alpha)
	}
	return &urnSampler{alpha: u.Alpha, r: r, run: make([]int16, m)}, nil
}

// urnSampler keeps the distinct rankings drawn so far in a compact set and
// their counts in a Fenwick tree, so a copy is drawn in O(log distinct).
type urnSampler struct {
	alpha float64
	r     *rand.Rand
	drawn int64
	set   compact.Set
	fen   []int64 // 1-based Fenwick tree over set.Counts
	run   []int16
}

func (s *urnSampler) draw(order []int) {
	i := s.drawn
	s.drawn++
	if i > 0 && s.alpha > 0 && s.r.Float64()*(1+float64(i)*s.alpha) >= 1 {
		b := s.find(s.r.Int64N(i))
		for k, v := range s.set.Ballot(b) {
			order[k] = int(v)
		}
		s.bump(b)
		return
	}
	for k := range order {
		order[k] = k
	}
	shuffle(s.r, order)
	if s.alpha == 0 {
		return // never copied: no need to remember
	}
	for k, c := range order {
		s.run[k] = int16(c)
	}
	b, _ := s.set.Add(s.run, 1, math.MaxInt64)
	if int(b) == len(s.fen) {
		s.push()
	} else {
		s.bump(int(b))
	}
}

// push appends the last ballot of set (count 1) to the tree.
func (s *urnSampler) push() {
	i := len(s.fen) + 1 // its 1-based index
	v := int64(1)
	// Node i covers (i-lowbit(i), i]: add the nodes below it.
	for j := i - 1; j > i-(i&-i); j -= j & -j {
		v += s.fen[j-1]
	}
	s.fen = append(s.fen, v)
}

func (s *urnSampler) bump(b int) {
	for i := b + 1; i <= len(s.fen); i += i & -i {
		s.fen[i-1]++
	}
}

// find returns the ballot holding voter number v (0-based) in count order.
func (s *urnSampler) find(v int64) int {
	pos := 0
	step := 1
	for step*2 <= len(s.fen) {
		step *= 2
	}
	for ; step > 0; step /= 2 {
		if next := pos + step; next <= len(s.fen) && s.fen[next-1] <= v {
			pos = next
			v -= s.fen[next-1]
		}
	}
	return pos
}

// Mallows is Mallows' φ model (Mallows 1957): the probability of a ranking
// is proportional to Phi^d, d its Kendall tau distance to Center. It is
// drawn by the repeated insertion model (Doignon, Pekeč & Regenwetter
// 2004): the i-th candidate of Center (0-based) goes to position j ≤ i of
// the ranking built so far with probability Phi^(i-j)/(1+Phi+…+Phi^i).
//
// With NormPhi set, Phi is read as the normalised dispersion of Boehmer
// et al. (2021): the φ is used whose expected distance to Center is
// Phi·m(m-1)/4 (half the pairs disagreeing at Phi = 1, as under IC).
type Mallows struct {
	Phi     float64
	Center  []int // nil: 0, 1, ..., m-1
	NormPhi bool
}

func (Mallows) Name() string { return "mallows" }

func (c Mallows) sampler(m int, r *rand.Rand) (sampler, error) {
	s, err := c.newMallows(m)
	if err != nil {
		return nil, err
	}
	s.r = r
	return s, nil
}

type mallowsSampler struct {
	r      *rand.Rand
	center []int
	cum    [][]float64 // cum[i][j]: P(position <= j) when inserting the i-th
}

func (c Mallows) newMallows(m int) (*mallowsSampler, error) {
	phi := c.Phi
	if !(phi >= 0 && phi <= 1) {
		return nil, fmt.Errorf("mallows: phi %v: must be in [0, 1]", c.Phi)
	}
	if c.NormPhi {
		phi = PhiFromNorm(m, phi)
	}
	center := c.Center
	if center == nil {
		center = make([]int, m)
		for i := range center {
			center[i] = i
		}
	} else if err := checkPerm(center, m); err != nil {
		return nil, fmt.Errorf("mallows: center: %w", err)
	}
	s := &mallowsSampler{center: slices.Clone(center), cum: make([][]float64, m)}
	for i := range m {
		w := make([]float64, i+1)
		total := 0.0
		for j := i; j >= 0; j-- {
			w[j] = math.Pow(phi, float64(i-j))
			total += w[j]
		}
		acc := 0.0
		for j := range w {
			acc += w[j] / total
			w[j] = acc
		}
		w[i] = 1 // no rounding gap at the top
		s.cum[i] = w
	}
	return s, nil
}

func (s *mallowsSampler) draw(order []int) {
	for i, c := range s.center {
		u := s.r.Float64()
		cum := s.cum[i]
		j := 0
		for cum[j] <= u && j < i {
			j++
		}
		copy(order[j+1:i+1], order[j:i])
		order[j] = c
	}
}

// ExpectedSwaps returns the expected Kendall tau distance between a
// ranking drawn from Mallows' model with dispersion phi over m candidates
// and the centre: the sum over insertions of the expected displacement.
func ExpectedSwaps(m int, phi float64) float64 {
	e := 0.0
	for i := 1; i < m; i++ {
		num, den, p := 0.0, 0.0, 1.0
		for k := 0; k <= i; k++ {
			num += float64(k) * p
			den += p
			p *= phi
		}
		e += num / den
	}
	return e
}

// PhiFromNorm returns the φ whose expected distance is norm·m(m-1)/4
// (bisection; ExpectedSwaps increases with φ).
func PhiFromNorm(m int, norm float64) float64 {
	target := norm * float64(m*(m-1)) / 4
	lo, hi := 0.0, 1.0
	for range 60 {
		mid := (lo + hi) / 2
		if ExpectedSwaps(m, mid) < target {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// Mixture draws each voter's ranking from one of its components, chosen
// with probability proportional to Weights (e.g. a mixture of Mallows
// models with different centres).
type Mixture struct {
	Components []Culture
	Weights    []float64
}

func (Mixture) Name() string { return "mixture" }

func (c Mixture) sampler(m int, r *rand.Rand) (sampler, error) {
	if len(c.Components) == 0 || len(c.Weights) != len(c.Components) {
		return nil, fmt.Errorf("mixture: %d components and %d weights: need one weight per component, at least one", len(c.Components), len(c.Weights))
	}
	s := &mixtureSampler{r: r}
	total := 0.0
	for i, comp := range c.Components {
		w := c.Weights[i]
		if !(w >= 0) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("mixture: weight %d is %v: must be finite and >= 0", i, w)
		}
		sub, err := comp.sampler(m, r)
		if err != nil {
			return nil, fmt.Errorf("mixture: component %d: %w", i, err)
		}
		total += w
		s.parts = append(s.parts, sub)
		s.cum = append(s.cum, total)
	}
	if total == 0 {
		return nil, fmt.Errorf("mixture: weights sum to 0")
	}
	for i := range s.cum {
		s.cum[i] /= total
	}
	return s, nil
}

type mixtureSampler struct {
	r     *rand.Rand
	parts []sampler
	cum   []float64
}

func (s *mixtureSampler) draw(order []int) {
	u := s.r.Float64()
	i := 0
	for i < len(s.cum)-1 && s.cum[i] <= u {
		i++
	}
	s.parts[i].draw(order)
}

// SinglePeakedWalsh draws uniformly among the rankings single-peaked on
// the axis 0 < 1 < … < m-1 (Walsh 2015, "Generating single peaked
// votes"): from the last place up, each place takes the leftmost or the
// rightmost remaining candidate with probability 1/2.
type SinglePeakedWalsh struct{}

func (SinglePeakedWalsh) Name() string { return "sp-walsh" }

func (SinglePeakedWalsh) sampler(m int, r *rand.Rand) (sampler, error) { return spWalsh{r}, nil }

type spWalsh struct{ r *rand.Rand }

func (s spWalsh) draw(order []int) {
	lo, hi := 0, len(order)-1
	bits, left := uint64(0), 0
	for k := len(order) - 1; k > 0; k-- {
		if left == 0 {
			bits, left = s.r.Uint64(), 64
		}
		if bits&1 == 0 {
			order[k] = lo
			lo++
		} else {
			order[k] = hi
			hi--
		}
		bits >>= 1
		left--
	}
	order[0] = lo
}

// SinglePeakedConitzer draws a peak uniformly on the axis 0 < … < m-1,
// then extends the ranking to the left or the right neighbour of the
// interval ranked so far with probability 1/2 each (Conitzer 2009,
// "Eliciting single-peaked preferences using comparison queries").
type SinglePeakedConitzer struct{}

func (SinglePeakedConitzer) Name() string { return "sp-conitzer" }

func (SinglePeakedConitzer) sampler(m int, r *rand.Rand) (sampler, error) {
	return spConitzer{r}, nil
}

type spConitzer struct{ r *rand.Rand }

func (s spConitzer) draw(order []int) {
	m := len(order)
	peak := s.r.IntN(m)
	order[0] = peak
	lo, hi := peak-1, peak+1
	for k := 1; k < m; k++ {
		switch {
		case lo < 0:
			order[k] = hi
			hi++
		case hi >= m:
			order[k] = lo
			lo--
		case s.r.Uint64()&1 == 0:
			order[k] = lo
			lo--
		default:
			order[k] = hi
			hi++
		}
	}
}

// Space is where the points of a Euclidean culture are drawn.
type Space int

const (
	UniformCube Space = iota // uniform on [0, 1]^Dim
	Gaussian                 // standard normal in each dimension
)

// Euclidean places the candidates, then each voter, at random points of
// a Dim-dimensional space; a voter ranks candidates by increasing
// distance (Enelow & Hinich 1984; the Euclidean cultures of Elkind et al.
// 2017, "What do multiwinner voting rules do?"). The candidates' points
// are drawn first from the same seeded source.
type Euclidean struct {
	Dim   int
	Space Space
}

func (Euclidean) Name() string { return "euclidean" }

func (c Euclidean) sampler(m int, r *rand.Rand) (sampler, error) {
	if c.Dim < 1 || c.Dim > 1000 {
		return nil, fmt.Errorf("euclidean: dim %d: must be in [1, 1000]", c.Dim)
	}
	if c.Space != UniformCube && c.Space != Gaussian {
		return nil, fmt.Errorf("euclidean: unknown space %d", c.Space)
	}
	s := &euclidSampler{r: r, c: c, cands: make([]float64, m*c.Dim), voter: make([]float64, c.Dim), dist: make([]float64, m)}
	for i := range s.cands {
		s.cands[i] = s.coord()
	}
	return s, nil
}

type euclidSampler struct {
	r     *rand.Rand
	c     Euclidean
	cands []float64 // m×Dim, row-major
	voter []float64
	dist  []float64
}

func (s *euclidSampler) coord() float64 {
	if s.c.Space == Gaussian {
		return s.r.NormFloat64()
	}
	return s.r.Float64()
}

func (s *euclidSampler) draw(order []int) {
	for i := range s.voter {
		s.voter[i] = s.coord()
	}
	d := s.c.Dim
	for c := range order {
		p := s.cands[c*d : (c+1)*d]
		sum := 0.0
		for i, x := range p {
			t := x - s.voter[i]
			sum += t * t
		}
		s.dist[c] = sum
	}
	sortByKey(order, s.dist)
}

// sortByKey sets order to 0..len-1 sorted by increasing key (insertion
// sort: m is small and this allocates nothing).
func sortByKey(order []int, key []float64) {
	for i := range order {
		order[i] = i
	}
	for a := 1; a < len(order); a++ {
		for b := a; b > 0 && key[order[b]] < key[order[b-1]]; b-- {
			order[b], order[b-1] = order[b-1], order[b]
		}
	}
}

// PlackettLuce picks the first candidate with probability proportional to
// its weight, then the next among the rest the same way, and so on
// (Luce 1959; Plackett 1975). It is drawn as the order of independent
// exponential times of rates Weights.
type PlackettLuce struct {
	Weights []float64
}

func (PlackettLuce) Name() string { return "plackett-luce" }

func (c PlackettLuce) sampler(m int, r *rand.Rand) (sampler, error) {
	if len(c.Weights) != m {
		return nil, fmt.Errorf("plackett-luce: %d weights for %d candidates", len(c.Weights), m)
	}
	for i, w := range c.Weights {
		if !(w > 0) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("plackett-luce: weight %d is %v: must be finite and > 0", i, w)
		}
	}
	return &plSampler{r: r, w: slices.Clone(c.Weights), key: make([]float64, m)}, nil
}

type plSampler struct {
	r   *rand.Rand
	w   []float64
	key []float64
}

func (s *plSampler) draw(order []int) {
	for c, w := range s.w {
		s.key[c] = s.r.ExpFloat64() / w
	}
	sortByKey(order, s.key)
}

func checkPerm(p []int, m int) error {
	if len(p) != m {
		return fmt.Errorf("%d entries for %d candidates", len(p), m)
	}
	seen := make([]bool, m)
	for _, c := range p {
		if c < 0 || c >= m || seen[c] {
			return fmt.Errorf("not a permutation of 0..%d", m-1)
		}
		seen[c] = true
	}
	return nil
}
