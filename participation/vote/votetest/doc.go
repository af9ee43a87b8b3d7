// Package votetest is the conformance suite of vote.Store.
//
// Every implementation of the Store interface (package storage runs it on
// SQLite, PostgreSQL and MariaDB) must pass TestStore, which checks the
// contract written on each Store method. A vote store lives beside a
// participation.Store on the same database, whose consultations its
// links refer to: the constructor returns both.
//
//	func TestMyStore(t *testing.T) {
//		votetest.TestStore(t, func(t *testing.T) (vote.Store, participation.Store) {
//			db := openEmptyDatabase(t) // e.g. a new schema, dropped in t.Cleanup
//			return myvote.New(db), mycore.New(db)
//		})
//	}
//
// Timestamps in the fixtures have microsecond precision, which every
// supported database keeps; a store must return exactly what it was given
// to that precision. Every list is read page by page with small limits.
package votetest
