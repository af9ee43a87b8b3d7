package voting

import (
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
)

// CardinalKind is the kind of a non-ranked ballot.
type CardinalKind string

const (
	Approval   CardinalKind = "approval"   // 0 or 1 per candidate
	Score      CardinalKind = "score"      // an integer in [Min, Max] per candidate
	Graded     CardinalKind = "graded"     // a grade index into Scale (worst first)
	Cumulative CardinalKind = "cumulative" // points >= 0 summing to at most Budget
	Quadratic  CardinalKind = "quadratic"  // votes whose squares sum to at most Budget credits
)

// NoScore marks a candidate the voter left blank. Methods treat it as
// their documented default (usually the lowest score or grade).
const NoScore = -1 << 31

// CardinalSpec describes a cardinal ballot: its kind and bounds.
type CardinalSpec struct {
	Kind   CardinalKind
	Min    int      // Score: lowest score (default 0)
	Max    int      // Score: highest score
	Scale  []string // Graded: grade names, worst first (e.g. "à rejeter" … "excellent")
	Budget int      // Cumulative: points per voter; Quadratic: credits per voter
}

// DefaultGrades is the usual majority-judgment scale, worst first.
func DefaultGrades() []string {
	return []string{"to reject", "poor", "fair", "good", "very good", "excellent"}
}

func (s CardinalSpec) validate() error {
	switch s.Kind {
	case Approval:
	case Score:
		if s.Max <= s.Min {
			return fmt.Errorf("%w: score range [%d, %d] is empty", ErrInvalidProfile, s.Min, s.Max)
		}
	case Graded:
		if len(s.Scale) < 2 {
			return fmt.Errorf("%w: a grade scale needs at least two grades", ErrInvalidProfile)
		}
	case Cumulative, Quadratic:
		if s.Budget <= 0 {
			return fmt.Errorf("%w: %s ballots need a positive budget", ErrInvalidProfile, s.Kind)
		}
	default:
		return fmt.Errorf("%w: unknown cardinal kind %q", ErrInvalidProfile, s.Kind)
	}
	return nil
}

// check validates one ballot against the spec.
func (s CardinalSpec) check(scores []int, n int) error {
	if len(scores) != n {
		return &BallotError{Rule: "length", Detail: fmt.Sprintf("%d scores for %d candidates", len(scores), n)}
	}
	var sum, squares int64
	for c, v := range scores {
		if v == NoScore {
			continue
		}
		lo, hi := 0, 0
		switch s.Kind {
		case Approval:
			lo, hi = 0, 1
		case Score:
			lo, hi = s.Min, s.Max
		case Graded:
			lo, hi = 0, len(s.Scale)-1
		case Cumulative:
			lo, hi = 0, s.Budget
		case Quadratic:
			lo, hi = -s.Budget, s.Budget
		}
		if v < lo || v > hi {
			return &BallotError{Rule: "range", Detail: fmt.Sprintf("candidate %d: %d outside [%d, %d]", c, v, lo, hi)}
		}
		sum += int64(v)
		squares += int64(v) * int64(v)
	}
	switch {
	case s.Kind == Cumulative && sum > int64(s.Budget):
		return &BallotError{Rule: "budget", Detail: fmt.Sprintf("%d points, budget %d", sum, s.Budget)}
	case s.Kind == Quadratic && squares > int64(s.Budget):
		return &BallotError{Rule: "budget", Detail: fmt.Sprintf("%d credits spent, budget %d", squares, s.Budget)}
	}
	return nil
}

// CardinalProfile holds cardinal ballots, each distinct ballot once.
type CardinalProfile struct {
	candidates []string
	spec       CardinalSpec
	ballots    [][]int
	counts     []int64
	index      map[string]int
	voters     int64
}

// NewCardinalProfile returns an empty profile of ballots of the given spec.
func NewCardinalProfile(candidates []string, spec CardinalSpec) (*CardinalProfile, error) {
	if err := checkCandidates(candidates); err != nil {
		return nil, err
	}
	if err := spec.validate(); err != nil {
		return nil, err
	}
	spec.Scale = slices.Clone(spec.Scale)
	return &CardinalProfile{candidates: slices.Clone(candidates), spec: spec, index: map[string]int{}}, nil
}

// Add records count voters casting scores (one entry per candidate,
// NoScore for blank). An invalid ballot is refused and nothing recorded.
func (p *CardinalProfile) Add(scores []int, count int64) error {
	if count < 1 {
		return &BallotError{Rule: "count", Detail: fmt.Sprint(count)}
	}
	if err := checkTotal(p.voters, count); err != nil {
		return err
	}
	if err := p.spec.check(scores, len(p.candidates)); err != nil {
		return err
	}
	var b strings.Builder
	for _, v := range scores {
		b.WriteString(strconv.Itoa(v))
		b.WriteByte(',')
	}
	key := b.String()
	if i, ok := p.index[key]; ok {
		p.counts[i] += count
	} else {
		p.index[key] = len(p.ballots)
		p.ballots = append(p.ballots, slices.Clone(scores))
		p.counts = append(p.counts, count)
	}
	p.voters += count
	return nil
}

// Merge adds every ballot of q; both must have the same candidates and spec.
func (p *CardinalProfile) Merge(q *CardinalProfile) error {
	if !slices.Equal(p.candidates, q.candidates) || p.spec.Kind != q.spec.Kind || p.spec.Min != q.spec.Min ||
		p.spec.Max != q.spec.Max || p.spec.Budget != q.spec.Budget || !slices.Equal(p.spec.Scale, q.spec.Scale) {
		return fmt.Errorf("%w: merging different cardinal profiles", ErrInvalidProfile)
	}
	for i, s := range q.ballots {
		if err := p.Add(s, q.counts[i]); err != nil {
			return err
		}
	}
	return nil
}

// Candidates returns the candidate names.
func (p *CardinalProfile) Candidates() []string { return slices.Clone(p.candidates) }

// N returns the number of candidates.
func (p *CardinalProfile) N() int { return len(p.candidates) }

// Spec returns the ballot spec.
func (p *CardinalProfile) Spec() CardinalSpec {
	s := p.spec
	s.Scale = slices.Clone(s.Scale)
	return s
}

// Voters returns the number of ballots cast.
func (p *CardinalProfile) Voters() int64 { return p.voters }

// Distinct returns the number of distinct ballots.
func (p *CardinalProfile) Distinct() int { return len(p.ballots) }

// Ballots yields each distinct ballot with its count; do not modify it.
func (p *CardinalProfile) Ballots() iter.Seq2[[]int, int64] {
	return func(yield func([]int, int64) bool) {
		for i, s := range p.ballots {
			if !yield(s, p.counts[i]) {
				return
			}
		}
	}
}

// Validate reports whether s describes a usable ballot (bounds, scale, budget).
func (s CardinalSpec) Validate() error { return s.validate() }

// Check validates one ballot of n candidates against s, as Add does, without
// recording it: callers that store ballots elsewhere (a ballot box) refuse
// a bad ballot before anything is written.
func (s CardinalSpec) Check(scores []int, n int) error { return s.check(scores, n) }
