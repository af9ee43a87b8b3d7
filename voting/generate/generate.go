// Package generate draws preference profiles from the statistical
// cultures of the social-choice literature (impartial culture, impartial
// anonymous culture, Mallows and its mixtures, the Pólya–Eggenberger urn,
// single-peaked, Euclidean, Plackett–Luce), with optional truncation and
// ties, and approval and score ballots derived from them.
//
// Generation is seeded and reproducible: the same Options give the same
// profile, from a math/rand/v2 PCG source of the seed (no global state).
// Ballots are streamed into the profile's compact set of distinct ballots,
// so memory grows with the distinct ballots, not with the voters.
package generate

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/internal/compact"
)

// Options describe a profile to draw.
type Options struct {
	// Candidates is the number of candidates m; Names names them (default
	// A, B, C, … up to 26 candidates, then C1, C2, …).
	Candidates int
	Names      []string
	// Voters is the number of ballots n.
	Voters int64
	// Seed makes the draw reproducible.
	Seed uint64
	// Culture draws each voter's strict ranking (IC when nil).
	Culture Culture
	// MinRanked and MaxRanked truncate: each ballot keeps the top k
	// candidates of its ranking, k uniform in [MinRanked, MaxRanked]
	// (both 0: complete ballots).
	MinRanked, MaxRanked int
	// Ties is the probability that a ranked candidate is tied with the one
	// ranked just above it (0: strict ballots).
	Ties float64
}

// MaxVoters is the most ballots one call draws.
const MaxVoters = voting.MaxVoters

// Names returns the default candidate names for m candidates.
func Names(m int) []string {
	out := make([]string, m)
	for i := range out {
		if m <= 26 {
			out[i] = string(rune('A' + i))
		} else {
			out[i] = fmt.Sprintf("C%d", i+1)
		}
	}
	return out
}

// draw is the state of one generation.
type draw struct {
	o     Options
	r     *rand.Rand
	s     sampler
	order []int
}

func (o Options) start() (*draw, error) {
	m := o.Candidates
	if m < 1 || m > voting.MaxCandidates {
		return nil, fmt.Errorf("%w: candidates %d: must be in [1, %d]", voting.ErrInvalidOption, m, voting.MaxCandidates)
	}
	if o.Names != nil && len(o.Names) != m {
		return nil, fmt.Errorf("%w: names: %d names for %d candidates", voting.ErrInvalidOption, len(o.Names), m)
	}
	if o.Voters < 0 || o.Voters > MaxVoters {
		return nil, fmt.Errorf("%w: voters %d: must be in [0, 2^53]", voting.ErrInvalidOption, o.Voters)
	}
	if o.MinRanked < 0 || o.MaxRanked < o.MinRanked || o.MaxRanked > m {
		return nil, fmt.Errorf("%w: min/max ranked %d/%d: need 0 <= min <= max <= candidates", voting.ErrInvalidOption, o.MinRanked, o.MaxRanked)
	}
	if !(o.Ties >= 0 && o.Ties <= 1) {
		return nil, fmt.Errorf("%w: ties %v: a probability must be in [0, 1]", voting.ErrInvalidOption, o.Ties)
	}
	c := o.Culture
	if c == nil {
		c = IC{}
	}
	// Two PCG words from the seed: reproducible, and seeds 0 and 1 differ.
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	s, err := c.sampler(m, r)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", voting.ErrInvalidOption, c.Name(), err)
	}
	return &draw{o: o, r: r, s: s, order: make([]int, m)}, nil
}

// ranked draws the next ballot as a canonical compact run into run.
func (d *draw) ranked(run []int16) []int16 {
	d.s.draw(d.order)
	k := len(d.order)
	if d.o.MaxRanked > 0 {
		k = d.o.MinRanked
		if d.o.MaxRanked > d.o.MinRanked {
			k += d.r.IntN(d.o.MaxRanked - d.o.MinRanked + 1)
		}
	}
	run = run[:0]
	tied := false
	for i, c := range d.order[:k] {
		if i > 0 && d.o.Ties > 0 && d.r.Float64() < d.o.Ties {
			run = append(run, ^int16(c))
			tied = true
		} else {
			run = append(run, int16(c))
		}
	}
	if tied {
		compact.Canonical(run)
	}
	return run
}

func (o Options) names() []string {
	if o.Names != nil {
		return o.Names
	}
	return Names(o.Candidates)
}

