package voting_test

import (
	"errors"
	"fmt"
	"maps"
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

// condorcetMethods lists every method of condorcet.go and tournament.go
// with its variants ("" = the default).
var condorcetMethods = map[string][]string{
	"copeland":      {"copeland", "llull"},
	"minimax":       {"winning-votes", "margins", "pairwise-opposition"},
	"schulze":       {"winning-votes", "margins", "ratio"},
	"ranked-pairs":  {"margins", "winning-votes"},
	"river":         {"margins", "winning-votes"},
	"split-cycle":   {""},
	"stable-voting": {""},
	"black":         {""},
	"smith":         {""},
	"schwartz":      {""},
	"top-cycle":     {"getcha", "gocha"},
	"uncovered-set": {""},
	"banks":         {""},
}

// condExpectRe reads the EXPECT lines of condorcet_examples*.txt:
// "<method>[/<variant>] <field>: <value>".
var condExpectRe = regexp.MustCompile(`^([a-z-]+)(?:/([a-z-]+))?\s+(winners|ranking|scores|strengths):\s*(.*)$`)

func TestCondorcetExamples(t *testing.T) {
	for file, policy := range map[string]voting.UnrankedPolicy{
		"condorcet_examples.txt":      voting.UnrankedLast,
		"condorcet_examples_skip.txt": voting.UnrankedSkip,
	} {
		checked := 0
		for _, e := range readElections(t, file, policy) {
			for _, line := range e.Expect {
				x := condExpectRe.FindStringSubmatch(line)
				require.NotNil(t, x, "%s: unreadable EXPECT %q", e.Name, line)
				method, variant, field, value := x[1], x[2], x[3], x[4]
				t.Run(e.Name+"/"+method+"/"+variant+"/"+field, func(t *testing.T) {
					r := run(t, method, e.Profile, voting.Options{Variant: variant})
					condCheckField(t, e.Profile, r, field, value)
				})
				checked++
			}
		}
		assert.Greater(t, checked, 5, file)
	}
}

func condCheckField(t *testing.T, p *voting.Profile, r *voting.Result, field, value string) {
	t.Helper()
	index := map[string]int{}
	for i, c := range p.Candidates() {
		index[c] = i
	}
	switch field {
	case "winners":
		var want []int
		for _, c := range strings.Fields(value) {
			want = append(want, index[c])
		}
		slices.Sort(want)
		assert.Equal(t, want, r.Winners, "winners %v", names(p, r.Winners))
		assert.Subset(t, r.Winners, r.Elected)
	case "ranking":
		assert.Equal(t, value, rankingNames(p, r.Ranking))
	case "scores":
		require.Len(t, r.Scores, p.N())
		for _, kv := range strings.Fields(value) {
			c, v, _ := strings.Cut(kv, "=")
			assert.InDelta(t, condNumber(t, v), r.Scores[index[c]], 1e-9, c)
		}
	case "strengths":
		require.Len(t, r.Strengths, p.N())
		for _, kv := range strings.Fields(value) {
			pair, v, _ := strings.Cut(kv, "=")
			x, y, _ := strings.Cut(pair, ">")
			assert.InDelta(t, condNumber(t, v), r.Strengths[index[x]][index[y]], 1e-12, pair)
		}
	}
}

// condNumber parses "12", "-3.5" or "67/55".
func condNumber(t *testing.T, s string) float64 {
	t.Helper()
	num, den, frac := strings.Cut(s, "/")
	v, err := strconv.ParseFloat(num, 64)
	require.NoError(t, err)
	if frac {
		d, err := strconv.ParseFloat(den, 64)
		require.NoError(t, err)
		v /= d
	}
	return v
}

// The Schulze paper examples' own EXPECT lines (winning votes).
func TestSchulzePaperExamples(t *testing.T) {
	winnerRe := regexp.MustCompile(`^winner\[Schulze Winning\] = \{(.*)\}$`)
	rankingRe := regexp.MustCompile(`^ranking\[Schulze Winning\] = \[(.*)\]$`)
	elections := readElections(t, "schulze_paper_examples_1-6.txt", voting.UnrankedLast)
	require.Len(t, elections, 6)
	for _, e := range elections {
		t.Run(e.Name, func(t *testing.T) {
			r := run(t, "schulze", e.Profile, voting.Options{})
			require.NotEmpty(t, e.Expect)
			for _, line := range e.Expect {
				if x := winnerRe.FindStringSubmatch(line); x != nil {
					assert.Equal(t, strings.Split(x[1], ", "), names(e.Profile, r.Winners))
				} else if x := rankingRe.FindStringSubmatch(line); x != nil {
					var want []string
					for _, m := range regexp.MustCompile(`'(\w+)'`).FindAllStringSubmatch(x[1], -1) {
						want = append(want, m[1])
					}
					assert.Equal(t, strings.Join(want, " > "), rankingNames(e.Profile, r.Ranking))
				} else {
					t.Errorf("unread EXPECT %q", line)
				}
			}
		})
	}
}

// Tennessee: published results in testdata/tennessee.txt and README.md, and
// Wikipedia's "Ranked pairs" and "Schulze method" pages for the same ballots.
// Candidates: Memphis, Nashville, Chattanooga, Knoxville.
func TestCondorcetTennessee(t *testing.T) {
	p := readElections(t, "tennessee.txt", voting.UnrankedLast)[0].Profile
	const order = "Nashville > Chattanooga > Knoxville > Memphis"
	const minimaxOrder = "Nashville > Memphis > Chattanooga > Knoxville"
	tests := []struct {
		method, variant string
		ranking         string
		scores          []float64
	}{
		{"copeland", "copeland", order, []float64{0, 3, 2, 1}},
		{"copeland", "llull", order, []float64{0, 3, 2, 1}},
		// Condorcet-PHP MinimaxTest: worst defeats 58/0/68/83, margins 16/-16/36/66, opposition 58/42/68/83.
		{"minimax", "winning-votes", minimaxOrder, []float64{-58, 0, -68, -83}},
		{"minimax", "margins", minimaxOrder, []float64{-16, 16, -36, -66}},
		{"minimax", "pairwise-opposition", minimaxOrder, []float64{-58, -42, -68, -83}},
		{"schulze", "winning-votes", order, nil},
		{"schulze", "margins", order, nil},
		{"schulze", "ratio", order, nil},
		{"ranked-pairs", "margins", order, nil},
		{"ranked-pairs", "winning-votes", order, nil},
		{"river", "margins", "", nil},
		{"split-cycle", "", "", nil},
		{"stable-voting", "", "", nil},
		{"black", "", "", []float64{126, 194, 173, 107}},
	}
	for _, tt := range tests {
		t.Run(tt.method+"/"+tt.variant, func(t *testing.T) {
			r := run(t, tt.method, p, voting.Options{Variant: tt.variant})
			assert.Equal(t, []int{1}, r.Winners, "Nashville is the Condorcet winner")
			assert.Equal(t, []int{1}, r.Elected)
			assert.Empty(t, r.TieBreak)
			assert.Equal(t, tt.ranking, rankingNames(p, r.Ranking))
			if tt.scores != nil {
				assert.InDeltaSlice(t, tt.scores, r.Scores, 1e-9)
			}
			assert.Equal(t, p.Pairwise(), r.Pairwise)
			assert.Equal(t, int64(100), r.Ballots)
			assert.Equal(t, tt.method, r.Method)
		})
	}
	for _, m := range []string{"smith", "schwartz", "top-cycle", "uncovered-set", "banks"} {
		r := run(t, m, p, voting.Options{})
		assert.Equal(t, []int{1}, r.Winners, m)
	}
}

// Ranked Pairs explains its count: one note per majority, in locking order.
func TestRankedPairsNotes(t *testing.T) {
	p := readElections(t, "tennessee.txt", voting.UnrankedLast)[0].Profile
	r := run(t, "ranked-pairs", p, voting.Options{Variant: "winning-votes"})
	assert.Equal(t, []string{
		"Chattanooga over Knoxville (83 votes to 17): locked.",
		// Equal wins: the tie policy ranks the candidates (here in list
		// order) and the pair whose loser it places lower goes first.
		"Nashville over Knoxville (68 votes to 32): locked.",
		"Nashville over Chattanooga (68 votes to 32): locked.",
		"Nashville over Memphis (58 votes to 42): locked.",
		"Chattanooga over Memphis (58 votes to 42): locked.",
		"Knoxville over Memphis (58 votes to 42): locked.",
	}, r.Notes)

	r = run(t, "river", p, voting.Options{})
	assert.Equal(t, []string{
		"Chattanooga over Knoxville (margin 66): locked.",
		// Within a strength class the notes list what was locked first.
		"Nashville over Chattanooga (margin 36): locked.",
		"Nashville over Knoxville (margin 36): skipped: Knoxville already has a locked defeat.",
		"Nashville over Memphis (margin 16): locked.",
		"Chattanooga over Memphis (margin 16): skipped: Memphis already has a locked defeat.",
		"Knoxville over Memphis (margin 16): skipped: Memphis already has a locked defeat.",
	}, r.Notes)
	assert.Nil(t, r.Ranking, "River locks a tree, not an order")

	// A cycle: the weakest majority is skipped.
	c, _ := voting.NewProfile([]string{"a", "b", "c"}, voting.UnrankedLast)
	require.NoError(t, c.Add(voting.Ranking{{0}, {1}, {2}}, 2))
	require.NoError(t, c.Add(voting.Ranking{{1}, {2}, {0}}, 4))
	require.NoError(t, c.Add(voting.Ranking{{2}, {0}, {1}}, 3))
	r = run(t, "ranked-pairs", c, voting.Options{})
	assert.Equal(t, []string{
		"c over a (margin 5): locked.",
		"b over c (margin 3): locked.",
		"a over b (margin 1): skipped: it would close a cycle.",
	}, r.Notes)
	assert.Equal(t, "b > c > a", rankingNames(c, r.Ranking))
}

// When equal majorities can be locked in several orders, Winners holds all
// who win in one of them; the tie policy elects, and the ranking and notes
// show a locking that elects that candidate.
func TestRankedPairsTiedMajorities(t *testing.T) {
	cycle, _ := voting.NewProfile([]string{"a", "b", "c"}, voting.UnrankedLast)
	for _, r := range []voting.Ranking{{{0}, {1}, {2}}, {{1}, {2}, {0}}, {{2}, {0}, {1}}} {
		require.NoError(t, cycle.Add(r, 1))
	}
	for _, tt := range []struct {
		tie     voting.TiePolicy
		elected int
	}{
		{voting.CandidateOrder(), 0},
		{voting.TieFunc("last listed first", func(tied []int, _ voting.TieContext) [][]int {
			var out [][]int
			for _, c := range slices.Backward(slices.Sorted(slices.Values(tied))) {
				out = append(out, []int{c})
			}
			return out
		}), 2},
	} {
		for _, method := range []string{"ranked-pairs", "river"} {
			r := run(t, method, cycle, voting.Options{Tie: tt.tie})
			assert.Equal(t, []int{0, 1, 2}, r.Winners, method)
			assert.Equal(t, []int{tt.elected}, r.Elected, method)
			assert.Equal(t, tt.tie.Name(), r.TieBreak)
			assert.Contains(t, r.Notes[0], "several orders")
			if method == "ranked-pairs" {
				assert.Equal(t, []int{tt.elected}, r.Ranking[0], "the ranking shown elects the elected")
			}
		}
	}
}

// With many candidates and many equal margins the search over orders is
// cut short: the tie policy orders equal wins, and the result says so.
func TestRankedPairsSearchCutShort(t *testing.T) {
	rng := rand.New(rand.NewPCG(100, 1000))
	p, err := voting.NewProfile(condNames(100), voting.UnrankedLast)
	require.NoError(t, err)
	for range 1000 {
		var r voting.Ranking
		for _, c := range rng.Perm(100) {
			r = append(r, []int{c})
		}
		require.NoError(t, p.Add(r, 1))
	}
	m := p.Pairwise()
	majorities := 0
	for x := range 100 {
		for y := range 100 {
			if m.Beats(x, y) {
				majorities++
			}
		}
	}
	for _, method := range []string{"ranked-pairs", "river"} {
		tie := voting.Lot(7)
		r := run(t, method, p, voting.Options{Tie: tie})
		assert.Equal(t, "Too many orders of equal-strength wins to try them all: they were taken in the order of the tie policy (lot(seed=7)).", r.Notes[0], method)
		assert.Equal(t, tie.Name(), r.TieBreak, method)
		require.Len(t, r.Winners, 1, method)
		assert.Equal(t, r.Winners, r.Elected, method)
		assert.Equal(t, 1+majorities, len(r.Notes), "%s: one note per majority", method)
		if method == "ranked-pairs" {
			assert.Equal(t, r.Elected, r.Ranking[0])
			assert.Len(t, r.Ranking, 100, "the locked order is complete")
		}
	}
}

// Black: the Condorcet winner when there is one, else the Borda winner.
func TestBlack(t *testing.T) {
	p, _ := voting.NewProfile([]string{"a", "b", "c"}, voting.UnrankedLast)
	require.NoError(t, p.Add(voting.Ranking{{0}, {1}, {2}}, 3))
	require.NoError(t, p.Add(voting.Ranking{{1}, {2}, {0}}, 3))
	require.NoError(t, p.Add(voting.Ranking{{2}, {0}, {1}}, 2))
	// a>b 5-3, b>c 6-2, c>a 5-3: a cycle. Borda: a 3·2+2 = 8, b 3·2+3 = 9, c 3+2·2 = 7.
	r := run(t, "black", p, voting.Options{})
	assert.Equal(t, []float64{8, 9, 7}, r.Scores)
	assert.Equal(t, []int{1}, r.Winners)
	assert.Equal(t, "There is no Condorcet winner; the Borda count decides.", r.Notes[0])

	// a beats b and c 3-2, but b has the higher Borda score (7 to 6).
	q, _ := voting.NewProfile([]string{"a", "b", "c"}, voting.UnrankedLast)
	require.NoError(t, q.Add(voting.Ranking{{0}, {1}, {2}}, 3))
	require.NoError(t, q.Add(voting.Ranking{{1}, {2}, {0}}, 2))
	r = run(t, "black", q, voting.Options{})
	assert.Equal(t, []float64{6, 7, 2}, r.Scores)
	assert.Equal(t, []int{0}, r.Winners)
	assert.Equal(t, "a is the Condorcet winner.", r.Notes[0])
}

func TestCondorcetErrors(t *testing.T) {
	big, _ := voting.NewProfile(condNames(13), voting.UnrankedLast)
	require.NoError(t, big.Add(voting.Ranking{{0}}, 1))
	m, _ := voting.NewRegistry().Lookup("banks")
	_, err := m.Run(voting.Input{Ranked: big}, voting.Options{})
	assert.ErrorIs(t, err, voting.ErrTooLarge)

	huge, _ := voting.NewProfile(condNames(65), voting.UnrankedLast)
	require.NoError(t, huge.Add(voting.Ranking{{0}}, 1))
	m, _ = voting.NewRegistry().Lookup("stable-voting")
	_, err = m.Run(voting.Input{Ranked: huge}, voting.Options{})
	assert.ErrorIs(t, err, voting.ErrTooLarge)

	m, _ = voting.NewRegistry().Lookup("schulze")
	_, err = m.Run(voting.Input{Ranked: big}, voting.Options{Variant: "losing-votes"})
	assert.ErrorIs(t, err, voting.ErrInvalidOption)
}

func condNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("c%d", i)
	}
	return out
}

