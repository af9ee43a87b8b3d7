package httpapi_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/reference-server/httpapi"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// testIdP is an OpenID provider in the test process, on loopback:
// discovery, JWKS, an authorize endpoint that signs in whoever the test
// names, and a token endpoint that checks the client secret and the PKCE
// verifier before returning an RS256 ID token.
type testIdP struct {
	srv      *httptest.Server
	key      *rsa.PrivateKey
	mu       sync.Mutex
	codes    map[string]idpCode
	user     string // the next user to sign in
	acr      string
	badNonce bool
}

type idpCode struct{ sub, nonce, challenge string }

const (
	clientID     = "civickit-test"
	clientSecret = "s3cret"
)

func newTestIdP(t testing.TB) *testIdP {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	idp := &testIdP{key: key, codes: map[string]idpCode{}, user: "alice", acr: "eidas2"}
	mux := http.NewServeMux()
	idp.srv = httptest.NewServer(mux)
	t.Cleanup(idp.srv.Close)
	iss := idp.srv.URL
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer": iss, "authorization_endpoint": iss + "/authorize", "token_endpoint": iss + "/token",
			"jwks_uri": iss + "/jwks", "response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("client_id") != clientID || q.Get("code_challenge_method") != "S256" || q.Get("response_type") != "code" ||
			q.Get("acr_values") != "eidas2" {
			http.Error(w, "bad authorize request", 400)
			return
		}
		code := uuid.NewString()
		idp.mu.Lock()
		idp.codes[code] = idpCode{sub: idp.user, nonce: q.Get("nonce"), challenge: q.Get("code_challenge")}
		idp.mu.Unlock()
		http.Redirect(w, r, q.Get("redirect_uri")+"?code="+code+"&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok {
			user, pass = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
		}
		idp.mu.Lock()
		c, found := idp.codes[r.PostFormValue("code")]
		delete(idp.codes, r.PostFormValue("code"))
		idp.mu.Unlock()
		sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
		if user != clientID || pass != clientSecret || !found || base64.RawURLEncoding.EncodeToString(sum[:]) != c.challenge {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			fmt.Fprint(w, `{"error":"invalid_grant"}`)
			return
		}
		nonce := c.nonce
		if idp.badNonce {
			nonce = "replayed"
		}
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		now := time.Now()
		claims, _ := json.Marshal(map[string]any{"iss": iss, "sub": c.sub, "aud": clientID, "nonce": nonce, "acr": idp.acr,
			"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix()})
		jws, err := signer.Sign(claims)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		idToken, _ := jws.CompactSerialize()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": idToken})
	})
	return idp
}

// authEnv is the reference handler with accounts on a real database, the
// test IdP as its OpenID provider, sessions, API tokens, embed tokens and
// development mode.
type authEnv struct {
	srv       *httptest.Server
	idp       *testIdP
	db        *storage.DB
	portalKey []byte
}

func newAuthEnv(t *testing.T, e storage.Engine) *authEnv {
	ctx := context.Background()
	db := storagetest.OpenWith(t, e, storage.Config{Domains: []storage.Domain{storage.DomainServer, storage.DomainParticipation}})
	accounts, err := httpapi.NewAccounts(httpapi.AccountsOptions{Store: storage.NewServerStore(db),
		EnsureParticipant: httpapi.EnsureParticipantIn(storage.NewParticipationStore(db), nil)})
	require.NoError(t, err)
	env := &authEnv{idp: newTestIdP(t), db: db, portalKey: []byte("portal-key-0123456789-0123456789")}
	var h http.Handler
	env.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(env.srv.Close)
	sessions := &httpapi.Sessions{Accounts: accounts, Key: []byte("session-key-0123456789-0123456789"), Insecure: true}
	oidc, err := httpapi.NewOIDC(ctx, httpapi.OIDCConfig{Issuer: env.idp.srv.URL, ClientID: clientID, ClientSecret: clientSecret,
		RedirectURL: env.srv.URL + "/auth/callback", ACRValues: "eidas2", Assurance: map[string]civickit.AssuranceLevel{"eidas2": civickit.AssuranceSubstantial}}, sessions)
	require.NoError(t, err)
	embed := &httpapi.EmbedAuth{Accounts: accounts, Keys: map[string][]byte{"mairie": env.portalKey}}
	h = httpapi.New(httpapi.Deps{Accounts: accounts, Sessions: sessions, OIDC: oidc, Embed: embed,
		Idempotency: storage.NewServerStore(db),
		Auth: httpapi.Authenticators(httpapi.TokenAuth{Accounts: accounts}, embed,
			httpapi.DevAuth{Accounts: accounts}, sessions)})
	return env
}

