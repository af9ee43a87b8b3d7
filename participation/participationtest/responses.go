package participationtest

import (
	"testing"

	"github.com/civickit/civickit/participation"
)

// testResponses checks the ResponseStore part of the contract.
func testResponses(t *testing.T, newStore func(t *testing.T) participation.Store) {}
