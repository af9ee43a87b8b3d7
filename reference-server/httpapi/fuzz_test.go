package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

// internalWords never reach a client: they would be a driver's, the
// runtime's or a decoder's own words.
var internalWords = []string{"sql", "bun:", "panic", "runtime error", "json:", "goroutine", "pgx", "mysql", "sqlite", "nil pointer"}

// checkAnswer is what every answer must be, whatever was sent: no 5xx,
// JSON (a problem document for errors) unless it is an HTML page, a
// document in another format asked for, or a redirect; and no internal
// wording in problems.
func checkAnswer(t *testing.T, what string, rec *httptest.ResponseRecorder, method string) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("%s: %d %s", what, rec.Code, rec.Body.String())
	}
	ct := rec.Header().Get("Content-Type")
	switch {
	case rec.Code >= 300 && rec.Code < 400, rec.Code == http.StatusNoContent, rec.Code == http.StatusNotModified:
	case ct == "application/problem+json":
		if method != http.MethodHead && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s: invalid problem %q", what, rec.Body.String())
		}
		low := strings.ToLower(rec.Body.String())
		for _, w := range internalWords {
			if strings.Contains(low, w) {
				t.Fatalf("%s: internal wording %q in %s", what, w, rec.Body.String())
			}
		}
	case strings.HasPrefix(ct, "application/json"):
		if method != http.MethodHead && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s: invalid JSON body %q", what, rec.Body.String())
		}
	case strings.HasPrefix(ct, "text/html"), strings.HasPrefix(ct, "text/turtle"), strings.HasPrefix(ct, "application/ld+json"),
		strings.HasPrefix(ct, "application/rdf+xml"), strings.HasPrefix(ct, "application/n-triples"), strings.HasPrefix(ct, "text/calendar"):
	default:
		t.Fatalf("%s: %d with content type %q", what, rec.Code, ct)
	}
}

// FuzzRouter sends arbitrary methods, paths, query strings, callers,
// content types, idempotency keys and bodies to the whole handler with
// every service configured: whatever arrives, the answer is never a 5xx
// nor an internal message (see checkAnswer).
func FuzzRouter(f *testing.F) {
	env := newFullEnv(f)
	h := env.handler
	for _, seed := range []struct {
		method, target, caller, ct, key string
		body                            []byte
	}{
		{"GET", "/api/v1/associations?q=f%C3%AAtes&limit=2", "", "", "", nil},
		{"GET", "/api/v1/associations/near?lat=48.85&lon=2.35&radius_m=1e9", "", "", "", nil},
		{"GET", "/api/v1/associations/near?lat=NaN&lon=Inf&radius_m=-1", "", "", "", nil},
		{"GET", "/api/v1/associations?after=eyJrIjoiIiwiaSI6IjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMCJ9", "", "", "", nil},
		{"GET", "/api/v1/associations/rna/W751000001", "", "", "", nil},
		{"PATCH", "/api/v1/associations/00000000-0000-0000-0000-000000000001", "", "", "", nil},
		{"GET", "/api/v1/associations?category=%ff&limit=-1&status=%00", "", "", "", nil},
		{"GET", "/%2e%2e/healthz", "", "", "", nil},
		{"POST", "/api/v1/admin/tokens", "global-administrator", "application/json", "k1", []byte(`{"name":"x","grants":[{"role":"operator"}]}`)},
		{"POST", "/api/v1/admin/tokens", "global-administrator", "application/json", "k1", []byte(`{"name":"x","grants":[{"role":"god"}]}`)},
		{"POST", "/api/v1/admin/grants", "global-administrator", "application/json", "", []byte(`{"participant_id":"zzz","role":"moderator"}`)},
		{"POST", "/api/v1/admin/grants/revoke", "global-administrator", "application/json; charset=latin1", "", []byte("{\"role\":\"\xff\"}")},
		{"POST", "/api/3/action/package_search", "", "application/json", "", []byte(`{"rows":1e308,"start":-1}`)},
		{"POST", "/auth/logout", "global-participant", "text/plain", "key with space", []byte("x")},
		{"GET", "/api/openapi.json", "nobody", "", "", nil},
	} {
		f.Add(seed.method, seed.target, seed.caller, seed.ct, seed.key, seed.body)
	}
	f.Fuzz(func(t *testing.T, method, target, caller, ct, key string, body []byte) {
		if !strings.HasPrefix(target, "/") {
			target = "/" + target
		}
		r, err := http.NewRequest(method, "http://civickit.test"+target, bytes.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		for name, v := range map[string]string{"X-Test-User": caller, "Content-Type": ct, "Idempotency-Key": key} {
			if v != "" && utf8.ValidString(v) && !strings.ContainsAny(v, "\r\n\x00") {
				r.Header.Set(name, v)
			}
		}
		r.RemoteAddr = "192.0.2.1:1234"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		checkAnswer(t, method+" "+target, rec, method)
	})
}
