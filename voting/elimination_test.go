package voting_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eliminationNames lists the methods of elimination.go.
var eliminationNames = []string{"two-round", "irv", "coombs", "baldwin", "nanson", "bucklin", "smith-irv", "tideman-alternative"}

// elimProfile builds a profile from lines "count: A > B = C" over the
// candidates named in cands (space-separated, in index order).
func elimProfile(t *testing.T, policy voting.UnrankedPolicy, cands string, lines ...string) *voting.Profile {
	t.Helper()
	names := strings.Fields(cands)
	p, err := voting.NewProfile(names, policy)
	require.NoError(t, err)
	for _, line := range lines {
		head, body, ok := strings.Cut(line, ":")
		require.True(t, ok, line)
		n, err := strconv.ParseInt(strings.TrimSpace(head), 10, 64)
		require.NoError(t, err, line)
		var r voting.Ranking
		if strings.TrimSpace(body) != "" {
			for _, g := range strings.Split(body, ">") {
				var group []int
				for _, c := range strings.Split(g, "=") {
					i := slices.Index(names, strings.TrimSpace(c))
					require.GreaterOrEqual(t, i, 0, "unknown candidate in %q", line)
					group = append(group, i)
				}
				r = append(r, group)
			}
		}
		require.NoError(t, p.Add(r, n), line)
	}
	return p
}

func tennessee(t *testing.T) *voting.Profile {
	return readElections(t, "tennessee.txt", voting.UnrankedLast)[0].Profile
}

