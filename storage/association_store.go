package storage

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// AssociationStore implements associations.Store with bun.
type AssociationStore struct {
	db *DB
}

var _ associations.Store = (*AssociationStore)(nil)

// NewAssociationStore returns the association registry store on db.
func NewAssociationStore(db *DB) *AssociationStore {
	db.mustHaveDomain(DomainAssociations, "NewAssociationStore")
	return &AssociationStore{db: db}
}

// insertAssociation writes a's row, categories and search terms.
func insertAssociation(ctx context.Context, tx bun.IDB, a *associations.Association) error {
	return insertAssociations(ctx, tx, []*associations.Association{a})
}

func writeChildren(ctx context.Context, tx bun.IDB, a *associations.Association) error {
	if cats := categoryRows(a); len(cats) > 0 {
		if _, err := tx.NewInsert().Model(&cats).Exec(ctx); err != nil {
			return err
		}
	}
	if terms := termRows(a); len(terms) > 0 {
		if _, err := tx.NewInsert().Model(&terms).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

func deleteChildren(ctx context.Context, tx bun.IDB, id uuid.UUID) error {
	if _, err := tx.NewDelete().Model((*categoryRow)(nil)).Where("association_id = ?", id).Exec(ctx); err != nil {
		return err
	}
	_, err := tx.NewDelete().Model((*termRow)(nil)).Where("association_id = ?", id).Exec(ctx)
	return err
}

// CreateAssociation implements associations.Store.
func (s *AssociationStore) CreateAssociation(ctx context.Context, a *associations.Association) error {
	a.CreatedAt, a.UpdatedAt = truncate(a.CreatedAt), truncate(a.UpdatedAt)
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return insertAssociation(ctx, tx, a)
	})
	return mapErr("create association", err)
}

// loadAssociations turns rows into domain values with their categories.
func loadAssociations(ctx context.Context, db bun.IDB, rows []associationRow) ([]associations.Association, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]uuid.UUID, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	var cats []categoryRow
	err := db.NewSelect().Model(&cats).Where("c.association_id IN (?)", bun.List(ids)).
		Order("c.association_id", "c.pos").Scan(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[uuid.UUID][]string, len(rows))
	for _, c := range cats {
		byID[c.AssociationID] = append(byID[c.AssociationID], c.Code)
	}
	out := make([]associations.Association, len(rows))
	for i := range rows {
		a, err := rows[i].toDomain(byID[rows[i].ID])
		if err != nil {
			return nil, err
		}
		out[i] = *a
	}
	return out, nil
}

func getAssociation(ctx context.Context, db bun.IDB, where string, arg any) (*associations.Association, error) {
	var row associationRow
	if err := db.NewSelect().Model(&row).Where(where, arg).Limit(1).Scan(ctx); err != nil {
		return nil, err
	}
	as, err := loadAssociations(ctx, db, []associationRow{row})
	if err != nil {
		return nil, err
	}
	return &as[0], nil
}

// GetAssociation implements associations.Store.
func (s *AssociationStore) GetAssociation(ctx context.Context, id uuid.UUID) (*associations.Association, error) {
	a, err := getAssociation(ctx, s.db.bun, "a.id = ?", id)
	return a, mapErr("get association", err)
}

// GetAssociationByRNA implements associations.Store.
func (s *AssociationStore) GetAssociationByRNA(ctx context.Context, rna string) (*associations.Association, error) {
	if rna == "" {
		return nil, fmt.Errorf("get association by RNA: %w", associations.ErrNotFound)
	}
	a, err := getAssociation(ctx, s.db.bun, "a.rna = ?", rna)
	return a, mapErr("get association by RNA", err)
}

