package generate_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/generate"
)

// key names a strict complete ranking.
func key(r voting.Ranking) string { return fmt.Sprint(r) }

func counts(t *testing.T, o generate.Options) map[string]int64 {
	t.Helper()
	p, err := generate.Ranked(o)
	if err != nil {
		t.Fatal(err)
	}
	if p.Voters() != o.Voters {
		t.Fatalf("%d voters, want %d", p.Voters(), o.Voters)
	}
	out := map[string]int64{}
	for r, c := range p.Ballots() {
		out[key(r)] += c
	}
	return out
}

// chiSquare of observed counts against equal expected counts over cells
// cells (cells never seen count as 0).
func chiSquare(obs map[string]int64, cells int, n int64) float64 {
	e := float64(n) / float64(cells)
	x := 0.0
	for _, o := range obs {
		x += (float64(o) - e) * (float64(o) - e) / e
	}
	x += float64(cells-len(obs)) * e
	return x
}

func TestUniformCultures(t *testing.T) {
	// 24 rankings of 4 candidates: chi-square with 23 degrees of freedom
	// has mean 23 and sd 6.8; 80 is past p = 1e-7, a generous bound for a
	// fixed seed.
	for _, c := range []generate.Culture{generate.IC{}, generate.Urn{Alpha: 0}} {
		t.Run(c.Name(), func(t *testing.T) {
			const n = 240000
			obs := counts(t, generate.Options{Candidates: 4, Voters: n, Seed: 7, Culture: c})
			if len(obs) != 24 {
				t.Fatalf("%d distinct rankings, want 24", len(obs))
			}
			if x := chiSquare(obs, 24, n); x > 80 {
				t.Errorf("chi-square %.1f over 24 cells", x)
			}
		})
	}
}

func TestSinglePeaked(t *testing.T) {
	// A ranking is single-peaked on 0<1<…<m-1 when every top-k set is an
	// interval of the axis.
	sp := func(r voting.Ranking) bool {
		lo, hi := math.MaxInt, -1
		k := 0
		for _, g := range r {
			for _, c := range g {
				lo, hi, k = min(lo, c), max(hi, c), k+1
			}
			if hi-lo+1 != k {
				return false
			}
		}
		return true
	}
	for _, c := range []generate.Culture{generate.SinglePeakedWalsh{}, generate.SinglePeakedConitzer{}, generate.Euclidean{Dim: 1}} {
		t.Run(c.Name(), func(t *testing.T) {
			const m, n = 6, 64000
			o := generate.Options{Candidates: m, Voters: n, Seed: 3, Culture: c}
			obs := counts(t, o)
			p, _ := generate.Ranked(o)
			_, line := c.(generate.Euclidean)
			perm := axisOrder(t, p, sp, line)
			for r := range p.Ballots() {
				if !sp(rename(r, perm)) {
					t.Fatalf("ballot %v is not single-peaked", r)
				}
			}
			if _, ok := c.(generate.SinglePeakedWalsh); ok {
				// Walsh's sampler is uniform over the 2^(m-1) single-peaked
				// rankings: chi-square with 31 df (mean 31, sd 7.9).
				if len(obs) != 1<<(m-1) {
					t.Fatalf("%d distinct, want %d", len(obs), 1<<(m-1))
				}
				if x := chiSquare(obs, 1<<(m-1), n); x > 90 {
					t.Errorf("chi-square %.1f", x)
				}
			}
			if _, ok := c.(generate.SinglePeakedConitzer); ok {
				// Conitzer's peak is uniform: each candidate first n/m times.
				first := make([]int64, m)
				for r, k := range p.Ballots() {
					first[r[0][0]] += k
				}
				for c, f := range first {
					if math.Abs(float64(f)-n/m) > 5*math.Sqrt(n/m) {
						t.Errorf("candidate %d first %d times, want about %d", c, f, n/m)
					}
				}
			}
		})
	}
}

