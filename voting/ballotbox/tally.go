package ballotbox

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
)

// Part is where ballots were cast: a channel and a polling place or access
// point ("" for none). A Tally keeps each part apart so that results can
// be read per channel and per place and merged.
type Part struct {
	Channel civickit.Channel `json:"channel"`
	Place   string           `json:"place,omitempty"`
}

// Tally counts accepted ballots as mergeable profiles: for each part and
// question, how many voters gave each distinct answer. Adding a ballot
// and removing one (a revote, a recount correction) are exact, so a Tally
// kept live always equals a recount of the counted ballots. Memory grows
// with the distinct answers per part, not with voters. A Tally is not safe
// for concurrent use.
type Tally struct {
	e     *Election
	reg   *voting.Registry
	parts map[Part]*partCount
}

// partCount is one part's count: per question index, the distinct answers
// by key.
type partCount struct {
	qs      []map[string]*answerCount
	answers int64 // the sum of the counts: 0 when the part is empty
}

type answerCount struct {
	a Answer // canonical, owned by the tally
	n int64
}

// NewTally returns an empty tally for e, counting with reg's methods.
func NewTally(e *Election, reg *voting.Registry) *Tally {
	return &Tally{e: e, reg: reg, parts: map[Part]*partCount{}}
}

func (t *Tally) newPart() *partCount {
	pc := &partCount{qs: make([]map[string]*answerCount, len(t.e.Questions))}
	for i := range pc.qs {
		pc.qs[i] = map[string]*answerCount{}
	}
	return pc
}

// Add records delta voters (negative to remove) casting b in part p. The
// ballot must already have passed CheckBallot; answers to questions the
// election does not have are ignored, and a blank ballot changes nothing.
// Counts are kept per question, so a ballot of several answers may also be
// added one answer at a time. Removing an answer that was not counted in
// p, or more of it than was, is refused with ErrConflict and changes
// nothing.
func (t *Tally) Add(b Ballot, p Part, delta int64) error {
	if delta == 0 {
		return nil
	}
	pc := t.parts[p]
	type change struct {
		qi         int
		start, end int // the answer's key in keys
		a          Answer
	}
	var cbuf [8]change
	var kbuf [256]byte
	changes, keys := cbuf[:0], kbuf[:0]
	for qi, q := range t.e.Questions {
		a, ok := b.Answer(q.ID)
		if !ok {
			continue
		}
		start := len(keys)
		keys = appendAnswerKey(keys, a)
		if delta < 0 {
			if pc == nil {
				return fmt.Errorf("%w: removing a ballot from part %s/%s, which holds none", ErrConflict, p.Channel, p.Place)
			}
			if c := pc.qs[qi][string(keys[start:])]; c == nil || c.n+delta < 0 {
				return fmt.Errorf("%w: removing %d of answer %s to %s, counted %d", ErrConflict, -delta, string(keys[start:]), q.ID, countOf(c))
			}
		}
		changes = append(changes, change{qi, start, len(keys), a})
	}
	if len(changes) == 0 {
		return nil // a blank ballot: no question to count
	}
	if pc == nil {
		pc = t.newPart()
		t.parts[p] = pc
	}
	for _, ch := range changes {
		m, k := pc.qs[ch.qi], keys[ch.start:ch.end]
		c := m[string(k)]
		if c == nil {
			c = &answerCount{a: ownedAnswer(ch.a)}
			m[string(k)] = c
		}
		c.n += delta
		pc.answers += delta
		if c.n == 0 {
			delete(m, string(k))
		}
	}
	if pc.answers == 0 {
		delete(t.parts, p)
	}
	return nil
}

func countOf(c *answerCount) int64 {
	if c == nil {
		return 0
	}
	return c.n
}

// appendAnswerKey appends the key of an answer, which identifies it by its
// meaning: tied candidates in any order give the same key.
func appendAnswerKey(buf []byte, a Answer) []byte {
	if a.Ranking != nil {
		buf = append(buf, 'r')
		var gbuf [16]int
		for i, group := range a.Ranking {
			if i > 0 {
				buf = append(buf, '>')
			}
			g := group
			if !slices.IsSorted(g) {
				g = append(gbuf[:0], group...)
				slices.Sort(g)
			}
			for j, c := range g {
				if j > 0 {
					buf = append(buf, '=')
				}
				buf = strconv.AppendInt(buf, int64(c), 10)
			}
		}
	}
	if a.Scores != nil {
		buf = append(buf, 's')
		for i, v := range a.Scores {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = strconv.AppendInt(buf, int64(v), 10)
		}
	}
	return buf
}

