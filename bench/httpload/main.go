// Command httpload proves that the elections API casts exactly once under
// load and crashes: concurrent voters cast several ballots each (revote
// rule "last") over HTTP against replicas of the API on one PostgreSQL,
// replaying a share of their requests with the same Idempotency-Key,
// while replicas are killed with SIGKILL and restarted and the clients
// retry on the other replica with their keys. It then checks, from the
// exported board, that each voter has exactly one counted ballot (their
// last acknowledged one), that no acknowledged cast is lost and none
// duplicated, and that `tally verify` verifies the board. The same
// workload is run in process against the ballot box first, for the cost
// of the HTTP layer.
//
//	go run ./bench/httpload -voters 200 -casts 5 -replay 0.2 -replicas 2 -kills 20
//
// See README.md. The admin DSN is CIVICKIT_TEST_POSTGRES_DSN; each run
// creates a database of its own and drops it. All traffic is loopback.
package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/voting/ballotbox"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		if err := serve(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "httpload serve:", err)
			os.Exit(1)
		}
		return
	}
	var cfg config
	flag.IntVar(&cfg.voters, "voters", 200, "concurrent voters")
	flag.IntVar(&cfg.casts, "casts", 5, "ballots cast by each voter (the last counts)")
	flag.Float64Var(&cfg.replay, "replay", 0.2, "share of acknowledged casts sent again with the same key")
	flag.IntVar(&cfg.replicas, "replicas", 2, "API processes")
	flag.IntVar(&cfg.kills, "kills", 20, "SIGKILLs of a replica during the crash phase (0: no crash phase)")
	flag.DurationVar(&cfg.killEvery, "kill-every", 300*time.Millisecond, "time between kills (the crash phase lasts about kills × this)")
	flag.IntVar(&cfg.k, "k", ballotbox.DefaultAnonymity, "the ballot box's anonymity set")
	flag.IntVar(&cfg.repeat, "repeat", 1, "runs of the in-process and http phases, alternating (their figures are noisy on a shared machine)")
	flag.StringVar(&cfg.tally, "tally", "", "the tally binary (built from ./cmd/tally when empty)")
	flag.StringVar(&cfg.jsonOut, "json", "", "also write the report as JSON to this file")
	flag.StringVar(&cfg.replica, "replica", "serve", "the replicas: serve (this program, a bench login) or reference (the reference-server binary, -dev-auth)")
	flag.DurationVar(&cfg.stale, "idempotency-stale", 5*time.Second, "the replicas' -idempotency-stale: how long a key claimed by a killed request blocks its retries (409, Retry-After)")
	flag.StringVar(&cfg.referenceBin, "reference-server", "", "the reference-server binary for -replica reference (built from ./reference-server when empty)")
	flag.Parse()
	cfg.admin = os.Getenv("CIVICKIT_TEST_POSTGRES_DSN")
	rep, err := run(context.Background(), cfg)
	if rep != nil {
		rep.print(os.Stdout)
		if cfg.jsonOut != "" {
			b, _ := json.MarshalIndent(rep, "", "  ")
			if werr := os.WriteFile(cfg.jsonOut, b, 0o644); werr != nil && err == nil {
				err = werr
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "httpload:", err)
		os.Exit(1)
	}
}

type config struct {
	voters, casts, replicas, kills, k int
	repeat                            int
	replay                            float64
	killEvery                         time.Duration
	tally, jsonOut, admin             string
	replica, referenceBin             string
	stale                             time.Duration
	// conns caps each process's database pool (0: 32 for this program,
	// 16 a replica); the CI-size test keeps it small, beside the other
	// packages' tests on the same PostgreSQL.
	conns int
}

