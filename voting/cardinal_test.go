package voting_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cardBallot is a cardinal ballot with its count.
type cardBallot struct {
	scores []int
	count  int64
}

func cardProfile(t testing.TB, names []string, spec voting.CardinalSpec, ballots []cardBallot) *voting.CardinalProfile {
	t.Helper()
	p, err := voting.NewCardinalProfile(names, spec)
	require.NoError(t, err)
	for _, b := range ballots {
		require.NoError(t, p.Add(b.scores, b.count))
	}
	return p
}

func runCardinal(t testing.TB, method string, p *voting.CardinalProfile, o voting.Options) *voting.Result {
	t.Helper()
	m, err := voting.NewRegistry().Lookup(method)
	require.NoError(t, err)
	r, err := m.Run(voting.Input{Cardinal: p}, o)
	require.NoError(t, err)
	return r
}

// cardRankingOf renders a ranking as "A > B = C".
func cardRankingOf(names []string, r [][]int) string {
	var parts []string
	for _, g := range r {
		var ns []string
		for _, c := range g {
			ns = append(ns, names[c])
		}
		parts = append(parts, strings.Join(ns, " = "))
	}
	return strings.Join(parts, " > ")
}

// cardSection is one block of a cardinal testdata file.
type cardSection struct {
	name    string
	grades  []string
	names   []string
	tallies [][]int64    // majority-judgment files: voters per grade
	ballots []cardBallot // STAR files
	expect  map[string][]string
	order   []string // the EXPECT lines in file order, for ranking lines
}

// readCardSections reads a cardinal testdata file (format in testdata/README.md).
func readCardSections(t *testing.T, file string) []*cardSection {
	t.Helper()
	f, err := os.Open("testdata/" + file)
	require.NoError(t, err)
	defer f.Close()
	var all []*cardSection
	cur := &cardSection{name: file, expect: map[string][]string{}}
	flush := func() {
		if len(cur.tallies) > 0 || len(cur.ballots) > 0 {
			all = append(all, cur)
		}
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			flush()
			cur = &cardSection{name: strings.Trim(line, "[]"), expect: map[string][]string{}}
		case strings.HasPrefix(line, "grades:"):
			for _, g := range strings.Split(strings.TrimPrefix(line, "grades:"), ",") {
				cur.grades = append(cur.grades, strings.TrimSpace(g))
			}
		case strings.HasPrefix(line, "candidates:"):
			cur.names = strings.Fields(strings.TrimPrefix(line, "candidates:"))
		case strings.HasPrefix(line, "EXPECT"):
			rest := strings.TrimSpace(strings.TrimPrefix(line, "EXPECT"))
			cur.order = append(cur.order, rest)
			if key, vals, ok := strings.Cut(rest, " "); ok {
				cur.expect[key] = strings.Fields(vals)
			}
		default:
			head, body, ok := strings.Cut(line, ":")
			require.True(t, ok, line)
			var nums []int64
			for _, f := range strings.Fields(body) {
				n, err := strconv.ParseInt(f, 10, 64)
				require.NoError(t, err, line)
				nums = append(nums, n)
			}
			if count, err := strconv.ParseInt(head, 10, 64); err == nil {
				b := cardBallot{count: count}
				for _, n := range nums {
					b.scores = append(b.scores, int(n))
				}
				cur.ballots = append(cur.ballots, b)
			} else {
				cur.names = append(cur.names, strings.TrimSpace(head))
				cur.tallies = append(cur.tallies, nums)
			}
		}
	}
	require.NoError(t, sc.Err())
	flush()
	return all
}

