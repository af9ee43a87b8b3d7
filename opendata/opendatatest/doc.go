// Package opendatatest is the conformance suite of opendata.Store.
//
// Every implementation of the Store interface (package storage runs it on
// SQLite, PostgreSQL and MariaDB) must pass TestStore, which checks the
// contract written on each Store method: round trips of every field of
// the DCAT-AP model, sentinel errors (ErrNotFound, ErrConflict,
// ErrInvalid), optimistic revisions, idempotent upserts by identifier (a
// catalogue harvested twice writes nothing the second time), the exact
// text-search, filter and facet-count semantics against the reference
// opendata.SearchQuery.Match and opendata.CountFacets, stable ordering and
// pagination by cursor and by offset in every sort order (ties included),
// the publisher listing, and behaviour under concurrent writers.
//
// To check your own Store, call TestStore from a test with a constructor
// that returns a fresh, empty store each time:
//
//	func TestMyStore(t *testing.T) {
//		opendatatest.TestStore(t, func(t *testing.T) opendata.Store {
//			return mystore.New(openEmptyDatabase(t))
//		})
//	}
//
// The constructor is called once per scenario, one scenario at a time, so
// it may reuse one database server as long as each store it returns starts
// empty. The store must be safe for concurrent use. The suite is
// deterministic (fixed seeds, no wall-clock assertions).
//
// The fixture builders (NewDataset, RichDataset, Publishers) are exported
// for benchmarks and other tests that need valid, reproducible datasets.
package opendatatest
