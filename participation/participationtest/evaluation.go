package participationtest

import (
	"testing"

	"github.com/civickit/civickit/participation"
)

// testEvaluation checks decisions, follow-up items and milestones.
func testEvaluation(t *testing.T, newStore func(t *testing.T) participation.Store) {}
