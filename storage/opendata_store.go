package storage

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/opendata"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// DatasetStore implements opendata.Store with bun. It keeps what it is
// given: the opendata.Service owns the clock, the IDs and the checks.
type DatasetStore struct {
	db *DB
}

var _ opendata.Store = (*DatasetStore)(nil)

// NewDatasetStore returns the open-data store on db.
func NewDatasetStore(db *DB) *DatasetStore {
	db.mustHaveDomain(DomainOpenData, "NewDatasetStore")
	return &DatasetStore{db: db}
}

// errStaleUpsert: the row an upsert read changed before it was written.
var errStaleUpsert = errors.New("storage: dataset changed during upsert")

func insertDataset(ctx context.Context, tx bun.IDB, d *opendata.Dataset) error {
	row, doc := toDatasetRows(d)
	if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
		return err
	}
	if _, err := tx.NewInsert().Model(doc).Exec(ctx); err != nil {
		return err
	}
	return writeDatasetChildren(ctx, tx, d)
}

func writeDatasetChildren(ctx context.Context, tx bun.IDB, d *opendata.Dataset) error {
	if terms := datasetTermRows(d); len(terms) > 0 {
		if _, err := tx.NewInsert().Model(&terms).Exec(ctx); err != nil {
			return err
		}
	}
	if facets := datasetFacetRows(d); len(facets) > 0 {
		if _, err := tx.NewInsert().Model(&facets).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

func deleteDatasetChildren(ctx context.Context, tx bun.IDB, id uuid.UUID) error {
	if _, err := tx.NewDelete().Model((*datasetTermRow)(nil)).Where("dataset_id = ?", id).Exec(ctx); err != nil {
		return err
	}
	_, err := tx.NewDelete().Model((*datasetFacetRow)(nil)).Where("dataset_id = ?", id).Exec(ctx)
	return err
}

// updateDatasetRow replaces the row whose ID and revision match d, writing
// revision d.Revision+1. It returns errStaleUpsert when no row matched.
func updateDatasetRow(ctx context.Context, tx bun.IDB, d *opendata.Dataset) error {
	row, doc := toDatasetRows(d)
	row.Revision = d.Revision + 1
	res, err := tx.NewUpdate().Model(row).
		ExcludeColumn("id", "created_at").
		Where("d.id = ?", d.ID).Where("d.revision = ?", d.Revision).
		Exec(ctx)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return errStaleUpsert
	}
	if _, err := tx.NewUpdate().Model(doc).Column("publisher", "doc").Where("dd.dataset_id = ?", d.ID).Exec(ctx); err != nil {
		return err
	}
	if err := deleteDatasetChildren(ctx, tx, d.ID); err != nil {
		return err
	}
	return writeDatasetChildren(ctx, tx, d)
}

// CreateDataset implements opendata.Store.
func (s *DatasetStore) CreateDataset(ctx context.Context, d *opendata.Dataset) error {
	truncateTimes(d)
	d.Revision = 1
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return insertDataset(ctx, tx, d)
	})
	return mapErr("create dataset", err)
}

// truncateTimes gives d's times the precision the database keeps.
func truncateTimes(d *opendata.Dataset) {
	d.CreatedAt, d.UpdatedAt = truncate(d.CreatedAt), truncate(d.UpdatedAt)
}

func getDataset(ctx context.Context, db bun.IDB, where string, arg any) (*opendata.Dataset, error) {
	var row datasetRow
	if err := db.NewSelect().Model(&row).Where(where, arg).Limit(1).Scan(ctx); err != nil {
		return nil, err
	}
	var doc datasetDocRow
	if err := db.NewSelect().Model(&doc).Where("dd.dataset_id = ?", row.ID).Scan(ctx); err != nil {
		return nil, err
	}
	return row.toDomain(doc.Doc)
}

// GetDataset implements opendata.Store.
func (s *DatasetStore) GetDataset(ctx context.Context, id uuid.UUID) (*opendata.Dataset, error) {
	d, err := getDataset(ctx, s.db.bun, "d.id = ?", id)
	return d, mapErr("get dataset", err)
}

// GetDatasetByIdentifier implements opendata.Store.
func (s *DatasetStore) GetDatasetByIdentifier(ctx context.Context, identifier string) (*opendata.Dataset, error) {
	d, err := getDataset(ctx, s.db.bun, "d.identifier = ?", identifier)
	return d, mapErr("get dataset by identifier", err)
}