// mjFromTallies builds graded ballots with the given grade distributions:
// ballot i gives each candidate the i-th of its grades in sorted order.
func mjFromTallies(t testing.TB, names, grades []string, tallies [][]int64) *voting.CardinalProfile {
	t.Helper()
	var voters int64
	for _, h := range tallies[0] {
		voters += h
	}
	sorted := make([][]int, len(tallies))
	for c, h := range tallies {
		for g, n := range h {
			for range n {
				sorted[c] = append(sorted[c], g)
			}
		}
		require.Len(t, sorted[c], int(voters), "%s: every candidate needs the same number of grades", names[c])
	}
	var ballots []cardBallot
	for i := range voters {
		b := make([]int, len(names))
		for c := range b {
			b[c] = sorted[c][i]
		}
		ballots = append(ballots, cardBallot{b, 1})
	}
	return cardProfile(t, names, voting.CardinalSpec{Kind: voting.Graded, Scale: grades}, ballots)
}

func TestMajorityJudgmentReferences(t *testing.T) {
	pizza := readCardSections(t, "majority_judgment_pizza.txt")
	require.Len(t, pizza, 1)
	// Grades and result are stated in the file's comments (docs/SCORE.md).
	pizza[0].grades = []string{"To Reject", "Passable", "Good", "Excellent"}
	pizza[0].order = []string{"Bread > Pizza > Pasta > Chips"}
	cases := append(pizza, readCardSections(t, "majority_judgment_tallies.txt")...)
	require.Len(t, cases, 4)
	for _, c := range cases {
		p := mjFromTallies(t, c.names, c.grades, c.tallies)
		for _, variant := range []string{"gauge", "iterative"} {
			t.Run(c.name+"/"+variant, func(t *testing.T) {
				r := runCardinal(t, "majority-judgment", p, voting.Options{Variant: variant})
				require.Len(t, c.order, 1)
				assert.Equal(t, c.order[0], cardRankingOf(c.names, r.Ranking))
				assert.Equal(t, r.Ranking[0], r.Winners)
				assert.Len(t, r.Rounds, 1)
				assert.Len(t, r.Notes, len(c.names), "one note per candidate")
			})
		}
	}

	// Pizza: the notes name the majority grades, and the scores are the
	// majority gauge (grade index ± deciding share).
	p := mjFromTallies(t, pizza[0].names, pizza[0].grades, pizza[0].tallies)
	r := runCardinal(t, "majority-judgment", p, voting.Options{})
	assert.Equal(t, "gauge", r.Variant)
	assert.Contains(t, r.Notes, "Bread: majority grade Good (20.0% above, 40.0% below).")
	assert.Contains(t, r.Notes, "Chips: majority grade Passable (40.0% above, 20.0% below).")
	// Pizza 1+0.5, Chips 1+0.4, Pasta 1+0.5, Bread 2-0.4.
	assert.InDeltaSlice(t, []float64{1.5, 1.4, 1.5, 1.6}, r.Scores, 1e-9)
	assert.Equal(t, r.Scores, r.Rounds[0].Counts)

	// In the README demo A and E, with identical grades, share the last
	// place; the win is B's alone, so no tie policy is needed.
	demo := cases[1]
	r = runCardinal(t, "majority-judgment", mjFromTallies(t, demo.names, demo.grades, demo.tallies), voting.Options{})
	assert.Equal(t, []int{0, 4}, r.Ranking[len(r.Ranking)-1])
	assert.Equal(t, []int{1}, r.Elected)
	assert.False(t, r.Tied())
	assert.Empty(t, r.TieBreak)
}

// Hand-worked: both candidates have the majority grade 2 and the same
// gauge (2 of 5 above); the median grades moved up, E has one opponent
// left and F none, so F wins. Removing medians one by one gives E 2,2,3,1,3
// and F 2,2,3,2,3: F wins at the fourth grade.
func TestMajorityJudgmentDeepTie(t *testing.T) {
	tallies := [][]int64{{0, 1, 2, 2}, {0, 0, 3, 2}}
	p := mjFromTallies(t, []string{"E", "F"}, []string{"a", "b", "c", "d"}, tallies)
	for _, v := range []string{"gauge", "iterative"} {
		r := runCardinal(t, "majority-judgment", p, voting.Options{Variant: v})
		assert.Equal(t, [][]int{{1}, {0}}, r.Ranking, v)
	}
}

