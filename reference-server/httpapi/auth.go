package httpapi

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/google/uuid"
)

var errBadCredentials = civickit.Sentinel(civickit.ErrUnauthenticated, "httpapi: credentials do not check out")

// Accounts links login identities to participants and holds role grants
// and API tokens. Each (issuer, subject) — an OpenID provider's user, an
// embedding portal's external user, an API token — takes part as exactly
// one participant, created on first use; the link keeps only a digest of
// the identity, apart from any personal data.
type Accounts struct {
	store  AccountStore
	ensure func(ctx context.Context, participant uuid.UUID) error
	now    func() time.Time
}

// AccountsOptions configure NewAccounts.
type AccountsOptions struct {
	Store AccountStore
	// EnsureParticipant creates the participant (package participation)
	// with this ID if it does not exist yet; it must be idempotent. Nil:
	// participants are only IDs here.
	EnsureParticipant func(ctx context.Context, participant uuid.UUID) error
	Now               func() time.Time
}

// NewAccounts returns the accounts kept in o.Store.
func NewAccounts(o AccountsOptions) (*Accounts, error) {
	if o.Store == nil {
		return nil, errors.New("httpapi: NewAccounts: no Store")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Accounts{store: o.Store, ensure: o.EnsureParticipant, now: o.Now}, nil
}

// identityDigest is the stored, opaque name of (issuer, subject).
func identityDigest(issuer, subject string) string {
	sum := sha256.Sum256([]byte(issuer + "\x00" + subject))
	return hex.EncodeToString(sum[:])
}

// Participant returns the participant (issuer, subject) takes part as,
// linking a new one on first use. Two concurrent first uses get the same
// participant: the store's link decides, then the participant is
// created under the winning ID.
func (ac *Accounts) Participant(ctx context.Context, issuer, subject string) (uuid.UUID, error) {
	if subject == "" {
		return uuid.Nil, errBadCredentials
	}
	id, err := ac.store.LinkIdentity(ctx, identityDigest(issuer, subject), uuid.New(), ac.now().UTC())
	if err != nil {
		return uuid.Nil, fmt.Errorf("link identity: %w", err)
	}
	if ac.ensure != nil {
		if err := ac.ensure(ctx, id); err != nil {
			return uuid.Nil, fmt.Errorf("create participant: %w", err)
		}
	}
	return id, nil
}

// Principal returns the caller (issuer, subject) with its participant and
// stored grants.
func (ac *Accounts) Principal(ctx context.Context, issuer, subject string, level civickit.AssuranceLevel) (Principal, error) {
	pid, err := ac.Participant(ctx, issuer, subject)
	if err != nil {
		return Principal{}, err
	}
	grants, err := ac.store.Grants(ctx, pid)
	if err != nil {
		return Principal{}, err
	}
	return Principal{Subject: identityDigest(issuer, subject), Participant: pid, Assurance: level, Grants: grants}, nil
}

// Authenticators tries each authenticator in turn: the first that finds
// credentials names the caller; credentials that do not check out are
// an error, never an anonymous caller.
func Authenticators(list ...Authenticator) Authenticator { return chain(list) }

type chain []Authenticator

func (c chain) Authenticate(r *http.Request) (Principal, error) {
	for _, a := range c {
		p, err := a.Authenticate(r)
		if err != nil || !p.Anonymous() {
			return p, err
		}
	}
	return Principal{}, nil
}

// DevAuth is the development mode: the caller names itself in headers
// (X-Civickit-Dev-User, and optionally X-Civickit-Dev-Roles: a comma list
// of global roles), and only from the loopback interface. A server turns
// it on with an explicit flag, never by default.
type DevAuth struct {
	Accounts *Accounts
}

// Authenticate implements Authenticator.
func (d DevAuth) Authenticate(r *http.Request) (Principal, error) {
	user := r.Header.Get("X-Civickit-Dev-User")
	if user == "" {
		return Principal{}, nil
	}
	if ip := net.ParseIP(remoteIP(r)); ip == nil || !ip.IsLoopback() {
		return Principal{}, fmt.Errorf("development login from a non-loopback address: %w", errBadCredentials)
	}
	p, err := d.Accounts.Principal(r.Context(), "dev", user, civickit.AssuranceLow)
	if err != nil {
		return Principal{}, err
	}
	if roles := r.Header.Get("X-Civickit-Dev-Roles"); roles != "" {
		for name := range strings.SplitSeq(roles, ",") {
			role, err := ParseRole(strings.TrimSpace(name))
			if err != nil {
				return Principal{}, fmt.Errorf("X-Civickit-Dev-Roles: %w", err)
			}
			p.Grants = append(p.Grants, Grant{Role: role})
		}
	}
	return p, nil
}

// tokenPrefix starts every API token secret, so that a leaked one is
// recognisable by secret scanners.
const tokenPrefix = "ck_"

// TokenAuth authenticates servers by API token: Authorization: Bearer
// ck_…. Only the SHA-256 of a token's secret is stored.
type TokenAuth struct {
	Accounts *Accounts
}

func secretHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Authenticate implements Authenticator.
func (t TokenAuth) Authenticate(r *http.Request) (Principal, error) {
	secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return Principal{}, nil
	}
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) > 100 {
		return Principal{}, errBadCredentials
	}
	tok, err := t.Accounts.store.TokenBySecretHash(r.Context(), secretHash(secret))
	switch {
	case errors.Is(err, civickit.ErrNotFound):
		return Principal{}, errBadCredentials
	case err != nil:
		return Principal{}, err
	}
	now := t.Accounts.now()
	if !tok.RevokedAt.IsZero() || (!tok.ExpiresAt.IsZero() && !now.Before(tok.ExpiresAt)) {
		return Principal{}, errBadCredentials
	}
	return Principal{Subject: identityDigest("token", tok.ID.String()), Participant: tok.Participant,
		Assurance: civickit.AssuranceSubstantial, Grants: tok.Grants}, nil
}

