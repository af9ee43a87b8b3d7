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

// TestMediationStore runs the mediation places conformance suite on every
// engine of the matrix.
func TestMediationStore(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		opendatatest.TestMediationStore(t, func(t *testing.T) opendata.MediationStore {
			return storage.NewMediationStore(storagetest.Open(t, e))
		})
	})
}
