package voting_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exactExpect is one "EXPECT method[/variant] key = value" line.
type exactExpect struct {
	method, variant, key, value string
}

func parseExactExpect(t *testing.T, line string) exactExpect {
	t.Helper()
	lhs, value, ok := strings.Cut(line, "=")
	require.True(t, ok, line)
	f := strings.Fields(lhs)
	require.Len(t, f, 2, line)
	method, variant, _ := strings.Cut(f[0], "/")
	return exactExpect{method: method, variant: variant, key: f[1], value: strings.TrimSpace(value)}
}

// exactRawScores undoes the sign conventions of Result.Scores, giving the
// scores as the literature publishes them.
func exactRawScores(method string, r *voting.Result) []float64 {
	out := slices.Clone(r.Scores)
	if method == "dodgson" || method == "slater" {
		for i := range out {
			out[i] = -out[i]
		}
	}
	return out
}

var optimalRankingsNote = regexp.MustCompile(`^(\d+) optimal ranking`)

// optimalRankings reads the number of optimal rankings from the notes.
func optimalRankings(t *testing.T, r *voting.Result) int {
	t.Helper()
	for _, n := range r.Notes {
		if m := optimalRankingsNote.FindStringSubmatch(n); m != nil {
			k, err := strconv.Atoi(m[1])
			require.NoError(t, err)
			return k
		}
	}
	require.Fail(t, "no count of optimal rankings in the notes", r.Notes)
	return 0
}

func TestExactPublished(t *testing.T) {
	files := []struct {
		name   string
		policy voting.UnrankedPolicy
	}{
		{"dodgson_examples.txt", voting.UnrankedLast},
		{"kemeny_slater_examples.txt", voting.UnrankedLast},
		{"pairwise_only_examples.txt", voting.UnrankedSkip},
	}
	checked := 0
	for _, f := range files {
		for _, e := range readElections(t, f.name, f.policy) {
			require.NotEmpty(t, e.Expect, e.Name)
			for _, line := range e.Expect {
				x := parseExactExpect(t, line)
				t.Run(e.Name+"/"+line, func(t *testing.T) {
					r := run(t, x.method, e.Profile, voting.Options{Variant: x.variant})
					switch x.key {
					case "winners":
						got := names(e.Profile, r.Winners)
						slices.Sort(got)
						want := strings.Fields(x.value)
						slices.Sort(want)
						assert.Equal(t, want, got)
					case "ranking":
						assert.Equal(t, x.value, rankingNames(e.Profile, r.Ranking))
					case "scores":
						raw := exactRawScores(x.method, r)
						for _, part := range strings.Split(x.value, ",") {
							name, s, _ := strings.Cut(strings.TrimSpace(part), " ")
							want, err := strconv.ParseFloat(s, 64)
							require.NoError(t, err, part)
							c := slices.Index(e.Profile.Candidates(), name)
							require.GreaterOrEqual(t, c, 0, name)
							assert.Equal(t, want, raw[c], name)
						}
					case "score":
						want, err := strconv.ParseFloat(x.value, 64)
						require.NoError(t, err)
						best := slices.Max(r.Scores)
						if x.method == "slater" {
							best = -best
						}
						assert.Equal(t, want, best)
					case "optimal":
						want, err := strconv.Atoi(x.value)
						require.NoError(t, err)
						assert.Equal(t, want, optimalRankings(t, r))
					default:
						require.Fail(t, "unknown EXPECT key", x.key)
					}
				})
				checked++
			}
		}
	}
	assert.Greater(t, checked, 40, "every file was read")
}

