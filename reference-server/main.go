// Command reference-server is civickit's reference portal: it reads its
// configuration, opens storage, builds the domain services and serves
// them through package httpapi, where every route lives. On a fresh
// machine `go run ./reference-server` serves on 127.0.0.1:8080 with a
// SQLite database file in the working directory.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/debate"
	"github.com/civickit/civickit/participation/evaluation"
	"github.com/civickit/civickit/participation/proposals"
	"github.com/civickit/civickit/participation/questionnaire"
	"github.com/civickit/civickit/participation/vote"
	"github.com/civickit/civickit/reference-server/httpapi"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/voting/ballotbox"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "reference-server:", err)
		os.Exit(1)
	}
}

// config is the server's configuration: flags, with environment defaults.
type config struct {
	addr      string
	dsn       string
	logLevel  slog.Level
	grace     time.Duration
	importRNA string
	ban       []string
	// ballotSecretFile holds the ballot box's secret (ballotbox
	// Options.Secret): kept outside the database, the same for every
	// replica and for ever.
	ballotSecretFile string
	ballotAnonymity  int
}

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("reference-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	envOr := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	var c config
	var level string
	fs.StringVar(&c.addr, "addr", envOr("CIVICKIT_ADDR", "127.0.0.1:8080"), "listen address (env CIVICKIT_ADDR)")
	fs.StringVar(&c.dsn, "dsn", envOr("CIVICKIT_DSN", storage.DefaultDSN), "database: sqlite:FILE, postgres://… or mysql://… (env CIVICKIT_DSN)")
	fs.StringVar(&level, "log-level", envOr("CIVICKIT_LOG_LEVEL", "info"), "debug, info, warn or error (env CIVICKIT_LOG_LEVEL)")
	fs.DurationVar(&c.grace, "shutdown-grace", 10*time.Second, "time given to requests in flight at shutdown")
	fs.StringVar(&c.importRNA, "import-rna", "", "import this RNA open-data file (waldec or import layout) before serving; re-importing is idempotent")
	var ban string
	fs.StringVar(&ban, "ban", envOr("CIVICKIT_BAN", ""), "comma-separated Base Adresse Nationale CSV files (adresses-XX.csv): geocode \"near me\" by address and the imported associations (env CIVICKIT_BAN)")
	fs.StringVar(&c.ballotSecretFile, "ballot-secret-file", envOr("CIVICKIT_BALLOT_SECRET_FILE", ""), "file holding the ballot box's secret, at least 32 random bytes, the same for every replica and never changed; without it, elections that need it (revoting, anonymity sets) are refused (env CIVICKIT_BALLOT_SECRET_FILE)")
	fs.IntVar(&c.ballotAnonymity, "ballot-anonymity", 0, "the ballot box's anonymity set k (0: ballotbox.DefaultAnonymity)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if ban != "" {
		c.ban = strings.Split(ban, ",")
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if err := c.logLevel.UnmarshalText([]byte(level)); err != nil {
		return c, fmt.Errorf("-log-level: %w", err)
	}
	return c, nil
}

// run serves until ctx is cancelled, then shuts down gracefully. When ready
// is not nil it receives the listening address once the server accepts.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, ready chan<- string) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel}))

	db, err := storage.Open(ctx, storage.Config{DSN: cfg.dsn, Logger: log})
	if err != nil {
		return err
	}
	defer db.Close()
	var opts associations.Options
	var ban *associations.BANIndex
	if len(cfg.ban) > 0 {
		if ban, err = loadBAN(ctx, cfg.ban, log); err != nil {
			return err
		}
		opts.Geocoder = ban
	}

	datasets, err := opendata.NewService(storage.NewDatasetStore(db), opendata.Options{})
	if err != nil {
		return err
	}
	// The mediation places directory is served (empty until an integrator
	// fills it through opendata.MediationDirectory).
	mediation, err := opendata.NewMediationDirectory(storage.NewMediationStore(db), opendata.MediationOptions{})
	if err != nil {
		return err
	}
	openData := &httpapi.OpenData{Service: datasets, Mediation: mediation, Catalog: opendata.Catalog{
		Title:       opendata.Text{"fr": "Catalogue de données ouvertes"},
		Description: opendata.Text{"fr": "Les jeux de données publiés par ce portail civickit."},
	}}

	part, err := newParticipation(db)
	if err != nil {
		return err
	}
	// Each association speaks in consultations with one voice of its own
	// (participation's organisation list), through its representatives.
	if opts.Voices, err = participation.NewOrganisationVoices(part.Core, "org:associations"); err != nil {
		return err
	}
	registry, err := associations.NewService(storage.NewAssociationStore(db), opts)
	if err != nil {
		return err
	}
	box, err := ballotBox(db, cfg, part.Core)
	if err != nil {
		return err
	}

	if cfg.importRNA != "" {
		if err := importRNA(ctx, registry, cfg.importRNA, log); err != nil {
			return err
		}
	}
	if ban != nil {
		start := time.Now()
		rep, err := registry.GeocodeAll(ctx, ban, associations.GeocodeOptions{})
		if err != nil {
			return fmt.Errorf("geocode: %w", err)
		}
		log.Info("associations geocoded", "scanned", rep.Scanned, "already_located", rep.AlreadyLocated,
			"housenumber", rep.Located[associations.PrecisionHouseNumber], "street", rep.Located[associations.PrecisionStreet],
			"municipality", rep.Located[associations.PrecisionMunicipality], "postal_code", rep.Located[associations.PrecisionPostalCode],
			"not_found", rep.NotFound, "conflicts", rep.Conflicts, "took", time.Since(start).Round(time.Millisecond))
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           httpapi.New(httpapi.Deps{Associations: registry, OpenData: openData, Participation: part, Elections: box, Log: log, Health: db.Bun().PingContext}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("serving", "addr", ln.Addr().String(), "engine", db.Engine())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", cfg.grace)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// importRNA loads an RNA file into the registry. Rejected lines are logged
// by line, column and rule only: their values may be personal. When
// stderr is a terminal, the pace (lines/s) and the time left are shown
// every second; logs and pipes get only the final summary.
func importRNA(ctx context.Context, registry *associations.Service, path string, log *slog.Logger) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("-import-rna: %w", err)
	}
	defer f.Close()
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	opts := associations.ImportOptions{
		OnReject: func(e associations.LineError) {
			log.Warn("rna line rejected", "line", e.Line, "column", e.Column, "rule", e.Rule)
		},
	}
	if isTerminal(os.Stderr) {
		opts.OnProgress = func(p associations.ImportProgress) {
			if p.Done {
				fmt.Fprint(os.Stderr, "\r\033[K")
				return
			}
			fmt.Fprintf(os.Stderr, "\r\033[Kimporting %s: %d lines, %.0f lines/s, %d%%, about %s left",
				path, p.Lines, p.LinesPerSecond(), percent(p.Bytes, size), p.Remaining(size).Round(time.Second))
		}
	}
	start := time.Now()
	rep, err := registry.ImportRNA(ctx, f, opts)
	if err != nil {
		return fmt.Errorf("-import-rna %s: %w", path, err)
	}
	took := time.Since(start)
	rules := make([]string, 0, len(rep.RejectedByRule))
	for rule, n := range rep.RejectedByRule {
		rules = append(rules, fmt.Sprintf("%s=%d", rule, n))
	}
	slices.Sort(rules)
	log.Info("rna imported", "file", path, "layout", rep.Layout, "lines", rep.Lines,
		"created", rep.Created, "updated", rep.Updated, "unchanged", rep.Unchanged,
		"superseded", rep.Superseded, "rejected", rep.Rejected, "rejected_by_rule", strings.Join(rules, " "),
		"warnings", rep.Warnings, "lines_per_s", int(float64(rep.Lines)/max(took.Seconds(), 1e-9)),
		"took", took.Round(time.Millisecond))
	return nil
}

// isTerminal reports whether f is a character device (a terminal, not a
// file or a pipe).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func percent(n, total int64) int64 {
	if total <= 0 {
		return 0
	}
	return min(100, n*100/total)
}

