package storage_test

import (
	"testing"

	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/associations/associationstest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// TestAssociationStore runs the associations conformance suite on every
// engine of the matrix, each subtest on a fresh database.
func TestAssociationStore(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		associationstest.TestStore(t, func(t *testing.T) associations.Store {
			return storage.NewAssociationStore(storagetest.Open(t, e))
		})
	})
}
