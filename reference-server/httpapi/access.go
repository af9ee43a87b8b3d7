package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/civickit/civickit"
	"github.com/google/uuid"
)

// Role is what a caller may do. Roles are ordered: each includes the
// ones before it, so a route names the least role it needs.
type Role int

const (
	// RoleAnonymous is anyone, signed in or not.
	RoleAnonymous Role = iota
	// RoleParticipant is a signed-in person taking part (at the assurance
	// level their identity provider vouches for).
	RoleParticipant
	// RoleOperator acts for people at an access point: a kiosk operator
	// or a digital mediator keying paper answers or helping someone vote.
	RoleOperator
	// RoleModerator hides and restores contributions.
	RoleModerator
	// RoleOrganiser runs consultations and elections: creates them,
	// moves their phases, publishes results.
	RoleOrganiser
	// RoleAdministrator manages the portal: roles, tokens, associations.
	RoleAdministrator
)

var roleNames = [...]string{"anonymous", "participant", "operator", "moderator", "organiser", "administrator"}

// String returns the role's name, as used in configuration and OpenAPI.
func (r Role) String() string {
	if r < 0 || int(r) >= len(roleNames) {
		return fmt.Sprintf("Role(%d)", int(r))
	}
	return roleNames[r]
}

// ParseRole returns the role named s.
func ParseRole(s string) (Role, error) {
	for i, n := range roleNames {
		if n == s {
			return Role(i), nil
		}
	}
	return 0, civickit.Invalid("role", "oneof", strings.Join(roleNames[:], " "))
}

// MarshalText writes the role's name (JSON, configuration).
func (r Role) MarshalText() ([]byte, error) {
	if r < 0 || int(r) >= len(roleNames) {
		return nil, fmt.Errorf("httpapi: no role %d", int(r))
	}
	return []byte(roleNames[r]), nil
}

// UnmarshalText reads a role's name.
func (r *Role) UnmarshalText(b []byte) error {
	v, err := ParseRole(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Roles lists every role, least first.
func Roles() []Role {
	rs := make([]Role, len(roleNames))
	for i := range rs {
		rs[i] = Role(i)
	}
	return rs
}

// Grant gives a role, either everywhere (Scope is uuid.Nil) or within one
// consultation or election (Scope is its ID).
type Grant struct {
	Role  Role      `json:"role"`
	Scope uuid.UUID `json:"scope,omitzero"`
}

// Principal is the caller of a request as its Authenticator found it.
// The zero Principal is an anonymous caller.
type Principal struct {
	// Subject is the caller's stable, opaque identifier at its
	// authenticator ("" when anonymous). It is never logged.
	Subject string
	// Participant is the participant (package participation) the caller
	// takes part as: the authenticator links each subject, and each
	// embedding portal's external user, to exactly one participant, who
	// is also the voter in the ballot box. uuid.Nil when anonymous.
	Participant uuid.UUID
	Assurance   civickit.AssuranceLevel
	Grants      []Grant
	// Within, when set, confines the caller to one consultation or
	// election (an embed token's scope): routes that need a role answer
	// 403 outside it, and routes that name no scope.
	Within uuid.UUID
}

// Anonymous reports whether p is nobody in particular.
func (p Principal) Anonymous() bool { return p.Subject == "" }

// Has reports whether p holds role (or a greater one) everywhere or
// within scope. Every principal is anonymous; a signed-in one is at
// least a participant.
func (p Principal) Has(role Role, scope uuid.UUID) bool {
	if role <= RoleAnonymous {
		return true
	}
	if p.Anonymous() {
		return false
	}
	if role == RoleParticipant {
		return true
	}
	for _, g := range p.Grants {
		if g.Role >= role && (g.Scope == uuid.Nil || g.Scope == scope) {
			return true
		}
	}
	return false
}

// Authenticator finds who sent a request: the reference server plugs in
// OpenID Connect sessions, API tokens or a development mode; a portal
// plugs its own login. A request with no credentials is anonymous (the
// zero Principal, no error); credentials that do not check out are an
// error of kind civickit.ErrUnauthenticated.
type Authenticator interface {
	Authenticate(r *http.Request) (Principal, error)
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p, for handlers and tests.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the caller stored in ctx, anonymous if none.
func PrincipalFrom(ctx context.Context) Principal {
	p, _ := ctx.Value(principalKey{}).(Principal)
	return p
}

var (
	errSignIn    = civickit.Sentinel(civickit.ErrUnauthenticated, "httpapi: this route needs a signed-in caller")
	errRoleScope = civickit.Sentinel(civickit.ErrForbidden, "httpapi: the caller's roles do not allow this route")
)

// guard authenticates the request and checks the route's access before
// its handler runs: 401 for an anonymous caller where a role is needed,
// 403 for a caller without the role (in the route's scope, when the
// route names one).
func (a *api) guard(rt Route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := PrincipalFrom(r.Context())
		if a.auth != nil {
			var err error
			if p, err = a.auth.Authenticate(r); err != nil {
				writeError(w, r, a.log, err)
				return
			}
		}
		if !p.Anonymous() {
			if ok, wait := a.perIdentity.allow("sub " + p.Subject); !ok {
				writeRateLimited(w, r, a, wait)
				return
			}
		}
		if rt.Access > RoleAnonymous {
			if p.Anonymous() { // before reading the path: nobody learns more
				writeError(w, r, a.log, errSignIn)
				return
			}
			scope := uuid.Nil
			if rt.Scope != "" {
				id, err := uuid.Parse(r.PathValue(rt.Scope))
				if err != nil {
					writeError(w, r, a.log, civickit.Invalid(rt.Scope, "uuid", ""))
					return
				}
				scope = id
			}
			if !p.Has(rt.Access, scope) || (p.Within != uuid.Nil && p.Within != scope) {
				writeError(w, r, a.log, errRoleScope)
				return
			}
		}
		ctx := context.WithValue(WithPrincipal(r.Context(), p), maxBodyKey{}, a.maxBody)
		h := rt.handler
		if (rt.Method == http.MethodGet || rt.Method == http.MethodHead) && rt.Access == RoleAnonymous {
			h = conditional(h)
		}
		a.idempotent(rt, p, w, r.WithContext(ctx), h)
	}
}
