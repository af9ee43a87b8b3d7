package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/debate"
)

// DebateStore implements debate.Store (comments, statements and their
// moderation) with bun. Counters kept on comments and statements (votes,
// open reports) change only while the writer holds the item's row
// (SELECT ... FOR UPDATE on PostgreSQL and MariaDB; SQLite transactions
// take the write lock at BEGIN), so concurrent votes and reports are
// never lost.
type DebateStore struct {
	moderationStore
}

var _ debate.Store = (*DebateStore)(nil)

// NewDebateStore returns the debate store on db.
func NewDebateStore(db *DB) *DebateStore {
	db.mustHaveDomain(DomainParticipation, "NewDebateStore")
	return &DebateStore{moderationStore{partDB: partDB{db: db},
		kinds: []participation.ItemKind{participation.ItemComment, participation.ItemStatement}}}
}

// debateLock makes q lock the rows it reads until the transaction ends.
func (s partDB) debateLock(q *bun.SelectQuery) *bun.SelectQuery {
	if s.db.engine == SQLite {
		return q
	}
	return q.For("UPDATE")
}

// debateCreate inserts row; when that takes an idempotency key already
// used, replay loads the contribution stored with it and the insert is
// reported as replayed.
func (s partDB) debateCreate(ctx context.Context, op string, row any, key string, replay func(ctx context.Context) error) (bool, error) {
	_, err := s.db.bun.NewInsert().Model(row).Exec(ctx)
	if err == nil {
		return false, nil
	}
	if key == "" || classify(err) != classUnique {
		return false, mapErr(op, err)
	}
	switch rerr := replay(ctx); {
	case rerr == nil:
		return true, nil
	case errors.Is(rerr, sql.ErrNoRows):
		return false, mapErr(op, err) // the ID was taken, not the key
	default:
		return false, mapErr(op, rerr)
	}
}

// CreateComment implements debate.Store.
func (s *DebateStore) CreateComment(ctx context.Context, c *debate.Comment) (bool, error) {
	c.CreatedAt, c.UpdatedAt = truncate(c.CreatedAt), truncate(c.UpdatedAt)
	path := debatePathSegment(c)
	if c.ParentID != nil {
		var parent debateCommentRow
		err := s.db.bun.NewSelect().Model(&parent).Column("consultation_id", "path").
			Where("dc.id = ?", *c.ParentID).Scan(ctx)
		if err != nil {
			return false, mapErr("create comment: parent", err)
		}
		if parent.ConsultationID != c.ConsultationID {
			return false, fmt.Errorf("create comment: parent in another consultation: %w", participation.ErrNotFound)
		}
		path = parent.Path + path
	}
	return s.debateCreate(ctx, "create comment", toDebateCommentRow(c, path), c.IdempotencyKey, func(ctx context.Context) error {
		var r debateCommentRow
		err := s.db.bun.NewSelect().Model(&r).Where("dc.consultation_id = ?", c.ConsultationID).
			Where("dc.author_id = ?", c.AuthorID).Where("dc.idem_key = ?", c.IdempotencyKey).Scan(ctx)
		if err == nil {
			*c = r.toDomain()
		}
		return err
	})
}

// GetComment implements debate.Store.
func (s *DebateStore) GetComment(ctx context.Context, id uuid.UUID) (*debate.Comment, error) {
	var r debateCommentRow
	if err := s.db.bun.NewSelect().Model(&r).Where("dc.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get comment", err)
	}
	c := r.toDomain()
	return &c, nil
}

