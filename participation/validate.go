package participation

import (
	"github.com/go-playground/validator/v10"

	"github.com/civickit/civickit"
)

// newValidator returns the validator a Service holds (one instance,
// shared by the service's files): the kernel's, which names fields by
// their JSON names, knowing the participation enums.
func newValidator() *validator.Validate {
	return civickit.NewValidator(map[string]func(string) bool{
		"recruitment":   func(s string) bool { return Recruitment(s).Valid() },
		"phase_kind":    func(s string) bool { return PhaseKind(s).Valid() },
		"action":        func(s string) bool { return Action(s).Valid() },
		"resource_kind": func(s string) bool { return ResourceKind(s).Valid() },
	})
}
