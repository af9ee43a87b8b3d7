package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// partDB holds what every participation store shares: the database and
// the helpers of participation_*.go.
type partDB struct {
	db *DB
}

// ParticipationStore implements participation.Store (consultations,
// participants, the information step) with bun.
type ParticipationStore struct {
	partDB
}

var _ participation.Store = (*ParticipationStore)(nil)

// NewParticipationStore returns the participation store on db.
func NewParticipationStore(db *DB) *ParticipationStore {
	db.mustHaveDomain(DomainParticipation, "NewParticipationStore")
	return &ParticipationStore{partDB{db: db}}
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
	return mapErr("create consultation", err)
}

// GetConsultation implements participation.Store.
func (s *ParticipationStore) GetConsultation(ctx context.Context, id uuid.UUID) (*participation.Consultation, error) {
	return getConsultation(ctx, s.db.bun, id)
}

func getConsultation(ctx context.Context, db bun.IDB, id uuid.UUID) (*participation.Consultation, error) {
	var r consultationRow
	if err := db.NewSelect().Model(&r).Where("c.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get consultation", err)
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
		return mapErr("update consultation", err)
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
		return mapErr("transition consultation", err)
	}
	c.Version++
	t.ConsultationID, t.Seq = c.ID, seq
	return nil
}

// ListTransitions implements participation.Store.
func (s *ParticipationStore) ListTransitions(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[participation.PhaseTransition], error) {
	var cur seqCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[participation.PhaseTransition]{}, err
	}
	var rows []consultationTransitionRow
	q := s.db.bun.NewSelect().Model(&rows).Where("ct.consultation_id = ?", consultationID)
	var vals []any
	if set {
		vals = []any{cur.N}
	}
	if err := keyset(q, []sortKey{{expr: "ct.seq"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[participation.PhaseTransition]{}, mapErr("list transitions", err)
	}
	return pageOf(rows, n, noErr((*consultationTransitionRow).toDomain),
		func(r *consultationTransitionRow) any { return seqCursor{N: int64(r.Seq)} })
}

// ListConsultations implements participation.Store.
func (s *ParticipationStore) ListConsultations(ctx context.Context, f participation.ConsultationFilter, after string, limit int) (civickit.Page[participation.Consultation], error) {
	var cur idCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[participation.Consultation]{}, err
	}
	var rows []consultationRow
	q := s.db.bun.NewSelect().Model(&rows)
	if f.Territory != "" {
		q = q.Where("c.territory = ?", f.Territory)
	}
	if f.Status != "" {
		q = q.Where("c.status = ?", string(f.Status))
	}
	var vals []any
	if set {
		id, err := cursorID(cur.ID)
		if err != nil {
			return civickit.Page[participation.Consultation]{}, err
		}
		vals = []any{cur.N, id}
	}
	keys := []sortKey{{expr: "c.created_at", desc: true}, {expr: "c.id", desc: true}}
	if err := keyset(q, keys, vals, n).Scan(ctx); err != nil {
		return civickit.Page[participation.Consultation]{}, mapErr("list consultations", err)
	}
	return pageOf(rows, n, func(r *consultationRow) (participation.Consultation, error) {
		c, err := r.toDomain()
		if err != nil {
			return participation.Consultation{}, err
		}
		return *c, nil
	}, func(r *consultationRow) any { return idCursor{N: r.CreatedAt, ID: r.ID.String()} })
}

// DueConsultations implements participation.Store.
func (s *ParticipationStore) DueConsultations(ctx context.Context, now time.Time, limit int) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.bun.NewSelect().Model((*consultationRow)(nil)).Column("id").
		Where("next_due_at <= ?", micros(now)).OrderExpr("next_due_at, id").Limit(int64(limit)).
		Scan(ctx, &ids)
	if err != nil {
		return nil, mapErr("due consultations", err)
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
	return mapErr("create participant", err)
}

