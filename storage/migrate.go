package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Migrations are plain SQL files embedded in the binary, one directory per
// domain and engine:
//
//	migrations/<domain>/<engine>/<version>_<name>.sql
//
// The version is the UTC time the migration was written, YYYYMMDDHHMMSS,
// so that two branches adding migrations never pick the same number; a
// database records the (domain, version) pairs it applied, and Migrate
// applies every embedded migration of an enabled domain that is not
// recorded, in version order, even one older than the newest applied
// (a branch merged late). Every name a file creates is written
// {{prefix}}name and gets the table prefix. A statement ends with ";" at
// the end of a line; "--" starts a comment line.
//
//go:embed migrations
var migrationFS embed.FS

// Migration is one versioned schema change of one domain on one engine.
type Migration struct {
	Domain  Domain
	Version int64 // YYYYMMDDHHMMSS, UTC
	Name    string
	SQL     string // with {{prefix}} placeholders
}

// String names the migration as its file does: "participation/20261124085746_participation".
func (m Migration) String() string {
	return fmt.Sprintf("%s/%d_%s", m.Domain, m.Version, m.Name)
}

// prefixPlaceholder stands for the table prefix in migration files.
const prefixPlaceholder = "{{prefix}}"

// Statements returns the migration's statements for a table prefix.
func (m Migration) Statements(prefix string) []string {
	return statements(strings.ReplaceAll(m.SQL, prefixPlaceholder, prefix))
}

// checksum identifies the migration's first n statements (as written,
// before the prefix), so that a migration stopped halfway resumes only
// if the statements it ran are still those of the file.
func (m Migration) checksum(n int) string {
	h := sha256.New()
	for _, s := range statements(m.SQL)[:n] {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ErrMigrationChanged reports a migration stopped halfway (on MariaDB)
// whose statements already run are no longer those of the program's
// file: it cannot be resumed safely, and needs a person to look.
var ErrMigrationChanged = errors.New("storage: a migration stopped halfway has changed since")

var migrationFile = regexp.MustCompile(`^([0-9]{14})_([a-z0-9_]+)\.sql$`)

// Migrations returns the embedded migrations of every domain for engine,
// domain by domain (AllDomains order), each domain's by version.
func Migrations(engine Engine) ([]Migration, error) {
	if err := checkMigrationDirs(); err != nil {
		return nil, err
	}
	var out []Migration
	for _, d := range AllDomains() {
		migs, err := domainMigrations(engine, d)
		if err != nil {
			return nil, err
		}
		out = append(out, migs...)
	}
	return out, nil
}

// checkMigrationDirs refuses a directory that is not
// migrations/<domain>/<engine>: a file put elsewhere (the layout before
// domains was migrations/<engine>/) would never run.
func checkMigrationDirs() error {
	domains, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return err
	}
	for _, d := range domains {
		if !d.IsDir() || !slices.Contains(AllDomains(), Domain(d.Name())) {
			return fmt.Errorf("storage: migrations/%s: not a domain (files go in migrations/<domain>/<engine>/)", d.Name())
		}
		engines, err := fs.ReadDir(migrationFS, path.Join("migrations", d.Name()))
		if err != nil {
			return err
		}
		for _, e := range engines {
			switch Engine(e.Name()) {
			case SQLite, Postgres, MySQL:
				if e.IsDir() {
					continue
				}
			}
			return fmt.Errorf("storage: migrations/%s/%s: not an engine (files go in migrations/<domain>/<engine>/)", d.Name(), e.Name())
		}
	}
	return nil
}

func domainMigrations(engine Engine, d Domain) ([]Migration, error) {
	dir := path.Join("migrations", string(d), string(engine))
	entries, err := fs.ReadDir(migrationFS, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // a domain may have no migration on an engine yet
	}
	if err != nil {
		return nil, fmt.Errorf("storage: migrations of %s for %s: %w", d, engine, err)
	}
	var out []Migration
	for _, e := range entries {
		parts := migrationFile.FindStringSubmatch(e.Name())
		if parts == nil {
			return nil, fmt.Errorf("storage: migration file %s/%s: want YYYYMMDDHHMMSS_name.sql", dir, e.Name())
		}
		if _, err := time.Parse("20060102150405", parts[1]); err != nil {
			return nil, fmt.Errorf("storage: migration file %s/%s: version is not a time: %v", dir, e.Name(), err)
		}
		v, _ := strconv.ParseInt(parts[1], 10, 64)
		b, err := fs.ReadFile(migrationFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Domain: d, Version: v, Name: parts[2], SQL: string(b)})
	}
	slices.SortFunc(out, func(a, b Migration) int { return int(a.Version - b.Version) })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("storage: migrations %s and %s share a version", out[i-1], out[i])
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

// The version table, <prefix>migrations: one row per applied migration,
// with the number of its statements and their checksum. On MariaDB,
// whose DDL commits statement by statement, a migration's row is written
// before its first statement with applied_at NULL, and statements and
// checksum follow those done, so that a migration stopped halfway
// resumes where it stopped (see apply). Elsewhere a migration and its row
// commit together.
const createVersionTable = `CREATE TABLE IF NOT EXISTS {{prefix}}migrations (
    domain     VARCHAR(32) NOT NULL,
    version    BIGINT NOT NULL,
    name       VARCHAR(200) NOT NULL,
    checksum   CHAR(64) NOT NULL,
    statements INTEGER NOT NULL,
    applied_at BIGINT,
    PRIMARY KEY (domain, version)
)`

type versionRow struct {
	Domain     string        `bun:"domain"`
	Version    int64         `bun:"version"`
	Name       string        `bun:"name"`
	Checksum   string        `bun:"checksum"`
	Statements int           `bun:"statements"`
	AppliedAt  sql.NullInt64 `bun:"applied_at"`
}

// AppliedMigration is a migration recorded as applied in the database.
type AppliedMigration struct {
	Domain    Domain
	Version   int64
	Name      string
	AppliedAt time.Time
}

// AppliedMigrations lists the migrations the database records as applied
// (for every domain, enabled or not), by domain and version; none on a
// database never migrated.
func (db *DB) AppliedMigrations(ctx context.Context) ([]AppliedMigration, error) {
	ok, err := tableExists(ctx, db.bun, db.engine, db.TableName("migrations"))
	if err != nil || !ok {
		return nil, err
	}
	var rows []versionRow
	err = db.bun.NewRaw("SELECT domain, version, name, checksum, statements, applied_at FROM ? WHERE applied_at IS NOT NULL ORDER BY domain, version",
		bun.Ident(db.TableName("migrations"))).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("storage: read applied migrations: %w", err)
	}
	out := make([]AppliedMigration, len(rows))
	for i, r := range rows {
		out[i] = AppliedMigration{Domain: Domain(r.Domain), Version: r.Version, Name: r.Name,
			AppliedAt: time.UnixMicro(r.AppliedAt.Int64).UTC()}
	}
	return out, nil
}