func TestMajorityJudgmentBlanks(t *testing.T) {
	spec := voting.CardinalSpec{Kind: voting.Graded, Scale: voting.DefaultGrades()}
	const blank = voting.NoScore
	// A is graded "very good" by the two voters who know it; B "fair" by all three.
	p := cardProfile(t, []string{"A", "B"}, spec, []cardBallot{
		{[]int{4, 2}, 2},
		{[]int{blank, 2}, 1},
	})
	tests := []struct {
		name    string
		o       voting.Options
		ranking [][]int
		note    string
	}{
		// A blank is "to reject": A's grades are to reject, very good, very good.
		{"blank is lowest", voting.Options{}, [][]int{{0}, {1}}, "A: majority grade very good (0.0% above, 33.3% below)."},
		{"iterative", voting.Options{Variant: "iterative"}, [][]int{{0}, {1}}, "A: majority grade very good (0.0% above, 33.3% below)."},
		{"ignore blanks", voting.Options{Params: map[string]float64{"ignore-blanks": 1}}, [][]int{{0}, {1}}, "A: majority grade very good (0.0% above, 0.0% below)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCardinal(t, "majority-judgment", p, tt.o)
			assert.Equal(t, tt.ranking, r.Ranking)
			assert.Contains(t, r.Notes, tt.note)
		})
	}

	// Two blanks out of three make A's majority grade the lowest, unless
	// blanks are ignored.
	q := cardProfile(t, []string{"A", "B"}, spec, []cardBallot{{[]int{5, 2}, 1}, {[]int{blank, 2}, 2}})
	assert.Equal(t, [][]int{{1}, {0}}, runCardinal(t, "majority-judgment", q, voting.Options{}).Ranking)
	r := runCardinal(t, "majority-judgment", q, voting.Options{Params: map[string]float64{"ignore-blanks": 1}})
	assert.Equal(t, [][]int{{0}, {1}}, r.Ranking)

	// A candidate nobody graded ranks last when blanks are ignored.
	e := cardProfile(t, []string{"A", "B"}, spec, []cardBallot{{[]int{blank, 0}, 3}})
	r = runCardinal(t, "majority-judgment", e, voting.Options{Params: map[string]float64{"ignore-blanks": 1}})
	assert.Equal(t, [][]int{{1}, {0}}, r.Ranking)
	assert.Contains(t, r.Notes, "A: no grades, ranked last.")

	// Ignoring blanks, candidates are graded by different numbers of voters
	// and the gauge compares shares, not head counts.
	const poor, fair, good, veryGood = 1, 2, 3, 4
	for _, tt := range []struct {
		name   string
		a, b   []int // grades in voter order; shorter lists end in blanks
		winner int
	}{
		// A: good, very good: +1/2. B: good ×3, very good ×2: +2/5.
		{"proponents", []int{good, veryGood}, []int{good, good, good, veryGood, veryGood}, 0},
		// A: poor, good, good: -1/3. B: poor ×3, good ×7: -3/10.
		{"opponents", []int{poor, good, good}, []int{poor, poor, poor, good, good, good, good, good, good, good}, 1},
		// A: good +1/2 against B: good -1/3, and fair is below good.
		{"signs", []int{good, veryGood}, []int{poor, good, good}, 0},
		{"grade first", []int{fair, veryGood}, []int{poor, good, good}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var ballots []cardBallot
			for i := range max(len(tt.a), len(tt.b)) {
				b := []int{blank, blank}
				if i < len(tt.a) {
					b[0] = tt.a[i]
				}
				if i < len(tt.b) {
					b[1] = tt.b[i]
				}
				ballots = append(ballots, cardBallot{b, 1})
			}
			r := runCardinal(t, "majority-judgment", cardProfile(t, []string{"A", "B"}, spec, ballots),
				voting.Options{Params: map[string]float64{"ignore-blanks": 1}})
			assert.Equal(t, []int{tt.winner}, r.Winners)
		})
	}

	m, _ := voting.NewRegistry().Lookup("majority-judgment")
	for _, o := range []voting.Options{
		{Params: map[string]float64{"ignore-blanks": 2}},
		{Params: map[string]float64{"ignore-blanks": 0.5}},
		{Variant: "iterative", Params: map[string]float64{"ignore-blanks": 1}},
	} {
		_, err := m.Run(voting.Input{Cardinal: p}, o)
		assert.ErrorIs(t, err, voting.ErrInvalidOption, "%+v", o)
	}
}

