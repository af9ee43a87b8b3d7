package storage

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

//go:embed migrations
var migrationFS embed.FS

// Migration is one versioned schema change for one engine.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations for engine, by version.
// File names are NNNN_name.sql under migrations/<engine>/.
func Migrations(engine Engine) ([]Migration, error) {
	dir := path.Join("migrations", string(engine))
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("storage: migrations for %s: %w", engine, err)
	}
	var out []Migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("storage: migration file %s: want NNNN_name.sql", e.Name())
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := range out {
		if out[i].Version != i+1 {
			return nil, fmt.Errorf("storage: migrations for %s: version %d missing", engine, i+1)
		}
	}
	return out, nil
}

// statements splits a migration file into statements. Migration files are
// ours: a statement ends with ";" at the end of a line, and "--" starts a
// comment line.
func statements(sql string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			out = append(out, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

const createVersionTable = `CREATE TABLE IF NOT EXISTS civickit_schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    applied_at BIGINT NOT NULL
)`

// SchemaVersion returns the highest applied migration (0 on an empty database).
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	if _, err := db.bun.ExecContext(ctx, createVersionTable); err != nil {
		return 0, fmt.Errorf("storage: create migrations table: %w", err)
	}
	var v int
	err := db.bun.NewSelect().Table("civickit_schema_migrations").
		ColumnExpr("COALESCE(MAX(version), 0)").Scan(ctx, &v)
	if err != nil {
		return 0, fmt.Errorf("storage: read schema version: %w", err)
	}
	return v, nil
}

// Migrate applies every embedded migration newer than the recorded
// version, each in its own transaction together with its version row, so
// that a failed migration leaves the previous version recorded. Concurrent
// Migrate calls are safe: the version row's primary key lets only one
// record a given version, and the loser's transaction rolls back.
func (db *DB) Migrate(ctx context.Context) error {
	migs, err := Migrations(db.engine)
	if err != nil {
		return err
	}
	current, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if current > len(migs) {
		return fmt.Errorf("storage: database schema version %d is newer than this program's %d", current, len(migs))
	}
	for _, m := range migs[current:] {
		err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, stmt := range statements(m.SQL) {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%w\n%s", err, stmt)
				}
			}
			_, err := tx.ExecContext(ctx,
				"INSERT INTO civickit_schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.Version, m.Name, time.Now().UnixMicro())
			return err
		})
		if err != nil {
			return fmt.Errorf("storage: migration %04d_%s on %s: %w", m.Version, m.Name, db.engine, err)
		}
		db.log.Info("storage: migrated", "engine", db.engine, "version", m.Version, "name", m.Name)
	}
	return nil
}
