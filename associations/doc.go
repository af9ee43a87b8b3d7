// Package associations is the registry a city portal keeps of its local
// associations: their identifiers (RNA, SIREN, SIRET, NEQ), public profile,
// "near me" search, grant applications following the CERFA 12156 form, and
// memberships whose personal data is kept apart from the public registry.
//
// The package owns its Store interface; package storage implements it on
// SQLite, PostgreSQL and MariaDB, and associationstest holds the conformance
// suite every implementation must pass.
package associations