// Migrate brings the schema of the enabled domains up to date. It is
// safe to run from any number of processes at once: it first takes the
// engine's migration lock on a connection of its own (PostgreSQL: a
// session advisory lock; MariaDB: GET_LOCK; SQLite: the database's write
// lock, BEGIN IMMEDIATE), then creates the version table if needed,
// carries a database of the unprefixed layout over (see legacy.go), reads
// which migrations are applied and applies the others. Those who waited
// find them applied. On PostgreSQL each migration commits with its
// version row, all or nothing; on SQLite the whole run does (one
// transaction, which holds the lock); on MariaDB a migration that failed
// halfway resumes at its first statement not done.
func (db *DB) Migrate(ctx context.Context) error { return db.migrate(ctx, nil) }

// migrate applies the migrations of the enabled domains that keep accepts
// (all when keep is nil).
func (db *DB) migrate(ctx context.Context, keep func(Migration) bool) error {
	var migs []Migration
	for _, d := range db.domains {
		m, err := domainMigrations(db.engine, d)
		if err != nil {
			return err
		}
		migs = append(migs, m...)
	}
	conn, err := db.bun.Conn(ctx)
	if err != nil {
		return fmt.Errorf("storage: migrate: %w", err)
	}
	defer conn.Close()
	release, err := db.lockMigrations(ctx, conn)
	if err != nil {
		return err
	}
	err = db.migrateLocked(ctx, conn, migs, keep)
	if rerr := release(err == nil); err == nil && rerr != nil {
		err = rerr
	}
	return err
}

