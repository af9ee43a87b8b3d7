package httpapi

import (
	"net/http"
	"time"

	"github.com/civickit/civickit"
	"github.com/google/uuid"
)

// authRoutes are login, logout and "who am I"; adminRoutes manage API
// tokens and role grants.
func (a *api) authRoutes() []Route {
	rs := []Route{
		{Method: http.MethodGet, Pattern: "/api/v1/auth/session", Summary: "the caller: participant, assurance, roles and, with a session cookie, its CSRF token",
			Answer: sessionAnswer{}, handler: a.session},
	}
	if a.oidc != nil {
		rs = append(rs,
			Route{Method: http.MethodGet, Pattern: "/auth/login", Summary: "start an OpenID Connect login (?return=/path); redirects to the provider", handler: a.login},
			Route{Method: http.MethodGet, Pattern: "/auth/callback", Summary: "end an OpenID Connect login: starts the session cookie and redirects", handler: a.callback},
		)
	}
	if a.sessions != nil && a.embed != nil {
		rs = append(rs, Route{Method: http.MethodGet, Pattern: "/auth/embed", Summary: "exchange a portal's embed token (?token=) for a session confined to its scope, for pages in the portal's frame; redirects to ?return=",
			handler: a.embedSession})
	}
	if a.sessions != nil {
		rs = append(rs, Route{Method: http.MethodPost, Pattern: "/auth/logout", Summary: "end every session of the caller's participant (a copied cookie dies too) and clear the cookie",
			Access: RoleParticipant, handler: a.logout})
	}
	return rs
}

func (a *api) adminRoutes() []Route {
	return []Route{
		{Method: http.MethodPost, Pattern: "/api/v1/admin/tokens", Summary: "create an API token for a server; its secret is in this answer only",
			Access: RoleAdministrator, Body: tokenRequest{}, Answer: tokenAnswer{}, handler: a.createToken},
		{Method: http.MethodGet, Pattern: "/api/v1/admin/tokens", Summary: "every API token, newest first, without secrets",
			Access: RoleAdministrator, Answer: civickit.Page[APIToken]{}, handler: a.listTokens},
		{Method: http.MethodPost, Pattern: "/api/v1/admin/tokens/{id}/revoke", Summary: "revoke an API token",
			Access: RoleAdministrator, handler: a.revokeToken},
		{Method: http.MethodGet, Pattern: "/api/v1/admin/participants/{participant}/grants", Summary: "a participant's role grants",
			Access: RoleAdministrator, Answer: civickit.Page[Grant]{}, handler: a.listRoleGrants},
		{Method: http.MethodPost, Pattern: "/api/v1/admin/grants", Summary: "grant a role, everywhere or within one consultation or election",
			Access: RoleAdministrator, Body: grantRequest{}, Answer: grantRequest{}, handler: a.addGrant},
		{Method: http.MethodPost, Pattern: "/api/v1/admin/grants/revoke", Summary: "take a role grant back",
			Access: RoleAdministrator, Body: grantRequest{}, handler: a.removeGrant},
		// An organiser delegates within their own consultation or
		// election: operators and moderators, never their own rank.
		{Method: http.MethodPost, Pattern: "/api/v1/scopes/{scope}/grants", Summary: "grant operator or moderator within a consultation or election the caller organises",
			Access: RoleOrganiser, Scope: "scope", Body: scopedGrantRequest{}, Answer: grantRequest{}, handler: a.addScopedGrant},
		{Method: http.MethodPost, Pattern: "/api/v1/scopes/{scope}/grants/revoke", Summary: "take back an operator or moderator grant within a consultation or election the caller organises",
			Access: RoleOrganiser, Scope: "scope", Body: scopedGrantRequest{}, handler: a.removeScopedGrant},
	}
}

type scopedGrantRequest struct {
	Participant uuid.UUID `json:"participant_id"`
	Role        Role      `json:"role"`
}

// scopedGrant reads a delegation: the scope is the path's, the role below
// organiser.
func (a *api) scopedGrant(w http.ResponseWriter, r *http.Request) (grantRequest, error) {
	var req scopedGrantRequest
	if err := decodeBody(w, r, &req); err != nil {
		return grantRequest{}, err
	}
	scope, err := pathID(r, "scope")
	if err != nil {
		return grantRequest{}, err
	}
	g := grantRequest{Participant: req.Participant, Role: req.Role, Scope: scope}
	if err := g.check(); err != nil {
		return g, err
	}
	if g.Role >= RoleOrganiser {
		return g, civickit.Invalid("role", "oneof", "operator moderator")
	}
	return g, nil
}

func (a *api) addScopedGrant(w http.ResponseWriter, r *http.Request) {
	g, err := a.scopedGrant(w, r)
	if err == nil {
		err = a.accounts.store.AddGrant(r.Context(), g.Participant, Grant{Role: g.Role, Scope: g.Scope}, a.now().UTC())
	}
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusCreated, g)
}