// Ranked draws a ranked profile (unranked candidates last, the policy of
// every file format's reader).
func Ranked(o Options) (*voting.Profile, error) {
	d, err := o.start()
	if err != nil {
		return nil, err
	}
	var set compact.Set
	if _, ok := o.Culture.(IC); ok && o.MaxRanked == 0 && o.Ties == 0 {
		// At most min(n, m!) distinct complete orders: sizing the set once
		// spares the copies of growing it, which made the peak heap (10^7
		// voters, 10 candidates: 3.4 M orders).
		if k := icDistinctBound(o.Candidates, o.Voters); k*int64(o.Candidates) <= compact.MaxEntries {
			set.Grow(int(k), int(k)*o.Candidates)
		}
	}
	run := make([]int16, 0, o.Candidates)
	for range o.Voters {
		run = d.ranked(run)
		if len(run) == 0 {
			set.AddVoters(1) // a blank ballot (MinRanked 0)
			continue
		}
		if _, ok := set.Add(run, 1, MaxVoters); !ok {
			return nil, fmt.Errorf("%w: more than %d ranked entries in all", voting.ErrTooLarge, compact.MaxEntries)
		}
	}
	return voting.NewCompactProfile(o.names(), voting.UnrankedLast, &set)
}

// icDistinctBound returns min(n, m!), the most distinct complete orders n
// impartial-culture voters can cast over m candidates.
func icDistinctBound(m int, n int64) int64 {
	f := int64(1)
	for i := 2; i <= m; i++ {
		if f > n/int64(i) {
			return n
		}
		f *= int64(i)
	}
	return min(f, n)
}

// Each draws the ballots one at a time, for a caller that writes them as
// they come instead of counting them; r is reused between calls. It stops
// when yield returns false.
func Each(o Options, yield func(r voting.Ranking) bool) error {
	d, err := o.start()
	if err != nil {
		return err
	}
	run := make([]int16, 0, o.Candidates)
	flat := make([]int, o.Candidates)
	rk := make(voting.Ranking, 0, o.Candidates)
	for range o.Voters {
		run = d.ranked(run)
		rk = rk[:0]
		for i := 0; i < len(run); {
			j := compact.GroupEnd(run, i)
			for k := i; k < j; k++ {
				flat[k] = compact.Cand(run[k])
			}
			rk = append(rk, flat[i:j:j])
			i = j
		}
		if !yield(rk) {
			return nil
		}
	}
	return nil
}

// Approval draws approval ballots: each voter approves the top k of a
// ranking drawn as by Ranked (without ties or truncation), k uniform in
// [MinApproved, MaxApproved] (the "top-k" approval variant of the ordinal
// cultures; Szufa et al. 2022 use it for approval elections).
func Approval(o Options, minApproved, maxApproved int) (*voting.CardinalProfile, error) {
	if minApproved < 0 || maxApproved < minApproved || maxApproved > o.Candidates {
		return nil, fmt.Errorf("%w: approved %d..%d: need 0 <= min <= max <= candidates", voting.ErrInvalidOption, minApproved, maxApproved)
	}
	o.MinRanked, o.MaxRanked, o.Ties = 0, 0, 0
	d, err := o.start()
	if err != nil {
		return nil, err
	}
	return d.cardinal(voting.CardinalSpec{Kind: voting.Approval}, func(run []int16) {
		k := minApproved
		if maxApproved > minApproved {
			k += d.r.IntN(maxApproved - minApproved + 1)
		}
		clear(run)
		for _, c := range d.order[:k] {
			run[c] = 1
		}
	})
}

// Scores draws score ballots on [0, max]: each voter gives the candidate
// at place i (0-based) of a ranking drawn as by Ranked the score
// round(max·(m-1-i)/(m-1)), a Borda-like spread of its ranking over the
// scale.
func Scores(o Options, max int) (*voting.CardinalProfile, error) {
	if max < 1 || max > math.MaxInt16 {
		return nil, fmt.Errorf("%w: max score %d: must be in [1, %d]", voting.ErrInvalidOption, max, math.MaxInt16)
	}
	o.MinRanked, o.MaxRanked, o.Ties = 0, 0, 0
	d, err := o.start()
	if err != nil {
		return nil, err
	}
	m := o.Candidates
	return d.cardinal(voting.CardinalSpec{Kind: voting.Score, Max: max}, func(run []int16) {
		for i, c := range d.order {
			if m == 1 {
				run[c] = int16(max)
				continue
			}
			run[c] = int16(math.Round(float64(max) * float64(m-1-i) / float64(m-1)))
		}
	})
}

// cardinal draws o.Voters ballots with fill (which reads d.order and
// writes one score per candidate), deduplicated in a compact set, and
// builds the profile from the distinct ballots.
func (d *draw) cardinal(spec voting.CardinalSpec, fill func(run []int16)) (*voting.CardinalProfile, error) {
	var set compact.Set
	run := make([]int16, d.o.Candidates)
	for range d.o.Voters {
		d.s.draw(d.order)
		fill(run)
		if _, ok := set.Add(run, 1, MaxVoters); !ok {
			return nil, fmt.Errorf("%w: more than %d entries in all", voting.ErrTooLarge, compact.MaxEntries)
		}
	}
	p, err := voting.NewCardinalProfile(d.o.names(), spec)
	if err != nil {
		return nil, err
	}
	scores := make([]int, d.o.Candidates)
	for i, count := range set.Counts {
		for c, v := range set.Ballot(i) {
			scores[c] = int(v)
		}
		if err := p.Add(scores, count); err != nil {
			return nil, err
		}
	}
	return p, nil
}