// mjMajorityValues is the definition, slowly: sort the grades, then remove
// the lower median one at a time.
func mjMajorityValues(grades []int) []int {
	g := slices.Clone(grades)
	slices.Sort(g)
	var out []int
	for len(g) > 0 {
		i := (len(g) - 1) / 2
		out = append(out, g[i])
		g = slices.Delete(g, i, i+1)
	}
	return out
}

// randomGradedBallots draws n candidates graded by v voters on k grades, with
// grades bunched so that equal majority grades are common.
func randomGradedBallots(rng *rand.Rand, n, v, k int) ([]cardBallot, [][]int) {
	grades := make([][]int, n)
	var ballots []cardBallot
	for range v {
		b := make([]int, n)
		for c := range b {
			b[c] = min(k-1, rng.IntN(k)/2+rng.IntN(2))
			grades[c] = append(grades[c], b[c])
		}
		ballots = append(ballots, cardBallot{b, 1})
	}
	return ballots, grades
}

// Both variants must agree with the definition on many small elections,
// where ties beyond the majority gauge are frequent.
func TestMajorityJudgmentAgreesWithDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"A", "B", "C", "D"}
	spec := voting.CardinalSpec{Kind: voting.Graded, Scale: []string{"0", "1", "2", "3", "4"}}
	for trial := range 2000 {
		v := 1 + rng.IntN(30)
		ballots, grades := randomGradedBallots(rng, len(names), v, 5)
		p := cardProfile(t, names, spec, ballots)
		seq := make([][]int, len(names))
		for c := range seq {
			seq[c] = mjMajorityValues(grades[c])
		}
		for _, variant := range []string{"gauge", "iterative"} {
			r := runCardinal(t, "majority-judgment", p, voting.Options{Variant: variant})
			place := rankPlaces(r.Ranking, len(names))
			for a := range names {
				for b := range names {
					want := slices.Compare(seq[b], seq[a]) // > 0: b's majority values are better
					got := place[a] - place[b]             // > 0: b is ranked above a
					require.Equal(t, signOf(want), signOf(got), "trial %d %s: %v vs %v (%v)", trial, variant, seq[a], seq[b], grades)
				}
			}
		}
	}
}

func rankPlaces(ranking [][]int, n int) []int {
	place := make([]int, n)
	for i, g := range ranking {
		for _, c := range g {
			place[c] = i
		}
	}
	return place
}