// UpdateDataset implements opendata.Store.
func (s *DatasetStore) UpdateDataset(ctx context.Context, d *opendata.Dataset) error {
	d.UpdatedAt = truncate(d.UpdatedAt)
	var createdAt int64
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var cur datasetRow
		if err := tx.NewSelect().Model(&cur).Column("d.revision", "d.created_at").Where("d.id = ?", d.ID).Scan(ctx); err != nil {
			return err
		}
		if cur.Revision != d.Revision {
			return fmt.Errorf("%w: dataset %s is at revision %d, not %d", opendata.ErrConflict, d.ID, cur.Revision, d.Revision)
		}
		createdAt = cur.CreatedAt
		err := updateDatasetRow(ctx, tx, d)
		if errors.Is(err, errStaleUpsert) {
			return fmt.Errorf("%w: dataset %s changed since revision %d", opendata.ErrConflict, d.ID, d.Revision)
		}
		return err
	})
	if err != nil {
		return mapErr("update dataset", err)
	}
	d.Revision++
	d.CreatedAt = fromMicros(createdAt)
	return nil
}

// DeleteDataset implements opendata.Store.
func (s *DatasetStore) DeleteDataset(ctx context.Context, id uuid.UUID) error {
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		// Children first: foreign keys may be unenforced (SQLite with
		// foreign_keys off in an integrator's pool).
		if err := deleteDatasetChildren(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*datasetDocRow)(nil)).Where("dataset_id = ?", id).Exec(ctx); err != nil {
			return err
		}
		res, err := tx.NewDelete().Model((*datasetRow)(nil)).Where("id = ?", id).Exec(ctx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return sql.ErrNoRows
		}
		return nil
	})
	return mapErr("delete dataset", err)
}

// UpsertDatasetByIdentifier implements opendata.Store.
func (s *DatasetStore) UpsertDatasetByIdentifier(ctx context.Context, d *opendata.Dataset) (bool, error) {
	truncateTimes(d)
	input := *d
	doc := datasetDoc(d)
	var created, inserted bool
	var err error
	for attempt := 0; attempt < 4; attempt++ {
		err = s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			*d = input // a retried transaction starts from the input
			created, inserted = false, false
			var cur datasetRow
			err := tx.NewSelect().Model(&cur).Where("d.identifier = ?", d.Identifier).Limit(1).Scan(ctx)
			if errors.Is(err, sql.ErrNoRows) {
				d.Revision = 1
				created, inserted = true, true
				return insertDataset(ctx, tx, d)
			}
			if err != nil {
				return err
			}
			var curDoc datasetDocRow
			if err := tx.NewSelect().Model(&curDoc).Where("dd.dataset_id = ?", cur.ID).Scan(ctx); err != nil {
				return err
			}
			stored, err := cur.toDomain(curDoc.Doc)
			if err != nil {
				return err
			}
			// A document in the first JSON shape is compared in the
			// current one, so that reading it is not a change.
			if curDoc.Doc == doc || (isLegacyDatasetDoc(curDoc.Doc) && datasetDoc(stored) == doc) {
				*d = *stored
				return nil
			}
			d.ID, d.Revision, d.CreatedAt = cur.ID, cur.Revision, fromMicros(cur.CreatedAt)
			if err := updateDatasetRow(ctx, tx, d); err != nil {
				return err
			}
			d.Revision++
			return nil
		})
		// A concurrent writer may have inserted the identifier (our insert
		// hits the unique key) or updated the row we read: the next
		// attempt sees it. A key taken by an update (an IRI) would fail
		// again, so only inserts are retried on a unique violation.
		if errors.Is(err, errStaleUpsert) || (classify(err) == classUnique && inserted) {
			continue
		}
		break
	}
	if errors.Is(err, errStaleUpsert) {
		err = fmt.Errorf("%w: %w", opendata.ErrUnavailable, err)
	}
	if err != nil {
		*d = input
		return false, mapErr("upsert dataset", err)
	}
	return created, nil
}

