package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/opendata/opendatatest"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/debate"
	"github.com/civickit/civickit/participation/evaluation"
	"github.com/civickit/civickit/participation/proposals"
	"github.com/civickit/civickit/participation/questionnaire"
	"github.com/civickit/civickit/participation/vote"
	"github.com/civickit/civickit/reference-server/httpapi"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/civickit/civickit/voting/ballotbox"
)

// fullEnv is the reference handler with EVERY service of Deps configured
// (TestFullDepsConfigured fails when a Deps field is left nil): the
// route table it serves is the whole API. Each domain adds its service
// here when it adds it to Deps.
type fullEnv struct {
	deps    httpapi.Deps
	handler http.Handler
	assoc   *associations.Association
	scope   uuid.UUID
}

func newFullEnv(t testing.TB) *fullEnv {
	ctx := context.Background()
	db := storagetest.Open(t, storage.SQLite)
	assoc, err := associations.NewService(storage.NewAssociationStore(db), associations.Options{})
	require.NoError(t, err)
	a, err := assoc.Create(ctx, associations.Association{Name: "Comité des fêtes", RNA: "W751000001", Categories: []string{"006030"},
		Address: associations.Address{CommuneCode: "75104", PostalCode: "75004", Location: &associations.Point{Lat: 48.85, Lon: 2.35}}})
	require.NoError(t, err)
	datasets, err := opendata.NewService(storage.NewDatasetStore(db), opendata.Options{})
	require.NoError(t, err)
	_, err = datasets.CreateDataset(ctx, opendatatest.NewDataset(opendatatest.NewRand(1), 1))
	require.NoError(t, err)
	accounts, err := httpapi.NewAccounts(httpapi.AccountsOptions{Store: storage.NewServerStore(db),
		EnsureParticipant: httpapi.EnsureParticipantIn(storage.NewParticipationStore(db), nil)})
	require.NoError(t, err)
	sessions := &httpapi.Sessions{Accounts: accounts, Key: []byte("matrix-session-key-0123456789abcdef")}
	idp := newTestIdP(t)
	oidc, err := httpapi.NewOIDC(ctx, httpapi.OIDCConfig{Issuer: idp.srv.URL, ClientID: clientID, ClientSecret: clientSecret,
		RedirectURL: "http://civickit.test/auth/callback"}, sessions)
	require.NoError(t, err)

	core, err := participation.NewService(storage.NewParticipationStore(db), participation.Options{})
	require.NoError(t, err)
	part := &httpapi.Participation{Core: core}
	part.Debate, err = debate.NewService(storage.NewDebateStore(db), core, debate.Options{})
	require.NoError(t, err)
	part.Proposals, err = proposals.NewService(storage.NewProposalStore(db), core, proposals.Options{})
	require.NoError(t, err)
	part.Questionnaires, err = questionnaire.NewService(storage.NewQuestionnaireStore(db), core, questionnaire.Options{Attributes: core})
	require.NoError(t, err)
	part.Evaluation, err = evaluation.NewService(storage.NewEvaluationStore(db), core, evaluation.Options{})
	require.NoError(t, err)
	box, err := ballotbox.NewService(storage.NewBallotBoxStore(db), ballotbox.Options{Secret: []byte("matrix-ballot-secret-0123456789abcdef"),
		Gate: vote.NewGate(storage.NewVoteStore(db), core)})
	require.NoError(t, err)
	part.Votes, err = vote.NewService(storage.NewVoteStore(db), core, box, vote.Options{})
	require.NoError(t, err)
	mediation, err := opendata.NewMediationDirectory(storage.NewMediationStore(db), opendata.MediationOptions{})
	require.NoError(t, err)

	env := &fullEnv{assoc: a, scope: uuid.New()}
	callers := headerAuth{}
	for _, c := range matrixCallers(env.scope) {
		callers[c.name] = c.p
	}
	env.deps = httpapi.Deps{
		Associations:  assoc,
		OpenData:      &httpapi.OpenData{Service: datasets, Mediation: mediation, Catalog: opendata.Catalog{Title: opendata.Text{"fr": "Catalogue"}}},
		Participation: part,
		Elections:     box,
		Health:        db.Bun().PingContext,
		Ready:         db.Bun().PingContext,
		Auth:          httpapi.Authenticators(callers, httpapi.TokenAuth{Accounts: accounts}, sessions),
		Idempotency:   storage.NewServerStore(db),
		Accounts:      accounts,
		Sessions:      sessions,
		OIDC:          oidc,
		Embed:         &httpapi.EmbedAuth{Accounts: accounts, Keys: map[string][]byte{"mairie": []byte("matrix-portal-key-0123456789abcdef")}},
		Now:           nil, // the real clock
		Log:           nil, // discarded
	}
	env.handler = httpapi.New(env.deps)
	return env
}

