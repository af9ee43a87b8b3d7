package questionnaire

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// Answer is the answer to one question. Which field is set depends on the
// question's type:
//
//	short_text, long_text                 Text
//	single_choice, multiple_choice        Choices (option IDs)
//	ranking                               Choices, best first
//	matrix_single, matrix_multiple        Matrix: row ID -> column IDs
//	majority_judgment                     Matrix: candidate ID -> [grade ID]
//	number, scale                         Number
//	date                                  Date (YYYY-MM-DD)
type Answer struct {
	Question string              `json:"question"`
	Text     string              `json:"text,omitempty"`
	Choices  []string            `json:"choices,omitempty"`
	Number   *float64            `json:"number,omitempty"`
	Date     string              `json:"date,omitempty"`
	Matrix   map[string][]string `json:"matrix,omitempty"`
}

// Empty reports whether a answers nothing.
func (a *Answer) Empty() bool {
	return a.Text == "" && len(a.Choices) == 0 && a.Number == nil && a.Date == "" && len(a.Matrix) == 0
}

// Response is one respondent's answers to a questionnaire, with how it
// was collected and how its respondent was recruited. Its ID is random.
// In an anonymous questionnaire Respondent.ParticipantID is the zero
// UUID: who responded is kept apart, only to hold one response per
// person.
type Response struct {
	ID              uuid.UUID                `json:"id"`
	QuestionnaireID uuid.UUID                `json:"questionnaire_id"`
	Respondent      participation.Respondent `json:"respondent"`
	Provenance      civickit.Provenance      `json:"provenance"`
	// BatchID is the paper batch the response was keyed in, if any.
	BatchID *uuid.UUID `json:"batch_id,omitempty"`
	// IdempotencyKey makes a retried submission store the response once.
	IdempotencyKey string    `json:"idempotency_key,omitempty"`
	Answers        []Answer  `json:"answers"`
	SubmittedAt    time.Time `json:"submitted_at"`
}

// MaxIdempotencyKeyLen bounds idempotency keys.
const MaxIdempotencyKeyLen = 100

// SubmitRequest is a response as a channel hands it in.
type SubmitRequest struct {
	QuestionnaireID uuid.UUID                `json:"questionnaire_id"`
	Respondent      participation.Respondent `json:"respondent"`
	Provenance      civickit.Provenance      `json:"provenance"`
	// IdempotencyKey (optional, e.g. a UUID the client drew once per
	// form): a submission with the key of a stored response returns that
	// response and stores nothing.
	IdempotencyKey string   `json:"idempotency_key,omitempty" validate:"max=100"`
	Answers        []Answer `json:"answers" validate:"max=500"`
}

// checkSubmission validates what does not need the store.
func (s *Service) checkSubmission(r *SubmitRequest) error {
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", r, ve)
	if r.Respondent.ParticipantID == uuid.Nil {
		ve.Add("respondent.participant_id", "required", "")
	}
	if !r.Respondent.Recruitment.Valid() {
		ve.Add("respondent.recruitment", "oneof", "open_call self_constituted_panel random_sample stratified_sample invited_stakeholder")
	}
	r.Provenance.Check("provenance", ve)
	return ve.Err()
}

// Submit records a response, after checking in this order: the request
// (respondent, recruitment, provenance); an earlier submission with the
// same idempotency key (then that response is returned with replayed
// true and nothing is stored); the questionnaire is open; the
// consultation's phase allows responding (*PhaseError); the channel is
// offered and a kiosk is a listed access point; the participant is
// eligible (*EligibilityError) and has done the reflection step required
// on this channel; the answers keep the questionnaire's rules
// (*ValidationError naming question and rule). One response per
// participant and questionnaire across all channels: a second is
// ErrConflict and nothing is stored.
func (s *Service) Submit(ctx context.Context, req SubmitRequest) (resp *Response, replayed bool, err error) {
	return s.submit(ctx, req, nil)
}

// submit is Submit for responses keyed in paper batch batch (nil: none).
func (s *Service) submit(ctx context.Context, req SubmitRequest, batch *uuid.UUID) (*Response, bool, error) {
	if err := s.checkSubmission(&req); err != nil {
		return nil, false, err
	}
	q, err := s.store.GetQuestionnaire(ctx, req.QuestionnaireID)
	if err != nil {
		return nil, false, fmt.Errorf("submit response: %w", err)
	}
	if req.IdempotencyKey != "" {
		prev, err := s.store.ResponseByKey(ctx, q.ID, req.IdempotencyKey)
		switch {
		case err == nil:
			return prev, true, nil
		case !errors.Is(err, participation.ErrNotFound):
			return nil, false, fmt.Errorf("submit response: %w", err)
		}
	}
	r, err := s.prepareResponse(ctx, q, &req)
	if err != nil {
		return nil, false, err
	}
	r.BatchID = batch
	stored, replayed, err := s.store.SubmitResponse(ctx, req.Respondent.ParticipantID, r)
	if err != nil {
		return nil, false, fmt.Errorf("submit response: %w", err)
	}
	return stored, replayed, nil
}

