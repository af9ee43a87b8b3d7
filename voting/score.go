package voting

import (
	"math"
	"slices"
)

// Helpers shared by the methods that end with one score per candidate.

// scoresEqual compares two scores. Whole numbers (counts of voters, which
// a profile keeps below MaxVoters = 2^53, where float64 holds every
// integer) compare exactly: a lead of one vote is a lead at any size.
// Other scores may carry rounding from averaged shares (1/3 + 1/3 + 1/3),
// so they compare within a relative 1e-9, but never more loosely than
// shareTolerance: shares that differ by a thousandth of a vote stay apart.
func scoresEqual(a, b float64) bool {
	if a == b {
		return true
	}
	if a == math.Trunc(a) && b == math.Trunc(b) {
		return false
	}
	tol := min(1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b))), shareTolerance)
	return math.Abs(a-b) <= tol
}

// shareTolerance bounds the rounding scoresEqual forgives between
// fractional scores; the sum of a million shares of a billion votes
// rounds by about 1e-4 at worst in practice.
const shareTolerance = 1e-3

// orderByScore groups candidates by descending score (equal scores tie),
// keeping candidate order within a group.
func orderByScore(cands []int, score func(int) float64) [][]int {
	s := slices.Clone(cands)
	slices.SortStableFunc(s, func(a, b int) int {
		sa, sb := score(a), score(b)
		switch {
		case scoresEqual(sa, sb):
			return 0
		case sa > sb:
			return -1
		}
		return 1
	})
	var out [][]int
	for i, c := range s {
		if i > 0 && scoresEqual(score(c), score(s[i-1])) {
			out[len(out)-1] = append(out[len(out)-1], c)
		} else {
			out = append(out, []int{c})
		}
	}
	return out
}

func allCandidates(n int) []int {
	c := make([]int, n)
	for i := range c {
		c[i] = i
	}
	return c
}

// scoreResult builds the result of a one-round score method: winners are
// the top scorers, the ranking is by score, and the tie policy picks the
// elected among tied winners.
func scoreResult(names []string, scores []float64, voters int64, tie TiePolicy) *Result {
	round := Round{Counts: slices.Clone(scores)}
	r := &Result{
		Candidates: slices.Clone(names),
		Scores:     slices.Clone(scores),
		Ranking:    orderByScore(allCandidates(len(names)), func(c int) float64 { return scores[c] }),
		Rounds:     []Round{round},
		Ballots:    voters,
	}
	r.Winners = slices.Clone(r.Ranking[0])
	r.elect(tie)
	return r
}

// elect sets Elected to one winner chosen by the tie policy when Winners
// holds several, recording the policy's name.
func (r *Result) elect(tie TiePolicy) {
	if len(r.Winners) <= 1 {
		r.Elected = slices.Clone(r.Winners)
		return
	}
	order, name := Resolve(tie, r.Winners, TieContext{Rounds: r.Rounds, Candidates: r.Candidates})
	r.Elected = order[:1]
	r.TieBreak = name
}
