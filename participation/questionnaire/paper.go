package questionnaire

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// BatchStatus is where a paper batch stands.
type BatchStatus string

const (
	BatchOpen      BatchStatus = "open"      // forms being keyed and reconciled
	BatchCommitted BatchStatus = "committed" // its forms became responses
)

// PaperBatch is a bundle of paper questionnaires collected at one place
// (a town-hall desk, a ballot box at a library) and keyed in by agents.
// With DoubleKeying every form is keyed twice, by two different agents,
// and the two keyings are reconciled: forms on which they disagree are
// held as disputed until an agent resolves them.
type PaperBatch struct {
	ID              uuid.UUID `json:"id"`
	QuestionnaireID uuid.UUID `json:"questionnaire_id"`
	Label           string    `json:"label" validate:"required,max=250"`
	// CollectedBy is the agent who collected the forms; Place is where.
	CollectedBy string `json:"collected_by" validate:"required,max=100"`
	Place       string `json:"place" validate:"required,max=100"`
	// Forms is the number of forms in the bundle, numbered 1..Forms on
	// the paper.
	Forms        int         `json:"forms" validate:"gte=1,lte=100000"`
	DoubleKeying bool        `json:"double_keying"`
	Status       BatchStatus `json:"status"`
	// Committed is the number of responses the commit stored.
	Committed int       `json:"committed"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Pass is which keying of a form an entry is.
type Pass int

const (
	PassFirst      Pass = 1 // the first keying
	PassSecond     Pass = 2 // the second keying, by another agent
	PassResolution Pass = 3 // the resolution of a disputed form
)

// PaperEntry is one keying of one paper form by one agent: who responded
// (the respondent the agent identified), the answers as written, or
// Spoiled when the form cannot be read as a response.
type PaperEntry struct {
	ID         uuid.UUID                `json:"id"`
	BatchID    uuid.UUID                `json:"batch_id"`
	Form       int                      `json:"form"`
	Pass       Pass                     `json:"pass"`
	Agent      string                   `json:"agent" validate:"required,max=100"`
	Respondent participation.Respondent `json:"respondent"`
	Spoiled    bool                     `json:"spoiled,omitempty"`
	Answers    []Answer                 `json:"answers,omitempty" validate:"max=500"`
	KeyedAt    time.Time                `json:"keyed_at"`
}

// FormState is a paper form's reconciliation state.
type FormState string

const (
	FormPending  FormState = "pending"  // not keyed (enough) yet
	FormAgreed   FormState = "agreed"   // keyed once (single keying) or twice alike
	FormDisputed FormState = "disputed" // the two keyings differ; needs a resolution
	FormResolved FormState = "resolved" // a dispute an agent resolved
)

// FormReport is the reconciliation of one form. Differences names what
// the keyings disagree on: "respondent", "spoiled" or "answers.<id>".
type FormReport struct {
	Form        int         `json:"form"`
	State       FormState   `json:"state"`
	Differences []string    `json:"differences,omitempty"`
	Final       *PaperEntry `json:"-"` // the entry that counts, when agreed or resolved
}

// Reconciliation is the state of every form of a batch.
type Reconciliation struct {
	BatchID  uuid.UUID    `json:"batch_id"`
	Forms    []FormReport `json:"forms"`
	Pending  int          `json:"pending"`
	Agreed   int          `json:"agreed"`
	Disputed int          `json:"disputed"`
	Resolved int          `json:"resolved"`
}

// ReconcileError refuses to commit a batch that still has pending or
// disputed forms. It matches ErrIllegalTransition.
type ReconcileError struct {
	Pending  []int `json:"pending"`
	Disputed []int `json:"disputed"`
}

func (e *ReconcileError) Error() string {
	return fmt.Sprintf("questionnaire: paper batch not reconciled: pending forms %v, disputed forms %v", e.Pending, e.Disputed)
}

// Unwrap makes errors.Is(err, ErrIllegalTransition) true.
func (e *ReconcileError) Unwrap() error { return participation.ErrIllegalTransition }

// CreatePaperBatch opens a batch of paper forms for a questionnaire whose
// consultation offers the paper channel.
func (s *Service) CreatePaperBatch(ctx context.Context, b PaperBatch) (*PaperBatch, error) {
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", &b, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	q, err := s.store.GetQuestionnaire(ctx, b.QuestionnaireID)
	if err != nil {
		return nil, fmt.Errorf("create paper batch: %w", err)
	}
	c, err := s.core.GetConsultation(ctx, q.ConsultationID)
	if err != nil {
		return nil, fmt.Errorf("create paper batch: %w", err)
	}
	if !c.OffersChannel(civickit.ChannelPaper) {
		return nil, civickit.Invalid("channel", "offered", string(civickit.ChannelPaper))
	}
	now := s.now().UTC()
	b.ID, b.Status, b.Committed, b.Version = s.newID(), BatchOpen, 0, 1
	b.CreatedAt, b.UpdatedAt = now, now
	if err := s.store.CreatePaperBatch(ctx, &b); err != nil {
		return nil, fmt.Errorf("create paper batch: %w", err)
	}
	return &b, nil
}

// GetPaperBatch returns the batch.
func (s *Service) GetPaperBatch(ctx context.Context, id uuid.UUID) (*PaperBatch, error) {
	return s.store.GetPaperBatch(ctx, id)
}

// openBatch loads an open batch and its questionnaire.
func (s *Service) openBatch(ctx context.Context, id uuid.UUID) (*PaperBatch, *Questionnaire, error) {
	b, err := s.store.GetPaperBatch(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if b.Status != BatchOpen {
		return nil, nil, &participation.TransitionError{Entity: "paper_batch", From: string(b.Status), To: "keyed"}
	}
	q, err := s.store.GetQuestionnaire(ctx, b.QuestionnaireID)
	if err != nil {
		return nil, nil, err
	}
	return b, q, nil
}

// checkEntry validates an entry against its batch and questionnaire.
func (s *Service) checkEntry(b *PaperBatch, q *Questionnaire, e *PaperEntry) error {
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", e, ve)
	if e.Form < 1 || e.Form > b.Forms {
		ve.Add("form", "form_number", "1-"+strconv.Itoa(b.Forms))
	}
	if e.Spoiled {
		if len(e.Answers) > 0 {
			ve.Add("answers", "excluded_with", "spoiled")
		}
		return ve.Err()
	}
	if e.Respondent.ParticipantID == uuid.Nil {
		ve.Add("respondent.participant_id", "required", "")
	}
	if !e.Respondent.Recruitment.Valid() {
		ve.Add("respondent.recruitment", "recruitment", "")
	}
	if err := ve.Err(); err != nil {
		return err
	}
	return q.Check(e.Answers)
}

// KeyPaperForm stores one keying of a form (Pass 1, or 2 in a
// double-keyed batch, by an agent other than the first pass's). The
// answers are checked as a response's are; a form that cannot be read
// is keyed as Spoiled, without answers. Keying a pass twice is
// ErrConflict.
func (s *Service) KeyPaperForm(ctx context.Context, e PaperEntry) (*PaperEntry, error) {
	b, q, err := s.openBatch(ctx, e.BatchID)
	if err != nil {
		return nil, fmt.Errorf("key paper form: %w", err)
	}
	switch {
	case e.Pass == PassSecond && !b.DoubleKeying:
		return nil, civickit.Invalid("pass", "single_keying", "1")
	case e.Pass != PassFirst && e.Pass != PassSecond:
		return nil, civickit.Invalid("pass", "oneof", "1 2")
	}
	if err := s.checkEntry(b, q, &e); err != nil {
		return nil, err
	}
	entries, err := collect(func(after string, limit int) (civickit.Page[PaperEntry], error) {
		return s.store.ListPaperEntries(ctx, b.ID, after, limit)
	})
	if err != nil {
		return nil, fmt.Errorf("key paper form: %w", err)
	}
	for _, x := range entries {
		if x.Form == e.Form && x.Pass != e.Pass && x.Pass != PassResolution && x.Agent == e.Agent {
			return nil, civickit.Invalid("agent", "second_agent", "")
		}
	}
	return s.addEntry(ctx, q, e)
}

func (s *Service) addEntry(ctx context.Context, q *Questionnaire, e PaperEntry) (*PaperEntry, error) {
	e.ID = s.newID()
	e.Answers = q.Normalize(e.Answers)
	e.KeyedAt = s.now().UTC()
	if err := s.store.AddPaperEntry(ctx, &e); err != nil {
		return nil, fmt.Errorf("key paper form: %w", err)
	}
	return &e, nil
}

// ResolvePaperForm settles a disputed form: e (its Form, Agent and what
// the paper really says) becomes the entry that counts. Only a disputed
// form can be resolved (*TransitionError otherwise).
func (s *Service) ResolvePaperForm(ctx context.Context, e PaperEntry) (*PaperEntry, error) {
	b, q, err := s.openBatch(ctx, e.BatchID)
	if err != nil {
		return nil, fmt.Errorf("resolve paper form: %w", err)
	}
	e.Pass = PassResolution
	if err := s.checkEntry(b, q, &e); err != nil {
		return nil, err
	}
	rec, err := s.reconcile(ctx, b, q)
	if err != nil {
		return nil, fmt.Errorf("resolve paper form: %w", err)
	}
	if st := rec.Forms[e.Form-1].State; st != FormDisputed {
		return nil, &participation.TransitionError{Entity: "paper_form", From: string(st), To: string(FormResolved)}
	}
	return s.addEntry(ctx, q, e)
}

// ReconcilePaperBatch compares the keyings of every form of the batch.
func (s *Service) ReconcilePaperBatch(ctx context.Context, batchID uuid.UUID) (*Reconciliation, error) {
	b, err := s.store.GetPaperBatch(ctx, batchID)
	if err != nil {
		return nil, fmt.Errorf("reconcile paper batch: %w", err)
	}
	q, err := s.store.GetQuestionnaire(ctx, b.QuestionnaireID)
	if err != nil {
		return nil, fmt.Errorf("reconcile paper batch: %w", err)
	}
	rec, err := s.reconcile(ctx, b, q)
	if err != nil {
		return nil, fmt.Errorf("reconcile paper batch: %w", err)
	}
	return rec, nil
}

func (s *Service) reconcile(ctx context.Context, b *PaperBatch, q *Questionnaire) (*Reconciliation, error) {
	entries, err := collect(func(after string, limit int) (civickit.Page[PaperEntry], error) {
		return s.store.ListPaperEntries(ctx, b.ID, after, limit)
	})
	if err != nil {
		return nil, err
	}
	byForm := make([][3]*PaperEntry, b.Forms)
	for i := range entries {
		e := &entries[i]
		if e.Form >= 1 && e.Form <= b.Forms && e.Pass >= PassFirst && e.Pass <= PassResolution {
			byForm[e.Form-1][e.Pass-1] = e
		}
	}
	rec := &Reconciliation{BatchID: b.ID, Forms: make([]FormReport, b.Forms)}
	for i, passes := range byForm {
		fr := FormReport{Form: i + 1}
		first, second, res := passes[0], passes[1], passes[2]
		switch {
		case first == nil || (b.DoubleKeying && second == nil):
			fr.State = FormPending
		case !b.DoubleKeying:
			fr.State, fr.Final = FormAgreed, first
		default:
			fr.Differences = entryDifferences(q, first, second)
			switch {
			case len(fr.Differences) == 0:
				fr.State, fr.Final = FormAgreed, first
			case res != nil:
				fr.State, fr.Final = FormResolved, res
			default:
				fr.State = FormDisputed
			}
		}
		switch fr.State {
		case FormPending:
			rec.Pending++
		case FormAgreed:
			rec.Agreed++
		case FormDisputed:
			rec.Disputed++
		case FormResolved:
			rec.Resolved++
		}
		rec.Forms[i] = fr
	}
	return rec, nil
}

// entryDifferences names what two keyings of a form disagree on.
func entryDifferences(q *Questionnaire, a, b *PaperEntry) []string {
	var diff []string
	if a.Respondent != b.Respondent {
		diff = append(diff, "respondent")
	}
	if a.Spoiled != b.Spoiled {
		diff = append(diff, "spoiled")
	}
	na, nb := answerMap(q.Normalize(a.Answers)), answerMap(q.Normalize(b.Answers))
	for _, qq := range q.Questions {
		x, y := na[qq.ID], nb[qq.ID]
		if !reflect.DeepEqual(x, y) {
			diff = append(diff, "answers."+qq.ID)
		}
	}
	return diff
}

func answerMap(as []Answer) map[string]string {
	m := make(map[string]string, len(as))
	for _, a := range as {
		b, _ := json.Marshal(a) // plain data: never fails
		m[a.Question] = string(b)
	}
	return m
}

// CommitReport says what committing a batch stored.
type CommitReport struct {
	Batch *PaperBatch `json:"batch"`
	// Stored are the forms that became responses (or already had, on a
	// repeated commit); Spoiled the forms read as spoiled; Duplicates the
	// forms of respondents who had already responded through another
	// channel; Refused the forms of respondents the rules refused (not
	// eligible), with the reason.
	Stored     []int          `json:"stored"`
	Spoiled    []int          `json:"spoiled,omitempty"`
	Duplicates []int          `json:"duplicates,omitempty"`
	Refused    map[int]string `json:"refused,omitempty"`
}

// CommitPaperBatch turns a reconciled batch into responses through the
// paper channel (collected by the batch's agent at its place). Every
// form must be agreed or resolved: otherwise a *ReconcileError lists the
// pending and disputed forms and nothing is stored. Each form is
// submitted with the idempotency key "paper:<batch>:<form>", so a commit
// interrupted half-way can simply be run again. Forms of respondents who
// already responded on another channel are reported as duplicates: one
// response per person across all channels.
func (s *Service) CommitPaperBatch(ctx context.Context, batchID uuid.UUID) (*CommitReport, error) {
	b, q, err := s.openBatch(ctx, batchID)
	if err != nil {
		return nil, fmt.Errorf("commit paper batch: %w", err)
	}
	rec, err := s.reconcile(ctx, b, q)
	if err != nil {
		return nil, fmt.Errorf("commit paper batch: %w", err)
	}
	if rec.Pending > 0 || rec.Disputed > 0 {
		re := &ReconcileError{}
		for _, f := range rec.Forms {
			switch f.State {
			case FormPending:
				re.Pending = append(re.Pending, f.Form)
			case FormDisputed:
				re.Disputed = append(re.Disputed, f.Form)
			}
		}
		return nil, re
	}
	if _, err := s.core.CheckAction(ctx, q.ConsultationID, participation.ActionRespond); err != nil {
		return nil, err
	}
	rep := &CommitReport{}
	for _, f := range rec.Forms {
		e := f.Final
		if e.Spoiled {
			rep.Spoiled = append(rep.Spoiled, f.Form)
			continue
		}
		req := SubmitRequest{
			QuestionnaireID: q.ID,
			Respondent:      e.Respondent,
			Provenance:      civickit.Provenance{Channel: civickit.ChannelPaper, CollectedBy: b.CollectedBy, Place: b.Place},
			IdempotencyKey:  "paper:" + b.ID.String() + ":" + strconv.Itoa(f.Form),
			Answers:         e.Answers,
		}
		_, _, err := s.submit(ctx, req, &b.ID)
		var ee *participation.EligibilityError
		switch {
		case err == nil:
			rep.Stored = append(rep.Stored, f.Form)
		case errors.Is(err, participation.ErrConflict):
			rep.Duplicates = append(rep.Duplicates, f.Form)
		case errors.As(err, &ee):
			if rep.Refused == nil {
				rep.Refused = map[int]string{}
			}
			rep.Refused[f.Form] = strings.TrimPrefix(ee.Error(), "participation: ")
		default:
			return nil, fmt.Errorf("commit paper batch: form %d: %w", f.Form, err)
		}
	}
	b.Status, b.Committed = BatchCommitted, len(rep.Stored)
	b.UpdatedAt = s.now().UTC()
	if err := s.store.UpdatePaperBatch(ctx, b); err != nil {
		return nil, fmt.Errorf("commit paper batch: %w", err)
	}
	rep.Batch = b
	return rep, nil
}
