package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// ParticipationStore implements participation.Store with bun. Its methods
// are spread over participation_*.go, one file per part of the domain.
type ParticipationStore struct {
	db *DB
}

var _ participation.Store = (*ParticipationStore)(nil)

// NewParticipationStore returns the participation store on db.
func NewParticipationStore(db *DB) *ParticipationStore {
	db.mustHaveDomain(DomainParticipation, "NewParticipationStore")
	return &ParticipationStore{db: db}
}

// partErr maps a driver or bun error to the kernel's kinds (mapErr), and to
// the participation package's own sentinels of those kinds.
func partErr(op string, err error) error {
	if err == nil {
		return nil
	}
	return withSentinels(mapErr(op, err), sentinels{
		civickit.ErrNotFound:    participation.ErrNotFound,
		civickit.ErrConflict:    participation.ErrConflict,
		civickit.ErrUnavailable: participation.ErrUnavailable,
	})
}

func truncateConsultation(c *participation.Consultation) {
	c.CreatedAt, c.UpdatedAt = truncate(c.CreatedAt), truncate(c.UpdatedAt)
	for i := range c.Phases {
		c.Phases[i].Starts, c.Phases[i].Ends = truncate(c.Phases[i].Starts), truncate(c.Phases[i].Ends)
	}
}

// CreateConsultation implements participation.Store.
func (s *ParticipationStore) CreateConsultation(ctx context.Context, c *participation.Consultation) error {
	truncateConsultation(c)
	_, err := s.db.bun.NewInsert().Model(toConsultationRow(c)).Exec(ctx)
	return partErr("create consultation", err)
}

// GetConsultation implements participation.Store.
func (s *ParticipationStore) GetConsultation(ctx context.Context, id uuid.UUID) (*participation.Consultation, error) {
	return getConsultation(ctx, s.db.bun, id)
}

func getConsultation(ctx context.Context, db bun.IDB, id uuid.UUID) (*participation.Consultation, error) {
	var r consultationRow
	if err := db.NewSelect().Model(&r).Where("c.id = ?", id).Scan(ctx); err != nil {
		return nil, partErr("get consultation", err)
	}
	return r.toDomain()
}

// updateConsultation writes c over the row of the same ID and Version and
// bumps the version; it reports ErrNotFound or ErrConflict.
func updateConsultation(ctx context.Context, tx bun.IDB, c *participation.Consultation) error {
	row := toConsultationRow(c)
	row.Version = c.Version + 1
	res, err := tx.NewUpdate().Model(row).
		Column("title", "summary", "body", "organiser", "territory", "languages", "phases",
			"status", "active_phase", "settings", "next_due_at", "follow_up_of", "version", "updated_at").
		Where("id = ?", c.ID).Where("version = ?", c.Version).Exec(ctx)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 1 {
		return nil
	}
	exists, err := tx.NewSelect().Model((*consultationRow)(nil)).Where("id = ?", c.ID).Exists(ctx)
	if err != nil {
		return err
	}
	if !exists {
		return participation.ErrNotFound
	}
	return fmt.Errorf("stale version %d: %w", c.Version, participation.ErrConflict)
}

// UpdateConsultation implements participation.Store.
func (s *ParticipationStore) UpdateConsultation(ctx context.Context, c *participation.Consultation) error {
	truncateConsultation(c)
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return updateConsultation(ctx, tx, c)
	})
	if err != nil {
		return partErr("update consultation", err)
	}
	c.Version++
	return nil
}

// TransitionConsultation implements participation.Store.
func (s *ParticipationStore) TransitionConsultation(ctx context.Context, c *participation.Consultation, t *participation.PhaseTransition) error {
	truncateConsultation(c)
	t.At = truncate(t.At)
	var seq int
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := updateConsultation(ctx, tx, c); err != nil {
			return err
		}
		// The version check above serialises writers of this
		// consultation, so MAX(seq)+1 cannot be taken twice.
		if err := tx.NewSelect().Model((*consultationTransitionRow)(nil)).
			ColumnExpr("COALESCE(MAX(seq), 0) + 1").Where("consultation_id = ?", c.ID).
			Scan(ctx, &seq); err != nil {
			return err
		}
		row := &consultationTransitionRow{
			ID: t.ID, ConsultationID: c.ID, Seq: seq, FromPhase: string(t.From), ToPhase: string(t.To),
			TriggerKind: string(t.Trigger), Actor: t.Actor, At: micros(t.At), Note: t.Note,
		}
		_, err := tx.NewInsert().Model(row).Exec(ctx)
		return err
	})
	if err != nil {
		return partErr("transition consultation", err)
	}
	c.Version++
	t.ConsultationID, t.Seq = c.ID, seq
	return nil
}

