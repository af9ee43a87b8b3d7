package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/civickit/civickit"
	"github.com/google/uuid"
)

// headerAuth trusts a test header naming the caller; a bad value is a
// failed authentication.
type headerAuth map[string]Principal

func (h headerAuth) Authenticate(r *http.Request) (Principal, error) {
	who := r.Header.Get("X-Test-User")
	if who == "" {
		return Principal{}, nil
	}
	p, ok := h[who]
	if !ok {
		return Principal{}, civickit.Sentinel(civickit.ErrUnauthenticated, "unknown test caller")
	}
	return p, nil
}

func TestGuard(t *testing.T) {
	election := uuid.New()
	other := uuid.New()
	auth := headerAuth{
		"ana":    {Subject: "ana"},
		"mod":    {Subject: "mod", Grants: []Grant{{Role: RoleModerator}}},
		"org-e":  {Subject: "org-e", Grants: []Grant{{Role: RoleOrganiser, Scope: election}}},
		"admin":  {Subject: "admin", Grants: []Grant{{Role: RoleAdministrator}}},
		"forged": {Subject: "", Grants: []Grant{{Role: RoleAdministrator}}},
	}
	a := &api{auth: auth, log: slog.New(slog.DiscardHandler)}
	var seen Principal
	ok := func(w http.ResponseWriter, r *http.Request) {
		seen = PrincipalFrom(r.Context())
		w.WriteHeader(http.StatusNoContent)
	}
	mux := http.NewServeMux()
	for _, rt := range []Route{
		{Method: http.MethodGet, Pattern: "/open", handler: ok},
		{Method: http.MethodPost, Pattern: "/mine", Access: RoleParticipant, handler: ok},
		{Method: http.MethodPost, Pattern: "/hide", Access: RoleModerator, handler: ok},
		{Method: http.MethodPost, Pattern: "/elections/{election}/close", Access: RoleOrganiser, Scope: "election", handler: ok},
	} {
		mux.HandleFunc(rt.Method+" "+rt.Pattern, a.guard(rt))
	}
	for _, tc := range []struct {
		caller, method, path string
		want                 int
	}{
		{"", "GET", "/open", 204},
		{"ana", "GET", "/open", 204},
		{"nobody", "GET", "/open", 401}, // bad credentials are never downgraded to anonymous
		{"", "POST", "/mine", 401},
		{"ana", "POST", "/mine", 204},
		{"forged", "POST", "/mine", 401}, // grants without a subject are nobody's
		{"ana", "POST", "/hide", 403},
		{"mod", "POST", "/hide", 204},
		{"org-e", "POST", "/hide", 403}, // a scoped grant does not reach global routes
		{"admin", "POST", "/hide", 204},
		{"org-e", "POST", "/elections/" + election.String() + "/close", 204},
		{"org-e", "POST", "/elections/" + other.String() + "/close", 403},
		{"mod", "POST", "/elections/" + election.String() + "/close", 403},
		{"admin", "POST", "/elections/" + other.String() + "/close", 204},
		{"admin", "POST", "/elections/not-a-uuid/close", 400},
		{"", "POST", "/elections/not-a-uuid/close", 401}, // anonymous first: a bad path tells nobody anything
		{"", "POST", "/elections/" + election.String() + "/close", 401},
	} {
		t.Run(tc.caller+" "+tc.method+" "+tc.path, func(t *testing.T) {
			seen = Principal{Subject: "unset"}
			r := httptest.NewRequest(tc.method, tc.path, nil)
			if tc.caller != "" {
				r.Header.Set("X-Test-User", tc.caller)
			}
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, r)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, rec.Body.String())
			}
			if tc.want != 204 {
				if seen.Subject != "unset" {
					t.Fatalf("handler ran for a refused call")
				}
				var p Problem
				if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != tc.want {
					t.Fatalf("problem %+v (%v)", p, err)
				}
				return
			}
			if seen.Subject != tc.caller {
				t.Fatalf("handler saw %q, want %q", seen.Subject, tc.caller)
			}
		})
	}
}

func TestPrincipalHas(t *testing.T) {
	s := uuid.New()
	p := Principal{Subject: "x", Grants: []Grant{{Role: RoleOperator, Scope: s}}}
	for _, tc := range []struct {
		role  Role
		scope uuid.UUID
		want  bool
	}{
		{RoleAnonymous, uuid.Nil, true},
		{RoleParticipant, uuid.Nil, true},
		{RoleOperator, s, true},
		{RoleOperator, uuid.Nil, false},
		{RoleModerator, s, false},
	} {
		if got := p.Has(tc.role, tc.scope); got != tc.want {
			t.Errorf("Has(%v, %v) = %v, want %v", tc.role, tc.scope, got, tc.want)
		}
	}
	if (Principal{}).Has(RoleParticipant, uuid.Nil) {
		t.Error("the anonymous principal is a participant")
	}
	if got := Role(99).String(); got != "Role(99)" {
		t.Errorf("Role(99) = %q", got)
	}
	if !errors.Is(errRoleScope, civickit.ErrForbidden) || !errors.Is(errSignIn, civickit.ErrUnauthenticated) {
		t.Error("guard errors lost their kinds")
	}
}
