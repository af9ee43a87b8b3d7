package storage

import (
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/questionnaire"
)

// Row types mirror migrations/*/0004_participation_responses.sql. Times
// are Unix microseconds; questions and answers are JSON text.

type questionnaireRow struct {
	bun.BaseModel `bun:"table:questionnaires,alias:qn"`

	ID             uuid.UUID `bun:"id,pk"`
	ConsultationID uuid.UUID `bun:"consultation_id"`
	Title          string    `bun:"title"`
	Description    string    `bun:"description"`
	Questions      string    `bun:"questions"`
	Anonymous      bool      `bun:"anonymous"`
	Results        string    `bun:"results"`
	MinGroupSize   int       `bun:"min_group_size"`
	ClosedAt       *int64    `bun:"closed_at"`
	Version        int       `bun:"version"`
	CreatedAt      int64     `bun:"created_at"`
	UpdatedAt      int64     `bun:"updated_at"`
}

func toQuestionnaireRow(q *questionnaire.Questionnaire) *questionnaireRow {
	qs := q.Questions
	if qs == nil {
		qs = []questionnaire.Question{}
	}
	r := &questionnaireRow{
		ID: q.ID, ConsultationID: q.ConsultationID, Title: q.Title, Description: q.Description,
		Questions: mustJSON(qs), Anonymous: q.Anonymous, Results: string(q.Results),
		MinGroupSize: q.MinGroupSize, Version: q.Version,
		CreatedAt: micros(q.CreatedAt), UpdatedAt: micros(q.UpdatedAt),
	}
	if !q.ClosedAt.IsZero() {
		v := micros(q.ClosedAt)
		r.ClosedAt = &v
	}
	return r
}

func (r *questionnaireRow) toDomain() (*questionnaire.Questionnaire, error) {
	q := &questionnaire.Questionnaire{
		ID: r.ID, ConsultationID: r.ConsultationID, Title: r.Title, Description: r.Description,
		Anonymous: r.Anonymous, Results: questionnaire.ResultsVisibility(r.Results),
		MinGroupSize: r.MinGroupSize, Version: r.Version,
		CreatedAt: fromMicros(r.CreatedAt), UpdatedAt: fromMicros(r.UpdatedAt),
	}
	if r.ClosedAt != nil {
		q.ClosedAt = fromMicros(*r.ClosedAt)
	}
	if err := json.Unmarshal([]byte(r.Questions), &q.Questions); err != nil {
		return nil, fmt.Errorf("storage: questionnaire %s questions: %w", r.ID, err)
	}
	return q, nil
}

type respondentRow struct {
	bun.BaseModel `bun:"table:questionnaire_respondents,alias:qr"`

	QuestionnaireID uuid.UUID `bun:"questionnaire_id,pk"`
	ParticipantID   uuid.UUID `bun:"participant_id,pk"`
}

type responseRow struct {
	bun.BaseModel `bun:"table:responses,alias:rs"`

	ID              uuid.UUID  `bun:"id,pk"`
	QuestionnaireID uuid.UUID  `bun:"questionnaire_id"`
	ParticipantID   *uuid.UUID `bun:"participant_id"`
	Channel         string     `bun:"channel"`
	CollectedBy     string     `bun:"collected_by"`
	Place           string     `bun:"place"`
	Recruitment     string     `bun:"recruitment"`
	BatchID         *uuid.UUID `bun:"batch_id"`
	IdempotencyKey  *string    `bun:"idempotency_key"`
	Answers         string     `bun:"answers"`
	SubmittedAt     int64      `bun:"submitted_at"`
	SubmittedDay    int64      `bun:"submitted_day"`
}

// dayOfMicros returns the UTC day number (days since 1970-01-01) of a
// time in Unix microseconds.
func dayOfMicros(us int64) int64 {
	const perDay = 86400 * 1_000_000
	d := us / perDay
	if us < 0 && us%perDay != 0 {
		d--
	}
	return d
}

func toResponseRow(r *questionnaire.Response) *responseRow {
	answers := r.Answers
	if answers == nil {
		answers = []questionnaire.Answer{}
	}
	row := &responseRow{
		ID: r.ID, QuestionnaireID: r.QuestionnaireID, Channel: string(r.Provenance.Channel),
		CollectedBy: r.Provenance.CollectedBy, Place: r.Provenance.Place,
		Recruitment: string(r.Respondent.Recruitment), BatchID: r.BatchID,
		Answers: mustJSON(answers), SubmittedAt: micros(r.SubmittedAt),
	}
	row.SubmittedDay = dayOfMicros(row.SubmittedAt)
	if r.Respondent.ParticipantID != uuid.Nil {
		id := r.Respondent.ParticipantID
		row.ParticipantID = &id
	}
	if r.IdempotencyKey != "" {
		k := r.IdempotencyKey
		row.IdempotencyKey = &k
	}
	return row
}