// Tennessee: Memphis, Nashville, Chattanooga, Knoxville; 42 M>N>C>K,
// 26 N>C>K>M, 15 C>K>N>M, 17 K>C>N>M. Every figure below is counted by hand
// from those four ballot types. The Coombs and Bucklin rounds are those of
// the worked examples of English Wikipedia's "Coombs' method" (Memphis last
// on 58 ballots, then Nashville 68 first preferences) and "Bucklin voting"
// (second round: Nashville 68, Chattanooga 58).
func TestEliminationTennessee(t *testing.T) {
	p := tennessee(t)
	const M, N, C, K = 0, 1, 2, 3
	type round struct {
		counts     []float64
		eliminated []int
		elected    []int
	}
	tests := []struct {
		method, variant string
		winner          int
		ranking         string
		rounds          []round
	}{
		// Chattanooga (15) out, its ballots to Knoxville (32); Nashville (26)
		// out, its ballots skip Chattanooga to Knoxville (58 > 50).
		{"irv", "standard", K, "Knoxville > Memphis > Nashville > Chattanooga", []round{
			{[]float64{42, 26, 15, 17}, []int{C}, nil},
			{[]float64{42, 26, 0, 32}, []int{N}, nil},
			{[]float64{42, 0, 0, 58}, nil, []int{K}},
		}},
		// 15 + 17 is not below 26: no batch, the same count as standard.
		{"irv", "batch", K, "Knoxville > Memphis > Nashville > Chattanooga", []round{
			{[]float64{42, 26, 15, 17}, []int{C}, nil},
			{[]float64{42, 26, 0, 32}, []int{N}, nil},
			{[]float64{42, 0, 0, 58}, nil, []int{K}},
		}},
		// Bottom two Chattanooga and Knoxville: 83 to 17, Knoxville out; then
		// Nashville (26) and Chattanooga (15+17): 68 to 32, Chattanooga out;
		// Memphis 42, Nashville 58.
		{"irv", "bottom-two", N, "Nashville > Memphis > Chattanooga > Knoxville", []round{
			{[]float64{42, 26, 15, 17}, []int{K}, nil},
			{[]float64{42, 26, 32, 0}, []int{C}, nil},
			{[]float64{42, 58, 0, 0}, nil, []int{N}},
		}},
		{"two-round", "", N, "Nashville > Memphis > Knoxville > Chattanooga", []round{
			{[]float64{42, 26, 15, 17}, []int{C, K}, nil},
			{[]float64{42, 58, 0, 0}, nil, []int{N}},
		}},
		// Memphis is last on 26+15+17 = 58 ballots (Knoxville on 42); its
		// ballots give Nashville 68.
		{"coombs", "", N, "Nashville > Knoxville > Chattanooga > Memphis", []round{
			{[]float64{42, 26, 15, 17}, []int{M}, nil},
			{[]float64{0, 68, 15, 17}, nil, []int{N}},
		}},
		// Borda 126, 194, 173, 107; without Knoxville 84, 126, 90; then
		// Nashville 68, Chattanooga 32.
		{"baldwin", "", N, "Nashville > Chattanooga > Memphis > Knoxville", []round{
			{[]float64{126, 194, 173, 107}, []int{K}, nil},
			{[]float64{84, 126, 90, 0}, []int{M}, nil},
			{[]float64{0, 68, 32, 0}, []int{C}, []int{N}},
		}},
		// Mean 150: Memphis and Knoxville out; mean 50: Chattanooga out.
		{"nanson", "strict", N, "Nashville > Chattanooga > Memphis > Knoxville", []round{
			{[]float64{126, 194, 173, 107}, []int{M, K}, nil},
			{[]float64{0, 68, 32, 0}, []int{C}, []int{N}},
		}},
		// Second ranks added: Nashville 68 and Chattanooga 58 pass 50.
		{"bucklin", "", N, "Nashville > Chattanooga > Memphis > Knoxville", []round{
			{[]float64{42, 26, 15, 17}, nil, nil},
			{[]float64{42, 68, 58, 32}, nil, []int{N}},
		}},
		// Nashville is the Condorcet winner: the Smith set is {Nashville}.
		{"smith-irv", "", N, "Nashville > Memphis > Knoxville > Chattanooga", []round{
			{[]float64{42, 26, 15, 17}, []int{M, C, K}, nil},
			{[]float64{0, 100, 0, 0}, nil, []int{N}},
		}},
		{"tideman-alternative", "", N, "Nashville > Memphis > Knoxville > Chattanooga", []round{
			{[]float64{42, 26, 15, 17}, []int{M, C, K}, nil},
			{[]float64{0, 100, 0, 0}, nil, []int{N}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.method+"/"+tt.variant, func(t *testing.T) {
			r := run(t, tt.method, p, voting.Options{Variant: tt.variant})
			assert.Equal(t, []int{tt.winner}, r.Winners)
			assert.Equal(t, []int{tt.winner}, r.Elected)
			assert.Empty(t, r.TieBreak)
			assert.Equal(t, tt.ranking, rankingNames(p, r.Ranking))
			require.Len(t, r.Rounds, len(tt.rounds))
			for i, want := range tt.rounds {
				got := r.Rounds[i]
				assert.Equal(t, want.counts, got.Counts, "round %d", i+1)
				assert.ElementsMatch(t, want.eliminated, got.Eliminated, "round %d", i+1)
				assert.Equal(t, want.elected, got.Elected, "round %d", i+1)
			}
		})
	}
}

func TestEliminationTennesseeExplains(t *testing.T) {
	p := tennessee(t)
	const M, N, C, K = 0, 1, 2, 3
	r := run(t, "irv", p, voting.Options{})
	assert.Equal(t, []voting.Transfer{{From: C, To: K, Votes: 15}}, r.Rounds[0].Transfers)
	assert.Equal(t, []voting.Transfer{{From: N, To: K, Votes: 26}}, r.Rounds[1].Transfers)
	assert.Equal(t, []bool{true, true, false, true}, r.Rounds[1].Active)

	r = run(t, "two-round", p, voting.Options{})
	assert.Equal(t, []voting.Transfer{{From: C, To: N, Votes: 15}, {From: K, To: N, Votes: 17}}, r.Rounds[0].Transfers)
	assert.Equal(t, "no absolute majority: runoff between Memphis, Nashville", r.Rounds[0].Note)

	r = run(t, "coombs", p, voting.Options{})
	assert.Equal(t, "ranked last: Memphis 58, Knoxville 42", r.Rounds[0].Note)

	r = run(t, "irv", p, voting.Options{Variant: "bottom-two"})
	assert.Equal(t, "bottom two: Chattanooga 83, Knoxville 17 head to head", r.Rounds[0].Note)

	r = run(t, "nanson", p, voting.Options{})
	assert.Equal(t, "mean Borda score 150", r.Rounds[0].Note)
	require.NotNil(t, r.Pairwise)
	assert.Equal(t, int64(58), r.Pairwise.M[N][M])

	r = run(t, "smith-irv", p, voting.Options{})
	assert.Equal(t, []string{"Smith set: Nashville"}, r.Notes)
	assert.Equal(t, []float64{42, 68, 58, 32}, run(t, "bucklin", p, voting.Options{}).Scores)
}

// Weak Nanson (at or below the mean) and Baldwin on the small profiles
// whose explanations pref_voting's tests state (voting-tools/pref_voting,
// tests/test_iterative_methods.py: test_baldwin_with_explanation,
// test_strict_nanson_with_explanation, test_weak_nanson_with_explanation).
func TestEliminationPrefVotingExamples(t *testing.T) {
	// linear_profile_0: 2 × 0>1>2, 1 × 2>1>0.
	lin := elimProfile(t, voting.UnrankedLast, "a b c", "2: a > b > c", "1: c > b > a")
	// 0>1>2 twice, 1>2>0, 2>1>0.
	four := elimProfile(t, voting.UnrankedLast, "a b c", "2: a > b > c", "1: b > c > a", "1: c > b > a")
	tests := []struct {
		name, method, variant string
		p                     *voting.Profile
		winners               []int
		scores                [][]float64 // Borda per round (0 once eliminated)
		eliminated            [][]int
	}{
		{"baldwin lin", "baldwin", "", lin, []int{0}, [][]float64{{4, 3, 2}, {2, 1, 0}}, [][]int{{2}, {1}}},
		{"baldwin four", "baldwin", "", four, []int{0, 1}, [][]float64{{4, 5, 3}, {2, 2, 0}}, [][]int{{2}, nil}},
		{"strict nanson lin", "nanson", "strict", lin, []int{0}, [][]float64{{4, 3, 2}, {2, 1, 0}}, [][]int{{2}, {1}}},
		{"strict nanson four", "nanson", "strict", four, []int{0, 1}, [][]float64{{4, 5, 3}, {2, 2, 0}}, [][]int{{2}, nil}},
		{"weak nanson lin", "nanson", "weak", lin, []int{0}, [][]float64{{4, 3, 2}}, [][]int{{1, 2}}},
		{"weak nanson four", "nanson", "weak", four, []int{1}, [][]float64{{4, 5, 3}}, [][]int{{0, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, tt.method, tt.p, voting.Options{Variant: tt.variant})
			assert.Equal(t, tt.winners, r.Winners)
			require.Len(t, r.Rounds, len(tt.scores))
			for i := range tt.scores {
				assert.Equal(t, tt.scores[i], r.Rounds[i].Counts, "round %d", i+1)
				assert.Equal(t, tt.eliminated[i], r.Rounds[i].Eliminated, "round %d", i+1)
			}
			assert.Equal(t, len(tt.winners) > 1, r.Tied())
		})
	}
}

// elimExpect is one "EXPECT round" line of testdata/rctab_irv.txt.
type elimExpect struct {
	counts     map[string]float64
	exhausted  float64
	eliminated []string
	elected    []string
}

func parseElimRound(t *testing.T, line string) (int, elimExpect) {
	t.Helper()
	head, body, ok := strings.Cut(strings.TrimPrefix(line, "round "), ":")
	require.True(t, ok, line)
	k, err := strconv.Atoi(head)
	require.NoError(t, err, line)
	e := elimExpect{counts: map[string]float64{}}
	parts := strings.Split(body, "|")
	for _, kv := range strings.Fields(parts[0]) {
		name, v, _ := strings.Cut(kv, "=")
		e.counts[name], err = strconv.ParseFloat(v, 64)
		require.NoError(t, err, line)
	}
	for _, part := range parts[1:] {
		key, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch key {
		case "exhausted":
			e.exhausted, err = strconv.ParseFloat(v, 64)
			require.NoError(t, err, line)
		case "eliminated":
			e.eliminated = strings.Split(v, ",")
		case "elected":
			e.elected = strings.Split(v, ",")
		default:
			t.Fatalf("unknown field %q in %q", key, line)
		}
	}
	return k, e
}

// The RCTab cases of testdata/rctab_irv.txt, round by round.
func TestIRVRCTab(t *testing.T) {
	elections := readElections(t, "rctab_irv.txt", voting.UnrankedLast)
	require.Len(t, elections, 4)
	for _, el := range elections {
		t.Run(el.Name, func(t *testing.T) {
			p := el.Profile
			o := voting.Options{}
			rounds := map[int]elimExpect{}
			var winners []string
			for _, line := range el.Expect {
				switch {
				case strings.HasPrefix(line, "options "):
					for _, f := range strings.Fields(strings.TrimPrefix(line, "options ")) {
						k, v, _ := strings.Cut(f, "=")
						switch k {
						case "variant":
							o.Variant = v
						case "tie":
							o.Tie = map[string]voting.TiePolicy{"candidate-order": voting.CandidateOrder(), "backward": voting.Backward()}[v]
							require.NotNil(t, o.Tie, line)
						case "until-two":
							o.Params = map[string]float64{"until-two": 1}
						}
					}
				case strings.HasPrefix(line, "empty "):
					n, err := strconv.ParseInt(strings.TrimPrefix(line, "empty "), 10, 64)
					require.NoError(t, err)
					require.NoError(t, p.Add(voting.Ranking{}, n))
				case strings.HasPrefix(line, "round "):
					k, e := parseElimRound(t, line)
					rounds[k] = e
				case strings.HasPrefix(line, "winners "):
					winners = strings.Split(strings.TrimPrefix(line, "winners "), ",")
				}
			}
			r := run(t, "irv", p, o)
			require.Len(t, r.Rounds, len(rounds))
			for k := 1; k <= len(rounds); k++ {
				want, got := rounds[k], r.Rounds[k-1]
				counts := map[string]float64{}
				for c, v := range got.Counts {
					if v != 0 {
						counts[p.Candidates()[c]] = v
					}
				}
				assert.Equal(t, want.counts, counts, "round %d", k)
				assert.Equal(t, want.exhausted, got.Exhausted, "round %d", k)
				assert.ElementsMatch(t, want.eliminated, names(p, got.Eliminated), "round %d", k)
				if want.elected != nil {
					assert.Equal(t, want.elected, names(p, got.Elected), "round %d", k)
				}
			}
			if winners != nil {
				assert.ElementsMatch(t, winners, names(p, r.Winners))
				assert.True(t, r.Tied())
				assert.Equal(t, "backward then candidate-order", r.TieBreak)
				// Round 1 separates Grumpy (2) from Sneezy and Dopey (3), whom
				// only candidate order orders.
				assert.Equal(t, "backward then candidate-order", r.Rounds[1].TieBreak)
				assert.Equal(t, []int{3}, r.Rounds[1].Eliminated)
			} else {
				assert.Len(t, r.Winners, 1)
			}
			// Standard elimination reaches the same winner, in more rounds
			// when batches were eliminated.
			o.Variant = "standard"
			std := run(t, "irv", p, o)
			assert.Equal(t, r.Winners, std.Winners)
			assert.GreaterOrEqual(t, len(std.Rounds), len(r.Rounds))
		})
	}
}

// Ballots ranking several continuing candidates first are split between
// them, and move on only when all of them are out (hand-counted).
func TestIRVSplitTopGroups(t *testing.T) {
	const A, B, C, D = 0, 1, 2, 3
	t.Run("standard", func(t *testing.T) {
		// A 2+1, B 2+3, C 5: A out; the A=B ballots now count wholly for
		// B (7 of 12 continuing), the bullet A ballot exhausts.
		p := elimProfile(t, voting.UnrankedLast, "A B C", "4: A = B > C", "5: C", "3: B > A", "1: A")
		r := run(t, "irv", p, voting.Options{})
		require.Len(t, r.Rounds, 2)
		assert.Equal(t, []float64{3, 5, 5}, r.Rounds[0].Counts)
		assert.Equal(t, []int{A}, r.Rounds[0].Eliminated)
		assert.Equal(t, []voting.Transfer{{From: A, To: B, Votes: 2}, {From: A, To: -1, Votes: 1}}, r.Rounds[0].Transfers)
		assert.Equal(t, []float64{0, 7, 5}, r.Rounds[1].Counts)
		assert.Equal(t, 1.0, r.Rounds[1].Exhausted)
		assert.Equal(t, []int{B}, r.Elected)
	})
	t.Run("batch", func(t *testing.T) {
		// A 1+1, B 1+1, C 5, D 6: A and B together (4) are below C (5).
		// The A=B ballots give one vote from each to C; bullets exhaust.
		p := elimProfile(t, voting.UnrankedLast, "A B C D", "6: D", "5: C", "2: A = B > C", "1: A", "1: B")
		r := run(t, "irv", p, voting.Options{Variant: "batch"})
		require.Len(t, r.Rounds, 2)
		assert.Equal(t, []float64{2, 2, 5, 6}, r.Rounds[0].Counts)
		assert.ElementsMatch(t, []int{A, B}, r.Rounds[0].Eliminated)
		assert.ElementsMatch(t, []voting.Transfer{
			{From: A, To: C, Votes: 1}, {From: A, To: -1, Votes: 1},
			{From: B, To: C, Votes: 1}, {From: B, To: -1, Votes: 1},
		}, r.Rounds[0].Transfers)
		assert.Equal(t, []float64{0, 0, 7, 6}, r.Rounds[1].Counts)
		assert.Equal(t, 2.0, r.Rounds[1].Exhausted)
		assert.Equal(t, []int{C}, r.Elected)
		assert.Equal(t, "C > D > A = B", rankingNames(p, r.Ranking), "eliminated together with equal tallies: tied")
	})
}

func TestEliminationTies(t *testing.T) {
	t.Run("two-round runoff tie", func(t *testing.T) {
		p := elimProfile(t, voting.UnrankedLast, "A B C", "2: A > B", "2: B > A", "1: C")
		r := run(t, "two-round", p, voting.Options{})
		assert.Equal(t, []int{0, 1}, r.Winners)
		assert.Equal(t, []int{0}, r.Elected)
		assert.True(t, r.Tied())
		assert.Equal(t, "candidate-order", r.TieBreak)
		assert.Equal(t, 1.0, r.Rounds[1].Exhausted)
		assert.Equal(t, "A = B > C", rankingNames(p, r.Ranking))
	})
	t.Run("second place tie picks a finalist", func(t *testing.T) {
		// A 4, B 3, C 3, D 1: the lot or candidate order decides who meets A.
		p := elimProfile(t, voting.UnrankedLast, "A B C D", "4: A", "3: B > A", "3: C", "1: D > C")
		r := run(t, "two-round", p, voting.Options{})
		assert.Equal(t, "candidate-order", r.Rounds[0].TieBreak)
		assert.ElementsMatch(t, []int{2, 3}, r.Rounds[0].Eliminated)
		assert.Equal(t, []float64{4, 3, 0, 0}, r.Rounds[1].Counts)
		assert.Equal(t, "candidate-order", r.TieBreak, "the count used the tie policy")
		assert.False(t, r.Tied())
		reversed := voting.TieFunc("reverse", func(tied []int, _ voting.TieContext) [][]int {
			s := slices.Clone(tied)
			slices.Sort(s)
			slices.Reverse(s)
			out := make([][]int, len(s))
			for i, c := range s {
				out[i] = []int{c}
			}
			return out
		})
		r = run(t, "two-round", p, voting.Options{Tie: reversed})
		assert.Equal(t, []float64{7, 0, 4, 0}, r.Rounds[1].Counts, "C meets A: B's ballots go to A, D's to C")
		assert.Equal(t, []int{0}, r.Winners)
		assert.Equal(t, "reverse", r.TieBreak)
	})
	t.Run("elimination tie takes the least favoured", func(t *testing.T) {
		// B and C tie for last: candidate order keeps B, eliminates C.
		p := elimProfile(t, voting.UnrankedLast, "A B C", "3: A", "2: B > A", "2: C > B")
		r := run(t, "irv", p, voting.Options{})
		assert.Equal(t, []int{2}, r.Rounds[0].Eliminated)
		assert.Equal(t, "candidate-order", r.Rounds[0].TieBreak)
		assert.Equal(t, []int{1}, r.Winners, "B 4 of 7")
		r = run(t, "irv", p, voting.Options{Tie: voting.Lot(1)})
		assert.Equal(t, "lot(seed=1)", r.Rounds[0].TieBreak)
	})
}

// Coombs treats truncated ballots by the profile's policy. Ballots: 5
// A>B>C, 6 B>C (A unranked), 3 C>A>B; first preferences 5, 6, 3 of 14.
// Last: the B>C ballots put A last: A 6, B 3, C 5, A is out and its ballots
// give B 11. Skip: B>C names no last place while A is in the count: B 3,
// C 5, C is out and its ballots give A 8 of 14.
func TestCoombsUnrankedPolicy(t *testing.T) {
	lines := []string{"5: A > B > C", "6: B > C", "3: C > A > B"}
	last := run(t, "coombs", elimProfile(t, voting.UnrankedLast, "A B C", lines...), voting.Options{})
	assert.Equal(t, "ranked last: A 6, C 5, B 3", last.Rounds[0].Note)
	assert.Equal(t, []int{0}, last.Rounds[0].Eliminated)
	assert.Equal(t, []int{1}, last.Winners)
	skip := run(t, "coombs", elimProfile(t, voting.UnrankedSkip, "A B C", lines...), voting.Options{})
	assert.Equal(t, "ranked last: C 5, B 3", skip.Rounds[0].Note)
	assert.Equal(t, []int{2}, skip.Rounds[0].Eliminated)
	assert.Equal(t, []float64{8, 6, 0}, skip.Rounds[1].Counts)
	assert.Equal(t, []int{0}, skip.Winners)

	// Under Last a bullet vote splits its last place among the unranked.
	p := elimProfile(t, voting.UnrankedLast, "A B C", "3: A", "2: B > C > A", "2: C > B > A")
	r := run(t, "coombs", p, voting.Options{})
	assert.Equal(t, "ranked last: A 4, B 1.5, C 1.5", r.Rounds[0].Note)
}

func TestBucklinNoMajority(t *testing.T) {
	p := elimProfile(t, voting.UnrankedLast, "A B C", "3: A", "2: B", "2: C")
	r := run(t, "bucklin", p, voting.Options{})
	assert.Len(t, r.Rounds, 1)
	assert.Equal(t, []int{0}, r.Winners)
	assert.Equal(t, []int{0}, r.Rounds[0].Elected)
	assert.NotEmpty(t, r.Notes)
	// Tied at a rank, each gets a full vote: with 2 A=B and 1 C > A, A and
	// B both hold 2 of 3 voters at the first rank.
	p = elimProfile(t, voting.UnrankedLast, "A B C", "2: A = B", "1: C > A")
	r = run(t, "bucklin", p, voting.Options{})
	assert.Equal(t, []float64{2, 2, 1}, r.Rounds[0].Counts)
	assert.Equal(t, []int{0, 1}, r.Winners, "A=B is a majority at rank 1 for both")
	assert.Equal(t, []int{0}, r.Elected)
}

// Degenerate profiles: no ballot, one candidate, only empty ballots.
func TestEliminationDegenerate(t *testing.T) {
	one := elimProfile(t, voting.UnrankedLast, "A", "3: A")
	empty := elimProfile(t, voting.UnrankedLast, "A B C")
	blank := elimProfile(t, voting.UnrankedSkip, "A B C", "4:")
	for _, name := range eliminationNames {
		t.Run(name, func(t *testing.T) {
			r := run(t, name, one, voting.Options{})
			assert.Equal(t, []int{0}, r.Elected)
			for _, p := range []*voting.Profile{empty, blank} {
				r = run(t, name, p, voting.Options{})
				assert.NotEmpty(t, r.Winners)
				assert.Len(t, r.Elected, 1)
				checkRanking(t, r, 3)
			}
			assert.Equal(t, int64(4), r.Ballots)
		})
	}
	r := run(t, "irv", blank, voting.Options{})
	assert.Equal(t, 4.0, r.Rounds[0].Exhausted)
	assert.Equal(t, []int{0, 1}, r.Winners, "C out by candidate order, then A and B tie at 0")
}

func TestEliminationRegistry(t *testing.T) {
	reg := voting.NewRegistry()
	for _, name := range eliminationNames {
		m, err := reg.Lookup(name)
		require.NoError(t, err, name)
		assert.Equal(t, voting.RankedBallots, m.Ballots)
		_, err = m.Run(voting.Input{Ranked: tennessee(t)}, voting.Options{Variant: "nope"})
		assert.ErrorIs(t, err, voting.ErrInvalidOption)
	}
	irv, _ := reg.Lookup("irv")
	assert.Equal(t, []string{"standard", "batch", "bottom-two", "eliminate-tied"}, irv.Variants)
	r, err := irv.Run(voting.Input{Ranked: tennessee(t)}, voting.Options{})
	require.NoError(t, err)
	assert.Equal(t, "standard", r.Variant)
	_, err = irv.Run(voting.Input{Ranked: tennessee(t)}, voting.Options{Params: map[string]float64{"x": 1}})
	assert.ErrorIs(t, err, voting.ErrInvalidOption)
}

// elimBallot is one ballot of a generated election.
type elimBallot struct {
	r voting.Ranking
	n int64
}

// elimBallots draws an election: candidates and voters on a line (so a
// Condorcet winner is frequent), noisy distances, truncated ballots and,
// with ties, some equal ranks.
func elimBallots(seed uint64, n, voters int, ties bool) []elimBallot {
	rng := rand.New(rand.NewPCG(seed, 7))
	pos := make([]float64, n)
	for c := range pos {
		pos[c] = rng.Float64()
	}
	out := make([]elimBallot, 0, voters)
	for range voters {
		x := rng.Float64()
		d := make([]float64, n)
		for c := range d {
			d[c] = math.Abs(pos[c]-x) + 0.3*rng.Float64()
		}
		order := make([]int, n)
		for c := range order {
			order[c] = c
		}
		slices.SortFunc(order, func(a, b int) int { return int(math.Copysign(1, d[a]-d[b])) })
		order = order[:1+rng.IntN(n)]
		var r voting.Ranking
		for i, c := range order {
			if ties && i > 0 && rng.IntN(6) == 0 {
				r[len(r)-1] = append(r[len(r)-1], c)
			} else {
				r = append(r, []int{c})
			}
		}
		out = append(out, elimBallot{r, 1 + rng.Int64N(3)})
	}
	return out
}

func elimRandomProfile(t *testing.T, n int, policy voting.UnrankedPolicy, bs []elimBallot) *voting.Profile {
	t.Helper()
	names := make([]string, n)
	for c := range names {
		names[c] = string(rune('A' + c))
	}
	p, err := voting.NewProfile(names, policy)
	require.NoError(t, err)
	for _, b := range bs {
		require.NoError(t, p.Add(b.r, b.n))
	}
	return p
}

// checkRanking: the ranking orders every candidate once, winners first.
func checkRanking(t *testing.T, r *voting.Result, n int) {
	t.Helper()
	var all []int
	for _, g := range r.Ranking {
		require.NotEmpty(t, g)
		all = append(all, g...)
	}
	slices.Sort(all)
	assert.Equal(t, allIndices(n), all)
	if len(r.Ranking) > 0 {
		assert.ElementsMatch(t, r.Winners, r.Ranking[0])
	}
	assert.Subset(t, r.Winners, r.Elected)
}

func allIndices(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

type elimCase struct {
	method, variant string
}

var elimCases = []elimCase{
	{"two-round", ""}, {"irv", "standard"}, {"irv", "batch"}, {"irv", "bottom-two"},
	{"coombs", ""}, {"baldwin", ""}, {"nanson", "strict"}, {"nanson", "weak"},
	{"bucklin", ""}, {"smith-irv", ""}, {"tideman-alternative", ""},
}

// movesBallots: the methods whose rounds hold first preferences.
func movesBallots(method string) bool {
	return !slices.Contains([]string{"baldwin", "nanson", "bucklin"}, method)
}

// In every round of the ballot-moving methods the active tallies plus the
// exhausted ballots are the voters; what an eliminated candidate held is
// exactly what it transfers; and the winner is never eliminated.
func TestEliminationConservation(t *testing.T) {
	for seed := uint64(1); seed <= 24; seed++ {
		n := 3 + int(seed%6)
		bs := elimBallots(seed, n, 300, seed%2 == 0)
		for _, policy := range []voting.UnrankedPolicy{voting.UnrankedLast, voting.UnrankedSkip} {
			p := elimRandomProfile(t, n, policy, bs)
			voters := float64(p.Voters())
			for _, tc := range elimCases {
				r := run(t, tc.method, p, voting.Options{Variant: tc.variant})
				checkRanking(t, r, n)
				for i, rd := range r.Rounds {
					for _, c := range rd.Eliminated {
						assert.NotContains(t, r.Winners, c, "%s seed %d: a winner eliminated", tc.method, seed)
						if i+1 < len(r.Rounds) {
							assert.False(t, r.Rounds[i+1].Active[c])
						}
					}
					if !movesBallots(tc.method) {
						continue
					}
					sum := rd.Exhausted
					for c, v := range rd.Counts {
						if rd.Active[c] {
							sum += v
						} else {
							assert.Zero(t, v)
						}
					}
					assert.InDelta(t, voters, sum, 1e-6, "%s/%s seed %d round %d", tc.method, tc.variant, seed, i+1)
					for _, c := range rd.Eliminated {
						moved := 0.0
						for _, tr := range rd.Transfers {
							if tr.From == c {
								moved += tr.Votes
							}
						}
						assert.InDelta(t, rd.Counts[c], moved, 1e-6, "%s seed %d round %d: transfers of %d", tc.method, seed, i+1, c)
					}
					if tc.method == "irv" && tc.variant == "standard" && len(rd.Eliminated) == 1 {
						for c, ok := range rd.Active {
							if ok {
								assert.GreaterOrEqual(t, rd.Counts[c], rd.Counts[rd.Eliminated[0]]-1e-9)
							}
						}
					}
				}
			}
		}
	}
}

// The same ballots added in another order give the same count.
func TestEliminationOrderInvariance(t *testing.T) {
	for seed := uint64(1); seed <= 12; seed++ {
		n := 3 + int(seed%5)
		bs := elimBallots(seed, n, 400, true)
		shuffled := slices.Clone(bs)
		rand.New(rand.NewPCG(seed, 99)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		for _, policy := range []voting.UnrankedPolicy{voting.UnrankedLast, voting.UnrankedSkip} {
			p, q := elimRandomProfile(t, n, policy, bs), elimRandomProfile(t, n, policy, shuffled)
			for _, tc := range elimCases {
				a := run(t, tc.method, p, voting.Options{Variant: tc.variant})
				b := run(t, tc.method, q, voting.Options{Variant: tc.variant})
				assert.Equal(t, a.Winners, b.Winners, "%s seed %d", tc.method, seed)
				assert.Equal(t, a.Elected, b.Elected, "%s seed %d", tc.method, seed)
				assert.Equal(t, a.Ranking, b.Ranking, "%s seed %d", tc.method, seed)
				require.Equal(t, len(a.Rounds), len(b.Rounds), "%s seed %d", tc.method, seed)
				for i := range a.Rounds {
					assert.InDeltaSlice(t, a.Rounds[i].Counts, b.Rounds[i].Counts, 1e-9)
					assert.ElementsMatch(t, a.Rounds[i].Eliminated, b.Rounds[i].Eliminated)
				}
			}
		}
	}
}

// Baldwin, Nanson, Smith//IRV and Tideman's alternative elect the Condorcet
// winner of the profile's pairwise counts whenever there is one; so does
// bottom-two IRV, whose head-to-head counts match the pairwise counts under
// UnrankedLast.
func TestEliminationCondorcetWinner(t *testing.T) {
	found := 0
	for seed := uint64(1); seed <= 60; seed++ {
		n := 3 + int(seed%6)
		bs := elimBallots(seed, n, 150, seed%3 == 0)
		for _, policy := range []voting.UnrankedPolicy{voting.UnrankedLast, voting.UnrankedSkip} {
			p := elimRandomProfile(t, n, policy, bs)
			cw := p.Pairwise().CondorcetWinner()
			if cw < 0 {
				continue
			}
			found++
			cases := []elimCase{{"baldwin", ""}, {"nanson", "strict"}, {"nanson", "weak"}, {"smith-irv", ""}, {"tideman-alternative", ""}}
			if policy == voting.UnrankedLast {
				cases = append(cases, elimCase{"irv", "bottom-two"})
			}
			for _, tc := range cases {
				r := run(t, tc.method, p, voting.Options{Variant: tc.variant})
				assert.Equal(t, []int{cw}, r.Winners, "%s/%s seed %d policy %v", tc.method, tc.variant, seed, policy)
			}
		}
	}
	assert.Greater(t, found, 60, "the generator should often produce a Condorcet winner")
}

// Batch elimination removes only candidates who cannot win: with no tie
// decided, it elects the standard IRV winner.
func TestIRVBatchSameWinner(t *testing.T) {
	batches := 0
	for seed := uint64(1); seed <= 40; seed++ {
		n := 4 + int(seed%8)
		p := elimRandomProfile(t, n, voting.UnrankedLast, elimBallots(seed, n, 200, seed%2 == 0))
		std := run(t, "irv", p, voting.Options{})
		batch := run(t, "irv", p, voting.Options{Variant: "batch"})
		if std.TieBreak != "" || batch.TieBreak != "" {
			continue
		}
		assert.Equal(t, std.Winners, batch.Winners, "seed %d", seed)
		if len(batch.Rounds) < len(std.Rounds) {
			batches++
		}
	}
	assert.Positive(t, batches, "some counts should eliminate in batches")
}

// IRV, two-round and Bucklin read a ballot's ranks only: a truncated
// ballot exhausts (or stops adding) under either unranked policy.
func TestEliminationPolicyIndependent(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		n := 3 + int(seed%5)
		bs := elimBallots(seed, n, 200, true)
		last := elimRandomProfile(t, n, voting.UnrankedLast, bs)
		skip := elimRandomProfile(t, n, voting.UnrankedSkip, bs)
		for _, tc := range []elimCase{{"irv", "standard"}, {"irv", "batch"}, {"two-round", ""}, {"bucklin", ""}} {
			a := run(t, tc.method, last, voting.Options{Variant: tc.variant})
			b := run(t, tc.method, skip, voting.Options{Variant: tc.variant})
			assert.Equal(t, a.Rounds, b.Rounds, "%s seed %d", tc.method, seed)
			assert.Equal(t, a.Winners, b.Winners)
		}
	}
}