// NewToken creates an API token with grants and returns it with its
// secret, which is shown only this once.
func (ac *Accounts) NewToken(ctx context.Context, name string, grants []Grant, expires time.Time) (*APIToken, string, error) {
	var ve civickit.ValidationError
	if name == "" || len(name) > 200 {
		ve.Add("name", "required_max", "200")
	}
	for i, g := range grants {
		if g.Role <= RoleParticipant || int(g.Role) >= len(roleNames) {
			ve.Add(fmt.Sprintf("grants[%d].role", i), "oneof", "operator moderator organiser administrator")
		}
	}
	if !expires.IsZero() && !expires.After(ac.now()) {
		ve.Add("expires_at", "future", "")
	}
	if err := ve.Err(); err != nil {
		return nil, "", err
	}
	secret := tokenPrefix + randomText(32)
	id := uuid.New()
	pid, err := ac.Participant(ctx, "token", id.String())
	if err != nil {
		return nil, "", err
	}
	t := &APIToken{ID: id, Name: name, SecretHash: secretHash(secret), Grants: grants, Participant: pid,
		CreatedAt: ac.now().UTC().Truncate(time.Microsecond)}
	if !expires.IsZero() {
		t.ExpiresAt = expires.UTC().Truncate(time.Microsecond)
	}
	if err := ac.store.CreateToken(ctx, t); err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

func randomText(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// signer signs and checks small JSON payloads with HMAC-SHA256: the
// session cookie and embed tokens. The format is base64url(payload) "."
// base64url(mac).
type signer struct{ key []byte }

func (s signer) sign(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	p := base64.RawURLEncoding.EncodeToString(b)
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(p))
	return p + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)), nil
}

func (s signer) open(tok string, v any) error {
	p, sig, ok := strings.Cut(tok, ".")
	if !ok || len(tok) > 4096 {
		return errBadCredentials
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil {
		return errBadCredentials
	}
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(p))
	if !hmac.Equal(got, m.Sum(nil)) {
		return errBadCredentials
	}
	b, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil || json.Unmarshal(b, v) != nil {
		return errBadCredentials
	}
	return nil
}

