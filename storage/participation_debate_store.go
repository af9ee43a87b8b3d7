package storage

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/civickit/civickit"
	"slices"
	"time"

	"github.com/civickit/civickit/participation"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// The debate part of ParticipationStore. Counters kept on comments and
// statements (votes, open reports) change only while the writer holds the
// item's row (SELECT ... FOR UPDATE on PostgreSQL and MariaDB; SQLite
// transactions take the write lock at BEGIN), so concurrent votes and
// reports are never lost.

// debateLock makes q lock the rows it reads until the transaction ends.
func (s *ParticipationStore) debateLock(q *bun.SelectQuery) *bun.SelectQuery {
	if s.db.engine == SQLite {
		return q
	}
	return q.For("UPDATE")
}

// debateCreate inserts row; when that takes an idempotency key already
// used, replay loads the contribution stored with it and the insert is
// reported as replayed.
func (s *ParticipationStore) debateCreate(ctx context.Context, op string, row any, key string, replay func(ctx context.Context) error) (bool, error) {
	_, err := s.db.bun.NewInsert().Model(row).Exec(ctx)
	if err == nil {
		return false, nil
	}
	if key == "" || classify(err) != classUnique {
		return false, partErr(op, err)
	}
	switch rerr := replay(ctx); {
	case rerr == nil:
		return true, nil
	case errors.Is(rerr, sql.ErrNoRows):
		return false, partErr(op, err) // the ID was taken, not the key
	default:
		return false, partErr(op, rerr)
	}
}

