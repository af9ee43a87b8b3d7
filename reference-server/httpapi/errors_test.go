package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/civickit/civickit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEveryKindHasAStatus(t *testing.T) {
	want := map[*civickit.Kind]int{
		civickit.ErrInvalid:         http.StatusBadRequest,
		civickit.ErrNotFound:        http.StatusNotFound,
		civickit.ErrConflict:        http.StatusConflict,
		civickit.ErrUnauthenticated: http.StatusUnauthorized,
		civickit.ErrForbidden:       http.StatusForbidden,
		civickit.ErrWrongState:      http.StatusConflict,
		civickit.ErrTooLarge:        http.StatusRequestEntityTooLarge,
		civickit.ErrUnavailable:     http.StatusServiceUnavailable,
	}
	require.Len(t, want, len(civickit.Kinds()), "a new kind needs a row in statusOf")
	for _, k := range civickit.Kinds() {
		refined := civickit.Sentinel(k, "some domain: refined "+k.Name())
		for _, err := range []error{k, fmt.Errorf("op: %w", refined)} {
			p := problemOf(err)
			assert.Equal(t, want[k], p.Status, "%v", err)
			assert.Equal(t, k.Name(), p.Kind)
			assert.NotContains(t, p.Title, "some domain", "error texts never reach the client")
			assert.Empty(t, p.Detail)
		}
	}
}

func TestProblemOfAValidationError(t *testing.T) {
	ve := &civickit.ValidationError{}
	ve.Add("answers.budget", "max", "1000")
	p := problemOf(fmt.Errorf("submit: %w", ve))
	assert.Equal(t, http.StatusBadRequest, p.Status)
	assert.Equal(t, []civickit.FieldError{{Path: "answers.budget", Rule: "max", Param: "1000"}}, p.Errors)
}

func TestUnknownErrorIsAnOpaque500(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	secret := errors.New(`pq: relation "civickit_people" does not exist at /srv/app`)
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/api/v1/x?lat=48.85&lon=2.35", nil)
	writeError(rec, r, log, secret)

	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
	assert.NotContains(t, rec.Body.String(), "civickit_people")
	var p Problem
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	assert.Equal(t, Problem{Type: "about:blank", Title: "Internal error", Status: 500}, p)
	assert.Contains(t, logs.String(), "civickit_people", "the cause goes to the log")
	assert.NotContains(t, logs.String(), "48.85", "the query string does not")
}

func TestUnroutedRequestsAreProblems(t *testing.T) {
	var logs bytes.Buffer
	h := New(Deps{Log: slog.New(slog.NewTextHandler(&logs, nil))})
	tests := []struct {
		method, target string
		status         int
		allow          string
		location       string
	}{
		{http.MethodGet, "/no/such/route", http.StatusNotFound, "", ""},
		{http.MethodGet, "/api/v1/associations", http.StatusNotFound, "", ""}, // no associations service mounted
		{http.MethodPost, "/healthz", http.StatusMethodNotAllowed, "GET, HEAD", ""},
		{http.MethodDelete, "/", http.StatusMethodNotAllowed, "GET, HEAD", ""},
		{http.MethodGet, "/a/../healthz", http.StatusTemporaryRedirect, "", "/healthz"}, // ServeMux cleans the path
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.target, nil))
			assert.Equal(t, tt.status, rec.Code)
			if tt.location != "" {
				assert.Equal(t, tt.location, rec.Header().Get("Location"))
				return
			}
			assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
			assert.Equal(t, tt.allow, rec.Header().Get("Allow"))
			var p Problem
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p), rec.Body.String())
			assert.Equal(t, tt.status, p.Status)
		})
	}
}

func TestPanicsBecome500Problems(t *testing.T) {
	var logs bytes.Buffer
	a := &api{log: slog.New(slog.NewTextHandler(&logs, nil))}
	h := a.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("index out of range") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/boom", nil))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.NotContains(t, rec.Body.String(), "index out of range")
	assert.Contains(t, logs.String(), "index out of range")
}

func TestRoutesAreAllServed(t *testing.T) {
	h := New(Deps{})
	for _, rt := range Routes(Deps{}) {
		rec := httptest.NewRecorder()
		path := rt.Pattern
		if path == "/{$}" {
			path = "/"
		}
		h.ServeHTTP(rec, httptest.NewRequest(rt.Method, path, nil))
		assert.NotEqual(t, http.StatusNotFound, rec.Code, "%s %s", rt.Method, rt.Pattern)
		assert.NotEqual(t, http.StatusMethodNotAllowed, rec.Code, "%s %s", rt.Method, rt.Pattern)
	}
}
