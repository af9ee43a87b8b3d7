package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/reference-server/httpapi"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// ServerStore keeps the reference server's own state: answers stored by
// idempotency key, identity links, role grants and API tokens. Nothing
// personal: identities and keys arrive as digests.
type ServerStore struct {
	db *DB
}

var (
	_ httpapi.IdempotencyStore = (*ServerStore)(nil)
	_ httpapi.AccountStore     = (*ServerStore)(nil)
)

// NewServerStore returns the reference server's store on db.
func NewServerStore(db *DB) *ServerStore {
	db.mustHaveDomain(DomainServer, "NewServerStore")
	return &ServerStore{db: db}
}

type idempotencyRow struct {
	bun.BaseModel `bun:"table:server_idempotency"`
	ID            string `bun:"id,pk"`
	BodyHash      string `bun:"body_hash"`
	Done          int    `bun:"done"`
	Status        int    `bun:"status"`
	Header        string `bun:"header"`
	Body          []byte `bun:"body"`
	CreatedAt     int64  `bun:"created_at"`
}

func (r *idempotencyRow) toRecord() (httpapi.IdempotencyRecord, error) {
	rec := httpapi.IdempotencyRecord{Key: r.ID, BodyHash: r.BodyHash, Done: r.Done != 0, Status: r.Status,
		Body: r.Body, CreatedAt: fromMicros(r.CreatedAt)}
	if err := json.Unmarshal([]byte(r.Header), &rec.Header); err != nil {
		return rec, fmt.Errorf("storage: idempotency record header: %w", err)
	}
	return rec, nil
}

func idempotencyRowOf(rec httpapi.IdempotencyRecord) (*idempotencyRow, error) {
	h, err := json.Marshal(rec.Header)
	if err != nil {
		return nil, err
	}
	done := 0
	if rec.Done {
		done = 1
	}
	return &idempotencyRow{ID: rec.Key, BodyHash: rec.BodyHash, Done: done, Status: rec.Status, Header: string(h),
		Body: rec.Body, CreatedAt: micros(rec.CreatedAt)}, nil
}

// ClaimIdempotencyKey implements httpapi.IdempotencyStore. The primary
// key decides between concurrent claims: one insert wins, on every
// engine, without a transaction.
func (s *ServerStore) ClaimIdempotencyKey(ctx context.Context, rec httpapi.IdempotencyRecord, staleBefore time.Time) (httpapi.IdempotencyRecord, bool, error) {
	const op = "claim idempotency key"
	rec.Done, rec.Status, rec.Body = false, 0, nil
	row, err := idempotencyRowOf(rec)
	if err != nil {
		return rec, false, fmt.Errorf("%s: %w", op, err)
	}
	idb := s.db.bun
	for range 3 { // a released key may vanish between the insert and the read
		_, err := idb.NewInsert().Model(row).Exec(ctx)
		if err == nil {
			return rec, true, nil
		}
		if classify(err) != classUnique {
			return rec, false, mapErr(op, err)
		}
		res, err := idb.NewUpdate().Model((*idempotencyRow)(nil)).
			Set("body_hash = ?", row.BodyHash).Set("created_at = ?", row.CreatedAt).Set("header = ?", row.Header).
			Where("id = ? AND done = 0 AND created_at < ?", row.ID, micros(staleBefore)).Exec(ctx)
		if err != nil {
			return rec, false, mapErr(op, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return rec, true, nil
		}
		var found idempotencyRow
		err = idb.NewSelect().Model(&found).Where("id = ?", row.ID).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return rec, false, mapErr(op, err)
		}
		f, err := found.toRecord()
		return f, false, err
	}
	return rec, false, &opError{op: op, kind: civickit.ErrUnavailable}
}

