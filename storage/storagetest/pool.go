package storagetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/civickit/civickit/storage"
)

// Creating and migrating a database costs a PostgreSQL or MariaDB server
// one to three seconds (CREATE DATABASE, then dozens of CREATE TABLE each
// synced to disk), which dominated the suites' time. Open therefore keeps
// the databases of finished tests: when a test ends its tables are emptied
// and the database goes back to a process-wide pool, for the next Open to
// take. A database that cannot be emptied is dropped instead.
//
// Pooled databases are named civickit_p_<pid>_<random>. A process cannot
// drop its pool when it exits (a test binary has no exit hook), so the
// first Open of each process drops the pooled databases of processes that
// are no longer running.
var dbPool = &pool{free: map[poolKey][]string{}, swept: map[string]bool{}}

type pool struct {
	mu    sync.Mutex
	free  map[poolKey][]string // DSNs of emptied, migrated databases
	swept map[string]bool      // admin DSNs already swept of dead processes' databases
}

// poolKey: a pooled database serves only tests asking for its engine,
// table prefix and domains, the ones it was migrated for.
type poolKey struct {
	engine  storage.Engine
	prefix  string
	domains string
}

func keyOf(engine storage.Engine, cfg storage.Config) poolKey {
	prefix := cfg.TablePrefix
	if prefix == "" {
		prefix = storage.DefaultTablePrefix
	}
	domains := slices.Clone(cfg.Domains)
	if len(domains) == 0 {
		domains = storage.AllDomains()
	}
	slices.Sort(domains)
	return poolKey{engine: engine, prefix: prefix, domains: fmt.Sprint(slices.Compact(domains))}
}

func (p *pool) take(k poolKey) (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	free := p.free[k]
	if len(free) == 0 {
		return "", false
	}
	dsn := free[len(free)-1]
	p.free[k] = free[:len(free)-1]
	return dsn, true
}

func (p *pool) put(k poolKey, dsn string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free[k] = append(p.free[k], dsn)
}

// sweep drops, once per admin DSN, the pooled databases of dead processes.
func (p *pool) sweep(t testing.TB, engine storage.Engine, admin string) {
	p.mu.Lock()
	done := p.swept[admin]
	p.swept[admin] = true
	p.mu.Unlock()
	if done {
		return
	}
	driver, adminConn, err := adminDriver(engine, admin)
	if err != nil {
		return
	}
	conn, err := sql.Open(driver, adminConn)
	if err != nil {
		return
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	q := "SELECT datname FROM pg_database WHERE datname LIKE 'civickit\\_p\\_%'"
	if engine == storage.MySQL {
		q = "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'civickit\\_p\\_%'"
	}
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		t.Logf("storagetest: list pooled databases: %v", err)
		return
	}
	var stale []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) == nil && !ownerAlive(name) {
			stale = append(stale, name)
		}
	}
	rows.Close()
	for _, name := range stale {
		dropDatabase(t, engine, driver, adminConn, name)
	}
}

// ownerAlive reports whether the process named in a pooled database's
// name still runs (when unsure, it says yes: the database is kept).
func ownerAlive(name string) bool {
	rest, ok := strings.CutPrefix(name, "civickit_p_")
	if !ok {
		return true
	}
	pidText, _, _ := strings.Cut(rest, "_")
	pid, err := strconv.Atoi(pidText)
	if err != nil {
		return true
	}
	if pid == os.Getpid() {
		return true
	}
	proc, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	// Signal 0 probes without signalling. Only "no such process" means
	// dead; any other answer (EPERM, or a platform without signals) keeps
	// the database.
	err = proc.Signal(syscall.Signal(0))
	return !errors.Is(err, os.ErrProcessDone) && !errors.Is(err, syscall.ESRCH)
}

func adminDriver(engine storage.Engine, admin string) (driver, conn string, err error) {
	if engine == storage.MySQL {
		u, err := url.Parse(admin)
		if err != nil {
			return "", "", err
		}
		return "mysql", mysqlDriverDSN(u, ""), nil
	}
	return "pgx", admin, nil
}

// openPooled returns a database on a server engine migrated for cfg's
// prefix and domains, reused from the pool when one is free, emptied and
// returned to the pool when t ends.
func openPooled(t testing.TB, engine storage.Engine, cfg storage.Config) *storage.DB {
	t.Helper()
	admin := adminDSN(t, engine)
	dbPool.sweep(t, engine, admin)
	key := keyOf(engine, cfg)
	dsn, ok := dbPool.take(key)
	if !ok {
		dsn = createNamedDatabase(t, engine, admin, fmt.Sprintf("civickit_p_%d_%s", os.Getpid(), randomName()[len("civickit_t_"):]), false)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg.DSN = dsn
	db, err := storage.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("storagetest: open %s: %v", engine, err)
	}
	t.Cleanup(func() {
		err := empty(engine, db)
		db.Close()
		if err != nil {
			t.Logf("storagetest: %s: emptying a database for reuse: %v (dropped instead)", engine, err)
			u, perr := url.Parse(dsn)
			driver, adminConn, derr := adminDriver(engine, admin)
			if perr == nil && derr == nil {
				dropDatabase(t, engine, driver, adminConn, strings.TrimPrefix(u.Path, "/"))
			}
			return
		}
		dbPool.put(key, dsn)
	})
	return db
}

// empty deletes every row of every table of db's prefix but the
// migrations' record, on one connection, with foreign key checks off
// where the engine needs it. Tables of other prefixes are left alone.
func empty(engine storage.Engine, db *storage.DB) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := db.Bun().DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	q := "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	if engine == storage.MySQL {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'"
	}
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		if strings.HasPrefix(name, db.Prefix()) && name != db.TableName("migrations") {
			tables = append(tables, name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(tables) == 0 {
		return nil
	}
	if engine == storage.MySQL {
		if _, err := conn.ExecContext(ctx, "SET FOREIGN_KEY_CHECKS = 0"); err != nil {
			return err
		}
		for _, name := range tables {
			if _, err := conn.ExecContext(ctx, "DELETE FROM `"+strings.ReplaceAll(name, "`", "``")+"`"); err != nil {
				return err
			}
		}
		_, err = conn.ExecContext(ctx, "SET FOREIGN_KEY_CHECKS = 1")
		return err
	}
	// PostgreSQL: DELETE is far cheaper than TRUNCATE on small tables
	// (TRUNCATE gives every table new files). A table still referenced
	// fails its DELETE and is tried again once its referrers are empty;
	// whatever cannot be emptied that way is truncated.
	quote := func(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
	for len(tables) > 0 {
		var left []string
		for _, name := range tables {
			if _, err := conn.ExecContext(ctx, "DELETE FROM "+quote(name)); err != nil {
				left = append(left, name)
			}
		}
		if len(left) == len(tables) {
			quoted := make([]string, len(left))
			for i, name := range left {
				quoted[i] = quote(name)
			}
			_, err = conn.ExecContext(ctx, "TRUNCATE TABLE "+strings.Join(quoted, ", ")+" CASCADE")
			return err
		}
		tables = left
	}
	return nil
}
