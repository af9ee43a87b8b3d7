package storage_test

import (
	"testing"

	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// TestParticipationStore runs the participation conformance suite on every
// engine of the matrix, each subtest on a fresh database.
func TestParticipationStore(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		participationtest.TestStore(t, func(t *testing.T) participation.Store {
			return storage.NewParticipationStore(storagetest.Open(t, e))
		})
	})
}