// FinishIdempotencyKey implements httpapi.IdempotencyStore.
func (s *ServerStore) FinishIdempotencyKey(ctx context.Context, rec httpapi.IdempotencyRecord) error {
	const op = "finish idempotency key"
	rec.Done = true
	row, err := idempotencyRowOf(rec)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	res, err := s.db.bun.NewUpdate().Model((*idempotencyRow)(nil)).
		Set("done = 1").Set("status = ?", row.Status).Set("header = ?", row.Header).Set("body = ?", row.Body).
		Where("id = ? AND body_hash = ? AND done = 0", row.ID, row.BodyHash).Exec(ctx)
	if err != nil {
		return mapErr(op, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return &opError{op: op, kind: civickit.ErrConflict} // taken over after going stale
	}
	return nil
}

// ReleaseIdempotencyKey implements httpapi.IdempotencyStore.
func (s *ServerStore) ReleaseIdempotencyKey(ctx context.Context, key string) error {
	_, err := s.db.bun.NewDelete().Model((*idempotencyRow)(nil)).Where("id = ? AND done = 0", key).Exec(ctx)
	return mapErr("release idempotency key", err)
}

// PurgeIdempotencyKeys implements httpapi.IdempotencyStore.
func (s *ServerStore) PurgeIdempotencyKeys(ctx context.Context, before time.Time) (int, error) {
	res, err := s.db.bun.NewDelete().Model((*idempotencyRow)(nil)).Where("created_at < ?", micros(before)).Exec(ctx)
	if err != nil {
		return 0, mapErr("purge idempotency keys", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

type identityRow struct {
	bun.BaseModel `bun:"table:server_identities"`
	ID            string    `bun:"id,pk"`
	ParticipantID uuid.UUID `bun:"participant_id"`
	CreatedAt     int64     `bun:"created_at"`
}

// LinkIdentity implements httpapi.AccountStore: the first insert wins.
func (s *ServerStore) LinkIdentity(ctx context.Context, identity string, participant uuid.UUID, at time.Time) (uuid.UUID, error) {
	const op = "link identity"
	row := &identityRow{ID: identity, ParticipantID: participant, CreatedAt: micros(at)}
	_, err := s.db.bun.NewInsert().Model(row).Exec(ctx)
	if err == nil {
		return participant, nil
	}
	if classify(err) != classUnique {
		return uuid.Nil, mapErr(op, err)
	}
	var found identityRow
	if err := s.db.bun.NewSelect().Model(&found).Where("id = ?", identity).Scan(ctx); err != nil {
		return uuid.Nil, mapErr(op, err)
	}
	return found.ParticipantID, nil
}

type roleGrantRow struct {
	bun.BaseModel `bun:"table:server_grants"`
	ParticipantID uuid.UUID `bun:"participant_id,pk"`
	Role          string    `bun:"role,pk"`
	Scope         uuid.UUID `bun:"scope,pk"`
	CreatedAt     int64     `bun:"created_at"`
}

// Grants implements httpapi.AccountStore.
func (s *ServerStore) Grants(ctx context.Context, participant uuid.UUID) ([]httpapi.Grant, error) {
	var rows []roleGrantRow
	err := s.db.bun.NewSelect().Model(&rows).Where("participant_id = ?", participant).
		OrderExpr("role, scope").Scan(ctx)
	if err != nil {
		return nil, mapErr("grants", err)
	}
	out := make([]httpapi.Grant, 0, len(rows))
	for _, r := range rows {
		role, err := httpapi.ParseRole(r.Role)
		if err != nil {
			return nil, fmt.Errorf("grants: stored role %q: %w", r.Role, err)
		}
		out = append(out, httpapi.Grant{Role: role, Scope: r.Scope})
	}
	return out, nil
}

// AddGrant implements httpapi.AccountStore.
func (s *ServerStore) AddGrant(ctx context.Context, participant uuid.UUID, g httpapi.Grant, at time.Time) error {
	_, err := s.db.bun.NewInsert().Model(&roleGrantRow{ParticipantID: participant, Role: g.Role.String(), Scope: g.Scope,
		CreatedAt: micros(at)}).Ignore().Exec(ctx)
	return mapErr("add grant", err)
}

// RemoveGrant implements httpapi.AccountStore.
func (s *ServerStore) RemoveGrant(ctx context.Context, participant uuid.UUID, g httpapi.Grant) error {
	res, err := s.db.bun.NewDelete().Model((*roleGrantRow)(nil)).
		Where("participant_id = ? AND role = ? AND scope = ?", participant, g.Role.String(), g.Scope).Exec(ctx)
	if err != nil {
		return mapErr("remove grant", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &opError{op: "remove grant", kind: civickit.ErrNotFound}
	}
	return nil
}

type tokenRow struct {
	bun.BaseModel `bun:"table:server_tokens"`
	ID            uuid.UUID `bun:"id,pk"`
	Name          string    `bun:"name"`
	SecretHash    string    `bun:"secret_hash"`
	Grants        string    `bun:"grants"`
	ParticipantID uuid.UUID `bun:"participant_id"`
	CreatedAt     int64     `bun:"created_at"`
	ExpiresAt     int64     `bun:"expires_at"`
	RevokedAt     int64     `bun:"revoked_at"`
}

func microsOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return micros(t)
}

func timeOrZero(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return fromMicros(v)
}

func (r *tokenRow) toToken() (*httpapi.APIToken, error) {
	t := &httpapi.APIToken{ID: r.ID, Name: r.Name, SecretHash: r.SecretHash, Participant: r.ParticipantID,
		CreatedAt: fromMicros(r.CreatedAt), ExpiresAt: timeOrZero(r.ExpiresAt), RevokedAt: timeOrZero(r.RevokedAt)}
	if err := json.Unmarshal([]byte(r.Grants), &t.Grants); err != nil {
		return nil, fmt.Errorf("storage: token %s grants: %w", r.ID, err)
	}
	return t, nil
}

// CreateToken implements httpapi.AccountStore.
func (s *ServerStore) CreateToken(ctx context.Context, t *httpapi.APIToken) error {
	grants := t.Grants
	if grants == nil {
		grants = []httpapi.Grant{}
	}
	g, err := json.Marshal(grants)
	if err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	_, err = s.db.bun.NewInsert().Model(&tokenRow{ID: t.ID, Name: t.Name, SecretHash: t.SecretHash, Grants: string(g),
		ParticipantID: t.Participant, CreatedAt: micros(t.CreatedAt), ExpiresAt: microsOrZero(t.ExpiresAt),
		RevokedAt: microsOrZero(t.RevokedAt)}).Exec(ctx)
	return mapErr("create token", err)
}

// TokenBySecretHash implements httpapi.AccountStore.
func (s *ServerStore) TokenBySecretHash(ctx context.Context, hash string) (*httpapi.APIToken, error) {
	var row tokenRow
	if err := s.db.bun.NewSelect().Model(&row).Where("secret_hash = ?", hash).Scan(ctx); err != nil {
		return nil, mapErr("token", err)
	}
	return row.toToken()
}

// ListTokens implements httpapi.AccountStore.
func (s *ServerStore) ListTokens(ctx context.Context) ([]httpapi.APIToken, error) {
	var rows []tokenRow
	if err := s.db.bun.NewSelect().Model(&rows).OrderExpr("created_at DESC, id").Scan(ctx); err != nil {
		return nil, mapErr("list tokens", err)
	}
	out := make([]httpapi.APIToken, 0, len(rows))
	for i := range rows {
		t, err := rows[i].toToken()
		if err != nil {
			return nil, err
		}
		t.SecretHash = ""
		out = append(out, *t)
	}
	return out, nil
}

// RevokeToken implements httpapi.AccountStore; revoking twice keeps the
// first time.
func (s *ServerStore) RevokeToken(ctx context.Context, id uuid.UUID, at time.Time) error {
	const op = "revoke token"
	res, err := s.db.bun.NewUpdate().Model((*tokenRow)(nil)).Set("revoked_at = ?", micros(at)).
		Where("id = ? AND revoked_at = 0", id).Exec(ctx)
	if err != nil {
		return mapErr(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var row tokenRow
		if err := s.db.bun.NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
			return mapErr(op, err)
		}
	}
	return nil
}

type sessionEndRow struct {
	bun.BaseModel `bun:"table:server_session_ends"`
	ParticipantID uuid.UUID `bun:"participant_id,pk"`
	EndedAt       int64     `bun:"ended_at"`
}

// EndSessions implements httpapi.AccountStore: an update, else an insert
// (a concurrent insert won: update again). The time only moves forward.
func (s *ServerStore) EndSessions(ctx context.Context, participant uuid.UUID, at time.Time) error {
	const op = "end sessions"
	for range 2 {
		res, err := s.db.bun.NewUpdate().Model((*sessionEndRow)(nil)).Set("ended_at = ?", micros(at)).
			Where("participant_id = ? AND ended_at < ?", participant, micros(at)).Exec(ctx)
		if err != nil {
			return mapErr(op, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		_, err = s.db.bun.NewInsert().Model(&sessionEndRow{ParticipantID: participant, EndedAt: micros(at)}).Exec(ctx)
		if err == nil {
			return nil
		}
		if classify(err) != classUnique {
			return mapErr(op, err)
		}
		// The row exists: later than at already, or inserted meanwhile.
	}
	return nil
}

// SessionsEnded implements httpapi.AccountStore.
func (s *ServerStore) SessionsEnded(ctx context.Context, participant uuid.UUID) (time.Time, error) {
	var row sessionEndRow
	err := s.db.bun.NewSelect().Model(&row).Where("participant_id = ?", participant).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, mapErr("sessions ended", err)
	}
	return fromMicros(row.EndedAt), nil
}
