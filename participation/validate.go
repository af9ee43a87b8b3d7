package participation

import (
	"errors"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
)

// newValidator returns the validator every Service holds (one instance,
// shared by the service's files): it reports fields by their JSON names
// and knows the participation enums.
func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			return ""
		case "":
			return f.Name
		}
		return name
	})
	for tag, fn := range map[string]func(string) bool{
		"channel":          func(s string) bool { return Channel(s).Valid() },
		"recruitment":      func(s string) bool { return Recruitment(s).Valid() },
		"phase_kind":       func(s string) bool { return PhaseKind(s).Valid() },
		"action":           func(s string) bool { return Action(s).Valid() },
		"assurance":        func(s string) bool { return AssuranceLevel(s).Valid() },
		"resource_kind":    func(s string) bool { return ResourceKind(s).Valid() },
		"follow_up_status": func(s string) bool { return FollowUpStatus(s).Valid() },
	} {
		// Registration fails only for an empty tag or nil function.
		_ = v.RegisterValidation(tag, func(fl validator.FieldLevel) bool { return fn(fl.Field().String()) })
	}
	return v
}

// checkStruct runs the struct tags of s and adds the broken rules to into,
// under prefix (e.g. "settings") when it is not empty.
func checkStruct(v *validator.Validate, prefix string, s any, into *ValidationError) {
	err := v.Struct(s)
	if err == nil {
		return
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		into.add(prefix, "invalid", "")
		return
	}
	for _, fe := range verrs {
		// Namespace is "Type.field.sub"; drop the root type name.
		path := fe.Namespace()
		if _, rest, ok := strings.Cut(path, "."); ok {
			path = rest
		}
		if prefix != "" {
			path = prefix + "." + path
		}
		into.add(path, fe.Tag(), fe.Param())
	}
}