func signOf(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// Raising one candidate's grade by one level on one ballot never moves it
// below a candidate it was level with or above.
func TestMajorityJudgmentMonotone(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	names := []string{"A", "B", "C"}
	spec := voting.CardinalSpec{Kind: voting.Graded, Scale: []string{"0", "1", "2", "3"}}
	for trial := range 300 {
		ballots, _ := randomGradedBallots(rng, len(names), 1+rng.IntN(9), 4)
		i, c := rng.IntN(len(ballots)), rng.IntN(len(names))
		if ballots[i].scores[c] == 3 {
			continue
		}
		raised := slices.Clone(ballots)
		raised[i] = cardBallot{slices.Clone(ballots[i].scores), 1}
		raised[i].scores[c]++
		for _, variant := range []string{"gauge", "iterative"} {
			o := voting.Options{Variant: variant}
			before := rankPlaces(runCardinal(t, "majority-judgment", cardProfile(t, names, spec, ballots), o).Ranking, len(names))
			after := rankPlaces(runCardinal(t, "majority-judgment", cardProfile(t, names, spec, raised), o).Ranking, len(names))
			for d := range names {
				if d != c {
					assert.LessOrEqual(t, signOf(after[c]-after[d]), signOf(before[c]-before[d]),
						"trial %d %s: raising %s on ballot %d hurt it against %s", trial, variant, names[c], i, names[d])
				}
			}
		}
	}
}

func TestSTARReferences(t *testing.T) {
	for _, s := range readCardSections(t, "star_starvote.txt") {
		t.Run(s.name, func(t *testing.T) {
			p := cardProfile(t, s.names, voting.CardinalSpec{Kind: voting.Score, Max: 5}, s.ballots)
			index := func(name string) int {
				i := slices.Index(s.names, name)
				require.GreaterOrEqual(t, i, 0, name)
				return i
			}
			o := voting.Options{}
			if perm := s.expect["tie"]; perm != nil {
				// The predefined permutation the reference used for its
				// unbreakable tie.
				o.Tie = voting.TieFunc("permutation", func(tied []int, _ voting.TieContext) [][]int {
					out := slices.Clone(tied)
					slices.SortFunc(out, func(a, b int) int { return slices.Index(perm, s.names[a]) - slices.Index(perm, s.names[b]) })
					var groups [][]int
					for _, c := range out {
						groups = append(groups, []int{c})
					}
					return groups
				})
			}
			r := runCardinal(t, "star", p, o)
			var scores []float64
			for _, v := range s.expect["scores"] {
				f, _ := strconv.ParseFloat(v, 64)
				scores = append(scores, f)
			}
			assert.Equal(t, scores, r.Scores)
			require.Len(t, r.Rounds, 2, "scoring round and runoff")
			assert.Equal(t, r.Scores, r.Rounds[0].Counts)

			var finalists []int
			for _, n := range s.expect["finalists"] {
				finalists = append(finalists, index(n))
			}
			runoff := r.Rounds[1]
			for c := range s.names {
				assert.Equal(t, slices.Contains(finalists, c), runoff.Active[c], s.names[c])
				assert.Equal(t, !slices.Contains(finalists, c), slices.Contains(r.Rounds[0].Eliminated, c), s.names[c])
			}
			assert.Equal(t, s.expect["runoff"], []string{
				fmt.Sprint(runoff.Counts[finalists[0]]), fmt.Sprint(runoff.Counts[finalists[1]]),
			})
			assert.Contains(t, runoff.Note, "Automatic runoff: "+s.names[finalists[0]]+" preferred on "+s.expect["runoff"][0]+" ballots")

			if w := s.expect["winner"]; w != nil {
				assert.Equal(t, []int{index(w[0])}, r.Winners)
				assert.Equal(t, []int{index(w[0])}, r.Elected)
				assert.Equal(t, []int{index(w[0])}, runoff.Elected)
				assert.False(t, r.Tied())
			} else {
				var ws []int
				for _, n := range s.expect["winners"] {
					ws = append(ws, index(n))
				}
				assert.Equal(t, ws, r.Winners, "the ballots cannot separate the finalists")
				assert.True(t, r.Tied())
				assert.Equal(t, "candidate-order", r.TieBreak)
				assert.Equal(t, []int{ws[0]}, r.Elected)
			}
			if s.expect["tie"] != nil {
				assert.Equal(t, "permutation", r.Rounds[0].TieBreak, "the scoring round needed the tie policy")
				assert.Equal(t, "permutation", r.TieBreak)
			}
		})
	}
}

// Three-way tie for first, a Condorcet cycle with one five-star rating each
// (starvote test_election_unbreakable_three_way_tie_for_first_in_score_round):
// the tie policy picks both finalists.
func TestSTARUnbreakableScoringTie(t *testing.T) {
	p := cardProfile(t, []string{"Amy", "Brian", "Chuck"}, voting.CardinalSpec{Kind: voting.Score, Max: 5}, []cardBallot{
		{[]int{1, 3, 5}, 1}, {[]int{3, 5, 1}, 1}, {[]int{5, 1, 3}, 1},
	})
	r := runCardinal(t, "star", p, voting.Options{Tie: voting.Lot(7)})
	assert.Equal(t, "lot(seed=7)", r.Rounds[0].TieBreak)
	assert.Len(t, r.Rounds[0].Eliminated, 1)
	assert.NotEmpty(t, r.Notes)
	assert.False(t, r.Tied(), "the tie was for the finalist places, not the win")
}

// Official protocol, step 1 with more than two tied: the candidate losing
// the most head-to-head match-ups among the tied is eliminated.
func TestSTARHeadToHeadElimination(t *testing.T) {
	// A, B, C, D all total 6. Head to head among them: A beats B, C, D;
	// B beats C, D; C beats D. D, with three defeats, is out first, then C.
	p := cardProfile(t, []string{"A", "B", "C", "D"}, voting.CardinalSpec{Kind: voting.Score, Max: 9}, []cardBallot{
		{[]int{3, 2, 1, 0}, 2},
		{[]int{0, 2, 4, 6}, 1},
	})
	r := runCardinal(t, "star", p, voting.Options{})
	assert.Equal(t, []float64{6, 6, 6, 6}, r.Scores)
	assert.ElementsMatch(t, []int{2, 3}, r.Rounds[0].Eliminated)
	assert.Equal(t, []int{0}, r.Elected, "A is preferred to B on two ballots of three")
	assert.Empty(t, r.TieBreak, "the ballots decided every tie")
}

// Official protocol, step 2: A and B tie on total (5) and head to head
// (one ballot each); A's five-star rating sends it to the runoff.
func TestSTARFiveStarScoringTie(t *testing.T) {
	p := cardProfile(t, []string{"A", "B", "C"}, voting.CardinalSpec{Kind: voting.Score, Max: 5}, []cardBallot{
		{[]int{5, 4, 5}, 1},
		{[]int{0, 1, 5}, 1},
	})
	r := runCardinal(t, "star", p, voting.Options{})
	assert.Equal(t, []int{1}, r.Rounds[0].Eliminated)
	assert.Equal(t, "Scoring round: C, A advance.", r.Rounds[0].Note)
	assert.Contains(t, r.Notes, "Scoring round tie among A, B: decided by five-star ratings.")
	assert.Equal(t, []int{2}, r.Elected)
	assert.Empty(t, r.TieBreak)
}

// The STAR winner always has one of the two highest totals.
func TestSTARWinnerIsTopTwo(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	names := []string{"A", "B", "C", "D", "E"}
	for range 300 {
		var ballots []cardBallot
		for range 1 + rng.IntN(8) {
			b := make([]int, len(names))
			for c := range b {
				b[c] = rng.IntN(6)
			}
			ballots = append(ballots, cardBallot{b, 1 + rng.Int64N(3)})
		}
		r := runCardinal(t, "star", cardProfile(t, names, voting.CardinalSpec{Kind: voting.Score, Max: 5}, ballots), voting.Options{})
		w := r.Elected[0]
		above := 0
		for _, s := range r.Scores {
			if s > r.Scores[w] {
				above++
			}
		}
		require.LessOrEqual(t, above, 1, "winner %s, scores %v", names[w], r.Scores)
		require.Len(t, r.Rounds, 2)
		require.Len(t, r.Rounds[0].Eliminated, len(names)-2)
	}
}

func TestScoreVariants(t *testing.T) {
	const blank = voting.NoScore
	spec := voting.CardinalSpec{Kind: voting.Score, Min: -2, Max: 2}
	p := cardProfile(t, []string{"A", "B", "C"}, spec, []cardBallot{
		{[]int{2, 1, blank}, 3},
		{[]int{blank, 1, 2}, 1},
		{[]int{-2, 0, blank}, 1},
	})
	tests := []struct {
		name    string
		o       voting.Options
		scores  []float64
		ranking string
		active  []bool
	}{
		// Sum: a blank is the lowest score, -2.
		{"sum", voting.Options{}, []float64{6 - 2 - 2, 3 + 1 + 0, -6 + 2 - 2}, "B > A > C", nil},
		// Average over the scores given: A 4/4, B 4/5, C 2/1.
		{"average", voting.Options{Variant: "average"}, []float64{1, 0.8, 2}, "C > A > B", nil},
		// C has one rating, under the quorum of 2.
		{"quorum", voting.Options{Variant: "average", Params: map[string]float64{"min-ratings": 2}}, []float64{1, 0.8, 2}, "A > B > C", []bool{true, true, false}},
	}
	names := p.Candidates()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCardinal(t, "score", p, tt.o)
			assert.InDeltaSlice(t, tt.scores, r.Scores, 1e-9)
			assert.Equal(t, tt.ranking, cardRankingOf(names, r.Ranking))
			require.Len(t, r.Rounds, 1)
			assert.Equal(t, tt.active, r.Rounds[0].Active)
			assert.Equal(t, r.Ranking[0], r.Elected)
		})
	}
	r := runCardinal(t, "score", p, voting.Options{Variant: "average", Params: map[string]float64{"min-ratings": 2}})
	assert.Equal(t, []string{"C has 1 ratings, fewer than min-ratings 2: ranked after the others."}, r.Notes)

	m, _ := voting.NewRegistry().Lookup("score")
	for _, o := range []voting.Options{
		{Params: map[string]float64{"min-ratings": 2}}, // sum has no quorum
		{Variant: "average", Params: map[string]float64{"min-ratings": 0}},
		{Variant: "average", Params: map[string]float64{"min-ratings": 1.5}},
		{Variant: "median"},
	} {
		_, err := m.Run(voting.Input{Cardinal: p}, o)
		assert.ErrorIs(t, err, voting.ErrInvalidOption, "%+v", o)
	}
}

