package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/questionnaire"
)

// Questionnaires, responses and paper batches of ParticipationStore.

// QuestionnaireStore implements questionnaire.Store (questionnaires,
// responses, paper batches) with bun.
type QuestionnaireStore struct {
	partDB
}

var _ questionnaire.Store = (*QuestionnaireStore)(nil)

// NewQuestionnaireStore returns the questionnaire store on db.
func NewQuestionnaireStore(db *DB) *QuestionnaireStore {
	db.mustHaveDomain(DomainParticipation, "NewQuestionnaireStore")
	return &QuestionnaireStore{partDB{db: db}}
}

// CreateQuestionnaire implements questionnaire.Store.
func (s *QuestionnaireStore) CreateQuestionnaire(ctx context.Context, q *questionnaire.Questionnaire) error {
	truncateQuestionnaire(q)
	_, err := s.db.bun.NewInsert().Model(toQuestionnaireRow(q)).Exec(ctx)
	return mapErr("create questionnaire", err)
}

func truncateQuestionnaire(q *questionnaire.Questionnaire) {
	q.CreatedAt, q.UpdatedAt = truncate(q.CreatedAt), truncate(q.UpdatedAt)
	if !q.ClosedAt.IsZero() {
		q.ClosedAt = truncate(q.ClosedAt)
	}
}

// GetQuestionnaire implements questionnaire.Store.
func (s *QuestionnaireStore) GetQuestionnaire(ctx context.Context, id uuid.UUID) (*questionnaire.Questionnaire, error) {
	var r questionnaireRow
	if err := s.db.bun.NewSelect().Model(&r).Where("qn.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get questionnaire", err)
	}
	return r.toDomain()
}

// ListQuestionnaires implements questionnaire.Store.
func (s *QuestionnaireStore) ListQuestionnaires(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[questionnaire.Questionnaire], error) {
	var cur idCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[questionnaire.Questionnaire]{}, err
	}
	var rows []questionnaireRow
	q := s.db.bun.NewSelect().Model(&rows).Where("qn.consultation_id = ?", consultationID)
	var vals []any
	if set {
		id, err := cursorID(cur.ID)
		if err != nil {
			return civickit.Page[questionnaire.Questionnaire]{}, err
		}
		vals = []any{cur.N, id}
	}
	if err := keyset(q, []sortKey{{expr: "qn.created_at"}, {expr: "qn.id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[questionnaire.Questionnaire]{}, mapErr("list questionnaires", err)
	}
	return pageOf(rows, n, func(r *questionnaireRow) (questionnaire.Questionnaire, error) {
		q, err := r.toDomain()
		if err != nil {
			return questionnaire.Questionnaire{}, err
		}
		return *q, nil
	}, func(r *questionnaireRow) any { return idCursor{N: r.CreatedAt, ID: r.ID.String()} })
}

// UpdateQuestionnaire implements questionnaire.Store.
func (s *QuestionnaireStore) UpdateQuestionnaire(ctx context.Context, q *questionnaire.Questionnaire) error {
	truncateQuestionnaire(q)
	row := toQuestionnaireRow(q)
	row.Version = q.Version + 1
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model(row).
			Column("title", "description", "questions", "anonymous", "results", "min_group_size",
				"closed_at", "version", "updated_at").
			Where("id = ?", q.ID).Where("version = ?", q.Version).Exec(ctx)
		if err != nil {
			return err
		}
		return partVersioned(ctx, tx, res, (*questionnaireRow)(nil), q.ID, q.Version)
	})
	if err != nil {
		return mapErr("update questionnaire", err)
	}
	q.Version++
	return nil
}

// partVersioned turns an update that touched no row into ErrNotFound
// or ErrConflict.
func partVersioned(ctx context.Context, tx bun.IDB, res interface{ RowsAffected() (int64, error) }, model any, id uuid.UUID, version int) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 1 {
		return nil
	}
	exists, err := tx.NewSelect().Model(model).Where("id = ?", id).Exists(ctx)
	if err != nil {
		return err
	}
	if !exists {
		return participation.ErrNotFound
	}
	return fmt.Errorf("stale version %d: %w", version, participation.ErrConflict)
}