// ownedAnswer copies a, tied candidates sorted, so that the caller's
// slices can be reused.
func ownedAnswer(a Answer) Answer {
	c := Answer{Question: a.Question, Scores: slices.Clone(a.Scores)}
	if a.Ranking != nil {
		c.Ranking = make(voting.Ranking, len(a.Ranking))
		for i, g := range a.Ranking {
			c.Ranking[i] = slices.Sorted(slices.Values(g))
		}
	}
	return c
}

// Merge adds every count of o (a tally of the same election) into t.
func (t *Tally) Merge(o *Tally) error {
	if o.e.ID != t.e.ID || len(o.e.Questions) != len(t.e.Questions) {
		return fmt.Errorf("%w: merging tallies of different elections", ErrConflict)
	}
	for p, opc := range o.parts {
		pc := t.parts[p]
		if pc == nil {
			pc = t.newPart()
			t.parts[p] = pc
		}
		pc.answers += opc.answers
		for qi := range opc.qs {
			for k, c := range opc.qs[qi] {
				if tc := pc.qs[qi][k]; tc != nil {
					tc.n += c.n
				} else {
					pc.qs[qi][k] = &answerCount{a: c.a, n: c.n}
				}
			}
		}
	}
	return nil
}

// Parts lists the parts that hold answers, sorted.
func (t *Tally) Parts() []Part {
	ps := slices.Collect(maps.Keys(t.parts))
	slices.SortFunc(ps, func(a, b Part) int {
		return cmp.Or(cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.Place, b.Place))
	})
	return ps
}

// Input builds the profile of question id over the parts keep accepts
// (every part when keep is nil), ready for the question's method.
func (t *Tally) Input(id string, keep func(Part) bool) (voting.Input, error) {
	qi := slices.IndexFunc(t.e.Questions, func(q Question) bool { return q.ID == id })
	if qi < 0 {
		return voting.Input{}, fmt.Errorf("%w: question %q", ErrNotFound, id)
	}
	q := &t.e.Questions[qi]
	kind, err := q.ballots(t.reg)
	if err != nil {
		return voting.Input{}, err
	}
	merged := map[string]*answerCount{}
	for _, p := range t.Parts() {
		if keep != nil && !keep(p) {
			continue
		}
		for k, c := range t.parts[p].qs[qi] {
			if m := merged[k]; m != nil {
				m.n += c.n
			} else {
				merged[k] = &answerCount{a: c.a, n: c.n}
			}
		}
	}
	keys := slices.Sorted(maps.Keys(merged))
	switch kind {
	case voting.RankedBallots:
		prof, err := voting.NewProfile(q.Candidates, voting.UnrankedLast)
		if err != nil {
			return voting.Input{}, err
		}
		for _, k := range keys {
			if err := prof.Add(merged[k].a.Ranking, merged[k].n); err != nil {
				return voting.Input{}, err
			}
		}
		return voting.Input{Ranked: prof}, nil
	default:
		prof, err := voting.NewCardinalProfile(q.Candidates, q.Spec)
		if err != nil {
			return voting.Input{}, err
		}
		for _, k := range keys {
			if err := prof.Add(merged[k].a.Scores, merged[k].n); err != nil {
				return voting.Input{}, err
			}
		}
		return voting.Input{Cardinal: prof}, nil
	}
}

// Result counts question id over the parts keep accepts with the
// question's method, variant and parameters.
func (t *Tally) Result(id string, keep func(Part) bool) (*voting.Result, error) {
	q, ok := t.e.Question(id)
	if !ok {
		return nil, fmt.Errorf("%w: question %q", ErrNotFound, id)
	}
	m, err := t.reg.Lookup(q.Method)
	if err != nil {
		return nil, err
	}
	in, err := t.Input(id, keep)
	if err != nil {
		return nil, err
	}
	return m.Run(in, voting.Options{Variant: q.Variant, Params: q.Params})
}
