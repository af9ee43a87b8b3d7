package storage_test

import (
	"testing"

	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/civickit/civickit/voting/ballotbox/ballotboxtest"
)

// TestBallotBoxStore runs the ballot box conformance suite on every engine
// of the matrix, each scenario on a fresh database.
func TestBallotBoxStore(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		ballotboxtest.TestStore(t, func(t *testing.T) ballotbox.Store {
			return storage.NewBallotBoxStore(storagetest.Open(t, e))
		})
	})
}