// SubmitResponse implements questionnaire.Store.
func (s *QuestionnaireStore) SubmitResponse(ctx context.Context, participantID uuid.UUID, r *questionnaire.Response) (*questionnaire.Response, bool, error) {
	r.SubmittedAt = truncate(r.SubmittedAt)
	row := toResponseRow(r)
	var prev *questionnaire.Response
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		prev = nil
		if r.IdempotencyKey != "" {
			p, err := responseByKey(ctx, tx, r.QuestionnaireID, r.IdempotencyKey)
			switch {
			case err == nil:
				prev = p
				return nil
			case !errors.Is(err, participation.ErrNotFound):
				return err
			}
		}
		if _, err := tx.NewInsert().Model(&respondentRow{QuestionnaireID: r.QuestionnaireID, ParticipantID: participantID}).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(row).Exec(ctx)
		return err
	})
	if err != nil && r.IdempotencyKey != "" && classify(err) == classUnique {
		// A concurrent submission with the same key won the race: it
		// is the one stored.
		if p, err2 := responseByKey(ctx, s.db.bun, r.QuestionnaireID, r.IdempotencyKey); err2 == nil {
			return p, true, nil
		}
	}
	if err != nil {
		if classify(err) == classUnique {
			return nil, false, fmt.Errorf("submit response: participant already responded: %w", participation.ErrConflict)
		}
		return nil, false, mapErr("submit response", err)
	}
	if prev != nil {
		return prev, true, nil
	}
	return r, false, nil
}

// importBatch bounds the rows of one insert statement.
const importBatch = 500

// ImportResponses implements questionnaire.Store.
func (s *QuestionnaireStore) ImportResponses(ctx context.Context, subs []questionnaire.Submission) error {
	for _, sub := range subs {
		sub.Response.SubmittedAt = truncate(sub.Response.SubmittedAt)
	}
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		resp := make([]respondentRow, 0, min(len(subs), importBatch))
		rows := make([]*responseRow, 0, min(len(subs), importBatch))
		for i := 0; i < len(subs); i += importBatch {
			resp, rows = resp[:0], rows[:0]
			for _, sub := range subs[i:min(i+importBatch, len(subs))] {
				resp = append(resp, respondentRow{QuestionnaireID: sub.Response.QuestionnaireID, ParticipantID: sub.ParticipantID})
				rows = append(rows, toResponseRow(sub.Response))
			}
			if _, err := tx.NewInsert().Model(&resp).Exec(ctx); err != nil {
				return err
			}
			if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	return mapErr("import responses", err)
}

// GetResponse implements questionnaire.Store.
func (s *QuestionnaireStore) GetResponse(ctx context.Context, id uuid.UUID) (*questionnaire.Response, error) {
	var row responseRow
	if err := s.db.bun.NewSelect().Model(&row).Where("rs.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get response", err)
	}
	r := &questionnaire.Response{}
	if err := row.into(r); err != nil {
		return nil, err
	}
	return r, nil
}

// ResponseByKey implements questionnaire.Store.
func (s *QuestionnaireStore) ResponseByKey(ctx context.Context, questionnaireID uuid.UUID, key string) (*questionnaire.Response, error) {
	return responseByKey(ctx, s.db.bun, questionnaireID, key)
}

func responseByKey(ctx context.Context, db bun.IDB, questionnaireID uuid.UUID, key string) (*questionnaire.Response, error) {
	var row responseRow
	err := db.NewSelect().Model(&row).Where("rs.questionnaire_id = ?", questionnaireID).
		Where("rs.idempotency_key = ?", key).Scan(ctx)
	if err != nil {
		return nil, mapErr("response by key", err)
	}
	r := &questionnaire.Response{}
	if err := row.into(r); err != nil {
		return nil, err
	}
	return r, nil
}

// HasResponded implements questionnaire.Store.
func (s *QuestionnaireStore) HasResponded(ctx context.Context, questionnaireID, participantID uuid.UUID) (bool, error) {
	ok, err := s.db.bun.NewSelect().Model((*respondentRow)(nil)).
		Where("questionnaire_id = ?", questionnaireID).Where("participant_id = ?", participantID).Exists(ctx)
	if err != nil {
		return false, mapErr("has responded", err)
	}
	return ok, nil
}

// CountResponses implements questionnaire.Store.
func (s *QuestionnaireStore) CountResponses(ctx context.Context, questionnaireID uuid.UUID) (int, error) {
	n, err := s.db.bun.NewSelect().Model((*responseRow)(nil)).Where("questionnaire_id = ?", questionnaireID).Count(ctx)
	if err != nil {
		return 0, mapErr("count responses", err)
	}
	return int(n), nil
}

// streamPage is how many responses StreamResponses reads at a time.
const streamPage = 1000

// StreamResponses implements questionnaire.Store: it walks the
// responses by ID in pages (keyset pagination), so that neither the
// store nor the database holds more than a page.
func (s *QuestionnaireStore) StreamResponses(ctx context.Context, questionnaireID uuid.UUID, fn func(*questionnaire.Response) error) error {
	rows := make([]responseRow, 0, streamPage)
	var (
		r     questionnaire.Response
		after *uuid.UUID
	)
	for {
		rows = rows[:0]
		q := s.db.bun.NewSelect().Model(&rows).Where("rs.questionnaire_id = ?", questionnaireID)
		if after != nil {
			q = q.Where("rs.id > ?", *after)
		}
		if err := q.Order("rs.id").Limit(streamPage).Scan(ctx); err != nil {
			return mapErr("stream responses", err)
		}
		for i := range rows {
			if err := rows[i].into(&r); err != nil {
				return err
			}
			if err := fn(&r); err != nil {
				return err
			}
		}
		if len(rows) < streamPage {
			return nil
		}
		last := rows[len(rows)-1].ID
		after = &last
	}
}

