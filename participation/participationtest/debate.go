package participationtest

import (
	"testing"

	"github.com/civickit/civickit/participation"
)

// testDebate checks the DebateStore part of the contract.
func testDebate(t *testing.T, newStore func(t *testing.T) participation.Store) {}
