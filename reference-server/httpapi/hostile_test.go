package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/civickit/civickit/reference-server/httpapi"
)

// TestHostileInputs sends what an attacker or a broken client sends:
// invalid UUIDs, NaN and infinities, huge limits, invalid UTF-8, oversize
// bodies, unknown fields. Never a 5xx nor an internal message; the
// statuses named are the discipline's.
func TestHostileInputs(t *testing.T) {
	env := newFullEnv(t)
	big := `{"name":"` + strings.Repeat("a", 2<<20) + `"}`
	for _, tc := range []struct {
		name, method, target, caller, body string
		want                               int    // 0: any 4xx or 2xx
		field                              string // the field a 400 names
	}{
		{"invalid uuid", "GET", "/api/v1/associations/not-a-uuid", "", "", 400, "id"},
		{"uuid with NUL", "GET", "/api/v1/associations/%00", "", "", 400, "id"},
		{"invalid participant", "GET", "/api/v1/admin/participants/123/grants", "global-administrator", "", 400, "participant"},
		{"invalid token id", "POST", "/api/v1/admin/tokens/zzz/revoke", "global-administrator", "", 400, "id"},
		{"NaN and Inf", "GET", "/api/v1/associations/near?lat=NaN&lon=Inf&radius_m=1", "", "", 400, ""},
		{"radius overflow", "GET", "/api/v1/associations/near?lat=48&lon=2&radius_m=1e400", "", "", 400, "radius_m"},
		{"huge limit", "GET", "/api/v1/associations?limit=99999999999999999999999", "", "", 400, "limit"},
		{"negative limit", "GET", "/api/v1/spaces?limit=-5", "", "", 400, "limit"},
		{"forged cursor", "GET", "/api/v1/associations?after=%ff%fe", "", "", 400, ""},
		{"invalid utf-8 query", "GET", "/api/v1/associations?q=%ff%fe%fd", "", "", 0, ""},
		{"invalid utf-8 body", "POST", "/api/v1/admin/tokens", "global-administrator", "{\"name\":\"\xff\"}", 400, "body"},
		{"oversize body", "POST", "/api/v1/admin/tokens", "global-administrator", big, 413, "body"},
		{"oversize CKAN body", "POST", "/api/3/action/package_search", "", big, 0, ""},
		{"unknown field", "POST", "/api/v1/admin/grants", "global-administrator",
			`{"participant_id":"6f1f6a52-2f0a-4b8e-9a57-2a3f4ad7c001","role":"moderator","is_admin":true}`, 400, "is_admin"},
		{"number for a role", "POST", "/api/v1/admin/grants", "global-administrator",
			`{"participant_id":"6f1f6a52-2f0a-4b8e-9a57-2a3f4ad7c001","role":5}`, 400, "role"},
		{"unknown role", "POST", "/api/v1/admin/grants", "global-administrator",
			`{"participant_id":"6f1f6a52-2f0a-4b8e-9a57-2a3f4ad7c001","role":"root"}`, 400, "role"},
		{"huge number", "POST", "/api/v1/admin/tokens", "global-administrator", `{"name":"x","grants":[],"expires_at":1e999}`, 400, ""},
		{"deep nesting", "POST", "/api/v1/admin/tokens", "global-administrator", strings.Repeat("[", 100000), 400, "body"},
		{"forged session cookie", "GET", "/api/v1/auth/session", "", "", 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
			if tc.body != "" {
				r.Header.Set("Content-Type", "application/json")
			}
			if tc.caller != "" {
				r.Header.Set("X-Test-User", tc.caller)
			}
			rec := httptest.NewRecorder()
			env.handler.ServeHTTP(rec, r)
			checkAnswer(t, tc.name, rec, tc.method)
			if tc.want != 0 && rec.Code != tc.want {
				t.Fatalf("%d, want %d: %s", rec.Code, tc.want, rec.Body.String())
			}
			if tc.field != "" {
				var p httpapi.Problem
				if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || len(p.Errors) == 0 || p.Errors[0].Path != tc.field {
					t.Fatalf("problem %s does not name %q", rec.Body.String(), tc.field)
				}
			}
		})
	}
}

// TestEveryWriteRouteDiscipline: every write route of the table (those of
// every domain), called by a global administrator with an
// Idempotency-Key, refuses an oversize body with 413, and a body with an
// unknown field or of another media type without a 5xx.
func TestEveryWriteRouteDiscipline(t *testing.T) {
	env := newFullEnv(t)
	big := `{"x":"` + strings.Repeat("a", 2<<20) + `"}`
	for _, rt := range httpapi.Routes(env.deps) {
		if rt.Method != http.MethodPost && rt.Method != http.MethodPut && rt.Method != http.MethodPatch {
			continue
		}
		for _, tc := range []struct{ name, ct, body string }{
			{"oversize", "application/json", big},
			{"unknown field", "application/json", `{"zz_unknown_field":1}`},
			{"not json", "text/plain", "hello"},
			{"invalid utf-8", "application/json", "{\"a\":\"\xff\"}"},
		} {
			r := httptest.NewRequest(rt.Method, env.fillPath(rt, env.scope), strings.NewReader(tc.body))
			r.Header.Set("Content-Type", tc.ct)
			r.Header.Set("X-Test-User", "global-administrator")
			r.Header.Set("Idempotency-Key", "hostile-"+tc.name[:3])
			rec := httptest.NewRecorder()
			env.handler.ServeHTTP(rec, r)
			what := rt.Method + " " + rt.Pattern + " " + tc.name
			checkAnswer(t, what, rec, rt.Method)
			if tc.name == "oversize" && rec.Code != http.StatusRequestEntityTooLarge {
				t.Errorf("%s: %d, want 413", what, rec.Code)
			}
		}
	}
}
