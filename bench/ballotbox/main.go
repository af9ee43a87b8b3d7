// Command ballotbox-bench measures casts per second through the ballot box
// with durable commits, at several numbers of concurrent voters, next to
// the engine's own single-row INSERT rate on the same server in the same
// run (pgbench on PostgreSQL; a Go loop of single-row INSERTs on every
// engine).
//
//	go run ./bench/ballotbox -engine postgres -clients 1,16,64,256 -duration 10s
//	go run ./bench/ballotbox -engine mysql
//	go run ./bench/ballotbox -engine sqlite
//
// The admin DSNs are CIVICKIT_TEST_POSTGRES_DSN and CIVICKIT_TEST_MYSQL_DSN
// (see README.md). Each run creates a database of its own and drops it.
// Durability: PostgreSQL runs with synchronous_commit = on (set on the
// bench database, whatever the server's default), MariaDB reports
// innodb_flush_log_at_trx_commit (1: the log is flushed at each commit),
// SQLite runs in WAL mode and reports its synchronous setting.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/voting/ballotbox"
)

func main() {
	engine := flag.String("engine", "postgres", "postgres, mysql or sqlite")
	clients := flag.String("clients", "1,16,64,256", "concurrent voters, comma-separated")
	duration := flag.Duration("duration", 10*time.Second, "measuring time per level")
	k := flag.Int("k", ballotbox.DefaultAnonymity, "anonymity set (Options.Anonymity)")
	conns := flag.Int("conns", 32, "connection pool of the ballot box (storage.Config.MaxOpenConns)")
	pgbenchMax := flag.Int("pgbench-max-clients", 64, "most pgbench clients (the server's max_connections bounds it)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the casting process")
	fillDSN := flag.String("fill", "", "instead of measuring: run the attack election on this DSN and keep it (see README.md)")
	fillN := flag.Int("voters", 200, "voters of -fill")
	truth := flag.String("truth", "truth.jsonl", "where -fill writes voter key -> tracker")
	flag.Parse()
	if *fillDSN != "" {
		if err := fill(context.Background(), *fillDSN, *fillN, *k, *truth); err != nil {
			fmt.Fprintln(os.Stderr, "ballotbox-bench:", err)
			os.Exit(1)
		}
		return
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	if err := run(context.Background(), storage.Engine(*engine), parseList(*clients), *duration, *k, *conns, *pgbenchMax, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ballotbox-bench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func parseList(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// database creates a fresh bench database and returns its DSN, the admin
// connection and a cleanup.
func database(ctx context.Context, engine storage.Engine) (dsn string, admin *sql.DB, name string, cleanup func(), err error) {
	name = fmt.Sprintf("civickit_bench_%d", rand.Uint32())
	switch engine {
	case storage.SQLite:
		dir, err := os.MkdirTemp("", "ballotbox-bench")
		if err != nil {
			return "", nil, "", nil, err
		}
		return "sqlite:" + filepath.Join(dir, "bench.db"), nil, "", func() { os.RemoveAll(dir) }, nil
	case storage.Postgres:
		env := os.Getenv("CIVICKIT_TEST_POSTGRES_DSN")
		if env == "" {
			return "", nil, "", nil, errors.New("CIVICKIT_TEST_POSTGRES_DSN is not set")
		}
		admin, err := sql.Open("pgx", env)
		if err != nil {
			return "", nil, "", nil, err
		}
		if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
			return "", nil, "", nil, err
		}
		if _, err := admin.ExecContext(ctx, "ALTER DATABASE "+name+" SET synchronous_commit = on"); err != nil {
			return "", nil, "", nil, err
		}
		u, _ := url.Parse(env)
		u.Path = "/" + name
		return u.String(), admin, name, func() { admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); admin.Close() }, nil
	case storage.MySQL:
		env := os.Getenv("CIVICKIT_TEST_MYSQL_DSN")
		if env == "" {
			return "", nil, "", nil, errors.New("CIVICKIT_TEST_MYSQL_DSN is not set")
		}
		u, _ := url.Parse(env)
		pass, _ := u.User.Password()
		admin, err := sql.Open("mysql", fmt.Sprintf("%s:%s@tcp(%s)/", u.User.Username(), pass, u.Host))
		if err != nil {
			return "", nil, "", nil, err
		}
		if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
			return "", nil, "", nil, err
		}
		u.Path = "/" + name
		return u.String(), admin, name, func() { admin.Exec("DROP DATABASE IF EXISTS " + name); admin.Close() }, nil
	}
	return "", nil, "", nil, fmt.Errorf("unknown engine %q", engine)
}

type row struct {
	clients                 int
	casts, inserts, pgbench float64
	pgbenchClients          int
}

func run(ctx context.Context, engine storage.Engine, levels []int, d time.Duration, k, conns, pgbenchMax int, w io.Writer) error {
	dsn, admin, name, cleanup, err := database(ctx, engine)
	if err != nil {
		return err
	}
	defer cleanup()
	db, err := storage.Open(ctx, storage.Config{DSN: dsn, MaxOpenConns: conns, Domains: []storage.Domain{storage.DomainBallotBox},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	defer db.Close()
	durability, err := describeDurability(ctx, db)
	if err != nil {
		return err
	}
	secret := make([]byte, 32)
	for i := range secret {
		secret[i] = byte(rand.Uint32())
	}
	svc, err := ballotbox.NewService(storage.NewBallotBoxStore(db), ballotbox.Options{Secret: secret, Anonymity: k})
	if err != nil {
		return err
	}
	now := time.Now()
	e := &ballotbox.Election{Title: "bench", Opens: now.Add(-time.Hour), Closes: now.Add(24 * time.Hour),
		Revote: ballotbox.RevoteNone, Visibility: ballotbox.VisibleLive,
		Questions: []ballotbox.Question{{ID: "q", Title: "Q", Candidates: []string{"a", "b", "c", "d"}, Method: "schulze"}}}
	if err := svc.CreateElection(ctx, e); err != nil {
		return err
	}
	if _, err := db.Bun().ExecContext(ctx, insertTable(engine)); err != nil {
		return err
	}
	var rows []row
	voter := atomic.Int64{}
	for _, c := range levels {
		r := row{clients: c}
		r.casts, err = measure(ctx, c, d, func(ctx context.Context) error {
			i := voter.Add(1)
			_, err := svc.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotbox.Voter{ID: fmt.Sprintf("V%09d", i)},
				Ballot:         ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "q", Ranking: [][]int{{int(i % 4)}, {int(i+1) % 4}}}}},
				IdempotencyKey: "k" + strconv.FormatInt(i, 10)})
			return err
		})
		if err != nil {
			return fmt.Errorf("casts at %d voters: %w", c, err)
		}
		r.inserts, err = measure(ctx, c, d, func(ctx context.Context) error {
			_, err := db.Bun().ExecContext(ctx, "INSERT INTO bench_insert (v) VALUES ('x')")
			return err
		})
		if err != nil {
			return fmt.Errorf("inserts at %d clients: %w", c, err)
		}
		if engine == storage.Postgres {
			r.pgbenchClients = min(c, pgbenchMax)
			r.pgbench, err = pgbench(ctx, dsn, r.pgbenchClients, d)
			// pgbench commits nothing when the server's connection slots
			// (shared with other users) run out: half the clients, once.
			if err != nil && r.pgbenchClients > 1 {
				r.pgbenchClients /= 2
				r.pgbench, err = pgbench(ctx, dsn, r.pgbenchClients, d)
			}
			if err != nil {
				return fmt.Errorf("pgbench: %w", err)
			}
		}
		rows = append(rows, r)
		fmt.Fprintf(os.Stderr, "%s %d: casts %.0f/s, inserts %.0f/s, pgbench %.0f/s\n", engine, c, r.casts, r.inserts, r.pgbench)
	}
	// The rest of the queue, then the checks: every cast is on the board.
	if _, err := svc.CloseNow(ctx, e.ID); err != nil {
		return err
	}
	h, err := svc.Head(ctx, e.ID)
	if err != nil {
		return err
	}
	n, err := storage.NewBallotBoxStore(db).CountVoters(ctx, e.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s (%s), k=%d, pool %d connections, %s per level; board %d entries for %d voters\n\n",
		engine, durability, k, conns, d, h.Entries, n)
	if engine == storage.Postgres {
		fmt.Fprintln(w, "| voters | casts/s | single-row INSERT/s (Go, same pool) | pgbench INSERT tps (clients) | casts / pgbench |")
		fmt.Fprintln(w, "|---:|---:|---:|---:|---:|")
		for _, r := range rows {
			fmt.Fprintf(w, "| %d | %.0f | %.0f | %.0f (%d) | %.0f %% |\n", r.clients, r.casts, r.inserts, r.pgbench, r.pgbenchClients, 100*r.casts/r.pgbench)
		}
	} else {
		fmt.Fprintln(w, "| voters | casts/s | single-row INSERT/s (Go, same pool) | casts / inserts |")
		fmt.Fprintln(w, "|---:|---:|---:|---:|")
		for _, r := range rows {
			fmt.Fprintf(w, "| %d | %.0f | %.0f | %.0f %% |\n", r.clients, r.casts, r.inserts, 100*r.casts/r.inserts)
		}
	}
	_ = admin
	_ = name
	_ = civickit.ErrConflict
	return nil
}

