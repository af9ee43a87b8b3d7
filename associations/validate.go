package associations

import (
	"errors"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
)

// embeddedMark names embedded structs (such as Filter in SearchQuery) in
// validator paths so that they can be removed: JSON flattens them too.
const embeddedMark = "~"

// newValidator returns a validator that knows the identifier rules and
// reports fields by their JSON names.
func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		if f.Anonymous {
			return embeddedMark // dropped from paths by checkStruct
		}
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
		"rna":      ValidRNA,
		"siren":    ValidSIREN,
		"siret":    ValidSIRET,
		"neq":      ValidNEQ,
		"category": ValidCategory,
	} {
		fn := fn
		// Registration fails only for an empty tag or nil function.
		_ = v.RegisterValidation(tag, func(fl validator.FieldLevel) bool { return fn(fl.Field().String()) })
	}
	return v
}

// checkStruct runs the struct tags of s and returns the broken rules under
// prefix (e.g. "project"). It returns nil when every rule holds.
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
		path = strings.ReplaceAll(path, embeddedMark+".", "")
		if prefix != "" {
			path = prefix + "." + path
		}
		into.add(path, fe.Tag(), fe.Param())
	}
}