// Tennessee (testdata/tennessee.txt): 42 M>N>C>K, 26 N>C>K>M, 15 C>K>N>M,
// 17 K>C>N>M; candidates Memphis, Nashville, Chattanooga, Knoxville.
//
// Dodgson, worked by hand. Nashville is the Condorcet winner: 0.
// Memphis loses 42–58 to each rival (need floor(16/2)+1 = 9 passes of
// each) and is last on all 58 other ballots, so 9 of them raise it by 3:
// 27, and no swap passes two rivals. Chattanooga loses 32–68 to Nashville
// (need 19) and sits just below Nashville on the 42 + 26 first two kinds:
// 19. Knoxville needs 19 passes of Nashville and 34 of Chattanooga (17–83);
// passing Nashville costs 2 swaps and passes Chattanooga on the way, so
// 19·2 + (34−19)·1 = 53, which is also a lower bound.
//
// Young (strict), worked by hand. Memphis: every non-Memphis voter ranks
// it last, each removal adds 1 to all three margins of −16: remove 17,
// keep 83. Chattanooga: −36 against Nashville needs 37 removals among the
// 68 N>C voters; removing 37 of the 42 M>N>C>K keeps its margins over K
// (66−37) and M (16+37) positive: keep 63. Knoxville: −66 against
// Chattanooga needs 67 removals among the 83 C>K voters; with a, b, c
// removed from the 42, 26, 15 kinds, a+b+c = 67 needs a+b−c >= 37
// (Nashville) and 16+a−b−c >= 1 (Memphis): a = 42, b = 25, c = 0 works:
// keep 33. Weak: remove 16, 36 and 66 instead: keep 84, 64 and 34.
func TestExactTennessee(t *testing.T) {
	p := readElections(t, "tennessee.txt", voting.UnrankedLast)[0].Profile
	tests := []struct {
		method, variant string
		raw             []float64
		ranking         string
	}{
		{"dodgson", "exact", []float64{27, 0, 19, 53}, "Nashville > Chattanooga > Memphis > Knoxville"},
		// ceil(16/2)·3; ceil(36/2); ceil(36/2) + ceil(66/2).
		{"dodgson", "quick", []float64{24, 0, 18, 51}, "Nashville > Chattanooga > Memphis > Knoxville"},
		{"dodgson", "tideman", []float64{48, 0, 36, 102}, "Nashville > Chattanooga > Memphis > Knoxville"},
		{"young", "strict", []float64{83, 100, 63, 33}, "Nashville > Memphis > Chattanooga > Knoxville"},
		{"young", "weak", []float64{84, 100, 64, 34}, "Nashville > Memphis > Chattanooga > Knoxville"},
		// Kemeny: the best ranking headed by each candidate: its wins
		// over the others plus the best order of the rest. Memphis:
		// 42·3 + (N > C > K: 68+68+83) = 345; Chattanooga: 58+32+83 +
		// (N > K > M: 68+58+58) = 357; Knoxville: 58+32+17 + 184 = 291.
		{"kemeny-young", "", []float64{345, 393, 357, 291}, "Nashville > Chattanooga > Knoxville > Memphis"},
		// Slater: the majority order is transitive; heading with Memphis
		// reverses its three defeats, Knoxville its two.
		{"slater", "", []float64{3, 0, 1, 2}, "Nashville > Chattanooga > Knoxville > Memphis"},
	}
	for _, tt := range tests {
		t.Run(tt.method+"/"+tt.variant, func(t *testing.T) {
			r := run(t, tt.method, p, voting.Options{Variant: tt.variant})
			assert.Equal(t, tt.raw, exactRawScores(tt.method, r))
			assert.Equal(t, tt.ranking, rankingNames(p, r.Ranking))
			assert.Equal(t, []int{1}, r.Winners)
			assert.Equal(t, []int{1}, r.Elected)
			assert.Equal(t, int64(100), r.Ballots)
			assert.NotNil(t, r.Pairwise)
			assert.NotEmpty(t, r.Notes)
		})
	}
	r := run(t, "kemeny-young", p, voting.Options{})
	assert.Contains(t, r.Notes[0], "393")
	assert.Contains(t, r.Notes[0], "207 reversed", "6 pairs × 100 voters − 393")
	assert.Equal(t, 1, optimalRankings(t, r))
}

