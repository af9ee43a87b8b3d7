package httpapi

import (
	"errors"
	"net/http"

	"github.com/civickit/civickit/participation"
)

// eligibilityRoutes lists the routes by which participants show who they
// are (a census identity, the attributes panels and representativeness
// use) and learn whether they may take part; staff fill census lists.
func (a *api) eligibilityRoutes() []Route {
	return []Route{
		{Method: http.MethodGet, Pattern: "/api/v1/consultations/{consultation}/eligibility", Summary: "whether the caller may take part, and the rule that refuses them", Access: RoleParticipant,
			Answer: eligibilityAnswer{}, handler: a.eligibility},
		{Method: http.MethodPost, Pattern: "/api/v1/me/census-claims", Summary: "claim the caller's identity on a census list (one person, one participant)", Access: RoleParticipant,
			Body: censusClaimRequest{}, Answer: participation.CensusClaim{}, handler: a.claimCensus},
		{Method: http.MethodPut, Pattern: "/api/v1/me/attributes", Summary: "declare the caller's attributes (age band, district…) with their consent, replacing the previous ones", Access: RoleParticipant,
			Body: attributesRequest{}, Answer: participation.Attributes{}, handler: a.declareAttributes},
		{Method: http.MethodGet, Pattern: "/api/v1/me/attributes", Summary: "the attributes the caller declared", Access: RoleParticipant,
			Answer: participation.Attributes{}, handler: a.getAttributes},
		{Method: http.MethodPost, Pattern: "/api/v1/census-lists/{list}/entries", Summary: "add people to a census list by identifier (only keyed hashes are stored)", Access: RoleAdministrator,
			Body: censusEntries{}, handler: a.addCensusEntries},
	}
}

type eligibilityAnswer struct {
	Eligible bool   `json:"eligible"`
	Rule     string `json:"rule,omitempty"`
	Param    string `json:"param,omitempty"`
}

type censusClaimRequest struct {
	List       string `json:"list"`
	Identifier string `json:"identifier"`
}

type attributesRequest struct {
	Values map[string]string `json:"values"`
	// Consent must be true: the caller agrees to these data being kept
	// for representativeness and panels.
	Consent bool `json:"consent"`
}

type censusEntries struct {
	Identifiers []string `json:"identifiers"`
}

func (a *api) eligibility(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		err := a.part.Core.CheckEligibility(r.Context(), c.ID, participant(r))
		var ee *participation.EligibilityError
		switch {
		case err == nil:
			return http.StatusOK, eligibilityAnswer{Eligible: true}, nil
		case errors.As(err, &ee):
			return http.StatusOK, eligibilityAnswer{Rule: ee.Rule, Param: ee.Param}, nil
		}
		return 0, nil, err
	})
}

func (a *api) claimCensus(w http.ResponseWriter, r *http.Request) {
	var in censusClaimRequest
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	c, err := a.part.Core.ClaimCensus(r.Context(), participant(r), in.List, in.Identifier)
	a.answer(w, r, http.StatusCreated, c, err)
}

func (a *api) declareAttributes(w http.ResponseWriter, r *http.Request) {
	var in attributesRequest
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	at, err := a.part.Core.DeclareAttributes(r.Context(), participant(r), in.Values, in.Consent)
	a.answer(w, r, http.StatusOK, at, err)
}

func (a *api) getAttributes(w http.ResponseWriter, r *http.Request) {
	at, err := a.part.Core.Attributes(r.Context(), participant(r))
	a.answer(w, r, http.StatusOK, at, err)
}

func (a *api) addCensusEntries(w http.ResponseWriter, r *http.Request) {
	var in censusEntries
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	a.answer(w, r, http.StatusNoContent, nil, a.part.Core.AddCensusEntries(r.Context(), r.PathValue("list"), in.Identifiers))
}
