package voting_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/voting"
)

// orderPolicy favours candidates by a fixed ordering: the seeded ordering
// pref_voting drew, given to civickit as its tie policy.
func orderPolicy(order []int) voting.TiePolicy {
	return voting.TieFunc("recorded-order", func(tied []int, _ voting.TieContext) [][]int {
		s := slices.Clone(tied)
		slices.SortFunc(s, func(a, b int) int { return slices.Index(order, a) - slices.Index(order, b) })
		out := make([][]int, len(s))
		for i, c := range s {
			out[i] = []int{c}
		}
		return out
	})
}

// TestPrefVotingBracket compares bracket voting (with pref_voting's
// lexicographic ordering and with its seeded random one) and irv's
// eliminate-tied variant with pref_voting on the 264 generated profiles of
// record_bracket.py.
func TestPrefVotingBracket(t *testing.T) {
	agree := map[string]int{}
	total := map[string]int{}
	standardDiffers := 0 // profiles where irv's default variant elects otherwise
	for _, e := range readElections(t, "prefvoting_bracket.txt", voting.UnrankedLast) {
		index := map[string]int{}
		for i, c := range e.Profile.Candidates() {
			index[c] = i
		}
		for _, line := range e.Expect {
			head, value, ok := strings.Cut(line, " winners:")
			require.True(t, ok, line)
			f := strings.Fields(head)
			method, variant, _ := strings.Cut(f[0], "/")
			o := voting.Options{Variant: variant}
			key := f[0]
			if len(f) == 3 && f[1] == "seeding" {
				var order []int
				for _, c := range strings.Split(f[2], ",") {
					order = append(order, index[c])
				}
				o.Tie = orderPolicy(order)
				key += " seeded"
			}
			var want []int
			for _, c := range strings.Fields(value) {
				want = append(want, index[c])
			}
			slices.Sort(want)
			r := run(t, method, e.Profile, o)
			total[key]++
			if key == "irv/eliminate-tied" && !slices.Equal(run(t, "irv", e.Profile, voting.Options{}).Winners, r.Winners) {
				standardDiffers++
			}
			if slices.Equal(want, r.Winners) {
				agree[key]++
				continue
			}
			t.Errorf("%s %s: pref_voting %s, civickit %v (%v)", key, e.Name, value, names(e.Profile, r.Winners), r.Notes)
		}
	}
	for _, k := range []string{"bracket-voting", "bracket-voting seeded", "irv/eliminate-tied"} {
		t.Logf("%-22s %3d/%d agree with pref_voting", k, agree[k], total[k])
		assert.Equal(t, 264, total[k], k)
	}
	t.Logf("irv's standard variant elects otherwise on %d profiles", standardDiffers)
	assert.Positive(t, standardDiffers, "the profiles should tell the two irv variants apart")
}

func TestBracketVoting(t *testing.T) {
	profile := func(t *testing.T, ballots map[string]int64) *voting.Profile {
		p, err := voting.NewProfile([]string{"A", "B", "C", "D", "E"}, voting.UnrankedLast)
		require.NoError(t, err)
		for b, n := range ballots {
			var r voting.Ranking
			for _, c := range strings.Split(b, ">") {
				r = append(r, []int{int(c[0] - 'A')})
			}
			require.NoError(t, p.Add(r, n))
		}
		return p
	}
	tests := []struct {
		name    string
		ballots map[string]int64
		tie     voting.TiePolicy
		want    string
		seeds   string
	}{
		{
			// Seeds A (4) B (3) C (2) D (1); D beats A 6-4, B beats C 7-3,
			// B beats D 7-3: the plurality winner is out in the semi-final.
			name:    "upset in the semi-final",
			ballots: map[string]int64{"A>B>C>D>E": 4, "B>D>C>A>E": 3, "C>D>A>B>E": 2, "D>C>B>A>E": 1},
			want:    "B", seeds: "seeds [A B C D]",
		},
		{
			// A, B, C, D tie on first preferences (E has none): candidate
			// order seeds A B C D; A-D and B-C are 2-2 ties won by the higher
			// seed, and the A-B final is a tie won by A (seed 1).
			name:    "ties to the higher seed",
			ballots: map[string]int64{"A>B>C>D>E": 1, "B>A>D>C>E": 1, "C>D>B>A>E": 1, "D>C>A>B>E": 1},
			want:    "A", seeds: "seeds [A B C D]",
		},
		{
			// The same profile seeded D C B A by the tie policy: D meets A
			// (2-2, D the higher seed), C meets B (2-2, C), and the D-C final
			// is 2-2: D.
			name:    "ties seeded by the tie policy",
			ballots: map[string]int64{"A>B>C>D>E": 1, "B>A>D>C>E": 1, "C>D>B>A>E": 1, "D>C>A>B>E": 1},
			tie:     orderPolicy([]int{3, 2, 1, 0, 4}),
			want:    "D", seeds: "seeds [D C B A]",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, "bracket-voting", profile(t, tt.ballots), voting.Options{Tie: tt.tie})
			assert.Equal(t, []string{tt.want}, names(profile(t, tt.ballots), r.Winners))
			assert.Contains(t, r.Notes, tt.seeds)
		})
	}
	// A seeded lot is reproducible: the same seed, the same winner.
	p := profile(t, tests[1].ballots)
	for seed := uint64(1); seed < 20; seed++ {
		a := run(t, "bracket-voting", p, voting.Options{Tie: voting.Lot(seed)})
		b := run(t, "bracket-voting", p, voting.Options{Tie: voting.Lot(seed)})
		assert.Equal(t, a.Winners, b.Winners)
		assert.Equal(t, a.Notes, b.Notes)
	}
}
