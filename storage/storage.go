package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/mysqldialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" database/sql driver
)

// Engine names a database engine.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
	MySQL    Engine = "mysql" // MariaDB or MySQL
)

// DefaultDSN is a SQLite file in the working directory.
const DefaultDSN = "sqlite:civickit.db"

// ErrConfig reports an unusable Config (unknown scheme, malformed DSN).
var ErrConfig = errors.New("storage: bad configuration")

// Config says which database to open. The DSN's scheme picks the engine:
//
//	sqlite:path/to/file.db          (also sqlite:///abs/path.db, file:…)
//	postgres://user@host:5432/db?sslmode=disable   (also postgresql://)
//	mysql://user:pass@host:3306/db  (MariaDB or MySQL)
type Config struct {
	DSN string // DefaultDSN when empty
	// MaxOpenConns caps the pool (0: the engine's default here).
	MaxOpenConns int
	// BusyTimeout is how long SQLite waits for a lock (default 5 s).
	BusyTimeout time.Duration
	// SkipMigrations leaves the schema alone on Open; call Migrate yourself.
	SkipMigrations bool
	// MaxTxAttempts bounds the retries of a transaction that hit a
	// serialization failure, a deadlock or a busy database (default 8).
	MaxTxAttempts int
	// Logger receives migration messages; slog.Default() when nil.
	Logger *slog.Logger
}

// DB is an open database with its engine and bun handle.
type DB struct {
	bun         *bun.DB
	engine      Engine
	maxAttempts int
	log         *slog.Logger
}

// Engine returns the engine the DSN chose.
func (db *DB) Engine() Engine { return db.engine }

// Bun returns the underlying bun handle, for integrators who add their own
// tables beside civickit's.
func (db *DB) Bun() *bun.DB { return db.bun }

// Close closes the pool.
func (db *DB) Close() error { return db.bun.Close() }

// Open connects to the database named by cfg.DSN, checks the connection
// and, unless cfg.SkipMigrations, applies pending migrations.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	if cfg.DSN == "" {
		cfg.DSN = DefaultDSN
	}
	if cfg.BusyTimeout <= 0 {
		cfg.BusyTimeout = 5 * time.Second
	}
	if cfg.MaxTxAttempts <= 0 {
		cfg.MaxTxAttempts = 8
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	engine, driverName, dsn, err := parseDSN(cfg.DSN, cfg.BusyTimeout)
	if err != nil {
		return nil, err
	}
	sqldb, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", engine, err)
	}
	var b *bun.DB
	switch engine {
	case SQLite:
		b = bun.NewDB(sqldb, sqlitedialect.New())
	case Postgres:
		b = bun.NewDB(sqldb, pgdialect.New())
	case MySQL:
		b = bun.NewDB(sqldb, mysqldialect.New())
	}
	if cfg.MaxOpenConns > 0 {
		sqldb.SetMaxOpenConns(cfg.MaxOpenConns)
		sqldb.SetMaxIdleConns(cfg.MaxOpenConns)
	} else if engine != SQLite {
		sqldb.SetMaxOpenConns(32)
		sqldb.SetMaxIdleConns(32)
	}
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{bun: b, engine: engine, maxAttempts: cfg.MaxTxAttempts, log: cfg.Logger}
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("storage: connect to %s: %w", engine, err)
	}
	if !cfg.SkipMigrations {
		if err := db.Migrate(ctx); err != nil {
			sqldb.Close()
			return nil, err
		}
	}
	return db, nil
}

// parseDSN maps a civickit DSN to an engine, a database/sql driver name and
// the driver's own DSN.
func parseDSN(dsn string, busy time.Duration) (Engine, string, string, error) {
	scheme, rest, ok := strings.Cut(dsn, ":")
	if !ok {
		return "", "", "", fmt.Errorf("%w: DSN %q has no scheme (sqlite:, postgres://, mysql://)", ErrConfig, redact(dsn))
	}
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3", "file":
		path, query, _ := strings.Cut(rest, "?")
		path = strings.TrimPrefix(path, "//")
		if path == "" {
			return "", "", "", fmt.Errorf("%w: sqlite DSN needs a file path", ErrConfig)
		}
		q, err := url.ParseQuery(query)
		if err != nil {
			return "", "", "", fmt.Errorf("%w: sqlite DSN query: %v", ErrConfig, err)
		}
		// Pragmas run on every new connection: WAL lets readers work beside
		// the writer, foreign keys are off by default in SQLite, and an
		// immediate transaction takes the write lock at BEGIN so two
		// writers queue on busy_timeout instead of deadlocking on upgrade.
		q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Add("_pragma", "cache_size(-32768)") // 32 MiB: search indexes outgrow the 2 MiB default
		if q.Get("_txlock") == "" {
			q.Set("_txlock", "immediate")
		}
		return SQLite, "sqlite", "file:" + path + "?" + q.Encode(), nil
	case "postgres", "postgresql":
		u, err := url.Parse(dsn)
		if err != nil {
			return "", "", "", fmt.Errorf("%w: postgres DSN: %v", ErrConfig, err)
		}
		// bun interpolates arguments into the SQL text, so every batch is a
		// distinct statement: pgx's prepared-statement cache would only hold
		// hundreds of large, never reused queries per connection.
		q := u.Query()
		if q.Get("default_query_exec_mode") == "" {
			q.Set("default_query_exec_mode", "simple_protocol")
		}
		u.RawQuery = q.Encode()
		return Postgres, "pgx", u.String(), nil
	case "mysql", "mariadb":
		u, err := url.Parse(dsn)
		if err != nil {
			return "", "", "", fmt.Errorf("%w: mysql DSN: %v", ErrConfig, err)
		}
		c := mysql.NewConfig()
		c.Net = "tcp"
		c.Addr = u.Host
		if u.Port() == "" {
			c.Addr = u.Hostname() + ":3306"
		}
		c.User = u.User.Username()
		c.Passwd, _ = u.User.Password()
		c.DBName = strings.TrimPrefix(u.Path, "/")
		c.ParseTime = true
		c.Loc = time.UTC
		c.MultiStatements = false
		c.Params = map[string]string{"charset": "utf8mb4"}
		for k, vs := range u.Query() {
			c.Params[k] = vs[0]
		}
		c.Collation = "utf8mb4_unicode_ci"
		return MySQL, "mysql", c.FormatDSN(), nil
	}
	return "", "", "", fmt.Errorf("%w: unknown DSN scheme %q (want sqlite, postgres or mysql)", ErrConfig, scheme)
}

// redact hides a password in a DSN before it reaches an error or a log.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