// ListTransitions implements participation.Store.
func (s *ParticipationStore) ListTransitions(ctx context.Context, consultationID uuid.UUID) ([]participation.PhaseTransition, error) {
	var rows []consultationTransitionRow
	err := s.db.bun.NewSelect().Model(&rows).Where("ct.consultation_id = ?", consultationID).
		Order("ct.seq").Scan(ctx)
	if err != nil {
		return nil, partErr("list transitions", err)
	}
	out := make([]participation.PhaseTransition, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out, nil
}

// ListConsultations implements participation.Store.
func (s *ParticipationStore) ListConsultations(ctx context.Context, f participation.ConsultationFilter, limit int, after *participation.ConsultationCursor) ([]participation.Consultation, *participation.ConsultationCursor, error) {
	var rows []consultationRow
	q := s.db.bun.NewSelect().Model(&rows)
	if f.Territory != "" {
		q = q.Where("c.territory = ?", f.Territory)
	}
	if f.Status != "" {
		q = q.Where("c.status = ?", string(f.Status))
	}
	if after != nil {
		at := micros(after.CreatedAt)
		q = q.Where("(c.created_at < ? OR (c.created_at = ? AND c.id < ?))", at, at, after.ID)
	}
	// One more row than asked tells whether another page follows.
	err := q.OrderExpr("c.created_at DESC, c.id DESC").Limit(int64(limit) + 1).Scan(ctx)
	if err != nil {
		return nil, nil, partErr("list consultations", err)
	}
	more := len(rows) > limit
	if more {
		rows = rows[:limit]
	}
	out := make([]participation.Consultation, len(rows))
	for i := range rows {
		c, err := rows[i].toDomain()
		if err != nil {
			return nil, nil, err
		}
		out[i] = *c
	}
	if !more || len(out) == 0 {
		return out, nil, nil
	}
	last := out[len(out)-1]
	return out, &participation.ConsultationCursor{CreatedAt: last.CreatedAt, ID: last.ID}, nil
}

// DueConsultations implements participation.Store.
func (s *ParticipationStore) DueConsultations(ctx context.Context, now time.Time, limit int) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.bun.NewSelect().Model((*consultationRow)(nil)).Column("id").
		Where("next_due_at <= ?", micros(now)).OrderExpr("next_due_at, id").Limit(int64(limit)).
		Scan(ctx, &ids)
	if err != nil {
		return nil, partErr("due consultations", err)
	}
	return ids, nil
}

// CreateParticipant implements participation.Store.
func (s *ParticipationStore) CreateParticipant(ctx context.Context, p *participation.Participant, pd *participation.PersonalData) error {
	if pd != nil && pd.ParticipantID != p.ID {
		return fmt.Errorf("create participant: personal data of another participant: %w", participation.ErrInvalid)
	}
	p.CreatedAt = truncate(p.CreatedAt)
	if pd != nil {
		pd.CreatedAt, pd.UpdatedAt = truncate(pd.CreatedAt), truncate(pd.UpdatedAt)
	}
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&participantRow{ID: p.ID, CreatedAt: micros(p.CreatedAt)}).Exec(ctx); err != nil {
			return err
		}
		if pd == nil {
			return nil
		}
		_, err := tx.NewInsert().Model(toPersonalDataRow(pd)).Exec(ctx)
		return err
	})
	return partErr("create participant", err)
}

// GetParticipant implements participation.Store.
func (s *ParticipationStore) GetParticipant(ctx context.Context, id uuid.UUID) (*participation.Participant, error) {
	var r participantRow
	if err := s.db.bun.NewSelect().Model(&r).Where("pa.id = ?", id).Scan(ctx); err != nil {
		return nil, partErr("get participant", err)
	}
	return &participation.Participant{ID: r.ID, CreatedAt: fromMicros(r.CreatedAt)}, nil
}

// GetPersonalData implements participation.Store.
func (s *ParticipationStore) GetPersonalData(ctx context.Context, participantID uuid.UUID) (*participation.PersonalData, error) {
	var r personalDataRow
	if err := s.db.bun.NewSelect().Model(&r).Where("pd.participant_id = ?", participantID).Scan(ctx); err != nil {
		return nil, partErr("get personal data", err)
	}
	return r.toDomain(), nil
}