// applyDatasetQuery adds the WHERE clauses of q's text and filters to sq
// (alias d = opendata_datasets) on engine e. Each condition selects IDs
// through the (term, dataset_id) or (facet, value, dataset_id) index.
func applyDatasetQuery(sq *bun.SelectQuery, e Engine, q *opendata.SearchQuery) *bun.SelectQuery {
	type part struct {
		table, cond string
		args        []any
	}
	states := make([]string, 0, 3)
	for _, st := range q.EffectiveStates() {
		states = append(states, string(st))
	}
	if len(states) == 1 {
		sq = sq.Where("d.state = ?", states[0])
	} else {
		sq = sq.Where("d.state IN (?)", bun.List(states))
	}
	for _, r := range []struct {
		col string
		r   opendata.TimeRange
	}{{"d.updated_at", q.Modified}, {"d.created_at", q.Created}} {
		if !r.r.From.IsZero() {
			sq = sq.Where(r.col+" >= ?", micros(r.r.From))
		}
		if !r.r.To.IsZero() {
			sq = sq.Where(r.col+" <= ?", micros(r.r.To))
		}
	}
	var parts []part
	for _, w := range q.QueryWords() {
		// A word prefixes exactly the terms in [w, w+U+10FFFF]: bytewise,
		// on every engine, and no term holds U+10FFFF (not a letter).
		parts = append(parts, part{modelTable[datasetTermRow](sq.DB()), "%[1]s.term >= ? AND %[1]s.term <= ?", []any{w, w + "\U0010FFFF"}})
	}
	for _, f := range q.Filters {
		if f.Exclude {
			sq = sq.Where("d.id NOT IN (SELECT x.dataset_id FROM "+modelTable[datasetFacetRow](sq.DB())+" AS x WHERE x.facet = ? AND x.value IN (?))",
				string(f.Facet), bun.List(f.Values))
			continue
		}
		parts = append(parts, part{modelTable[datasetFacetRow](sq.DB()), "%[1]s.facet = ? AND %[1]s.value IN (?)", []any{string(f.Facet), bun.List(f.Values)}})
	}
	if len(parts) == 0 {
		return sq
	}
	var b strings.Builder
	var args []any
	if e == MySQL && len(parts) > 1 {
		// MariaDB joins the parts by probing the other parts' primary
		// keys (dataset_id, ...) once per row of the first: random reads
		// across whole tables larger than a default buffer pool (128 MB
		// holds neither the terms nor the facets of 100k datasets), so
		// most probes went to disk. Here each part reads only its own
		// range of the (term, dataset_id) or (facet, value, dataset_id)
		// index, once, and the datasets in every part are those counted
		// once per part (DISTINCT: a word may prefix several terms of a
		// dataset, a filter may list several of its values).
		b.WriteString("d.id IN (SELECT mm.dataset_id FROM (")
		for i, p := range parts {
			alias := "m" + strconv.Itoa(i)
			if i > 0 {
				b.WriteString(" UNION ALL ")
			}
			fmt.Fprintf(&b, "SELECT DISTINCT %[1]s.dataset_id FROM %[2]s AS %[1]s WHERE ", alias, p.table)
			fmt.Fprintf(&b, p.cond, alias)
			args = append(args, p.args...)
		}
		fmt.Fprintf(&b, ") AS mm GROUP BY mm.dataset_id HAVING COUNT(*) = %d)", len(parts))
		return sq.Where(b.String(), args...)
	}
	// Elsewhere the required conditions (each word, each filter) become
	// one subquery joining the term and facet rows on dataset_id: one
	// semi-join that the planners of SQLite and PostgreSQL drive from
	// the most selective index, where separate IN conditions made
	// MariaDB probe every dataset.
	b.WriteString("d.id IN (SELECT m0.dataset_id FROM ")
	b.WriteString(parts[0].table + " AS m0")
	for i, p := range parts[1:] {
		alias := "m" + strconv.Itoa(i+1)
		fmt.Fprintf(&b, " JOIN %s AS %s ON %s.dataset_id = m0.dataset_id AND ", p.table, alias, alias)
		fmt.Fprintf(&b, p.cond, alias)
		args = append(args, p.args...)
	}
	b.WriteString(" WHERE ")
	fmt.Fprintf(&b, parts[0].cond, "m0")
	b.WriteString(")")
	args = append(args, parts[0].args...)
	return sq.Where(b.String(), args...)
}

// orderColumn returns the column of q's primary sort key.
func orderColumn(s opendata.SortOrder) string {
	switch s {
	case opendata.SortModified, opendata.SortModifiedAsc:
		return "d.updated_at"
	case opendata.SortCreated, opendata.SortCreatedAsc:
		return "d.created_at"
	case opendata.SortTitle, opendata.SortTitleDesc:
		return "d.title_key"
	}
	return "d.identifier"
}

