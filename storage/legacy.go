package storage

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Before table prefixes and per-domain migrations, civickit created its
// tables unprefixed ("associations", "people", "ballotbox_ballots" …) and
// recorded versions 1 to 7 in civickit_schema_migrations. upgradeLegacy
// carries such a database over: every legacy table is renamed to its
// prefixed name, with its indexes and constraints, the per-domain
// migrations that created them are recorded as applied (at the legacy
// times) and the legacy version table is dropped. It runs under the
// migration lock, before any migration. On PostgreSQL and SQLite it is
// one transaction; on MariaDB, whose DDL commits statement by statement,
// every step looks at what is left to do, so that a run stopped halfway
// resumes: the legacy version table goes last.

// legacyVersionTable is the version table of the unprefixed layout.
const legacyVersionTable = "civickit_schema_migrations"

// legacyMigrations maps each legacy version to the migration that
// replaces it (the same statements, prefixed).
var legacyMigrations = map[int]struct {
	domain  Domain
	version int64
}{
	1: {DomainAssociations, 20261124064923},
	2: {DomainBallotBox, 20261124085745},
	3: {DomainParticipation, 20261124085746},
	4: {DomainParticipation, 20261124085747},
	5: {DomainParticipation, 20261124085748},
	6: {DomainOpenData, 20261124085750},
	7: {DomainBallotBox, 20261207170124},
}

var (
	createdTable = regexp.MustCompile(`CREATE TABLE (?:IF NOT EXISTS )?\{\{prefix\}\}([a-z0-9_]+)`)
	prefixedName = regexp.MustCompile(`\{\{prefix\}\}([a-z0-9_]+)`)
)

// createdNames returns the tables a migration creates and every other
// name it gives the prefix to (indexes, constraints).
func (m Migration) createdNames() (tables, others []string) {
	for _, s := range createdTable.FindAllStringSubmatch(m.SQL, -1) {
		tables = append(tables, s[1])
	}
	for _, s := range prefixedName.FindAllStringSubmatch(m.SQL, -1) {
		if !slices.Contains(tables, s[1]) && !slices.Contains(others, s[1]) {
			others = append(others, s[1])
		}
	}
	return tables, others
}

type legacyRow struct {
	Version   int    `bun:"version"`
	Name      string `bun:"name"`
	AppliedAt int64  `bun:"applied_at"`
}