// TestFullDepsConfigured: the matrix and the OpenAPI tests see every
// route only if every service is configured; a new Deps field left nil
// in newFullEnv fails here (fields that may stay nil are listed).
func TestFullDepsConfigured(t *testing.T) {
	env := newFullEnv(t)
	optional := map[string]bool{"Deps.Now": true, "Deps.Log": true, "Deps.Metrics": true}
	check := func(prefix string, v reflect.Value) {
		for i := range v.NumField() {
			f, name := v.Field(i), prefix+"."+v.Type().Field(i).Name
			if !v.Type().Field(i).IsExported() {
				continue
			}
			switch f.Kind() {
			case reflect.Pointer, reflect.Interface, reflect.Func, reflect.Map, reflect.Slice:
				if f.IsNil() && !optional[name] {
					t.Errorf("%s is nil in newFullEnv: its routes escape the route × role matrix", name)
				}
			}
		}
	}
	check("Deps", reflect.ValueOf(env.deps))
	// The services grouped by domain add routes too.
	check("Participation", reflect.ValueOf(*env.deps.Participation))
}

type matrixCaller struct {
	name string
	p    httpapi.Principal
}

// matrixCallers: anonymous, a participant, each role everywhere, each
// role within the matrix's scope only, and an embedded user confined to
// that scope.
func matrixCallers(scope uuid.UUID) []matrixCaller {
	cs := []matrixCaller{{name: ""}}
	for _, role := range httpapi.Roles()[1:] {
		p := httpapi.Principal{Subject: "global-" + role.String(), Participant: uuid.New()}
		if role > httpapi.RoleParticipant {
			p.Grants = []httpapi.Grant{{Role: role}}
		}
		cs = append(cs, matrixCaller{"global-" + role.String(), p})
		if role > httpapi.RoleParticipant {
			cs = append(cs, matrixCaller{"scoped-" + role.String(), httpapi.Principal{Subject: "scoped-" + role.String(),
				Participant: uuid.New(), Grants: []httpapi.Grant{{Role: role, Scope: scope}}}})
		}
	}
	return append(cs, matrixCaller{"embedded", httpapi.Principal{Subject: "embedded", Participant: uuid.New(), Within: scope}})
}

// readWrites lists the routes that take a POST to read (CKAN's Action
// API): they stay open to anonymous callers, with reasons.
var readWrites = map[string]string{
	"POST /api/3/action/{action}":               "CKAN Action API: package_search etc. with a JSON body, read-only",
	"POST /api/2/action/{action}":               "CKAN Action API, older path, read-only",
	"POST /api/action/{action}":                 "CKAN Action API, unversioned path, read-only",
	"POST /api/v1/panels/manifest-verification": "re-runs a published draw on the pool sent in the body; stores nothing",
}

// handlerRefusals lists routes whose handler itself answers 401 or 403
// to a caller the guard let through, with reasons.
var handlerRefusals = map[string]int{
	"GET /auth/callback": http.StatusUnauthorized, // no login cookie, state or code: the login did not check out
	"GET /auth/embed":    http.StatusUnauthorized, // no embed token in the URL
}

