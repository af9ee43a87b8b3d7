package ballotbox

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/civickit/civickit/voting"
)

// Ballot is one voter's answers, at most one per question.
type Ballot struct {
	Answers []Answer `json:"answers"`
}

// Answer is a ballot's choice on one question: a Ranking for a ranked
// method, Scores (one per candidate, voting.NoScore for blank) for a
// cardinal one. A missing answer leaves an optional question blank.
type Answer struct {
	Question string         `json:"question"`
	Ranking  voting.Ranking `json:"ranking,omitempty"`
	Scores   []int          `json:"scores,omitempty"`
}

// Answer returns the answer to question id.
func (b Ballot) Answer(id string) (Answer, bool) {
	for _, a := range b.Answers {
		if a.Question == id {
			return a, true
		}
	}
	return Answer{}, false
}

// CheckBallot validates b against e's questions and methods in reg: every
// mandatory question answered once, no unknown question, each answer valid
// for its method (no duplicate rank, scores within range and budget).
func (e *Election) CheckBallot(reg *voting.Registry, b Ballot) error {
	seen := map[string]bool{}
	for _, a := range b.Answers {
		q, ok := e.Question(a.Question)
		if !ok {
			return &BallotError{Question: a.Question, Rule: "unknown_question"}
		}
		if seen[a.Question] {
			return &BallotError{Question: a.Question, Rule: "duplicate_answer"}
		}
		seen[a.Question] = true
		if err := q.check(reg, a); err != nil {
			return err
		}
	}
	for _, q := range e.Questions {
		if !q.Optional && !seen[q.ID] {
			return &BallotError{Question: q.ID, Rule: "missing"}
		}
	}
	return nil
}

// ballots returns the kind of answer q's method counts.
func (q *Question) ballots(reg *voting.Registry) (voting.Ballots, error) {
	m, err := reg.Lookup(q.Method)
	if err != nil {
		return "", err
	}
	return m.Ballots, nil
}

func (q *Question) check(reg *voting.Registry, a Answer) error {
	kind, err := q.ballots(reg)
	if err != nil {
		return &BallotError{Question: q.ID, Rule: "unknown_method", Detail: q.Method}
	}
	n := len(q.Candidates)
	switch kind {
	case voting.RankedBallots:
		if a.Scores != nil {
			return &BallotError{Question: q.ID, Rule: "kind", Detail: "scores given to a ranked question"}
		}
		if len(a.Ranking) == 0 {
			return &BallotError{Question: q.ID, Rule: "empty", Detail: "no candidate ranked"}
		}
		if err := a.Ranking.Validate(n); err != nil {
			return ballotErr(q.ID, err)
		}
		if q.MaxRanks > 0 && a.Ranking.Ranked() > q.MaxRanks {
			return &BallotError{Question: q.ID, Rule: "ranks", Detail: fmt.Sprintf("%d ranked, at most %d", a.Ranking.Ranked(), q.MaxRanks)}
		}
	case voting.CardinalBallots:
		if a.Ranking != nil {
			return &BallotError{Question: q.ID, Rule: "kind", Detail: "a ranking given to a cardinal question"}
		}
		if err := q.Spec.Check(a.Scores, n); err != nil {
			return ballotErr(q.ID, err)
		}
	}
	return nil
}

func ballotErr(question string, err error) error {
	if be, ok := err.(*voting.BallotError); ok {
		return &BallotError{Question: question, Rule: be.Rule, Detail: be.Detail}
	}
	return &BallotError{Question: question, Rule: "invalid", Detail: err.Error()}
}

// Canonical returns the ballot's canonical encoding: answers in question
// order of e, tied candidates sorted within their rank. Two ballots that
// mean the same encode to the same bytes; the board and idempotency checks
// compare these bytes.
func (e *Election) Canonical(b Ballot) []byte {
	out := Ballot{Answers: make([]Answer, 0, len(b.Answers))}
	for _, q := range e.Questions {
		a, ok := b.Answer(q.ID)
		if !ok {
			continue
		}
		c := Answer{Question: a.Question, Scores: slices.Clone(a.Scores)}
		if a.Ranking != nil {
			c.Ranking = make(voting.Ranking, len(a.Ranking))
			for i, g := range a.Ranking {
				c.Ranking[i] = slices.Sorted(slices.Values(g))
			}
		}
		out.Answers = append(out.Answers, c)
	}
	buf, err := json.Marshal(out)
	if err != nil { // only ints and strings: cannot happen
		panic(err)
	}
	return buf
}

// ParseBallot decodes a canonical (or any JSON) ballot encoding.
func ParseBallot(data []byte) (Ballot, error) {
	var b Ballot
	if err := json.Unmarshal(data, &b); err != nil {
		return Ballot{}, &BallotError{Rule: "encoding", Detail: err.Error()}
	}
	return b, nil
}