func (db *DB) upgradeLegacy(ctx context.Context, conn bun.Conn) error {
	ok, err := tableExists(ctx, conn, db.engine, legacyVersionTable)
	if err != nil || !ok {
		return err
	}
	var legacy []legacyRow
	if err := conn.NewRaw("SELECT version, name, applied_at FROM "+legacyVersionTable+" ORDER BY version").Scan(ctx, &legacy); err != nil {
		return fmt.Errorf("storage: legacy schema: %w", err)
	}
	all, err := Migrations(db.engine)
	if err != nil {
		return err
	}
	var migs []Migration
	var tables, others []string
	for _, l := range legacy {
		target, ok := legacyMigrations[l.Version]
		if !ok {
			return fmt.Errorf("storage: legacy schema version %d (%s) is unknown to this program", l.Version, l.Name)
		}
		i := slices.IndexFunc(all, func(m Migration) bool { return m.Domain == target.domain && m.Version == target.version })
		if i < 0 {
			return fmt.Errorf("storage: legacy schema version %d: migration %s/%d is missing", l.Version, target.domain, target.version)
		}
		migs = append(migs, all[i])
		t, o := all[i].createdNames()
		tables, others = append(tables, t...), append(others, o...)
	}
	start := time.Now()
	var step error
	switch db.engine {
	case Postgres:
		step = conn.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := db.renameLegacyPostgres(ctx, tx, tables); err != nil {
				return err
			}
			return db.finishLegacy(ctx, tx, legacy, migs)
		})
	case SQLite: // inside the transaction that holds the lock
		if step = db.renameLegacySQLite(ctx, conn, tables); step == nil {
			step = db.finishLegacy(ctx, conn, legacy, migs)
		}
	case MySQL:
		if step = db.renameLegacyMySQL(ctx, conn, tables, others); step == nil {
			step = db.finishLegacy(ctx, conn, legacy, migs)
		}
	}
	if step != nil {
		return fmt.Errorf("storage: carry the legacy schema over to prefix %q: %w", db.prefix, step)
	}
	db.log.Info("storage: carried the legacy schema over", "engine", db.engine, "prefix", db.prefix,
		"tables", len(tables), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// finishLegacy records the replacing migrations as applied and drops the
// legacy version table.
func (db *DB) finishLegacy(ctx context.Context, idb bun.IConn, legacy []legacyRow, migs []Migration) error {
	table := bun.Ident(db.TableName("migrations"))
	for i, m := range migs {
		var n int
		if err := idb.QueryRowContext(ctx, "SELECT COUNT(*) FROM ? WHERE domain = ? AND version = ?", table, m.Domain, m.Version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue // recorded by a run that stopped before the drop
		}
		err := db.legacyExec(ctx, idb,
			"INSERT INTO ? (domain, version, name, checksum, statements, applied_at) VALUES (?, ?, ?, ?, ?, ?)",
			table, m.Domain, m.Version, m.Name, m.checksum(len(m.Statements(db.prefix))), len(m.Statements(db.prefix)), legacy[i].AppliedAt)
		if err != nil {
			return err
		}
	}
	return db.legacyExec(ctx, idb, "DROP TABLE "+legacyVersionTable)
}

// legacyExec runs one step of the carrying over, then the test hook.
func (db *DB) legacyExec(ctx context.Context, idb bun.IConn, query string, args ...any) error {
	if _, err := idb.ExecContext(ctx, query, args...); err != nil {
		return err
	}
	if db.afterLegacyStep != nil {
		return db.afterLegacyStep(query)
	}
	return nil
}

// renameLegacyPostgres renames the tables, then every index of theirs
// (which renames the primary and unique constraints they back), then
// their other constraints (foreign keys, checks): index and constraint
// names are the schema's on PostgreSQL, and the migrations' are the
// legacy ones with the prefix, as are the names PostgreSQL derives from
// a table's name (<table>_pkey, <table>_<column>_fkey).
func (db *DB) renameLegacyPostgres(ctx context.Context, tx bun.Tx, tables []string) error {
	var renamed []string
	for _, t := range tables {
		ok, err := tableExists(ctx, tx, Postgres, t)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := db.legacyExec(ctx, tx, "ALTER TABLE ? RENAME TO ?", bun.Ident(t), bun.Ident(db.prefix+t)); err != nil {
			return err
		}
		renamed = append(renamed, db.prefix+t)
	}
	if len(renamed) == 0 {
		return nil
	}
	var indexes []string
	err := tx.NewRaw("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN (?) ORDER BY indexname",
		bun.List(renamed)).Scan(ctx, &indexes)
	if err != nil {
		return err
	}
	for _, ix := range indexes {
		if err := db.legacyExec(ctx, tx, "ALTER INDEX ? RENAME TO ?", bun.Ident(ix), bun.Ident(db.prefix+ix)); err != nil {
			return err
		}
	}
	var cons []struct {
		Name  string `bun:"conname"`
		Table string `bun:"relname"`
	}
	err = tx.NewRaw(`SELECT c.conname, t.relname FROM pg_constraint c
		JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname = current_schema() AND t.relname IN (?) AND c.contype NOT IN ('p', 'u', 'x')
		ORDER BY t.relname, c.conname`, bun.List(renamed)).Scan(ctx, &cons)
	if err != nil {
		return err
	}
	for _, c := range cons {
		if err := db.legacyExec(ctx, tx, "ALTER TABLE ? RENAME CONSTRAINT ? TO ?",
			bun.Ident(c.Table), bun.Ident(c.Name), bun.Ident(db.prefix+c.Name)); err != nil {
			return err
		}
	}
	return nil
}

// renameLegacySQLite renames the tables (SQLite rewrites the references
// of other tables' foreign keys, and names its automatic indexes after
// the new name) and recreates their named indexes under prefixed names:
// SQLite cannot rename an index. Constraint names are not objects in
// SQLite (no statement can refer to them) and stay in the table's text.
func (db *DB) renameLegacySQLite(ctx context.Context, conn bun.Conn, tables []string) error {
	for _, t := range tables {
		ok, err := tableExists(ctx, conn, SQLite, t)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := db.legacyExec(ctx, conn, "ALTER TABLE ? RENAME TO ?", bun.Ident(t), bun.Ident(db.prefix+t)); err != nil {
			return err
		}
		var indexes []struct {
			Name string `bun:"name"`
			SQL  string `bun:"sql"`
		}
		err = conn.NewRaw("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
			db.prefix+t).Scan(ctx, &indexes)
		if err != nil {
			return err
		}
		for _, ix := range indexes {
			// The text is the migration's: CREATE [UNIQUE] INDEX name ON …
			head, rest, ok := strings.Cut(ix.SQL, " ON ")
			if !ok || !strings.HasSuffix(head, " "+ix.Name) {
				return fmt.Errorf("index %s: unexpected definition %q", ix.Name, ix.SQL)
			}
			create := strings.TrimSuffix(head, ix.Name) + quoteIdent('"', db.prefix+ix.Name) + " ON " + rest
			if err := db.legacyExec(ctx, conn, "DROP INDEX ?", bun.Ident(ix.Name)); err != nil {
				return err
			}
			if err := db.legacyExec(ctx, conn, create); err != nil {
				return err
			}
		}
	}
	return nil
}

// renameLegacyMySQL renames, at once, the tables not renamed yet; then
// the named indexes (per table on MariaDB, prefixed for uniformity) and
// the foreign keys (whose names are the database's) that still have
// their legacy names. A foreign key is renamed by dropping and adding it
// in one ALTER, with checks off so that InnoDB does not scan the rows.
func (db *DB) renameLegacyMySQL(ctx context.Context, conn bun.Conn, tables, others []string) error {
	var pairs []string
	var renamed []string
	for _, t := range tables {
		oldOK, err := tableExists(ctx, conn, MySQL, t)
		if err != nil {
			return err
		}
		newOK, err := tableExists(ctx, conn, MySQL, db.prefix+t)
		if err != nil {
			return err
		}
		if newOK {
			renamed = append(renamed, db.prefix+t)
		}
		if oldOK && !newOK {
			pairs = append(pairs, quoteIdent('`', t)+" TO "+quoteIdent('`', db.prefix+t))
			renamed = append(renamed, db.prefix+t)
		}
	}
	if len(pairs) > 0 {
		if err := db.legacyExec(ctx, conn, "RENAME TABLE "+strings.Join(pairs, ", ")); err != nil {
			return err
		}
	}
	if len(renamed) == 0 {
		return nil
	}
	var indexes []struct {
		Table string `bun:"table_name"`
		Name  string `bun:"index_name"`
	}
	err := conn.NewRaw(`SELECT DISTINCT table_name, index_name FROM information_schema.statistics
		WHERE table_schema = DATABASE() AND table_name IN (?) AND index_name IN (?) ORDER BY table_name, index_name`,
		bun.List(renamed), bun.List(others)).Scan(ctx, &indexes)
	if err != nil {
		return err
	}
	for _, ix := range indexes {
		if err := db.legacyExec(ctx, conn, "ALTER TABLE ? RENAME INDEX ? TO ?",
			bun.Ident(ix.Table), bun.Ident(ix.Name), bun.Ident(db.prefix+ix.Name)); err != nil {
			return err
		}
	}
	var fks []struct {
		Name     string `bun:"constraint_name"`
		Table    string `bun:"table_name"`
		RefTable string `bun:"referenced_table_name"`
		OnUpdate string `bun:"update_rule"`
		OnDelete string `bun:"delete_rule"`
	}
	err = conn.NewRaw(`SELECT constraint_name, table_name, referenced_table_name, update_rule, delete_rule
		FROM information_schema.referential_constraints
		WHERE constraint_schema = DATABASE() AND table_name IN (?) AND constraint_name IN (?)
		ORDER BY table_name, constraint_name`, bun.List(renamed), bun.List(others)).Scan(ctx, &fks)
	if err != nil {
		return err
	}
	if len(fks) == 0 {
		return nil
	}
	if _, err := conn.ExecContext(ctx, "SET foreign_key_checks = 0"); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SET foreign_key_checks = 1") //nolint:errcheck // the connection is the lock's, closed after
	for _, fk := range fks {
		var cols []struct {
			Column string         `bun:"column_name"`
			Ref    sql.NullString `bun:"referenced_column_name"`
		}
		err := conn.NewRaw(`SELECT column_name, referenced_column_name FROM information_schema.key_column_usage
			WHERE constraint_schema = DATABASE() AND table_name = ? AND constraint_name = ? ORDER BY ordinal_position`,
			fk.Table, fk.Name).Scan(ctx, &cols)
		if err != nil {
			return err
		}
		var from, to []string
		for _, c := range cols {
			from, to = append(from, quoteIdent('`', c.Column)), append(to, quoteIdent('`', c.Ref.String))
		}
		stmt := fmt.Sprintf("ALTER TABLE %s DROP FOREIGN KEY %s, ADD CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (%s)",
			quoteIdent('`', fk.Table), quoteIdent('`', fk.Name), quoteIdent('`', db.prefix+fk.Name),
			strings.Join(from, ", "), quoteIdent('`', fk.RefTable), strings.Join(to, ", "))
		// RESTRICT is what MariaDB reports for no clause, and a written
		// RESTRICT would be reported as NO ACTION: the clause is left out.
		if fk.OnDelete != "RESTRICT" {
			stmt += " ON DELETE " + fk.OnDelete
		}
		if fk.OnUpdate != "RESTRICT" {
			stmt += " ON UPDATE " + fk.OnUpdate
		}
		if err := db.legacyExec(ctx, conn, stmt); err != nil {
			return err
		}
	}
	return nil
}