// Sessions keeps a signed-in person's session in a cookie (HttpOnly,
// Secure, SameSite=Lax), signed with Key. Writes sent with the cookie
// must carry the session's CSRF token in X-CSRF-Token (GET
// /api/v1/auth/session gives it): a cross-site form cannot read it.
type Sessions struct {
	Accounts *Accounts
	// Key signs the cookies: at least 32 random bytes, the same on
	// every replica.
	Key []byte
	// TTL is a session's life (default 12 h).
	TTL time.Duration
	// Insecure drops the Secure attribute, for http://localhost only.
	Insecure bool
}

// SessionCookie is the session cookie's name.
const SessionCookie = "civickit_session"

type sessionClaims struct {
	Subject     string                  `json:"s"`
	Participant uuid.UUID               `json:"p"`
	Assurance   civickit.AssuranceLevel `json:"a,omitempty"`
	Expires     int64                   `json:"e"`
	CSRF        string                  `json:"c"`
	Within      uuid.UUID               `json:"w,omitzero"`
	Issued      int64                   `json:"i"` // Unix microseconds
}

func (s *Sessions) ttl() time.Duration {
	if s.TTL <= 0 {
		return 12 * time.Hour
	}
	return s.TTL
}

// Start sets the session cookie of p on w.
func (s *Sessions) Start(w http.ResponseWriter, p Principal) error {
	return s.start(w, p, s.Accounts.now().Add(s.ttl()))
}

func (s *Sessions) start(w http.ResponseWriter, p Principal, exp time.Time) error {
	v, err := signer{s.Key}.sign(sessionClaims{Subject: p.Subject, Participant: p.Participant, Assurance: p.Assurance,
		Expires: exp.Unix(), CSRF: randomText(18), Within: p.Within, Issued: s.Accounts.now().UnixMicro()})
	if err != nil {
		return err
	}
	c := &http.Cookie{Name: SessionCookie, Value: v, Path: "/", Expires: exp, HttpOnly: true,
		Secure: !s.Insecure, SameSite: http.SameSiteLaxMode}
	if p.Within != uuid.Nil && !s.Insecure {
		// An embedded page lives in the portal's frame: its cookie is a
		// third-party one, partitioned by the portal (CHIPS).
		c.SameSite, c.Partitioned = http.SameSiteNoneMode, true
	}
	http.SetCookie(w, c)
	return nil
}

// End clears the session cookie. Logout also calls endAll: a copy of
// the cookie stops working too.
func (s *Sessions) End(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: !s.Insecure, SameSite: http.SameSiteLaxMode})
}

func (s *Sessions) claims(r *http.Request) (sessionClaims, bool, error) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return sessionClaims{}, false, nil
	}
	var sc sessionClaims
	if err := (signer{s.Key}).open(c.Value, &sc); err != nil {
		return sc, true, err
	}
	if s.Accounts.now().Unix() >= sc.Expires || sc.Subject == "" {
		return sc, true, errBadCredentials
	}
	return sc, true, nil
}

// Authenticate implements Authenticator.
func (s *Sessions) Authenticate(r *http.Request) (Principal, error) {
	sc, found, err := s.claims(r)
	if !found || err != nil {
		return Principal{}, err
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
	default:
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("X-CSRF-Token")), []byte(sc.CSRF)) != 1 {
			return Principal{}, errCSRF
		}
	}
	ended, err := s.Accounts.store.SessionsEnded(r.Context(), sc.Participant)
	if err != nil {
		return Principal{}, err
	}
	if !ended.IsZero() && sc.Issued <= ended.UnixMicro() {
		return Principal{}, errBadCredentials // logged out since
	}
	grants, err := s.Accounts.store.Grants(r.Context(), sc.Participant)
	if err != nil {
		return Principal{}, err
	}
	if sc.Within != uuid.Nil {
		grants = nil // an embedded user acts as a participant only
	}
	return Principal{Subject: sc.Subject, Participant: sc.Participant, Assurance: sc.Assurance, Grants: grants, Within: sc.Within}, nil
}

// endAll voids every session of participant issued until now.
func (s *Sessions) endAll(ctx context.Context, participant uuid.UUID) error {
	return s.Accounts.store.EndSessions(ctx, participant, s.Accounts.now())
}

