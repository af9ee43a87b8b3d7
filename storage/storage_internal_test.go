package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/civickit/civickit"
	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
)

func TestParseDSN(t *testing.T) {
	tests := []struct {
		dsn     string
		engine  Engine
		driver  string
		wantErr bool
	}{
		{dsn: "sqlite:civickit.db", engine: SQLite, driver: "sqlite"},
		{dsn: "sqlite:///tmp/x.db", engine: SQLite, driver: "sqlite"},
		{dsn: "file:x.db?cache=shared", engine: SQLite, driver: "sqlite"},
		{dsn: "postgres://u@h:5432/db?sslmode=disable", engine: Postgres, driver: "pgx"},
		{dsn: "postgresql://u@h/db", engine: Postgres, driver: "pgx"},
		{dsn: "mysql://root@127.0.0.1:3306/test", engine: MySQL, driver: "mysql"},
		{dsn: "mariadb://root:pw@db/test", engine: MySQL, driver: "mysql"},
		{dsn: "oracle://x", wantErr: true},
		{dsn: "no-scheme", wantErr: true},
		{dsn: "sqlite:", wantErr: true},
		{dsn: "sqlite:x.db?%zz", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			engine, driver, native, err := parseDSN(tt.dsn, time.Second)
			if tt.wantErr {
				require.ErrorIs(t, err, ErrConfig)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.engine, engine)
			assert.Equal(t, tt.driver, driver)
			assert.NotEmpty(t, native)
		})
	}
	t.Run("sqlite pragmas", func(t *testing.T) {
		_, _, native, err := parseDSN("sqlite:x.db", 1500*time.Millisecond)
		require.NoError(t, err)
		for _, want := range []string{"busy_timeout%281500%29", "journal_mode%28WAL%29", "foreign_keys%281%29", "_txlock=immediate"} {
			assert.Contains(t, native, want)
		}
	})
	t.Run("mysql options", func(t *testing.T) {
		_, _, native, err := parseDSN("mysql://root:secret@db:3307/civic", time.Second)
		require.NoError(t, err)
		assert.Contains(t, native, "root:secret@tcp(db:3307)/civic")
		assert.Contains(t, native, "parseTime=true")
	})
	t.Run("password redacted from errors", func(t *testing.T) {
		assert.NotContains(t, redact("postgres://u:hunter2@h/db"), "hunter2")
	})
}

func TestStatements(t *testing.T) {
	got := statements("-- comment\nCREATE TABLE a (\n  x INT\n);\n\nCREATE INDEX i ON a (x);\n-- tail\n")
	require.Len(t, got, 2)
	assert.Equal(t, "CREATE TABLE a (\n  x INT\n)", got[0])
	assert.Equal(t, "CREATE INDEX i ON a (x)", got[1])
}

// TestMigrationsEmbedded: every engine carries the same migrations (a
// database moved from one engine to another would otherwise report
// another history), each with statements, every name a migration creates
// or refers to carries the prefix placeholder, and every row model's
// table is created by some migration.
func TestMigrationsEmbedded(t *testing.T) {
	type id struct {
		Domain  Domain
		Version int64
		Name    string
	}
	var lists [][]id
	created := map[Engine][]string{}
	// Every name a statement gives or refers to: tables, indexes (also
	// MariaDB's inline ones), constraints, referenced tables.
	named := []*regexp.Regexp{
		regexp.MustCompile(`CREATE TABLE (?:IF NOT EXISTS )?(\S+)`),
		regexp.MustCompile(`CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?(\S+) ON (\S+)`),
		regexp.MustCompile(`CONSTRAINT (\S+)`),
		regexp.MustCompile(`REFERENCES (\S+)`),
		regexp.MustCompile(`(?m)^\s*(?:UNIQUE KEY|UNIQUE INDEX|INDEX|KEY) ([^\s(]+) \(`),
	}
	for _, e := range []Engine{SQLite, Postgres, MySQL} {
		migs, err := Migrations(e)
		require.NoError(t, err, e)
		require.NotEmpty(t, migs, e)
		var ids []id
		seen := 0
		for _, m := range migs {
			ids = append(ids, id{m.Domain, m.Version, m.Name})
			stmts := m.Statements("{{prefix}}")
			assert.NotEmpty(t, stmts, m)
			for _, s := range stmts {
				for _, re := range named {
					for _, match := range re.FindAllStringSubmatch(s, -1) {
						for _, name := range match[1:] {
							seen++
							assert.True(t, strings.HasPrefix(name, prefixPlaceholder), "%s on %s: %q has no {{prefix}}", m, e, match[0])
						}
					}
				}
			}
			tables, _ := m.createdNames()
			created[e] = append(created[e], tables...)
		}
		assert.Greater(t, seen, 150, "names found in the migrations of %s", e)
		lists = append(lists, ids)
	}
	assert.Equal(t, lists[0], lists[1], "sqlite and postgres migrations")
	assert.Equal(t, lists[0], lists[2], "sqlite and mysql migrations")

	models := rowModelTables(t)
	require.NotEmpty(t, models)
	for _, e := range []Engine{SQLite, Postgres, MySQL} {
		for _, table := range models {
			assert.Contains(t, created[e], table, "the table of a row model is created by a migration on %s", e)
		}
	}
}

