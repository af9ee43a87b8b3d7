package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/reference-server/httpapi"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// staffNow is the staff tests' clock: in the year after the funded one,
// so that a grant's report may be recorded.
var staffNow = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

func newStaffServer(t *testing.T) *partServer {
	t.Helper()
	db := storagetest.Open(t, storage.SQLite)
	svc, err := associations.NewService(storage.NewAssociationStore(db), associations.Options{Now: func() time.Time { return staffNow }})
	require.NoError(t, err)
	s := &partServer{t: t, users: headerAuth{}}
	srv := httptest.NewServer(httpapi.New(httpapi.Deps{Associations: svc, Auth: s.users}))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	s.users["admin"] = httpapi.Principal{Subject: "sub-admin", Grants: []httpapi.Grant{{Role: httpapi.RoleAdministrator}}}
	s.users["org"] = httpapi.Principal{Subject: "sub-org", Grants: []httpapi.Grant{{Role: httpapi.RoleOrganiser}}}
	s.users["alice"] = httpapi.Principal{Subject: "sub-alice", Participant: uuid.New()}
	return s
}

// TestAssociationStaffRoutes walks JOURNEYS.md journey 3 from the staff's
// side: register an association, keep its private contact private, take
// a grant from draft to report, and a membership from pending to
// renewed, then erase the member.
func TestAssociationStaffRoutes(t *testing.T) {
	s := newStaffServer(t)
	body := map[string]any{"name": "Les Amis du Jardin", "rna": "W691000077", "status": "active",
		"contacts": []map[string]any{{"kind": "email", "value": "president.prive@example.org"}}}
	for _, tc := range []struct {
		user   string
		status int
	}{{"", 401}, {"alice", 403}, {"org", 403}} {
		s.problem(tc.status, tc.user, "POST", "/api/v1/associations", body)
	}
	var as associations.Association
	s.must(http.StatusCreated, "admin", "POST", "/api/v1/associations", body, &as)
	pub := string(s.must(http.StatusOK, "", "GET", "/api/v1/associations/"+as.ID.String(), nil, nil))
	assert.NotContains(t, pub, "president.prive", "a private contact stays off the public route")
	full := string(s.must(http.StatusOK, "admin", "GET", "/api/v1/association-records/"+as.ID.String(), nil, nil))
	assert.Contains(t, full, "president.prive")
	body["version"], body["object"] = as.Version, "Jardin partagé du quartier"
	s.must(http.StatusOK, "admin", "PUT", "/api/v1/associations/"+as.ID.String(), body, &as)
	assert.Equal(t, 2, as.Version)
	s.problem(http.StatusConflict, "admin", "PUT", "/api/v1/associations/"+as.ID.String(), body) // stale version

	// The grant workflow, each step a transition in the history.
	grant := map[string]any{"funder": "Ville de Lyon", "funded_year": 2025,
		"applicant": map[string]any{"name": "Les Amis du Jardin", "address": "3 place des Tilleuls, 69001 Lyon",
			"representative_name": "Claire Martin", "representative_role": "Présidente", "contact_email": "bureau@amis-du-jardin.example"},
		"project": map[string]any{"title": "Jardin partagé", "objectives": "Créer un jardin partagé de quartier",
			"description": "Aménagement de 20 parcelles", "start_on": "2025-03-01T00:00:00Z", "end_on": "2025-11-30T00:00:00Z"},
		"budget": []map[string]any{
			{"side": "charge", "account": "60", "label": "Semences et outils", "amount_cents": 500000},
			{"side": "revenue", "account": "74", "label": "Subvention ville", "amount_cents": 500000, "funder": "Ville de Lyon"}},
		"requested_cents": 500000}
	var g associations.Grant
	s.must(http.StatusCreated, "admin", "POST", "/api/v1/associations/"+as.ID.String()+"/grants", grant, &g)
	gp := "/api/v1/grants/" + g.ID.String()
	s.problem(http.StatusConflict, "admin", "POST", gp+"/award", map[string]any{"version": g.Version, "granted_cents": 400000}) // not under review
	p := s.problem(http.StatusBadRequest, "admin", "POST", gp+"/award", map[string]any{"version": g.Version, "reason": "x"})
	assert.Equal(t, []string{"reason:unknown_field"}, fieldRules(p), "each step takes only its own fields")
	for _, step := range []struct {
		path string
		body map[string]any
	}{
		{"/submission", map[string]any{}},
		{"/review", map[string]any{}},
		{"/award", map[string]any{"granted_cents": 400000, "note": "80 % du demandé"}},
		{"/payment", map[string]any{"paid_cents": 400000}},
		{"/report", map[string]any{"on": "2026-02-27T00:00:00Z"}},
	} {
		step.body["version"] = g.Version
		s.must(http.StatusOK, "admin", "POST", gp+step.path, step.body, &g)
	}
	assert.Equal(t, int64(400000), g.PaidCents)
	var history civickit.Page[associations.GrantTransition]
	s.must(http.StatusOK, "admin", "GET", gp+"/history?limit=3", nil, &history)
	require.Len(t, history.Items, 3)
	s.must(http.StatusOK, "admin", "GET", gp+"/history?limit=3&after="+history.Next, nil, &history)
	require.Len(t, history.Items, 3, "draft, submitted, under review, awarded, paid, reported")
	assert.Equal(t, "sub-admin", history.Items[2].Actor)
	var grants civickit.Page[associations.Grant]
	s.must(http.StatusOK, "admin", "GET", "/api/v1/grants?association="+as.ID.String(), nil, &grants)
	assert.Len(t, grants.Items, 1)
	s.problem(http.StatusBadRequest, "admin", "GET", "/api/v1/grants", nil)

	// A membership with a fee: pending until paid, then renewed.
	var m associations.Membership
	s.must(http.StatusCreated, "admin", "POST", "/api/v1/associations/"+as.ID.String()+"/memberships", map[string]any{
		"person": map[string]any{"given_name": "Jeanne", "family_name": "Privée", "email": "jeanne@example.org"},
		"period": map[string]any{"start_on": "2025-09-01T00:00:00Z", "end_on": "2026-09-01T00:00:00Z", "fee_cents": 1500}}, &m)
	assert.Equal(t, associations.MembershipPending, m.Status)
	mp := "/api/v1/memberships/" + m.ID.String()
	s.must(http.StatusOK, "admin", "POST", mp+"/payment", map[string]any{"version": m.Version}, &m)
	assert.Equal(t, associations.MembershipActive, m.Status)
	var next associations.Membership
	s.must(http.StatusOK, "admin", "POST", mp+"/renewal", map[string]any{"version": m.Version, "fee_cents": 1500}, &next)
	var ms civickit.Page[associations.Membership]
	s.must(http.StatusOK, "admin", "GET", "/api/v1/memberships?association="+as.ID.String(), nil, &ms)
	assert.Len(t, ms.Items, 2)
	s.must(http.StatusNoContent, "admin", "DELETE", "/api/v1/persons/"+m.PersonID.String(), nil, nil)
	s.problem(http.StatusForbidden, "org", "GET", "/api/v1/memberships?association="+as.ID.String(), nil)

	s.must(http.StatusOK, "admin", "POST", "/api/v1/associations/"+as.ID.String()+"/dissolution", map[string]any{"on": "2026-02-28T00:00:00Z"}, &as)
	assert.Equal(t, associations.StatusDissolved, as.Status)
	s.problem(http.StatusConflict, "admin", "POST", "/api/v1/associations/"+as.ID.String()+"/dissolution", map[string]any{"on": "2026-02-28T00:00:00Z"})
}
