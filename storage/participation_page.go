package storage

import (
	"strings"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/civickit/civickit"
)

// Keyset paging of the participation stores. A list is ordered by a few
// columns ending with a unique one; its cursor holds the last item's
// values of those columns, and the next page starts strictly after them,
// so rows added or removed between two pages never shift a page.

// sortKey is one column of a list's order.
type sortKey struct {
	expr string // a column, qualified by the model's alias
	desc bool
}

// pageQuery decodes after into cur (a pointer to the list's cursor
// struct) and checks limit. It returns the page size and whether the
// cursor was set. A malformed cursor or a negative limit is a
// *civickit.ValidationError.
func pageQuery(after string, limit int, cur any) (int, bool, error) {
	n, err := civickit.CheckLimit(limit)
	if err != nil {
		return 0, false, err
	}
	set, err := civickit.DecodeCursor(after, cur)
	if err != nil {
		return 0, false, err
	}
	// A NUL byte is no key of ours, and PostgreSQL refuses it in text.
	if tc, ok := cur.(*textCursor); ok && strings.ContainsRune(tc.S+tc.ID, 0) {
		return 0, false, civickit.Invalid("after", "cursor", "")
	}
	return n, set, nil
}

// keyset orders q by keys and, when vals is non-nil, keeps only the rows
// strictly after vals in that order; it fetches limit+1 rows, the extra
// one telling whether another page follows (see pageOf). The condition
// is spelled out as (a > ?) OR (a = ? AND b > ?) rather than as a row
// comparison, which MariaDB does not turn into an index range.
func keyset(q *bun.SelectQuery, keys []sortKey, vals []any, limit int) *bun.SelectQuery {
	if vals != nil {
		var parts []string
		var args []any
		for i, k := range keys {
			var and []string
			for j := range i {
				and = append(and, keys[j].expr+" = ?")
				args = append(args, vals[j])
			}
			op := " > ?"
			if k.desc {
				op = " < ?"
			}
			and = append(and, k.expr+op)
			args = append(args, vals[i])
			parts = append(parts, "("+strings.Join(and, " AND ")+")")
		}
		q = q.Where("("+strings.Join(parts, " OR ")+")", args...)
	}
	order := make([]string, len(keys))
	for i, k := range keys {
		order[i] = k.expr
		if k.desc {
			order[i] += " DESC"
		}
	}
	return q.OrderExpr(strings.Join(order, ", ")).Limit(int64(limit) + 1)
}

// pageOf converts the rows a keyset query returned (at most limit+1)
// into a page: the extra row is dropped and the cursor of the last item
// kept, built by cursor.
func pageOf[R, T any](rows []R, limit int, conv func(*R) (T, error), cursor func(*R) any) (civickit.Page[T], error) {
	more := len(rows) > limit
	if more {
		rows = rows[:limit]
	}
	page := civickit.Page[T]{Items: make([]T, len(rows))}
	for i := range rows {
		v, err := conv(&rows[i])
		if err != nil {
			return civickit.Page[T]{}, err
		}
		page.Items[i] = v
	}
	if more && len(rows) > 0 {
		page.Next = civickit.EncodeCursor(cursor(&rows[len(rows)-1]))
	}
	return page, nil
}

// noErr adapts a conversion that cannot fail.
func noErr[R, T any](f func(*R) T) func(*R) (T, error) {
	return func(r *R) (T, error) { return f(r), nil }
}

// seqCursor is the cursor of a list ordered by one integer.
type seqCursor struct {
	N int64 `json:"n"`
}

// idCursor is the cursor of a list ordered by an integer (a time in
// microseconds, a position) then an ID.
type idCursor struct {
	N  int64  `json:"n"`
	ID string `json:"id"`
}

// textCursor is the cursor of a list ordered by a text then an ID (or a
// second text).
type textCursor struct {
	S  string `json:"s"`
	ID string `json:"id"`
}

// cursorID reads the ID of a cursor: an ID that is not a UUID is a
// malformed cursor, refused before any engine sees it.
func cursorID(id string) (uuid.UUID, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return uuid.Nil, civickit.Invalid("after", "cursor", "")
	}
	return u, nil
}
