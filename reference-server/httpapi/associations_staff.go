package httpapi

import (
	"net/http"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/google/uuid"
)

// associationStaffRoutes lists the routes of the portal's staff over the
// association registry: editing and dissolving associations, the grants
// workflow and memberships. They need RoleAdministrator (access.go: the
// administrator manages the portal's associations): associations are not
// scoped to a consultation, and grants and memberships carry personal
// data (applicants, members), so no public or participant route serves
// them.
func (a *api) associationStaffRoutes() []Route {
	as := "/api/v1/associations/{id}"
	g := "/api/v1/grants/{grant}"
	m := "/api/v1/memberships/{membership}"
	admin := RoleAdministrator
	return []Route{
		{Method: http.MethodPost, Pattern: "/api/v1/associations", Summary: "register an association (id, version and dates are the service's)", Access: admin,
			Body: associations.Association{}, Answer: associations.Association{}, handler: a.createAssociation},
		{Method: http.MethodPut, Pattern: as, Summary: "replace an association (version: the one read; 409 when stale)", Access: admin,
			Body: associations.Association{}, Answer: associations.Association{}, handler: a.updateAssociation},
		{Method: http.MethodGet, Pattern: "/api/v1/association-records/{id}", Summary: "an association with its private contacts, address and notes (for editing)", Access: admin,
			Answer: associations.Association{}, handler: a.getAssociationFull},
		{Method: http.MethodPost, Pattern: as + "/dissolution", Summary: "dissolve an active association as of a day (the registry keeps it: there is no delete)", Access: admin,
			Body: dissolutionRequest{}, Answer: associations.Association{}, handler: a.dissolveAssociation},
		{Method: http.MethodPost, Pattern: as + "/grants", Summary: "open a grant application as a draft", Access: admin,
			Body: associations.Grant{}, Answer: associations.Grant{}, handler: a.createGrant},
		{Method: http.MethodGet, Pattern: "/api/v1/grants", Summary: "a page of an association's grants (?association=)", Access: admin,
			Answer: civickit.Page[associations.Grant]{}, handler: a.listGrants},
		{Method: http.MethodGet, Pattern: g, Summary: "one grant", Access: admin,
			Answer: associations.Grant{}, handler: a.getGrant},
		{Method: http.MethodPut, Pattern: g, Summary: "replace a draft application", Access: admin,
			Body: associations.Grant{}, Answer: associations.Grant{}, handler: a.updateGrantDraft},
		{Method: http.MethodGet, Pattern: g + "/history", Summary: "a page of the grant's transitions, oldest first", Access: admin,
			Answer: civickit.Page[associations.GrantTransition]{}, handler: a.grantHistory},
		{Method: http.MethodPost, Pattern: g + "/submission", Summary: "submit a complete draft", Access: admin,
			Body: versionRequest{}, Answer: associations.Grant{}, handler: grantStep(a, func(r *http.Request, id uuid.UUID, in versionRequest) (*associations.Grant, error) {
				return a.assoc.SubmitGrant(r.Context(), id, in.Version, actor(r))
			})},
		{Method: http.MethodPost, Pattern: g + "/review", Summary: "start reviewing a submitted grant", Access: admin,
			Body: versionRequest{}, Answer: associations.Grant{}, handler: grantStep(a, func(r *http.Request, id uuid.UUID, in versionRequest) (*associations.Grant, error) {
				return a.assoc.StartReview(r.Context(), id, in.Version, actor(r))
			})},
		{Method: http.MethodPost, Pattern: g + "/award", Summary: "award an amount (at most the one requested)", Access: admin,
			Body: awardRequest{}, Answer: associations.Grant{}, handler: grantStep(a, func(r *http.Request, id uuid.UUID, in awardRequest) (*associations.Grant, error) {
				return a.assoc.AwardGrant(r.Context(), id, in.Version, actor(r), in.GrantedCents, in.Note)
			})},
		{Method: http.MethodPost, Pattern: g + "/rejection", Summary: "reject a grant under review, with the reason", Access: admin,
			Body: rejectRequest{}, Answer: associations.Grant{}, handler: grantStep(a, func(r *http.Request, id uuid.UUID, in rejectRequest) (*associations.Grant, error) {
				return a.assoc.RejectGrant(r.Context(), id, in.Version, actor(r), in.Reason)
			})},
		{Method: http.MethodPost, Pattern: g + "/payment", Summary: "record the payment of an awarded grant", Access: admin,
			Body: paymentRequest{}, Answer: associations.Grant{}, handler: grantStep(a, func(r *http.Request, id uuid.UUID, in paymentRequest) (*associations.Grant, error) {
				return a.assoc.RecordPayment(r.Context(), id, in.Version, actor(r), in.PaidCents)
			})},
		{Method: http.MethodPost, Pattern: g + "/report", Summary: "record the day the financial report arrived", Access: admin,
			Body: reportReceived{}, Answer: associations.Grant{}, handler: grantStep(a, func(r *http.Request, id uuid.UUID, in reportReceived) (*associations.Grant, error) {
				return a.assoc.RecordReport(r.Context(), id, in.Version, actor(r), in.On)
			})},
		{Method: http.MethodPost, Pattern: as + "/memberships", Summary: "a person joins the association for a period (pending until paid when there is a fee)", Access: admin,
			Body: joinRequest{}, Answer: associations.Membership{}, handler: a.join},
		{Method: http.MethodGet, Pattern: "/api/v1/memberships", Summary: "a page of an association's memberships (?association=)", Access: admin,
			Answer: civickit.Page[associations.Membership]{}, handler: a.listMemberships},
		{Method: http.MethodGet, Pattern: m, Summary: "one membership", Access: admin,
			Answer: associations.Membership{}, handler: a.getMembership},
		{Method: http.MethodPost, Pattern: m + "/payment", Summary: "confirm the fee is paid (pending to active)", Access: admin,
			Body: versionRequest{}, Answer: associations.Membership{}, handler: membershipStep(a, func(r *http.Request, id uuid.UUID, in versionRequest) (*associations.Membership, error) {
				return a.assoc.ConfirmPayment(r.Context(), id, in.Version)
			})},
		{Method: http.MethodPost, Pattern: m + "/cancellation", Summary: "cancel a membership", Access: admin,
			Body: versionRequest{}, Answer: associations.Membership{}, handler: membershipStep(a, func(r *http.Request, id uuid.UUID, in versionRequest) (*associations.Membership, error) {
				return a.assoc.Cancel(r.Context(), id, in.Version)
			})},
		{Method: http.MethodPost, Pattern: m + "/renewal", Summary: "renew an active membership for the next period", Access: admin,
			Body: renewRequest{}, Answer: associations.Membership{}, handler: membershipStep(a, func(r *http.Request, id uuid.UUID, in renewRequest) (*associations.Membership, error) {
				return a.assoc.Renew(r.Context(), id, in.Version, in.FeeCents)
			})},
		{Method: http.MethodDelete, Pattern: "/api/v1/persons/{person}", Summary: "erase a member's personal data (their memberships stay, naming no one)", Access: admin,
			handler: a.erasePerson},
	}
}