func TestSumMethods(t *testing.T) {
	const blank = voting.NoScore
	tests := []struct {
		method  string
		spec    voting.CardinalSpec
		ballots []cardBallot
		scores  []float64
		elected []int
	}{
		{"approval", voting.CardinalSpec{Kind: voting.Approval},
			[]cardBallot{{[]int{1, 1, 0}, 4}, {[]int{0, 1, blank}, 3}, {[]int{1, 0, 1}, 5}},
			[]float64{9, 7, 5}, []int{0}},
		{"cumulative", voting.CardinalSpec{Kind: voting.Cumulative, Budget: 5},
			[]cardBallot{{[]int{5, 0, 0}, 2}, {[]int{1, 2, 2}, 3}, {[]int{0, blank, 4}, 1}},
			[]float64{13, 6, 10}, []int{0}},
		// Votes against count: C ends negative.
		{"quadratic", voting.CardinalSpec{Kind: voting.Quadratic, Budget: 9},
			[]cardBallot{{[]int{2, 2, -1}, 2}, {[]int{0, 3, 0}, 1}, {[]int{-2, blank, -2}, 2}},
			[]float64{0, 7, -6}, []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			p := cardProfile(t, []string{"A", "B", "C"}, tt.spec, tt.ballots)
			r := runCardinal(t, tt.method, p, voting.Options{})
			assert.Equal(t, tt.scores, r.Scores)
			assert.Equal(t, tt.elected, r.Elected)
			assert.Len(t, r.Rounds, 1)
			assert.Len(t, r.Ranking, 3)
		})
	}
}