// upsert turns an insert into "insert or update cols" on the engine's
// syntax; key lists the primary key columns.
func (s *ParticipationStore) upsert(q *bun.InsertQuery, key string, cols ...string) *bun.InsertQuery {
	if s.db.engine == MySQL {
		q = q.On("DUPLICATE KEY UPDATE")
		for _, c := range cols {
			q = q.Set("? = VALUES(?)", bun.Ident(c), bun.Ident(c))
		}
		return q
	}
	q = q.On("CONFLICT (" + key + ") DO UPDATE")
	for _, c := range cols {
		q = q.Set("? = EXCLUDED.?", bun.Ident(c), bun.Ident(c))
	}
	return q
}

// PutPersonalData implements participation.Store. One statement, so
// that concurrent writers of the same participant never collide on the
// key: the last one wins.
func (s *ParticipationStore) PutPersonalData(ctx context.Context, pd *participation.PersonalData) error {
	pd.CreatedAt, pd.UpdatedAt = truncate(pd.CreatedAt), truncate(pd.UpdatedAt)
	q := s.upsert(s.db.bun.NewInsert().Model(toPersonalDataRow(pd)), "participant_id",
		"name", "email", "phone", "address", "territory", "birth_year", "birth_month",
		"birth_day", "census_key", "updated_at")
	_, err := q.Exec(ctx)
	return partErr("put personal data", err)
}

// ErasePersonalData implements participation.Store.
func (s *ParticipationStore) ErasePersonalData(ctx context.Context, participantID uuid.UUID) error {
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*verificationRow)(nil)).Where("participant_id = ?", participantID).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewDelete().Model((*personalDataRow)(nil)).Where("participant_id = ?", participantID).Exec(ctx)
		return err
	})
	return partErr("erase personal data", err)
}

// SaveVerification implements participation.Store.
func (s *ParticipationStore) SaveVerification(ctx context.Context, v *participation.Verification) error {
	v.VerifiedAt = truncate(v.VerifiedAt)
	if !v.ExpiresAt.IsZero() {
		v.ExpiresAt = truncate(v.ExpiresAt)
	}
	_, err := s.db.bun.NewInsert().Model(toVerificationRow(v)).Exec(ctx)
	return partErr("save verification", err)
}

// ListVerifications implements participation.Store.
func (s *ParticipationStore) ListVerifications(ctx context.Context, participantID uuid.UUID) ([]participation.Verification, error) {
	var rows []verificationRow
	err := s.db.bun.NewSelect().Model(&rows).Where("pv.participant_id = ?", participantID).
		OrderExpr("pv.verified_at DESC, pv.id DESC").Scan(ctx)
	if err != nil {
		return nil, partErr("list verifications", err)
	}
	out := make([]participation.Verification, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out, nil
}

// censusBatch bounds the rows of one insert statement.
const censusBatch = 500

// AddCensusEntries implements participation.Store.
func (s *ParticipationStore) AddCensusEntries(ctx context.Context, list string, keys []string) error {
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		seen := make(map[string]bool, len(keys))
		rows := make([]censusEntryRow, 0, min(len(keys), censusBatch))
		flush := func() error {
			if len(rows) == 0 {
				return nil
			}
			_, err := s.insertIgnore(tx.NewInsert().Model(&rows)).Exec(ctx)
			rows = rows[:0]
			return err
		}
		for _, k := range keys {
			if seen[k] {
				continue
			}
			seen[k] = true
			rows = append(rows, censusEntryRow{ListName: list, EntryKey: k})
			if len(rows) == censusBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return flush()
	})
	return partErr("add census entries", err)
}

// InCensus implements participation.Store.
func (s *ParticipationStore) InCensus(ctx context.Context, list, key string) (bool, error) {
	ok, err := s.db.bun.NewSelect().Model((*censusEntryRow)(nil)).
		Where("list_name = ?", list).Where("entry_key = ?", key).Exists(ctx)
	if err != nil {
		return false, partErr("in census", err)
	}
	return ok, nil
}

// CreateResource implements participation.Store.
func (s *ParticipationStore) CreateResource(ctx context.Context, r *participation.Resource) error {
	r.CreatedAt = truncate(r.CreatedAt)
	row := &resourceRow{
		ID: r.ID, ConsultationID: r.ConsultationID, Kind: string(r.Kind), Title: r.Title, Body: r.Body,
		URL: r.URL, Language: r.Language, Required: r.Required, Position: r.Position, CreatedAt: micros(r.CreatedAt),
	}
	_, err := s.db.bun.NewInsert().Model(row).Exec(ctx)
	return partErr("create resource", err)
}

