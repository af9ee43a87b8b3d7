package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type echoBody struct {
	Name  string   `json:"name"`
	Count int      `json:"count"`
	Tags  []string `json:"tags,omitempty"`
}

// clock is a test clock moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// disciplineServer serves POST /echo (decodeBody, counted effects),
// POST /fail (a 500 the first time) and GET /open.
func disciplineServer(d Deps) (http.Handler, *atomic.Int64) {
	var effects atomic.Int64
	var fails atomic.Int64
	a := newAPI(d)
	echo := func(w http.ResponseWriter, r *http.Request) {
		var b echoBody
		if err := decodeBody(w, r, &b); err != nil {
			writeError(w, r, a.log, err)
			return
		}
		n := effects.Add(1)
		if b.Name == "same" {
			time.Sleep(5 * time.Millisecond) // let duplicates arrive while it runs
		}
		writeJSON(w, http.StatusCreated, map[string]any{"name": b.Name, "effect": n})
	}
	h := a.serve([]Route{
		{Method: http.MethodPost, Pattern: "/echo", Access: RoleAnonymous, handler: echo},
		{Method: http.MethodPost, Pattern: "/things/{id}/echo", Access: RoleAnonymous, handler: echo},
		{Method: http.MethodPost, Pattern: "/fail", handler: func(w http.ResponseWriter, r *http.Request) {
			if fails.Add(1) == 1 {
				writeError(w, r, a.log, fmt.Errorf("database down"))
				return
			}
			writeJSON(w, http.StatusOK, map[string]int64{"attempt": fails.Load()})
		}},
		{Method: http.MethodGet, Pattern: "/open", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, map[string]string{"ok": "yes"})
		}},
	})
	return h, &effects
}

func post(h http.Handler, path, ct, body string, hdr map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	if ct != "" {
		r.Header.Set("Content-Type", ct)
	}
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func problemFields(t *testing.T, rec *httptest.ResponseRecorder) Problem {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q: %s", ct, rec.Body.String())
	}
	var p Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDecodeBody(t *testing.T) {
	h, effects := disciplineServer(Deps{Limits: Limits{MaxBody: 200}})
	for _, tc := range []struct {
		name, ct, body string
		status         int
		field, rule    string
	}{
		{"ok", "application/json", `{"name":"a","count":2}`, 201, "", ""},
		{"json suffix and charset", "application/merge-patch+json; charset=utf-8", `{"name":"a"}`, 201, "", ""},
		{"no content type", "", `{"name":"a"}`, 415, "Content-Type", "media_type"},
		{"form", "application/x-www-form-urlencoded", `name=a`, 415, "Content-Type", "media_type"},
		{"bad media type", "application/", `{}`, 415, "Content-Type", "media_type"},
		{"too large", "application/json", `{"name":"` + strings.Repeat("a", 300) + `"}`, 413, "body", "max_bytes"},
		{"unknown field", "application/json", `{"name":"a","admin":true}`, 400, "admin", "unknown_field"},
		{"wrong type", "application/json", `{"count":"two"}`, 400, "count", "type"},
		{"nested wrong type", "application/json", `{"tags":[1]}`, 400, "tags", "type"},
		{"syntax", "application/json", `{"name":`, 400, "body", "json"},
		{"NaN", "application/json", `{"count":NaN}`, 400, "body", "json"},
		{"huge number", "application/json", `{"count":1e400}`, 400, "count", "type"},
		{"trailing data", "application/json", `{"name":"a"} {"name":"b"}`, 400, "body", "single_json_value"},
		{"trailing garbage", "application/json", `{"name":"a"}x`, 400, "body", "single_json_value"},
		{"empty", "application/json", ``, 400, "body", "required"},
		{"invalid utf-8", "application/json", "{\"name\":\"\xff\xfe\"}", 400, "body", "utf8"},
		{"not an object", "application/json", `[1,2]`, 400, "body", "type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := effects.Load()
			rec := post(h, "/echo", tc.ct, tc.body, nil)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body.String())
			}
			if tc.status == 201 {
				return
			}
			if effects.Load() != before {
				t.Fatal("the handler acted on a refused body")
			}
			p := problemFields(t, rec)
			if len(p.Errors) != 1 || p.Errors[0].Path != tc.field || p.Errors[0].Rule != tc.rule {
				t.Fatalf("errors %+v, want %s/%s", p.Errors, tc.field, tc.rule)
			}
			if strings.Contains(rec.Body.String(), "json:") || strings.Contains(rec.Body.String(), "\\ufffd") {
				t.Fatalf("internal wording in %s", rec.Body.String())
			}
		})
	}
}