// run creates the database, runs the phases and checks each.
func run(ctx context.Context, cfg config) (*report, error) {
	if cfg.admin == "" {
		return nil, errors.New("CIVICKIT_TEST_POSTGRES_DSN is not set (the admin DSN of a PostgreSQL on loopback)")
	}
	if cfg.voters < 1 || cfg.casts < 1 || cfg.replicas < 1 || cfg.replay < 0 || cfg.replay > 1 {
		return nil, errors.New("want -voters, -casts, -replicas ≥ 1 and -replay in [0, 1]")
	}
	if cfg.stale <= 0 {
		cfg.stale = 5 * time.Second
	}
	switch cfg.replica {
	case "":
		cfg.replica = "serve"
	case "serve", "reference":
	default:
		return nil, fmt.Errorf("-replica %q: want serve or reference", cfg.replica)
	}
	dir, err := os.MkdirTemp("", "httpload")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if cfg.tally == "" {
		cfg.tally = filepath.Join(dir, "tally")
		if out, err := exec.Command("go", "build", "-o", cfg.tally, "github.com/civickit/civickit/cmd/tally").CombinedOutput(); err != nil {
			return nil, fmt.Errorf("building tally: %v: %s", err, out)
		}
	}
	if cfg.replica == "reference" && cfg.referenceBin == "" {
		cfg.referenceBin = filepath.Join(dir, "reference-server")
		if out, err := exec.Command("go", "build", "-o", cfg.referenceBin, "github.com/civickit/civickit/reference-server").CombinedOutput(); err != nil {
			return nil, fmt.Errorf("building reference-server: %v: %s", err, out)
		}
	}
	// The secret is written as hex: the reference server trims the
	// file's white space, which random bytes could begin or end with.
	raw := make([]byte, 48)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	secret := []byte(hex.EncodeToString(raw))
	secretFile := filepath.Join(dir, "secret")
	if err := os.WriteFile(secretFile, secret, 0o600); err != nil {
		return nil, err
	}
	dsn, drop, err := database(ctx, cfg.admin)
	if err != nil {
		return nil, err
	}
	defer drop()
	db, err := storage.Open(ctx, storage.Config{DSN: dsn, Domains: []storage.Domain{storage.DomainBallotBox, storage.DomainServer}, MaxOpenConns: cmp.Or(cfg.conns, 32),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	box, err := ballotbox.NewService(storage.NewBallotBoxStore(db), ballotbox.Options{Secret: secret, Anonymity: cfg.k})
	if err != nil {
		return nil, err
	}

	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	reps := make([]*replica, cfg.replicas)
	for i := range reps {
		if cfg.replica == "reference" {
			reps[i], err = newReferenceReplica(cfg.referenceBin, dsn, secretFile, filepath.Join(dir, fmt.Sprintf("replica%d.log", i)), cfg.k, cfg.stale, cmp.Or(cfg.conns, 16))
		} else {
			reps[i], err = newReplica(self, dsn, secretFile, cfg.k, cfg.stale, cmp.Or(cfg.conns, 16))
		}
		if err != nil {
			return nil, err
		}
		defer reps[i].stop()
		if err := reps[i].start(); err != nil {
			return nil, err
		}
	}
	rep := &report{Config: cfg.public()}
	var failed error
	type phase struct {
		name  string
		kills int
	}
	var phases []phase
	for range max(cfg.repeat, 1) {
		phases = append(phases, phase{"in-process", 0}, phase{"http", 0})
	}
	phases = append(phases, phase{"http+kill-9", cfg.kills})
	for _, ph := range phases {
		if ph.name == "http+kill-9" && cfg.kills == 0 {
			continue
		}
		e, err := newElection(ctx, box)
		if err != nil {
			return rep, err
		}
		var c caster = &httpCaster{reps: reps, client: newClient()}
		if ph.name == "in-process" {
			c = &boxCaster{box: box}
		}
		pr := runPhase(ctx, ph.name, cfg, c, e.ID, reps, ph.kills)
		if err := closeAndCheck(ctx, cfg, reps, e.ID, dir, &pr); err != nil {
			pr.Failures = append(pr.Failures, err.Error())
		}
		if pr.Kills < ph.kills {
			pr.Failures = append(pr.Failures, fmt.Sprintf("only %d of %d kills fell during the load (lengthen -kill-every)", pr.Kills, ph.kills))
		}
		rep.Phases = append(rep.Phases, pr)
		if len(pr.Failures) > 0 && failed == nil {
			failed = fmt.Errorf("phase %s: %v", ph.name, pr.Failures)
		}
	}
	return rep, failed
}

// database creates a fresh database on the admin DSN's server, with
// durable commits, and returns its DSN and how to drop it.
func database(ctx context.Context, admin string) (string, func(), error) {
	name := fmt.Sprintf("civickit_httpload_%d", mrand.Uint32())
	a, err := sql.Open("pgx", admin)
	if err != nil {
		return "", nil, err
	}
	if _, err := a.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		a.Close()
		return "", nil, err
	}
	if _, err := a.ExecContext(ctx, "ALTER DATABASE "+name+" SET synchronous_commit = on"); err != nil {
		a.Close()
		return "", nil, err
	}
	u, err := url.Parse(admin)
	if err != nil {
		a.Close()
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), func() {
		_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		a.Close()
	}, nil
}

func newElection(ctx context.Context, box *ballotbox.Service) (*ballotbox.Election, error) {
	now := time.Now()
	e := &ballotbox.Election{Title: "httpload", Opens: now.Add(-time.Minute), Closes: now.Add(24 * time.Hour),
		Revote: ballotbox.RevoteLast, Visibility: ballotbox.VisibleAfterClose,
		Questions: []ballotbox.Question{{ID: "q", Title: "Q", Candidates: []string{"a", "b", "c", "d"}, Method: "schulze"}}}
	return e, box.CreateElection(ctx, e)
}