// EditComment implements debate.Store.
func (s *DebateStore) EditComment(ctx context.Context, c *debate.Comment, prev debate.CommentRevision) error {
	c.UpdatedAt = truncate(c.UpdatedAt)
	rev := &debateRevisionRow{
		CommentID: c.ID, Version: prev.Version, Body: prev.Body, Alignment: string(prev.Alignment),
		WrittenAt: micros(prev.WrittenAt), ReplacedAt: micros(prev.ReplacedAt),
	}
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*debateCommentRow)(nil)).
			Set("body = ?", c.Body).Set("alignment = ?", string(c.Alignment)).
			Set("updated_at = ?", micros(c.UpdatedAt)).Set("version = ?", c.Version+1).
			Where("id = ?", c.ID).Where("version = ?", c.Version).Exec(ctx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			exists, err := tx.NewSelect().Model((*debateCommentRow)(nil)).Where("id = ?", c.ID).Exists(ctx)
			if err != nil {
				return err
			}
			if !exists {
				return participation.ErrNotFound
			}
			return fmt.Errorf("stale version %d: %w", c.Version, participation.ErrConflict)
		}
		_, err = tx.NewInsert().Model(rev).Exec(ctx)
		return err
	})
	if err != nil {
		return mapErr("edit comment", err)
	}
	c.Version++
	return nil
}

// ListCommentRevisions implements debate.Store.
func (s *DebateStore) ListCommentRevisions(ctx context.Context, commentID uuid.UUID, after string, limit int) (civickit.Page[debate.CommentRevision], error) {
	var cur seqCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[debate.CommentRevision]{}, err
	}
	var rows []debateRevisionRow
	q := s.db.bun.NewSelect().Model(&rows).Where("dr.comment_id = ?", commentID)
	var vals []any
	if set {
		vals = []any{cur.N}
	}
	if err := keyset(q, []sortKey{{expr: "dr.version"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[debate.CommentRevision]{}, mapErr("list comment revisions", err)
	}
	return pageOf(rows, n, noErr((*debateRevisionRow).toDomain),
		func(r *debateRevisionRow) any { return seqCursor{N: int64(r.Version)} })
}

// ListComments implements debate.Store. The cursor holds the
// thread path of the last comment returned.
func (s *DebateStore) ListComments(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[debate.Comment], error) {
	var cur textCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[debate.Comment]{}, err
	}
	var rows []debateCommentRow
	q := s.db.bun.NewSelect().Model(&rows).Where("dc.consultation_id = ?", consultationID)
	var vals []any
	if set {
		vals = []any{cur.S}
	}
	if err := keyset(q, []sortKey{{expr: "dc.path"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[debate.Comment]{}, mapErr("list comments", err)
	}
	return pageOf(rows, n, noErr((*debateCommentRow).toDomain),
		func(r *debateCommentRow) any { return textCursor{S: r.Path} })
}

// VoteComment implements debate.Store.
func (s *DebateStore) VoteComment(ctx context.Context, v *debate.CommentVote) (up, down int, err error) {
	v.VotedAt = truncate(v.VotedAt)
	err = s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var cm debateCommentRow
		err := s.debateLock(tx.NewSelect().Model(&cm).Column("up_votes", "down_votes").
			Where("dc.id = ?", v.CommentID)).Scan(ctx)
		if err != nil {
			return err
		}
		var old debateCommentVoteRow
		err = tx.NewSelect().Model(&old).Column("value").
			Where("dcv.comment_id = ?", v.CommentID).Where("dcv.participant_id = ?", v.ParticipantID).Scan(ctx)
		exists := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		err = nil
		row := &debateCommentVoteRow{
			CommentID: v.CommentID, ParticipantID: v.ParticipantID, Value: int(v.Value),
			Channel: string(v.Provenance.Channel), CollectedBy: v.Provenance.CollectedBy,
			Place: v.Provenance.Place, VotedAt: micros(v.VotedAt),
		}
		switch {
		case v.Value == debate.VoteNone && exists:
			_, err = tx.NewDelete().Model(row).WherePK().Exec(ctx)
		case v.Value == debate.VoteNone:
		case exists:
			_, err = tx.NewUpdate().Model(row).Column("value", "channel", "collected_by", "place", "voted_at").
				WherePK().Exec(ctx)
		default:
			_, err = tx.NewInsert().Model(row).Exec(ctx)
		}
		if err != nil {
			return err
		}
		up, down = cm.UpVotes, cm.DownVotes
		if exists {
			up, down = debateUpDown(up, down, old.Value, -1)
		}
		up, down = debateUpDown(up, down, int(v.Value), +1)
		_, err = tx.NewUpdate().Model((*debateCommentRow)(nil)).
			Set("up_votes = ?", up).Set("down_votes = ?", down).Where("id = ?", v.CommentID).Exec(ctx)
		return err
	})
	if err != nil {
		return 0, 0, mapErr("vote comment", err)
	}
	return up, down, nil
}