// updateAssociation replaces the row whose ID and version match a.
func updateAssociation(ctx context.Context, tx bun.IDB, a *associations.Association) error {
	row := toAssociationRow(a)
	row.Version = a.Version + 1
	res, err := tx.NewUpdate().Model(row).
		ExcludeColumn("id", "created_at").
		Where("a.id = ?", a.ID).Where("a.version = ?", a.Version).
		Exec(ctx)
	if err := checkVersioned(ctx, tx, res, err, (*associationRow)(nil), "a.id", a.ID, a.Version); err != nil {
		return err
	}
	if err := deleteChildren(ctx, tx, a.ID); err != nil {
		return err
	}
	return writeChildren(ctx, tx, a)
}

// UpdateAssociation implements associations.Store.
func (s *AssociationStore) UpdateAssociation(ctx context.Context, a *associations.Association) error {
	a.UpdatedAt = truncate(a.UpdatedAt)
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return updateAssociation(ctx, tx, a)
	})
	if err != nil {
		return mapErr("update association", err)
	}
	a.Version++
	return nil
}

// sameContent compares what an import can change: everything but the ID,
// version and timestamps.
func sameContent(a, b *associations.Association) bool {
	ra, rb := toAssociationRow(a), toAssociationRow(b)
	for _, r := range []*associationRow{ra, rb} {
		r.ID, r.Version, r.CreatedAt, r.UpdatedAt = uuid.Nil, 0, 0, 0
	}
	return reflect.DeepEqual(ra, rb) && slices.Equal(a.Categories, b.Categories)
}

// UpsertAssociationByRNA implements associations.Store: a batch of one.
func (s *AssociationStore) UpsertAssociationByRNA(ctx context.Context, a *associations.Association) (associations.UpsertResult, error) {
	res, err := s.UpsertAssociationsByRNA(ctx, []*associations.Association{a})
	if err != nil {
		return associations.Unchanged, err
	}
	return res[0], nil
}

// applyFilter adds the WHERE clauses of f to q (alias a = associations).
func applyFilter(q *bun.SelectQuery, f associations.Filter) *bun.SelectQuery {
	if f.Status != "" {
		q = q.Where("a.status = ?", string(f.Status))
	}
	if f.CommuneCode != "" {
		q = q.Where("a.commune_code = ?", f.CommuneCode)
	}
	if f.PostalCode != "" {
		q = q.Where("a.postal_code = ?", f.PostalCode)
	}
	if f.Department != "" {
		q = q.Where("a.commune_code LIKE ?", likePrefix(f.Department))
	}
	if f.Category != "" {
		col := "c.code"
		if f.Category == associations.ThemeOf(f.Category) {
			col = "c.theme" // a theme matches its sub-codes
		}
		q = q.Where("EXISTS (SELECT 1 FROM "+modelTable[categoryRow](q.DB())+" AS c WHERE c.association_id = a.id AND "+col+" = ?)", f.Category)
	}
	if f.Text != "" {
		for _, w := range associations.QueryWords(f.Text) {
			q = q.Where("EXISTS (SELECT 1 FROM "+modelTable[termRow](q.DB())+" AS t WHERE t.association_id = a.id AND t.term LIKE ?)", likePrefix(w))
		}
	}
	return q
}

// likePrefix escapes LIKE wildcards (none survive Words, but Department is
// caller input) and appends %.
func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + "%"
}

// SearchAssociations implements associations.Store.
func (s *AssociationStore) SearchAssociations(ctx context.Context, f associations.Filter, after string, limit int) (civickit.Page[associations.Association], error) {
	var page civickit.Page[associations.Association]
	limit, err := civickit.CheckLimit(limit)
	if err != nil {
		return page, fmt.Errorf("search associations: %w", err)
	}
	var c associations.SearchCursor
	hasAfter, err := civickit.DecodeCursor(after, &c)
	if err != nil {
		return page, fmt.Errorf("search associations: %w", err)
	}
	var rows []associationRow
	q := applyFilter(s.db.bun.NewSelect().Model(&rows), f)
	if hasAfter {
		q = q.Where("(a.name_key > ? OR (a.name_key = ? AND a.id > ?))", c.SortKey, c.SortKey, c.ID)
	}
	if err := q.Order("a.name_key", "a.id").Limit(int64(limit + 1)).Scan(ctx); err != nil {
		return page, mapErr("search associations", err)
	}
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[len(rows)-1]
		page.Next = civickit.EncodeCursor(associations.SearchCursor{SortKey: last.NameKey, ID: last.ID})
	}
	page.Items, err = loadAssociations(ctx, s.db.bun, rows)
	if err != nil {
		return civickit.Page[associations.Association]{}, mapErr("search associations", err)
	}
	return page, nil
}

