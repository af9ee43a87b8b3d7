package storage_test

import (
	"testing"

	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/vote"
	"github.com/civickit/civickit/participation/vote/votetest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// TestVoteStore runs the vote conformance suite on every engine.
func TestVoteStore(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		votetest.TestStore(t, func(t *testing.T) (vote.Store, participation.Store) {
			db := storagetest.Open(t, e)
			return storage.NewVoteStore(db), storage.NewParticipationStore(db)
		})
	})
}