// ResponseGroups implements questionnaire.Store.
func (s *QuestionnaireStore) ResponseGroups(ctx context.Context, questionnaireID uuid.UUID) ([]questionnaire.ResponseGroup, error) {
	var rows []struct {
		Channel      string `bun:"channel"`
		Recruitment  string `bun:"recruitment"`
		Place        string `bun:"place"`
		SubmittedDay int64  `bun:"submitted_day"`
		N            int    `bun:"n"`
	}
	err := s.db.bun.NewSelect().Model((*responseRow)(nil)).
		Column("channel", "recruitment", "place", "submitted_day").ColumnExpr("COUNT(*) AS n").
		Where("questionnaire_id = ?", questionnaireID).
		GroupExpr("channel, recruitment, place, submitted_day").
		OrderExpr("channel, recruitment, place, submitted_day").Scan(ctx, &rows)
	if err != nil {
		return nil, mapErr("response groups", err)
	}
	out := make([]questionnaire.ResponseGroup, len(rows))
	for i, r := range rows {
		out[i] = questionnaire.ResponseGroup{
			Channel: civickit.Channel(r.Channel), Recruitment: participation.Recruitment(r.Recruitment),
			Place: r.Place, Day: r.SubmittedDay, Count: r.N,
		}
	}
	return out, nil
}

// CreatePaperBatch implements questionnaire.Store.
func (s *QuestionnaireStore) CreatePaperBatch(ctx context.Context, b *questionnaire.PaperBatch) error {
	b.CreatedAt, b.UpdatedAt = truncate(b.CreatedAt), truncate(b.UpdatedAt)
	_, err := s.db.bun.NewInsert().Model(toPaperBatchRow(b)).Exec(ctx)
	return mapErr("create paper batch", err)
}

// GetPaperBatch implements questionnaire.Store.
func (s *QuestionnaireStore) GetPaperBatch(ctx context.Context, id uuid.UUID) (*questionnaire.PaperBatch, error) {
	var r paperBatchRow
	if err := s.db.bun.NewSelect().Model(&r).Where("pb.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get paper batch", err)
	}
	return r.toDomain(), nil
}

// UpdatePaperBatch implements questionnaire.Store.
func (s *QuestionnaireStore) UpdatePaperBatch(ctx context.Context, b *questionnaire.PaperBatch) error {
	b.UpdatedAt = truncate(b.UpdatedAt)
	row := toPaperBatchRow(b)
	row.Version = b.Version + 1
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model(row).Column("status", "committed", "version", "updated_at").
			Where("id = ?", b.ID).Where("version = ?", b.Version).Exec(ctx)
		if err != nil {
			return err
		}
		return partVersioned(ctx, tx, res, (*paperBatchRow)(nil), b.ID, b.Version)
	})
	if err != nil {
		return mapErr("update paper batch", err)
	}
	b.Version++
	return nil
}

// AddPaperEntry implements questionnaire.Store.
func (s *QuestionnaireStore) AddPaperEntry(ctx context.Context, e *questionnaire.PaperEntry) error {
	e.KeyedAt = truncate(e.KeyedAt)
	_, err := s.db.bun.NewInsert().Model(toPaperEntryRow(e)).Exec(ctx)
	return mapErr("add paper entry", err)
}

// ListPaperEntries implements questionnaire.Store.
func (s *QuestionnaireStore) ListPaperEntries(ctx context.Context, batchID uuid.UUID, after string, limit int) (civickit.Page[questionnaire.PaperEntry], error) {
	var cur idCursor // N: the form, ID: the pass
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[questionnaire.PaperEntry]{}, err
	}
	var vals []any
	if set {
		pass, err := strconv.Atoi(cur.ID)
		if err != nil {
			return civickit.Page[questionnaire.PaperEntry]{}, civickit.Invalid("after", "cursor", "")
		}
		vals = []any{cur.N, pass}
	}
	var rows []paperEntryRow
	q := s.db.bun.NewSelect().Model(&rows).Where("pe.batch_id = ?", batchID)
	if err := keyset(q, []sortKey{{expr: "pe.form"}, {expr: "pe.pass"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[questionnaire.PaperEntry]{}, mapErr("list paper entries", err)
	}
	return pageOf(rows, n, (*paperEntryRow).toDomain,
		func(r *paperEntryRow) any { return idCursor{N: int64(r.Form), ID: strconv.Itoa(r.Pass)} })
}
