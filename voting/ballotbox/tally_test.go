package ballotbox_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tallyElection has two ranked and three cardinal questions.
func tallyElection() *ballotbox.Election {
	return &ballotbox.Election{
		ID:    uuid.MustParse("5d7c8f5e-2b0b-4f6e-8d3c-0a9e1f4b6c21"),
		Title: "Participatory budget",
		Questions: []ballotbox.Question{
			{ID: "chair", Candidates: []string{"Ada", "Brahim", "Chloé", "Dmitri"}, Method: "schulze"},
			{ID: "runoff", Candidates: []string{"Yes", "No", "Later"}, Method: "irv", Optional: true, MaxRanks: 2},
			{ID: "score", Candidates: []string{"Bikes", "Trees", "Benches"}, Method: "score", Spec: voting.CardinalSpec{Kind: voting.Score, Min: 0, Max: 5}},
			{ID: "grades", Candidates: []string{"Pool", "Library"}, Method: "majority-judgment", Optional: true,
				Spec: voting.CardinalSpec{Kind: voting.Graded, Scale: voting.DefaultGrades()}},
			{ID: "share", Candidates: []string{"North", "South", "East"}, Method: "cumulative", Optional: true,
				Spec: voting.CardinalSpec{Kind: voting.Cumulative, Budget: 4}},
		},
		Opens:      time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC),
		Closes:     time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC),
		Revote:     ballotbox.RevoteLast,
		Visibility: ballotbox.VisibleLive,
	}
}

func tallyRandomRanking(r *rand.Rand, n, maxRanks int) voting.Ranking {
	perm := r.Perm(n)
	cut := 1 + r.IntN(n)
	if maxRanks > 0 {
		cut = min(cut, maxRanks)
	}
	var rk voting.Ranking
	for i, c := range perm[:cut] {
		if i > 0 && r.IntN(3) == 0 {
			rk[len(rk)-1] = append(rk[len(rk)-1], c)
			continue
		}
		rk = append(rk, []int{c})
	}
	return rk
}

// randomTallyBallot draws a valid ballot of tallyElection from few enough
// answers that some repeat.
func randomTallyBallot(r *rand.Rand) ballotbox.Ballot {
	b := ballotbox.Ballot{Answers: []ballotbox.Answer{
		{Question: "chair", Ranking: tallyRandomRanking(r, 4, 0)},
		{Question: "score", Scores: []int{r.IntN(6), r.IntN(6), r.IntN(3)}},
	}}
	if r.IntN(2) == 0 {
		b.Answers = append(b.Answers, ballotbox.Answer{Question: "runoff", Ranking: tallyRandomRanking(r, 3, 2)})
	}
	if r.IntN(3) > 0 {
		g := []int{r.IntN(6), r.IntN(6)}
		if r.IntN(5) == 0 {
			g[1] = voting.NoScore
		}
		b.Answers = append(b.Answers, ballotbox.Answer{Question: "grades", Scores: g})
	}
	if r.IntN(3) == 0 {
		a := r.IntN(5)
		c := r.IntN(5 - a)
		b.Answers = append(b.Answers, ballotbox.Answer{Question: "share", Scores: []int{a, c, r.IntN(5 - a - c)}})
	}
	r.Shuffle(len(b.Answers), func(i, j int) { b.Answers[i], b.Answers[j] = b.Answers[j], b.Answers[i] })
	return b
}

// equivalent returns a ballot that means the same as b: tied candidates
// in another order, fresh slices.
func tallyEquivalent(r *rand.Rand, b ballotbox.Ballot) ballotbox.Ballot {
	out := ballotbox.Ballot{}
	for _, a := range b.Answers {
		c := ballotbox.Answer{Question: a.Question, Scores: slices.Clone(a.Scores)}
		for _, g := range a.Ranking {
			g = slices.Clone(g)
			r.Shuffle(len(g), func(i, j int) { g[i], g[j] = g[j], g[i] })
			c.Ranking = append(c.Ranking, g)
		}
		out.Answers = append(out.Answers, c)
	}
	return out
}

type tallyCast struct {
	b ballotbox.Ballot
	p ballotbox.Part
}

