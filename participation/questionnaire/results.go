package questionnaire

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/voting"
)

// Breakdown is a count with its split by channel and by recruitment
// type. In Results, split cells of fewer than k respondents are removed
// (with one more cell when a single one would otherwise be recomputable
// from the total) and their keys listed in Suppressed.
type Breakdown struct {
	Total         int                               `json:"total"`
	ByChannel     map[civickit.Channel]int          `json:"by_channel,omitempty"`
	ByRecruitment map[participation.Recruitment]int `json:"by_recruitment,omitempty"`
	Suppressed    []string                          `json:"suppressed,omitempty"`
}

func (b *Breakdown) add(r *Response) {
	b.Total++
	if b.ByChannel == nil {
		b.ByChannel = map[civickit.Channel]int{}
		b.ByRecruitment = map[participation.Recruitment]int{}
	}
	b.ByChannel[r.Provenance.Channel]++
	b.ByRecruitment[r.Respondent.Recruitment]++
}

// suppress removes split cells below k, and one more when a single cell
// would be removed from a split that shows others.
func (b *Breakdown) suppress(k int) {
	b.Suppressed = append(suppressCells(b.ByChannel, k, "channel:"), suppressCells(b.ByRecruitment, k, "recruitment:")...)
	if len(b.Suppressed) == 0 {
		b.Suppressed = nil
	}
}

func suppressCells[K ~string](m map[K]int, k int, prefix string) []string {
	var small []K
	for key, n := range m {
		if n > 0 && n < k {
			small = append(small, key)
		}
	}
	if len(small) == 1 {
		// Total minus the shown cells would give the hidden one away:
		// hide the smallest other non-zero cell too.
		var next K
		best := math.MaxInt
		for key, n := range m {
			if key != small[0] && n > 0 && (n < best || n == best && key < next) {
				next, best = key, n
			}
		}
		if best != math.MaxInt {
			small = append(small, next)
		}
	}
	slices.Sort(small)
	out := make([]string, len(small))
	for i, key := range small {
		delete(m, key)
		out[i] = prefix + string(key)
	}
	return out
}

// Count is the tally of one answer value. Key is an option ID for choice
// questions, "option@rank" for rankings, "row=column" for matrices and
// "candidate=grade" for majority-judgment grids, and the value for
// scales.
type Count struct {
	Key string `json:"key"`
	Breakdown
	// Weighted is the sum of the weights of the responses counted here,
	// in weighted results only (WeightedResults); WeightedShare is its
	// share of the question's weighted answers.
	Weighted      float64 `json:"weighted,omitempty"`
	WeightedShare float64 `json:"weighted_share,omitempty"`
}

