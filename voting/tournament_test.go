package voting_test

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomTournament returns a matrix over n candidates where each pair is a
// win one way or the other or, when ties, sometimes a tie.
func randomTournament(rng *rand.Rand, n int, ties bool) *voting.Matrix {
	m := voting.NewMatrix(n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			switch k := rng.IntN(5); {
			case ties && k == 0:
			case k%2 == 0:
				m.M[i][j] = 1
			default:
				m.M[j][i] = 1
			}
		}
	}
	return m
}

func bitMembers(set uint) []int {
	var out []int
	for s := set; s != 0; s &= s - 1 {
		out = append(out, bits.TrailingZeros(s))
	}
	return out
}

// bruteSmith: the smallest set each of whose members beats every outsider.
func bruteSmith(m *voting.Matrix) []int {
	best := uint(1)<<m.N - 1
	for set := uint(1); set < 1<<m.N; set++ {
		if bits.OnesCount(set) >= bits.OnesCount(best) {
			continue
		}
		ok := true
		for _, x := range bitMembers(set) {
			for y := 0; y < m.N; y++ {
				ok = ok && (set&(1<<y) != 0 || m.Beats(x, y))
			}
		}
		if ok {
			best = set
		}
	}
	return bitMembers(best)
}

// bruteSchwartz: the union of the minimal sets that no outsider beats.
func bruteSchwartz(m *voting.Matrix) []int {
	undominated := func(set uint) bool {
		for _, x := range bitMembers(set) {
			for y := 0; y < m.N; y++ {
				if set&(1<<y) == 0 && m.Beats(y, x) {
					return false
				}
			}
		}
		return true
	}
	var union uint
	for set := uint(1); set < 1<<m.N; set++ {
		if !undominated(set) {
			continue
		}
		minimal := true
		for sub := (set - 1) & set; sub != 0 && minimal; sub = (sub - 1) & set {
			minimal = !undominated(sub)
		}
		if minimal {
			union |= set
		}
	}
	return bitMembers(union)
}

// bruteBanks: the tops of the sets the majority orders transitively (every
// pair decided, no cycle) that no outsider beats entirely.
func bruteBanks(m *voting.Matrix) []int {
	var tops uint
	for set := uint(1); set < 1<<m.N; set++ {
		ms := bitMembers(set)
		top, chain := -1, true
		for _, x := range ms {
			wins := 0
			for _, y := range ms {
				if x != y {
					if !m.Beats(x, y) && !m.Beats(y, x) {
						chain = false
					}
					if m.Beats(x, y) {
						wins++
					}
				}
			}
			if wins == len(ms)-1 {
				top = x
			}
		}
		// A decided set is transitive iff its win counts are all distinct.
		counts := map[int]bool{}
		for _, x := range ms {
			wins := 0
			for _, y := range ms {
				if m.Beats(x, y) {
					wins++
				}
			}
			counts[wins] = true
		}
		if !chain || len(counts) != len(ms) || top < 0 {
			continue
		}
		maximal := true
		for z := 0; z < m.N && maximal; z++ {
			if set&(1<<z) != 0 {
				continue
			}
			all := true
			for _, x := range ms {
				all = all && m.Beats(z, x)
			}
			maximal = !all
		}
		if maximal {
			tops |= 1 << top
		}
	}
	return bitMembers(tops)
}

func TestTournamentSolutionsAgainstBruteForce(t *testing.T) {
	for seed := range uint64(400) {
		rng := rand.New(rand.NewPCG(seed, 11))
		n := 1 + rng.IntN(7)
		ties := seed%2 == 1
		m := randomTournament(rng, n, ties)
		t.Run(fmt.Sprintf("seed=%d/n=%d/ties=%v", seed, n, ties), func(t *testing.T) {
			smith := voting.SmithSet(m)
			assert.Equal(t, bruteSmith(m), smith)
			assert.Equal(t, smith, voting.TopCycle(m))
			assert.Equal(t, bruteSchwartz(m), voting.SchwartzSet(m))
			banks, err := voting.BanksSet(m)
			require.NoError(t, err)
			assert.Equal(t, bruteBanks(m), banks)
			uc := voting.UncoveredSet(m)
			assert.Subset(t, smith, uc)
			assert.Subset(t, uc, banks)
			if !ties {
				// In a tournament the uncovered set is the set of kings:
				// those who reach everyone in at most two steps.
				var kings []int
				for x := 0; x < n; x++ {
					king := true
					for y := 0; y < n && king; y++ {
						king = x == y || m.Beats(x, y) || slices.ContainsFunc(condAll(n), func(z int) bool { return m.Beats(x, z) && m.Beats(z, y) })
					}
					if king {
						kings = append(kings, x)
					}
				}
				assert.Equal(t, kings, uc)
			}
		})
	}
}

// x beats y, y beats z, x ties z. Gillies' covering would let x cover y
// (no one beats x); McKelvey's does not (y beats z, x does not), which keeps
// the Banks set {x, y} inside the uncovered set.
func TestUncoveredSetWithTies(t *testing.T) {
	p, _ := voting.NewProfile([]string{"x", "y", "z"}, voting.UnrankedLast)
	require.NoError(t, p.Add(voting.Ranking{{0}, {1}, {2}}, 2))
	require.NoError(t, p.Add(voting.Ranking{{1}, {2}, {0}}, 1))
	require.NoError(t, p.Add(voting.Ranking{{2}, {0}, {1}}, 1))
	m := p.Pairwise()
	require.True(t, m.Beats(0, 1) && m.Beats(1, 2) && m.Margin(0, 2) == 0)
	assert.Equal(t, []int{0, 1, 2}, voting.UncoveredSet(m))
	banks, err := voting.BanksSet(m)
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1}, banks)
	assert.Equal(t, []int{0, 1, 2}, voting.SmithSet(m))
	assert.Equal(t, []int{0}, voting.SchwartzSet(m), "only x is unbeaten")

	r := run(t, "banks", p, voting.Options{Tie: voting.Lot(1)})
	assert.Equal(t, []int{0, 1}, r.Winners)
	assert.Len(t, r.Elected, 1)
	assert.Equal(t, "lot(seed=1)", r.TieBreak)
	assert.Equal(t, []string{"The Banks set is {x, y}."}, r.Notes)
}

func TestBanksTooLarge(t *testing.T) {
	_, err := voting.BanksSet(voting.NewMatrix(13))
	assert.ErrorIs(t, err, voting.ErrTooLarge)
	s, err := voting.BanksSet(voting.NewMatrix(12))
	require.NoError(t, err)
	assert.Equal(t, condAll(12), s, "all tied: every candidate is a maximal chain by itself")
}

// The Smith set of Wikipedia's "Smith set" example: D is first for 40% of
// the voters but loses to A, B and C, which beat one another in a cycle.
func ExampleSmithSet() {
	p, _ := voting.NewProfile([]string{"A", "B", "C", "D"}, voting.UnrankedLast)
	_ = p.Add(voting.Ranking{{3}, {0}, {1}, {2}}, 40)
	_ = p.Add(voting.Ranking{{1}, {2}, {0}, {3}}, 35)
	_ = p.Add(voting.Ranking{{2}, {0}, {1}, {3}}, 25)
	m := p.Pairwise()
	banks, _ := voting.BanksSet(m)
	fmt.Println(voting.SmithSet(m), voting.SchwartzSet(m), voting.UncoveredSet(m), banks)
	// Output: [0 1 2] [0 1 2] [0 1 2] [0 1 2]
}