// GetParticipant implements participation.Store.
func (s *ParticipationStore) GetParticipant(ctx context.Context, id uuid.UUID) (*participation.Participant, error) {
	var r participantRow
	if err := s.db.bun.NewSelect().Model(&r).Where("pa.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get participant", err)
	}
	return &participation.Participant{ID: r.ID, CreatedAt: fromMicros(r.CreatedAt)}, nil
}

// GetPersonalData implements participation.Store.
func (s *ParticipationStore) GetPersonalData(ctx context.Context, participantID uuid.UUID) (*participation.PersonalData, error) {
	var r personalDataRow
	if err := s.db.bun.NewSelect().Model(&r).Where("pd.participant_id = ?", participantID).Scan(ctx); err != nil {
		return nil, mapErr("get personal data", err)
	}
	return r.toDomain(), nil
}

// upsert turns an insert into "insert or update cols" on the engine's
// syntax; key lists the primary key columns.
func (s partDB) upsert(q *bun.InsertQuery, key string, cols ...string) *bun.InsertQuery {
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
		"birth_day", "updated_at")
	_, err := q.Exec(ctx)
	return mapErr("put personal data", err)
}

// ErasePersonalData implements participation.Store.
func (s *ParticipationStore) ErasePersonalData(ctx context.Context, participantID uuid.UUID) error {
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*verificationRow)(nil)).Where("participant_id = ?", participantID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*attributesRow)(nil)).Where("participant_id = ?", participantID).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewDelete().Model((*personalDataRow)(nil)).Where("participant_id = ?", participantID).Exec(ctx)
		return err
	})
	return mapErr("erase personal data", err)
}

// PutAttributes implements participation.Store: one upsert, the last
// writer wins. An unknown participant is refused by the foreign key.
func (s *ParticipationStore) PutAttributes(ctx context.Context, a *participation.Attributes) error {
	a.ConsentedAt, a.UpdatedAt = truncate(a.ConsentedAt), truncate(a.UpdatedAt)
	data, err := json.Marshal(a.Values)
	if err != nil {
		return fmt.Errorf("put attributes: %w", err)
	}
	row := &attributesRow{ParticipantID: a.ParticipantID, Attributes: string(data),
		ConsentedAt: micros(a.ConsentedAt), UpdatedAt: micros(a.UpdatedAt)}
	_, err = s.upsert(s.db.bun.NewInsert().Model(row), "participant_id", "attributes", "consented_at", "updated_at").Exec(ctx)
	return mapErr("put attributes", err)
}

// GetAttributes implements participation.Store.
func (s *ParticipationStore) GetAttributes(ctx context.Context, participantID uuid.UUID) (*participation.Attributes, error) {
	var r attributesRow
	if err := s.db.bun.NewSelect().Model(&r).Where("pat.participant_id = ?", participantID).Scan(ctx); err != nil {
		return nil, mapErr("get attributes", err)
	}
	return r.toDomain()
}

// ListAttributes implements participation.Store, in batches of 500 IDs.
func (s *ParticipationStore) ListAttributes(ctx context.Context, ids []uuid.UUID) ([]participation.Attributes, error) {
	var out []participation.Attributes
	seen := map[uuid.UUID]bool{}
	for start := 0; start < len(ids); start += 500 {
		batch := ids[start:min(start+500, len(ids))]
		var rows []attributesRow
		if err := s.db.bun.NewSelect().Model(&rows).Where("pat.participant_id IN (?)", bun.List(batch)).Scan(ctx); err != nil {
			return nil, mapErr("list attributes", err)
		}
		for _, r := range rows {
			if seen[r.ParticipantID] {
				continue
			}
			seen[r.ParticipantID] = true
			a, err := r.toDomain()
			if err != nil {
				return nil, err
			}
			out = append(out, *a)
		}
	}
	return out, nil
}