// Brandt's Table 4 (dodgson_examples.txt): 5 A>B>C, 4 B>C>A, 3 C>A>B.
// Exact Dodgson by hand: A loses 5–7 to C, needs 2 passes of C; C is
// just above A on the B>C>A ballots: 2. B loses 4–8 to A, needs 3; A is
// just above B on 5 + 3 ballots: 3. C loses 3–9 to B, needs 4; B is just
// above C on the 5 A>B>C ballots: 4.
// Young by hand: A needs +3 (strict) or +2 (weak) against C, one per
// removed C>A voter, and removing B>C>A voters helps against B too: keep
// 9 or 10. B needs +5 or +4 against A; removing A>B>C voters costs 1 of
// its +6 over C each: keep 7 or 8. C needs +7 or +6 against B; removing
// B>C>A voters costs margin over A (+2) and A>B>C voters add to it, so 5
// A>B>C and 2 B>C>A (strict) work: keep 5 or 6.
func TestExactBrandtTable4(t *testing.T) {
	p := exactElection(t, "dodgson_examples.txt", "Brandt 2009 Table 4, original (clones)")
	for _, tt := range []struct {
		method, variant string
		raw             []float64
	}{
		{"dodgson", "exact", []float64{2, 3, 4}},
		{"young", "strict", []float64{9, 7, 5}},
		{"young", "weak", []float64{10, 8, 6}},
	} {
		r := run(t, tt.method, p, voting.Options{Variant: tt.variant})
		assert.Equal(t, tt.raw, exactRawScores(tt.method, r), tt.method+"/"+tt.variant)
		assert.Equal(t, []int{0}, r.Winners)
	}
}

func exactElection(t *testing.T, file, name string) *voting.Profile {
	t.Helper()
	for _, e := range readElections(t, file, voting.UnrankedLast) {
		if e.Name == name {
			return e.Profile
		}
	}
	require.Fail(t, "no election", name)
	return nil
}

func TestKemenyTies(t *testing.T) {
	// The Condorcet cycle: three optimal rankings, each rotation.
	p, _ := voting.NewProfile([]string{"A", "B", "C"}, voting.UnrankedLast)
	require.NoError(t, p.Add(voting.Ranking{{0}, {1}, {2}}, 1))
	require.NoError(t, p.Add(voting.Ranking{{1}, {2}, {0}}, 1))
	require.NoError(t, p.Add(voting.Ranking{{2}, {0}, {1}}, 1))
	for _, tt := range []struct {
		tie     voting.TiePolicy
		elected int
		ranking string
	}{
		{voting.CandidateOrder(), 0, "A > B > C"},
		{voting.TieFunc("last", func(tied []int, _ voting.TieContext) [][]int {
			s := slices.Clone(tied)
			slices.Sort(s)
			slices.Reverse(s)
			out := make([][]int, len(s))
			for i, c := range s {
				out[i] = []int{c}
			}
			return out
		}), 2, "C > A > B"},
	} {
		r := run(t, "kemeny-young", p, voting.Options{Tie: tt.tie})
		assert.Equal(t, []int{0, 1, 2}, r.Winners)
		assert.Equal(t, []int{tt.elected}, r.Elected)
		assert.True(t, r.Tied())
		assert.Equal(t, tt.tie.Name(), r.TieBreak)
		assert.Equal(t, tt.ranking, rankingNames(p, r.Ranking), "the ranking is headed by the elected candidate")
	}
}

func TestSlaterZeroMargins(t *testing.T) {
	// A and B tie 1–1; both beat C. The tie is not a majority result, so
	// both orders of A and B are optimal with no reversal; a ranking
	// headed by C reverses its two defeats.
	p, _ := voting.NewProfile([]string{"A", "B", "C"}, voting.UnrankedLast)
	require.NoError(t, p.Add(voting.Ranking{{0}, {1}, {2}}, 1))
	require.NoError(t, p.Add(voting.Ranking{{1}, {0}, {2}}, 1))
	r := run(t, "slater", p, voting.Options{})
	assert.Equal(t, []int{0, 1}, r.Winners)
	assert.Equal(t, []float64{0, 0, -2}, r.Scores)
	assert.Equal(t, 2, optimalRankings(t, r))
	r = run(t, "kemeny-young", p, voting.Options{})
	assert.Equal(t, []int{0, 1}, r.Winners)
	assert.Equal(t, 2, optimalRankings(t, r))
}

