package questionnaire

import (
	"context"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// Store is what the questionnaire Service needs from persistence:
// questionnaires, responses (with who responded, kept apart), paper
// batches and their keyings. It is owned here; package storage
// implements it and questionnairetest.TestStore checks any
// implementation against the contract written on each method. Lists are
// pages, as participation.Store's are.
type Store interface {
	// CreateQuestionnaire inserts q (ID set by the caller, Version 1).
	// ErrNotFound if its consultation is unknown; ErrConflict on a taken
	// ID.
	CreateQuestionnaire(ctx context.Context, q *Questionnaire) error
	// GetQuestionnaire returns ErrNotFound for an unknown ID.
	GetQuestionnaire(ctx context.Context, id uuid.UUID) (*Questionnaire, error)
	// ListQuestionnaires returns a page of a consultation's
	// questionnaires, by CreatedAt, then ID.
	ListQuestionnaires(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[Questionnaire], error)
	// UpdateQuestionnaire replaces the stored questionnaire if its
	// Version equals q.Version, stores q.Version+1 and sets q.Version
	// accordingly. ErrNotFound if absent, ErrConflict if stale: then
	// nothing is written.
	UpdateQuestionnaire(ctx context.Context, q *Questionnaire) error

	// SubmitResponse records, in one transaction, that participantID
	// responded to r.QuestionnaireID and stores r. When r carries an
	// idempotency key already stored for that questionnaire, it returns
	// the stored response with replayed true and writes nothing, even
	// when the two submissions race. ErrConflict when the participant
	// has already responded (through any channel); ErrNotFound when the
	// questionnaire or the participant is unknown.
	SubmitResponse(ctx context.Context, participantID uuid.UUID, r *Response) (stored *Response, replayed bool, err error)
	// ImportResponses stores many responses at once, in one
	// transaction, as SubmitResponse would one by one, but without
	// idempotency replays: any key taken or participant who already
	// responded is ErrConflict and nothing is written.
	ImportResponses(ctx context.Context, subs []Submission) error
	// GetResponse returns ErrNotFound for an unknown ID.
	GetResponse(ctx context.Context, id uuid.UUID) (*Response, error)
	// ResponseByKey returns the questionnaire's response stored with
	// that idempotency key, or ErrNotFound.
	ResponseByKey(ctx context.Context, questionnaireID uuid.UUID, key string) (*Response, error)
	// HasResponded reports whether the participant responded to the
	// questionnaire.
	HasResponded(ctx context.Context, questionnaireID, participantID uuid.UUID) (bool, error)
	// CountResponses returns the number of responses to the
	// questionnaire.
	CountResponses(ctx context.Context, questionnaireID uuid.UUID) (int, error)
	// StreamResponses calls fn with each response to the questionnaire,
	// in ID order, holding only a bounded page of them in memory at a
	// time; fn must not keep the *Response, which may be reused. An
	// error from fn stops the walk and is returned.
	StreamResponses(ctx context.Context, questionnaireID uuid.UUID, fn func(*Response) error) error
	// ResponseGroups counts the questionnaire's responses by channel,
	// recruitment, place and UTC day of submission, in that order.
	ResponseGroups(ctx context.Context, questionnaireID uuid.UUID) ([]ResponseGroup, error)

	// CreatePaperBatch inserts b (Version 1). ErrNotFound if its
	// questionnaire is unknown; ErrConflict on a taken ID.
	CreatePaperBatch(ctx context.Context, b *PaperBatch) error
	// GetPaperBatch returns ErrNotFound for an unknown ID.
	GetPaperBatch(ctx context.Context, id uuid.UUID) (*PaperBatch, error)
	// UpdatePaperBatch replaces the batch's status, committed count and
	// UpdatedAt if its Version equals b.Version, and bumps it.
	// ErrNotFound if absent, ErrConflict if stale.
	UpdatePaperBatch(ctx context.Context, b *PaperBatch) error
	// AddPaperEntry stores one keying of one form. ErrConflict when that
	// form already has an entry for that pass; ErrNotFound when the
	// batch is unknown.
	AddPaperEntry(ctx context.Context, e *PaperEntry) error
	// ListPaperEntries returns a page of a batch's entries, by form, then
	// pass.
	ListPaperEntries(ctx context.Context, batchID uuid.UUID, after string, limit int) (civickit.Page[PaperEntry], error)
}

// Submission pairs a response with the participant who gave it, for
// ImportResponses.
type Submission struct {
	ParticipantID uuid.UUID `json:"participant_id"`
	Response      *Response `json:"response"`
}

// ResponseGroup counts responses sharing a channel, a recruitment type,
// a place and a day of submission (days since 1970-01-01, UTC).
type ResponseGroup struct {
	Channel     civickit.Channel          `json:"channel"`
	Recruitment participation.Recruitment `json:"recruitment"`
	Place       string                    `json:"place"`
	Day         int64                     `json:"day"`
	Count       int                       `json:"count"`
}