// condBallot is one line of a generated profile.
type condBallot struct {
	r voting.Ranking
	n int64
}

// condRandomBallots draws voters ballots over n candidates: a random order,
// cut short when truncate, with neighbours tied now and then when ties.
// Few voters make many pairwise ties and equal margins, the hard cases.
func condRandomBallots(rng *rand.Rand, n, voters int, truncate, ties bool) []condBallot {
	var out []condBallot
	for range voters {
		perm := rng.Perm(n)
		if truncate {
			perm = perm[:1+rng.IntN(n)]
		}
		var r voting.Ranking
		for i, c := range perm {
			if ties && i > 0 && rng.IntN(4) == 0 {
				r[len(r)-1] = append(r[len(r)-1], c)
			} else {
				r = append(r, []int{c})
			}
		}
		out = append(out, condBallot{r, 1 + int64(rng.IntN(3))})
	}
	return out
}

func condProfile(t testing.TB, n int, policy voting.UnrankedPolicy, bs []condBallot) *voting.Profile {
	p, err := voting.NewProfile(condNames(n), policy)
	require.NoError(t, err)
	for _, b := range bs {
		require.NoError(t, p.Add(b.r, b.n))
	}
	return p
}

// condCase is a seeded random profile of 3 to 7 candidates.
type condCase struct {
	name    string
	ballots []condBallot
	n       int
	policy  voting.UnrankedPolicy
}

