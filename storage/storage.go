package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/mysqldialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/schema"
	"modernc.org/sqlite" // registers the pure-Go "sqlite" database/sql driver
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

// DefaultTablePrefix starts the name of every table civickit creates.
const DefaultTablePrefix = "civickit_"

// ErrConfig reports an unusable Config (unknown scheme, malformed DSN, bad
// prefix, unknown domain).
var ErrConfig = errors.New("storage: bad configuration")

// Config says which database to open and what civickit may do in it.
//
// Open takes a DSN, whose scheme picks the engine:
//
//	sqlite:path/to/file.db          (also sqlite:///abs/path.db, file:…)
//	postgres://user@host:5432/db?sslmode=disable   (also postgresql://)
//	mysql://user:pass@host:3306/db  (MariaDB or MySQL)
//
// OpenDB and OpenBun take the caller's pool instead, and ignore DSN,
// MaxOpenConns and BusyTimeout but for the migration lock.
type Config struct {
	DSN string // Open: DefaultDSN when empty
	// Engine names the engine of a pool given to OpenDB; when empty it is
	// told from the pool's driver (pgx, go-sql-driver/mysql, modernc sqlite).
	Engine Engine
	// TablePrefix starts the name of every table, index and constraint
	// civickit creates (DefaultTablePrefix when empty): lower-case ASCII
	// letters, digits and '_', starting with a letter, at most 20 bytes.
	// Two prefixes keep two independent civickit schemas in one database.
	TablePrefix string
	// Domains lists the domains whose tables this program uses (see
	// Domain); only their migrations run, and a store of another domain
	// cannot be created on this DB. Empty means every domain.
	Domains []Domain
	// MaxOpenConns caps a pool opened by Open (0: the engine's default here).
	MaxOpenConns int
	// BusyTimeout is how long SQLite waits for a lock (default 5 s); Open
	// sets it on every connection, OpenDB only on the migration's.
	BusyTimeout time.Duration
	// SkipMigrations leaves the schema alone on open; call Migrate yourself.
	SkipMigrations bool
	// MaxTxAttempts bounds the retries of a transaction that hit a
	// serialization failure, a deadlock or a busy database (default 8).
	MaxTxAttempts int
	// Logger receives migration messages; slog.Default() when nil.
	Logger *slog.Logger
}

// DB is an open database with its engine, table prefix, domains and bun
// handle.
type DB struct {
	bun         *bun.DB
	engine      Engine
	prefix      string
	domains     []Domain // enabled, required ones first
	ownsPool    bool
	maxAttempts int
	busyTimeout time.Duration
	log         *slog.Logger

	// afterStatement, when set (by tests), runs after each statement of a
	// migration has executed and before its progress is recorded; an error
	// stops the migration there as a crash or a failing statement would.
	afterStatement func(m Migration, stmt int) error
	// afterLegacyStep, when set (by tests), runs after each statement of
	// the carrying over of a legacy database (legacy.go), with its text.
	afterLegacyStep func(query string) error
}

// Engine returns the engine the DSN chose.
func (db *DB) Engine() Engine { return db.engine }

// Prefix returns the table prefix.
func (db *DB) Prefix() string { return db.prefix }

// Domains returns the enabled domains.
func (db *DB) Domains() []Domain { return slices.Clone(db.domains) }

// TableName returns the name in the database of one of civickit's tables,
// given its name without prefix ("associations" → "civickit_associations"),
// for raw SQL.
func (db *DB) TableName(name string) string { return db.prefix + name }

// Bun returns the underlying bun handle, for integrators who add their own
// tables beside civickit's (with their own models: the handle's dialect
// gives the prefix to civickit's row models only).
func (db *DB) Bun() *bun.DB { return db.bun }

// Close closes a pool that Open created. A pool given to OpenDB or OpenBun
// stays open: it belongs to the caller.
func (db *DB) Close() error {
	if !db.ownsPool {
		return nil
	}
	return db.bun.Close()
}