func TestIdempotencyKey(t *testing.T) {
	h, effects := disciplineServer(Deps{})
	key := map[string]string{"Idempotency-Key": "order-1"}
	first := post(h, "/echo", "application/json", `{"name":"a"}`, key)
	if first.Code != 201 {
		t.Fatalf("first: %d %s", first.Code, first.Body.String())
	}
	again := post(h, "/echo", "application/json", `{"name":"a"}`, key)
	if again.Code != 201 || again.Body.String() != first.Body.String() || again.Header().Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %q %q", again.Code, again.Body.String(), again.Header().Get("Idempotent-Replayed"))
	}
	if again.Header().Get("Content-Type") != first.Header().Get("Content-Type") {
		t.Fatal("content type not replayed")
	}
	if n := effects.Load(); n != 1 {
		t.Fatalf("%d effects, want 1", n)
	}
	other := post(h, "/echo", "application/json", `{"name":"b"}`, key)
	if other.Code != http.StatusUnprocessableEntity {
		t.Fatalf("other body: %d %s", other.Code, other.Body.String())
	}
	if p := problemFields(t, other); p.Kind != "conflict" {
		t.Fatalf("kind %q", p.Kind)
	}
	// Another caller (address) with the same key is another request.
	r := httptest.NewRequest(http.MethodPost, "/echo", strings.NewReader(`{"name":"a"}`))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Idempotency-Key", "order-1")
	r.RemoteAddr = "192.0.2.9:1234"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code != 201 || effects.Load() != 2 {
		t.Fatalf("other caller: %d, %d effects", rec.Code, effects.Load())
	}
	for _, bad := range []string{"has space", strings.Repeat("k", 101), "é"} {
		rec := post(h, "/echo", "application/json", `{"name":"a"}`, map[string]string{"Idempotency-Key": bad})
		if rec.Code != 400 || problemFields(t, rec).Errors[0].Path != "Idempotency-Key" {
			t.Fatalf("key %q: %d %s", bad, rec.Code, rec.Body.String())
		}
	}
	// A 5xx is not stored: the retry runs.
	k2 := map[string]string{"Idempotency-Key": "f-1"}
	if rec := post(h, "/fail", "application/json", `{}`, k2); rec.Code != 500 {
		t.Fatalf("fail: %d", rec.Code)
	}
	if rec := post(h, "/fail", "application/json", `{}`, k2); rec.Code != 200 || rec.Header().Get("Idempotent-Replayed") != "" {
		t.Fatalf("retry after 500: %d %v", rec.Code, rec.Header())
	}
	if rec := post(h, "/fail", "application/json", `{}`, k2); rec.Code != 200 || rec.Header().Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay after success: %d", rec.Code)
	}
}

