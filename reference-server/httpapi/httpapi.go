package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/prometheus/client_golang/prometheus"
)

// Deps are the services the handlers call. A nil service leaves its
// domain's routes out, so a portal mounts only what it uses.
type Deps struct {
	Associations *associations.Service
	// OpenData serves the open-data routes (see OpenData); nil leaves
	// them out.
	OpenData *OpenData
	// Participation serves consultations, debate, questionnaires and
	// evaluation (see Participation); nil leaves them out.
	Participation *Participation
	// Elections serves the ballot box's routes (elections, casting,
	// receipts, the board, results, access points and paper); nil leaves
	// them out.
	Elections *ballotbox.Service
	// Health checks what the server depends on (the database) for
	// GET /healthz; nil answers ok.
	Health func(ctx context.Context) error
	// Ready reports whether the server takes traffic (GET /readyz, with
	// Health): main turns it false when shutting down.
	Ready func(ctx context.Context) error
	// Auth finds who sends each request; nil treats every caller as
	// anonymous, so routes that need a role answer 401.
	Auth Authenticator
	// Limits bound bodies and callers' request rates (see Limits).
	Limits Limits
	// Security sets the browser security headers; CORS the origins
	// allowed to call the API from scripts.
	Security Security
	CORS     CORS
	// Idempotency stores the answers of POSTs sent with an
	// Idempotency-Key (storage.ServerStore); nil keeps them in memory,
	// for one process only.
	Idempotency IdempotencyStore
	// Accounts links identities to participants and keeps grants and API
	// tokens; it adds the admin routes (tokens, grants). Sessions and
	// OIDC add the login routes. The authenticators themselves go in
	// Auth (see Authenticators).
	Accounts *Accounts
	Sessions *Sessions
	OIDC     *OIDC
	// Embed, with Sessions, adds GET /auth/embed: an embed token in the
	// URL of a frame becomes a session confined to its scope (put it in
	// Auth too, for portals that call the API with the header).
	Embed *EmbedAuth
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Metrics registers the HTTP metrics (requests by route pattern and
	// status, latency, requests in flight); nil: none. main serves them
	// on their own address.
	Metrics prometheus.Registerer
	// Log receives one line per request (method, route pattern, status;
	// never the query string, which may carry a position or a search) and
	// the failures of no kind; nil discards.
	Log *slog.Logger
}

type api struct {
	assoc  *associations.Service
	od     *OpenData
	part   *Participation
	auth   Authenticator
	health func(ctx context.Context) error
	ready  func(ctx context.Context) error
	log    *slog.Logger
	box    *ballotbox.Service

	limits      Limits
	maxBody     int64
	perIP       *limiter
	perIdentity *limiter
	security    Security
	cors        CORS
	idem        IdempotencyStore
	now         func() time.Time
	accounts    *Accounts
	sessions    *Sessions
	oidc        *OIDC
	embed       *EmbedAuth
	metrics     *metrics

	openAPIOnce sync.Once
	openAPIDoc  map[string]any
}

// New returns the reference server's HTTP handler.
func New(d Deps) http.Handler {
	a := newAPI(d)
	return a.serve(a.routes())
}

// serve is the handler of routes with every middleware.
func (a *api) serve(routes []Route) http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routes {
		mux.HandleFunc(rt.Method+" "+rt.Pattern, a.guard(rt))
	}
	return a.logRequests(a.recoverPanics(a.discipline(problemsForUnrouted(mux))))
}

// newAPI fills the defaults of d.
func newAPI(d Deps) *api {
	a := &api{assoc: d.Associations, od: d.OpenData, part: d.Participation, box: d.Elections, auth: d.Auth, health: d.Health, ready: d.Ready, log: d.Log,
		limits: d.Limits, security: d.Security, cors: d.CORS, idem: d.Idempotency, now: d.Now,
		accounts: d.Accounts, sessions: d.Sessions, oidc: d.OIDC, embed: d.Embed, metrics: newMetrics(d.Metrics)}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.maxBody = a.limits.MaxBody; a.maxBody <= 0 {
		a.maxBody = defaultMaxBody
	}
	if a.limits.ClientIP == nil {
		a.limits.ClientIP = remoteIP
	}
	if a.limits.IdempotencyStale <= 0 {
		a.limits.IdempotencyStale = time.Minute
	}
	if a.limits.IdempotencyWait <= 0 {
		a.limits.IdempotencyWait = 10 * time.Second
	}
	if a.idem == nil {
		a.idem = NewMemoryIdempotency()
	}
	a.perIP = newLimiter(a.limits.PerIP, a.now)
	a.perIdentity = newLimiter(a.limits.PerIdentity, a.now)
	return a
}

func (a *api) clientIP(r *http.Request) string { return a.limits.ClientIP(r) }

// Route is one entry of the route table.
type Route struct {
	Method  string
	Pattern string
	// Summary says what the route answers, for documentation.
	Summary string
	// Access is the least role the route needs (RoleAnonymous: anyone).
	Access Role
	// Scope names the path wildcard holding the consultation or election
	// a scoped grant must match ("" when only global grants count).
	Scope string
	// Body and Answer are values of the request body's and the answer's
	// types, for the API's documentation; nil when there is none.
	Body, Answer any
	handler      http.HandlerFunc
}

// Routes lists the routes New serves for d, in routes.go's order.
func Routes(d Deps) []Route {
	return newAPI(d).routes()
}

// problemsForUnrouted answers a request no route matches with a problem
// document: 404, or 405 with the Allow header when the path exists with
// other methods. ServeMux itself would answer in text/plain.
func problemsForUnrouted(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		// Let the mux decide between 404, 405 and a redirect (a path
		// to clean), without letting it write its text/plain body.
		rec := &headerRecorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		switch rec.status {
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", rec.header.Get("Allow"))
			writeProblem(w, problemOf(fmt.Errorf("%s %s: %w", r.Method, r.URL.Path, errMethod)))
		case http.StatusMovedPermanently, http.StatusPermanentRedirect, http.StatusTemporaryRedirect, http.StatusFound:
			http.Redirect(w, r, rec.header.Get("Location"), rec.status)
		default:
			writeProblem(w, problemOf(errNoRoute))
		}
	})
}

// headerRecorder keeps the status and headers a handler sets and drops
// its body.
type headerRecorder struct {
	header http.Header
	status int
}

func (r *headerRecorder) Header() http.Header { return r.header }
func (r *headerRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *headerRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return len(b), nil
}

// recoverPanics turns a handler's panic into a logged 500 problem, so
// that one bad request never takes the connection's answer with it.
func (a *api) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				writeError(w, r, a.log, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// logRequests logs method, route pattern, status and duration, and
// counts them in the metrics — never the path nor the query string, which
// may carry a person's position, search terms or an ID.
func (a *api) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		if a.metrics != nil {
			a.metrics.inFlight.Inc()
			defer a.metrics.inFlight.Dec()
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		took := time.Since(start)
		a.metrics.observe(r, rec.status, took)
		a.log.Info("request", "method", r.Method, "route", routeLabel(r), "status", rec.status,
			"ms", float64(took.Microseconds())/1000)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