// CreateComment implements participation.Store.
func (s *ParticipationStore) CreateComment(ctx context.Context, c *participation.Comment) (bool, error) {
	c.CreatedAt, c.UpdatedAt = truncate(c.CreatedAt), truncate(c.UpdatedAt)
	path := debatePathSegment(c)
	if c.ParentID != nil {
		var parent debateCommentRow
		err := s.db.bun.NewSelect().Model(&parent).Column("consultation_id", "path").
			Where("dc.id = ?", *c.ParentID).Scan(ctx)
		if err != nil {
			return false, partErr("create comment: parent", err)
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

// GetComment implements participation.Store.
func (s *ParticipationStore) GetComment(ctx context.Context, id uuid.UUID) (*participation.Comment, error) {
	var r debateCommentRow
	if err := s.db.bun.NewSelect().Model(&r).Where("dc.id = ?", id).Scan(ctx); err != nil {
		return nil, partErr("get comment", err)
	}
	c := r.toDomain()
	return &c, nil
}

// EditComment implements participation.Store.
func (s *ParticipationStore) EditComment(ctx context.Context, c *participation.Comment, prev participation.CommentRevision) error {
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
		return partErr("edit comment", err)
	}
	c.Version++
	return nil
}

// ListCommentRevisions implements participation.Store.
func (s *ParticipationStore) ListCommentRevisions(ctx context.Context, commentID uuid.UUID, after string, limit int) (civickit.Page[participation.CommentRevision], error) {
	var cur seqCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[participation.CommentRevision]{}, err
	}
	var rows []debateRevisionRow
	q := s.db.bun.NewSelect().Model(&rows).Where("dr.comment_id = ?", commentID)
	var vals []any
	if set {
		vals = []any{cur.N}
	}
	if err := keyset(q, []sortKey{{expr: "dr.version"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[participation.CommentRevision]{}, partErr("list comment revisions", err)
	}
	return pageOf(rows, n, noErr((*debateRevisionRow).toDomain),
		func(r *debateRevisionRow) any { return seqCursor{N: int64(r.Version)} })
}

// ListComments implements participation.Store. The cursor holds the
// thread path of the last comment returned.
func (s *ParticipationStore) ListComments(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[participation.Comment], error) {
	var cur textCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[participation.Comment]{}, err
	}
	var rows []debateCommentRow
	q := s.db.bun.NewSelect().Model(&rows).Where("dc.consultation_id = ?", consultationID)
	var vals []any
	if set {
		vals = []any{cur.S}
	}
	if err := keyset(q, []sortKey{{expr: "dc.path"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[participation.Comment]{}, partErr("list comments", err)
	}
	return pageOf(rows, n, noErr((*debateCommentRow).toDomain),
		func(r *debateCommentRow) any { return textCursor{S: r.Path} })
}

// VoteComment implements participation.Store.
func (s *ParticipationStore) VoteComment(ctx context.Context, v *participation.CommentVote) (up, down int, err error) {
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
		case v.Value == participation.VoteNone && exists:
			_, err = tx.NewDelete().Model(row).WherePK().Exec(ctx)
		case v.Value == participation.VoteNone:
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
		return 0, 0, partErr("vote comment", err)
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

// GetCommentVote implements participation.Store.
func (s *ParticipationStore) GetCommentVote(ctx context.Context, commentID, participantID uuid.UUID) (*participation.CommentVote, error) {
	var r debateCommentVoteRow
	err := s.db.bun.NewSelect().Model(&r).
		Where("dcv.comment_id = ?", commentID).Where("dcv.participant_id = ?", participantID).Scan(ctx)
	if err != nil {
		return nil, partErr("get comment vote", err)
	}
	return &participation.CommentVote{
		CommentID: r.CommentID, ParticipantID: r.ParticipantID, Value: participation.CommentVoteValue(r.Value),
		Provenance: civickit.Provenance{
			Channel: civickit.Channel(r.Channel), CollectedBy: r.CollectedBy, Place: r.Place,
		},
		VotedAt: fromMicros(r.VotedAt),
	}, nil
}

// debateItem is the moderation state of a debate item, read
// while holding its row.
type debateItem struct {
	consultationID uuid.UUID
	moderation     participation.Moderation
}

// debateLockItem reads and locks the row of a comment, statement or proposal.
func (s *ParticipationStore) debateLockItem(ctx context.Context, tx bun.Tx, item participation.ItemRef) (debateItem, error) {
	var model any
	var alias string
	switch item.Kind {
	case participation.ItemComment:
		model, alias = (*debateCommentRow)(nil), "dc"
	case participation.ItemStatement:
		model, alias = (*debateStatementRow)(nil), "ds"
	case participation.ItemProposal:
		model, alias = (*debateProposalRow)(nil), "dp"
	default:
		return debateItem{}, fmt.Errorf("item kind %q: %w", item.Kind, participation.ErrInvalid)
	}
	var (
		it       debateItem
		hiddenBy string
	)
	err := s.debateLock(tx.NewSelect().Model(model).
		Column("consultation_id", "hidden_by", "open_reports").Where(alias+".id = ?", item.ID)).
		Scan(ctx, &it.consultationID, &hiddenBy, &it.moderation.OpenReports)
	it.moderation.HiddenBy = participation.HiddenBy(hiddenBy)
	return it, err
}

// debateSetModeration writes an item's moderation state.
func debateSetModeration(ctx context.Context, tx bun.Tx, item participation.ItemRef, m participation.Moderation) error {
	var model any = (*debateCommentRow)(nil)
	switch item.Kind {
	case participation.ItemStatement:
		model = (*debateStatementRow)(nil)
	case participation.ItemProposal:
		model = (*debateProposalRow)(nil)
	}
	_, err := tx.NewUpdate().Model(model).Set("hidden_by = ?", string(m.HiddenBy)).
		Set("open_reports = ?", m.OpenReports).Where("id = ?", item.ID).Exec(ctx)
	return err
}

// CreateReport implements participation.Store.
func (s *ParticipationStore) CreateReport(ctx context.Context, r *participation.Report, hideAfter int, hide *participation.ModerationDecision) (participation.Moderation, error) {
	r.CreatedAt = truncate(r.CreatedAt)
	if hide != nil {
		hide.At = truncate(hide.At)
	}
	var m participation.Moderation
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		it, err := s.debateLockItem(ctx, tx, r.Item)
		if err != nil {
			return err
		}
		r.ConsultationID = it.consultationID
		row := &debateReportRow{
			ID: r.ID, ConsultationID: r.ConsultationID, ItemKind: string(r.Item.Kind), ItemID: r.Item.ID,
			ReporterID: r.ReporterID, Reason: string(r.Reason), Details: r.Details,
			Status: string(participation.ReportOpen), CreatedAt: micros(r.CreatedAt),
		}
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			return err
		}
		m = it.moderation.Reported(hideAfter)
		if err := debateSetModeration(ctx, tx, r.Item, m); err != nil {
			return err
		}
		if hide == nil || it.moderation.Hidden() || !m.Hidden() {
			return nil
		}
		hide.ConsultationID, hide.Item, hide.Kind = it.consultationID, r.Item, participation.DecisionAutoHide
		hide.ReportsResolved = 0
		_, err = tx.NewInsert().Model(toDebateModerationRow(hide)).Exec(ctx)
		return err
	})
	if err != nil {
		return participation.Moderation{}, partErr("create report", err)
	}
	r.Status, r.ResolvedAt, r.DecisionID = participation.ReportOpen, time.Time{}, nil
	return m, nil
}

// ListReports implements participation.Store.
func (s *ParticipationStore) ListReports(ctx context.Context, item participation.ItemRef, after string, limit int) (civickit.Page[participation.Report], error) {
	var cur idCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[participation.Report]{}, err
	}
	var rows []debateReportRow
	q := s.db.bun.NewSelect().Model(&rows).
		Where("drp.item_kind = ?", string(item.Kind)).Where("drp.item_id = ?", item.ID)
	var vals []any
	if set {
		vals = []any{cur.N, cur.ID}
	}
	if err := keyset(q, []sortKey{{expr: "drp.created_at"}, {expr: "drp.id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[participation.Report]{}, partErr("list reports", err)
	}
	return pageOf(rows, n, noErr((*debateReportRow).toDomain),
		func(r *debateReportRow) any { return idCursor{N: r.CreatedAt, ID: r.ID.String()} })
}

// Moderate implements participation.Store.
func (s *ParticipationStore) Moderate(ctx context.Context, d *participation.ModerationDecision) (participation.Moderation, error) {
	d.At = truncate(d.At)
	var next participation.Moderation
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		it, err := s.debateLockItem(ctx, tx, d.Item)
		if err != nil {
			return err
		}
		var status participation.ReportStatus
		next, status, err = participation.ApplyDecision(it.moderation, d.Kind)
		if err != nil {
			return err
		}
		res, err := tx.NewUpdate().Model((*debateReportRow)(nil)).
			Set("status = ?", string(status)).Set("resolved_at = ?", micros(d.At)).Set("decision_id = ?", d.ID).
			Where("item_kind = ?", string(d.Item.Kind)).Where("item_id = ?", d.Item.ID).
			Where("status = ?", string(participation.ReportOpen)).Exec(ctx)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if err := debateSetModeration(ctx, tx, d.Item, next); err != nil {
			return err
		}
		d.ConsultationID, d.ReportsResolved = it.consultationID, int(n)
		_, err = tx.NewInsert().Model(toDebateModerationRow(d)).Exec(ctx)
		return err
	})
	if err != nil {
		return participation.Moderation{}, partErr("moderate", err)
	}
	return next, nil
}

// ListModerationQueue implements participation.Store. The items with open
// reports of a consultation are few (each needs a report): they are read
// whole and the page cut from them in memory.
func (s *ParticipationStore) ListModerationQueue(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[participation.QueuedItem], error) {
	var cur queueCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[participation.QueuedItem]{}, err
	}
	var out []participation.QueuedItem
	for _, t := range []struct {
		kind  participation.ItemKind
		model any
	}{
		{participation.ItemComment, (*debateCommentRow)(nil)},
		{participation.ItemStatement, (*debateStatementRow)(nil)},
		{participation.ItemProposal, (*debateProposalRow)(nil)},
	} {
		var rows []struct {
			ID          uuid.UUID `bun:"id"`
			HiddenBy    string    `bun:"hidden_by"`
			OpenReports int       `bun:"open_reports"`
		}
		err := s.db.bun.NewSelect().Model(t.model).Column("id", "hidden_by", "open_reports").
			Where("consultation_id = ?", consultationID).Where("open_reports > 0").Scan(ctx, &rows)
		if err != nil {
			return civickit.Page[participation.QueuedItem]{}, partErr("list moderation queue", err)
		}
		for _, r := range rows {
			out = append(out, participation.QueuedItem{
				Item:       participation.ItemRef{Kind: t.kind, ID: r.ID},
				Moderation: participation.Moderation{HiddenBy: participation.HiddenBy(r.HiddenBy), OpenReports: r.OpenReports},
			})
		}
	}
	order := func(a, b participation.QueuedItem) int {
		return cmp.Or(cmp.Compare(b.Moderation.OpenReports, a.Moderation.OpenReports),
			cmp.Compare(a.Item.Kind, b.Item.Kind), bytes.Compare(a.Item.ID[:], b.Item.ID[:]))
	}
	slices.SortFunc(out, order)
	if set {
		id, err := uuid.Parse(cur.ID)
		if err != nil {
			return civickit.Page[participation.QueuedItem]{}, civickit.Invalid("after", "cursor", "")
		}
		last := participation.QueuedItem{Item: participation.ItemRef{Kind: participation.ItemKind(cur.Kind), ID: id},
			Moderation: participation.Moderation{OpenReports: cur.Reports}}
		i := 0
		for i < len(out) && order(out[i], last) <= 0 {
			i++
		}
		out = out[i:]
	}
	page := civickit.Page[participation.QueuedItem]{Items: out}
	if len(out) > n {
		page.Items = out[:n]
		last := out[n-1]
		page.Next = civickit.EncodeCursor(queueCursor{Reports: last.Moderation.OpenReports, Kind: string(last.Item.Kind), ID: last.Item.ID.String()})
	}
	return page, nil
}