// debateUpDown adds sign times a vote of value to the counts.
func debateUpDown(up, down, value, sign int) (int, int) {
	switch value {
	case 1:
		up += sign
	case -1:
		down += sign
	}
	return up, down
}

// GetCommentVote implements debate.Store.
func (s *DebateStore) GetCommentVote(ctx context.Context, commentID, participantID uuid.UUID) (*debate.CommentVote, error) {
	var r debateCommentVoteRow
	err := s.db.bun.NewSelect().Model(&r).
		Where("dcv.comment_id = ?", commentID).Where("dcv.participant_id = ?", participantID).Scan(ctx)
	if err != nil {
		return nil, mapErr("get comment vote", err)
	}
	return &debate.CommentVote{
		CommentID: r.CommentID, ParticipantID: r.ParticipantID, Value: debate.CommentVoteValue(r.Value),
		Provenance: civickit.Provenance{
			Channel: civickit.Channel(r.Channel), CollectedBy: r.CollectedBy, Place: r.Place,
		},
		VotedAt: fromMicros(r.VotedAt),
	}, nil
}

// CreateStatement implements debate.Store.
func (s *DebateStore) CreateStatement(ctx context.Context, st *debate.Statement) (bool, error) {
	st.CreatedAt = truncate(st.CreatedAt)
	key := st.IdempotencyKey
	if st.AuthorID == nil {
		key = ""
	}
	return s.debateCreate(ctx, "create statement", toDebateStatementRow(st), key, func(ctx context.Context) error {
		var r debateStatementRow
		err := s.db.bun.NewSelect().Model(&r).Where("ds.consultation_id = ?", st.ConsultationID).
			Where("ds.author_id = ?", *st.AuthorID).Where("ds.idem_key = ?", key).Scan(ctx)
		if err == nil {
			*st = r.toDomain()
		}
		return err
	})
}

// GetStatement implements debate.Store.
func (s *DebateStore) GetStatement(ctx context.Context, id uuid.UUID) (*debate.Statement, error) {
	var r debateStatementRow
	if err := s.db.bun.NewSelect().Model(&r).Where("ds.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get statement", err)
	}
	st := r.toDomain()
	return &st, nil
}