func noRedirect(jar http.CookieJar) *http.Client {
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type sessionInfo struct {
	Authenticated bool                    `json:"authenticated"`
	Participant   uuid.UUID               `json:"participant_id"`
	Assurance     civickit.AssuranceLevel `json:"assurance"`
	CSRFToken     string                  `json:"csrf_token"`
	Grants        []httpapi.Grant         `json:"grants"`
}

// login runs the whole authorization code flow in a fresh browser and
// returns it, signed in.
func (env *authEnv) login(t *testing.T, user string) (*http.Client, sessionInfo) {
	env.idp.mu.Lock()
	env.idp.user = user
	env.idp.mu.Unlock()
	jar, _ := cookiejar.New(nil)
	c := noRedirect(jar)
	res, err := c.Get(env.srv.URL + "/auth/login?return=/somewhere")
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusFound, res.StatusCode)
	res, err = c.Get(res.Header.Get("Location")) // the provider signs the user in
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusFound, res.StatusCode)
	res, err = c.Get(res.Header.Get("Location")) // back to the callback
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, "/somewhere", res.Header.Get("Location"))
	var sc *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == httpapi.SessionCookie {
			sc = ck
		}
	}
	require.NotNil(t, sc, "a session cookie")
	assert.True(t, sc.HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, sc.SameSite)
	return c, env.whoami(t, c, "")
}

func (env *authEnv) whoami(t *testing.T, c *http.Client, authz string) sessionInfo {
	req, _ := http.NewRequest(http.MethodGet, env.srv.URL+"/api/v1/auth/session", nil)
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	res, err := c.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, 200, res.StatusCode)
	var si sessionInfo
	require.NoError(t, json.NewDecoder(res.Body).Decode(&si))
	return si
}

func participantCount(t *testing.T, db *storage.DB) int {
	n, err := db.Bun().NewSelect().TableExpr(db.TableName("participants")).Count(context.Background())
	require.NoError(t, err)
	return int(n)
}

func TestOIDCLogin(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		env := newAuthEnv(t, e)
		c, si := env.login(t, "alice")
		assert.True(t, si.Authenticated)
		assert.Equal(t, civickit.AssuranceSubstantial, si.Assurance)
		assert.NotEqual(t, uuid.Nil, si.Participant)
		assert.NotEmpty(t, si.CSRFToken)
		_, again := env.login(t, "alice")
		assert.Equal(t, si.Participant, again.Participant, "one participant per (issuer, subject)")

		// Two first logins of bob at once: one participant.
		var wg sync.WaitGroup
		got := make([]uuid.UUID, 2)
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, s := env.login(t, "bob")
				got[i] = s.Participant
			}()
		}
		wg.Wait()
		assert.Equal(t, got[0], got[1])
		assert.NotEqual(t, si.Participant, got[0])
		assert.Equal(t, 2, participantCount(t, env.db), "alice and bob, once each")

		// A copy of the cookie (another device, or a thief) dies with the logout.
		u0, _ := url.Parse(env.srv.URL)
		copyJar, _ := cookiejar.New(nil)
		copyJar.SetCookies(u0, c.Jar.Cookies(u0))
		stolen := noRedirect(copyJar)
		require.True(t, env.whoami(t, stolen, "").Authenticated)

		// A cookie-authenticated write needs the CSRF token.
		res, err := c.Post(env.srv.URL+"/auth/logout", "application/json", nil)
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, http.StatusForbidden, res.StatusCode)
		req, _ := http.NewRequest(http.MethodPost, env.srv.URL+"/auth/logout", nil)
		req.Header.Set("X-CSRF-Token", si.CSRFToken)
		res, err = c.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, http.StatusNoContent, res.StatusCode)
		assert.False(t, env.whoami(t, c, "").Authenticated, "logged out")
		code, _ := doJSON(t, stolen, "GET", env.srv.URL+"/api/v1/auth/session", "", "")
		assert.Equal(t, 401, code, "the copied cookie is void")
		_, back := env.login(t, "alice")
		assert.Equal(t, si.Participant, back.Participant, "a new login works")
	})
}