// ListResources implements participation.Store.
func (s *ParticipationStore) ListResources(ctx context.Context, consultationID uuid.UUID) ([]participation.Resource, error) {
	var rows []resourceRow
	err := s.db.bun.NewSelect().Model(&rows).Where("cr.consultation_id = ?", consultationID).
		Order("cr.position", "cr.id").Scan(ctx)
	if err != nil {
		return nil, partErr("list resources", err)
	}
	out := make([]participation.Resource, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out, nil
}

// CreatePreliminaryQuestion implements participation.Store.
func (s *ParticipationStore) CreatePreliminaryQuestion(ctx context.Context, q *participation.PreliminaryQuestion) error {
	q.CreatedAt = truncate(q.CreatedAt)
	choices := q.Choices
	if choices == nil {
		choices = []string{}
	}
	row := &preliminaryQuestionRow{
		ID: q.ID, ConsultationID: q.ConsultationID, Prompt: q.Prompt, Choices: mustJSON(choices),
		Mandatory: q.Mandatory, Position: q.Position, CreatedAt: micros(q.CreatedAt),
	}
	_, err := s.db.bun.NewInsert().Model(row).Exec(ctx)
	return partErr("create preliminary question", err)
}

// ListPreliminaryQuestions implements participation.Store.
func (s *ParticipationStore) ListPreliminaryQuestions(ctx context.Context, consultationID uuid.UUID) ([]participation.PreliminaryQuestion, error) {
	var rows []preliminaryQuestionRow
	err := s.db.bun.NewSelect().Model(&rows).Where("pq.consultation_id = ?", consultationID).
		Order("pq.position", "pq.id").Scan(ctx)
	if err != nil {
		return nil, partErr("list preliminary questions", err)
	}
	out := make([]participation.PreliminaryQuestion, len(rows))
	for i := range rows {
		q, err := rows[i].toDomain()
		if err != nil {
			return nil, err
		}
		out[i] = q
	}
	return out, nil
}

// insertIgnore adds the engine's "skip rows whose key is taken" clause.
func (s *ParticipationStore) insertIgnore(q *bun.InsertQuery) *bun.InsertQuery {
	if s.db.engine == MySQL {
		return q.Ignore()
	}
	return q.On("CONFLICT DO NOTHING")
}

// RecordRead implements participation.Store.
func (s *ParticipationStore) RecordRead(ctx context.Context, r *participation.ResourceRead) (bool, error) {
	r.At = truncate(r.At)
	row := &resourceReadRow{
		ResourceID: r.ResourceID, ParticipantID: r.ParticipantID, ConsultationID: r.ConsultationID,
		Channel: string(r.Channel), At: micros(r.At),
	}
	var first bool
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		// Check the references first: MariaDB's INSERT IGNORE would
		// also ignore a foreign key failure.
		for _, ref := range []struct {
			model any
			id    uuid.UUID
		}{{(*resourceRow)(nil), r.ResourceID}, {(*participantRow)(nil), r.ParticipantID}} {
			ok, err := tx.NewSelect().Model(ref.model).Where("id = ?", ref.id).Exists(ctx)
			if err != nil {
				return err
			}
			if !ok {
				return participation.ErrNotFound
			}
		}
		res, err := s.insertIgnore(tx.NewInsert().Model(row)).Exec(ctx)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		first = n == 1
		return err
	})
	if err != nil {
		return false, partErr("record read", err)
	}
	return first, nil
}

// ListReads implements participation.Store.
func (s *ParticipationStore) ListReads(ctx context.Context, consultationID, participantID uuid.UUID) ([]participation.ResourceRead, error) {
	var rows []resourceReadRow
	err := s.db.bun.NewSelect().Model(&rows).Where("rr.consultation_id = ?", consultationID).
		Where("rr.participant_id = ?", participantID).Order("rr.at", "rr.resource_id").Scan(ctx)
	if err != nil {
		return nil, partErr("list reads", err)
	}
	out := make([]participation.ResourceRead, len(rows))
	for i, r := range rows {
		out[i] = participation.ResourceRead{
			ConsultationID: r.ConsultationID, ResourceID: r.ResourceID, ParticipantID: r.ParticipantID,
			Channel: participation.Channel(r.Channel), At: fromMicros(r.At),
		}
	}
	return out, nil
}

