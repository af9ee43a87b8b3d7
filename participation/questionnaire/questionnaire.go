package questionnaire

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// ResultsVisibility says when a questionnaire's results may be seen.
type ResultsVisibility string

const (
	// ResultsLive: results may be read at any time.
	ResultsLive ResultsVisibility = "live"
	// ResultsAfterClose: results stay hidden (ErrHidden) until the
	// questionnaire is closed; the setting cannot be changed to live
	// before then, so that early results never sway respondents.
	ResultsAfterClose ResultsVisibility = "after_close"
)

// Valid reports whether v is a known visibility.
func (v ResultsVisibility) Valid() bool { return v == ResultsLive || v == ResultsAfterClose }

// DefaultMinGroupSize is the k of k-suppression when a questionnaire
// does not set its own: groups of fewer respondents are never shown.
const DefaultMinGroupSize = 5

// Questionnaire is the expression step's online (and paper) form: its
// questions, whether it is anonymous, when its results may be seen and
// the smallest group that exports and breakdowns may show.
type Questionnaire struct {
	ID             uuid.UUID  `json:"id"`
	ConsultationID uuid.UUID  `json:"consultation_id"`
	Title          string     `json:"title" validate:"required,max=250"`
	Description    string     `json:"description,omitempty" validate:"max=20000"`
	Questions      []Question `json:"questions" validate:"required,min=1,max=500,dive"`
	// Anonymous questionnaires store responses without the respondent's
	// participant ID (only the fact that they responded, kept apart, to
	// hold one response per person). An anonymous questionnaire can
	// never become named.
	Anonymous bool              `json:"anonymous"`
	Results   ResultsVisibility `json:"results"`
	// MinGroupSize is the k of k-suppression (0: DefaultMinGroupSize).
	MinGroupSize int `json:"min_group_size,omitempty" validate:"gte=0,lte=1000"`
	// ClosedAt is when the questionnaire was closed (zero: open). It is
	// also closed when its consultation has left the expression phase.
	ClosedAt  time.Time `json:"closed_at,omitzero"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// K returns the k-suppression threshold in force.
func (q *Questionnaire) K() int {
	if q.MinGroupSize > 0 {
		return q.MinGroupSize
	}
	return DefaultMinGroupSize
}

// Question returns the question with that ID, or nil.
func (q *Questionnaire) Question(id string) *Question {
	for i := range q.Questions {
		if q.Questions[i].ID == id {
			return &q.Questions[i]
		}
	}
	return nil
}

// ClosedIn reports whether q is closed, given its consultation c (nil:
// look at q alone): closed by hand, or c closed or moved past its
// expression phase.
func (q *Questionnaire) ClosedIn(c *participation.Consultation) bool {
	if !q.ClosedAt.IsZero() {
		return true
	}
	if c == nil {
		return false
	}
	if c.Status == participation.StatusClosed {
		return true
	}
	if p := c.ActivePhase(); p != nil {
		return slices.Index(participation.PhaseKinds(), p.Kind) > slices.Index(participation.PhaseKinds(), participation.PhaseExpression)
	}
	return false
}

// ValidateQuestionnaire checks a questionnaire's definition: struct
// rules, question and option IDs, the fields each type takes, and
// conditions that reference earlier questions with values those
// questions can take. It returns a *ValidationError naming every broken
// rule.
func (s *Service) ValidateQuestionnaire(q *Questionnaire) error {
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", q, ve)
	q.checkRules(ve)
	for i := range q.Questions {
		checkMethod(s.methods, fmt.Sprintf("questions[%d]", i), &q.Questions[i], ve)
	}
	return ve.Err()
}

func (q *Questionnaire) checkRules(ve *civickit.ValidationError) {
	if !q.Results.Valid() {
		ve.Add("results", "oneof", "live after_close")
	}
	seen := make(map[string]bool, len(q.Questions))
	for i := range q.Questions {
		path := fmt.Sprintf("questions[%d]", i)
		qq := &q.Questions[i]
		if seen[qq.ID] {
			ve.Add(path+".id", "unique", "")
		}
		seen[qq.ID] = true
		qq.checkDefinition(path, q.Questions[:i], ve)
	}
}

// Displayed returns, for each question in order, whether it is displayed
// given the answers: a question is displayed when each of its conditions
// holds on the answers to displayed earlier questions.
func (q *Questionnaire) Displayed(answers []Answer) []bool {
	byID := make(map[string]*Answer, len(answers))
	for i := range answers {
		if _, dup := byID[answers[i].Question]; !dup {
			byID[answers[i].Question] = &answers[i]
		}
	}
	return q.displayed(byID)
}

func (q *Questionnaire) displayed(byID map[string]*Answer) []bool {
	shown := make([]bool, len(q.Questions))
	index := make(map[string]int, len(q.Questions))
	for i := range q.Questions {
		qq := &q.Questions[i]
		index[qq.ID] = i
		shown[i] = true
		for _, c := range qq.Conditions {
			j, ok := index[c.Question]
			var a *Answer
			if ok && shown[j] {
				a = byID[c.Question]
			}
			if !ok || !c.holds(&q.Questions[j], a) {
				shown[i] = false
				break
			}
		}
	}
	return shown
}

// Check validates a response's answers against the questionnaire: every
// answer names a question once, no hidden question is answered, every
// displayed mandatory question is, and each answer keeps its question's
// rules. The *ValidationError names each question ("answers.<id>", with
// ".<row>" for a matrix row) and the rule it breaks.
func (q *Questionnaire) Check(answers []Answer) error {
	ve := &civickit.ValidationError{}
	byID := make(map[string]*Answer, len(answers))
	for i := range answers {
		a := &answers[i]
		switch {
		case q.Question(a.Question) == nil:
			ve.Add(fmt.Sprintf("answers[%d].question", i), "unknown_question", a.Question)
		case byID[a.Question] != nil:
			ve.Add("answers."+a.Question, "unique", "")
		default:
			byID[a.Question] = a
		}
	}
	shown := q.displayed(byID)
	for i := range q.Questions {
		qq := &q.Questions[i]
		a := byID[qq.ID]
		field := "answers." + qq.ID
		answered := a != nil && !a.Empty()
		switch {
		case !shown[i] && answered:
			ve.Add(field, "not_displayed", "")
		case !shown[i]:
		case !answered && qq.Mandatory:
			ve.Add(field, "required", "")
		case answered:
			qq.checkAnswer(field, a, ve)
		}
	}
	return ve.Err()
}

// Normalize returns the answers in canonical form: in question order,
// without empty answers or answers to unknown questions, texts trimmed,
// multiple choices and matrix cells sorted by option order (rankings keep
// their order). Two keyings of the same paper form compare equal once
// normalized.
func (q *Questionnaire) Normalize(answers []Answer) []Answer {
	out := make([]Answer, 0, len(answers))
	for i := range q.Questions {
		qq := &q.Questions[i]
		for _, a := range answers {
			if a.Question != qq.ID {
				continue
			}
			a.Text = strings.TrimSpace(a.Text)
			a.Date = strings.TrimSpace(a.Date)
			if qq.Type == QuestionMultipleChoice {
				a.Choices = sortByOptions(qq.Options, a.Choices)
			} else {
				a.Choices = slices.Clone(a.Choices)
			}
			if len(a.Matrix) > 0 {
				m := make(map[string][]string, len(a.Matrix))
				for row, cols := range a.Matrix {
					if len(cols) > 0 {
						m[row] = sortByOptions(qq.Options, cols)
					}
				}
				a.Matrix = m
			}
			if len(a.Choices) == 0 {
				a.Choices = nil
			}
			if len(a.Matrix) == 0 {
				a.Matrix = nil
			}
			if a.Number != nil {
				n := *a.Number
				a.Number = &n
			}
			if !a.Empty() {
				out = append(out, a)
			}
			break
		}
	}
	return out
}

func sortByOptions(opts []Option, ids []string) []string {
	out := slices.Clone(ids)
	slices.SortStableFunc(out, func(a, b string) int {
		ia, ib := optionIndex(opts, a), optionIndex(opts, b)
		if ia < 0 && ib < 0 {
			return strings.Compare(a, b)
		}
		if ia < 0 {
			return 1
		}
		if ib < 0 {
			return -1
		}
		return ia - ib
	})
	return out
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// cloneQuestionnaire returns a deep copy (via JSON, which every field
// round-trips).
func cloneQuestionnaire(q *Questionnaire) Questionnaire {
	b, err := json.Marshal(q)
	if err != nil {
		panic(fmt.Sprintf("questionnaire: questionnaire does not marshal: %v", err)) // unreachable: plain data
	}
	var out Questionnaire
	if err := json.Unmarshal(b, &out); err != nil {
		panic(fmt.Sprintf("questionnaire: questionnaire does not unmarshal: %v", err))
	}
	out.ClosedAt, out.CreatedAt, out.UpdatedAt = q.ClosedAt, q.CreatedAt, q.UpdatedAt
	return out
}

// CreateQuestionnaire validates q and stores it, open, for its
// consultation (which must exist and not be closed). ID, Version and
// timestamps are set by the service; Results defaults to
// ResultsAfterClose.
func (s *Service) CreateQuestionnaire(ctx context.Context, q Questionnaire) (*Questionnaire, error) {
	q = cloneQuestionnaire(&q)
	if q.Results == "" {
		q.Results = ResultsAfterClose
	}
	q.ClosedAt = time.Time{}
	if err := s.ValidateQuestionnaire(&q); err != nil {
		return nil, err
	}
	c, err := s.core.GetConsultation(ctx, q.ConsultationID)
	if err != nil {
		return nil, fmt.Errorf("create questionnaire: %w", err)
	}
	if c.Status == participation.StatusClosed {
		return nil, &participation.TransitionError{Entity: "consultation", From: string(participation.StatusClosed), To: "questionnaire"}
	}
	now := s.now().UTC()
	q.ID = s.newID()
	q.Version = 1
	q.CreatedAt, q.UpdatedAt = now, now
	if err := s.store.CreateQuestionnaire(ctx, &q); err != nil {
		return nil, fmt.Errorf("create questionnaire: %w", err)
	}
	return &q, nil
}

// GetQuestionnaire returns the questionnaire.
func (s *Service) GetQuestionnaire(ctx context.Context, id uuid.UUID) (*Questionnaire, error) {
	return s.store.GetQuestionnaire(ctx, id)
}

// ListQuestionnaires returns a page of a consultation's questionnaires,
// oldest first.
func (s *Service) ListQuestionnaires(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[Questionnaire], error) {
	return s.store.ListQuestionnaires(ctx, consultationID, after, limit)
}

// UpdateQuestionnaire replaces the stored questionnaire whose ID and
// Version match. The guards: a closed questionnaire is not changed; the
// questions are frozen once a response exists; an anonymous
// questionnaire cannot become named; results hidden until closed cannot
// be made live before the questionnaire closes. A refused guard is a
// *TransitionError (ErrIllegalTransition).
func (s *Service) UpdateQuestionnaire(ctx context.Context, q Questionnaire) (*Questionnaire, error) {
	q = cloneQuestionnaire(&q)
	if err := s.ValidateQuestionnaire(&q); err != nil {
		return nil, err
	}
	cur, err := s.store.GetQuestionnaire(ctx, q.ID)
	if err != nil {
		return nil, fmt.Errorf("update questionnaire: %w", err)
	}
	c, err := s.core.GetConsultation(ctx, cur.ConsultationID)
	if err != nil {
		return nil, fmt.Errorf("update questionnaire: %w", err)
	}
	refuse := func(from, to string) error {
		return &participation.TransitionError{Entity: "questionnaire", From: from, To: to}
	}
	switch {
	case cur.ClosedIn(c):
		return nil, refuse("closed", "updated")
	case cur.Anonymous && !q.Anonymous:
		return nil, refuse("anonymous", "named")
	case cur.Results == ResultsAfterClose && q.Results == ResultsLive:
		return nil, refuse("results_after_close", "results_live")
	}
	if !reflect.DeepEqual(cur.Questions, q.Questions) {
		n, err := s.store.CountResponses(ctx, q.ID)
		if err != nil {
			return nil, fmt.Errorf("update questionnaire: %w", err)
		}
		if n > 0 {
			return nil, refuse("answered", "questions_changed")
		}
	}
	q.ConsultationID, q.ClosedAt, q.CreatedAt = cur.ConsultationID, cur.ClosedAt, cur.CreatedAt
	q.UpdatedAt = s.now().UTC()
	if err := s.store.UpdateQuestionnaire(ctx, &q); err != nil {
		return nil, fmt.Errorf("update questionnaire: %w", err)
	}
	return &q, nil
}

// CloseQuestionnaire closes the questionnaire by hand: no response is
// accepted any more and results hidden until closed become visible.
// Closing a closed questionnaire is a *TransitionError.
func (s *Service) CloseQuestionnaire(ctx context.Context, id uuid.UUID) (*Questionnaire, error) {
	q, err := s.store.GetQuestionnaire(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("close questionnaire: %w", err)
	}
	if !q.ClosedAt.IsZero() {
		return nil, &participation.TransitionError{Entity: "questionnaire", From: "closed", To: "closed"}
	}
	now := s.now().UTC()
	q.ClosedAt, q.UpdatedAt = now, now
	if err := s.store.UpdateQuestionnaire(ctx, q); err != nil {
		return nil, fmt.Errorf("close questionnaire: %w", err)
	}
	return q, nil
}
