package storage_test

import (
	"testing"

	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/opendata/opendatatest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// TestDatasetStore runs the opendata conformance suite on every engine of
// the matrix, each subtest on a fresh database.
func TestDatasetStore(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		opendatatest.TestStore(t, func(t *testing.T) opendata.Store {
			return storage.NewDatasetStore(storagetest.Open(t, e))
		})
	})
}