// SearchDatasets implements opendata.Store.
func (s *DatasetStore) SearchDatasets(ctx context.Context, q opendata.SearchQuery) (*opendata.SearchResult, error) {
	var a opendata.Cursor
	hasAfter, err := civickit.DecodeCursor(q.After, &a)
	if err != nil {
		return nil, fmt.Errorf("search datasets: %w", err)
	}
	col := orderColumn(q.Sort)
	dir, cmpOp := "ASC", ">"
	if q.Sort.Descending() {
		dir, cmpOp = "DESC", "<"
	}
	// The page's IDs first, through the sort index without reading the
	// documents (cheap to skip over for deep offsets), then their rows.
	var ids []uuid.UUID
	sel := applyDatasetQuery(s.db.bun.NewSelect().Model((*datasetRow)(nil)).Column("d.id"), s.db.engine, &q)
	if hasAfter {
		var key any = a.Key
		if q.Sort.ByTime() {
			key = a.At
		}
		sel = sel.Where("("+col+" "+cmpOp+" ? OR ("+col+" = ? AND d.id "+cmpOp+" ?))", key, key, a.ID)
	}
	sel = sel.OrderExpr(col + " " + dir).OrderExpr("d.id " + dir).Limit(int64(q.Limit + 1))
	if q.Offset > 0 {
		sel = sel.Offset(int64(q.Offset))
	}
	if err := sel.Scan(ctx, &ids); err != nil {
		return nil, mapErr("search datasets", err)
	}
	res := &opendata.SearchResult{}
	more := len(ids) > q.Limit
	if more {
		ids = ids[:q.Limit]
	}
	var rows []datasetRow
	var docs []datasetDocRow
	if len(ids) > 0 {
		if err := s.db.bun.NewSelect().Model(&rows).Where("d.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
			return nil, mapErr("search datasets", err)
		}
		if err := s.db.bun.NewSelect().Model(&docs).Where("dd.dataset_id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
			return nil, mapErr("search datasets", err)
		}
	}
	byID := make(map[uuid.UUID]*datasetRow, len(rows))
	for i := range rows {
		byID[rows[i].ID] = &rows[i]
	}
	docOf := make(map[uuid.UUID]string, len(docs))
	for _, doc := range docs {
		docOf[doc.DatasetID] = doc.Doc
	}
	res.Items = make([]opendata.Dataset, 0, len(ids))
	for _, id := range ids {
		r, ok := byID[id]
		doc, hasDoc := docOf[id]
		if !ok || !hasDoc {
			continue // deleted between the reads
		}
		d, err := r.toDomain(doc)
		if err != nil {
			return nil, mapErr("search datasets", err)
		}
		res.Items = append(res.Items, *d)
	}
	if more && len(res.Items) > 0 {
		res.Next = civickit.EncodeCursor(opendata.CursorOf(&res.Items[len(res.Items)-1], q.Sort))
	}
	if len(q.Facets) == 0 {
		total, err := applyDatasetQuery(s.db.bun.NewSelect().Model((*datasetRow)(nil)), s.db.engine, &q).Count(ctx)
		if err != nil {
			return nil, mapErr("search datasets", err)
		}
		res.Total = int(total)
		return res, nil
	}
	total, facets, err := s.countFacets(ctx, &q)
	if err != nil {
		return nil, mapErr("search datasets", err)
	}
	res.Total, res.Facets = total, facets
	return res, nil
}

