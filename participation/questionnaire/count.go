package questionnaire

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
)

// The grids, rankings and multiple choices of a questionnaire are
// ballots: package voting counts them, with the method the question
// names (Question.Method) or the default of its type, so that a
// consultation's grid and an election are counted by one implementation.

// DefaultMethod returns the voting method that counts questions of type
// t when they name none: "majority-judgment" for a majority-judgment
// grid, "score" for a score grid, "schulze" for a ranking and
// "approval" for a multiple choice; "" for the types no method counts.
func DefaultMethod(t QuestionType) string {
	switch t {
	case QuestionMajority:
		return "majority-judgment"
	case QuestionScore:
		return "score"
	case QuestionRanking:
		return "schulze"
	case QuestionMultipleChoice:
		return "approval"
	}
	return ""
}

// method returns the method in force for q.
func (q *Question) method() string {
	if q.Method != "" {
		return q.Method
	}
	return DefaultMethod(q.Type)
}

// cardinalKind is the kind of the ballots of a counted cardinal type.
func cardinalKind(t QuestionType) voting.CardinalKind {
	switch t {
	case QuestionMajority:
		return voting.Graded
	case QuestionScore:
		return voting.Score
	}
	return voting.Approval
}

// checkMethod adds a rule to ve when q names a method the registry does
// not hold, or one that counts other ballots than q's.
func checkMethod(reg *voting.Registry, path string, q *Question, ve *civickit.ValidationError) {
	if q.Method == "" || !q.Type.Counted() {
		return
	}
	m, err := reg.Lookup(q.Method)
	switch {
	case err != nil:
		ve.Add(path+".method", "method", q.Method)
	case q.Type == QuestionRanking && m.Ballots != voting.RankedBallots:
		ve.Add(path+".method", "ranked_method", q.Method)
	case q.Type != QuestionRanking && (m.Ballots != voting.CardinalBallots ||
		(len(m.Kinds) > 0 && !slices.Contains(m.Kinds, cardinalKind(q.Type)))):
		ve.Add(path+".method", "ballots_of", string(cardinalKind(q.Type)))
	}
}

// ballotBox gathers the ballots of one counted question.
type ballotBox struct {
	q        *Question
	method   voting.Method
	ranked   *voting.Profile
	cardinal *voting.CardinalProfile
	scores   []int // reused ballot
}

// newBallotBox returns the ballot box of q, or nil when no method counts
// q (or its method is unknown: the questionnaire was validated with
// another registry).
func newBallotBox(reg *voting.Registry, q *Question) (*ballotBox, error) {
	name := q.method()
	if name == "" {
		return nil, nil
	}
	m, err := reg.Lookup(name)
	if err != nil {
		return nil, nil
	}
	b := &ballotBox{q: q, method: m}
	ids := func(opts []Option) []string {
		out := make([]string, len(opts))
		for i, o := range opts {
			out[i] = o.ID
		}
		return out
	}
	switch q.Type {
	case QuestionRanking:
		b.ranked, err = voting.NewProfile(ids(q.Options), voting.UnrankedLast)
	case QuestionMultipleChoice:
		b.cardinal, err = voting.NewCardinalProfile(ids(q.Options), voting.CardinalSpec{Kind: voting.Approval})
	case QuestionMajority:
		scale := ids(q.Options) // best first; voting's scales are worst first
		slices.Reverse(scale)
		b.cardinal, err = voting.NewCardinalProfile(ids(q.Rows), voting.CardinalSpec{Kind: voting.Graded, Scale: scale})
	case QuestionScore:
		lo, hi := 0, 0
		if q.Min != nil && q.Max != nil {
			lo, hi = int(*q.Min), int(*q.Max)
		}
		b.cardinal, err = voting.NewCardinalProfile(ids(q.Rows), voting.CardinalSpec{Kind: voting.Score, Min: lo, Max: hi})
	}
	if err != nil {
		return nil, fmt.Errorf("question %s: %w", q.ID, err)
	}
	if b.cardinal != nil {
		b.scores = make([]int, b.cardinal.N())
	}
	return b, nil
}

// add records the ballot of answer a. Answers were checked when they
// were stored: a ballot voting refuses is a stored answer the
// questionnaire's rules would refuse, and an error.
func (b *ballotBox) add(a *Answer) error {
	q := b.q
	var err error
	switch q.Type {
	case QuestionRanking:
		r := make(voting.Ranking, 0, len(a.Choices))
		for _, c := range a.Choices {
			r = append(r, []int{optionIndex(q.Options, c)})
		}
		err = b.ranked.Add(r, 1)
	case QuestionMultipleChoice:
		clear(b.scores)
		for _, c := range a.Choices {
			if i := optionIndex(q.Options, c); i >= 0 {
				b.scores[i] = 1
			}
		}
		err = b.cardinal.Add(b.scores, 1)
	case QuestionMajority, QuestionScore:
		for i, row := range q.Rows {
			b.scores[i] = voting.NoScore
			cols := a.Matrix[row.ID]
			if len(cols) == 0 {
				continue
			}
			if q.Type == QuestionMajority {
				if g := optionIndex(q.Options, cols[0]); g >= 0 {
					b.scores[i] = len(q.Options) - 1 - g
				}
			} else if v, err := strconv.Atoi(cols[0]); err == nil {
				b.scores[i] = v
			}
		}
		err = b.cardinal.Add(b.scores, 1)
	}
	if err != nil {
		return fmt.Errorf("question %s: a stored answer is not a ballot: %w", q.ID, err)
	}
	return nil
}

// count runs the method, or returns nil when no ballot was cast.
func (b *ballotBox) count() (*voting.Result, error) {
	in := voting.Input{}
	switch {
	case b.ranked != nil:
		if b.ranked.Voters() == 0 {
			return nil, nil
		}
		in.Ranked = b.ranked
	default:
		if b.cardinal.Voters() == 0 {
			return nil, nil
		}
		in.Cardinal = b.cardinal
	}
	res, err := b.method.Run(in, voting.Options{})
	if err != nil {
		return nil, fmt.Errorf("question %s: counting with %s: %w", b.q.ID, b.method.Name, err)
	}
	return res, nil
}

// majorityGrades returns each graded candidate's majority grade (an
// option ID) from a majority-judgment outcome, whose Scores place each
// candidate at its majority grade (an index into the worst-first scale)
// plus or minus the deciding share of its gauge, which lies in (-1/2,
// 1/2]; a candidate nobody graded scores -1 and has none.
func majorityGrades(q *Question, res *voting.Result) map[string]string {
	if res == nil || res.Method != "majority-judgment" || len(res.Scores) != len(q.Rows) {
		return nil
	}
	out := make(map[string]string, len(q.Rows))
	for i, row := range q.Rows {
		s := res.Scores[i]
		if s < 0 {
			continue
		}
		g := int(math.Ceil(s - 0.5)) // worst first
		if g >= 0 && g < len(q.Options) {
			out[row.ID] = q.Options[len(q.Options)-1-g].ID
		}
	}
	return out
}