// Over-budget ballots are refused with ErrInvalidBallot and leave the
// profile as it was.
func TestBudgets(t *testing.T) {
	tests := []struct {
		spec   voting.CardinalSpec
		ok     []int
		over   []int
		method string
	}{
		{voting.CardinalSpec{Kind: voting.Cumulative, Budget: 5}, []int{2, 3, 0}, []int{2, 3, 1}, "cumulative"},
		// 2² + 2² + 1² = 9 credits; (-2)² + 2² + 2² = 12.
		{voting.CardinalSpec{Kind: voting.Quadratic, Budget: 9}, []int{2, -2, 1}, []int{-2, 2, 2}, "quadratic"},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			p := cardProfile(t, []string{"A", "B", "C"}, tt.spec, []cardBallot{{tt.ok, 2}})
			err := p.Add(tt.over, 1)
			var be *voting.BallotError
			require.ErrorAs(t, err, &be)
			assert.Equal(t, "budget", be.Rule)
			assert.ErrorIs(t, err, voting.ErrInvalidBallot)
			assert.Equal(t, int64(2), p.Voters())
			assert.Equal(t, 1, p.Distinct())
			r := runCardinal(t, tt.method, p, voting.Options{})
			assert.Equal(t, int64(2), r.Ballots)
			assert.Equal(t, []float64{2 * float64(tt.ok[0]), 2 * float64(tt.ok[1]), 2 * float64(tt.ok[2])}, r.Scores)
		})
	}
}