// countFacets reads the encoded facet values of every dataset q matches
// (one short row each) and counts them here: one pass over the matches
// gives the total and every facet, on every engine alike.
func (s *DatasetStore) countFacets(ctx context.Context, q *opendata.SearchQuery) (int, map[opendata.Facet][]opendata.FacetCount, error) {
	wanted := map[byte]opendata.Facet{}
	counts := map[byte]map[string]*int{}
	for _, f := range q.Facets {
		wanted[facetCodes[f]] = f
		counts[facetCodes[f]] = map[string]*int{}
	}
	rows, err := applyDatasetQuery(s.db.bun.NewSelect().Model((*datasetRow)(nil)).Column("d.facets"), s.db.engine, q).Rows(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	total := 0
	var raw sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&raw); err != nil {
			return 0, nil, err
		}
		total++
		for len(raw) > 0 {
			line := raw
			if i := bytes.IndexByte(raw, '\n'); i >= 0 {
				line, raw = raw[:i], raw[i+1:]
			} else {
				raw = nil
			}
			if len(line) < 2 || line[1] != '\t' {
				continue
			}
			m, ok := counts[line[0]]
			if !ok {
				continue
			}
			v := line[2:]
			if n := m[string(v)]; n != nil {
				*n++
			} else {
				one := 1
				m[string(v)] = &one
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	out := make(map[opendata.Facet][]opendata.FacetCount, len(q.Facets))
	for code, f := range wanted {
		fc := make([]opendata.FacetCount, 0, len(counts[code]))
		for v, n := range counts[code] {
			fc = append(fc, opendata.FacetCount{Value: expandFacetValue(v), Count: *n})
		}
		opendata.SortFacetCounts(fc)
		if len(fc) > q.FacetLimit {
			fc = fc[:q.FacetLimit]
		}
		out[f] = fc
	}
	return total, out, nil
}

// publisherCursor is the position of a publisher in ListPublishers order.
type publisherCursor struct {
	Key string `json:"k"`
}

// ListPublishers implements opendata.Store.
func (s *DatasetStore) ListPublishers(ctx context.Context, after string, limit int) (civickit.Page[opendata.PublisherCount], error) {
	var page civickit.Page[opendata.PublisherCount]
	limit, err := civickit.CheckLimit(limit)
	if err != nil {
		return page, fmt.Errorf("list publishers: %w", err)
	}
	var c publisherCursor
	hasAfter, err := civickit.DecodeCursor(after, &c)
	if err != nil {
		return page, fmt.Errorf("list publishers: %w", err)
	}
	var counts []struct {
		Key string `bun:"publisher_key"`
		N   int    `bun:"n"`
	}
	q := s.db.bun.NewSelect().Model((*datasetRow)(nil)).
		ColumnExpr("d.publisher_key").ColumnExpr("COUNT(*) AS n").
		Where("d.publisher_key <> ''").Where("d.state = ?", string(opendata.StatePublished))
	if hasAfter {
		q = q.Where("d.publisher_key > ?", c.Key)
	}
	err = q.GroupExpr("d.publisher_key").OrderExpr("d.publisher_key ASC").Limit(int64(limit+1)).Scan(ctx, &counts)
	if err != nil {
		return page, mapErr("list publishers", err)
	}
	if len(counts) > limit {
		counts = counts[:limit]
		page.Next = civickit.EncodeCursor(publisherCursor{Key: counts[len(counts)-1].Key})
	}
	page.Items = make([]opendata.PublisherCount, 0, len(counts))
	for _, c := range counts {
		var publisher string
		err := s.db.bun.NewSelect().Model((*datasetDocRow)(nil)).Column("dd.publisher").
			Join("JOIN "+modelTable[datasetRow](s.db.bun)+" AS d ON d.id = dd.dataset_id").
			Where("d.publisher_key = ?", c.Key).Where("d.state = ?", string(opendata.StatePublished)).OrderExpr("d.updated_at DESC").OrderExpr("d.id DESC").Limit(1).
			Scan(ctx, &publisher)
		if errors.Is(err, sql.ErrNoRows) {
			continue // deleted between the two reads
		}
		if err != nil {
			return civickit.Page[opendata.PublisherCount]{}, mapErr("list publishers", err)
		}
		pc := opendata.PublisherCount{Key: c.Key, Datasets: c.N}
		if err := json.Unmarshal([]byte(publisher), &pc.Agent); err != nil {
			return civickit.Page[opendata.PublisherCount]{}, fmt.Errorf("list publishers: storage: publisher %q: %w", c.Key, err)
		}
		page.Items = append(page.Items, pc)
	}
	return page, nil
}

// CreateDatasets inserts many new datasets in one transaction, with
// multi-row inserts: every dataset is written or none is. Each is written
// as CreateDataset does (as given, Revision 1): the caller sets IDs and
// times and checks the datasets (opendata.CheckStorable). ErrConflict if
// an ID, identifier or IRI is taken, also within ds. Importers and
// benchmarks use it to load a catalogue quickly.
func (s *DatasetStore) CreateDatasets(ctx context.Context, ds []*opendata.Dataset) error {
	for _, d := range ds {
		truncateTimes(d)
		d.Revision = 1
	}
	const chunk = 250
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		for lo := 0; lo < len(ds); lo += chunk {
			part := ds[lo:min(lo+chunk, len(ds))]
			rows := make([]*datasetRow, len(part))
			docs := make([]*datasetDocRow, len(part))
			var terms []datasetTermRow
			var facets []datasetFacetRow
			for i, d := range part {
				rows[i], docs[i] = toDatasetRows(d)
				terms = append(terms, datasetTermRows(d)...)
				facets = append(facets, datasetFacetRows(d)...)
			}
			if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
				return err
			}
			if _, err := tx.NewInsert().Model(&docs).Exec(ctx); err != nil {
				return err
			}
			if len(terms) > 0 {
				if _, err := tx.NewInsert().Model(&terms).Exec(ctx); err != nil {
					return err
				}
			}
			if len(facets) > 0 {
				if _, err := tx.NewInsert().Model(&facets).Exec(ctx); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return mapErr("create datasets", err)
}