func condCases(count int) []condCase {
	var out []condCase
	for seed := range uint64(count) {
		rng := rand.New(rand.NewPCG(seed, 2026))
		n := 3 + rng.IntN(5)
		truncate, ties := seed%3 == 1, seed%4 == 2
		policy := voting.UnrankedLast
		if seed%5 == 3 {
			policy = voting.UnrankedSkip
		}
		voters := 1 + rng.IntN(12)
		if seed%7 == 0 {
			voters = 50 + rng.IntN(200)
		}
		out = append(out, condCase{
			name:    fmt.Sprintf("seed=%d/n=%d/voters=%d/truncate=%v/ties=%v/%s", seed, n, voters, truncate, ties, policy),
			ballots: condRandomBallots(rng, n, voters, truncate, ties),
			n:       n,
			policy:  policy,
		})
	}
	return out
}

// condRunAll counts p with every method and variant.
func condRunAll(t *testing.T, p *voting.Profile, o voting.Options) map[string]*voting.Result {
	t.Helper()
	out := map[string]*voting.Result{}
	reg := voting.NewRegistry()
	for method, variants := range condorcetMethods {
		m, err := reg.Lookup(method)
		require.NoError(t, err)
		for _, v := range variants {
			o.Variant = v
			r, err := m.Run(voting.Input{Ranked: p}, o)
			require.NoError(t, err, method+"/"+v)
			out[method+"/"+r.Variant] = r
		}
	}
	return out
}