func TestExactErrors(t *testing.T) {
	reg := voting.NewRegistry()
	big := make([]string, 21)
	for i := range big {
		big[i] = fmt.Sprintf("c%02d", i)
	}
	pb, _ := voting.NewProfile(big, voting.UnrankedLast)
	require.NoError(t, pb.Add(voting.Ranking{{0}, {1}}, 1))
	for _, name := range []string{"kemeny-young", "slater"} {
		m, _ := reg.Lookup(name)
		_, err := m.Run(voting.Input{Ranked: pb}, voting.Options{})
		assert.ErrorIs(t, err, voting.ErrTooLarge, name)
	}

	tied, _ := voting.NewProfile([]string{"A", "B", "C"}, voting.UnrankedLast)
	require.NoError(t, tied.Add(voting.Ranking{{0, 1}, {2}}, 2))
	require.NoError(t, tied.Add(voting.Ranking{{2}, {1}, {0}}, 1))
	dodgson, _ := reg.Lookup("dodgson")
	_, err := dodgson.Run(voting.Input{Ranked: tied}, voting.Options{})
	assert.ErrorIs(t, err, voting.ErrWrongBallots, "a tie has no adjacent swap")
	r, err := dodgson.Run(voting.Input{Ranked: tied}, voting.Options{Variant: "quick"})
	require.NoError(t, err)
	// B beats A 1–0 (two voters tie them) and C 2–1; A loses 0–1 to B,
	// C loses 1–2 to both: ceil(1/2) per defeat.
	assert.Equal(t, []float64{-1, 0, -2}, r.Scores)

	truncated, _ := voting.NewProfile([]string{"A", "B", "C"}, voting.UnrankedSkip)
	require.NoError(t, truncated.Add(voting.Ranking{{0}, {1}}, 1))
	_, err = dodgson.Run(voting.Input{Ranked: truncated}, voting.Options{})
	assert.ErrorIs(t, err, voting.ErrWrongBallots, "under skip a truncated ballot does not compare C")
	last, _ := voting.NewProfile([]string{"A", "B", "C"}, voting.UnrankedLast)
	require.NoError(t, last.Add(voting.Ranking{{0}, {1}}, 1))
	r, err = dodgson.Run(voting.Input{Ranked: last}, voting.Options{})
	require.NoError(t, err, "under last, one unranked candidate is simply last")
	// A > B > C: B passes A (1 swap), C passes B and A (2).
	assert.Equal(t, []float64{0, -1, -2}, r.Scores)

	young, _ := reg.Lookup("young")
	for _, param := range []string{"max_nodes", "max_work"} {
		for _, v := range []float64{0, -3, 1.5} {
			_, err = young.Run(voting.Input{Ranked: last}, voting.Options{Params: map[string]float64{param: v}})
			assert.ErrorIs(t, err, voting.ErrInvalidOption, "%s %v", param, v)
		}
	}
	// Brandt's Table 4 needs a few pivots per candidate; one tableau
	// update is not enough.
	p := exactElection(t, "dodgson_examples.txt", "Brandt 2009 Table 4, original (clones)")
	for _, m := range []voting.Method{dodgson, young} {
		_, err = m.Run(voting.Input{Ranked: p}, voting.Options{Params: map[string]float64{"max_work": 1}})
		assert.ErrorIs(t, err, voting.ErrTooLarge, m.Name)
		_, err = m.Run(voting.Input{Ranked: p}, voting.Options{Params: map[string]float64{"max_work": 1e6, "max_nodes": 10}})
		assert.NoError(t, err, m.Name)
	}
}