func (r *attributesRow) toDomain() (*participation.Attributes, error) {
	a := &participation.Attributes{ParticipantID: r.ParticipantID, Values: map[string]string{},
		ConsentedAt: fromMicros(r.ConsentedAt), UpdatedAt: fromMicros(r.UpdatedAt)}
	if err := json.Unmarshal([]byte(r.Attributes), &a.Values); err != nil {
		return nil, fmt.Errorf("attributes of %s: %w", r.ParticipantID, err)
	}
	return a, nil
}

// SaveVerification implements participation.Store.
func (s *ParticipationStore) SaveVerification(ctx context.Context, v *participation.Verification) error {
	v.VerifiedAt = truncate(v.VerifiedAt)
	if !v.ExpiresAt.IsZero() {
		v.ExpiresAt = truncate(v.ExpiresAt)
	}
	_, err := s.db.bun.NewInsert().Model(toVerificationRow(v)).Exec(ctx)
	return mapErr("save verification", err)
}

// ListVerifications implements participation.Store.
func (s *ParticipationStore) ListVerifications(ctx context.Context, participantID uuid.UUID, after string, limit int) (civickit.Page[participation.Verification], error) {
	var cur idCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[participation.Verification]{}, err
	}
	var rows []verificationRow
	q := s.db.bun.NewSelect().Model(&rows).Where("pv.participant_id = ?", participantID)
	var vals []any
	if set {
		id, err := cursorID(cur.ID)
		if err != nil {
			return civickit.Page[participation.Verification]{}, err
		}
		vals = []any{cur.N, id}
	}
	keys := []sortKey{{expr: "pv.verified_at", desc: true}, {expr: "pv.id", desc: true}}
	if err := keyset(q, keys, vals, n).Scan(ctx); err != nil {
		return civickit.Page[participation.Verification]{}, mapErr("list verifications", err)
	}
	return pageOf(rows, n, noErr((*verificationRow).toDomain),
		func(r *verificationRow) any { return idCursor{N: r.VerifiedAt, ID: r.ID.String()} })
}

// censusBatch bounds the rows of one insert statement.
const censusBatch = 500

// CensusSalt implements participation.Store.
func (s *ParticipationStore) CensusSalt(ctx context.Context, list string, fresh civickit.Salt) (civickit.Salt, error) {
	read := func() (civickit.Salt, error) {
		var row censusSaltRow
		err := s.db.bun.NewSelect().Model(&row).Where("cs.list_name = ?", list).Scan(ctx)
		return civickit.Salt(row.Salt), err
	}
	salt, err := read()
	if err == nil || !errors.Is(err, sql.ErrNoRows) || fresh == nil {
		return salt, mapErr("census salt", err)
	}
	// The first writer's salt is kept: a concurrent one is ignored and
	// every caller reads the stored salt back.
	row := &censusSaltRow{ListName: list, Salt: fresh, CreatedAt: micros(time.Now())}
	if _, err := s.insertIgnore(s.db.bun.NewInsert().Model(row)).Exec(ctx); err != nil {
		return nil, mapErr("census salt", err)
	}
	salt, err = read()
	return salt, mapErr("census salt", err)
}

// AddCensusKeys implements participation.Store.
func (s *ParticipationStore) AddCensusKeys(ctx context.Context, list string, keys []civickit.IdentityKey) error {
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		seen := make(map[civickit.IdentityKey]bool, len(keys))
		rows := make([]censusKeyRow, 0, min(len(keys), censusBatch))
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
			rows = append(rows, censusKeyRow{ListName: list, IdentityKey: string(k)})
			if len(rows) == censusBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return flush()
	})
	return mapErr("add census keys", err)
}

// InCensus implements participation.Store.
func (s *ParticipationStore) InCensus(ctx context.Context, list string, key civickit.IdentityKey) (bool, error) {
	ok, err := s.db.bun.NewSelect().Model((*censusKeyRow)(nil)).
		Where("list_name = ?", list).Where("identity_key = ?", string(key)).Exists(ctx)
	if err != nil {
		return false, mapErr("in census", err)
	}
	return ok, nil
}