func TestCondorcetProperties(t *testing.T) {
	for _, c := range condCases(300) {
		t.Run(c.name, func(t *testing.T) {
			p := condProfile(t, c.n, c.policy, c.ballots)
			m := p.Pairwise()
			results := condRunAll(t, p, voting.Options{})
			smith := voting.SmithSet(m)
			uncovered := voting.UncoveredSet(m)
			banks, err := voting.BanksSet(m)
			require.NoError(t, err)
			assert.Equal(t, smith, voting.TopCycle(m), "GETCHA computed two ways")
			assert.Subset(t, smith, voting.SchwartzSet(m), "Schwartz ⊆ Smith")
			assert.Subset(t, smith, uncovered, "uncovered ⊆ Smith")
			assert.Subset(t, uncovered, banks, "Banks ⊆ uncovered")
			assert.NotEmpty(t, banks)
			splitCycle := results["split-cycle/"].Winners

			cw := m.CondorcetWinner()
			for key, r := range results {
				require.NotEmpty(t, r.Winners, key)
				require.Len(t, r.Elected, 1, key)
				assert.Subset(t, r.Winners, r.Elected, key)
				assert.Equal(t, len(r.Winners) > 1, r.TieBreak != "", key)
				assert.True(t, slices.IsSorted(r.Winners), key)
				require.NotNil(t, r.Pairwise, key)
				if cw >= 0 && key != "minimax/pairwise-opposition" {
					assert.Equal(t, []int{cw}, r.Winners, "%s elects the Condorcet winner", key)
				}
				if r.Ranking != nil {
					assert.ElementsMatch(t, condAll(c.n), slices.Concat(r.Ranking...), key)
					assert.Subset(t, r.Ranking[0], r.Elected, "%s: the ranking puts the elected first", key)
				}
			}
			for _, key := range []string{
				"schulze/winning-votes", "schulze/margins", "schulze/ratio",
				"ranked-pairs/margins", "ranked-pairs/winning-votes",
				"river/margins", "river/winning-votes", "split-cycle/", "stable-voting/",
			} {
				assert.Subset(t, smith, results[key].Winners, "%s winners lie in the Smith set", key)
			}
			// Holliday & Pacuit (2023): with margins, Beat Path, Ranked Pairs
			// (under every tie-break) and River refine Split Cycle.
			for _, key := range []string{"schulze/margins", "ranked-pairs/margins", "river/margins", "stable-voting/"} {
				assert.Subset(t, splitCycle, results[key].Winners, "%s refines Split Cycle", key)
			}
		})
	}
}

