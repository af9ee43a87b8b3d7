package httpapi_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/civickit/civickit/reference-server/httpapi"
)

// A portal mounts civickit's handler under its own router, beside its own
// pages; errors come back as problem documents.
func ExampleNew() {
	portal := http.NewServeMux()
	portal.HandleFunc("GET /mairie", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "the city's own page")
	})
	portal.Handle("/civickit/", http.StripPrefix("/civickit", httpapi.New(httpapi.Deps{})))

	for _, path := range []string{"/mairie", "/civickit/healthz", "/civickit/nowhere"} {
		rec := httptest.NewRecorder()
		portal.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		body, _ := io.ReadAll(rec.Body)
		fmt.Printf("%s → %d %s\n", path, rec.Code, rec.Header().Get("Content-Type"))
		_ = body
	}
	// Output:
	// /mairie → 200 text/plain; charset=utf-8
	// /civickit/healthz → 200 application/json; charset=utf-8
	// /civickit/nowhere → 404 application/problem+json
}

// Routes lists what a portal mounts, for its documentation or its
// authorisation table.
func ExampleRoutes() {
	for _, rt := range httpapi.Routes(httpapi.Deps{}) {
		fmt.Println(rt.Method, rt.Pattern)
	}
	// Output:
	// GET /healthz
	// GET /readyz
	// GET /{$}
	// GET /api/openapi.json
	// GET /api/v1/auth/session
}