// into fills r from the row. The answers are decoded afresh: decoding
// into reused elements would merge old matrices into new ones.
func (row *responseRow) into(r *questionnaire.Response) error {
	*r = questionnaire.Response{
		ID: row.ID, QuestionnaireID: row.QuestionnaireID,
		Respondent: participation.Respondent{Recruitment: participation.Recruitment(row.Recruitment)},
		Provenance: civickit.Provenance{
			Channel: civickit.Channel(row.Channel), CollectedBy: row.CollectedBy, Place: row.Place,
		},
		BatchID: row.BatchID, SubmittedAt: fromMicros(row.SubmittedAt),
	}
	if row.ParticipantID != nil {
		r.Respondent.ParticipantID = *row.ParticipantID
	}
	if row.IdempotencyKey != nil {
		r.IdempotencyKey = *row.IdempotencyKey
	}
	if err := json.Unmarshal([]byte(row.Answers), &r.Answers); err != nil {
		return fmt.Errorf("storage: response %s answers: %w", row.ID, err)
	}
	return nil
}

type paperBatchRow struct {
	bun.BaseModel `bun:"table:paper_batches,alias:pb"`

	ID              uuid.UUID `bun:"id,pk"`
	QuestionnaireID uuid.UUID `bun:"questionnaire_id"`
	Label           string    `bun:"label"`
	CollectedBy     string    `bun:"collected_by"`
	Place           string    `bun:"place"`
	Forms           int       `bun:"forms"`
	DoubleKeying    bool      `bun:"double_keying"`
	Status          string    `bun:"status"`
	Committed       int       `bun:"committed"`
	Version         int       `bun:"version"`
	CreatedAt       int64     `bun:"created_at"`
	UpdatedAt       int64     `bun:"updated_at"`
}

func toPaperBatchRow(b *questionnaire.PaperBatch) *paperBatchRow {
	return &paperBatchRow{
		ID: b.ID, QuestionnaireID: b.QuestionnaireID, Label: b.Label, CollectedBy: b.CollectedBy,
		Place: b.Place, Forms: b.Forms, DoubleKeying: b.DoubleKeying, Status: string(b.Status),
		Committed: b.Committed, Version: b.Version,
		CreatedAt: micros(b.CreatedAt), UpdatedAt: micros(b.UpdatedAt),
	}
}

func (r *paperBatchRow) toDomain() *questionnaire.PaperBatch {
	return &questionnaire.PaperBatch{
		ID: r.ID, QuestionnaireID: r.QuestionnaireID, Label: r.Label, CollectedBy: r.CollectedBy,
		Place: r.Place, Forms: r.Forms, DoubleKeying: r.DoubleKeying,
		Status: questionnaire.BatchStatus(r.Status), Committed: r.Committed, Version: r.Version,
		CreatedAt: fromMicros(r.CreatedAt), UpdatedAt: fromMicros(r.UpdatedAt),
	}
}

type paperEntryRow struct {
	bun.BaseModel `bun:"table:paper_entries,alias:pe"`

	ID            uuid.UUID  `bun:"id,pk"`
	BatchID       uuid.UUID  `bun:"batch_id"`
	Form          int        `bun:"form"`
	Pass          int        `bun:"pass"`
	Agent         string     `bun:"agent"`
	ParticipantID *uuid.UUID `bun:"participant_id"`
	Recruitment   string     `bun:"recruitment"`
	Spoiled       bool       `bun:"spoiled"`
	Answers       string     `bun:"answers"`
	KeyedAt       int64      `bun:"keyed_at"`
}

func toPaperEntryRow(e *questionnaire.PaperEntry) *paperEntryRow {
	answers := e.Answers
	if answers == nil {
		answers = []questionnaire.Answer{}
	}
	r := &paperEntryRow{
		ID: e.ID, BatchID: e.BatchID, Form: e.Form, Pass: int(e.Pass), Agent: e.Agent,
		Recruitment: string(e.Respondent.Recruitment), Spoiled: e.Spoiled,
		Answers: mustJSON(answers), KeyedAt: micros(e.KeyedAt),
	}
	if e.Respondent.ParticipantID != uuid.Nil {
		id := e.Respondent.ParticipantID
		r.ParticipantID = &id
	}
	return r
}

func (r *paperEntryRow) toDomain() (questionnaire.PaperEntry, error) {
	e := questionnaire.PaperEntry{
		ID: r.ID, BatchID: r.BatchID, Form: r.Form, Pass: questionnaire.Pass(r.Pass), Agent: r.Agent,
		Respondent: participation.Respondent{Recruitment: participation.Recruitment(r.Recruitment)},
		Spoiled:    r.Spoiled, KeyedAt: fromMicros(r.KeyedAt),
	}
	if r.ParticipantID != nil {
		e.Respondent.ParticipantID = *r.ParticipantID
	}
	if err := json.Unmarshal([]byte(r.Answers), &e.Answers); err != nil {
		return e, fmt.Errorf("storage: paper entry %s answers: %w", r.ID, err)
	}
	if len(e.Answers) == 0 {
		e.Answers = nil
	}
	return e, nil
}
