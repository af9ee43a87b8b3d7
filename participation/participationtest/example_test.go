package participationtest_test

import (
	"fmt"

	"github.com/civickit/civickit/participation/participationtest"
)

// Fixtures are reproducible: the same seed and index give the same
// record, ready for a benchmark or a test.
func ExampleNewConsultation() {
	a := participationtest.NewConsultation(participationtest.NewRand(7), 3)
	b := participationtest.NewConsultation(participationtest.NewRand(7), 3)
	fmt.Println(a.ID == b.ID, a.Status, len(a.Phases), a.Phases[0].Kind, a.Phases[4].Kind)
	p, pd := participationtest.NewParticipant(participationtest.NewRand(7), 3)
	fmt.Println(p.ID == pd.ParticipantID, pd.Email)
	// Output:
	// true draft 5 information evaluation
	// true participant3@example.org
}