// rowModelTables reads the table names of the package's row models from
// its source (bun:"table:…" tags).
func rowModelTables(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	tag := regexp.MustCompile(`bun:"table:([a-z0-9_]+)`)
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range tag.FindAllStringSubmatch(string(b), -1) {
			out = append(out, m[1])
		}
	}
	return out
}

// TestMapErr: the one mapper gives each driver class its kind, keeps the
// operation and the driver's words in the message, and the driver's
// error out of the chain; errors of no class keep their chain.
func TestMapErr(t *testing.T) {
	stale := fmt.Errorf("%w: row changed", civickit.ErrConflict)
	tests := []struct {
		name  string
		err   error
		kind  *civickit.Kind
		words string
	}{
		{"no rows", sql.ErrNoRows, civickit.ErrNotFound, ""},
		{"pg unique", &pgconn.PgError{Code: "23505", Message: "duplicate key"}, civickit.ErrConflict, "duplicate key"},
		{"pg foreign key", &pgconn.PgError{Code: "23503", Message: "violates foreign key"}, civickit.ErrNotFound, "violates foreign key"},
		{"pg serialization", &pgconn.PgError{Code: "40001", Message: "could not serialize"}, civickit.ErrUnavailable, "could not serialize"},
		{"pg server full", &pgconn.PgError{Code: "53300", Message: "sorry, too many clients already"}, civickit.ErrUnavailable, "too many clients"},
		{"mysql server full", &mysql.MySQLError{Number: 1040, Message: "Too many connections"}, civickit.ErrUnavailable, "Too many connections"},
		{"mysql duplicate", &mysql.MySQLError{Number: 1062, Message: "Duplicate entry"}, civickit.ErrConflict, "Duplicate entry"},
		{"mysql no parent", &mysql.MySQLError{Number: 1452, Message: "Cannot add or update a child row"}, civickit.ErrNotFound, "child row"},
		{"retries exhausted", fmt.Errorf("%w after 8 attempts: %w", ErrRetriesExhausted, &pgconn.PgError{Code: "40P01", Message: "deadlock"}),
			civickit.ErrUnavailable, "deadlock"},
		{"already a kind", stale, civickit.ErrConflict, "row changed"},
		{"unclassified", errors.New("boom"), nil, "boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := mapErr("get thing", tt.err)
			assert.Equal(t, tt.kind, civickit.KindOf(err))
			assert.True(t, strings.HasPrefix(err.Error(), "get thing: "), err.Error())
			assert.Contains(t, err.Error(), tt.words)
			var pgErr *pgconn.PgError
			var myErr *mysql.MySQLError
			assert.False(t, errors.As(err, &pgErr) || errors.As(err, &myErr), "driver error in the chain")
			if tt.kind == nil {
				assert.ErrorIs(t, err, tt.err)
			}
			// Retries still see the class through a mapped error.
			assert.Equal(t, classify(tt.err), classify(err))
		})
	}
	assert.Nil(t, mapErr("x", nil))
	assert.ErrorIs(t, ErrRetriesExhausted, civickit.ErrUnavailable)

	// The bridge to a domain's own sentinels while they are distinct.
	own := errors.New("domain: not found")
	err := withSentinels(mapErr("get thing", sql.ErrNoRows), sentinels{civickit.ErrNotFound: own})
	assert.ErrorIs(t, err, own)
	assert.ErrorIs(t, err, civickit.ErrNotFound)
	assert.Equal(t, "get thing: domain: not found", err.Error())
	err = withSentinels(mapErr("get thing", sql.ErrNoRows), sentinels{civickit.ErrNotFound: civickit.ErrNotFound})
	assert.Equal(t, "get thing: not found", err.Error(), "an alias of the kind changes nothing")
}

