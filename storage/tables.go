package storage

import (
	"reflect"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"
)

// prefixDialect is an engine's bun dialect that gives the table prefix to
// civickit's row models. bun keeps one table registry per dialect value
// and calls the dialect's OnTable when it first meets a model; here that
// registry is the prefixDialect's own, and OnTable renames the table of
// every model declared in this package (a struct of package storage
// embedding bun.BaseModel with a table tag). The struct tags keep the
// unprefixed names; other models on the same handle keep theirs.
//
// bun v1.3.0 never asserts a dialect's concrete type in the query path;
// the embedded dialect's methods beyond schema.Dialect (used only by
// bun/migrate's inspectors) are hidden.
type prefixDialect struct {
	schema.Dialect
	tables *schema.Tables
	prefix string
}

func newPrefixDialect(d schema.Dialect, prefix string) *prefixDialect {
	p := &prefixDialect{Dialect: d, prefix: prefix}
	p.tables = schema.NewTables(p)
	return p
}

func (d *prefixDialect) Tables() *schema.Tables { return d.tables }

func (d *prefixDialect) OnTable(t *schema.Table) {
	d.Dialect.OnTable(t)
	if !isRowModel(t.Type) {
		return
	}
	old := t.SQLName
	t.Name = d.prefix + t.Name
	t.SQLName = schema.Safe(quoteIdent(d.IdentQuote(), t.Name))
	if t.SQLNameForSelects == old { // no select: tag of its own
		t.SQLNameForSelects = t.SQLName
	}
	// Aliases (alias:a) stay: queries refer to them.
}

var (
	baseModelType = reflect.TypeFor[bun.BaseModel]()
	storagePkg    = reflect.TypeFor[DB]().PkgPath()
)

// isRowModel: a struct of this package that names its table in a
// bun.BaseModel tag.
func isRowModel(t reflect.Type) bool {
	if t.PkgPath() != storagePkg || t.Kind() != reflect.Struct {
		return false
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type == baseModelType {
			return f.Tag.Get("bun") != ""
		}
	}
	return false
}

func quoteIdent(q byte, name string) string {
	b := make([]byte, 0, len(name)+2)
	b = append(b, q)
	for i := range len(name) {
		if name[i] == q {
			b = append(b, q)
		}
		b = append(b, name[i])
	}
	return string(append(b, q))
}

// modelTable returns the quoted, prefixed table name of row model T on
// idb's dialect, for raw SQL that names a table (a subquery, a join).
func modelTable[T any](idb bun.IDB) string {
	return string(idb.Dialect().Tables().Get(reflect.TypeFor[T]()).SQLName)
}