// TestIdempotencyKeyScopedToPath: a client numbering its keys per
// resource (key "1" for a ballot in each election) sends distinct
// requests on one route pattern; each takes effect, and a retry on one
// path is still answered from its own stored answer.
func TestIdempotencyKeyScopedToPath(t *testing.T) {
	h, effects := disciplineServer(Deps{})
	key := map[string]string{"Idempotency-Key": "1"}
	a := post(h, "/things/a/echo", "application/json", `{"name":"x"}`, key)
	b := post(h, "/things/b/echo", "application/json", `{"name":"x"}`, key)
	if a.Code != 201 || b.Code != 201 || b.Header().Get("Idempotent-Replayed") != "" {
		t.Fatalf("two paths: %d, %d %v", a.Code, b.Code, b.Header())
	}
	if n := effects.Load(); n != 2 {
		t.Fatalf("%d effects, want 2 (one per path)", n)
	}
	again := post(h, "/things/a/echo", "application/json", `{"name":"x"}`, key)
	if again.Header().Get("Idempotent-Replayed") != "true" || again.Body.String() != a.Body.String() || effects.Load() != 2 {
		t.Fatalf("retry on a: %d %q, %d effects", again.Code, again.Body.String(), effects.Load())
	}
}

// TestIdempotencyConcurrent: 20 duplicates at once, one effect, one answer.
func TestIdempotencyConcurrent(t *testing.T) {
	h, effects := disciplineServer(Deps{})
	const n = 20
	bodies := make([]string, n)
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := post(h, "/echo", "application/json", `{"name":"same"}`, map[string]string{"Idempotency-Key": "dup"})
			bodies[i], codes[i] = rec.Body.String(), rec.Code
		}()
	}
	wg.Wait()
	if effects.Load() != 1 {
		t.Fatalf("%d effects, want 1", effects.Load())
	}
	for i := range n {
		if codes[i] != 201 || bodies[i] != bodies[0] {
			t.Fatalf("answer %d: %d %s, want %s", i, codes[i], bodies[i], bodies[0])
		}
	}
}

func TestRateLimits(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)}
	auth := headerAuth{"ana": {Subject: "ana"}}
	h, _ := disciplineServer(Deps{Now: c.now, Auth: auth,
		Limits: Limits{PerIP: Rate{PerSecond: 1, Burst: 2}, PerIdentity: Rate{PerSecond: 0.5, Burst: 3}}})
	get := func(ip, caller string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "/open", nil)
		r.RemoteAddr = ip + ":5555"
		if caller != "" {
			r.Header.Set("X-Test-User", caller)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec
	}
	for i, want := range []int{200, 200, 429} {
		if rec := get("198.51.100.1", ""); rec.Code != want {
			t.Fatalf("request %d: %d, want %d", i, rec.Code, want)
		}
	}
	rec := get("198.51.100.1", "")
	if rec.Header().Get("Retry-After") != "1" || problemFields(t, rec).Status != 429 {
		t.Fatalf("429 without Retry-After 1: %v", rec.Header())
	}
	if rec := get("198.51.100.2", ""); rec.Code != 200 {
		t.Fatal("another address shares the bucket")
	}
	c.add(time.Second)
	if rec := get("198.51.100.1", ""); rec.Code != 200 {
		t.Fatalf("after a second: %d", rec.Code)
	}
	// One identity from many addresses: its own bucket (burst 3).
	for i, want := range []int{200, 200, 200, 429} {
		rec := get(fmt.Sprintf("203.0.113.%d", i+1), "ana")
		if rec.Code != want {
			t.Fatalf("identity request %d: %d, want %d", i, rec.Code, want)
		}
		if want == 429 && rec.Header().Get("Retry-After") != "2" {
			t.Fatalf("Retry-After %q, want 2", rec.Header().Get("Retry-After"))
		}
	}
}

func TestLimiterBounded(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	l := newLimiter(Rate{PerSecond: 1, Burst: 1}, c.now)
	l.max = 10
	for i := range 25 {
		l.allow(fmt.Sprint(i))
	}
	if len(l.buckets) > 10 {
		t.Fatalf("%d buckets", len(l.buckets))
	}
	if newLimiter(Rate{}, c.now) != nil {
		t.Fatal("a zero rate limits")
	}
}

