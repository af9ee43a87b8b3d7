package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"testing"

	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/panel"
	"github.com/civickit/civickit/participation/questionnaire"
	"github.com/civickit/civickit/reference-server/httpapi"
	"github.com/civickit/civickit/storage"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// panelTestdata is package panel's testdata: published instances and
// census tables, with their sources in its README.
const panelTestdata = "../../participation/panel/testdata/"

func openPanelFile(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(panelTestdata + name)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

// TestPanelRoutes draws the Alternate(200,20) instance of Flanigan et
// al. (Nature 2021) over HTTP, finds the published LEXIMIN minimum
// probability 0.1, verifies the manifest on the public route and catches
// a tampered seed; then compares respondents with INSEE's RP2018 margins.
func TestPanelRoutes(t *testing.T) {
	s := newPartServer(t, storage.SQLite)
	s.user("alice")
	s.user("org", httpapi.Grant{Role: httpapi.RoleOrganiser})
	var c participation.Consultation
	s.must(http.StatusCreated, "org", "POST", "/api/v1/consultations", square("Assemblée citoyenne"), &c)
	base := "/api/v1/consultations/" + c.ID.String() + "/panel"

	in, err := panel.ReadFoundationCSV(openPanelFile(t, "alternate_200_20/categories.csv"),
		openPanelFile(t, "alternate_200_20/respondents.csv"), panel.FoundationOptions{K: 20})
	require.NoError(t, err)
	var want struct {
		Min float64 `json:"leximin_min_probability"`
	}
	raw, err := os.ReadFile(panelTestdata + "alternate_200_20/expected.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &want))

	draw := map[string]any{"k": in.K, "quotas": in.Quotas, "people": in.People, "seed": "EuroMillions 2026-12-04: 07 19 28 33 45 / 02 11", "alternates": 3}
	s.problem(http.StatusForbidden, "alice", "POST", base+"/draws", draw)
	var got struct {
		Manifest      panel.Manifest      `json:"manifest"`
		Probabilities []panel.Probability `json:"probabilities"`
	}
	s.must(http.StatusOK, "org", "POST", base+"/draws", draw, &got)
	assert.InDelta(t, want.Min, got.Manifest.MinimumProbability, 1e-6)
	assert.Len(t, got.Manifest.Selected, 20)
	assert.Len(t, got.Manifest.AlternateIDs, 3)
	assert.Len(t, got.Probabilities, 200)

	var v struct {
		Verified bool                 `json:"verified"`
		Mismatch *panel.MismatchError `json:"mismatch"`
	}
	s.must(http.StatusOK, "", "POST", "/api/v1/panels/manifest-verification", map[string]any{"manifest": got.Manifest, "people": in.People}, &v)
	assert.True(t, v.Verified)
	tampered := got.Manifest
	tampered.Seed = "another seed"
	v.Verified = false
	s.must(http.StatusOK, "", "POST", "/api/v1/panels/manifest-verification", map[string]any{"manifest": tampered, "people": in.People}, &v)
	assert.False(t, v.Verified)
	require.NotNil(t, v.Mismatch)
	assert.Equal(t, "seed_commitment", v.Mismatch.Field)

	p := s.problem(http.StatusBadRequest, "org", "POST", base+"/draws", map[string]any{"k": 20, "quotas": in.Quotas, "people": in.People})
	assert.Contains(t, fieldRules(p), "seed:required")

	// Representativeness and weights against the census: 6 men and 2
	// women over-represent men (48.6 % of France's population in RP2018).
	m, err := panel.ReadMargins(openPanelFile(t, "insee_rp2018_france.csv"))
	require.NoError(t, err)
	var rs []panel.Respondent
	for i := range 8 {
		sex := "Hommes"
		if i >= 6 {
			sex = "Femmes"
		}
		rs = append(rs, panel.Respondent{Attributes: map[string]string{"sexe": sex}, Channel: "web"})
	}
	var as panel.Assessment
	s.must(http.StatusOK, "org", "POST", base+"/representativeness", map[string]any{"margins": m, "respondents": rs}, &as)
	assert.Equal(t, 8, as.Overall.Respondents)
	sexe := as.Overall.Categories[0]
	require.Equal(t, "sexe", sexe.Name)
	assert.InDelta(t, 0.75-32280580.0/(32280580+34451958), sexe.Rows[0].AbsoluteGap, 1e-9)
	var rk panel.RakeResult
	s.must(http.StatusOK, "org", "POST", base+"/weights", map[string]any{"margins": m, "respondents": rs}, &rk)
	assert.True(t, rk.Converged)
	require.Len(t, rk.Weights, 8)
	assert.Greater(t, rk.Weights[7], rk.Weights[0], "women weigh more")
	s.problem(http.StatusBadRequest, "org", "POST", base+"/weights", map[string]any{"respondents": rs})
}

// TestWeightedResultsRoute: respondents declare their age band, answer on
// the web, and the organiser asks for results weighted to the
// population's margins: raw counts unchanged, weighted ones beside them.
func TestWeightedResultsRoute(t *testing.T) {
	s := newPartServer(t, storage.SQLite)
	s.user("org", httpapi.Grant{Role: httpapi.RoleOrganiser})
	s.user("alice")
	in := square("Budget du quartier")
	in["settings"] = map[string]any{}
	var c participation.Consultation
	s.must(http.StatusCreated, "org", "POST", "/api/v1/consultations", in, &c)
	base := "/api/v1/consultations/" + c.ID.String()
	var q questionnaire.Questionnaire
	s.must(http.StatusCreated, "org", "POST", base+"/questionnaires", map[string]any{"title": "Priorité", "results": "live", "min_group_size": 1,
		"questions": []map[string]any{{"id": "prio", "type": "single_choice", "title": "Votre priorité",
			"options": []map[string]any{{"id": "parc", "label": "Un parc"}, {"id": "bus", "label": "Un bus"}}}}}, &q)
	s.must(http.StatusOK, "org", "POST", base+"/transitions", map[string]any{"to": "expression"}, nil)

	// Three young people want a park, one older person a bus; the
	// population is half young, half old.
	for i, who := range []struct{ age, prio string }{{"18-39", "parc"}, {"18-39", "parc"}, {"18-39", "parc"}, {"40+", "bus"}} {
		name := fmt.Sprintf("r%d", i)
		s.user(name)
		s.must(http.StatusOK, name, "PUT", "/api/v1/me/attributes", map[string]any{"values": map[string]string{"age": who.age}, "consent": true}, nil)
		s.must(http.StatusCreated, name, "POST", "/api/v1/questionnaires/"+q.ID.String()+"/responses",
			map[string]any{"answers": []map[string]any{{"question": "prio", "choices": []string{who.prio}}}}, nil)
	}
	path := base + "/questionnaires/" + q.ID.String() + "/weighted-results"
	margins := map[string]any{"margins": map[string]any{"categories": []map[string]any{{"name": "age",
		"values": []map[string]any{{"value": "18-39", "count": 500}, {"value": "40+", "count": 500}}}}}}
	s.problem(http.StatusForbidden, "alice", "POST", path, margins)
	s.problem(http.StatusUnauthorized, "", "POST", path, margins)
	p := s.problem(http.StatusBadRequest, "org", "POST", path, map[string]any{"margins": map[string]any{}})
	assert.Equal(t, []string{"margins.categories:required"}, fieldRules(p))

	var res questionnaire.Results
	s.must(http.StatusOK, "org", "POST", path, margins, &res)
	require.NotNil(t, res.Weighting)
	got := map[string]questionnaire.Count{}
	for _, cnt := range res.Questions[0].Counts {
		got[cnt.Key] = cnt
	}
	assert.Equal(t, 3, got["parc"].Total)
	assert.Equal(t, 1, got["bus"].Total)
	assert.InDelta(t, 0.5, got["parc"].WeightedShare, 1e-6, "half the population is young")
	assert.InDelta(t, 0.5, got["bus"].WeightedShare, 1e-6)
	assert.InDelta(t, 3.0, res.Weighting.Spread.Kish, 1e-6, "(Σw)²/Σw² with weights 2/3, 2/3, 2/3, 2")
}