// csrfToken returns the CSRF token of r's session, "" without one.
func (s *Sessions) csrfToken(r *http.Request) string {
	sc, found, err := s.claims(r)
	if !found || err != nil {
		return ""
	}
	return sc.CSRF
}

// EmbedClaims are what an embedding portal vouches for: its user (XID,
// an opaque ID of the portal's own), until Expires, within Scope (the
// consultation or election embedded).
type EmbedClaims struct {
	Portal  string    `json:"portal"`
	XID     string    `json:"xid"`
	Expires int64     `json:"exp"`
	Scope   uuid.UUID `json:"scope"`
}

// SignEmbedToken returns the embed token of c signed with the portal's
// key, as a portal's server makes it.
func SignEmbedToken(key []byte, c EmbedClaims) (string, error) { return signer{key}.sign(c) }

// EmbedAuth authenticates the users of embedding portals: Authorization:
// Embed <token>. Each portal has its own key; (portal, xid) takes part as
// one participant, whether it comes through an embed or the API; the
// caller acts only within the token's scope.
type EmbedAuth struct {
	Accounts *Accounts
	// Keys maps each portal's name to its signing key.
	Keys map[string][]byte
	// MaxTTL refuses tokens valid longer than this from now (default 1 h).
	MaxTTL time.Duration
}

// Authenticate implements Authenticator.
func (e EmbedAuth) Authenticate(r *http.Request) (Principal, error) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Embed ")
	if !ok {
		return Principal{}, nil
	}
	p, _, err := e.principal(r.Context(), tok)
	return p, err
}

// principal checks an embed token and returns its caller and expiry.
func (e EmbedAuth) principal(ctx context.Context, tok string) (Principal, time.Time, error) {
	p, _, _ := strings.Cut(tok, ".")
	b, err := base64.RawURLEncoding.DecodeString(p)
	var c EmbedClaims
	if err != nil || json.Unmarshal(b, &c) != nil {
		return Principal{}, time.Time{}, errBadCredentials
	}
	key, ok := e.Keys[c.Portal]
	if !ok || (signer{key}).open(tok, &c) != nil {
		return Principal{}, time.Time{}, errBadCredentials
	}
	maxTTL := e.MaxTTL
	if maxTTL <= 0 {
		maxTTL = time.Hour
	}
	now := e.Accounts.now()
	if c.XID == "" || len(c.XID) > 200 || c.Scope == uuid.Nil || now.Unix() >= c.Expires || time.Unix(c.Expires, 0).After(now.Add(maxTTL)) {
		return Principal{}, time.Time{}, errBadCredentials
	}
	pr, err := e.Accounts.Principal(ctx, "embed:"+c.Portal, c.XID, civickit.AssuranceLow)
	if err != nil {
		return Principal{}, time.Time{}, err
	}
	pr.Grants = nil // a portal's user acts as a participant only
	pr.Within = c.Scope
	return pr, time.Unix(c.Expires, 0), nil
}

// participantStore is what EnsureParticipantIn needs of a
// participation.Store.
type participantStore interface {
	CreateParticipant(ctx context.Context, p *participation.Participant, pd *participation.PersonalData) error
	GetParticipant(ctx context.Context, id uuid.UUID) (*participation.Participant, error)
}

// EnsureParticipantIn returns an AccountsOptions.EnsureParticipant that
// creates the participant in st (no personal data) unless it exists.
func EnsureParticipantIn(st participantStore, now func() time.Time) func(ctx context.Context, id uuid.UUID) error {
	if now == nil {
		now = time.Now
	}
	return func(ctx context.Context, id uuid.UUID) error {
		_, err := st.GetParticipant(ctx, id)
		if !errors.Is(err, civickit.ErrNotFound) {
			return err
		}
		err = st.CreateParticipant(ctx, &participation.Participant{ID: id, CreatedAt: now().UTC()}, nil)
		if errors.Is(err, civickit.ErrConflict) {
			return nil // a concurrent first login created it
		}
		return err
	}
}
