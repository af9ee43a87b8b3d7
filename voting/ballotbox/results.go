package ballotbox

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
	"github.com/google/uuid"
)

// visible applies the election's results visibility at the present time:
// after the close anyone may read; before, only under VisibleLive, or
// under VisibleAfterVote a viewer who has voted. ErrHidden otherwise.
func (s *Service) visible(ctx context.Context, e *Election, viewer *Voter) error {
	if e.Closed(s.now()) || e.Visibility == VisibleLive {
		return nil
	}
	if e.Visibility == VisibleAfterVote && viewer != nil && civickit.NormalizeIdentifier(viewer.ID) != "" {
		key, err := s.VoterKey(ctx, e.ID, viewer.ID)
		if err != nil {
			return err
		}
		voted, err := s.store.HasVoted(ctx, e.ID, key)
		if err != nil {
			return err
		}
		if voted {
			return nil
		}
	}
	return fmt.Errorf("%w: %s results before the close", ErrHidden, e.Visibility)
}

// LiveTally returns the tally kept at each accepted ballot, per part,
// read from the store's counts. viewer is who asks (nil: the public);
// the election's visibility applies (ErrHidden).
func (s *Service) LiveTally(ctx context.Context, electionID uuid.UUID, viewer *Voter) (*Tally, error) {
	e, err := s.store.GetElection(ctx, electionID)
	if err != nil {
		return nil, err
	}
	if err := s.visible(ctx, e, viewer); err != nil {
		return nil, err
	}
	if err := s.settle(ctx, e); err != nil {
		return nil, err
	}
	return s.liveTally(ctx, e)
}

func (s *Service) liveTally(ctx context.Context, e *Election) (*Tally, error) {
	t := NewTally(e, s.reg)
	for c, err := range s.counts(ctx, e.ID) {
		if err != nil {
			return nil, err
		}
		var a Answer
		if err := json.Unmarshal(c.Answer, &a); err != nil {
			return nil, fmt.Errorf("ballotbox: stored count of %s: %w", c.Question, err)
		}
		if a.Question != c.Question {
			return nil, fmt.Errorf("ballotbox: stored count of %s holds an answer to %s", c.Question, a.Question)
		}
		if err := t.Add(Ballot{Answers: []Answer{a}}, c.Part, c.N); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// counts yields every live count of an election, page by page.
func (s *Service) counts(ctx context.Context, electionID uuid.UUID) iter.Seq2[Count, error] {
	return func(yield func(Count, error) bool) {
		after := ""
		for {
			p, err := s.store.ListCounts(ctx, electionID, after, civickit.MaxLimit)
			if err != nil {
				yield(Count{}, err)
				return
			}
			for _, c := range p.Items {
				if !yield(c, nil) {
					return
				}
			}
			if p.Next == "" {
				return
			}
			after = p.Next
		}
	}
}

// Recount rebuilds the tally from scratch from the board: every entry
// that carries a ballot and that no later entry replaced. Guarded like
// LiveTally.
func (s *Service) Recount(ctx context.Context, electionID uuid.UUID, viewer *Voter) (*Tally, error) {
	e, err := s.store.GetElection(ctx, electionID)
	if err != nil {
		return nil, err
	}
	if err := s.visible(ctx, e, viewer); err != nil {
		return nil, err
	}
	if err := s.settle(ctx, e); err != nil {
		return nil, err
	}
	return s.recount(ctx, e)
}

func (s *Service) recount(ctx context.Context, e *Election) (*Tally, error) {
	counted, err := s.counted(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	t := NewTally(e, s.reg)
	for _, en := range counted {
		b, err := ParseBallot(en.Ballot)
		if err != nil {
			return nil, err
		}
		if err := t.Add(b, Part{Channel: en.Channel, Place: en.Place}, 1); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Results is the outcome of every question of an election.
type Results struct {
	ElectionID uuid.UUID `json:"election"`
	// Final is true once the election has closed.
	Final bool `json:"final"`
	// Parts lists the channels and places counted.
	Parts     []Part           `json:"parts"`
	Questions []QuestionResult `json:"questions"`
}

// QuestionResult is one question's count.
type QuestionResult struct {
	Question string         `json:"question"`
	Result   *voting.Result `json:"result"`
}

// Results counts every question from the live tally, over the parts keep
// accepts (all when nil), under the election's visibility for viewer (nil:
// the public): ErrHidden when results may not be read yet.
func (s *Service) Results(ctx context.Context, electionID uuid.UUID, viewer *Voter, keep func(Part) bool) (*Results, error) {
	t, err := s.LiveTally(ctx, electionID, viewer)
	if err != nil {
		return nil, err
	}
	e := t.e
	res := &Results{ElectionID: e.ID, Final: e.Closed(s.now()), Parts: t.Parts()}
	for _, q := range e.Questions {
		r, err := t.Result(q.ID, keep)
		if err != nil {
			return nil, fmt.Errorf("ballotbox: counting %s: %w", q.ID, err)
		}
		res.Questions = append(res.Questions, QuestionResult{Question: q.ID, Result: r})
	}
	return res, nil
}