// CountReads implements participation.Store.
func (s *ParticipationStore) CountReads(ctx context.Context, consultationID uuid.UUID) ([]participation.ReadCount, error) {
	var rows []struct {
		ResourceID uuid.UUID `bun:"resource_id"`
		Channel    string    `bun:"channel"`
		N          int       `bun:"n"`
	}
	err := s.db.bun.NewSelect().Model((*resourceReadRow)(nil)).
		Column("rr.resource_id", "rr.channel").ColumnExpr("COUNT(*) AS n").
		Where("rr.consultation_id = ?", consultationID).
		Group("rr.resource_id", "rr.channel").Order("rr.resource_id", "rr.channel").Scan(ctx, &rows)
	if err != nil {
		return nil, partErr("count reads", err)
	}
	out := make([]participation.ReadCount, len(rows))
	for i, r := range rows {
		out[i] = participation.ReadCount{ResourceID: r.ResourceID, Channel: participation.Channel(r.Channel), Count: r.N}
	}
	return out, nil
}

// SavePreliminaryAnswer implements participation.Store, in one
// statement (see PutPersonalData).
func (s *ParticipationStore) SavePreliminaryAnswer(ctx context.Context, a *participation.PreliminaryAnswer) error {
	a.At = truncate(a.At)
	row := &preliminaryAnswerRow{
		QuestionID: a.QuestionID, ParticipantID: a.ParticipantID, ConsultationID: a.ConsultationID,
		Answer: a.Answer, Channel: string(a.Channel), At: micros(a.At),
	}
	q := s.upsert(s.db.bun.NewInsert().Model(row), "question_id, participant_id", "answer", "channel", "at")
	_, err := q.Exec(ctx)
	return partErr("save preliminary answer", err)
}

// ListPreliminaryAnswers implements participation.Store.
func (s *ParticipationStore) ListPreliminaryAnswers(ctx context.Context, consultationID, participantID uuid.UUID) ([]participation.PreliminaryAnswer, error) {
	var rows []preliminaryAnswerRow
	err := s.db.bun.NewSelect().Model(&rows).Where("pan.consultation_id = ?", consultationID).
		Where("pan.participant_id = ?", participantID).Order("pan.at", "pan.question_id").Scan(ctx)
	if err != nil {
		return nil, partErr("list preliminary answers", err)
	}
	out := make([]participation.PreliminaryAnswer, len(rows))
	for i, r := range rows {
		out[i] = participation.PreliminaryAnswer{
			ConsultationID: r.ConsultationID, QuestionID: r.QuestionID, ParticipantID: r.ParticipantID,
			Answer: r.Answer, Channel: participation.Channel(r.Channel), At: fromMicros(r.At),
		}
	}
	return out, nil
}

// versionedUpdate runs an optimistic "UPDATE … WHERE key = ? AND version
// = ?" of row (whose Version is already the new one) and tells a missing
// row (ErrNotFound) from a stale version (ErrConflict).
func versionedUpdate(ctx context.Context, tx bun.IDB, row any, model any, keyCol string, key uuid.UUID, version int, cols ...string) error {
	res, err := tx.NewUpdate().Model(row).Column(cols...).
		Where("? = ?", bun.Ident(keyCol), key).Where("version = ?", version).Exec(ctx)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	exists, err := tx.NewSelect().Model(model).Where("? = ?", bun.Ident(keyCol), key).Exists(ctx)
	switch {
	case err != nil:
		return err
	case !exists:
		return participation.ErrNotFound
	}
	return fmt.Errorf("stale version %d: %w", version, participation.ErrConflict)
}

// CreateDecision implements participation.Store.
func (s *ParticipationStore) CreateDecision(ctx context.Context, d *participation.Decision) error {
	d.CreatedAt, d.UpdatedAt = truncate(d.CreatedAt), truncate(d.UpdatedAt)
	_, err := s.db.bun.NewInsert().Model(toDecisionRow(d)).Exec(ctx)
	return partErr("create decision", err)
}

// GetDecision implements participation.Store.
func (s *ParticipationStore) GetDecision(ctx context.Context, consultationID uuid.UUID) (*participation.Decision, error) {
	var r decisionRow
	if err := s.db.bun.NewSelect().Model(&r).Where("cd.consultation_id = ?", consultationID).Scan(ctx); err != nil {
		return nil, partErr("get decision", err)
	}
	return r.toDomain()
}