func TestSecurityHeadersAndCORS(t *testing.T) {
	h, _ := disciplineServer(Deps{Security: Security{FrameAncestors: []string{"https://mairie.example"}},
		CORS: CORS{Origins: []string{"https://app.example"}, Credentials: true}})
	r := httptest.NewRequest(http.MethodGet, "/open", nil)
	r.Header.Set("Origin", "https://app.example")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	hd := rec.Header()
	if !strings.Contains(hd.Get("Content-Security-Policy"), "frame-ancestors https://mairie.example") ||
		hd.Get("X-Content-Type-Options") != "nosniff" || hd.Get("Referrer-Policy") != "no-referrer" || hd.Get("X-Frame-Options") != "" {
		t.Fatalf("headers %v", hd)
	}
	if hd.Get("Access-Control-Allow-Origin") != "https://app.example" || hd.Get("Access-Control-Allow-Credentials") != "true" {
		t.Fatalf("cors %v", hd)
	}
	pre := httptest.NewRequest(http.MethodOptions, "/echo", nil)
	pre.Header.Set("Origin", "https://app.example")
	pre.Header.Set("Access-Control-Request-Method", "POST")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, pre)
	if rec.Code != 204 || !strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "Idempotency-Key") {
		t.Fatalf("preflight %d %v", rec.Code, rec.Header())
	}
	pre.Header.Set("Origin", "https://evil.example")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, pre)
	if rec.Header().Get("Access-Control-Allow-Origin") != "" || rec.Code == 204 {
		t.Fatalf("a foreign origin was allowed: %d %v", rec.Code, rec.Header())
	}

	h2, _ := disciplineServer(Deps{})
	rec = httptest.NewRecorder()
	h2.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/nowhere", nil))
	if !strings.Contains(rec.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'") || rec.Header().Get("X-Frame-Options") != "DENY" {
		t.Fatalf("default framing %v", rec.Header())
	}
}

func TestConditionalGET(t *testing.T) {
	h, _ := disciplineServer(Deps{})
	get := func(inm string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "/open", nil)
		if inm != "" {
			r.Header.Set("If-None-Match", inm)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec
	}
	first := get("")
	etag := first.Header().Get("ETag")
	if first.Code != 200 || etag == "" || first.Body.Len() == 0 {
		t.Fatalf("first: %d %q", first.Code, etag)
	}
	for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
		if rec := get(inm); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 || rec.Header().Get("ETag") != etag {
			t.Fatalf("If-None-Match %s: %d %q", inm, rec.Code, rec.Body.String())
		}
	}
	if rec := get(`"stale"`); rec.Code != 200 || rec.Body.String() != first.Body.String() {
		t.Fatalf("stale tag: %d", rec.Code)
	}
	// A write is never conditional.
	if rec := post(h, "/echo", "application/json", `{"name":"a"}`, nil); rec.Header().Get("ETag") != "" {
		t.Fatal("a POST got an ETag")
	}
}

// TestConditionalPassThrough: a handler with its own ETag, a no-store
// answer, another media type and a flushing stream pass through as the
// handler wrote them.
func TestConditionalPassThrough(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{
		"own etag": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("ETag", `"mine"`)
			writeJSON(w, 200, map[string]int{"a": 1})
		},
		"no-store": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "no-store")
			writeJSON(w, 200, map[string]int{"a": 1})
		},
		"calendar": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/calendar")
			_, _ = w.Write([]byte("BEGIN:VCALENDAR\r\n"))
		},
		"stream": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte("{\"a\":1}\n"))
			http.NewResponseController(w).Flush()
			_, _ = w.Write([]byte("{\"a\":2}\n"))
		},
	} {
		rec := httptest.NewRecorder()
		conditional(h)(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		if et := rec.Header().Get("ETag"); rec.Code != 200 || (et != "" && et != `"mine"`) || rec.Body.Len() == 0 {
			t.Errorf("%s: %d etag %q body %q", name, rec.Code, et, rec.Body.String())
		}
		if name == "stream" && (!rec.Flushed || rec.Body.String() != "{\"a\":1}\n{\"a\":2}\n") {
			t.Errorf("stream: flushed %v, body %q", rec.Flushed, rec.Body.String())
		}
	}
}