type dissolutionRequest struct {
	On time.Time `json:"on"`
}

type versionRequest struct {
	Version int `json:"version"`
}

type awardRequest struct {
	Version      int    `json:"version"`
	GrantedCents int64  `json:"granted_cents"`
	Note         string `json:"note,omitempty"`
}

type rejectRequest struct {
	Version int    `json:"version"`
	Reason  string `json:"reason"`
}

type paymentRequest struct {
	Version   int   `json:"version"`
	PaidCents int64 `json:"paid_cents"`
}

type reportReceived struct {
	Version int       `json:"version"`
	On      time.Time `json:"on"`
}

type joinRequest struct {
	Person associations.Person     `json:"person"`
	Period associations.JoinPeriod `json:"period"`
}

type renewRequest struct {
	Version  int   `json:"version"`
	FeeCents int64 `json:"fee_cents"`
}

func (a *api) createAssociation(w http.ResponseWriter, r *http.Request) {
	var in associations.Association
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	out, err := a.assoc.Create(r.Context(), in)
	a.answer(w, r, http.StatusCreated, out, err)
}

func (a *api) updateAssociation(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var in associations.Association
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	in.ID = id
	out, err := a.assoc.Update(r.Context(), in)
	a.answer(w, r, http.StatusOK, out, err)
}

