package httpapi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkDiscipline measures what the middleware costs per request:
// a public GET (headers, rate limits, ETag), and a POST whose body is
// decoded, with and without an Idempotency-Key (memory store).
func BenchmarkDiscipline(b *testing.B) {
	auth := headerAuth{"ana": {Subject: "ana"}}
	h, _ := disciplineServer(Deps{Auth: auth, Limits: Limits{PerIP: Rate{PerSecond: 1e9, Burst: 1 << 30}, PerIdentity: Rate{PerSecond: 1e9, Burst: 1 << 30}}})
	b.Run("GET public", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/open", nil))
		}
	})
	for _, keyed := range []bool{false, true} {
		b.Run(fmt.Sprintf("POST decoded, idempotency key %v", keyed), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				r := httptest.NewRequest(http.MethodPost, "/echo", strings.NewReader(`{"name":"a","count":2,"tags":["x","y"]}`))
				r.Header.Set("Content-Type", "application/json")
				r.Header.Set("X-Test-User", "ana")
				if keyed {
					r.Header.Set("Idempotency-Key", fmt.Sprint("k", i))
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r)
			}
		})
	}
}
