package voting

import (
	"fmt"
	"iter"
	"slices"
	"strconv"
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

// canonical returns a copy of r with each group sorted, and its map key.
// The copy shares one backing array, and the key is built without fmt:
// files of a million distinct ballots call this once per ballot.
func (r Ranking) canonical() (Ranking, string) {
	flat := make([]int, 0, r.Ranked())
	out := make(Ranking, len(r))
	key := make([]byte, 0, 4*cap(flat)+len(r))
	for i, g := range r {
		start := len(flat)
		flat = append(flat, g...)
		sorted := flat[start:len(flat):len(flat)]
		slices.Sort(sorted)
		out[i] = sorted
		for j, c := range sorted {
			if j > 0 {
				key = append(key, '=')
			}
			key = strconv.AppendInt(key, int64(c), 10)
		}
		key = append(key, '>')
	}
	return out, string(key)
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
type Profile struct {
	candidates []string
	policy     UnrankedPolicy
	ballots    []Ranking
	counts     []int64
	index      map[string]int
	voters     int64
	pairwise   *Matrix // computed on demand, dropped by Add
}

// NewProfile returns an empty profile over the named candidates.
func NewProfile(candidates []string, policy UnrankedPolicy) (*Profile, error) {
	if err := checkCandidates(candidates); err != nil {
		return nil, err
	}
	return &Profile{
		candidates: slices.Clone(candidates),
		policy:     policy,
		index:      map[string]int{},
	}, nil
}

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
	c, key := r.canonical()
	p.pairwise = nil
	if i, ok := p.index[key]; ok {
		p.counts[i] += count
	} else {
		p.index[key] = len(p.ballots)
		p.ballots = append(p.ballots, c)
		p.counts = append(p.counts, count)
	}
	p.voters += count
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
	for i, r := range q.ballots {
		if err := p.Add(r, q.counts[i]); err != nil {
			return err
		}
	}
	return nil
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
func (p *Profile) Distinct() int { return len(p.ballots) }

// Ballots yields each distinct ranking with its count, in first-seen order.
// The rankings must not be modified.
func (p *Profile) Ballots() iter.Seq2[Ranking, int64] {
	return func(yield func(Ranking, int64) bool) {
		for i, r := range p.ballots {
			if !yield(r, p.counts[i]) {
				return
			}
		}
	}
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
	for i, r := range p.ballots {
		var nr Ranking
		for _, g := range r {
			var ng []int
			for _, c := range g {
				if newIndex[c] >= 0 {
					ng = append(ng, newIndex[c])
				}
			}
			if len(ng) > 0 {
				nr = append(nr, ng)
			}
		}
		if len(nr) == 0 {
			// An emptied ballot still counts as a voter who expressed
			// nothing among the remaining candidates.
			q.voters += p.counts[i]
			continue
		}
		if err := q.Add(nr, p.counts[i]); err != nil {
			return nil, err
		}
	}
	return q, nil
}