type located struct {
	ID       uuid.UUID `bun:"id"`
	Lat      float64   `bun:"lat"`
	Lon      float64   `bun:"lon"`
	distance float64
}

// NearAssociations implements associations.Store. The database selects the
// candidates in the bounding boxes through the (lat, lon) index; the exact
// distance, the order and the cursor are applied here with
// associations.Distance, so that every engine returns the same result.
func (s *AssociationStore) NearAssociations(ctx context.Context, p associations.NearParams, after string, limit int) (civickit.Page[associations.NearHit], error) {
	var page civickit.Page[associations.NearHit]
	limit, err := civickit.CheckLimit(limit)
	if err != nil {
		return page, fmt.Errorf("near associations: %w", err)
	}
	var c associations.NearCursor
	hasAfter, err := civickit.DecodeCursor(after, &c)
	if err != nil {
		return page, fmt.Errorf("near associations: %w", err)
	}
	var cands []located
	q := s.db.bun.NewSelect().Model((*associationRow)(nil)).Column("a.id", "a.lat", "a.lon").
		Where("a.lat IS NOT NULL AND a.lon IS NOT NULL")
	boxes := associations.BoundingBoxes(p.Center, p.RadiusMeters)
	q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		for _, b := range boxes {
			ranges, ok := cellRanges(b)
			if !ok { // a box near a pole or the whole Earth: by latitude
				q = q.WhereOr("(a.lat BETWEEN ? AND ? AND a.lon BETWEEN ? AND ?)", b.MinLat, b.MaxLat, b.MinLon, b.MaxLon)
				continue
			}
			for _, r := range ranges {
				q = q.WhereOr("(a.cell BETWEEN ? AND ? AND a.lat BETWEEN ? AND ? AND a.lon BETWEEN ? AND ?)",
					r[0], r[1], b.MinLat, b.MaxLat, b.MinLon, b.MaxLon)
			}
		}
		return q
	})
	q = applyFilter(q, p.Filter)
	if err := q.Scan(ctx, &cands); err != nil {
		return page, mapErr("near associations", err)
	}
	keep := cands[:0]
	for _, cand := range cands {
		cand.distance = associations.Distance(p.Center, associations.Point{Lat: cand.Lat, Lon: cand.Lon})
		if cand.distance > p.RadiusMeters {
			continue
		}
		if hasAfter && (cand.distance < c.Meters || (cand.distance == c.Meters && cand.ID.String() <= c.ID.String())) {
			continue
		}
		keep = append(keep, cand)
	}
	slices.SortFunc(keep, func(x, y located) int {
		if c := cmp.Compare(x.distance, y.distance); c != 0 {
			return c
		}
		return strings.Compare(x.ID.String(), y.ID.String())
	})
	if len(keep) > limit {
		keep = keep[:limit]
		last := keep[len(keep)-1]
		page.Next = civickit.EncodeCursor(associations.NearCursor{Meters: last.distance, ID: last.ID})
	}
	if len(keep) == 0 {
		return page, nil
	}
	ids := make([]uuid.UUID, len(keep))
	for i, c := range keep {
		ids[i] = c.ID
	}
	var rows []associationRow
	if err := s.db.bun.NewSelect().Model(&rows).Where("a.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return civickit.Page[associations.NearHit]{}, mapErr("near associations", err)
	}
	items, err := loadAssociations(ctx, s.db.bun, rows)
	if err != nil {
		return civickit.Page[associations.NearHit]{}, mapErr("near associations", err)
	}
	byID := make(map[uuid.UUID]*associations.Association, len(items))
	for i := range items {
		byID[items[i].ID] = &items[i]
	}
	page.Items = make([]associations.NearHit, 0, len(keep))
	for _, c := range keep {
		a, ok := byID[c.ID]
		if !ok {
			continue // deleted between the two reads
		}
		page.Items = append(page.Items, associations.NearHit{Association: *a, DistanceMeters: c.distance})
	}
	return page, nil
}