// exactRandomProfile draws voters over n candidates from a seeded source;
// with linear false, ballots may tie neighbours and stop early.
func exactRandomProfile(t *testing.T, seed uint64, n, voters int, linear bool) *voting.Profile {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	cands := make([]string, n)
	for i := range cands {
		cands[i] = string(rune('A' + i))
	}
	policy := voting.UnrankedLast
	if !linear && rng.IntN(2) == 0 {
		policy = voting.UnrankedSkip
	}
	p, err := voting.NewProfile(cands, policy)
	require.NoError(t, err)
	// A few ballot kinds with multiplicities, like real profiles.
	kinds := 1 + rng.IntN(min(voters, 6))
	for range voters {
		if rng.IntN(kinds+1) > 0 && p.Distinct() >= kinds {
			// Repeat an existing kind.
			i, k := rng.IntN(p.Distinct()), 0
			for r := range p.Ballots() {
				if k == i {
					require.NoError(t, p.Add(r, 1))
					break
				}
				k++
			}
			continue
		}
		perm := rng.Perm(n)
		var r voting.Ranking
		keep := n
		if !linear {
			keep = 1 + rng.IntN(n)
		}
		for i, c := range perm[:keep] {
			if !linear && i > 0 && rng.IntN(4) == 0 {
				r[len(r)-1] = append(r[len(r)-1], c)
				continue
			}
			r = append(r, []int{c})
		}
		require.NoError(t, p.Add(r, 1))
	}
	return p
}

// eachPermutation calls f with every ordering of 0..n-1 (Heap's algorithm).
func eachPermutation(n int, f func([]int)) {
	a := make([]int, n)
	for i := range a {
		a[i] = i
	}
	var gen func(k int)
	gen = func(k int) {
		if k <= 1 {
			f(a)
			return
		}
		for i := 0; i < k-1; i++ {
			gen(k - 1)
			if k%2 == 0 {
				a[i], a[k-1] = a[k-1], a[i]
			} else {
				a[0], a[k-1] = a[k-1], a[0]
			}
		}
		gen(k - 1)
	}
	gen(n)
}

// bruteOrdering scores every ranking by the weight of the pairs it keeps.
func bruteOrdering(n int, w func(i, j int) int64) (best int64, count int, heads []int, headBest []int64) {
	best = math.MinInt64
	headBest = make([]int64, n)
	for i := range headBest {
		headBest[i] = math.MinInt64
	}
	headSet := map[int]bool{}
	eachPermutation(n, func(a []int) {
		var s int64
		for i := range a {
			for j := i + 1; j < len(a); j++ {
				s += w(a[i], a[j])
			}
		}
		headBest[a[0]] = max(headBest[a[0]], s)
		switch {
		case s > best:
			best, count = s, 1
			clear(headSet)
			headSet[a[0]] = true
		case s == best:
			count++
			headSet[a[0]] = true
		}
	})
	for c := range n {
		if headSet[c] {
			heads = append(heads, c)
		}
	}
	return best, count, heads, headBest
}

// rankingWeight is the weight of the pairs a strict ranking keeps.
func rankingWeight(r [][]int, w func(i, j int) int64) int64 {
	var s int64
	for i := range r {
		for j := i + 1; j < len(r); j++ {
			s += w(r[i][0], r[j][0])
		}
	}
	return s
}

func TestOrderingAgainstBruteForce(t *testing.T) {
	for seed := uint64(0); seed < 60; seed++ {
		n := 1 + int(seed%7)
		p := exactRandomProfile(t, seed, n, 1+int(seed%13), seed%3 == 0)
		m := p.Pairwise()
		for _, tt := range []struct {
			method string
			w      func(i, j int) int64
			score  func(best, edges int64) float64
		}{
			{"kemeny-young", func(i, j int) int64 { return m.M[i][j] }, func(b, _ int64) float64 { return float64(b) }},
			{"slater", func(i, j int) int64 {
				if m.Beats(i, j) {
					return 1
				}
				return 0
			}, func(b, e int64) float64 { return float64(b - e) }},
		} {
			var edges int64
			for i := range n {
				for j := range n {
					edges += tt.w(i, j)
				}
			}
			best, count, heads, headBest := bruteOrdering(n, tt.w)
			r := run(t, tt.method, p, voting.Options{})
			msg := fmt.Sprintf("%s seed %d n %d", tt.method, seed, n)
			assert.Equal(t, heads, r.Winners, msg)
			assert.Equal(t, count, optimalRankings(t, r), msg)
			for c := range n {
				assert.Equal(t, tt.score(headBest[c], edges), r.Scores[c], msg)
			}
			require.Len(t, r.Ranking, n, msg)
			assert.Equal(t, best, rankingWeight(r.Ranking, tt.w), "the ranking is optimal: "+msg)
			assert.Equal(t, r.Elected[0], r.Ranking[0][0], msg)
		}
	}
}