// TestOIDCLoginRefused: a callback whose state, nonce, cookie or code
// does not check out starts no session.
func TestOIDCLoginRefused(t *testing.T) {
	env := newAuthEnv(t, storage.SQLite)
	start := func() (*http.Client, string) {
		jar, _ := cookiejar.New(nil)
		c := noRedirect(jar)
		res, err := c.Get(env.srv.URL + "/auth/login?return=//evil.example")
		require.NoError(t, err)
		res.Body.Close()
		res, err = c.Get(res.Header.Get("Location"))
		require.NoError(t, err)
		res.Body.Close()
		return c, res.Header.Get("Location")
	}
	call := func(c *http.Client, u string) int {
		res, err := c.Get(u)
		require.NoError(t, err)
		res.Body.Close()
		for _, ck := range res.Cookies() {
			if ck.Name == httpapi.SessionCookie && ck.Value != "" {
				t.Fatalf("%s: a session started", u)
			}
		}
		return res.StatusCode
	}
	c, cb := start()
	assert.Equal(t, 401, call(c, strings.Replace(cb, "state=", "state=x", 1)), "wrong state")
	c, cb = start()
	assert.Equal(t, 401, call(c, strings.Replace(cb, "code=", "code=x", 1)), "unknown code")
	_, cb = start()
	jar, _ := cookiejar.New(nil)
	assert.Equal(t, 401, call(noRedirect(jar), cb), "no login cookie (another browser)")
	env.idp.badNonce = true
	c, cb = start()
	assert.Equal(t, 401, call(c, cb), "nonce mismatch")
	env.idp.badNonce = false
	c, cb = start()
	res, err := c.Get(cb)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, "/", res.Header.Get("Location"), "an off-site return address is dropped")

	// A forged cookie is refused, not taken as anonymous.
	req, _ := http.NewRequest(http.MethodGet, env.srv.URL+"/api/v1/auth/session", nil)
	req.AddCookie(&http.Cookie{Name: httpapi.SessionCookie, Value: "eyJzIjoieCJ9.AAAA"})
	res, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, 401, res.StatusCode)
}

func doJSON(t *testing.T, c *http.Client, method, u, authz, body string, hdr ...string) (int, []byte) {
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, b
}