// Open connects to the database named by cfg.DSN, checks the connection
// and, unless cfg.SkipMigrations, applies pending migrations of the
// enabled domains.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	if cfg.DSN == "" {
		cfg.DSN = DefaultDSN
	}
	if cfg.BusyTimeout <= 0 {
		cfg.BusyTimeout = 5 * time.Second
	}
	engine, driverName, dsn, err := parseDSN(cfg.DSN, cfg.BusyTimeout)
	if err != nil {
		return nil, err
	}
	if cfg.Engine != "" && cfg.Engine != engine {
		return nil, fmt.Errorf("%w: Engine %q but the DSN names %q", ErrConfig, cfg.Engine, engine)
	}
	cfg.Engine = engine
	if err := checkConfig(&cfg); err != nil {
		return nil, err
	}
	sqldb, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", engine, err)
	}
	if cfg.MaxOpenConns > 0 {
		sqldb.SetMaxOpenConns(cfg.MaxOpenConns)
		sqldb.SetMaxIdleConns(cfg.MaxOpenConns)
	} else if engine != SQLite {
		sqldb.SetMaxOpenConns(32)
		sqldb.SetMaxIdleConns(32)
	}
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	db, err := open(ctx, sqldb, cfg, true)
	if err != nil {
		sqldb.Close()
		return nil, err
	}
	return db, nil
}

// OpenDB uses the caller's pool: a portal hands over the *sql.DB it
// already runs, and civickit's tables (all prefixed) live beside its own.
// The engine is cfg.Engine, or told from the pool's driver. The pool is
// checked and, unless cfg.SkipMigrations, migrated; DB.Close leaves it
// open. The pool's settings stay the caller's: a SQLite pool must enable
// foreign keys on every connection (modernc.org/sqlite:
// "_pragma=foreign_keys(1)"), and should set a busy timeout and
// "_txlock=immediate" as Open does; a MariaDB pool should use utf8mb4.
func OpenDB(ctx context.Context, sqldb *sql.DB, cfg Config) (*DB, error) {
	if sqldb == nil {
		return nil, fmt.Errorf("%w: OpenDB with a nil *sql.DB", ErrConfig)
	}
	if cfg.Engine == "" {
		cfg.Engine = engineOf(sqldb.Driver())
		if cfg.Engine == "" {
			return nil, fmt.Errorf("%w: cannot tell the engine of a %T pool: set Config.Engine", ErrConfig, sqldb.Driver())
		}
	}
	if cfg.BusyTimeout <= 0 {
		cfg.BusyTimeout = 5 * time.Second
	}
	if err := checkConfig(&cfg); err != nil {
		return nil, err
	}
	return open(ctx, sqldb, cfg, false)
}

// OpenBun is OpenDB on the pool of the caller's bun handle. civickit keeps
// a bun handle of its own on that pool (so that its prefixed models do not
// enter the caller's table registry); the engine is the handle's dialect.
func OpenBun(ctx context.Context, b *bun.DB, cfg Config) (*DB, error) {
	if b == nil {
		return nil, fmt.Errorf("%w: OpenBun with a nil *bun.DB", ErrConfig)
	}
	var engine Engine
	switch b.Dialect().Name() {
	case dialect.PG:
		engine = Postgres
	case dialect.MySQL:
		engine = MySQL
	case dialect.SQLite:
		engine = SQLite
	default:
		return nil, fmt.Errorf("%w: bun dialect %s is not supported", ErrConfig, b.Dialect().Name())
	}
	if cfg.Engine != "" && cfg.Engine != engine {
		return nil, fmt.Errorf("%w: Engine %q but the bun handle's dialect is %q", ErrConfig, cfg.Engine, engine)
	}
	cfg.Engine = engine
	return OpenDB(ctx, b.DB, cfg)
}

// engineOf tells the engine from a pool's driver.
func engineOf(d driver.Driver) Engine {
	switch d.(type) {
	case *stdlib.Driver:
		return Postgres
	case *mysql.MySQLDriver:
		return MySQL
	case *sqlite.Driver:
		return SQLite
	}
	return ""
}

