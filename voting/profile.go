package voting

import (
	"fmt"
	"iter"
	"slices"

	"github.com/civickit/civickit/voting/internal/compact"
)

// Ranking is a ranked ballot: groups of candidate indices, best first;
// candidates in one group are tied. Candidates absent from every group are
// unranked (a truncated ballot). A choose-one ballot is Ranking{{c}}.
type Ranking [][]int

// Validate checks r against n candidates: indices in range, each at most
// once, no empty group.
func (r Ranking) Validate(n int) error {
	seen := make([]bool, n)
	for gi, g := range r {
		if len(g) == 0 {
			return &BallotError{Rule: "empty_group", Detail: fmt.Sprintf("rank %d", gi+1)}
		}
		for _, c := range g {
			if c < 0 || c >= n {
				return &BallotError{Rule: "unknown_candidate", Detail: fmt.Sprintf("index %d of %d", c, n)}
			}
			if seen[c] {
				return &BallotError{Rule: "duplicate", Detail: fmt.Sprintf("candidate %d ranked twice", c)}
			}
			seen[c] = true
		}
	}
	return nil
}

// Ranked returns how many candidates r ranks.
func (r Ranking) Ranked() int {
	n := 0
	for _, g := range r {
		n += len(g)
	}
	return n
}

// Strict reports whether r has no ties.
func (r Ranking) Strict() bool {
	for _, g := range r {
		if len(g) > 1 {
			return false
		}
	}
	return true
}

// Positions returns, for each of n candidates, the index of its group in r,
// or -1 when unranked.
func (r Ranking) Positions(n int) []int {
	pos := make([]int, n)
	for i := range pos {
		pos[i] = -1
	}
	for gi, g := range r {
		for _, c := range g {
			pos[c] = gi
		}
	}
	return pos
}

// appendRun appends r as a canonical run of compact entries (each group
// sorted; a candidate continuing a group stored as ^c).
func (r Ranking) appendRun(run []int16) []int16 {
	for _, g := range r {
		start := len(run)
		for _, c := range g {
			run = append(run, int16(c))
		}
		g := run[start:]
		if len(g) > 1 {
			slices.Sort(g)
			for k := 1; k < len(g); k++ {
				g[k] = ^g[k]
			}
		}
	}
	return run
}

// rankingOf decodes a run into a new Ranking sharing one backing array.
func rankingOf(run []int16) Ranking {
	flat := make([]int, len(run))
	groups := 0
	for i, v := range run {
		flat[i] = compact.Cand(v)
		if v >= 0 {
			groups++
		}
	}
	out := make(Ranking, 0, groups)
	for i := 0; i < len(run); {
		j := compact.GroupEnd(run, i)
		out = append(out, flat[i:j:j])
		i = j
	}
	return out
}

// UnrankedPolicy says how a ballot compares candidates it did not rank.
type UnrankedPolicy int

const (
	// UnrankedLast: unranked candidates are tied below every ranked one.
	UnrankedLast UnrankedPolicy = iota
	// UnrankedSkip: an unranked candidate is compared with no one on that
	// ballot.
	UnrankedSkip
)

func (p UnrankedPolicy) String() string {
	if p == UnrankedSkip {
		return "skip"
	}
	return "last"
}

// Profile holds ranked ballots, each distinct ranking once with its count.
// The rankings are kept in one flat array of candidate numbers (2 bytes
// per ranked candidate and 12 per distinct ballot), which the methods
// walk directly.
type Profile struct {
	candidates []string
	policy     UnrankedPolicy
	set        compact.Set
	voters     int64   // set.Total, cached for the methods
	run        []int16 // Add's buffer
	pairwise   *Matrix // computed on demand, dropped by Add
}

// NewProfile returns an empty profile over the named candidates.
func NewProfile(candidates []string, policy UnrankedPolicy) (*Profile, error) {
	if err := checkCandidates(candidates); err != nil {
		return nil, err
	}
	if len(candidates) > MaxCandidates {
		return nil, fmt.Errorf("%w: %d candidates, a ranked profile holds at most %d", ErrTooLarge, len(candidates), MaxCandidates)
	}
	return &Profile{
		candidates: slices.Clone(candidates),
		policy:     policy,
	}, nil
}

// NewCompactProfile returns the profile of the ballots of s, which it
// takes over: the readers of voting/formats build s as they read, each
// ballot checked against the candidates, so that a file's profile is made
// in one pass. s's runs must be canonical (compact.Canonical) and name
// candidates below len(candidates); its total at most MaxVoters.
func NewCompactProfile(candidates []string, policy UnrankedPolicy, s *compact.Set) (*Profile, error) {
	p, err := NewProfile(candidates, policy)
	if err != nil {
		return nil, err
	}
	if s.Total > MaxVoters || s.Total < 0 {
		return nil, fmt.Errorf("%w: %d voters", ErrTooLarge, s.Total)
	}
	p.set = *s
	*s = compact.Set{}
	p.set.DropIndex()
	p.voters = p.set.Total
	return p, nil
}

// MaxCandidates is the most candidates a ranked profile holds (its
// rankings are arrays of 16-bit numbers; a pairwise matrix of that size
// already takes 8 GB).
const MaxCandidates = compact.MaxCandidates

func checkCandidates(candidates []string) error {
	if len(candidates) == 0 {
		return fmt.Errorf("%w: no candidates", ErrInvalidProfile)
	}
	seen := make(map[string]bool, len(candidates))
	for i, c := range candidates {
		if c == "" {
			return fmt.Errorf("%w: candidate %d has no name", ErrInvalidProfile, i)
		}
		if seen[c] {
			return fmt.Errorf("%w: candidate %q named twice", ErrInvalidProfile, c)
		}
		seen[c] = true
	}
	return nil
}

