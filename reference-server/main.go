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
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/civickit/civickit"
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

// config is the server's configuration. Each setting is a flag; its
// default comes from the environment (CIVICKIT_ and the flag's name in
// capitals, "-" as "_"), else from the -config file (lines "name = value",
// "#" comments), else the built-in default. docs/configuration.md lists
// them all in one table (a test keeps it complete).
type config struct {
	addr        string
	dsn         string
	dbConns     int
	logLevel    slog.Level
	grace       time.Duration
	importRNA   string
	ban         []string
	metricsAddr string

	readHeaderTimeout, readTimeout, writeTimeout, idleTimeout time.Duration

	maxBody          int64
	rateIP, rateUser httpapi.Rate
	proxyHops        int
	corsOrigins      []string
	corsCredentials  bool
	frameAncestors   []string
	hsts             bool
	idempotencyTTL   time.Duration
	idempotencyStale time.Duration

	devAuth         bool
	sessionKeyFile  string
	insecureCookies bool
	oidcIssuer      string
	oidcClientID    string
	oidcSecretFile  string
	oidcRedirectURL string
	oidcACR         string
	embedKeysFile   string
	grantAdmin      []string

	// ballotSecretFile holds the ballot box's secret (ballotbox
	// Options.Secret): kept outside the database, the same for every
	// replica and for ever.
	ballotSecretFile string
	ballotAnonymity  int
}

// envName is the environment variable of a flag.
func envName(flag string) string {
	return "CIVICKIT_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// readConfigFile reads "name = value" lines.
func readConfigFile(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("-config: %w", err)
	}
	m := map[string]string{}
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("-config %s:%d: want name = value", path, i+1)
		}
		m[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return m, nil
}

// configFileArg finds -config in args or the environment before flags
// are parsed: its values are the flags' defaults.
func configFileArg(args []string, getenv func(string) string) string {
	for i, a := range args {
		a = strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if v, ok := strings.CutPrefix(a, "config="); ok {
			return v
		}
		if a == "config" && i+1 < len(args) {
			return args[i+1]
		}
	}
	return getenv(envName("config"))
}

// parseRate reads "PER_SECOND/BURST" ("0" or "" is no limit).
func parseRate(s string) (httpapi.Rate, error) {
	if s == "" || s == "0" {
		return httpapi.Rate{}, nil
	}
	ps, b, ok := strings.Cut(s, "/")
	perSecond, err1 := strconv.ParseFloat(ps, 64)
	burst, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || perSecond <= 0 || burst < 1 || math.IsInf(perSecond, 0) {
		return httpapi.Rate{}, fmt.Errorf("rate %q: want PER_SECOND/BURST, e.g. 10/20", s)
	}
	return httpapi.Rate{PerSecond: perSecond, Burst: burst}, nil
}

