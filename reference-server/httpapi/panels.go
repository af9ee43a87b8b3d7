package httpapi

import (
	"errors"
	"net/http"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation/panel"
)

// panelRoutes lists the routes of citizens' panels: the representativeness
// of respondents against census margins, raking weights, and draws by lot
// with their manifest. They compute over what the request carries (the
// pool's pseudonyms and features, the respondents' attributes): nothing
// is stored, so the organiser publishes the manifest and anyone checks it
// with the public verification route.
func (a *api) panelRoutes() []Route {
	c := "/api/v1/consultations/{consultation}/panel"
	return []Route{
		{Method: http.MethodPost, Pattern: c + "/representativeness", Summary: "compare respondents with the population's margins, overall, by channel and by recruitment", Access: RoleOrganiser, Scope: "consultation",
			Body: representRequest{}, Answer: panel.Assessment{}, handler: a.representativeness},
		{Method: http.MethodPost, Pattern: c + "/weights", Summary: "rake respondents' weights to the population's margins", Access: RoleOrganiser, Scope: "consultation",
			Body: weightsRequest{}, Answer: panel.RakeResult{}, handler: a.rakeWeights},
		{Method: http.MethodPost, Pattern: c + "/draws", Summary: "draw a panel by lot within quotas and record the draw in a manifest", Access: RoleOrganiser, Scope: "consultation",
			Body: drawRequest{}, Answer: drawAnswer{}, handler: a.drawPanel},
		{Method: http.MethodPost, Pattern: "/api/v1/panels/manifest-verification", Summary: "re-run a published draw on its pool: verified, or the first difference",
			Body: verifyRequest{}, Answer: verifyAnswer{}, handler: a.verifyManifest},
	}
}

type representRequest struct {
	Margins     panel.Margins      `json:"margins"`
	Respondents []panel.Respondent `json:"respondents"`
}

type weightsRequest struct {
	Margins     panel.Margins      `json:"margins"`
	Respondents []panel.Respondent `json:"respondents"`
	// Cap and Floor bound each weight relative to the mean (0: free).
	Cap   float64 `json:"cap,omitempty"`
	Floor float64 `json:"floor,omitempty"`
}

type drawRequest struct {
	K          int             `json:"k"`
	Quotas     []panel.Quota   `json:"quotas"`
	People     []panel.Person  `json:"people"`
	Algorithm  panel.Algorithm `json:"algorithm,omitempty"`
	Seed       string          `json:"seed"`
	Alternates int             `json:"alternates,omitempty"`
}

type drawAnswer struct {
	Manifest      panel.Manifest      `json:"manifest"`
	Probabilities []panel.Probability `json:"probabilities"`
	Exact         bool                `json:"exact"`
}

type verifyRequest struct {
	Manifest panel.Manifest `json:"manifest"`
	People   []panel.Person `json:"people"`
}

type verifyAnswer struct {
	Verified bool                 `json:"verified"`
	Mismatch *panel.MismatchError `json:"mismatch,omitempty"`
}

// checkMargins refuses margins the panel package cannot compare with.
func checkMargins(m *panel.Margins) error {
	if len(m.Categories) == 0 {
		return civickit.Invalid("margins.categories", "required", "")
	}
	return m.Validate()
}

func (a *api) representativeness(w http.ResponseWriter, r *http.Request) {
	var in representRequest
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	if err := checkMargins(&in.Margins); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusOK, panel.Assess(in.Respondents, in.Margins))
}

func (a *api) rakeWeights(w http.ResponseWriter, r *http.Request) {
	var in weightsRequest
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	if err := checkMargins(&in.Margins); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	res, err := panel.Rake(in.Respondents, in.Margins, nil, panel.RakeOptions{Cap: in.Cap, Floor: in.Floor})
	a.answer(w, r, http.StatusOK, &res, err)
}

func (a *api) drawPanel(w http.ResponseWriter, r *http.Request) {
	var in drawRequest
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	m, d, err := panel.DrawManifest(panel.Instance{K: in.K, Quotas: in.Quotas, People: in.People},
		panel.SelectOptions{Algorithm: in.Algorithm}, in.Seed, in.Alternates)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusOK, drawAnswer{Manifest: m, Probabilities: d.Probabilities, Exact: d.Exact})
}

func (a *api) verifyManifest(w http.ResponseWriter, r *http.Request) {
	var in verifyRequest
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	err := panel.Verify(in.Manifest, in.People)
	var mm *panel.MismatchError
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, verifyAnswer{Verified: true})
	case errors.As(err, &mm):
		writeJSON(w, http.StatusOK, verifyAnswer{Mismatch: mm})
	default:
		writeError(w, r, a.log, err)
	}
}
