package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRouter sends arbitrary methods, paths and query strings to the
// whole handler: whatever arrives, the answer is never a 5xx, and it is
// JSON (a problem document for errors) unless it is the HTML home page or
// a redirect to a cleaned path.
func FuzzRouter(f *testing.F) {
	srv, _ := newTestServer(f)
	h := srv.Config.Handler
	for _, seed := range []struct{ method, target string }{
		{"GET", "/api/v1/associations?q=f%C3%AAtes&limit=2"},
		{"GET", "/api/v1/associations/near?lat=48.85&lon=2.35&radius_m=1e9"},
		{"GET", "/api/v1/associations/near?lat=NaN&lon=Inf&radius_m=-1"},
		{"GET", "/api/v1/associations?after=eyJrIjoiIiwiaSI6IjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMCJ9"},
		{"GET", "/api/v1/associations/rna/W751000001"},
		{"PATCH", "/api/v1/associations/00000000-0000-0000-0000-000000000001"},
		{"GET", "/api/v1/associations?category=%ff&limit=-1&status=%00"},
		{"GET", "/%2e%2e/healthz"},
	} {
		f.Add(seed.method, seed.target)
	}
	f.Fuzz(func(t *testing.T, method, target string) {
		if !strings.HasPrefix(target, "/") {
			target = "/" + target
		}
		r, err := http.NewRequest(method, "http://civickit.test"+target, nil)
		if err != nil {
			return // not a request a client could send
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code >= 500 {
			t.Fatalf("%s %s: %d %s", method, target, rec.Code, rec.Body.String())
		}
		ct := rec.Header().Get("Content-Type")
		switch {
		case rec.Code >= 300 && rec.Code < 400:
		case strings.HasPrefix(ct, "text/html"):
		case ct == "application/problem+json" || strings.HasPrefix(ct, "application/json"):
			if method != http.MethodHead && !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("%s %s: invalid JSON body %q", method, target, rec.Body.String())
			}
		default:
			t.Fatalf("%s %s: %d with content type %q", method, target, rec.Code, ct)
		}
	})
}
