package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/civickit/civickit"
)

// Errors of the HTTP layer itself, refining the kernel's kinds.
var (
	errNoRoute = civickit.Sentinel(civickit.ErrNotFound, "httpapi: no such route")
	errMethod  = civickit.Sentinel(civickit.ErrWrongState, "httpapi: method not allowed")
)

// statusOf maps errors to statuses and titles: the one table of the HTTP
// layer. Rows are tried in order, the HTTP layer's own refinements before
// the kernel's kinds; an error of no kind is a 500.
var statusOf = []struct {
	err    error
	status int
	title  string
}{
	{errNoRoute, http.StatusNotFound, "Not found"},
	{errMethod, http.StatusMethodNotAllowed, "Method not allowed"},
	{errMediaType, http.StatusUnsupportedMediaType, "Unsupported media type"},
	{errBodyTooBig, http.StatusRequestEntityTooLarge, "Request body too large"},
	{errRateLimited, http.StatusTooManyRequests, "Too many requests"},
	{errKeyReused, http.StatusUnprocessableEntity, "Idempotency key reused with another body"},
	{errCSRF, http.StatusForbidden, "Missing or wrong CSRF token"},
	{civickit.ErrInvalid, http.StatusBadRequest, "Invalid request"},
	{civickit.ErrNotFound, http.StatusNotFound, "Not found"},
	{civickit.ErrConflict, http.StatusConflict, "Conflict"},
	{civickit.ErrUnauthenticated, http.StatusUnauthorized, "Authentication required"},
	{civickit.ErrForbidden, http.StatusForbidden, "Forbidden"},
	{civickit.ErrWrongState, http.StatusConflict, "Not allowed in the current phase or state"},
	{civickit.ErrTooLarge, http.StatusRequestEntityTooLarge, "Too large"},
	{civickit.ErrUnavailable, http.StatusServiceUnavailable, "Temporarily unavailable"},
}

// Problem is an RFC 9457 problem document with civickit's extensions:
// the error kind and, for invalid input, every broken rule.
type Problem struct {
	Type   string                `json:"type"`
	Title  string                `json:"title"`
	Status int                   `json:"status"`
	Detail string                `json:"detail,omitempty"`
	Kind   string                `json:"kind,omitempty"`
	Errors []civickit.FieldError `json:"errors,omitempty"`
}

// problemOf builds the problem document of err. Only the table's titles
// and the field errors reach the client: error texts may carry internal
// details (SQL, paths, other people's data).
func problemOf(err error) Problem {
	p := Problem{Type: "about:blank", Status: http.StatusInternalServerError, Title: "Internal error"}
	for _, row := range statusOf {
		if errors.Is(err, row.err) {
			p.Status, p.Title = row.status, row.title
			break
		}
	}
	if k := civickit.KindOf(err); k != nil {
		p.Kind = k.Name()
	}
	if fields := civickit.FieldErrors(err); len(fields) > 0 {
		p.Errors = fields
		p.Detail = "one or more fields break a rule"
	}
	return p
}

// StatusClientClosedRequest is the status logged when the client
// disconnected before its answer was ready.
const StatusClientClosedRequest = 499

// writeError answers with err's problem document; a failure of no kind is
// logged (without the query string) and answered with a bare 500.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	if r.Context().Err() != nil {
		// The client went away (or the server is shutting down): not a
		// server failure. 499 (nginx's "client closed request") shows in
		// the request log; the client reads nothing.
		log.Info("client disconnected", "method", r.Method, "pattern", r.Pattern, "path", r.URL.Path)
		writeProblem(w, Problem{Type: "about:blank", Title: "Client closed request", Status: StatusClientClosedRequest})
		return
	}
	p := problemOf(err)
	if p.Status >= 500 {
		log.Error("request failed", "method", r.Method, "pattern", r.Pattern, "path", r.URL.Path, "err", err)
	}
	writeProblem(w, p)
}

func writeProblem(w http.ResponseWriter, p Problem) {
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Del("Content-Length")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p) // the client may have gone; nothing to do
}