// Approval and score results do not depend on the order ballots arrive in.
func TestOrderInvariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	names := []string{"A", "B", "C", "D"}
	for _, tt := range []struct {
		method string
		o      voting.Options
		spec   voting.CardinalSpec
		hi     int
	}{
		{"approval", voting.Options{}, voting.CardinalSpec{Kind: voting.Approval}, 1},
		{"score", voting.Options{}, voting.CardinalSpec{Kind: voting.Score, Max: 9}, 9},
		{"score", voting.Options{Variant: "average"}, voting.CardinalSpec{Kind: voting.Score, Max: 9}, 9},
	} {
		t.Run(tt.method+"/"+tt.o.Variant, func(t *testing.T) {
			var ballots []cardBallot
			for range 40 {
				b := make([]int, len(names))
				for c := range b {
					if b[c] = rng.IntN(tt.hi + 2); b[c] > tt.hi {
						b[c] = voting.NoScore
					}
				}
				ballots = append(ballots, cardBallot{b, 1 + rng.Int64N(4)})
			}
			want := runCardinal(t, tt.method, cardProfile(t, names, tt.spec, ballots), tt.o)
			for range 5 {
				rng.Shuffle(len(ballots), func(i, j int) { ballots[i], ballots[j] = ballots[j], ballots[i] })
				got := runCardinal(t, tt.method, cardProfile(t, names, tt.spec, ballots), tt.o)
				assert.Equal(t, want.Scores, got.Scores)
				assert.Equal(t, want.Ranking, got.Ranking)
				assert.Equal(t, want.Elected, got.Elected)
			}
		})
	}
}

func TestCardinalMethodsRegistry(t *testing.T) {
	reg := voting.NewRegistry()
	kinds := map[string][]voting.CardinalKind{
		"approval":          {voting.Approval},
		"score":             {voting.Score},
		"star":              {voting.Score},
		"majority-judgment": {voting.Graded},
		"cumulative":        {voting.Cumulative},
		"quadratic":         {voting.Quadratic},
	}
	approval := cardProfile(t, []string{"A", "B"}, voting.CardinalSpec{Kind: voting.Approval}, []cardBallot{{[]int{1, 0}, 1}})
	scores := cardProfile(t, []string{"A", "B"}, voting.CardinalSpec{Kind: voting.Score, Max: 5}, []cardBallot{{[]int{5, 0}, 1}})
	for name, ks := range kinds {
		m, err := reg.Lookup(name)
		require.NoError(t, err)
		assert.Equal(t, voting.CardinalBallots, m.Ballots, name)
		assert.Equal(t, ks, m.Kinds, name)
		assert.NotEmpty(t, m.Source, name)
		_, err = m.Run(voting.Input{}, voting.Options{})
		assert.ErrorIs(t, err, voting.ErrWrongBallots, name)
		wrong := approval
		if slices.Contains(ks, voting.Approval) {
			wrong = scores
		}
		_, err = m.Run(voting.Input{Cardinal: wrong}, voting.Options{})
		assert.ErrorIs(t, err, voting.ErrWrongBallots, name)
	}
}