// recount builds question q's profile from scratch, straight from the
// ballots, without a Tally.
func tallyRecount(t *testing.T, e *ballotbox.Election, reg *voting.Registry, live []tallyCast, q ballotbox.Question, keep func(ballotbox.Part) bool) voting.Input {
	t.Helper()
	m, err := reg.Lookup(q.Method)
	require.NoError(t, err)
	var in voting.Input
	if m.Ballots == voting.RankedBallots {
		in.Ranked, err = voting.NewProfile(q.Candidates, voting.UnrankedLast)
	} else {
		in.Cardinal, err = voting.NewCardinalProfile(q.Candidates, q.Spec)
	}
	require.NoError(t, err)
	for _, c := range live {
		if keep != nil && !keep(c.p) {
			continue
		}
		a, ok := c.b.Answer(q.ID)
		if !ok {
			continue
		}
		if in.Ranked != nil {
			require.NoError(t, in.Ranked.Add(a.Ranking, 1))
		} else {
			require.NoError(t, in.Cardinal.Add(a.Scores, 1))
		}
	}
	return in
}

// tallyVoters is the number of voters of a profile.
func tallyVoters(in voting.Input) int64 {
	if in.Ranked != nil {
		return in.Ranked.Voters()
	}
	return in.Cardinal.Voters()
}

// tallyCounts lists a profile's distinct ballots with their counts.
func tallyCounts(in voting.Input) map[string]int64 {
	out := map[string]int64{}
	if in.Ranked != nil {
		for r, n := range in.Ranked.Ballots() {
			rk := make(voting.Ranking, len(r))
			for i, g := range r {
				rk[i] = slices.Sorted(slices.Values(g))
			}
			out[fmt.Sprint(rk)] += n
		}
	} else {
		for s, n := range in.Cardinal.Ballots() {
			out[fmt.Sprint(s)] += n
		}
	}
	return out
}

// tallyAssertRecount checks that tally holds exactly the ballots of live, for
// every question, as a whole and for one part.
func tallyAssertRecount(t *testing.T, e *ballotbox.Election, reg *voting.Registry, tally *ballotbox.Tally, live []tallyCast, results bool) {
	t.Helper()
	partSet := map[ballotbox.Part]bool{}
	for _, c := range live {
		partSet[c.p] = true
	}
	wantParts := slices.SortedFunc(maps.Keys(partSet), func(a, b ballotbox.Part) int {
		if a.Channel != b.Channel {
			return map[bool]int{true: -1, false: 1}[a.Channel < b.Channel]
		}
		return map[bool]int{true: -1, false: 1}[a.Place < b.Place]
	})
	require.Equal(t, wantParts, tally.Parts(), "parts")
	paper := func(p ballotbox.Part) bool { return p.Channel == civickit.ChannelPaper }
	for _, q := range e.Questions {
		for _, keep := range []func(ballotbox.Part) bool{nil, paper} {
			got, err := tally.Input(q.ID, keep)
			require.NoError(t, err)
			want := tallyRecount(t, e, reg, live, q, keep)
			require.Equal(t, tallyVoters(want), tallyVoters(got), "question %s", q.ID)
			require.Equal(t, tallyCounts(want), tallyCounts(got), "question %s", q.ID)
			if results && keep == nil {
				m, _ := reg.Lookup(q.Method)
				wr, werr := m.Run(want, voting.Options{Variant: q.Variant, Params: q.Params})
				gr, gerr := tally.Result(q.ID, nil)
				require.Equal(t, werr, gerr)
				require.Equal(t, wr, gr, "question %s", q.ID)
			}
		}
	}
}