// loadBAN streams the BAN files into one offline geocoder.
func loadBAN(ctx context.Context, paths []string, log *slog.Logger) (*associations.BANIndex, error) {
	x := associations.NewBANIndex()
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("-ban: %w", err)
		}
		start := time.Now()
		rep, err := x.Load(ctx, f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("-ban %s: %w", path, err)
		}
		log.Info("ban loaded", "file", path, "lines", rep.Lines, "addresses", rep.Addresses, "rejected", rep.Rejected,
			"took", time.Since(start).Round(time.Millisecond))
	}
	return x, nil
}

// newParticipation builds the consultation services over db.
func newParticipation(db *storage.DB) (*httpapi.Participation, error) {
	core, err := participation.NewService(storage.NewParticipationStore(db), participation.Options{})
	if err != nil {
		return nil, err
	}
	p := &httpapi.Participation{Core: core}
	if p.Debate, err = debate.NewService(storage.NewDebateStore(db), core, debate.Options{}); err != nil {
		return nil, err
	}
	if p.Proposals, err = proposals.NewService(storage.NewProposalStore(db), core, proposals.Options{}); err != nil {
		return nil, err
	}
	if p.Questionnaires, err = questionnaire.NewService(storage.NewQuestionnaireStore(db), core, questionnaire.Options{Attributes: core}); err != nil {
		return nil, err
	}
	if p.Evaluation, err = evaluation.NewService(storage.NewEvaluationStore(db), core, evaluation.Options{}); err != nil {
		return nil, err
	}
	return p, nil
}

// ballotBox builds the ballot box. Its secret is read from a file, never
// from the database or a flag's value (which ps shows), as package
// ballotbox asks; without one, the elections that need it are refused.
func ballotBox(db *storage.DB, cfg config, core *participation.Service) (*ballotbox.Service, error) {
	var secret []byte
	if cfg.ballotSecretFile != "" {
		b, err := os.ReadFile(cfg.ballotSecretFile)
		if err != nil {
			return nil, fmt.Errorf("-ballot-secret-file: %w", err)
		}
		if secret = bytes.TrimSpace(b); len(secret) < ballotbox.MinSecretLen {
			return nil, fmt.Errorf("-ballot-secret-file %s: %d bytes, want at least %d", cfg.ballotSecretFile, len(secret), ballotbox.MinSecretLen)
		}
	}
	return ballotbox.NewService(storage.NewBallotBoxStore(db), ballotbox.Options{
		Secret: secret, Anonymity: cfg.ballotAnonymity,
		// Elections linked to a consultation admit voters by its rules.
		Gate: vote.NewGate(storage.NewVoteStore(db), core),
	})
}