// linearBallots expands a profile into one complete strict order per voter.
func linearBallots(p *voting.Profile) [][]int {
	var out [][]int
	n := p.N()
	for r, k := range p.Ballots() {
		order := make([]int, 0, n)
		for _, g := range r {
			order = append(order, g...)
		}
		pos := r.Positions(n)
		for c := range n {
			if pos[c] < 0 {
				order = append(order, c)
			}
		}
		for range k {
			out = append(out, order)
		}
	}
	return out
}

// bruteDodgson tries every way of raising c on every voter's ballot.
func bruteDodgson(ballots [][]int, n, c int) int64 {
	above := make([][]int, len(ballots)) // candidates above c, nearest first
	for v, b := range ballots {
		at := slices.Index(b, c)
		for k := at - 1; k >= 0; k-- {
			above[v] = append(above[v], b[k])
		}
	}
	wins := make([]int, n) // voters putting c above d
	for _, b := range ballots {
		at := slices.Index(b, c)
		for _, d := range b[at+1:] {
			wins[d]++
		}
	}
	best := int64(math.MaxInt64)
	var rec func(v int, cost int64)
	rec = func(v int, cost int64) {
		if cost >= best {
			return
		}
		if v == len(ballots) {
			for d := range n {
				if d != c && 2*wins[d] <= len(ballots) {
					return
				}
			}
			best = cost
			return
		}
		rec(v+1, cost)
		// Raising c by k+1 places passes above[0..k].
		for k, d := range above[v] {
			wins[d]++
			rec(v+1, cost+int64(k+1))
		}
		for _, d := range above[v] {
			wins[d]--
		}
	}
	rec(0, 0)
	return best
}

// dpDodgson is an independent exact count: dynamic programming voter by
// voter over the vector of passes still needed against each rival.
func dpDodgson(ballots [][]int, m *voting.Matrix, c int) int64 {
	n := m.N
	need := make([]int, n)
	radix := make([]int, n)
	states := 1
	for d := range n {
		if def := m.M[d][c] - m.M[c][d]; d != c && def >= 0 {
			need[d] = int(def/2 + 1)
		}
		radix[d] = states
		states *= need[d] + 1
	}
	const inf = math.MaxInt64
	cost := make([]int64, states)
	for i := range cost {
		cost[i] = inf
	}
	start := 0
	for d := range n {
		start += need[d] * radix[d]
	}
	cost[start] = 0
	next := make([]int64, states)
	for _, b := range ballots {
		copy(next, cost)
		at := slices.Index(b, c)
		for s, v := range cost {
			if v == inf {
				continue
			}
			t := s
			for k := 1; k <= at; k++ {
				d := b[at-k]
				if (t/radix[d])%(need[d]+1) > 0 {
					t -= radix[d]
				}
				next[t] = min(next[t], v+int64(k))
			}
		}
		cost, next = next, cost
	}
	return cost[0]
}

func TestDodgsonAgainstIndependentCounts(t *testing.T) {
	branched := 0
	for seed := uint64(0); seed < 300; seed++ {
		n, voters := 4+int(seed%4), 4+int(seed%9)
		p := exactRandomProfile(t, seed, n, voters, true)
		ballots := linearBallots(p)
		m := p.Pairwise()
		r := run(t, "dodgson", p, voting.Options{})
		quick := run(t, "dodgson", p, voting.Options{Variant: "quick"})
		for c := range n {
			want := dpDodgson(ballots, m, c)
			if n == 4 && voters <= 7 {
				require.Equal(t, bruteDodgson(ballots, n, c), want, "the two references agree")
			}
			assert.Equal(t, -float64(want), r.Scores[c], "seed %d candidate %d", seed, c)
			assert.LessOrEqual(t, -quick.Scores[c], float64(want), "quick is a lower bound")
		}
		if exactBranches(t, "dodgson", p) {
			branched++
		}
	}
	assert.Greater(t, branched, 3, "the branch and bound is exercised, not only integral relaxations")
}