// ClaimCensus implements participation.Store. The claims table has two
// unique keys, (list, identity key) and (list, participant): of two
// concurrent claims of one identity, the engine lets exactly one insert
// through.
func (s *ParticipationStore) ClaimCensus(ctx context.Context, c *participation.CensusClaim) error {
	c.ClaimedAt = truncate(c.ClaimedAt)
	row := &censusClaimRow{ListName: c.List, IdentityKey: string(c.Key), ParticipantID: c.ParticipantID, ClaimedAt: micros(c.ClaimedAt)}
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewInsert().Model(row).Exec(ctx)
		return err
	})
	if err != nil && classify(err) == classUnique {
		if holder, herr := s.CensusHolder(ctx, c.List, c.Key); herr == nil && holder == c.ParticipantID {
			return nil // claimed before: the first claim stays
		}
	}
	return mapErr("claim census", err)
}

// CensusKeyOf implements participation.Store.
func (s *ParticipationStore) CensusKeyOf(ctx context.Context, list string, participantID uuid.UUID) (civickit.IdentityKey, error) {
	var row censusClaimRow
	err := s.db.bun.NewSelect().Model(&row).Where("cc.list_name = ?", list).
		Where("cc.participant_id = ?", participantID).Scan(ctx)
	if err != nil {
		return "", mapErr("census key of", err)
	}
	return civickit.IdentityKey(row.IdentityKey), nil
}

// CensusHolder implements participation.Store.
func (s *ParticipationStore) CensusHolder(ctx context.Context, list string, key civickit.IdentityKey) (uuid.UUID, error) {
	var row censusClaimRow
	err := s.db.bun.NewSelect().Model(&row).Where("cc.list_name = ?", list).
		Where("cc.identity_key = ?", string(key)).Scan(ctx)
	if err != nil {
		return uuid.Nil, mapErr("census holder", err)
	}
	return row.ParticipantID, nil
}

// CreateResource implements participation.Store.
func (s *ParticipationStore) CreateResource(ctx context.Context, r *participation.Resource) error {
	r.CreatedAt = truncate(r.CreatedAt)
	row := &resourceRow{
		ID: r.ID, ConsultationID: r.ConsultationID, Kind: string(r.Kind), Title: r.Title, Body: r.Body,
		URL: r.URL, Language: r.Language, Required: r.Required, Position: r.Position, CreatedAt: micros(r.CreatedAt),
	}
	_, err := s.db.bun.NewInsert().Model(row).Exec(ctx)
	return mapErr("create resource", err)
}