// A live tally fed with random adds, removals and merges per part always
// equals a recount from scratch.
func TestTallyLiveEqualsRecount(t *testing.T) {
	reg := voting.NewRegistry()
	e := tallyElection()
	require.NoError(t, e.Validate(reg))
	parts := []ballotbox.Part{{Channel: civickit.ChannelWeb}, {Channel: civickit.ChannelPaper, Place: "p1"},
		{Channel: civickit.ChannelPaper, Place: "p2"}, {Channel: civickit.ChannelKiosk, Place: "p1"}, {Channel: civickit.ChannelMediator}}
	for seed := range uint64(12) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 2026))
			tally := ballotbox.NewTally(e, reg)
			var live []tallyCast
			for step := range 400 {
				switch op := r.IntN(10); {
				case op < 5: // add one or a few, then scribble on the caller's slices
					b := randomTallyBallot(r)
					require.NoError(t, e.CheckBallot(reg, b))
					p := parts[r.IntN(len(parts))]
					k := int64(1 + r.IntN(2))
					keep := tallyEquivalent(r, b)
					require.NoError(t, tally.Add(b, p, k))
					for _, a := range b.Answers {
						for i := range a.Scores {
							a.Scores[i] = 99
						}
						for _, g := range a.Ranking {
							for i := range g {
								g[i] = 99
							}
						}
					}
					for range k {
						live = append(live, tallyCast{keep, p})
					}
				case op < 8 && len(live) > 0: // remove a counted ballot, given in an equivalent form
					i := r.IntN(len(live))
					require.NoError(t, tally.Add(tallyEquivalent(r, live[i].b), live[i].p, -1), "step %d", step)
					live = slices.Delete(live, i, i+1)
				case op < 9: // refused removals change nothing
					b := randomTallyBallot(r)
					p := ballotbox.Part{Channel: civickit.ChannelImport, Place: "nowhere"}
					if len(live) == 0 || r.IntN(3) == 0 { // a part without ballots
						assert.ErrorIs(t, tally.Add(b, p, -1), ballotbox.ErrConflict)
						break
					}
					c := live[r.IntN(len(live))]
					var n int64 // ballots counted in the part
					chairs := map[string]bool{}
					for _, d := range live {
						if d.p == c.p {
							n++
							a, _ := d.b.Answer("chair")
							chairs[string(e.Canonical(ballotbox.Ballot{Answers: []ballotbox.Answer{a}}))] = true
						}
					}
					assert.ErrorIs(t, tally.Add(c.b, c.p, -(n+1)), ballotbox.ErrConflict, "more ballots than the part holds")
					for range 20 { // an answer the part never received
						a := ballotbox.Answer{Question: "chair", Ranking: tallyRandomRanking(r, 4, 0)}
						if !chairs[string(e.Canonical(ballotbox.Ballot{Answers: []ballotbox.Answer{a}}))] {
							b := tallyEquivalent(r, c.b)
							for i := range b.Answers {
								if b.Answers[i].Question == "chair" {
									b.Answers[i] = a
								}
							}
							assert.ErrorIs(t, tally.Add(b, c.p, -1), ballotbox.ErrConflict, "an answer never counted")
							break
						}
					}
				default: // merge a tally counted elsewhere
					other := ballotbox.NewTally(e, reg)
					var sub []tallyCast
					for range r.IntN(8) {
						c := tallyCast{randomTallyBallot(r), parts[r.IntN(len(parts))]}
						require.NoError(t, other.Add(c.b, c.p, 1))
						sub = append(sub, c)
					}
					if len(sub) > 0 && r.IntN(2) == 0 {
						require.NoError(t, other.Add(sub[0].b, sub[0].p, -1))
						sub = sub[1:]
					}
					require.NoError(t, tally.Merge(other))
					live = append(live, sub...)
				}
				if step%25 == 0 {
					tallyAssertRecount(t, e, reg, tally, live, false)
				}
			}
			tallyAssertRecount(t, e, reg, tally, live, true)

			// Removing every ballot leaves an empty tally.
			for _, c := range live {
				require.NoError(t, tally.Add(c.b, c.p, -1))
			}
			assert.Empty(t, tally.Parts())
			tallyAssertRecount(t, e, reg, tally, nil, false)
		})
	}
}

