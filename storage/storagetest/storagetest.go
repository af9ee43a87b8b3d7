// Package storagetest opens fresh test databases on each engine: SQLite
// always; PostgreSQL and MariaDB from CIVICKIT_TEST_POSTGRES_DSN and
// CIVICKIT_TEST_MYSQL_DSN, else in a dockertest container when a Docker
// engine answers, else the test is skipped with a message saying how to
// enable it. Every Open gets an empty, migrated database of its own until
// its test ends (see pool.go); every NewDSN a new database, dropped at
// cleanup.
package storagetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/civickit/civickit/storage"
	"github.com/ory/dockertest/v3"
)

// Environment variables naming an admin DSN for each server engine. The
// user must be allowed to create and drop databases.
const (
	PostgresEnv = "CIVICKIT_TEST_POSTGRES_DSN"
	MySQLEnv    = "CIVICKIT_TEST_MYSQL_DSN"
)

// Engines lists the engines of the test matrix.
func Engines() []storage.Engine {
	return []storage.Engine{storage.SQLite, storage.Postgres, storage.MySQL}
}

// ForEachEngine runs fn as a subtest named after each engine. The engines'
// subtests run in parallel with each other: most of a storage test's time
// is spent waiting for a server to create databases and commit, so the
// three engines overlap instead of adding up.
func ForEachEngine(t *testing.T, fn func(t *testing.T, engine storage.Engine)) {
	t.Helper()
	for _, e := range Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			fn(t, e)
		})
	}
}

// Open returns an empty, migrated database on engine for the test's sole
// use, closed when the test ends (and on a server engine, emptied and
// kept for the next test of the process). Its tables have the default
// prefix and every domain. It skips the test when the engine is not
// available.
func Open(t testing.TB, engine storage.Engine) *storage.DB {
	t.Helper()
	return OpenWith(t, engine, storage.Config{})
}