func condAll(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// Counting does not depend on the order ballots were added in.
func TestCondorcetInsertionOrder(t *testing.T) {
	for _, c := range condCases(60) {
		t.Run(c.name, func(t *testing.T) {
			p := condProfile(t, c.n, c.policy, c.ballots)
			shuffled := slices.Clone(c.ballots)
			rng := rand.New(rand.NewPCG(uint64(len(c.name)), 7))
			rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			slices.Reverse(shuffled) // differs from the original even for two ballots
			q := condProfile(t, c.n, c.policy, shuffled)
			o := voting.Options{Tie: voting.Lot(uint64(c.n))}
			assert.Equal(t, condRunAll(t, p, o), condRunAll(t, q, o))
		})
	}
}

// The registry lists the methods with their documentation.
func TestCondorcetRegistry(t *testing.T) {
	reg := voting.NewRegistry()
	for name, variants := range condorcetMethods {
		m, err := reg.Lookup(name)
		require.NoError(t, err, name)
		assert.NotEmpty(t, m.Source, name)
		assert.Equal(t, voting.RankedBallots, m.Ballots, name)
		if variants[0] != "" {
			assert.Equal(t, variants, m.Variants, name)
		} else {
			assert.Empty(t, m.Variants, name)
		}
	}
	_, err := reg.Lookup("condorcet")
	assert.True(t, errors.Is(err, voting.ErrUnknownMethod))
}

// Brute-force references, straight from the definitions, for small profiles.

type oracleEdge struct {
	w, l     int
	pro, con int64
}

func oracleEdges(m *voting.Matrix) []oracleEdge {
	var es []oracleEdge
	for w := 0; w < m.N; w++ {
		for l := 0; l < m.N; l++ {
			if m.M[w][l] > m.M[l][w] {
				es = append(es, oracleEdge{w, l, m.M[w][l], m.M[l][w]})
			}
		}
	}
	return es
}

// strengthKey orders majorities: margins, or winning votes then fewer
// losing votes.
func strengthKey(e oracleEdge, winningVotes bool) [2]int64 {
	if winningVotes {
		return [2]int64{e.pro, -e.con}
	}
	return [2]int64{e.pro - e.con, 0}
}

// tieOrders calls f with every order of es that keeps stronger majorities
// first, or reports false when there are more than limit.
func tieOrders(es []oracleEdge, winningVotes bool, limit int, f func([]oracleEdge)) bool {
	slices.SortFunc(es, func(a, b oracleEdge) int {
		ka, kb := strengthKey(a, winningVotes), strengthKey(b, winningVotes)
		if ka == kb {
			return 0
		}
		if ka[0] > kb[0] || ka[0] == kb[0] && ka[1] > kb[1] {
			return -1
		}
		return 1
	})
	var classes [][]oracleEdge
	total := 1
	for i, e := range es {
		if i == 0 || strengthKey(es[i-1], winningVotes) != strengthKey(e, winningVotes) {
			classes = append(classes, nil)
		}
		classes[len(classes)-1] = append(classes[len(classes)-1], e)
		total *= len(classes[len(classes)-1])
		if total > limit {
			return false
		}
	}
	var rec func(ci int, acc []oracleEdge)
	rec = func(ci int, acc []oracleEdge) {
		if ci == len(classes) {
			f(acc)
			return
		}
		var perm func(k int, c []oracleEdge)
		perm = func(k int, c []oracleEdge) {
			if k == len(c) {
				rec(ci+1, append(slices.Clone(acc), c...))
				return
			}
			for i := k; i < len(c); i++ {
				c[k], c[i] = c[i], c[k]
				perm(k+1, c)
				c[k], c[i] = c[i], c[k]
			}
		}
		perm(0, slices.Clone(classes[ci]))
	}
	rec(0, nil)
	return true
}

// lockedWinners locks es in order (Ranked Pairs, or River when river) and
// returns the candidates with no locked defeat.
func lockedWinners(n int, es []oracleEdge, river bool) []int {
	adj := make([][]bool, n)
	for i := range adj {
		adj[i] = make([]bool, n)
	}
	defeated := make([]bool, n)
	var reaches func(from, to int, seen []bool) bool
	reaches = func(from, to int, seen []bool) bool {
		if from == to {
			return true
		}
		seen[from] = true
		for next := 0; next < n; next++ {
			if adj[from][next] && !seen[next] && reaches(next, to, seen) {
				return true
			}
		}
		return false
	}
	for _, e := range es {
		if river && defeated[e.l] || reaches(e.l, e.w, make([]bool, n)) {
			continue
		}
		adj[e.w][e.l], defeated[e.l] = true, true
	}
	var out []int
	for x := 0; x < n; x++ {
		if !defeated[x] {
			out = append(out, x)
		}
	}
	return out
}

// simplePathAtLeast reports whether a path from x to y uses only majorities
// of margin at least k.
func simplePathAtLeast(m *voting.Matrix, x, y int, k int64, seen []bool) bool {
	if x == y {
		return true
	}
	seen[x] = true
	defer func() { seen[x] = false }()
	for z := 0; z < m.N; z++ {
		if !seen[z] && m.Margin(x, z) > 0 && m.Margin(x, z) >= k && simplePathAtLeast(m, z, y, k, seen) {
			return true
		}
	}
	return false
}

// splitCycleAmong: x defeats y when no cycle through x→y has all its
// margins at least margin(x,y), among the candidates in set.
func splitCycleAmong(m *voting.Matrix, set []int) []int {
	in := make([]bool, m.N)
	for _, c := range set {
		in[c] = true
	}
	var out []int
	for _, y := range set {
		defeated := false
		for _, x := range set {
			if k := m.Margin(x, y); k > 0 {
				seen := make([]bool, m.N)
				for c := range seen {
					seen[c] = !in[c]
				}
				defeated = defeated || !simplePathAtLeast(m, y, x, k, seen)
			}
		}
		if !defeated {
			out = append(out, y)
		}
	}
	return out
}

// stableAmong is Stable Voting as Holliday & Pacuit state it, without
// memory or shortcuts.
func stableAmong(m *voting.Matrix, set []int) []int {
	if len(set) == 1 {
		return set
	}
	sc := splitCycleAmong(m, set)
	type pair struct{ a, b int }
	byMargin := map[int64][]pair{}
	var margins []int64
	for _, a := range sc {
		for _, b := range set {
			if a != b {
				k := m.Margin(a, b)
				if _, ok := byMargin[k]; !ok {
					margins = append(margins, k)
				}
				byMargin[k] = append(byMargin[k], pair{a, b})
			}
		}
	}
	slices.Sort(margins)
	for _, k := range slices.Backward(margins) {
		var w []int
		for _, q := range byMargin[k] {
			without := slices.DeleteFunc(slices.Clone(set), func(c int) bool { return c == q.b })
			if !slices.Contains(w, q.a) && slices.Contains(stableAmong(m, without), q.a) {
				w = append(w, q.a)
			}
		}
		if len(w) > 0 {
			slices.Sort(w)
			return w
		}
	}
	return nil
}

// strongestPath: the best over all simple paths of the weakest link.
func strongestPath(link [][]int64, x, y int, seen []bool) int64 {
	if x == y {
		return math.MaxInt64
	}
	seen[x] = true
	defer func() { seen[x] = false }()
	var best int64
	for z := range link {
		if !seen[z] && link[x][z] > 0 {
			best = max(best, min(link[x][z], strongestPath(link, z, y, seen)))
		}
	}
	return best
}

func TestCondorcetAgainstBruteForce(t *testing.T) {
	checked := map[string]int{}
	for _, c := range condCases(400) {
		if c.n > 6 {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			p := condProfile(t, c.n, c.policy, c.ballots)
			m := p.Pairwise()
			for _, method := range []string{"ranked-pairs", "river"} {
				for _, variant := range []string{"margins", "winning-votes"} {
					want := map[int]bool{}
					ok := tieOrders(oracleEdges(m), variant == "winning-votes", 5040, func(es []oracleEdge) {
						for _, w := range lockedWinners(c.n, es, method == "river") {
							want[w] = true
						}
					})
					if !ok {
						continue
					}
					r := run(t, method, p, voting.Options{Variant: variant})
					assert.Equal(t, slices.Sorted(maps.Keys(want)), r.Winners, method+"/"+variant)
					checked[method]++
				}
			}
			r := run(t, "split-cycle", p, voting.Options{})
			assert.Equal(t, splitCycleAmong(m, condAll(c.n)), r.Winners, "split cycle")
			r = run(t, "stable-voting", p, voting.Options{})
			assert.Equal(t, stableAmong(m, condAll(c.n)), r.Winners, "stable voting")
			for _, variant := range []string{"winning-votes", "margins"} {
				link := make([][]int64, c.n)
				for x := range link {
					link[x] = make([]int64, c.n)
					for y := range link[x] {
						if m.Beats(x, y) {
							link[x][y] = m.M[x][y]
							if variant == "margins" {
								link[x][y] -= m.M[y][x]
							}
						}
					}
				}
				r := run(t, "schulze", p, voting.Options{Variant: variant})
				for x := 0; x < c.n; x++ {
					for y := 0; y < c.n; y++ {
						if x != y {
							assert.Equal(t, float64(strongestPath(link, x, y, make([]bool, c.n))), r.Strengths[x][y], "schulze/%s %d→%d", variant, x, y)
						}
					}
				}
			}
			checked["all"]++
		})
	}
	assert.Greater(t, checked["ranked-pairs"], 100)
	assert.Greater(t, checked["river"], 100)
}
