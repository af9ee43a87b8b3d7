package httpapi_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/civickit/civickit/reference-server/httpapi"
	"github.com/google/uuid"
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

// A portal's server signs an embed token for its signed-in user (an
// opaque xid of its own), valid for a few minutes, for one consultation;
// its page sends it as Authorization: Embed <token>, or opens
// /auth/embed?token=… in a frame.
func ExampleSignEmbedToken() {
	key := []byte("the portal's key, 32 bytes or more")
	tok, err := httpapi.SignEmbedToken(key, httpapi.EmbedClaims{
		Portal: "mairie", XID: "user-8812", Expires: 1796000000,
		Scope: uuid.MustParse("6f1f6a52-2f0a-4b8e-9a57-2a3f4ad7c001"),
	})
	fmt.Println(err, strings.Count(tok, "."))
	// Output: <nil> 1
}
