package opendatatest_test

import (
	"fmt"

	"github.com/civickit/civickit/opendata/opendatatest"
)

// Fixtures are reproducible and valid: the same seed and index give the
// same dataset.
func ExampleNewDataset() {
	a := opendatatest.NewDataset(opendatatest.NewRand(1), 7)
	b := opendatatest.NewDataset(opendatatest.NewRand(1), 7)
	fmt.Println(a.Identifier, a.ID == b.ID, a.Validate().OK())
	// Output:
	// civickit-test-000007 true true
}
