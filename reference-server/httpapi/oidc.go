package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/civickit/civickit"
	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// OIDCConfig configures OpenID Connect login (FranceConnect, a city's
// SSO, any certified provider): the authorization code flow with PKCE,
// state and nonce, ending in a session cookie.
type OIDCConfig struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is this server's /auth/callback as registered at the
	// provider.
	RedirectURL string
	// Scopes beyond openid (none are needed: only the subject is kept).
	Scopes []string
	// ACRValues asks the provider for an assurance level (FranceConnect:
	// "eidas1"); empty: the provider's default.
	ACRValues string
	// Assurance maps the ID token's acr claim to an assurance level
	// (FranceConnect: eidas1 → low, eidas2 → substantial, eidas3 →
	// high); an acr not listed is low.
	Assurance map[string]civickit.AssuranceLevel
}

// OIDC is an OpenID Connect relying party; its routes are /auth/login and
// /auth/callback.
type OIDC struct {
	cfg      OIDCConfig
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	sessions *Sessions
}

// NewOIDC discovers the provider at cfg.Issuer (its
// /.well-known/openid-configuration) and returns the relying party, which
// opens sessions with sessions.
func NewOIDC(ctx context.Context, cfg OIDCConfig, sessions *Sessions) (*OIDC, error) {
	if sessions == nil {
		return nil, errors.New("httpapi: NewOIDC: no Sessions")
	}
	provider, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("httpapi: OpenID provider %s: %w", cfg.Issuer, err)
	}
	return &OIDC{
		cfg: cfg,
		oauth: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, Endpoint: provider.Endpoint(),
			RedirectURL: cfg.RedirectURL, Scopes: append([]string{oidc.ScopeOpenID}, cfg.Scopes...)},
		verifier: provider.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		sessions: sessions,
	}, nil
}

const loginCookie = "civickit_login"

// loginState is what the login cookie carries to the callback.
type loginState struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Return   string `json:"r"`
	Expires  int64  `json:"e"`
}

// localPath keeps a return address on this site: a path, not "//host".
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || len(p) > 500 {
		return "/"
	}
	return p
}

func (o *OIDC) login(w http.ResponseWriter, r *http.Request) error {
	st := loginState{State: randomText(18), Nonce: randomText(18), Verifier: oauth2.GenerateVerifier(),
		Return: localPath(r.URL.Query().Get("return")), Expires: o.sessions.Accounts.now().Add(10 * time.Minute).Unix()}
	v, err := signer{o.sessions.Key}.sign(st)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: v, Path: "/auth/", MaxAge: 600, HttpOnly: true,
		Secure: !o.sessions.Insecure, SameSite: http.SameSiteLaxMode})
	opts := []oauth2.AuthCodeOption{oidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.Verifier)}
	if o.cfg.ACRValues != "" {
		opts = append(opts, oauth2.SetAuthURLParam("acr_values", o.cfg.ACRValues))
	}
	http.Redirect(w, r, o.oauth.AuthCodeURL(st.State, opts...), http.StatusFound)
	return nil
}

var errLogin = civickit.Sentinel(civickit.ErrUnauthenticated, "httpapi: the login did not check out")

// callback ends the login: the state matches the cookie's, the code is
// exchanged (with the PKCE verifier), the ID token's signature, issuer,
// audience, expiry and nonce are checked; then the (issuer, subject)'s
// participant is found or created and the session starts.
func (o *OIDC) callback(w http.ResponseWriter, r *http.Request) (Principal, string, error) {
	c, err := r.Cookie(loginCookie)
	if err != nil {
		return Principal{}, "", errLogin
	}
	var st loginState
	if err := (signer{o.sessions.Key}).open(c.Value, &st); err != nil || o.sessions.Accounts.now().Unix() >= st.Expires {
		return Principal{}, "", errLogin
	}
	q := r.URL.Query()
	if q.Get("error") != "" || q.Get("state") == "" || q.Get("state") != st.State || q.Get("code") == "" {
		return Principal{}, "", errLogin
	}
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/auth/", MaxAge: -1, HttpOnly: true,
		Secure: !o.sessions.Insecure, SameSite: http.SameSiteLaxMode})
	tok, err := o.oauth.Exchange(r.Context(), q.Get("code"), oauth2.VerifierOption(st.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return Principal{}, "", fmt.Errorf("%w: token endpoint: %s", errLogin, re.ErrorCode)
		}
		return Principal{}, "", fmt.Errorf("token endpoint: %v: %w", err, civickit.ErrUnavailable)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Principal{}, "", errLogin
	}
	id, err := o.verifier.Verify(r.Context(), raw)
	if err != nil || id.Nonce != st.Nonce {
		return Principal{}, "", errLogin
	}
	var claims struct {
		ACR string `json:"acr"`
	}
	_ = id.Claims(&claims) // an odd acr only lowers the assurance
	level, ok := o.cfg.Assurance[claims.ACR]
	if !ok {
		level = civickit.AssuranceLow
	}
	p, err := o.sessions.Accounts.Principal(r.Context(), id.Issuer, id.Subject, level)
	if err != nil {
		return Principal{}, "", err
	}
	if err := o.sessions.Start(w, p); err != nil {
		return Principal{}, "", err
	}
	return p, st.Return, nil
}