// ListStatements implements debate.Store.
func (s *DebateStore) ListStatements(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[debate.Statement], error) {
	var cur idCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[debate.Statement]{}, err
	}
	var rows []debateStatementRow
	q := s.db.bun.NewSelect().Model(&rows).Where("ds.consultation_id = ?", consultationID)
	var vals []any
	if set {
		id, err := cursorID(cur.ID)
		if err != nil {
			return civickit.Page[debate.Statement]{}, err
		}
		vals = []any{cur.N, id}
	}
	if err := keyset(q, []sortKey{{expr: "ds.created_at"}, {expr: "ds.id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[debate.Statement]{}, mapErr("list statements", err)
	}
	return pageOf(rows, n, noErr((*debateStatementRow).toDomain),
		func(r *debateStatementRow) any { return idCursor{N: r.CreatedAt, ID: r.ID.String()} })
}

// VoteStatement implements debate.Store.
func (s *DebateStore) VoteStatement(ctx context.Context, v *debate.StatementVote, newVoter string) (debate.OpinionCounts, error) {
	v.VotedAt = truncate(v.VotedAt)
	var counts debate.OpinionCounts
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var st debateStatementRow
		err := s.debateLock(tx.NewSelect().Model(&st).Column("consultation_id", "n_agree", "n_disagree", "n_pass").
			Where("ds.id = ?", v.StatementID)).Scan(ctx)
		if err != nil {
			return err
		}
		v.ConsultationID = st.ConsultationID
		ins := tx.NewInsert().Model(&debateVoterRow{ConsultationID: st.ConsultationID, ParticipantID: v.ParticipantID, Voter: newVoter})
		if s.db.engine == MySQL {
			ins = ins.On("DUPLICATE KEY UPDATE voter = voter")
		} else {
			ins = ins.On("CONFLICT DO NOTHING")
		}
		if _, err := ins.Exec(ctx); err != nil {
			return err
		}
		var voter string
		if err := tx.NewSelect().Model((*debateVoterRow)(nil)).Column("voter").
			Where("consultation_id = ?", st.ConsultationID).Where("participant_id = ?", v.ParticipantID).
			Scan(ctx, &voter); err != nil {
			return err
		}
		var old debateStatementVoteRow
		err = tx.NewSelect().Model(&old).Column("value").
			Where("dsv.statement_id = ?", v.StatementID).Where("dsv.participant_id = ?", v.ParticipantID).Scan(ctx)
		exists := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		row := &debateStatementVoteRow{
			StatementID: v.StatementID, ParticipantID: v.ParticipantID, ConsultationID: st.ConsultationID,
			Voter: voter, Value: v.Opinion.Value(), Channel: string(v.Provenance.Channel),
			CollectedBy: v.Provenance.CollectedBy, Place: v.Provenance.Place, VotedAt: micros(v.VotedAt),
		}
		if exists {
			_, err = tx.NewUpdate().Model(row).Column("value", "channel", "collected_by", "place", "voted_at").
				WherePK().Exec(ctx)
		} else {
			_, err = tx.NewInsert().Model(row).Exec(ctx)
		}
		if err != nil {
			return err
		}
		counts = debate.OpinionCounts{Agree: st.NAgree, Disagree: st.NDisagree, Pass: st.NPass}
		if exists {
			debateAddVote(&counts, old.Value, -1)
		}
		debateAddVote(&counts, row.Value, +1)
		_, err = tx.NewUpdate().Model((*debateStatementRow)(nil)).
			Set("n_agree = ?", counts.Agree).Set("n_disagree = ?", counts.Disagree).Set("n_pass = ?", counts.Pass).
			Where("id = ?", v.StatementID).Exec(ctx)
		return err
	})
	if err != nil {
		return debate.OpinionCounts{}, mapErr("vote statement", err)
	}
	return counts, nil
}

// debateAddVote adds sign times an opinion of value to c.
func debateAddVote(c *debate.OpinionCounts, value, sign int) {
	switch value {
	case 1:
		c.Agree += sign
	case -1:
		c.Disagree += sign
	default:
		c.Pass += sign
	}
}

// ListOpinions implements debate.Store.
func (s *DebateStore) ListOpinions(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[debate.VoterOpinion], error) {
	var cur textCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[debate.VoterOpinion]{}, err
	}
	var rows []debateStatementVoteRow
	q := s.db.bun.NewSelect().Model(&rows).Column("voter", "statement_id", "value").
		Where("dsv.consultation_id = ?", consultationID)
	var vals []any
	if set {
		// voter >= ? bounds the index range on every engine; keyset then
		// skips the last voter's statements already read.
		q = q.Where("dsv.voter >= ?", cur.S)
		id, err := cursorID(cur.ID)
		if err != nil {
			return civickit.Page[debate.VoterOpinion]{}, err
		}
		vals = []any{cur.S, id}
	}
	if err := keyset(q, []sortKey{{expr: "dsv.voter"}, {expr: "dsv.statement_id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[debate.VoterOpinion]{}, mapErr("list opinions", err)
	}
	return pageOf(rows, n, func(r *debateStatementVoteRow) (debate.VoterOpinion, error) {
		o, ok := debate.OpinionFromValue(r.Value)
		if !ok {
			return debate.VoterOpinion{}, fmt.Errorf("list opinions: stored value %d", r.Value)
		}
		return debate.VoterOpinion{Voter: r.Voter, StatementID: r.StatementID, Opinion: o}, nil
	}, func(r *debateStatementVoteRow) any { return textCursor{S: r.Voter, ID: r.StatementID.String()} })
}
