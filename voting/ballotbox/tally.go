package ballotbox

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/civickit/civickit/voting"
)

// Part is where ballots were cast: a channel and a polling place or access
// point ("" for none). A Tally keeps each part apart so that results can
// be read per channel and per place and merged.
type Part struct {
	Channel Channel `json:"channel"`
	Place   string  `json:"place,omitempty"`
}

// Tally counts accepted ballots as mergeable profiles: for each part and
// question, how many voters gave each distinct answer. Adding a ballot
// and removing one (a revote, a recount correction) are exact, so a Tally
// kept live always equals a recount of the counted ballots.
type Tally struct {
	e     *Election
	reg   *voting.Registry
	parts map[Part][]map[string]*answerCount // per question index
}

type answerCount struct {
	a Answer
	n int64
}

// NewTally returns an empty tally for e, counting with reg's methods.
func NewTally(e *Election, reg *voting.Registry) *Tally {
	return &Tally{e: e, reg: reg, parts: map[Part][]map[string]*answerCount{}}
}

// Add records delta voters (negative to remove) casting b in part p. The
// ballot must already have passed CheckBallot. Removing more than was
// added is refused and changes nothing.
func (t *Tally) Add(b Ballot, p Part, delta int64) error {
	qs := t.parts[p]
	if qs == nil {
		qs = make([]map[string]*answerCount, len(t.e.Questions))
		for i := range qs {
			qs[i] = map[string]*answerCount{}
		}
	}
	type change struct {
		qi  int
		key string
		a   Answer
	}
	var changes []change
	for qi, q := range t.e.Questions {
		a, ok := b.Answer(q.ID)
		if !ok {
			continue
		}
		key := string(t.e.Canonical(Ballot{Answers: []Answer{a}}))
		if c := qs[qi][key]; delta < 0 && (c == nil || c.n+delta < 0) {
			return fmt.Errorf("%w: removing %d of answer %s to %s, counted %d", ErrConflict, -delta, key, q.ID, countOf(c))
		}
		changes = append(changes, change{qi, key, a})
	}
	for _, ch := range changes {
		c := qs[ch.qi][ch.key]
		if c == nil {
			c = &answerCount{a: ch.a}
			qs[ch.qi][ch.key] = c
		}
		c.n += delta
		if c.n == 0 {
			delete(qs[ch.qi], ch.key)
		}
	}
	t.parts[p] = qs
	return nil
}

func countOf(c *answerCount) int64 {
	if c == nil {
		return 0
	}
	return c.n
}

// Merge adds every count of o (a tally of the same election) into t.
func (t *Tally) Merge(o *Tally) error {
	if o.e.ID != t.e.ID || len(o.e.Questions) != len(t.e.Questions) {
		return fmt.Errorf("%w: merging tallies of different elections", ErrConflict)
	}
	for p, qs := range o.parts {
		for qi := range qs {
			for _, c := range qs[qi] {
				b := Ballot{Answers: []Answer{c.a}}
				if err := t.Add(b, p, c.n); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Parts lists the parts that hold ballots, sorted.
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
		for k, c := range t.parts[p][qi] {
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