// exactBranches reports whether a one-node budget is too small, that is
// whether some candidate's relaxation was fractional.
func exactBranches(t *testing.T, method string, p *voting.Profile) bool {
	t.Helper()
	m, err := voting.NewRegistry().Lookup(method)
	require.NoError(t, err)
	_, err = m.Run(voting.Input{Ranked: p}, voting.Options{Params: map[string]float64{"max_nodes": 1}})
	if err != nil {
		require.ErrorIs(t, err, voting.ErrTooLarge)
		return true
	}
	return false
}

// bruteYoung tries every number of kept voters of every ballot kind.
func bruteYoung(p *voting.Profile, c int, threshold int64) (kept int64, ok bool) {
	n := p.N()
	type kind struct {
		m     [][]int64 // pairwise matrix of one such voter
		count int64
	}
	var kinds []kind
	for r, k := range p.Ballots() {
		one, _ := voting.NewProfile(p.Candidates(), p.Policy())
		_ = one.Add(r, 1)
		kinds = append(kinds, kind{one.Pairwise().M, k})
	}
	keep := make([]int64, len(kinds))
	var rec func(i int)
	rec = func(i int) {
		if i == len(kinds) {
			var total int64
			for _, k := range keep {
				total += k
			}
			if ok && total <= kept {
				return
			}
			for d := range n {
				if d == c {
					continue
				}
				var margin int64
				for j, k := range kinds {
					margin += keep[j] * (k.m[c][d] - k.m[d][c])
				}
				if margin < threshold {
					return
				}
			}
			kept, ok = total, true
			return
		}
		for keep[i] = 0; keep[i] <= kinds[i].count; keep[i]++ {
			rec(i + 1)
		}
	}
	rec(0)
	return kept, ok
}

func TestYoungAgainstBruteForce(t *testing.T) {
	branched := 0
	for seed := uint64(0); seed < 150; seed++ {
		n := 2 + int(seed%4)
		p := exactRandomProfile(t, seed, n, 1+int(seed%25), seed%4 == 0)
		for _, variant := range []string{"strict", "weak"} {
			threshold := int64(1)
			if variant == "weak" {
				threshold = 0
			}
			r := run(t, "young", p, voting.Options{Variant: variant})
			for c := range n {
				kept, ok := bruteYoung(p, c, threshold)
				if !ok {
					kept = 0
				}
				assert.Equal(t, float64(kept), r.Scores[c], "seed %d %s candidate %d", seed, variant, c)
			}
		}
		if exactBranches(t, "young", p) {
			branched++
		}
	}
	assert.Greater(t, branched, 3, "the branch and bound is exercised, not only integral relaxations")
}

func TestExactElectCondorcetWinner(t *testing.T) {
	methods := []struct{ method, variant string }{
		{"kemeny-young", ""}, {"slater", ""}, {"dodgson", "exact"}, {"dodgson", "tideman"},
		{"young", "strict"}, {"young", "weak"},
	}
	seen := 0
	for seed := uint64(0); seed < 150; seed++ {
		p := exactRandomProfile(t, seed, 3+int(seed%4), 3+int(seed%20), true)
		cw := p.Pairwise().CondorcetWinner()
		if cw < 0 {
			continue
		}
		seen++
		for _, m := range methods {
			r := run(t, m.method, p, voting.Options{Variant: m.variant})
			assert.Equal(t, []int{cw}, r.Winners, "%s/%s seed %d", m.method, m.variant, seed)
		}
	}
	assert.Greater(t, seen, 30)
}