// Merging the per-part tallies gives the tally of all ballots, in any
// order.
func TestTallyMergeOrder(t *testing.T) {
	reg := voting.NewRegistry()
	e := tallyElection()
	r := rand.New(rand.NewPCG(9, 9))
	all := ballotbox.NewTally(e, reg)
	byPart := map[ballotbox.Part]*ballotbox.Tally{}
	var live []tallyCast
	for range 300 {
		c := tallyCast{randomTallyBallot(r), verifyParts()[r.IntN(len(verifyParts()))]}
		require.NoError(t, all.Add(c.b, c.p, 1))
		if byPart[c.p] == nil {
			byPart[c.p] = ballotbox.NewTally(e, reg)
		}
		require.NoError(t, byPart[c.p].Add(c.b, c.p, 1))
		live = append(live, c)
	}
	for _, order := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {2, 0, 3, 1}} {
		merged := ballotbox.NewTally(e, reg)
		for _, i := range order {
			if pt := byPart[verifyParts()[i]]; pt != nil {
				require.NoError(t, merged.Merge(pt))
			}
		}
		tallyAssertRecount(t, e, reg, merged, live, true)
	}
	// A tally merged into itself counts every ballot twice.
	require.NoError(t, all.Merge(all))
	tallyAssertRecount(t, e, reg, all, append(slices.Clone(live), live...), false)
}

func TestTallyErrors(t *testing.T) {
	reg := voting.NewRegistry()
	e := tallyElection()
	tally := ballotbox.NewTally(e, reg)
	other := *e
	other.ID = uuid.MustParse("00000000-0000-4000-8000-000000000001")
	assert.ErrorIs(t, tally.Merge(ballotbox.NewTally(&other, reg)), ballotbox.ErrConflict)
	_, err := tally.Input("nope", nil)
	assert.ErrorIs(t, err, ballotbox.ErrNotFound)
	_, err = tally.Result("nope", nil)
	assert.ErrorIs(t, err, ballotbox.ErrNotFound)
	require.NoError(t, tally.Add(ballotbox.Ballot{}, ballotbox.Part{Channel: civickit.ChannelWeb}, 0))
	assert.Empty(t, tally.Parts(), "adding nothing makes no part")
	// A blank ballot (every optional question skipped) counts for no question.
	web := ballotbox.Part{Channel: civickit.ChannelWeb}
	require.NoError(t, tally.Add(ballotbox.Ballot{}, web, 1))
	assert.Empty(t, tally.Parts())
	require.NoError(t, tally.Add(ballotbox.Ballot{}, web, -1))
	b := randomTallyBallot(rand.New(rand.NewPCG(1, 1)))
	assert.ErrorIs(t, tally.Add(b, web, -1), ballotbox.ErrConflict, "a part without ballots")
	require.NoError(t, tally.Add(b, web, 2))
	assert.ErrorIs(t, tally.Add(b, web, -3), ballotbox.ErrConflict)
	in, err := tally.Input("chair", nil)
	require.NoError(t, err)
	assert.Equal(t, int64(2), in.Ranked.Voters(), "a refused removal changes nothing")

	// A ballot added one answer at a time (as from stored per-answer counts)
	// is removed whole.
	one := ballotbox.NewTally(e, reg)
	for _, a := range b.Answers {
		require.NoError(t, one.Add(ballotbox.Ballot{Answers: []ballotbox.Answer{a}}, web, 1))
	}
	require.NoError(t, one.Add(b, web, -1))
	assert.Empty(t, one.Parts())
}

func BenchmarkTallyAdd(b *testing.B) {
	reg := voting.NewRegistry()
	e := tallyElection()
	r := rand.New(rand.NewPCG(1, 2))
	ballots := make([]ballotbox.Ballot, 1024)
	for i := range ballots {
		ballots[i] = randomTallyBallot(r)
	}
	tally := ballotbox.NewTally(e, reg)
	p := ballotbox.Part{Channel: civickit.ChannelWeb}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := tally.Add(ballots[i%len(ballots)], p, 1); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTallyAddRemove(b *testing.B) {
	reg := voting.NewRegistry()
	e := tallyElection()
	r := rand.New(rand.NewPCG(1, 2))
	ballot := randomTallyBallot(r)
	tally := ballotbox.NewTally(e, reg)
	p := ballotbox.Part{Channel: civickit.ChannelWeb}
	require.NoError(b, tally.Add(randomTallyBallot(r), p, 1))
	b.ReportAllocs()
	for b.Loop() {
		if err := tally.Add(ballot, p, 1); err != nil {
			b.Fatal(err)
		}
		if err := tally.Add(ballot, p, -1); err != nil {
			b.Fatal(err)
		}
	}
}