func (a *api) getAssociationFull(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	out, err := a.assoc.Get(r.Context(), id)
	a.answer(w, r, http.StatusOK, out, err)
}

func (a *api) dissolveAssociation(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var in dissolutionRequest
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	if in.On.IsZero() {
		writeError(w, r, a.log, civickit.Invalid("on", "required", ""))
		return
	}
	out, err := a.assoc.Dissolve(r.Context(), id, in.On)
	a.answer(w, r, http.StatusOK, out, err)
}

func (a *api) createGrant(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var in associations.Grant
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	in.AssociationID = id
	out, err := a.assoc.CreateGrant(r.Context(), in, actor(r))
	a.answer(w, r, http.StatusCreated, out, err)
}

func (a *api) listGrants(w http.ResponseWriter, r *http.Request) {
	a.pageOf(w, r, "association", func(id uuid.UUID, after string, limit int) (any, error) {
		return a.assoc.ListGrants(r.Context(), id, after, limit)
	})
}

func (a *api) grantHistory(w http.ResponseWriter, r *http.Request) {
	a.pageOf(w, r, "grant", func(id uuid.UUID, after string, limit int) (any, error) {
		return a.assoc.GrantHistory(r.Context(), id, after, limit)
	})
}

func (a *api) listMemberships(w http.ResponseWriter, r *http.Request) {
	a.pageOf(w, r, "association", func(id uuid.UUID, after string, limit int) (any, error) {
		return a.assoc.ListMemberships(r.Context(), id, after, limit)
	})
}

// pageOf answers a page of a list of the ID in the path wildcard name,
// or else in the query parameter name.
func (a *api) pageOf(w http.ResponseWriter, r *http.Request, name string, list func(id uuid.UUID, after string, limit int) (any, error)) {
	var id uuid.UUID
	var err error
	if r.PathValue(name) != "" {
		id, err = pathID(r, name)
	} else if id, err = uuid.Parse(r.URL.Query().Get(name)); err != nil {
		err = civickit.Invalid(name, "uuid", "")
	}
	if err == nil {
		var after string
		var limit int
		if after, limit, err = pageParams(r); err == nil {
			var p any
			p, err = list(id, after, limit)
			a.answer(w, r, http.StatusOK, p, err)
			return
		}
	}
	writeError(w, r, a.log, err)
}

func (a *api) getGrant(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "grant")
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	out, err := a.assoc.GetGrant(r.Context(), id)
	a.answer(w, r, http.StatusOK, out, err)
}

func (a *api) updateGrantDraft(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "grant")
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var in associations.Grant
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	in.ID = id
	out, err := a.assoc.UpdateGrantDraft(r.Context(), in, actor(r))
	a.answer(w, r, http.StatusOK, out, err)
}

// grantStep returns the handler of one step of the grants workflow,
// decoding the step's own body type (a field of another step is refused).
func grantStep[T any](a *api, step func(r *http.Request, id uuid.UUID, in T) (*associations.Grant, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "grant")
		if err != nil {
			writeError(w, r, a.log, err)
			return
		}
		var in T
		if err := decodeBody(w, r, &in); err != nil {
			writeError(w, r, a.log, err)
			return
		}
		out, err := step(r, id, in)
		a.answer(w, r, http.StatusOK, out, err)
	}
}

func (a *api) join(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var in joinRequest
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	out, err := a.assoc.Join(r.Context(), id, in.Person, in.Period)
	a.answer(w, r, http.StatusCreated, out, err)
}

func (a *api) getMembership(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "membership")
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	out, err := a.assoc.GetMembership(r.Context(), id)
	a.answer(w, r, http.StatusOK, out, err)
}

// membershipStep is grantStep for the memberships' steps.
func membershipStep[T any](a *api, step func(r *http.Request, id uuid.UUID, in T) (*associations.Membership, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "membership")
		if err != nil {
			writeError(w, r, a.log, err)
			return
		}
		var in T
		if err := decodeBody(w, r, &in); err != nil {
			writeError(w, r, a.log, err)
			return
		}
		out, err := step(r, id, in)
		a.answer(w, r, http.StatusOK, out, err)
	}
}

func (a *api) erasePerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "person")
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	a.answer(w, r, http.StatusNoContent, nil, a.assoc.ErasePerson(r.Context(), id))
}
