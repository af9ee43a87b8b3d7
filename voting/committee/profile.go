package committee

import (
	"fmt"
	"slices"

	"github.com/civickit/civickit/voting"
)

// Profile holds approval ballots for a committee election: each distinct
// approval set once, with its weight (the number of voters who cast it).
type Profile struct {
	candidates []string
	ballots    [][]int // sorted candidate indices
	weights    []float64
	index      map[string]int
	voters     float64
	// cast lists the ballot and weight of each Add in order: greedy
	// Monroe assigns voters in the order they were cast.
	cast []castBallot
	// appr[c] lists the ballots approving c, kept by Add so that the
	// rules only read the profile (safe for concurrent counts).
	appr [][]int
}

type castBallot struct {
	ballot int
	weight float64
}

// NewProfile returns an empty profile over the named candidates.
func NewProfile(candidates []string) (*Profile, error) {
	seen := map[string]bool{}
	for _, c := range candidates {
		if seen[c] {
			return nil, fmt.Errorf("%w: candidate %q twice", voting.ErrInvalidProfile, c)
		}
		seen[c] = true
	}
	return &Profile{candidates: slices.Clone(candidates), index: map[string]int{}, appr: make([][]int, len(candidates))}, nil
}

// Add records weight voters approving the given candidates (indices).
func (p *Profile) Add(approved []int, weight float64) error {
	if !(weight > 0) || weight > 1<<53 {
		return &voting.BallotError{Rule: "count", Detail: fmt.Sprintf("weight %v not in (0, 2^53]", weight)}
	}
	s := slices.Clone(approved)
	slices.Sort(s)
	for i, c := range s {
		if c < 0 || c >= len(p.candidates) {
			return &voting.BallotError{Rule: "unknown_candidate", Detail: fmt.Sprintf("candidate %d of %d", c, len(p.candidates))}
		}
		if i > 0 && s[i-1] == c {
			return &voting.BallotError{Rule: "duplicate", Detail: fmt.Sprintf("candidate %d twice", c)}
		}
	}
	key := fmt.Sprint(s)
	i, ok := p.index[key]
	if ok {
		p.weights[i] += weight
	} else {
		i = len(p.ballots)
		for _, c := range s {
			p.appr[c] = append(p.appr[c], i)
		}
		p.index[key] = i
		p.ballots = append(p.ballots, s)
		p.weights = append(p.weights, weight)
	}
	p.cast = append(p.cast, castBallot{i, weight})
	p.voters += weight
	return nil
}

// FromCardinal reads approval ballots (or score ballots, a score > 0
// counting as approval) from a voting.CardinalProfile.
func FromCardinal(c *voting.CardinalProfile) (*Profile, error) {
	switch c.Spec().Kind {
	case voting.Approval, voting.Score, voting.Cumulative:
	default:
		return nil, fmt.Errorf("%w: committee rules count approval ballots, not %s", voting.ErrWrongBallots, c.Spec().Kind)
	}
	p, err := NewProfile(c.Candidates())
	if err != nil {
		return nil, err
	}
	for scores, n := range c.Ballots() {
		var approved []int
		for i, s := range scores {
			if s > 0 && s != voting.NoScore {
				approved = append(approved, i)
			}
		}
		if err := p.Add(approved, float64(n)); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Candidates returns the candidate names.
func (p *Profile) Candidates() []string { return slices.Clone(p.candidates) }

// N is the number of candidates.
func (p *Profile) N() int { return len(p.candidates) }

// Voters is the total weight of the ballots.
func (p *Profile) Voters() float64 { return p.voters }

// approvers returns, per candidate, the ballots approving it (shared:
// callers must not modify it).
func (p *Profile) approvers() [][]int { return p.appr }

// approvalScores returns each candidate's approval weight.
func (p *Profile) approvalScores() []float64 {
	out := make([]float64, len(p.candidates))
	for b, s := range p.ballots {
		for _, c := range s {
			out[c] += p.weights[b]
		}
	}
	return out
}