func splitList(s string) []string {
	var out []string
	for p := range strings.SplitSeq(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	file := map[string]string{}
	if path := configFileArg(args, getenv); path != "" {
		var err error
		if file, err = readConfigFile(path); err != nil {
			return c, err
		}
	}
	fs := flag.NewFlagSet("reference-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := func(name, fallback string) string {
		if v := getenv(envName(name)); v != "" {
			return v
		}
		if v, ok := file[name]; ok {
			return v
		}
		return fallback
	}
	str := func(p *string, name, fallback, usage string) {
		fs.StringVar(p, name, def(name, fallback), usage+" (env "+envName(name)+")")
	}
	var errs []error
	dur := func(p *time.Duration, name string, fallback time.Duration, usage string) {
		d, err := time.ParseDuration(def(name, fallback.String()))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", envName(name), err))
		}
		fs.DurationVar(p, name, d, usage+" (env "+envName(name)+")")
	}
	boolean := func(p *bool, name, usage string) {
		v, err := strconv.ParseBool(def(name, "false"))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", envName(name), err))
		}
		fs.BoolVar(p, name, v, usage+" (env "+envName(name)+")")
	}
	var level, ban, rateIP, rateUser, cors, frames, maxBody, hops, configPath, admins string
	str(&configPath, "config", "", "read settings from this file (name = value lines)")
	str(&c.addr, "addr", "127.0.0.1:8080", "listen address")
	str(&c.dsn, "dsn", storage.DefaultDSN, "database: sqlite:FILE, postgres://… or mysql://…")
	var dbConns string
	str(&dbConns, "db-max-conns", "0", "most database connections this replica opens (0: the engine's default); N replicas open up to N times this, which must stay under the server's max_connections")
	str(&level, "log-level", "info", "debug, info, warn or error")
	dur(&c.grace, "shutdown-grace", 10*time.Second, "time given to requests in flight at shutdown")
	str(&c.importRNA, "import-rna", "", "import this RNA open-data file (waldec or import layout) before serving; re-importing is idempotent")
	str(&ban, "ban", "", "comma-separated Base Adresse Nationale CSV files (adresses-XX.csv): geocode \"near me\" by address and the imported associations")
	str(&c.metricsAddr, "metrics-addr", "", "serve Prometheus metrics at /metrics on this address (e.g. 127.0.0.1:9090); empty: off")
	dur(&c.readHeaderTimeout, "read-header-timeout", 10*time.Second, "time to read a request's headers")
	dur(&c.readTimeout, "read-timeout", 30*time.Second, "time to read a whole request")
	dur(&c.writeTimeout, "write-timeout", 60*time.Second, "time to write an answer")
	dur(&c.idleTimeout, "idle-timeout", 2*time.Minute, "time a kept-alive connection may idle")
	str(&maxBody, "max-body", "1048576", "largest request body, in bytes (413 above)")
	str(&rateIP, "rate-ip", "50/100", "requests per second/burst per client address (0: no limit)")
	str(&rateUser, "rate-identity", "20/40", "requests per second/burst per signed-in caller (0: no limit)")
	str(&hops, "trust-proxy-hops", "0", "reverse proxies in front: the client address is this many entries from the right of X-Forwarded-For (0: the connection's)")
	str(&cors, "cors-origins", "", "comma-separated origins whose scripts may call the API (* for any, without credentials)")
	boolean(&c.corsCredentials, "cors-credentials", "let the CORS origins send cookies")
	str(&frames, "frame-ancestors", "", "comma-separated origins (portals) allowed to embed the server's pages in frames; empty: none")
	boolean(&c.hsts, "hsts", "send Strict-Transport-Security (behind TLS)")
	dur(&c.idempotencyTTL, "idempotency-ttl", 24*time.Hour, "how long answers stored by Idempotency-Key are kept")
	dur(&c.idempotencyStale, "idempotency-stale", time.Minute, "how long a key stays claimed by a request that has not answered (its replica may have died) before a retry runs it again")
	boolean(&c.devAuth, "dev-auth", "development login by X-Civickit-Dev-User/-Roles headers, from loopback only: NEVER in production")
	str(&c.sessionKeyFile, "session-key-file", "", "file holding the key (>= 32 bytes) that signs session cookies, the same on every replica; needed for OpenID Connect")
	boolean(&c.insecureCookies, "insecure-cookies", "session cookies without Secure, for http://localhost only")
	str(&c.oidcIssuer, "oidc-issuer", "", "OpenID Connect provider (issuer URL); empty: no login")
	str(&c.oidcClientID, "oidc-client-id", "", "this server's client ID at the provider")
	str(&c.oidcSecretFile, "oidc-client-secret-file", "", "file holding the client secret")
	str(&c.oidcRedirectURL, "oidc-redirect-url", "", "this server's public /auth/callback URL, as registered at the provider")
	str(&c.oidcACR, "oidc-acr-values", "", "assurance level asked of the provider (acr_values; FranceConnect: eidas1)")
	str(&c.embedKeysFile, "embed-keys-file", "", "file of \"portal key\" lines: the portals allowed to sign embed tokens, and their keys")
	str(&admins, "grant-administrator", "", "comma-separated participant IDs granted the administrator role at start (idempotent): how the first administrator is made")
	str(&c.ballotSecretFile, "ballot-secret-file", "", "file holding the ballot box's secret, at least 32 random bytes, the same for every replica and never changed; without it, elections that need it (revoting, anonymity sets) are refused")
	var anonymity string
	str(&anonymity, "ballot-anonymity", "0", "the ballot box's anonymity set k: casts are appended to the public board in shuffled batches of at least k (0: ballotbox.DefaultAnonymity)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.grantAdmin = splitList(admins)
	for _, id := range c.grantAdmin {
		if _, err := uuid.Parse(id); err != nil {
			errs = append(errs, fmt.Errorf("-grant-administrator %q: not a participant ID", id))
		}
	}
	for name := range file {
		if fs.Lookup(name) == nil {
			errs = append(errs, fmt.Errorf("-config: unknown setting %q", name))
		}
	}
	if fs.NArg() > 0 {
		errs = append(errs, fmt.Errorf("unexpected arguments: %v", fs.Args()))
	}
	if err := c.logLevel.UnmarshalText([]byte(level)); err != nil {
		errs = append(errs, fmt.Errorf("-log-level: %w", err))
	}
	c.ban = splitList(ban)
	if n, err := strconv.Atoi(dbConns); err != nil || n < 0 {
		errs = append(errs, fmt.Errorf("-db-max-conns %q: want 0 or more", dbConns))
	} else {
		c.dbConns = n
	}
	if n, err := strconv.Atoi(anonymity); err != nil || n < 0 {
		errs = append(errs, fmt.Errorf("-ballot-anonymity %q: want 0 or more", anonymity))
	} else {
		c.ballotAnonymity = n
	}
	c.corsOrigins, c.frameAncestors = splitList(cors), splitList(frames)
	var err error
	if c.maxBody, err = strconv.ParseInt(maxBody, 10, 64); err != nil || c.maxBody < 1024 {
		errs = append(errs, fmt.Errorf("-max-body %q: want a number of bytes >= 1024", maxBody))
	}
	if c.proxyHops, err = strconv.Atoi(hops); err != nil || c.proxyHops < 0 {
		errs = append(errs, fmt.Errorf("-trust-proxy-hops %q: want 0 or more", hops))
	}
	if c.rateIP, err = parseRate(rateIP); err != nil {
		errs = append(errs, fmt.Errorf("-rate-ip: %w", err))
	}
	if c.rateUser, err = parseRate(rateUser); err != nil {
		errs = append(errs, fmt.Errorf("-rate-identity: %w", err))
	}
	if c.oidcIssuer != "" && (c.sessionKeyFile == "" || c.oidcClientID == "" || c.oidcRedirectURL == "") {
		errs = append(errs, errors.New("-oidc-issuer needs -session-key-file, -oidc-client-id and -oidc-redirect-url"))
	}
	return c, errors.Join(errs...)
}