// checkConfig fills defaults and validates the prefix, the engine and the
// domains.
func checkConfig(cfg *Config) error {
	switch cfg.Engine {
	case SQLite, Postgres, MySQL:
	default:
		return fmt.Errorf("%w: unknown engine %q (want sqlite, postgres or mysql)", ErrConfig, cfg.Engine)
	}
	if cfg.TablePrefix == "" {
		cfg.TablePrefix = DefaultTablePrefix
	}
	if err := checkPrefix(cfg.TablePrefix); err != nil {
		return err
	}
	domains, err := resolveDomains(cfg.Domains, domainRequires)
	if err != nil {
		return err
	}
	cfg.Domains = domains
	if cfg.MaxTxAttempts <= 0 {
		cfg.MaxTxAttempts = 8
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return nil
}

// maxPrefix keeps the longest prefixed name (an index name of 37 bytes)
// within the 63 bytes of PostgreSQL and 64 of MariaDB.
const maxPrefix = 20

func checkPrefix(p string) error {
	if len(p) > maxPrefix {
		return fmt.Errorf("%w: table prefix %q is longer than %d bytes", ErrConfig, p, maxPrefix)
	}
	for i, c := range []byte(p) {
		letter := c >= 'a' && c <= 'z'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '_')) {
			return fmt.Errorf("%w: table prefix %q: want [a-z][a-z0-9_]*", ErrConfig, p)
		}
	}
	if p+"migrations" == legacyVersionTable {
		return fmt.Errorf("%w: table prefix %q would name the version table as the legacy layout's", ErrConfig, p)
	}
	return nil
}

// open wraps a checked pool: a bun handle whose dialect prefixes
// civickit's models, a ping, a SQLite sanity check and the migrations.
func open(ctx context.Context, sqldb *sql.DB, cfg Config, owns bool) (*DB, error) {
	var d schema.Dialect
	switch cfg.Engine {
	case SQLite:
		d = sqlitedialect.New()
	case Postgres:
		d = pgdialect.New()
	case MySQL:
		d = mysqldialect.New()
	}
	db := &DB{
		bun:         bun.NewDB(sqldb, newPrefixDialect(d, cfg.TablePrefix)),
		engine:      cfg.Engine,
		prefix:      cfg.TablePrefix,
		domains:     cfg.Domains,
		ownsPool:    owns,
		maxAttempts: cfg.MaxTxAttempts,
		busyTimeout: cfg.BusyTimeout,
		log:         cfg.Logger,
	}
	if err := ping(ctx, sqldb, cfg); err != nil {
		return nil, fmt.Errorf("storage: connect to %s: %w", cfg.Engine, err)
	}
	if cfg.Engine == SQLite {
		// Cascades and the stores' integrity rely on foreign keys, which
		// SQLite enforces only when each connection asks for it.
		var on int
		if err := sqldb.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&on); err != nil {
			return nil, fmt.Errorf("storage: sqlite: %w", err)
		}
		if on != 1 {
			return nil, fmt.Errorf("%w: the SQLite pool does not enforce foreign keys: open it with _pragma=foreign_keys(1)", ErrConfig)
		}
	}
	if !cfg.SkipMigrations {
		if err := db.Migrate(ctx); err != nil {
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

// ping checks the pool answers. A new SQLite connection switches the
// file to WAL, which can fail with SQLITE_BUSY without waiting on
// busy_timeout while another process is creating the same fresh file:
// such a ping is tried again until BusyTimeout has passed.
func ping(ctx context.Context, sqldb *sql.DB, cfg Config) error {
	deadline := time.Now().Add(cfg.BusyTimeout)
	for {
		err := sqldb.PingContext(ctx)
		if err == nil || cfg.Engine != SQLite || classify(err) != classRetry || !time.Now().Before(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(20 * time.Millisecond):
		}
	}
}
