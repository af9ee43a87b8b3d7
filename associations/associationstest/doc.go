// Package associationstest is the conformance suite of associations.Store.
//
// Every implementation of the Store interface (package storage runs it on
// SQLite, PostgreSQL and MariaDB) must pass TestStore, which checks the
// contract written on each Store method: round trips of every field,
// sentinel errors (ErrNotFound, ErrConflict), optimistic versioning,
// upsert results, the exact text-search and filter semantics, ordering
// and cursor pagination of the listings, "near me" results equal to a
// brute-force computation with associations.Distance (poles and
// antimeridian included), atomic grant and membership workflows, and
// behaviour under concurrent writers.
//
// To check your own Store, call TestStore from a test with a constructor
// that returns a fresh, empty store each time:
//
//	func TestMyStore(t *testing.T) {
//		associationstest.TestStore(t, func(t *testing.T) associations.Store {
//			db := openEmptyDatabase(t) // e.g. a new schema, dropped in t.Cleanup
//			return mystore.New(db)
//		})
//	}
//
// The constructor is called once per scenario, one scenario at a time
// (subtests do not run in parallel), so it may reuse one database server
// as long as each store it returns starts empty. The store itself must be
// safe for concurrent use: the Concurrency scenarios race several
// goroutines on it.
//
// The suite is deterministic (fixed seeds, no wall-clock assertions) and
// sizes its data sets down under "go test -short". Run a part of it with
// -run, e.g. -run 'TestMyStore/Near'. Timestamps in the fixtures have
// microsecond precision, which every supported database keeps; a store
// must return exactly what it was given to that precision (in any time
// zone: times are compared as instants, dates as UTC midnights).
//
// The fixture builders (NewAssociation, NewGrant, NewPerson,
// NewMembership) and the reference filter MatchFilter are exported for
// benchmarks and other tests that need valid, reproducible records.
package associationstest
