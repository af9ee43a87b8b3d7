package httpapi

import (
	"net/http"
	"strconv"

	"github.com/civickit/civickit"
)

// queryParams reads typed query parameters, collecting every bad one
// into one ValidationError.
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

func (q *queryParams) err() error { return q.errs.Err() }