// MaxVoters is the most voters a profile (ranked or cardinal) holds: up
// to 2^53 every count is exact in the float64 tallies of the score
// methods, and the int64 sums over pairs of candidates (Kemeny–Young,
// Borda from margins) cannot overflow. Larger totals are refused with
// ErrTooLarge.
const MaxVoters = 1 << 53

// checkTotal refuses count more voters on top of have when the sum would
// pass MaxVoters.
func checkTotal(have, count int64) error {
	if count > MaxVoters-have {
		return fmt.Errorf("%w: %d more voters on top of %d pass the limit of %d (2^53) voters a profile counts exactly", ErrTooLarge, count, have, int64(MaxVoters))
	}
	return nil
}

// Add records count voters casting r. An invalid ranking, a count below
// 1 or a total past MaxVoters is refused and nothing is recorded.
func (p *Profile) Add(r Ranking, count int64) error {
	if count < 1 {
		return &BallotError{Rule: "count", Detail: fmt.Sprint(count)}
	}
	if err := checkTotal(p.voters, count); err != nil {
		return err
	}
	if err := r.Validate(len(p.candidates)); err != nil {
		return err
	}
	p.run = r.appendRun(p.run[:0])
	if _, ok := p.set.Add(p.run, count, MaxVoters); !ok {
		return fmt.Errorf("%w: more than %d ranked candidates in all", ErrTooLarge, compact.MaxEntries)
	}
	p.pairwise = nil
	p.voters = p.set.Total
	return nil
}

// Merge adds every ballot of q (for example the paper channel to the web
// one). The two profiles must have the same candidates in the same order
// and the same unranked policy.
func (p *Profile) Merge(q *Profile) error {
	if !slices.Equal(p.candidates, q.candidates) {
		return fmt.Errorf("%w: merging profiles with different candidates", ErrInvalidProfile)
	}
	if p.policy != q.policy {
		return fmt.Errorf("%w: merging profiles with different unranked policies", ErrInvalidProfile)
	}
	if err := checkTotal(p.voters, sumCounts(q.set.Counts)); err != nil {
		return err
	}
	for i, count := range q.set.Counts {
		if _, ok := p.set.Add(q.set.Ballot(i), count, MaxVoters); !ok {
			return fmt.Errorf("%w: more than %d ranked candidates in all", ErrTooLarge, compact.MaxEntries)
		}
	}
	p.pairwise = nil
	p.voters = p.set.Total
	return nil
}

func sumCounts(c []int64) int64 {
	var s int64
	for _, v := range c {
		s += v
	}
	return s
}

// Candidates returns the candidate names; index i names candidate i.
func (p *Profile) Candidates() []string { return slices.Clone(p.candidates) }

// N returns the number of candidates.
func (p *Profile) N() int { return len(p.candidates) }

// Policy returns the unranked policy.
func (p *Profile) Policy() UnrankedPolicy { return p.policy }

// Voters returns the number of ballots cast.
func (p *Profile) Voters() int64 { return p.voters }

// Distinct returns the number of distinct rankings.
func (p *Profile) Distinct() int { return p.set.Len() }

// Ballots yields each distinct ranking with its count, in first-seen order,
// each group's candidates in increasing order. Each ranking is made for
// the caller, from the flat array the profile keeps.
func (p *Profile) Ballots() iter.Seq2[Ranking, int64] {
	return func(yield func(Ranking, int64) bool) {
		for i, count := range p.set.Counts {
			if !yield(rankingOf(p.set.Ballot(i)), count) {
				return
			}
		}
	}
}

// rankings returns every distinct ballot as a Ranking, for the methods
// that count small profiles (the exact ones) and read rankings whole.
func (p *Profile) rankings() []Ranking {
	out := make([]Ranking, p.set.Len())
	for i := range out {
		out[i] = rankingOf(p.set.Ballot(i))
	}
	return out
}

// Restrict returns the profile of the same ballots over the candidates
// kept (indices into p), renumbered in that order: removed candidates
// vanish from each ranking and empty groups close up. Elimination methods
// and tournament solutions use it.
func (p *Profile) Restrict(keep []int) (*Profile, error) {
	names := make([]string, len(keep))
	newIndex := make([]int, len(p.candidates))
	for i := range newIndex {
		newIndex[i] = -1
	}
	for i, c := range keep {
		if c < 0 || c >= len(p.candidates) || newIndex[c] >= 0 {
			return nil, fmt.Errorf("%w: bad candidate set %v", ErrInvalidProfile, keep)
		}
		newIndex[c] = i
		names[i] = p.candidates[c]
	}
	q, err := NewProfile(names, p.policy)
	if err != nil {
		return nil, err
	}
	q.set.Grow(p.set.Len(), len(p.set.Cands))
	run := make([]int16, 0, len(keep))
	for i, count := range p.set.Counts {
		run = run[:0]
		open := false // the last group kept in run is still open
		for _, v := range p.set.Ballot(i) {
			if v >= 0 {
				open = false
			}
			c := newIndex[compact.Cand(v)]
			if c < 0 {
				continue
			}
			if open {
				run = append(run, ^int16(c))
			} else {
				run = append(run, int16(c))
				open = true
			}
		}
		if len(run) == 0 {
			// An emptied ballot still counts as a voter who expressed
			// nothing among the remaining candidates.
			q.set.AddVoters(count)
			continue
		}
		compact.Canonical(run)
		if _, ok := q.set.Add(run, count, MaxVoters); !ok {
			return nil, fmt.Errorf("%w: restricting the profile", ErrTooLarge)
		}
	}
	q.voters = q.set.Total
	return q, nil
}