// OpenWith is Open with a configuration: its TablePrefix, Domains and
// other options are used, its DSN is replaced by the test database's.
// Pooled server databases are shared only between tests asking for the
// same prefix and domains.
func OpenWith(t testing.TB, engine storage.Engine, cfg storage.Config) *storage.DB {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = quietLogger()
	}
	if engine == storage.Postgres || engine == storage.MySQL {
		return openPooled(t, engine, cfg)
	}
	cfg.DSN = NewDSN(t, engine)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db, err := storage.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("storagetest: open %s: %v", engine, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// NewDSN creates an empty database on engine and returns its civickit DSN;
// the database is dropped when the test ends.
func NewDSN(t testing.TB, engine storage.Engine) string {
	t.Helper()
	switch engine {
	case storage.SQLite:
		return "sqlite:" + filepath.Join(t.TempDir(), "civickit-test.db")
	case storage.Postgres, storage.MySQL:
		admin := adminDSN(t, engine)
		return createDatabase(t, engine, admin)
	}
	t.Fatalf("storagetest: unknown engine %q", engine)
	return ""
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// adminDSN finds a server for engine or skips the test.
func adminDSN(t testing.TB, engine storage.Engine) string {
	t.Helper()
	env := PostgresEnv
	if engine == storage.MySQL {
		env = MySQLEnv
	}
	if dsn := os.Getenv(env); dsn != "" {
		return dsn
	}
	dsn, err := containers.get(engine)
	if err != nil {
		t.Skipf("storagetest: %s tests skipped: set %s to an admin DSN (e.g. %s) or run a Docker engine (%v)",
			engine, env, exampleDSN(engine), err)
	}
	return dsn
}

func exampleDSN(engine storage.Engine) string {
	if engine == storage.Postgres {
		return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	return "mysql://root@127.0.0.1:3306/test"
}

func randomName() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "civickit_t_" + hex.EncodeToString(b[:])
}

// createDatabase makes a fresh database through the admin DSN and returns
// a DSN for it.
func createDatabase(t testing.TB, engine storage.Engine, admin string) string {
	t.Helper()
	return createNamedDatabase(t, engine, admin, randomName(), true)
}

// createNamedDatabase creates database name; with drop, it is dropped when
// the test ends.
func createNamedDatabase(t testing.TB, engine storage.Engine, admin, name string, drop bool) string {
	t.Helper()
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("storagetest: %s admin DSN: %v", engine, err)
	}
	driver, adminConn := "pgx", admin
	if engine == storage.MySQL {
		driver, adminConn = "mysql", mysqlDriverDSN(u, "")
	}
	conn, err := sql.Open(driver, adminConn)
	if err != nil {
		t.Fatalf("storagetest: %s admin connection: %v", engine, err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	create := "CREATE DATABASE " + name
	if engine == storage.MySQL {
		create += " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
	}
	if _, err := conn.ExecContext(ctx, create); err != nil {
		t.Fatalf("storagetest: %s: %s: %v", engine, create, err)
	}
	if drop {
		t.Cleanup(func() { dropDatabase(t, engine, driver, adminConn, name) })
	}
	if engine == storage.Postgres {
		// A throwaway database need not wait for its WAL to reach the disk
		// at each commit; this only affects the test database.
		if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+name+" SET synchronous_commit = off"); err != nil {
			t.Fatalf("storagetest: %s: %v", engine, err)
		}
	}
	u.Path = "/" + name
	return u.String()
}

func dropDatabase(t testing.TB, engine storage.Engine, driver, adminConn, name string) {
	conn, err := sql.Open(driver, adminConn)
	if err != nil {
		t.Logf("storagetest: drop %s: %v", name, err)
		return
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	stmt := "DROP DATABASE IF EXISTS " + name
	if engine == storage.Postgres {
		stmt += " WITH (FORCE)" // connections the test left open must not block the drop
	}
	if _, err := conn.ExecContext(ctx, stmt); err != nil {
		t.Logf("storagetest: %s: %v", stmt, err)
	}
}

// mysqlDriverDSN turns mysql://user:pass@host:port/db into the driver's form.
func mysqlDriverDSN(u *url.URL, db string) string {
	pass, _ := u.User.Password()
	host := u.Host
	if u.Port() == "" {
		host += ":3306"
	}
	return fmt.Sprintf("%s:%s@tcp(%s)/%s", u.User.Username(), pass, host, db)
}

// containers starts at most one container per engine per test binary; a
// process-wide cache because starting a server per test would take minutes.
var containers = &containerCache{dsn: map[storage.Engine]string{}, err: map[storage.Engine]error{}}

type containerCache struct {
	mu   sync.Mutex
	pool *dockertest.Pool
	dsn  map[storage.Engine]string
	err  map[storage.Engine]error
}

func (c *containerCache) get(engine storage.Engine) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if dsn, ok := c.dsn[engine]; ok {
		return dsn, nil
	}
	if err, ok := c.err[engine]; ok {
		return "", err
	}
	dsn, err := c.start(engine)
	if err != nil {
		c.err[engine] = err
		return "", err
	}
	c.dsn[engine] = dsn
	return dsn, nil
}

func (c *containerCache) start(engine storage.Engine) (string, error) {
	if c.pool == nil {
		pool, err := dockertest.NewPool("")
		if err != nil {
			return "", fmt.Errorf("no Docker engine: %w", err)
		}
		if err := pool.Client.Ping(); err != nil {
			return "", fmt.Errorf("no Docker engine answers: %w", err)
		}
		pool.MaxWait = 2 * time.Minute
		c.pool = pool
	}
	var (
		opts  dockertest.RunOptions
		dsnOf func(port string) string
	)
	switch engine {
	case storage.Postgres:
		opts = dockertest.RunOptions{Repository: "postgres", Tag: "16", Env: []string{"POSTGRES_HOST_AUTH_METHOD=trust"}}
		dsnOf = func(p string) string { return "postgres://postgres@127.0.0.1:" + p + "/postgres?sslmode=disable" }
	case storage.MySQL:
		opts = dockertest.RunOptions{Repository: "mariadb", Tag: "11", Env: []string{"MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1"}}
		dsnOf = func(p string) string { return "mysql://root@127.0.0.1:" + p + "/mysql" }
	}
	res, err := c.pool.RunWithOptions(&opts)
	if err != nil {
		return "", fmt.Errorf("start %s container: %w", engine, err)
	}
	_ = res.Expire(1800) // the container removes itself even if the test binary dies
	port := "5432/tcp"
	if engine == storage.MySQL {
		port = "3306/tcp"
	}
	dsn := dsnOf(res.GetPort(port))
	err = c.pool.Retry(func() error {
		db, err := storage.Open(context.Background(), storage.Config{DSN: dsn, SkipMigrations: true, Logger: quietLogger()})
		if err != nil {
			return err
		}
		return db.Close()
	})
	if err != nil {
		_ = c.pool.Purge(res)
		return "", fmt.Errorf("%s container never answered: %w", engine, err)
	}
	return dsn, nil
}