var wildcardRE = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)(\.\.\.)?\}`)

// fillPath puts values in a pattern's wildcards: the scope wildcard gets
// scope, a known association its ID, others a fresh UUID.
func (env *fullEnv) fillPath(rt httpapi.Route, scope uuid.UUID) string {
	p := strings.ReplaceAll(rt.Pattern, "{$}", "")
	return wildcardRE.ReplaceAllStringFunc(p, func(m string) string {
		name := wildcardRE.FindStringSubmatch(m)[1]
		switch {
		case name == rt.Scope:
			return scope.String()
		case name == "id" && strings.HasPrefix(rt.Pattern, "/api/v1/associations/"):
			return env.assoc.ID.String()
		case name == "rna":
			return env.assoc.RNA
		}
		return uuid.NewString()
	})
}

func isWrite(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// openAPIValidator compiles the served OpenAPI document's schemas, to
// validate the answers of the tests.
type openAPIValidator struct {
	c   *jsonschema.Compiler
	doc map[string]any
}

const openAPIURL = "https://civickit.test/api/openapi.json"

func newOpenAPIValidator(t *testing.T, h http.Handler) *openAPIValidator {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/openapi.json", nil))
	require.Equal(t, 200, rec.Code)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(rec.Body.Bytes()))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	require.NoError(t, c.AddResource(openAPIURL, doc))
	var m map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &m))
	return &openAPIValidator{c: c, doc: m}
}

func pointerEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// validate checks an answer of rt against the document: a problem
// document against Problem, a 2xx JSON answer against the route's answer
// schema.
func (v *openAPIValidator) validate(t *testing.T, rt httpapi.Route, status int, ct string, body []byte) {
	t.Helper()
	if err := v.check(rt, status, ct, body); err != nil {
		t.Errorf("%s %s (%d): the answer does not match the OpenAPI document: %v\n%s", rt.Method, rt.Pattern, status, err, body)
	}
}

func (v *openAPIValidator) check(rt httpapi.Route, status int, ct string, body []byte) error {
	var ptr string
	switch {
	case ct == "application/problem+json":
		ptr = "/components/schemas/Problem"
	case status >= 200 && status < 300 && strings.HasPrefix(ct, "application/json") && rt.Answer != nil:
		path := strings.ReplaceAll(rt.Pattern, "{$}", "")
		if path == "" {
			path = "/"
		}
		path = wildcardRE.ReplaceAllString(path, "{$1}")
		ptr = "/paths/" + pointerEscape(path) + "/" + strings.ToLower(rt.Method) + "/responses/2XX/content/application~1json/schema"
	default:
		return nil
	}
	sch, err := v.c.Compile(openAPIURL + "#" + strings.NewReplacer("{", "%7B", "}", "%7D").Replace(ptr))
	if err != nil {
		return fmt.Errorf("schema %s: %w", ptr, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return sch.Validate(inst)
}

// TestRouteRoleMatrix calls every route of the table with every caller:
// a route that needs a role answers 401 to anonymous callers and 403 to
// callers without the role in the route's scope, and lets the others
// through (to whatever its handler answers, never 401/403 and never a
// 5xx); every write refuses anonymous callers (but the listed read-only
// POSTs). Every answer validates against the OpenAPI document.
func TestRouteRoleMatrix(t *testing.T) {
	env := newFullEnv(t)
	routes := httpapi.Routes(env.deps)
	v := newOpenAPIValidator(t, env.handler)
	callers := matrixCallers(env.scope)
	other := uuid.New()
	rows := 0
	for _, rt := range routes {
		key := rt.Method + " " + rt.Pattern
		if isWrite(rt.Method) && rt.Access == httpapi.RoleAnonymous {
			if _, ok := readWrites[key]; !ok {
				t.Errorf("%s: a write route open to anonymous callers", key)
			}
		}
		scopes := []uuid.UUID{env.scope}
		if rt.Scope != "" {
			scopes = append(scopes, other)
		}
		for _, c := range callers {
			for _, scope := range scopes {
				rows++
				path := env.fillPath(rt, scope)
				r := httptest.NewRequest(rt.Method, path, strings.NewReader("{}"))
				r.Header.Set("Content-Type", "application/json")
				if c.name != "" {
					r.Header.Set("X-Test-User", c.name)
				}
				rec := httptest.NewRecorder()
				env.handler.ServeHTTP(rec, r)
				var want int
				guardScope := uuid.Nil
				if rt.Scope != "" {
					guardScope = scope
				}
				switch {
				case rt.Access == httpapi.RoleAnonymous:
				case c.p.Anonymous():
					want = http.StatusUnauthorized
				case !c.p.Has(rt.Access, guardScope), c.p.Within != uuid.Nil && c.p.Within != guardScope:
					want = http.StatusForbidden
				}
				name := fmt.Sprintf("%s as %q in %s", key, c.name, path)
				if rec.Code >= 500 {
					t.Errorf("%s: %d %s", name, rec.Code, rec.Body.String())
				}
				if want != 0 && rec.Code != want {
					t.Errorf("%s: %d, want %d", name, rec.Code, want)
				}
				if want == 0 && (rec.Code == http.StatusUnauthorized || rec.Code == http.StatusForbidden) && handlerRefusals[key] != rec.Code {
					t.Errorf("%s: %d, but the caller may call it: %s", name, rec.Code, rec.Body.String())
				}
				if rt.Method != http.MethodHead {
					v.validate(t, rt, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes())
				}
			}
		}
	}
	if min := len(routes) * len(callers); rows < min {
		t.Fatalf("%d rows for %d routes × %d callers", rows, len(routes), len(callers))
	}
	t.Logf("%d routes, %d callers, %d rows", len(routes), len(callers), rows)
}

// TestOpenAPIDocument: every route is in the document under its method,
// every documented operation is a route, and answers with data validate.
func TestOpenAPIDocument(t *testing.T) {
	env := newFullEnv(t)
	routes := httpapi.Routes(env.deps)
	v := newOpenAPIValidator(t, env.handler)
	assert.Equal(t, "3.1.0", v.doc["openapi"])
	paths := v.doc["paths"].(map[string]any)
	documented := map[string]bool{}
	for p, item := range paths {
		for m := range item.(map[string]any) {
			documented[strings.ToUpper(m)+" "+p] = true
		}
	}
	inTable := map[string]bool{}
	for _, rt := range routes {
		p := strings.ReplaceAll(rt.Pattern, "{$}", "")
		if p == "" {
			p = "/"
		}
		k := rt.Method + " " + wildcardRE.ReplaceAllString(p, "{$1}")
		inTable[k] = true
		if !documented[k] {
			t.Errorf("route %s is not documented", k)
		}
		op := paths[wildcardRE.ReplaceAllString(p, "{$1}")].(map[string]any)[strings.ToLower(rt.Method)].(map[string]any)
		assert.Equal(t, rt.Access.String(), op["x-civickit-role"], k)
	}
	for k := range documented {
		if !inTable[k] {
			t.Errorf("documented operation %s is no route", k)
		}
	}
	// Answers with data, not only empty pages and problems.
	for _, path := range []string{"/api/v1/associations", "/api/v1/associations/" + env.assoc.ID.String(),
		"/api/v1/associations/near?lat=48.85&lon=2.35&radius_m=1000", "/api/v1/spaces", "/healthz", "/readyz", "/api/v1/auth/session"} {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		rec := httptest.NewRecorder()
		env.handler.ServeHTTP(rec, r)
		require.Equal(t, 200, rec.Code, path)
		for _, rt := range routes {
			if rt.Method == http.MethodGet && rt.Pattern == r.Pattern {
				v.validate(t, rt, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes())
			}
		}
	}
	// The validator is not a rubber stamp: a wrong answer fails.
	bad := httpapi.Route{Method: http.MethodGet, Pattern: "/api/v1/associations/{id}", Answer: associations.Association{}}
	assert.Error(t, v.check(bad, 200, "application/json", []byte(`{"id":"not-a-uuid","name":7}`)), "an invalid answer passed")

	if out := os.Getenv("CIVICKIT_OPENAPI_OUT"); out != "" { // .ci/openapi/run lints it
		rec := httptest.NewRecorder()
		env.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/openapi.json", nil))
		require.NoError(t, os.WriteFile(out, rec.Body.Bytes(), 0o644))
	}
}

// TestOpenAPIPagedLists: every route answering a civickit.Page documents
// the cursor parameters.
func TestOpenAPIPagedLists(t *testing.T) {
	env := newFullEnv(t)
	doc := httpapi.OpenAPI(httpapi.Routes(env.deps))
	op := doc["paths"].(map[string]any)["/api/v1/associations"].(map[string]any)["get"].(map[string]any)
	b, _ := json.Marshal(op["parameters"])
	assert.Contains(t, string(b), "#/components/parameters/After")
	assert.Contains(t, string(b), "#/components/parameters/Limit")
}