// TestTokensGrantsEmbed: an administrator (development mode) creates an
// API token and grants; the token authenticates with its grants until
// revoked; a grant reaches a session; an embed token names one
// participant per (portal, xid) and confines it to its scope; with an
// Idempotency-Key, a retried token creation creates one token, on every
// engine.
func TestTokensGrantsEmbed(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		env := newAuthEnv(t, e)
		c := http.DefaultClient
		admin := []string{"X-Civickit-Dev-User", "root", "X-Civickit-Dev-Roles", "administrator"}
		u := env.srv.URL

		code, _ := doJSON(t, c, "POST", u+"/api/v1/admin/tokens", "", `{"name":"x","grants":[]}`)
		assert.Equal(t, 401, code, "anonymous")
		code, _ = doJSON(t, c, "POST", u+"/api/v1/admin/tokens", "", `{"name":"x","grants":[]}`, "X-Civickit-Dev-User", "ana")
		assert.Equal(t, 403, code, "a participant")

		// Concurrent retries with one key: one token.
		var wg sync.WaitGroup
		answers := make([]string, 6)
		for i := range answers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				code, b := doJSON(t, c, "POST", u+"/api/v1/admin/tokens", "", `{"name":"sync","grants":[{"role":"operator"}]}`,
					append(admin, "Idempotency-Key", "create-sync")...)
				assert.Equal(t, 201, code, string(b))
				answers[i] = string(b)
			}()
		}
		wg.Wait()
		for _, a := range answers {
			assert.Equal(t, answers[0], a, "one stored answer")
		}
		code, b := doJSON(t, c, "GET", u+"/api/v1/admin/tokens", "", "", admin...)
		require.Equal(t, 200, code)
		var list civickit.Page[httpapi.APIToken]
		require.NoError(t, json.Unmarshal(b, &list))
		assert.Len(t, list.Items, 1, "one token for six requests")
		assert.NotContains(t, string(b), "secret")
		code, _ = doJSON(t, c, "POST", u+"/api/v1/admin/tokens", "", `{"name":"other","grants":[]}`,
			append(admin, "Idempotency-Key", "create-sync")...)
		assert.Equal(t, 422, code, "same key, other body")

		var tok struct {
			ID     uuid.UUID `json:"id"`
			Secret string    `json:"secret"`
		}
		require.NoError(t, json.Unmarshal([]byte(answers[0]), &tok))
		bearer := "Bearer " + tok.Secret
		si := env.whoami(t, c, bearer)
		assert.True(t, si.Authenticated)
		assert.Equal(t, []httpapi.Grant{{Role: httpapi.RoleOperator}}, si.Grants)
		code, _ = doJSON(t, c, "GET", u+"/api/v1/auth/session", "Bearer ck_forged", "")
		assert.Equal(t, 401, code)
		code, _ = doJSON(t, c, "POST", u+"/api/v1/admin/tokens/"+tok.ID.String()+"/revoke", "", "", admin...)
		assert.Equal(t, 204, code)
		code, _ = doJSON(t, c, "GET", u+"/api/v1/auth/session", bearer, "")
		assert.Equal(t, 401, code, "revoked")

		// A grant given to alice's participant shows in her session.
		bc, alice := env.login(t, "alice")
		scope := uuid.New()
		code, b = doJSON(t, c, "POST", u+"/api/v1/admin/grants", "",
			fmt.Sprintf(`{"participant_id":%q,"role":"organiser","scope":%q}`, alice.Participant, scope), admin...)
		require.Equal(t, 201, code, string(b))
		code, _ = doJSON(t, c, "POST", u+"/api/v1/admin/grants", "", fmt.Sprintf(`{"participant_id":%q,"role":"boss"}`, alice.Participant), admin...)
		assert.Equal(t, 400, code)
		assert.Equal(t, []httpapi.Grant{{Role: httpapi.RoleOrganiser, Scope: scope}}, env.whoami(t, bc, "").Grants)
		code, _ = doJSON(t, c, "POST", u+"/api/v1/admin/grants/revoke", "",
			fmt.Sprintf(`{"participant_id":%q,"role":"organiser","scope":%q}`, alice.Participant, scope), admin...)
		assert.Equal(t, 204, code)
		assert.Empty(t, env.whoami(t, bc, "").Grants)

		// An organiser of the scope delegates moderation there, not beyond.
		org := []string{"X-Civickit-Dev-User", "orga"}
		code, b = doJSON(t, c, "GET", u+"/api/v1/auth/session", "", "", org...)
		require.Equal(t, 200, code)
		var orgInfo sessionInfo
		require.NoError(t, json.Unmarshal(b, &orgInfo))
		code, _ = doJSON(t, c, "POST", u+"/api/v1/admin/grants", "",
			fmt.Sprintf(`{"participant_id":%q,"role":"organiser","scope":%q}`, orgInfo.Participant, scope), admin...)
		require.Equal(t, 201, code)
		delegate := fmt.Sprintf(`{"participant_id":%q,"role":"moderator"}`, alice.Participant)
		code, b = doJSON(t, c, "POST", u+"/api/v1/scopes/"+scope.String()+"/grants", "", delegate, org...)
		require.Equal(t, 201, code, string(b))
		assert.Equal(t, []httpapi.Grant{{Role: httpapi.RoleModerator, Scope: scope}}, env.whoami(t, bc, "").Grants)
		code, _ = doJSON(t, c, "POST", u+"/api/v1/scopes/"+uuid.NewString()+"/grants", "", delegate, org...)
		assert.Equal(t, 403, code, "another scope")
		code, _ = doJSON(t, c, "POST", u+"/api/v1/scopes/"+scope.String()+"/grants", "",
			fmt.Sprintf(`{"participant_id":%q,"role":"organiser"}`, alice.Participant), org...)
		assert.Equal(t, 400, code, "not their own rank")
		code, _ = doJSON(t, c, "POST", u+"/api/v1/scopes/"+scope.String()+"/grants/revoke", "", delegate, org...)
		assert.Equal(t, 204, code)
		assert.Empty(t, env.whoami(t, bc, "").Grants)

		// Embed tokens: one participant per (portal, xid).
		sign := func(c httpapi.EmbedClaims) string {
			s, err := httpapi.SignEmbedToken(env.portalKey, c)
			require.NoError(t, err)
			return "Embed " + s
		}
		exp := time.Now().Add(10 * time.Minute).Unix()
		e1 := env.whoami(t, c, sign(httpapi.EmbedClaims{Portal: "mairie", XID: "u-42", Expires: exp, Scope: scope}))
		e2 := env.whoami(t, c, sign(httpapi.EmbedClaims{Portal: "mairie", XID: "u-42", Expires: exp, Scope: uuid.New()}))
		e3 := env.whoami(t, c, sign(httpapi.EmbedClaims{Portal: "mairie", XID: "u-43", Expires: exp, Scope: scope}))
		assert.Equal(t, e1.Participant, e2.Participant)
		assert.NotEqual(t, e1.Participant, e3.Participant)
		for name, bad := range map[string]string{
			"expired":     sign(httpapi.EmbedClaims{Portal: "mairie", XID: "u-42", Expires: time.Now().Add(-time.Minute).Unix(), Scope: scope}),
			"too long":    sign(httpapi.EmbedClaims{Portal: "mairie", XID: "u-42", Expires: time.Now().Add(48 * time.Hour).Unix(), Scope: scope}),
			"no scope":    sign(httpapi.EmbedClaims{Portal: "mairie", XID: "u-42", Expires: exp}),
			"other key":   "Embed " + must(httpapi.SignEmbedToken([]byte("not the portal's key"), httpapi.EmbedClaims{Portal: "mairie", XID: "u-42", Expires: exp, Scope: scope})),
			"unknown one": sign(httpapi.EmbedClaims{Portal: "ailleurs", XID: "u-42", Expires: exp, Scope: scope}),
			"garbage":     "Embed %%%",
		} {
			code, _ := doJSON(t, c, "GET", u+"/api/v1/auth/session", bad, "")
			assert.Equal(t, 401, code, name)
		}
		// In a frame, the token in the URL becomes a session confined to
		// the scope, for the same participant.
		jar, _ := cookiejar.New(nil)
		fc := noRedirect(jar)
		tokURL := u + "/auth/embed?return=/vote&token=" + url.QueryEscape(strings.TrimPrefix(sign(httpapi.EmbedClaims{Portal: "mairie", XID: "u-42", Expires: exp, Scope: scope}), "Embed "))
		res, err := fc.Get(tokURL)
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusSeeOther, res.StatusCode)
		assert.Equal(t, "/vote", res.Header.Get("Location"))
		framed := env.whoami(t, fc, "")
		assert.Equal(t, e1.Participant, framed.Participant, "one participant per xid across embed and API")
		assert.Empty(t, framed.Grants)
		res, err = fc.Get(u + "/auth/embed?token=forged.AAAA")
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, 401, res.StatusCode)

		// An embedded user is nobody's administrator, and only acts within its scope.
		code, _ = doJSON(t, c, "POST", u+"/api/v1/admin/grants", sign(httpapi.EmbedClaims{Portal: "mairie", XID: "u-42", Expires: exp, Scope: scope}),
			`{"participant_id":"`+e1.Participant.String()+`","role":"administrator"}`)
		assert.Equal(t, 403, code)
	})
}

func must(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}
