// Package participationtest is the conformance suite of participation.Store.
//
// Every implementation of the Store interface (package storage runs it on
// SQLite, PostgreSQL and MariaDB) must pass TestStore, which checks the
// contract written on each Store method: round trips of every field,
// error kinds (ErrNotFound, ErrConflict, ErrInvalid), optimistic
// versioning, the atomic phase audit log, the separation of participants
// from their personal data, census lists and claims (one participant per
// identity, even when claims race), paging, and behaviour under
// concurrent writers.
//
// To check your own Store, call TestStore from a test with a constructor
// that returns a fresh, empty store each time:
//
//	func TestMyStore(t *testing.T) {
//		participationtest.TestStore(t, func(t *testing.T) participation.Store {
//			db := openEmptyDatabase(t) // e.g. a new schema, dropped in t.Cleanup
//			return mystore.New(db)
//		})
//	}
//
// The constructor is called once per scenario, one scenario at a time; the
// store itself must be safe for concurrent use. Timestamps in the
// fixtures have microsecond precision, which every supported database
// keeps; a store must return exactly what it was given to that precision.
//
// The fixture builders (NewConsultation, NewParticipant, NewResource,
// NewPreliminaryQuestion, Provenance, IdentityKey), the canonical forms
// (CanonConsultation, CanonTime, NilIfEmpty) and the paging checks
// (ReadAll, CheckList) are exported for the suites of the sub-packages,
// benchmarks and other tests that need valid, reproducible records.
package participationtest