// axisOrder returns the identity for the axis cultures. For points on a
// line, the ranking of a voter left of every candidate is the candidates'
// order along the line: it tries each distinct ballot as the axis.
func axisOrder(t *testing.T, p *voting.Profile, sp func(voting.Ranking) bool, line bool) []int {
	m := p.N()
	id := make([]int, m)
	for i := range id {
		id[i] = i
	}
	if !line {
		return id
	}
	for axis := range p.Ballots() {
		pos := make([]int, m)
		for i, g := range axis {
			pos[g[0]] = i
		}
		ok := true
		for r := range p.Ballots() {
			if ok = sp(rename(r, pos)); !ok {
				break
			}
		}
		if ok {
			return pos
		}
	}
	t.Fatal("no ballot is an axis on which every ballot is single-peaked")
	return nil
}

func rename(r voting.Ranking, pos []int) voting.Ranking {
	out := make(voting.Ranking, len(r))
	for i, g := range r {
		for _, c := range g {
			out[i] = append(out[i], pos[c])
		}
	}
	return out
}

func kendall(r voting.Ranking, m int) int {
	pos := r.Positions(m)
	d := 0
	for a := 0; a < m; a++ {
		for b := a + 1; b < m; b++ {
			if pos[a] > pos[b] {
				d++
			}
		}
	}
	return d
}

func TestMallowsExpectedDistance(t *testing.T) {
	// Closed form of the expected Kendall tau distance under Mallows
	// (Fligner & Verducci 1986): m·φ/(1-φ) - Σ_{j=1..m} j·φ^j/(1-φ^j).
	closed := func(m int, phi float64) float64 {
		e := float64(m) * phi / (1 - phi)
		for j := 1; j <= m; j++ {
			e -= float64(j) * math.Pow(phi, float64(j)) / (1 - math.Pow(phi, float64(j)))
		}
		return e
	}
	for _, tc := range []struct {
		m   int
		phi float64
	}{{4, 0.2}, {6, 0.5}, {8, 0.8}, {10, 0.95}} {
		t.Run(fmt.Sprint(tc.m, tc.phi), func(t *testing.T) {
			want := closed(tc.m, tc.phi)
			if got := generate.ExpectedSwaps(tc.m, tc.phi); math.Abs(got-want) > 1e-9 {
				t.Fatalf("ExpectedSwaps %v, closed form %v", got, want)
			}
			const n = 100000
			p, err := generate.Ranked(generate.Options{Candidates: tc.m, Voters: n, Seed: 11, Culture: generate.Mallows{Phi: tc.phi}})
			if err != nil {
				t.Fatal(err)
			}
			sum, sq := 0.0, 0.0
			for r, c := range p.Ballots() {
				d := float64(kendall(r, tc.m))
				sum += d * float64(c)
				sq += d * d * float64(c)
			}
			mean := sum / n
			se := math.Sqrt((sq/n - mean*mean) / n)
			if math.Abs(mean-want) > 5*se {
				t.Errorf("mean distance %.4f, closed form %.4f (se %.4f)", mean, want, se)
			}
		})
	}
	// phi = 0 gives the centre only; the normalised phi hits its target.
	c := []int{2, 0, 3, 1}
	p, _ := generate.Ranked(generate.Options{Candidates: 4, Voters: 50, Culture: generate.Mallows{Phi: 0, Center: c}})
	if p.Distinct() != 1 {
		t.Errorf("phi 0 drew %d distinct rankings", p.Distinct())
	}
	for r := range p.Ballots() {
		if key(r) != "[[2] [0] [3] [1]]" {
			t.Errorf("phi 0 drew %v", r)
		}
	}
	if phi := generate.PhiFromNorm(7, 0.4); math.Abs(generate.ExpectedSwaps(7, phi)-0.4*7*6/4) > 1e-9 {
		t.Errorf("PhiFromNorm(7, 0.4) = %v misses its target", phi)
	}
}

func TestIAC(t *testing.T) {
	// Under IAC the share of one ranking among n voters is
	// Dirichlet-multinomial: mean 1/k, variance p(1-p)(n+k)/(n(1+k)) with
	// k = m! rankings.
	const m, n, profiles = 3, 60, 4000
	const k = 6
	var sum, sq float64
	for s := range uint64(profiles) {
		obs := counts(t, generate.Options{Candidates: m, Voters: n, Seed: s, Culture: generate.IAC{}})
		f := float64(obs["[[0] [1] [2]]"]) / n
		sum += f
		sq += f * f
	}
	mean := sum / profiles
	variance := sq/profiles - mean*mean
	p := 1.0 / k
	wantVar := p * (1 - p) * (n + k) / (n * (1 + k))
	if math.Abs(mean-p) > 5*math.Sqrt(wantVar/profiles) {
		t.Errorf("mean share %.4f, want %.4f", mean, p)
	}
	if math.Abs(variance-wantVar)/wantVar > 0.1 {
		t.Errorf("variance %.5f, want %.5f (IC would give %.5f)", variance, wantVar, p*(1-p)/n)
	}
}

