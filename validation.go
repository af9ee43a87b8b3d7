package civickit

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
)

// FieldError names one broken rule on one field of an input.
type FieldError struct {
	// Path locates the field from the validated value, with JSON names:
	// "phases[1].ends", "answers.budget", "address.location.lat".
	Path string `json:"path"`
	// Rule is the validator tag or domain rule broken: "required",
	// "max", "luhn", "one_active", "unknown_method".
	Rule string `json:"rule"`
	// Param is the rule's parameter when it has one ("1000" for max=1000).
	Param string `json:"param,omitempty"`
}

func (e FieldError) String() string {
	if e.Param != "" {
		return e.Path + ": " + e.Rule + "=" + e.Param
	}
	return e.Path + ": " + e.Rule
}

// ValidationError lists every broken rule of one input, so that a form
// can show them all at once. It matches ErrInvalid. Every package
// reports invalid input with it (a package may wrap it with context).
//
// Collect rules with Add, then return Err:
//
//	ve := &civickit.ValidationError{}
//	if c.Title == "" {
//		ve.Add("title", "required", "")
//	}
//	return ve.Err()
type ValidationError struct {
	Fields []FieldError `json:"fields"`
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.String()
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// Add appends one broken rule.
func (e *ValidationError) Add(path, rule, param string) {
	e.Fields = append(e.Fields, FieldError{Path: path, Rule: rule, Param: param})
}

// Addf appends one broken rule whose path is built with fmt.Sprintf.
func (e *ValidationError) Addf(rule, param, pathFormat string, args ...any) {
	e.Add(fmt.Sprintf(pathFormat, args...), rule, param)
}

// Merge adds the fields of err's *ValidationError under prefix ("" keeps
// the paths) and reports whether err was one. Other errors are left to
// the caller.
func (e *ValidationError) Merge(prefix string, err error) bool {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	for _, f := range ve.Fields {
		f.Path = JoinPath(prefix, f.Path)
		e.Fields = append(e.Fields, f)
	}
	return true
}

// Err returns e when it holds at least one broken rule, nil otherwise.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// Has reports whether a rule is broken on path.
func (e *ValidationError) Has(path, rule string) bool {
	for _, f := range e.Fields {
		if f.Path == path && f.Rule == rule {
			return true
		}
	}
	return false
}

// Invalid returns a *ValidationError with a single broken rule.
func Invalid(path, rule, param string) error {
	return &ValidationError{Fields: []FieldError{{Path: path, Rule: rule, Param: param}}}
}

// FieldErrors returns the broken rules carried by err (nil when err holds
// no *ValidationError).
func FieldErrors(err error) []FieldError {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ve.Fields
	}
	return nil
}

// JoinPath joins two path parts with a dot, skipping an empty one.
func JoinPath(prefix, path string) string {
	switch {
	case prefix == "":
		return path
	case path == "":
		return prefix
	case strings.HasPrefix(path, "["):
		return prefix + path
	}
	return prefix + "." + path
}

// embeddedMark names embedded structs in validator paths so that they can
// be removed: JSON flattens them too.
const embeddedMark = "~"

// NewValidator returns a validator (github.com/go-playground/validator)
// that names fields by their JSON names, as FieldError paths do, and
// knows the given string rules (tag → predicate) besides the kernel's own:
// "channel" and "assurance". A service builds one and keeps it.
func NewValidator(rules map[string]func(string) bool) *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		if f.Anonymous {
			return embeddedMark
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
	all := map[string]func(string) bool{
		"channel":   func(s string) bool { return Channel(s).Valid() },
		"assurance": func(s string) bool { return AssuranceLevel(s).Valid() },
	}
	for tag, fn := range rules {
		all[tag] = fn
	}
	for tag, fn := range all {
		// Registration fails only for an empty tag or a nil function.
		if err := v.RegisterValidation(tag, func(fl validator.FieldLevel) bool { return fn(fl.Field().String()) }); err != nil {
			panic(fmt.Sprintf("civickit: rule %q: %v", tag, err))
		}
	}
	return v
}

// CheckStruct runs the struct tags of s with v and adds every broken rule
// to into, under prefix. v should come from NewValidator, so that paths
// use JSON names.
func CheckStruct(v *validator.Validate, prefix string, s any, into *ValidationError) {
	err := v.Struct(s)
	if err == nil {
		return
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		into.Add(prefix, "invalid", "")
		return
	}
	for _, fe := range verrs {
		// Namespace is "Type.field.sub"; drop the root type name.
		path := fe.Namespace()
		if _, rest, ok := strings.Cut(path, "."); ok {
			path = rest
		}
		path = strings.ReplaceAll(path, embeddedMark+".", "")
		into.Add(JoinPath(prefix, path), fe.Tag(), fe.Param())
	}
}