func (db *DB) migrateLocked(ctx context.Context, conn bun.Conn, migs []Migration, keep func(Migration) bool) error {
	if _, err := conn.ExecContext(ctx, strings.ReplaceAll(createVersionTable, prefixPlaceholder, db.prefix)); err != nil {
		return fmt.Errorf("storage: create the version table: %w", err)
	}
	if err := db.upgradeLegacy(ctx, conn); err != nil {
		return err
	}
	var rows []versionRow
	err := conn.NewRaw("SELECT domain, version, name, checksum, statements, applied_at FROM ?",
		bun.Ident(db.TableName("migrations"))).Scan(ctx, &rows)
	if err != nil {
		return fmt.Errorf("storage: read applied migrations: %w", err)
	}
	type key struct {
		d Domain
		v int64
	}
	recorded := make(map[key]versionRow, len(rows))
	for _, r := range rows {
		recorded[key{Domain(r.Domain), r.Version}] = r
	}
	known := make(map[key]bool, len(migs))
	for _, m := range migs {
		known[key{m.Domain, m.Version}] = true
	}
	for _, r := range rows {
		k := key{Domain(r.Domain), r.Version}
		if slices.Contains(db.domains, k.d) && !known[k] {
			return fmt.Errorf("storage: the database has migration %s/%d_%s, which this program does not know: it was migrated by a newer version",
				r.Domain, r.Version, r.Name)
		}
	}
	for _, m := range migs {
		r, ok := recorded[key{m.Domain, m.Version}]
		if ok && r.AppliedAt.Valid || keep != nil && !keep(m) {
			continue
		}
		start := time.Now()
		if err := db.apply(ctx, conn, m, r, ok); err != nil {
			return fmt.Errorf("storage: migration %s on %s: %w", m, db.engine, err)
		}
		db.log.Info("storage: migrated", "engine", db.engine, "prefix", db.prefix, "migration", m.String(),
			"took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// apply runs one migration on the locked connection. prev is its row if
// one was found (a MariaDB migration in progress).
func (db *DB) apply(ctx context.Context, conn bun.Conn, m Migration, prev versionRow, inProgress bool) error {
	stmts := m.Statements(db.prefix)
	table := bun.Ident(db.TableName("migrations"))
	record := func(ctx context.Context, idb bun.IConn) error {
		_, err := idb.ExecContext(ctx,
			"INSERT INTO ? (domain, version, name, checksum, statements, applied_at) VALUES (?, ?, ?, ?, ?, ?)",
			table, m.Domain, m.Version, m.Name, m.checksum(len(stmts)), len(stmts), time.Now().UnixMicro())
		return err
	}
	run := func(ctx context.Context, idb bun.IConn, from int, progress func(done int) error) error {
		for i := from; i < len(stmts); i++ {
			if _, err := idb.ExecContext(ctx, stmts[i]); err != nil {
				return fmt.Errorf("statement %d: %w\n%s", i+1, err, stmts[i])
			}
			if db.afterStatement != nil {
				if err := db.afterStatement(m, i); err != nil {
					return err
				}
			}
			if progress != nil {
				if err := progress(i + 1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	switch db.engine {
	case Postgres:
		return conn.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := run(ctx, tx, 0, nil); err != nil {
				return err
			}
			return record(ctx, tx)
		})
	case SQLite:
		// The whole of Migrate runs in the transaction that holds the
		// write lock (lockMigrations): it commits or rolls back as one.
		if err := run(ctx, conn, 0, nil); err != nil {
			return err
		}
		return record(ctx, conn)
	}
	// MariaDB/MySQL: every DDL statement commits by itself. The row comes
	// first and counts the statements done, with the checksum of those:
	// a migration stopped halfway resumes after them if they are still
	// the file's (a fix of the statement that failed is welcome), and is
	// refused otherwise. The statement that may have run without its
	// count being written runs again, which its text allows (IF NOT
	// EXISTS, copies that skip the rows copied).
	from := 0
	if inProgress {
		if prev.Statements > len(stmts) || prev.Checksum != m.checksum(prev.Statements) {
			return fmt.Errorf("%w: %d statements were run, not those of the file now; finish or undo them by hand, then delete its row from %s",
				ErrMigrationChanged, prev.Statements, db.TableName("migrations"))
		}
		from = prev.Statements
		db.log.Info("storage: resuming a migration", "migration", m.String(), "from_statement", from+1, "of", len(stmts))
	} else if _, err := conn.ExecContext(ctx,
		"INSERT INTO ? (domain, version, name, checksum, statements, applied_at) VALUES (?, ?, ?, ?, 0, NULL)",
		table, m.Domain, m.Version, m.Name, m.checksum(0)); err != nil {
		return err
	}
	err := run(ctx, conn, from, func(done int) error {
		_, err := conn.ExecContext(ctx, "UPDATE ? SET statements = ?, checksum = ? WHERE domain = ? AND version = ?",
			table, done, m.checksum(done), m.Domain, m.Version)
		return err
	})
	if err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, "UPDATE ? SET statements = ?, checksum = ?, applied_at = ? WHERE domain = ? AND version = ?",
		table, len(stmts), m.checksum(len(stmts)), time.Now().UnixMicro(), m.Domain, m.Version)
	return err
}

// tableExists reports whether the current schema has a base table name.
func tableExists(ctx context.Context, idb bun.IConn, engine Engine, name string) (bool, error) {
	var q string
	switch engine {
	case SQLite:
		q = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	case Postgres:
		q = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
	default:
		q = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?"
	}
	var n int
	if err := idb.QueryRowContext(ctx, q, name).Scan(&n); err != nil {
		return false, fmt.Errorf("storage: look for table %s: %w", name, err)
	}
	return n > 0, nil
}
