package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
)

// Deps are what the HTTP layer needs; every field is required except Log.
type Deps struct {
	Associations *associations.Service
	Log          *slog.Logger
	// Health checks the database for /healthz.
	Health func(ctx context.Context) error
}

type server struct {
	assoc  *associations.Service
	log    *slog.Logger
	health func(ctx context.Context) error
}

// NewServer returns the reference portal's HTTP handler.
func NewServer(d Deps) http.Handler {
	s := &server{assoc: d.Associations, log: d.Log, health: d.Health}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	mux := http.NewServeMux()
	s.routes(mux)
	return s.logRequests(mux)
}

// logRequests logs method, path pattern and status — never query strings,
// which may carry a person's position or search terms.
func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "pattern", r.Pattern, "status", rec.status)
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

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the client may have gone; nothing to do
}

// problem is an RFC 9457 problem details body with field-level errors.
type problem struct {
	Type   string                `json:"type"`
	Title  string                `json:"title"`
	Status int                   `json:"status"`
	Detail string                `json:"detail,omitempty"`
	Errors []civickit.FieldError `json:"errors,omitempty"`
}

// errorStatus maps domain sentinels to HTTP statuses, in one table.
var errorStatus = []struct {
	err    error
	status int
	title  string
}{
	{associations.ErrInvalid, http.StatusBadRequest, "Invalid request"},
	{associations.ErrNotFound, http.StatusNotFound, "Not found"},
	{associations.ErrConflict, http.StatusConflict, "Conflict"},
	{associations.ErrIllegalTransition, http.StatusConflict, "Not allowed in the current state"},
	{associations.ErrUnavailable, http.StatusServiceUnavailable, "Temporarily unavailable"},
}

// writeError answers with a problem document; internal messages stay in
// the server's log.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	p := problem{Type: "about:blank", Status: http.StatusInternalServerError, Title: "Internal error"}
	for _, e := range errorStatus {
		if errors.Is(err, e.err) {
			p.Status, p.Title = e.status, e.title
			break
		}
	}
	var ve *civickit.ValidationError
	if errors.As(err, &ve) {
		p.Errors = ve.Fields
		p.Detail = "one or more fields break a rule"
	}
	if p.Status >= 500 {
		s.log.Error("request failed", "pattern", r.Pattern, "err", err)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// queryParams reads typed query parameters, collecting every bad one.
type queryParams struct {
	r    *http.Request
	errs civickit.ValidationError
}

func (q *queryParams) str(name string) string { return q.r.URL.Query().Get(name) }

func (q *queryParams) int(name string) int {
	s := q.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		q.errs.Add(name, "non_negative_integer", "")
	}
	return n
}

func (q *queryParams) float(name string, required bool) float64 {
	s := q.str(name)
	if s == "" {
		if required {
			q.errs.Add(name, "required", "")
		}
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		q.errs.Add(name, "number", "")
	}
	return f
}

func (q *queryParams) err() error {
	if len(q.errs.Fields) == 0 {
		return nil
	}
	return &q.errs
}

func (q *queryParams) filter() associations.Filter {
	return associations.Filter{
		Text:        q.str("q"),
		Category:    q.str("category"),
		Status:      associations.Status(q.str("status")),
		CommuneCode: q.str("commune"),
		PostalCode:  q.str("postal_code"),
		Department:  q.str("department"),
	}
}
