package httpapi

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestMetricsAndLogs: requests are counted by route pattern and status,
// unrouted ones under one label; the log line names the pattern, never
// the path or the query.
func TestMetricsAndLogs(t *testing.T) {
	reg := prometheus.NewRegistry()
	var logs bytes.Buffer
	h := New(Deps{Metrics: reg, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	for _, target := range []string{"/healthz?who=ana@example.org", "/healthz", "/no/such/ana", "/no/such/bob"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, target, nil))
	}
	want := `
# HELP civickit_http_requests_total HTTP requests answered, by method, route pattern and status.
# TYPE civickit_http_requests_total counter
civickit_http_requests_total{method="GET",route="GET /healthz",status="200"} 2
civickit_http_requests_total{method="GET",route="unrouted",status="404"} 2
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "civickit_http_requests_total"); err != nil {
		t.Fatal(err)
	}
	if n := testutil.CollectAndCount(reg, "civickit_http_request_duration_seconds"); n != 2 {
		t.Fatalf("%d latency series, want 2", n)
	}
	for _, secret := range []string{"ana", "bob", "who="} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("the log carries %q:\n%s", secret, logs.String())
		}
	}
	if !strings.Contains(logs.String(), `route="GET /healthz"`) {
		t.Fatalf("no route in the log:\n%s", logs.String())
	}
}

// TestReadyz: /readyz follows Ready (main turns it false at SIGTERM),
// /healthz does not.
func TestReadyz(t *testing.T) {
	var draining bool
	h := New(Deps{Ready: func(context.Context) error {
		if draining {
			return errors.New("shutting down")
		}
		return nil
	}})
	status := func(path string) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec.Code
	}
	if status("/readyz") != 200 || status("/healthz") != 200 {
		t.Fatal("not ready at start")
	}
	draining = true
	if status("/readyz") != http.StatusServiceUnavailable || status("/healthz") != 200 {
		t.Fatal("readyz does not drain, or healthz does")
	}
}
