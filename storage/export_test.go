package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Test hooks for the external tests (package storage_test).

// SetAfterStatement installs the migrator's hook: f runs after each
// statement of a migration and before its progress is recorded; an error
// stops the migration there.
func SetAfterStatement(db *DB, f func(m Migration, stmt int) error) { db.afterStatement = f }

// SetAfterLegacyStep installs the hook run after each statement of the
// carrying over of a legacy database, with the statement's text; an
// error stops it there.
func SetAfterLegacyStep(db *DB, f func(query string) error) { db.afterLegacyStep = f }

// MigrateWhere is Migrate restricted to the migrations keep accepts (of
// the enabled domains), to build a database at an earlier schema.
func MigrateWhere(ctx context.Context, db *DB, keep func(Migration) bool) error {
	return db.migrate(ctx, keep)
}

// LegacyVersionTable is the version table of the unprefixed layout.
const LegacyVersionTable = legacyVersionTable

// CreatedTables returns the tables m creates, without prefix.
func CreatedTables(m Migration) []string {
	tables, _ := m.createdNames()
	return tables
}

// SchemaOf describes every table of the database whose name starts with
// prefix: for each, its columns (name, type, nullability, default), its
// indexes (name, uniqueness, columns) and its foreign keys (name where
// the engine keeps one, columns, referenced table and columns, actions),
// as sorted lines, so that two schemas compare with ==.
func SchemaOf(ctx context.Context, db *DB, prefix string) (map[string][]string, error) {
	tables, err := Tables(ctx, db)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, t := range tables {
		if !strings.HasPrefix(t, prefix) {
			continue
		}
		lines, err := describe(ctx, db, t)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t, err)
		}
		slices.Sort(lines)
		out[t] = lines
	}
	return out, nil
}

// Tables lists the base tables of the database (the current schema).
func Tables(ctx context.Context, db *DB) ([]string, error) {
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
	switch db.engine {
	case Postgres:
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
	case MySQL:
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name"
	}
	var out []string
	err := db.bun.NewRaw(q).Scan(ctx, &out)
	slices.Sort(out) // bytewise, whatever the catalog's collation
	return out, err
}

// Indexes lists the names of the database's indexes (the current schema).
func Indexes(ctx context.Context, db *DB) ([]string, error) {
	q := "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name"
	switch db.engine {
	case Postgres:
		q = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname"
	case MySQL:
		q = "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = DATABASE() ORDER BY index_name"
	}
	var out []string
	err := db.bun.NewRaw(q).Scan(ctx, &out)
	return out, err
}

func describe(ctx context.Context, db *DB, table string) ([]string, error) {
	var lines []string
	add := func(q string, args ...any) error {
		rows, err := db.bun.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			parts := make([]string, len(vals))
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				parts[i] = fmt.Sprint(v)
			}
			lines = append(lines, strings.Join(parts, " | "))
		}
		return rows.Err()
	}
	var err error
	switch db.engine {
	case SQLite:
		err = add("SELECT 'column', cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)", table)
		if err == nil {
			err = add("SELECT 'table', type, ncol, wr, strict FROM pragma_table_list(?)", table)
		}
		if err == nil {
			err = add(`SELECT 'index', l.name, l."unique", l.origin, l.partial, group_concat(i.name, ',')
				FROM pragma_index_list(?) AS l, pragma_index_info(l.name) AS i GROUP BY l.name`, table)
		}
		if err == nil {
			err = add(`SELECT 'fk', id, seq, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?)`, table)
		}
	case Postgres:
		err = add(`SELECT 'column', ordinal_position, column_name, data_type, is_nullable, column_default, collation_name
			FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?`, table)
		if err == nil {
			err = add("SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ?", table)
		}
		if err == nil {
			err = add(`SELECT 'constraint', c.conname, c.contype, pg_get_constraintdef(c.oid)
				FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
				WHERE n.nspname = current_schema() AND t.relname = ?`, table)
		}
	case MySQL:
		err = add(`SELECT 'column', ordinal_position, column_name, column_type, is_nullable, column_default, collation_name, extra
			FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?`, table)
		if err == nil {
			err = add(`SELECT 'table', engine, table_collation, row_format FROM information_schema.tables
				WHERE table_schema = DATABASE() AND table_name = ?`, table)
		}
		if err == nil {
			err = add(`SELECT 'index', index_name, non_unique, index_type, GROUP_CONCAT(column_name ORDER BY seq_in_index)
				FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ?
				GROUP BY index_name, non_unique, index_type`, table)
		}
		if err == nil {
			err = add(`SELECT 'fk', r.constraint_name, r.referenced_table_name, r.update_rule, r.delete_rule,
				GROUP_CONCAT(k.column_name ORDER BY k.ordinal_position), GROUP_CONCAT(k.referenced_column_name ORDER BY k.ordinal_position)
				FROM information_schema.referential_constraints r
				JOIN information_schema.key_column_usage k ON k.constraint_schema = r.constraint_schema
					AND k.table_name = r.table_name AND k.constraint_name = r.constraint_name
				WHERE r.constraint_schema = DATABASE() AND r.table_name = ?
				GROUP BY r.constraint_name, r.referenced_table_name, r.update_rule, r.delete_rule`, table)
		}
	}
	return lines, err
}