func TestResolveDomains(t *testing.T) {
	requires := map[Domain][]Domain{
		DomainAssociations:  {DomainOpenData}, // made up: a domain required, later in AllDomains
		DomainParticipation: {DomainBallotBox},
	}
	tests := []struct {
		name     string
		in       []Domain
		requires map[Domain][]Domain
		want     []Domain
		err      bool
	}{
		{"none is all", nil, nil, AllDomains(), false},
		{"one", []Domain{DomainOpenData}, nil, []Domain{DomainOpenData}, false},
		{"migration order", []Domain{DomainOpenData, DomainAssociations, DomainOpenData}, nil, []Domain{DomainAssociations, DomainOpenData}, false},
		{"unknown", []Domain{"votes"}, nil, nil, true},
		{"required ones added, first", []Domain{DomainAssociations}, requires, []Domain{DomainOpenData, DomainAssociations}, false},
		{"required ones first in all", nil, requires, []Domain{DomainOpenData, DomainAssociations, DomainBallotBox, DomainParticipation, DomainServer}, false},
		{"cycle", []Domain{DomainOpenData}, map[Domain][]Domain{DomainOpenData: {DomainBallotBox}, DomainBallotBox: {DomainOpenData}}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := resolveDomains(tt.in, tt.requires)
			if tt.err {
				assert.ErrorIs(t, err, ErrConfig)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestPrefixDialect: the dialect renames the tables of this package's row
// models only; a model of another package keeps its name.
func TestPrefixDialect(t *testing.T) {
	type foreign struct{ X int } // declared in a function: no package path
	d := newPrefixDialect(sqlitedialect.New(), "p_")
	row := d.Tables().Get(reflect.TypeFor[associationRow]())
	assert.Equal(t, "p_associations", row.Name)
	assert.Equal(t, `"p_associations"`, string(row.SQLName))
	assert.Equal(t, `"p_associations"`, string(row.SQLNameForSelects))
	assert.Equal(t, "a", row.Alias, "aliases stay")
	assert.Equal(t, "p_association_terms", d.Tables().Get(reflect.TypeFor[termRow]()).Name)
	assert.Equal(t, "version_rows", d.Tables().Get(reflect.TypeFor[versionRow]()).Name, "not a row model: no table tag")
	assert.Equal(t, "foreigns", d.Tables().Get(reflect.TypeFor[foreign]()).Name)
	other := newPrefixDialect(sqlitedialect.New(), "q_")
	assert.Equal(t, "q_associations", other.Tables().Get(reflect.TypeFor[associationRow]()).Name, "one registry per dialect value")
}

func TestClassifyNil(t *testing.T) {
	assert.Equal(t, classOther, classify(nil))
	assert.Equal(t, classOther, classify(errors.New("UNIQUE constraint failed")),
		"classification must not read message text")
}

// TestRunInTxRetriesBusy holds SQLite's write lock from a second handle so
// that BEGIN IMMEDIATE reports SQLITE_BUSY; RunInTx must retry until the
// lock is released, and give up with ErrRetriesExhausted when allowed a
// single attempt.
func TestRunInTxRetriesBusy(t *testing.T) {
	ctx := context.Background()
	path := "sqlite:" + t.TempDir() + "/busy.db"
	holder, err := Open(ctx, Config{DSN: path, BusyTimeout: time.Millisecond})
	require.NoError(t, err)
	defer holder.Close()

	lock := func(release <-chan struct{}, locked chan<- struct{}) {
		tx, err := holder.bun.BeginTx(ctx, nil) // _txlock=immediate: takes the write lock
		if !assert.NoError(t, err) {
			close(locked)
			return
		}
		close(locked)
		<-release
		assert.NoError(t, tx.Rollback())
	}

	t.Run("gives up", func(t *testing.T) {
		db, err := Open(ctx, Config{DSN: path, BusyTimeout: time.Millisecond, MaxTxAttempts: 1, SkipMigrations: true})
		require.NoError(t, err)
		defer db.Close()
		release, locked := make(chan struct{}), make(chan struct{})
		go lock(release, locked)
		<-locked
		err = db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error { return nil })
		close(release)
		require.ErrorIs(t, err, ErrRetriesExhausted)
		assert.Equal(t, classRetry, classify(err))
	})
	t.Run("retries until the lock is released", func(t *testing.T) {
		db, err := Open(ctx, Config{DSN: path, BusyTimeout: time.Millisecond, MaxTxAttempts: 1000, SkipMigrations: true})
		require.NoError(t, err)
		defer db.Close()
		release, locked := make(chan struct{}), make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); lock(release, locked) }()
		<-locked
		time.AfterFunc(50*time.Millisecond, func() { close(release) })
		calls := 0
		err = db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			calls++
			_, err := tx.ExecContext(ctx, "INSERT INTO civickit_migrations (domain, version, name, checksum, statements) VALUES (?, ?, ?, ?, ?)", "probe", 999, "probe", "", 0)
			return err
		})
		wg.Wait()
		require.NoError(t, err)
		assert.Equal(t, 1, calls, "fn runs once BEGIN succeeds")
	})
}

// FuzzParseDSN: no DSN makes parseDSN panic, and a DSN it accepts names a
// known engine.
func FuzzParseDSN(f *testing.F) {
	for _, s := range []string{"sqlite:x.db", "file:a?b=c", "postgres://u:p@h:1/d?sslmode=disable",
		"mysql://root@127.0.0.1:3306/test?x=y", "mysql://[::1", "sqlite:?%", ":", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		engine, driver, _, err := parseDSN(dsn, time.Second)
		if err != nil {
			return
		}
		switch engine {
		case SQLite, Postgres, MySQL:
		default:
			t.Fatalf("parseDSN(%q) accepted unknown engine %q", dsn, engine)
		}
		if driver == "" {
			t.Fatalf("parseDSN(%q): empty driver", dsn)
		}
	})
}