// UpdateDecision implements participation.Store.
func (s *ParticipationStore) UpdateDecision(ctx context.Context, d *participation.Decision) error {
	d.UpdatedAt = truncate(d.UpdatedAt)
	row := toDecisionRow(d)
	row.Version = d.Version + 1
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return versionedUpdate(ctx, tx, row, (*decisionRow)(nil), "consultation_id", d.ConsultationID, d.Version,
			"summary", "decided_by", "decided_on", "document_url", "follow_up_consultation_id", "version", "updated_at")
	})
	if err != nil {
		return partErr("update decision", err)
	}
	d.Version++
	return nil
}

// CreateFollowUpItem implements participation.Store.
func (s *ParticipationStore) CreateFollowUpItem(ctx context.Context, it *participation.FollowUpItem) error {
	it.CreatedAt, it.UpdatedAt = truncate(it.CreatedAt), truncate(it.UpdatedAt)
	_, err := s.db.bun.NewInsert().Model(toFollowUpItemRow(it)).Exec(ctx)
	return partErr("create follow-up item", err)
}

// GetFollowUpItem implements participation.Store.
func (s *ParticipationStore) GetFollowUpItem(ctx context.Context, id uuid.UUID) (*participation.FollowUpItem, error) {
	var r followUpItemRow
	if err := s.db.bun.NewSelect().Model(&r).Where("fi.id = ?", id).Scan(ctx); err != nil {
		return nil, partErr("get follow-up item", err)
	}
	it, err := r.toDomain()
	if err != nil {
		return nil, err
	}
	return &it, nil
}

// UpdateFollowUpItem implements participation.Store.
func (s *ParticipationStore) UpdateFollowUpItem(ctx context.Context, it *participation.FollowUpItem) error {
	it.UpdatedAt = truncate(it.UpdatedAt)
	row := toFollowUpItemRow(it)
	row.Version = it.Version + 1
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return versionedUpdate(ctx, tx, row, (*followUpItemRow)(nil), "id", it.ID, it.Version,
			"parent_id", "title", "description", "status", "progress", "weight", "position",
			"starts_on", "ends_on", "version", "updated_at")
	})
	if err != nil {
		return partErr("update follow-up item", err)
	}
	it.Version++
	return nil
}

// ListFollowUpItems implements participation.Store.
func (s *ParticipationStore) ListFollowUpItems(ctx context.Context, consultationID uuid.UUID) ([]participation.FollowUpItem, error) {
	var rows []followUpItemRow
	err := s.db.bun.NewSelect().Model(&rows).Where("fi.consultation_id = ?", consultationID).
		Order("fi.position", "fi.id").Scan(ctx)
	if err != nil {
		return nil, partErr("list follow-up items", err)
	}
	out := make([]participation.FollowUpItem, len(rows))
	for i := range rows {
		if out[i], err = rows[i].toDomain(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CreateMilestone implements participation.Store.
func (s *ParticipationStore) CreateMilestone(ctx context.Context, m *participation.Milestone) error {
	m.CreatedAt, m.UpdatedAt = truncate(m.CreatedAt), truncate(m.UpdatedAt)
	_, err := s.db.bun.NewInsert().Model(toMilestoneRow(m)).Exec(ctx)
	return partErr("create milestone", err)
}

// UpdateMilestone implements participation.Store.
func (s *ParticipationStore) UpdateMilestone(ctx context.Context, m *participation.Milestone) error {
	m.UpdatedAt = truncate(m.UpdatedAt)
	row := toMilestoneRow(m)
	row.Version = m.Version + 1
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return versionedUpdate(ctx, tx, row, (*milestoneRow)(nil), "id", m.ID, m.Version,
			"title", "description", "due_on", "reached_on", "version", "updated_at")
	})
	if err != nil {
		return partErr("update milestone", err)
	}
	m.Version++
	return nil
}

// ListMilestones implements participation.Store.
func (s *ParticipationStore) ListMilestones(ctx context.Context, consultationID uuid.UUID) ([]participation.Milestone, error) {
	var rows []milestoneRow
	err := s.db.bun.NewSelect().Model(&rows).Where("fm.consultation_id = ?", consultationID).
		Order("fm.due_on", "fm.id").Scan(ctx)
	if err != nil {
		return nil, partErr("list milestones", err)
	}
	out := make([]participation.Milestone, len(rows))
	for i := range rows {
		if out[i], err = rows[i].toDomain(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