// readKey reads a secret file: at least 32 bytes, surrounding space
// trimmed.
func readKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimSpace(b)
	if len(b) < 32 {
		return nil, fmt.Errorf("%s: a key needs at least 32 bytes", path)
	}
	return b, nil
}

// readEmbedKeys reads "portal key" lines.
func readEmbedKeys(path string) (map[string][]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("-embed-keys-file: %w", err)
	}
	keys := map[string][]byte{}
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		portal, key, ok := strings.Cut(line, " ")
		if key = strings.TrimSpace(key); !ok || len(key) < 32 {
			return nil, fmt.Errorf("-embed-keys-file %s:%d: want \"portal key\" with a key of at least 32 bytes", path, i+1)
		}
		keys[portal] = []byte(key)
	}
	return keys, nil
}

// run serves until ctx is cancelled, then shuts down gracefully: /readyz
// answers 503 at once (load balancers drain the replica), requests in
// flight get the grace period. When ready is not nil it receives the
// listening address once the server accepts.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, ready chan<- string) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel}))

	db, err := storage.Open(ctx, storage.Config{DSN: cfg.dsn, MaxOpenConns: cfg.dbConns, Logger: log})
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
	if err := votes(db, part, box); err != nil {
		return err
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

	deps, err := identities(ctx, cfg, db, log)
	if err != nil {
		return err
	}
	var draining atomic.Bool
	deps.Associations, deps.OpenData, deps.Log, deps.Health = registry, openData, log, db.Bun().PingContext
	deps.Participation, deps.Elections = part, box
	deps.Ready = func(ctx context.Context) error {
		if draining.Load() {
			return errors.New("shutting down")
		}
		return db.Bun().PingContext(ctx)
	}
	deps.Limits = httpapi.Limits{MaxBody: cfg.maxBody, PerIP: cfg.rateIP, PerIdentity: cfg.rateUser, IdempotencyStale: cfg.idempotencyStale}
	if cfg.proxyHops > 0 {
		deps.Limits.ClientIP = httpapi.ForwardedFor(cfg.proxyHops)
	}
	deps.Security = httpapi.Security{FrameAncestors: cfg.frameAncestors, HSTS: cfg.hsts}
	deps.CORS = httpapi.CORS{Origins: cfg.corsOrigins, Credentials: cfg.corsCredentials}
	server := storage.NewServerStore(db)
	deps.Idempotency = server

	var metricsSrv *http.Server
	if cfg.metricsAddr != "" {
		reg := prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
		deps.Metrics = reg
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		mln, err := net.Listen("tcp", cfg.metricsAddr)
		if err != nil {
			return fmt.Errorf("-metrics-addr: %w", err)
		}
		metricsSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		go func() { _ = metricsSrv.Serve(mln) }()
		defer metricsSrv.Close()
		log.Info("metrics", "addr", mln.Addr().String())
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           httpapi.New(deps),
		ReadHeaderTimeout: cfg.readHeaderTimeout,
		ReadTimeout:       cfg.readTimeout,
		WriteTimeout:      cfg.writeTimeout,
		IdleTimeout:       cfg.idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go purgeIdempotency(ctx, server, cfg.idempotencyTTL, log)
	log.Info("serving", "addr", ln.Addr().String(), "engine", db.Engine(), "dev_auth", cfg.devAuth, "oidc", cfg.oidcIssuer != "")
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
	draining.Store(true)
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

// identities builds the accounts and the authenticators the
// configuration asks for: API tokens always; sessions and OpenID Connect
// with a session key and an issuer; embed tokens with portal keys; the
// development mode only with -dev-auth.
func identities(ctx context.Context, cfg config, db *storage.DB, log *slog.Logger) (httpapi.Deps, error) {
	var d httpapi.Deps
	accounts, err := httpapi.NewAccounts(httpapi.AccountsOptions{Store: storage.NewServerStore(db),
		EnsureParticipant: httpapi.EnsureParticipantIn(storage.NewParticipationStore(db), nil)})
	if err != nil {
		return d, err
	}
	d.Accounts = accounts
	server := storage.NewServerStore(db)
	for _, id := range cfg.grantAdmin {
		if err := server.AddGrant(ctx, uuid.MustParse(id), httpapi.Grant{Role: httpapi.RoleAdministrator}, time.Now()); err != nil {
			return d, fmt.Errorf("-grant-administrator: %w", err)
		}
		log.Info("administrator granted", "participant", id)
	}
	auths := []httpapi.Authenticator{httpapi.TokenAuth{Accounts: accounts}}
	if cfg.embedKeysFile != "" {
		keys, err := readEmbedKeys(cfg.embedKeysFile)
		if err != nil {
			return d, err
		}
		d.Embed = &httpapi.EmbedAuth{Accounts: accounts, Keys: keys}
		auths = append(auths, d.Embed)
	}
	if cfg.devAuth {
		log.Warn("development login on: anyone on this machine may act as anyone (-dev-auth)")
		auths = append(auths, httpapi.DevAuth{Accounts: accounts})
	}
	if cfg.sessionKeyFile != "" {
		key, err := readKey(cfg.sessionKeyFile)
		if err != nil {
			return d, fmt.Errorf("-session-key-file: %w", err)
		}
		d.Sessions = &httpapi.Sessions{Accounts: accounts, Key: key, Insecure: cfg.insecureCookies}
		auths = append(auths, d.Sessions)
	}
	if cfg.oidcIssuer != "" {
		var secret []byte
		if cfg.oidcSecretFile != "" {
			b, err := os.ReadFile(cfg.oidcSecretFile)
			if err != nil {
				return d, fmt.Errorf("-oidc-client-secret-file: %w", err)
			}
			secret = bytes.TrimSpace(b)
		}
		d.OIDC, err = httpapi.NewOIDC(ctx, httpapi.OIDCConfig{Issuer: cfg.oidcIssuer, ClientID: cfg.oidcClientID,
			ClientSecret: string(secret), RedirectURL: cfg.oidcRedirectURL, ACRValues: cfg.oidcACR,
			Assurance: map[string]civickit.AssuranceLevel{"eidas1": civickit.AssuranceLow, "eidas2": civickit.AssuranceSubstantial,
				"eidas3": civickit.AssuranceHigh}}, d.Sessions)
		if err != nil {
			return d, err
		}
	}
	d.Auth = httpapi.Authenticators(auths...)
	return d, nil
}

// purgeIdempotency forgets, every hour, the answers stored by
// idempotency key longer ago than ttl.
func purgeIdempotency(ctx context.Context, st httpapi.IdempotencyStore, ttl time.Duration, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := st.PurgeIdempotencyKeys(ctx, time.Now().Add(-ttl)); err != nil && ctx.Err() == nil {
			log.Warn("idempotency purge failed", "err", err)
		} else if n > 0 {
			log.Info("idempotency keys purged", "n", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
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
	return p, nil
}

// votes adds package vote to part, over the ballot box built with its
// Gate (ballotBox), and the evaluation, which shows the votes' outcomes.
func votes(db *storage.DB, part *httpapi.Participation, box *ballotbox.Service) error {
	var err error
	if part.Votes, err = vote.NewService(storage.NewVoteStore(db), part.Core, box, vote.Options{}); err != nil {
		return err
	}
	part.Evaluation, err = evaluation.NewService(storage.NewEvaluationStore(db), part.Core, evaluation.Options{Outcomes: part.Votes})
	return err
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
