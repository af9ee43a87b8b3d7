package associations

import (
	"github.com/go-playground/validator/v10"

	"github.com/civickit/civickit"
)

// newValidator returns a validator that knows the identifier and category
// rules and reports fields by their JSON names.
func newValidator() *validator.Validate {
	return civickit.NewValidator(map[string]func(string) bool{
		"rna":      ValidRNA,
		"siren":    ValidSIREN,
		"siret":    ValidSIRET,
		"neq":      ValidNEQ,
		"category": ValidCategory,
	})
}