func (a *api) removeScopedGrant(w http.ResponseWriter, r *http.Request) {
	g, err := a.scopedGrant(w, r)
	if err == nil {
		err = a.accounts.store.RemoveGrant(r.Context(), g.Participant, Grant{Role: g.Role, Scope: g.Scope})
	}
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type sessionAnswer struct {
	Authenticated bool                    `json:"authenticated"`
	Participant   uuid.UUID               `json:"participant_id,omitzero"`
	Assurance     civickit.AssuranceLevel `json:"assurance,omitempty"`
	Grants        []Grant                 `json:"grants,omitempty"`
	Within        uuid.UUID               `json:"within,omitzero"`
	CSRFToken     string                  `json:"csrf_token,omitempty"`
}

func (a *api) session(w http.ResponseWriter, r *http.Request) {
	p := PrincipalFrom(r.Context())
	ans := sessionAnswer{Authenticated: !p.Anonymous(), Participant: p.Participant, Assurance: p.Assurance, Grants: p.Grants, Within: p.Within}
	if a.sessions != nil && ans.Authenticated {
		ans.CSRFToken = a.sessions.csrfToken(r)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, ans)
}

func (a *api) login(w http.ResponseWriter, r *http.Request) {
	if err := a.oidc.login(w, r); err != nil {
		writeError(w, r, a.log, err)
	}
}

func (a *api) callback(w http.ResponseWriter, r *http.Request) {
	_, ret, err := a.oidc.callback(w, r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	http.Redirect(w, r, ret, http.StatusSeeOther)
}

// embedSession starts a session from an embed token given in the URL (a
// frame cannot send headers). The session ends when the token expires;
// the token never reaches the logs (no query strings) nor other sites
// (Referrer-Policy: no-referrer).
func (a *api) embedSession(w http.ResponseWriter, r *http.Request) {
	p, exp, err := a.embed.principal(r.Context(), r.URL.Query().Get("token"))
	if err == nil {
		err = a.sessions.start(w, p, exp)
	}
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	http.Redirect(w, r, localPath(r.URL.Query().Get("return")), http.StatusSeeOther)
}

// logout ends every session of the caller's participant (on every
// device: a stolen copy of the cookie dies too) and clears the cookie.
func (a *api) logout(w http.ResponseWriter, r *http.Request) {
	if err := a.sessions.endAll(r.Context(), PrincipalFrom(r.Context()).Participant); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	a.sessions.End(w)
	w.WriteHeader(http.StatusNoContent)
}

type tokenRequest struct {
	Name      string    `json:"name"`
	Grants    []Grant   `json:"grants"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
}

type tokenAnswer struct {
	APIToken
	// Secret is shown once: send it as Authorization: Bearer <secret>.
	Secret string `json:"secret"`
}

func (a *api) createToken(w http.ResponseWriter, r *http.Request) {
	var req tokenRequest
	if err := decodeBody(w, r, &req); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	t, secret, err := a.accounts.NewToken(r.Context(), req.Name, req.Grants, req.ExpiresAt)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, tokenAnswer{APIToken: *t, Secret: secret})
}

func (a *api) listTokens(w http.ResponseWriter, r *http.Request) {
	ts, err := a.accounts.store.ListTokens(r.Context())
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusOK, civickit.Page[APIToken]{Items: ts})
}

func (a *api) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		err = a.accounts.store.RevokeToken(r.Context(), id, a.now().UTC())
	}
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type grantRequest struct {
	Participant uuid.UUID `json:"participant_id"`
	Role        Role      `json:"role"`
	// Scope is the consultation or election the role is limited to;
	// absent: everywhere.
	Scope uuid.UUID `json:"scope,omitzero"`
}

func (g grantRequest) check() error {
	var ve civickit.ValidationError
	if g.Participant == uuid.Nil {
		ve.Add("participant_id", "required", "")
	}
	if g.Role <= RoleParticipant {
		ve.Add("role", "oneof", "operator moderator organiser administrator")
	}
	return ve.Err()
}

func (a *api) listRoleGrants(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "participant")
	var gs []Grant
	if err == nil {
		gs, err = a.accounts.store.Grants(r.Context(), id)
	}
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusOK, civickit.Page[Grant]{Items: gs})
}

func (a *api) addGrant(w http.ResponseWriter, r *http.Request) {
	var req grantRequest
	err := decodeBody(w, r, &req)
	if err == nil {
		err = req.check()
	}
	if err == nil {
		err = a.accounts.store.AddGrant(r.Context(), req.Participant, Grant{Role: req.Role, Scope: req.Scope}, a.now().UTC())
	}
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusCreated, req)
}

func (a *api) removeGrant(w http.ResponseWriter, r *http.Request) {
	var req grantRequest
	err := decodeBody(w, r, &req)
	if err == nil {
		err = req.check()
	}
	if err == nil {
		err = a.accounts.store.RemoveGrant(r.Context(), req.Participant, Grant{Role: req.Role, Scope: req.Scope})
	}
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
