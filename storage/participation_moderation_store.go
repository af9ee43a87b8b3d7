package storage

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// moderationStore implements participation.ModerationStore for the item
// kinds of one store (comments and statements for DebateStore, proposals
// for ProposalStore). The reports and the moderation log of every kind
// share two tables, told apart by item_kind.
type moderationStore struct {
	partDB
	kinds []participation.ItemKind
}

// itemModel returns the model and alias of the table holding items of
// kind k, and ErrNotFound for a kind this store does not hold.
func (s *moderationStore) itemModel(k participation.ItemKind) (any, string, error) {
	if !k.Valid() {
		return nil, "", fmt.Errorf("item kind %q: %w", k, participation.ErrInvalid)
	}
	if !slices.Contains(s.kinds, k) {
		return nil, "", fmt.Errorf("item kind %q is not held here: %w", k, participation.ErrNotFound)
	}
	switch k {
	case participation.ItemComment:
		return (*debateCommentRow)(nil), "dc", nil
	case participation.ItemStatement:
		return (*debateStatementRow)(nil), "ds", nil
	}
	return (*debateProposalRow)(nil), "dp", nil
}

// kindNames returns the store's item kinds as strings, for SQL.
func (s *moderationStore) kindNames() []string {
	out := make([]string, len(s.kinds))
	for i, k := range s.kinds {
		out[i] = string(k)
	}
	return out
}

// debateItem is the moderation state of a debate item, read
// while holding its row.
type debateItem struct {
	consultationID uuid.UUID
	moderation     participation.Moderation
}

// debateLockItem reads and locks the row of a comment, statement or proposal.
func (s *moderationStore) debateLockItem(ctx context.Context, tx bun.Tx, item participation.ItemRef) (debateItem, error) {
	model, alias, err := s.itemModel(item.Kind)
	if err != nil {
		return debateItem{}, err
	}
	var (
		it       debateItem
		hiddenBy string
	)
	err = s.debateLock(tx.NewSelect().Model(model).
		Column("consultation_id", "hidden_by", "open_reports").Where(alias+".id = ?", item.ID)).
		Scan(ctx, &it.consultationID, &hiddenBy, &it.moderation.OpenReports)
	it.moderation.HiddenBy = participation.HiddenBy(hiddenBy)
	return it, err
}

// debateSetModeration writes an item's moderation state.
func (s *moderationStore) debateSetModeration(ctx context.Context, tx bun.Tx, item participation.ItemRef, m participation.Moderation) error {
	model, _, err := s.itemModel(item.Kind)
	if err != nil {
		return err
	}
	_, err = tx.NewUpdate().Model(model).Set("hidden_by = ?", string(m.HiddenBy)).
		Set("open_reports = ?", m.OpenReports).Where("id = ?", item.ID).Exec(ctx)
	return err
}

// CreateReport implements participation.ModerationStore.
func (s *moderationStore) CreateReport(ctx context.Context, r *participation.Report, hideAfter int, hide *participation.ModerationDecision) (participation.Moderation, error) {
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
		if err := s.debateSetModeration(ctx, tx, r.Item, m); err != nil {
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
		return participation.Moderation{}, mapErr("create report", err)
	}
	r.Status, r.ResolvedAt, r.DecisionID = participation.ReportOpen, time.Time{}, nil
	return m, nil
}

// ListReports implements participation.ModerationStore.
func (s *moderationStore) ListReports(ctx context.Context, item participation.ItemRef, after string, limit int) (civickit.Page[participation.Report], error) {
	var cur idCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[participation.Report]{}, err
	}
	var rows []debateReportRow
	if _, _, err := s.itemModel(item.Kind); err != nil {
		return civickit.Page[participation.Report]{}, mapErr("list reports", err)
	}
	q := s.db.bun.NewSelect().Model(&rows).
		Where("drp.item_kind = ?", string(item.Kind)).Where("drp.item_id = ?", item.ID)
	var vals []any
	if set {
		id, err := cursorID(cur.ID)
		if err != nil {
			return civickit.Page[participation.Report]{}, err
		}
		vals = []any{cur.N, id}
	}
	if err := keyset(q, []sortKey{{expr: "drp.created_at"}, {expr: "drp.id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[participation.Report]{}, mapErr("list reports", err)
	}
	return pageOf(rows, n, noErr((*debateReportRow).toDomain),
		func(r *debateReportRow) any { return idCursor{N: r.CreatedAt, ID: r.ID.String()} })
}

// Moderate implements participation.ModerationStore.
func (s *moderationStore) Moderate(ctx context.Context, d *participation.ModerationDecision) (participation.Moderation, error) {
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
		if err := s.debateSetModeration(ctx, tx, d.Item, next); err != nil {
			return err
		}
		d.ConsultationID, d.ReportsResolved = it.consultationID, int(n)
		_, err = tx.NewInsert().Model(toDebateModerationRow(d)).Exec(ctx)
		return err
	})
	if err != nil {
		return participation.Moderation{}, mapErr("moderate", err)
	}
	return next, nil
}

// ListModerationQueue implements participation.ModerationStore. The items with open
// reports of a consultation are few (each needs a report): they are read
// whole and the page cut from them in memory.
func (s *moderationStore) ListModerationQueue(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[participation.QueuedItem], error) {
	var cur queueCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[participation.QueuedItem]{}, err
	}
	var out []participation.QueuedItem
	for _, kind := range s.kinds {
		model, _, err := s.itemModel(kind)
		if err != nil {
			return civickit.Page[participation.QueuedItem]{}, err
		}
		var rows []struct {
			ID          uuid.UUID `bun:"id"`
			HiddenBy    string    `bun:"hidden_by"`
			OpenReports int       `bun:"open_reports"`
		}
		err = s.db.bun.NewSelect().Model(model).Column("id", "hidden_by", "open_reports").
			Where("consultation_id = ?", consultationID).Where("open_reports > 0").Scan(ctx, &rows)
		if err != nil {
			return civickit.Page[participation.QueuedItem]{}, mapErr("list moderation queue", err)
		}
		for _, r := range rows {
			out = append(out, participation.QueuedItem{
				Item:       participation.ItemRef{Kind: kind, ID: r.ID},
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

// ListModerationDecisions implements participation.ModerationStore.
func (s *moderationStore) ListModerationDecisions(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[participation.ModerationDecision], error) {
	var cur idCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[participation.ModerationDecision]{}, err
	}
	var rows []debateModerationRow
	q := s.db.bun.NewSelect().Model(&rows).Where("dm.consultation_id = ?", consultationID).
		Where("dm.item_kind IN (?)", bun.List(s.kindNames()))
	var vals []any
	if set {
		id, err := cursorID(cur.ID)
		if err != nil {
			return civickit.Page[participation.ModerationDecision]{}, err
		}
		vals = []any{cur.N, id}
	}
	if err := keyset(q, []sortKey{{expr: "dm.at"}, {expr: "dm.id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[participation.ModerationDecision]{}, mapErr("list moderation decisions", err)
	}
	return pageOf(rows, n, noErr((*debateModerationRow).toDomain),
		func(r *debateModerationRow) any { return idCursor{N: r.At, ID: r.ID.String()} })
}