// ListResources implements participation.Store.
func (s *ParticipationStore) ListResources(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[participation.Resource], error) {
	var cur idCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[participation.Resource]{}, err
	}
	var rows []resourceRow
	q := s.db.bun.NewSelect().Model(&rows).Where("cr.consultation_id = ?", consultationID)
	var vals []any
	if set {
		id, err := cursorID(cur.ID)
		if err != nil {
			return civickit.Page[participation.Resource]{}, err
		}
		vals = []any{cur.N, id}
	}
	if err := keyset(q, []sortKey{{expr: "cr.position"}, {expr: "cr.id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[participation.Resource]{}, mapErr("list resources", err)
	}
	return pageOf(rows, n, noErr((*resourceRow).toDomain),
		func(r *resourceRow) any { return idCursor{N: int64(r.Position), ID: r.ID.String()} })
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
	return mapErr("create preliminary question", err)
}

// ListPreliminaryQuestions implements participation.Store.
func (s *ParticipationStore) ListPreliminaryQuestions(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[participation.PreliminaryQuestion], error) {
	var cur idCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[participation.PreliminaryQuestion]{}, err
	}
	var rows []preliminaryQuestionRow
	q := s.db.bun.NewSelect().Model(&rows).Where("pq.consultation_id = ?", consultationID)
	var vals []any
	if set {
		id, err := cursorID(cur.ID)
		if err != nil {
			return civickit.Page[participation.PreliminaryQuestion]{}, err
		}
		vals = []any{cur.N, id}
	}
	if err := keyset(q, []sortKey{{expr: "pq.position"}, {expr: "pq.id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[participation.PreliminaryQuestion]{}, mapErr("list preliminary questions", err)
	}
	return pageOf(rows, n, (*preliminaryQuestionRow).toDomain,
		func(r *preliminaryQuestionRow) any { return idCursor{N: int64(r.Position), ID: r.ID.String()} })
}

// insertIgnore adds the engine's "skip rows whose key is taken" clause.
func (s partDB) insertIgnore(q *bun.InsertQuery) *bun.InsertQuery {
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
		return false, mapErr("record read", err)
	}
	return first, nil
}

// ListReads implements participation.Store.
func (s *ParticipationStore) ListReads(ctx context.Context, consultationID, participantID uuid.UUID, after string, limit int) (civickit.Page[participation.ResourceRead], error) {
	var cur idCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[participation.ResourceRead]{}, err
	}
	var rows []resourceReadRow
	q := s.db.bun.NewSelect().Model(&rows).Where("rr.consultation_id = ?", consultationID).
		Where("rr.participant_id = ?", participantID)
	var vals []any
	if set {
		id, err := cursorID(cur.ID)
		if err != nil {
			return civickit.Page[participation.ResourceRead]{}, err
		}
		vals = []any{cur.N, id}
	}
	if err := keyset(q, []sortKey{{expr: "rr.at"}, {expr: "rr.resource_id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[participation.ResourceRead]{}, mapErr("list reads", err)
	}
	return pageOf(rows, n, noErr(func(r *resourceReadRow) participation.ResourceRead {
		return participation.ResourceRead{
			ConsultationID: r.ConsultationID, ResourceID: r.ResourceID, ParticipantID: r.ParticipantID,
			Channel: civickit.Channel(r.Channel), At: fromMicros(r.At),
		}
	}), func(r *resourceReadRow) any { return idCursor{N: r.At, ID: r.ResourceID.String()} })
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
		return nil, mapErr("count reads", err)
	}
	out := make([]participation.ReadCount, len(rows))
	for i, r := range rows {
		out[i] = participation.ReadCount{ResourceID: r.ResourceID, Channel: civickit.Channel(r.Channel), Count: r.N}
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
	return mapErr("save preliminary answer", err)
}

// ListPreliminaryAnswers implements participation.Store.
func (s *ParticipationStore) ListPreliminaryAnswers(ctx context.Context, consultationID, participantID uuid.UUID, after string, limit int) (civickit.Page[participation.PreliminaryAnswer], error) {
	var cur idCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[participation.PreliminaryAnswer]{}, err
	}
	var rows []preliminaryAnswerRow
	q := s.db.bun.NewSelect().Model(&rows).Where("pan.consultation_id = ?", consultationID).
		Where("pan.participant_id = ?", participantID)
	var vals []any
	if set {
		id, err := cursorID(cur.ID)
		if err != nil {
			return civickit.Page[participation.PreliminaryAnswer]{}, err
		}
		vals = []any{cur.N, id}
	}
	if err := keyset(q, []sortKey{{expr: "pan.at"}, {expr: "pan.question_id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[participation.PreliminaryAnswer]{}, mapErr("list preliminary answers", err)
	}
	return pageOf(rows, n, noErr(func(r *preliminaryAnswerRow) participation.PreliminaryAnswer {
		return participation.PreliminaryAnswer{
			ConsultationID: r.ConsultationID, QuestionID: r.QuestionID, ParticipantID: r.ParticipantID,
			Answer: r.Answer, Channel: civickit.Channel(r.Channel), At: fromMicros(r.At),
		}
	}), func(r *preliminaryAnswerRow) any { return idCursor{N: r.At, ID: r.QuestionID.String()} })
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