// UpsertAssociationsByRNA implements associations.Store. New associations
// are written with multi-row inserts; changed ones are updated one by one.
func (s *AssociationStore) UpsertAssociationsByRNA(ctx context.Context, as []*associations.Association) ([]associations.UpsertResult, error) {
	if len(as) == 0 {
		return nil, nil
	}
	rnas := make([]string, len(as))
	seen := make(map[string]bool, len(as))
	for i, a := range as {
		if a.RNA == "" || seen[a.RNA] {
			return nil, fmt.Errorf("upsert associations: %w: rna: required and distinct within a batch (index %d)", associations.ErrInvalid, i)
		}
		seen[a.RNA] = true
		rnas[i] = a.RNA
		a.CreatedAt, a.UpdatedAt = truncate(a.CreatedAt), truncate(a.UpdatedAt)
	}
	inputs := make([]associations.Association, len(as))
	for i, a := range as {
		inputs[i] = *a
	}
	results := make([]associations.UpsertResult, len(as))
	var err error
	inserted := false
	for attempt := 0; attempt < 3; attempt++ {
		err = s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			inserted = false
			for i := range as {
				*as[i] = inputs[i] // a retried transaction starts from the input
			}
			var rows []associationRow
			if err := tx.NewSelect().Model(&rows).Where("a.rna IN (?)", bun.List(rnas)).Scan(ctx); err != nil {
				return err
			}
			stored, err := loadAssociations(ctx, tx, rows)
			if err != nil {
				return err
			}
			byRNA := make(map[string]*associations.Association, len(stored))
			for i := range stored {
				byRNA[stored[i].RNA] = &stored[i]
			}
			var fresh []*associations.Association
			for i, a := range as {
				cur, ok := byRNA[a.RNA]
				if !ok {
					if a.ID == uuid.Nil {
						return fmt.Errorf("new association %s: %w", a.RNA, civickit.Invalid("id", "required", ""))
					}
					a.Version = 1
					results[i] = associations.Created
					fresh = append(fresh, a)
					continue
				}
				a.ID, a.CreatedAt = cur.ID, cur.CreatedAt
				if sameContent(a, cur) {
					*a = *cur
					results[i] = associations.Unchanged
					continue
				}
				a.Version = cur.Version
				results[i] = associations.Updated
				if err := updateAssociation(ctx, tx, a); err != nil {
					return err
				}
				a.Version++
			}
			inserted = len(fresh) > 0
			return insertAssociations(ctx, tx, fresh)
		})
		// A concurrent importer may have inserted one of our new RNAs: the
		// next attempt sees it and updates instead. A key taken by an
		// update (a SIRET) would fail again, so only inserts are retried.
		if classify(err) != classUnique || !inserted {
			break
		}
	}
	if err != nil {
		return nil, mapErr("upsert associations", err)
	}
	return results, nil
}

// insertAssociations writes new associations with one multi-row insert
// per table.
func insertAssociations(ctx context.Context, tx bun.IDB, as []*associations.Association) error {
	if len(as) == 0 {
		return nil
	}
	rows := make([]*associationRow, len(as))
	var cats []categoryRow
	var terms []termRow
	for i, a := range as {
		rows[i] = toAssociationRow(a)
		cats = append(cats, categoryRows(a)...)
		terms = append(terms, termRows(a)...)
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return err
	}
	if len(cats) > 0 {
		if _, err := tx.NewInsert().Model(&cats).Exec(ctx); err != nil {
			return err
		}
	}
	if len(terms) > 0 {
		if _, err := tx.NewInsert().Model(&terms).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}