// prepareResponse applies every rule of Submit after the idempotency
// check and returns the response to store.
func (s *Service) prepareResponse(ctx context.Context, q *Questionnaire, req *SubmitRequest) (*Response, error) {
	pid := req.Respondent.ParticipantID
	c, err := s.core.Admit(ctx, q.ConsultationID, pid, participation.ActionRespond, req.Provenance)
	if err != nil {
		return nil, err
	}
	if q.ClosedIn(c) {
		return nil, &participation.TransitionError{Entity: "questionnaire", From: "closed", To: "response"}
	}
	if req.Provenance.Channel == civickit.ChannelKiosk && !slices.ContainsFunc(c.Settings.AccessPoints,
		func(ap participation.AccessPoint) bool { return ap.ID == req.Provenance.Place }) {
		return nil, civickit.Invalid("provenance.place", "access_point", req.Provenance.Place)
	}
	if err := s.core.CheckReflection(ctx, c.ID, pid, req.Provenance.Channel); err != nil {
		return nil, err
	}
	if err := q.Check(req.Answers); err != nil {
		return nil, err
	}
	r := &Response{
		ID:              s.newSecretID(),
		QuestionnaireID: q.ID,
		Respondent:      req.Respondent,
		Provenance:      req.Provenance,
		IdempotencyKey:  req.IdempotencyKey,
		Answers:         q.Normalize(req.Answers),
		SubmittedAt:     s.now().UTC(),
	}
	if q.Anonymous {
		r.Respondent.ParticipantID = uuid.Nil
	}
	return r, nil
}

// MaxImportBatch bounds the responses of one ImportResponses call.
const MaxImportBatch = 10_000

// ImportResponses stores responses brought from another system (or
// keyed elsewhere) all at once: each request is checked as Submit checks
// it (*ValidationError fields are prefixed "responses[i]."), then all are
// stored in one transaction. A respondent who already responded, or an
// idempotency key already stored, is ErrConflict and nothing is stored.
func (s *Service) ImportResponses(ctx context.Context, reqs []SubmitRequest) ([]*Response, error) {
	if len(reqs) > MaxImportBatch {
		return nil, civickit.Invalid("responses", "max", fmt.Sprint(MaxImportBatch))
	}
	out := make([]*Response, len(reqs))
	subs := make([]Submission, len(reqs))
	seen := make(map[uuid.UUID]int, len(reqs))
	for i := range reqs {
		req := &reqs[i]
		err := s.checkSubmission(req)
		var q *Questionnaire
		if err == nil {
			q, err = s.store.GetQuestionnaire(ctx, req.QuestionnaireID)
		}
		if err == nil {
			out[i], err = s.prepareResponse(ctx, q, req)
		}
		if err != nil {
			prefixed := &civickit.ValidationError{}
			if prefixed.Merge(fmt.Sprintf("responses[%d]", i), err) {
				err = prefixed
			}
			return nil, fmt.Errorf("import responses: response %d: %w", i, err)
		}
		if j, dup := seen[req.Respondent.ParticipantID]; dup && reqs[j].QuestionnaireID == req.QuestionnaireID {
			return nil, fmt.Errorf("import responses: responses %d and %d have one respondent: %w", j, i, participation.ErrConflict)
		}
		seen[req.Respondent.ParticipantID] = i
		subs[i] = Submission{ParticipantID: req.Respondent.ParticipantID, Response: out[i]}
	}
	if err := s.store.ImportResponses(ctx, subs); err != nil {
		return nil, fmt.Errorf("import responses: %w", err)
	}
	return out, nil
}

// GetResponse returns a stored response.
func (s *Service) GetResponse(ctx context.Context, id uuid.UUID) (*Response, error) {
	return s.store.GetResponse(ctx, id)
}

// HasResponded reports whether the participant has responded to the
// questionnaire through any channel.
func (s *Service) HasResponded(ctx context.Context, questionnaireID, participantID uuid.UUID) (bool, error) {
	return s.store.HasResponded(ctx, questionnaireID, participantID)
}