// NumberStats summarise the answers to a number question.
type NumberStats struct {
	Count int     `json:"count"`
	Sum   float64 `json:"sum"`
	Mean  float64 `json:"mean"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	// WeightedMean is the mean weighted by the responses' weights, in
	// weighted results only.
	WeightedMean float64 `json:"weighted_mean,omitempty"`
}

// QuestionResult is the tally of one question. Free-text answers are
// not tallied (they may hold personal data): only how many answered.
type QuestionResult struct {
	Question string       `json:"question"`
	Type     QuestionType `json:"type"`
	Answered Breakdown    `json:"answered"`
	// AnsweredWeighted is the sum of the weights of the responses that
	// answered, in weighted results only.
	AnsweredWeighted float64      `json:"answered_weighted,omitempty"`
	Counts           []Count      `json:"counts,omitempty"`
	Number           *NumberStats `json:"number,omitempty"`
	// MajorityGrades gives each graded candidate of a majority-judgment
	// grid its majority grade (the lower median of its grades), as the
	// outcome found it.
	MajorityGrades map[string]string `json:"majority_grades,omitempty"`
	// Outcome is the count of the voting method of a grid, a ranking or
	// a multiple choice (Question.Method, or DefaultMethod of its type),
	// over every response that answered it; its candidates are the
	// question's rows (grids) or options, by ID. Nil when no response
	// answered.
	Outcome *voting.Result `json:"outcome,omitempty"`
}

// Results are the counts of a questionnaire's responses.
type Results struct {
	QuestionnaireID uuid.UUID        `json:"questionnaire_id"`
	K               int              `json:"k"`
	Responses       Breakdown        `json:"responses"`
	Questions       []QuestionResult `json:"questions"`
	// Weighting says how the weighted counts were made; nil in raw
	// results.
	Weighting *Weighting `json:"weighting,omitempty"`
}

// tally accumulates one question's counts, and its ballots when a
// voting method counts it.
type tally struct {
	res   QuestionResult
	index map[string]int // count key -> index in res.Counts
	box   *ballotBox
	wsum  float64 // Σ weight × value, for a number question's weighted mean
}

func newTally(reg *voting.Registry, q *Question) (*tally, error) {
	t := &tally{res: QuestionResult{Question: q.ID, Type: q.Type}, index: map[string]int{}}
	var err error
	if t.box, err = newBallotBox(reg, q); err != nil {
		return nil, err
	}
	addKey := func(k string) {
		t.index[k] = len(t.res.Counts)
		t.res.Counts = append(t.res.Counts, Count{Key: k})
	}
	switch q.Type {
	case QuestionSingleChoice, QuestionMultipleChoice:
		for _, o := range q.Options {
			addKey(o.ID)
		}
	case QuestionRanking:
		for _, o := range q.Options {
			for rank := 1; rank <= len(q.Options); rank++ {
				addKey(o.ID + "@" + strconv.Itoa(rank))
			}
		}
	case QuestionMatrixSingle, QuestionMatrixMultiple, QuestionMajority:
		for _, r := range q.Rows {
			for _, o := range q.Options {
				addKey(r.ID + "=" + o.ID)
			}
		}
	case QuestionScale:
		if q.Min != nil && q.Max != nil && *q.Max-*q.Min <= MaxScaleSteps {
			for v := *q.Min; v <= *q.Max; v++ {
				addKey(formatNumber(v))
			}
		}
	case QuestionScore:
		if q.Min != nil && q.Max != nil && *q.Max-*q.Min <= MaxScaleSteps {
			for _, r := range q.Rows {
				for v := *q.Min; v <= *q.Max; v++ {
					addKey(r.ID + "=" + formatNumber(v))
				}
			}
		}
	case QuestionNumber:
		t.res.Number = &NumberStats{Min: math.Inf(1), Max: math.Inf(-1)}
	}
	return t, nil
}

func (t *tally) count(key string, r *Response, w float64) {
	if i, ok := t.index[key]; ok {
		t.res.Counts[i].add(r)
		t.res.Counts[i].Weighted += w
	}
}

// add counts a, the answer of r, whose weight is w (0 in raw results).
func (t *tally) add(a *Answer, r *Response, w float64) error {
	t.res.Answered.add(r)
	t.res.AnsweredWeighted += w
	if t.box != nil {
		if err := t.box.add(a); err != nil {
			return err
		}
	}
	switch {
	case t.res.Type == QuestionRanking:
		for i, c := range a.Choices {
			t.count(c+"@"+strconv.Itoa(i+1), r, w)
		}
	case t.res.Type.Matrix():
		for row, cols := range a.Matrix {
			for _, c := range cols {
				t.count(row+"="+c, r, w)
			}
		}
	case t.res.Type == QuestionNumber && a.Number != nil:
		st := t.res.Number
		v := *a.Number
		st.Count++
		st.Sum += v
		t.wsum += w * v
		st.Min, st.Max = min(st.Min, v), max(st.Max, v)
	case a.Number != nil:
		t.count(formatNumber(*a.Number), r, w)
	default:
		for _, c := range a.Choices {
			t.count(c, r, w)
		}
	}
	return nil
}

func (t *tally) finish(q *Question, k int) (QuestionResult, error) {
	res := t.res
	res.Answered.suppress(k)
	for i := range res.Counts {
		res.Counts[i].suppress(k)
		if res.AnsweredWeighted > 0 {
			res.Counts[i].WeightedShare = res.Counts[i].Weighted / res.AnsweredWeighted
		}
	}
	if st := res.Number; st != nil {
		if st.Count == 0 {
			st.Min, st.Max = 0, 0
		} else {
			st.Mean = st.Sum / float64(st.Count)
		}
		if res.AnsweredWeighted > 0 {
			st.WeightedMean = t.wsum / res.AnsweredWeighted
		}
	}
	if t.box != nil {
		var err error
		if res.Outcome, err = t.box.count(); err != nil {
			return QuestionResult{}, err
		}
		if q.Type == QuestionMajority {
			res.MajorityGrades = majorityGrades(q, res.Outcome)
		}
	}
	return res, nil
}

// resultsVisible returns ErrHidden while the questionnaire's results are
// hidden until it closes.
func (s *Service) resultsVisible(ctx context.Context, id uuid.UUID) (*Questionnaire, error) {
	q, err := s.store.GetQuestionnaire(ctx, id)
	if err != nil {
		return nil, err
	}
	c, err := s.core.GetConsultation(ctx, q.ConsultationID)
	if err != nil {
		return nil, err
	}
	if q.Results == ResultsAfterClose && !q.ClosedIn(c) {
		return nil, fmt.Errorf("questionnaire %s: results shown after it closes: %w", q.ID, participation.ErrHidden)
	}
	return q, nil
}

// Results counts the questionnaire's responses per question, each count
// split by channel and by recruitment type, with split cells below the
// questionnaire's k suppressed; grids, rankings and multiple choices are
// also counted by their voting method (QuestionResult.Outcome).
// ErrHidden while results are hidden until the questionnaire closes.
// Responses are read as a stream: memory grows with the number of
// distinct ballots of the counted questions, not with the number of
// responses.
func (s *Service) Results(ctx context.Context, questionnaireID uuid.UUID) (*Results, error) {
	q, err := s.resultsVisible(ctx, questionnaireID)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	return s.results(ctx, q, nil)
}

// results counts q's responses; weight, when set, gives each response's
// weight for the weighted counts.
func (s *Service) results(ctx context.Context, q *Questionnaire, weight func(*Response) float64) (*Results, error) {
	var err error
	tallies := make(map[string]*tally, len(q.Questions))
	for i := range q.Questions {
		if tallies[q.Questions[i].ID], err = newTally(s.methods, &q.Questions[i]); err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
	}
	res := &Results{QuestionnaireID: q.ID, K: q.K()}
	err = s.store.StreamResponses(ctx, q.ID, func(r *Response) error {
		res.Responses.add(r)
		var w float64
		if weight != nil {
			w = weight(r)
		}
		for i := range r.Answers {
			if t := tallies[r.Answers[i].Question]; t != nil && !r.Answers[i].Empty() {
				if err := t.add(&r.Answers[i], r, w); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	res.Responses.suppress(res.K)
	for i := range q.Questions {
		qr, err := tallies[q.Questions[i].ID].finish(&q.Questions[i], res.K)
		if err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
		res.Questions = append(res.Questions, qr)
	}
	return res, nil
}