// queueCursor is the position of the last item of a page of the
// moderation queue.
type queueCursor struct {
	Reports int    `json:"r"`
	Kind    string `json:"k"`
	ID      string `json:"id"`
}

// ListModerationDecisions implements participation.Store.
func (s *ParticipationStore) ListModerationDecisions(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[participation.ModerationDecision], error) {
	var cur idCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[participation.ModerationDecision]{}, err
	}
	var rows []debateModerationRow
	q := s.db.bun.NewSelect().Model(&rows).Where("dm.consultation_id = ?", consultationID)
	var vals []any
	if set {
		vals = []any{cur.N, cur.ID}
	}
	if err := keyset(q, []sortKey{{expr: "dm.at"}, {expr: "dm.id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[participation.ModerationDecision]{}, partErr("list moderation decisions", err)
	}
	return pageOf(rows, n, noErr((*debateModerationRow).toDomain),
		func(r *debateModerationRow) any { return idCursor{N: r.At, ID: r.ID.String()} })
}

// CreateStatement implements participation.Store.
func (s *ParticipationStore) CreateStatement(ctx context.Context, st *participation.Statement) (bool, error) {
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

// GetStatement implements participation.Store.
func (s *ParticipationStore) GetStatement(ctx context.Context, id uuid.UUID) (*participation.Statement, error) {
	var r debateStatementRow
	if err := s.db.bun.NewSelect().Model(&r).Where("ds.id = ?", id).Scan(ctx); err != nil {
		return nil, partErr("get statement", err)
	}
	st := r.toDomain()
	return &st, nil
}

// ListStatements implements participation.Store.
func (s *ParticipationStore) ListStatements(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[participation.Statement], error) {
	var cur idCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[participation.Statement]{}, err
	}
	var rows []debateStatementRow
	q := s.db.bun.NewSelect().Model(&rows).Where("ds.consultation_id = ?", consultationID)
	var vals []any
	if set {
		vals = []any{cur.N, cur.ID}
	}
	if err := keyset(q, []sortKey{{expr: "ds.created_at"}, {expr: "ds.id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[participation.Statement]{}, partErr("list statements", err)
	}
	return pageOf(rows, n, noErr((*debateStatementRow).toDomain),
		func(r *debateStatementRow) any { return idCursor{N: r.CreatedAt, ID: r.ID.String()} })
}

// VoteStatement implements participation.Store.
func (s *ParticipationStore) VoteStatement(ctx context.Context, v *participation.StatementVote, newVoter string) (participation.OpinionCounts, error) {
	v.VotedAt = truncate(v.VotedAt)
	var counts participation.OpinionCounts
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
		counts = participation.OpinionCounts{Agree: st.NAgree, Disagree: st.NDisagree, Pass: st.NPass}
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
		return participation.OpinionCounts{}, partErr("vote statement", err)
	}
	return counts, nil
}

// debateAddVote adds sign times an opinion of value to c.
func debateAddVote(c *participation.OpinionCounts, value, sign int) {
	switch value {
	case 1:
		c.Agree += sign
	case -1:
		c.Disagree += sign
	default:
		c.Pass += sign
	}
}

// ListOpinions implements participation.Store.
func (s *ParticipationStore) ListOpinions(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[participation.VoterOpinion], error) {
	var cur textCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[participation.VoterOpinion]{}, err
	}
	var rows []debateStatementVoteRow
	q := s.db.bun.NewSelect().Model(&rows).Column("voter", "statement_id", "value").
		Where("dsv.consultation_id = ?", consultationID)
	var vals []any
	if set {
		// voter >= ? bounds the index range on every engine; keyset then
		// skips the last voter's statements already read.
		q = q.Where("dsv.voter >= ?", cur.S)
		vals = []any{cur.S, cur.ID}
	}
	if err := keyset(q, []sortKey{{expr: "dsv.voter"}, {expr: "dsv.statement_id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[participation.VoterOpinion]{}, partErr("list opinions", err)
	}
	return pageOf(rows, n, func(r *debateStatementVoteRow) (participation.VoterOpinion, error) {
		o, ok := participation.OpinionFromValue(r.Value)
		if !ok {
			return participation.VoterOpinion{}, fmt.Errorf("list opinions: stored value %d", r.Value)
		}
		return participation.VoterOpinion{Voter: r.Voter, StatementID: r.StatementID, Opinion: o}, nil
	}, func(r *debateStatementVoteRow) any { return textCursor{S: r.Voter, ID: r.StatementID.String()} })
}

// CreateProposal implements participation.Store.
func (s *ParticipationStore) CreateProposal(ctx context.Context, p *participation.Proposal) (bool, error) {
	p.CreatedAt = truncate(p.CreatedAt)
	return s.debateCreate(ctx, "create proposal", toDebateProposalRow(p), p.IdempotencyKey, func(ctx context.Context) error {
		var r debateProposalRow
		err := s.db.bun.NewSelect().Model(&r).Where("dp.consultation_id = ?", p.ConsultationID).
			Where("dp.author_id = ?", p.AuthorID).Where("dp.idem_key = ?", p.IdempotencyKey).Scan(ctx)
		if err == nil {
			*p = r.toDomain()
		}
		return err
	})
}

// GetProposal implements participation.Store.
func (s *ParticipationStore) GetProposal(ctx context.Context, id uuid.UUID) (*participation.Proposal, error) {
	var r debateProposalRow
	if err := s.db.bun.NewSelect().Model(&r).Where("dp.id = ?", id).Scan(ctx); err != nil {
		return nil, partErr("get proposal", err)
	}
	p := r.toDomain()
	return &p, nil
}

// ListProposals implements participation.Store.
func (s *ParticipationStore) ListProposals(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[participation.Proposal], error) {
	var cur idCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[participation.Proposal]{}, err
	}
	var rows []debateProposalRow
	q := s.db.bun.NewSelect().Model(&rows).Where("dp.consultation_id = ?", consultationID)
	var vals []any
	if set {
		vals = []any{cur.N, cur.ID}
	}
	if err := keyset(q, []sortKey{{expr: "dp.created_at"}, {expr: "dp.id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[participation.Proposal]{}, partErr("list proposals", err)
	}
	return pageOf(rows, n, noErr((*debateProposalRow).toDomain),
		func(r *debateProposalRow) any { return idCursor{N: r.CreatedAt, ID: r.ID.String()} })
}

// debateChangeSupports locks a proposal, runs write and stores the supports
// count moved by delta.
func (s *ParticipationStore) debateChangeSupports(ctx context.Context, proposalID uuid.UUID, delta int, write func(ctx context.Context, tx bun.Tx) error) (int, error) {
	var n int
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var p debateProposalRow
		err := s.debateLock(tx.NewSelect().Model(&p).Column("supports").Where("dp.id = ?", proposalID)).Scan(ctx)
		if err != nil {
			return err
		}
		if err := write(ctx, tx); err != nil {
			return err
		}
		n = p.Supports + delta
		_, err = tx.NewUpdate().Model((*debateProposalRow)(nil)).Set("supports = ?", n).
			Where("id = ?", proposalID).Exec(ctx)
		return err
	})
	return n, err
}

// SupportProposal implements participation.Store.
func (s *ParticipationStore) SupportProposal(ctx context.Context, sp *participation.Support) (int, error) {
	sp.SupportedAt = truncate(sp.SupportedAt)
	row := &debateSupportRow{
		ProposalID: sp.ProposalID, ParticipantID: sp.ParticipantID, Channel: string(sp.Provenance.Channel),
		CollectedBy: sp.Provenance.CollectedBy, Place: sp.Provenance.Place, SupportedAt: micros(sp.SupportedAt),
	}
	n, err := s.debateChangeSupports(ctx, sp.ProposalID, +1, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewInsert().Model(row).Exec(ctx)
		return err
	})
	if err != nil {
		return 0, partErr("support proposal", err)
	}
	return n, nil
}

// WithdrawSupport implements participation.Store.
func (s *ParticipationStore) WithdrawSupport(ctx context.Context, proposalID, participantID uuid.UUID) (int, error) {
	n, err := s.debateChangeSupports(ctx, proposalID, -1, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*debateSupportRow)(nil)).
			Where("proposal_id = ?", proposalID).Where("participant_id = ?", participantID).Exec(ctx)
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil {
			return err
		} else if k != 1 {
			return fmt.Errorf("no support: %w", participation.ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return 0, partErr("withdraw support", err)
	}
	return n, nil
}
