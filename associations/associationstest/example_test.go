package associationstest_test

import (
	"fmt"

	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/associations/associationstest"
)

// Fixtures are reproducible: the same seed and index give the same record,
// with identifiers unique to the index, ready for a benchmark or a test.
func ExampleNewAssociation() {
	rng := associationstest.NewRand(1)
	a := associationstest.NewAssociation(rng, 41)
	b := associationstest.NewAssociation(associationstest.NewRand(1), 41)
	fmt.Println(a.RNA, a.SIRET, associations.ValidSIRET(a.SIRET))
	fmt.Println("version", a.Version, "same ID again:", a.ID == b.ID)
	// Output:
	// W000000041 20000041200011 true
	// version 1 same ID again: true
}