// Adding the same ballots in another order changes nothing.
func TestExactBallotOrderInvariance(t *testing.T) {
	for seed := uint64(0); seed < 20; seed++ {
		p := exactRandomProfile(t, seed, 4+int(seed%3), 20, seed%2 == 0)
		type ballot struct {
			r voting.Ranking
			k int64
		}
		var all []ballot
		for r, k := range p.Ballots() {
			all = append(all, ballot{r, k})
		}
		rand.New(rand.NewPCG(seed, 99)).Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		q, _ := voting.NewProfile(p.Candidates(), p.Policy())
		for _, b := range all {
			require.NoError(t, q.Add(b.r, b.k))
		}
		methods := []struct{ method, variant string }{
			{"kemeny-young", ""}, {"slater", ""}, {"dodgson", "quick"}, {"young", "strict"}, {"young", "weak"},
		}
		if seed%2 == 0 {
			methods = append(methods, struct{ method, variant string }{"dodgson", "exact"})
		}
		for _, m := range methods {
			a := run(t, m.method, p, voting.Options{Variant: m.variant})
			b := run(t, m.method, q, voting.Options{Variant: m.variant})
			assert.Equal(t, a, b, "%s/%s seed %d", m.method, m.variant, seed)
		}
	}
}

func TestYoungImpossible(t *testing.T) {
	// C is never ranked above anyone: no group of voters makes it beat A
	// strictly, but removing everyone makes it a weak winner.
	p, _ := voting.NewProfile([]string{"A", "B", "C"}, voting.UnrankedLast)
	require.NoError(t, p.Add(voting.Ranking{{0}, {1}}, 2))
	require.NoError(t, p.Add(voting.Ranking{{1}, {0}}, 1))
	r := run(t, "young", p, voting.Options{Variant: "strict"})
	// A: already beats B 2–1 and C 3–0. B: remove one A>B voter: 1–1 is
	// not enough, remove both: keep 1.
	assert.Equal(t, []float64{3, 1, 0}, r.Scores)
	assert.Contains(t, strings.Join(r.Notes, " "), "makes C beat every rival")
	r = run(t, "young", p, voting.Options{Variant: "weak"})
	assert.Equal(t, []float64{3, 2, 0}, r.Scores)
}

func TestExactEdgeCases(t *testing.T) {
	one, _ := voting.NewProfile([]string{"A"}, voting.UnrankedLast)
	require.NoError(t, one.Add(voting.Ranking{{0}}, 3))
	empty, _ := voting.NewProfile([]string{"A", "B", "C"}, voting.UnrankedLast)
	for _, tt := range []struct {
		method, variant string
		p               *voting.Profile
		winners         []int
		scores          []float64
	}{
		{"kemeny-young", "", one, []int{0}, []float64{0}},
		{"slater", "", one, []int{0}, []float64{0}},
		{"dodgson", "exact", one, []int{0}, []float64{0}},
		{"young", "strict", one, []int{0}, []float64{3}},
		// Without ballots every ranking is optimal and no one can win.
		{"kemeny-young", "", empty, []int{0, 1, 2}, []float64{0, 0, 0}},
		{"slater", "", empty, []int{0, 1, 2}, []float64{0, 0, 0}},
		{"dodgson", "exact", empty, []int{0, 1, 2}, []float64{0, 0, 0}},
		{"dodgson", "quick", empty, []int{0, 1, 2}, []float64{0, 0, 0}},
		{"young", "strict", empty, []int{0, 1, 2}, []float64{0, 0, 0}},
		{"young", "weak", empty, []int{0, 1, 2}, []float64{0, 0, 0}},
	} {
		r := run(t, tt.method, tt.p, voting.Options{Variant: tt.variant})
		msg := fmt.Sprintf("%s/%s with %d candidates", tt.method, tt.variant, tt.p.N())
		assert.Equal(t, tt.winners, r.Winners, msg)
		assert.Equal(t, tt.scores, r.Scores, msg)
		assert.Len(t, slices.Concat(r.Ranking...), tt.p.N(), "every candidate is ranked: "+msg)
	}
	r := run(t, "kemeny-young", empty, voting.Options{})
	assert.Equal(t, 6, optimalRankings(t, r), "3! rankings")
}