func TestPlackettLuceFirstPlace(t *testing.T) {
	w := []float64{4, 3, 2, 1}
	const n = 100000
	p, err := generate.Ranked(generate.Options{Candidates: 4, Voters: n, Seed: 5, Culture: generate.PlackettLuce{Weights: w}})
	if err != nil {
		t.Fatal(err)
	}
	first := make([]float64, 4)
	for r, c := range p.Ballots() {
		first[r[0][0]] += float64(c)
	}
	for c, f := range first {
		want := w[c] / 10 * n
		if math.Abs(f-want) > 5*math.Sqrt(want) {
			t.Errorf("candidate %d first %v times, want %v", c, f, want)
		}
	}
}

func TestTruncationAndTies(t *testing.T) {
	const n = 50000
	o := generate.Options{Candidates: 6, Voters: n, Seed: 9, MinRanked: 2, MaxRanked: 4, Ties: 0.25}
	p, err := generate.Ranked(o)
	if err != nil {
		t.Fatal(err)
	}
	var pairs, ties float64
	lengths := map[int]int64{}
	for r, c := range p.Ballots() {
		k := r.Ranked()
		lengths[k] += c
		pairs += float64(k-1) * float64(c)
		ties += float64(k-len(r)) * float64(c)
	}
	for k := range lengths {
		if k < 2 || k > 4 {
			t.Errorf("a ballot ranks %d candidates", k)
		}
	}
	if len(lengths) != 3 {
		t.Errorf("lengths %v", lengths)
	}
	if f := ties / pairs; math.Abs(f-0.25) > 0.01 {
		t.Errorf("tie rate %.3f, want 0.25", f)
	}
}

