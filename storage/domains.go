package storage

import (
	"fmt"
	"slices"
)

// Domain names a group of tables that one domain package's stores use,
// with its own migrations (storage/migrations/<domain>/).
type Domain string

// The domains.
const (
	DomainAssociations  Domain = "associations"  // associations: registry, grants, memberships
	DomainBallotBox     Domain = "ballotbox"     // voting/ballotbox
	DomainParticipation Domain = "participation" // participation: consultations, questionnaires, debate
	DomainOpenData      Domain = "opendata"      // opendata: datasets
	// DomainServer holds the reference server's own tables
	// (reference-server/httpapi): idempotency keys, identity links, role
	// grants, API tokens.
	DomainServer Domain = "server"
)

// AllDomains returns every domain, in the order their migrations run.
func AllDomains() []Domain {
	return []Domain{DomainAssociations, DomainBallotBox, DomainParticipation, DomainOpenData, DomainServer}
}

// domainRequires lists, for a domain whose tables refer to another's, the
// domains it needs: enabling it enables them, and their migrations run
// first. No domain needs another today.
var domainRequires = map[Domain][]Domain{}

// resolveDomains checks the names, adds the domains they require and puts
// them in migration order (required ones first, else AllDomains order);
// none means every domain.
func resolveDomains(in []Domain, requires map[Domain][]Domain) ([]Domain, error) {
	if len(in) == 0 {
		in = AllDomains()
	}
	want := map[Domain]bool{}
	var add func(d Domain, path []Domain) error
	add = func(d Domain, path []Domain) error {
		if !slices.Contains(AllDomains(), d) {
			return fmt.Errorf("%w: unknown domain %q (want one of %v)", ErrConfig, d, AllDomains())
		}
		if slices.Contains(path, d) {
			return fmt.Errorf("%w: domains require each other: %v", ErrConfig, append(path, d))
		}
		want[d] = true
		for _, r := range requires[d] {
			if err := add(r, append(path, d)); err != nil {
				return err
			}
		}
		return nil
	}
	for _, d := range in {
		if err := add(d, nil); err != nil {
			return nil, err
		}
	}
	var out []Domain
	var visit func(d Domain)
	visit = func(d Domain) { // required domains first, else AllDomains order
		if slices.Contains(out, d) {
			return
		}
		for _, r := range requires[d] {
			visit(r)
		}
		out = append(out, d)
	}
	for _, d := range AllDomains() {
		if want[d] {
			visit(d)
		}
	}
	return out, nil
}

// mustHaveDomain stops a store constructor on a DB whose configuration
// leaves the store's domain out: its tables were never migrated, and the
// first query would fail far from the mistake. A wiring error, found at
// start-up, like a bad regexp given to regexp.MustCompile.
func (db *DB) mustHaveDomain(d Domain, constructor string) {
	if !slices.Contains(db.domains, d) {
		panic(fmt.Sprintf("storage: %s: domain %q is not enabled on this DB (Config.Domains = %v): add it to Config.Domains",
			constructor, d, db.domains))
	}
}