func insertTable(engine storage.Engine) string {
	switch engine {
	case storage.Postgres:
		return "CREATE TABLE bench_insert (id BIGSERIAL PRIMARY KEY, v TEXT NOT NULL)"
	case storage.MySQL:
		return "CREATE TABLE bench_insert (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(8) NOT NULL) ENGINE=InnoDB"
	}
	return "CREATE TABLE bench_insert (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT NOT NULL)"
}

func describeDurability(ctx context.Context, db *storage.DB) (string, error) {
	var q, label string
	switch db.Engine() {
	case storage.Postgres:
		q, label = "SHOW synchronous_commit", "synchronous_commit"
	case storage.MySQL:
		q, label = "SELECT @@innodb_flush_log_at_trx_commit", "innodb_flush_log_at_trx_commit"
	default:
		q, label = "PRAGMA synchronous", "synchronous (0 off, 1 normal, 2 full)"
	}
	var v string
	if err := db.Bun().QueryRowContext(ctx, q).Scan(&v); err != nil {
		return "", err
	}
	return label + " = " + v, nil
}

// measure runs op from c goroutines for d and returns successes per second.
func measure(ctx context.Context, c int, d time.Duration, op func(context.Context) error) (float64, error) {
	var done atomic.Int64
	var first atomic.Pointer[error]
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if err := op(ctx); err != nil {
					first.CompareAndSwap(nil, &err)
					return
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	if err := first.Load(); err != nil {
		return 0, *err
	}
	return float64(done.Load()) / time.Since(start).Seconds(), nil
}

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+)`)

func pgbench(ctx context.Context, dsn string, clients int, d time.Duration) (float64, error) {
	script, err := os.CreateTemp("", "insert-*.sql")
	if err != nil {
		return 0, err
	}
	defer os.Remove(script.Name())
	fmt.Fprintln(script, "INSERT INTO bench_insert (v) VALUES ('x');")
	script.Close()
	u, _ := url.Parse(dsn)
	cmd := exec.CommandContext(ctx, "pgbench", "-n", "-h", u.Hostname(), "-p", u.Port(), "-U", u.User.Username(),
		"-c", strconv.Itoa(clients), "-j", strconv.Itoa(min(clients, 4)), "-T", strconv.Itoa(int(d.Seconds())),
		"-f", script.Name(), strings.TrimPrefix(u.Path, "/"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("%w: %s", err, out)
	}
	m := tpsLine.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("no tps in pgbench's output: %s", out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}