func TestApprovalAndScores(t *testing.T) {
	a, err := generate.Approval(generate.Options{Candidates: 5, Voters: 2000, Seed: 1}, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[int]bool{}
	for b := range a.Ballots() {
		k := 0
		for _, v := range b {
			k += v
		}
		sizes[k] = true
	}
	if len(sizes) != 3 || !sizes[1] || !sizes[3] {
		t.Errorf("approval sizes %v, want 1..3", sizes)
	}
	s, err := generate.Scores(generate.Options{Candidates: 5, Voters: 100, Seed: 1, Culture: generate.Mallows{Phi: 0}}, 8)
	if err != nil {
		t.Fatal(err)
	}
	for b := range s.Ballots() {
		if !slices.Equal(b, []int{8, 6, 4, 2, 0}) {
			t.Errorf("scores %v from the centre ranking", b)
		}
	}
}

func TestReproducible(t *testing.T) {
	cultures := []generate.Culture{
		generate.IC{}, generate.IAC{}, generate.Urn{Alpha: 0.3}, generate.Mallows{Phi: 0.6, NormPhi: true},
		generate.Mixture{Components: []generate.Culture{generate.Mallows{Phi: 0.3}, generate.Mallows{Phi: 0.3, Center: []int{4, 3, 2, 1, 0}}}, Weights: []float64{1, 2}},
		generate.SinglePeakedWalsh{}, generate.SinglePeakedConitzer{}, generate.Euclidean{Dim: 3, Space: generate.Gaussian},
		generate.PlackettLuce{Weights: []float64{1, 2, 3, 4, 5}},
	}
	for _, c := range cultures {
		o := generate.Options{Candidates: 5, Voters: 300, Seed: 42, Culture: c}
		a, err := generate.Ranked(o)
		if err != nil {
			t.Fatalf("%s: %v", c.Name(), err)
		}
		b, _ := generate.Ranked(o)
		o.Seed++
		other, _ := generate.Ranked(o)
		if dump(a) != dump(b) {
			t.Errorf("%s: same seed, different profiles", c.Name())
		}
		if dump(a) == dump(other) {
			t.Errorf("%s: seeds 42 and 43 drew the same profile", c.Name())
		}
	}
}

func dump(p *voting.Profile) string {
	s := ""
	for r, c := range p.Ballots() {
		s += fmt.Sprint(r, c)
	}
	return s
}

func TestInvalidOptions(t *testing.T) {
	for _, o := range []generate.Options{
		{Candidates: 0, Voters: 1},
		{Candidates: 3, Voters: -1},
		{Candidates: 3, Voters: 1, MinRanked: 2, MaxRanked: 1},
		{Candidates: 3, Voters: 1, Ties: 1.5},
		{Candidates: 3, Voters: 1, Culture: generate.Mallows{Phi: 2}},
		{Candidates: 3, Voters: 1, Culture: generate.Mallows{Phi: 0.5, Center: []int{0, 0, 1}}},
		{Candidates: 3, Voters: 1, Culture: generate.Urn{Alpha: -1}},
		{Candidates: 3, Voters: 1, Culture: generate.Euclidean{Dim: 0}},
		{Candidates: 3, Voters: 1, Culture: generate.PlackettLuce{Weights: []float64{1, 0, 1}}},
		{Candidates: 3, Voters: 1, Culture: generate.Mixture{}},
	} {
		if _, err := generate.Ranked(o); !errors.Is(err, voting.ErrInvalidOption) {
			t.Errorf("%+v: err %v, want ErrInvalidOption", o, err)
		}
	}
}

// Under the urn with replacement α (normalised), the second voter copies
// the first with probability α/(1+α), or draws afresh and matches with
// probability 1/m!: P(same) = (α + 1/m!)/(1+α). The urn with α = 0 is
// checked against IC in TestUniformCultures.
func TestUrnCopies(t *testing.T) {
	for _, alpha := range []float64{0.2, 1, 5} {
		const m, profiles = 3, 20000
		same := 0
		for s := range uint64(profiles) {
			p, err := generate.Ranked(generate.Options{Candidates: m, Voters: 2, Seed: s, Culture: generate.Urn{Alpha: alpha}})
			if err != nil {
				t.Fatal(err)
			}
			if p.Distinct() == 1 {
				same++
			}
		}
		want := (alpha + 1.0/6) / (1 + alpha)
		got := float64(same) / profiles
		if se := math.Sqrt(want * (1 - want) / profiles); math.Abs(got-want) > 5*se {
			t.Errorf("alpha %v: two voters agree in %.4f of profiles, want %.4f", alpha, got, want)
		}
	}
}

// The urn as a Chinese restaurant: voter i+1 copies a uniformly chosen
// earlier voter with probability iα/(1+iα), so the first voter's ranking
// is held by S voters with E[S_{i+1}] = E[S_i]·(1 + α/(1+iα)), and the
// expected number of fresh draws is Σ 1/(1+iα). With 8 candidates a fresh
// draw rarely repeats an earlier one (40,320 orders), so the first ranking
// seen and the number of distinct rankings follow these two formulas;
// this checks the Fenwick tree's proportional choice of whom to copy.
func TestUrnFirstRanking(t *testing.T) {
	const m, n, profiles, alpha = 8, 100, 3000, 0.5
	wantFirst, wantFresh := 1.0, 1.0
	for i := 1; i < n; i++ {
		wantFirst *= 1 + alpha/(1+float64(i)*alpha)
		wantFresh += 1 / (1 + float64(i)*alpha)
	}
	var first, firstSq, distinct float64
	for s := range uint64(profiles) {
		p, err := generate.Ranked(generate.Options{Candidates: m, Voters: n, Seed: s, Culture: generate.Urn{Alpha: alpha}})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Ballots() {
			first += float64(c)
			firstSq += float64(c) * float64(c)
			break
		}
		distinct += float64(p.Distinct())
	}
	mean := first / profiles
	se := math.Sqrt((firstSq/profiles - mean*mean) / profiles)
	if math.Abs(mean-wantFirst) > 5*se {
		t.Errorf("first ranking held by %.2f voters on average, want %.2f (se %.2f)", mean, wantFirst, se)
	}
	if d := distinct / profiles; math.Abs(d-wantFresh) > 0.05*wantFresh {
		t.Errorf("%.2f distinct rankings on average, want about %.2f", d, wantFresh)
	}
}
