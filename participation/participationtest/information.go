package participationtest

import (
	"testing"

	"github.com/civickit/civickit/participation"
)

// testInformation checks resources, preliminary questions and the
// reflection record.
func testInformation(t *testing.T, newStore func(t *testing.T) participation.Store) {}
