package opendata

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Callers test them with errors.Is; stores return them
// (wrapped) so that services and HTTP layers never look at driver errors.
var (
	// ErrNotFound: no dataset (or catalogue, series, service) with that key.
	ErrNotFound = errors.New("opendata: not found")
	// ErrConflict: a unique key is taken (identifier, IRI) or the row changed
	// since it was read.
	ErrConflict = errors.New("opendata: conflict")
	// ErrInvalid: input broke a validation rule; see *ValidationError.
	ErrInvalid = errors.New("opendata: invalid input")
	// ErrUnavailable: the store gave up after bounded retries (busy,
	// serialization failures); the caller may try again later.
	ErrUnavailable = errors.New("opendata: store unavailable")
)

// Rules reported in FieldError.Rule.
const (
	RuleMandatory   = "mandatory"   // a DCAT-AP mandatory property is missing
	RuleRecommended = "recommended" // a DCAT-AP recommended property is missing
	RuleFormat      = "format"      // malformed value (IRI, e-mail, date order, size)
	RuleVocabulary  = "vocabulary"  // value outside the controlled vocabulary
	RuleMaxCount    = "maxCount"    // more values than the profile allows
	RuleUnique      = "unique"      // duplicate identifier or IRI
	RulePersonal    = "personal"    // personal data where only public data may go
	RuleUnknown     = "unknown"     // property the reader could not map
	RuleReference   = "reference"   // link to a dataset, series or service the catalogue does not describe
)

// Severities of a FieldError, as in SHACL (sh:Violation, sh:Warning).
const (
	SeverityViolation = "violation"
	SeverityWarning   = "warning"
)

// FieldError names one broken rule on one field.
type FieldError struct {
	// Field is the path from the validated value, e.g.
	// "distributions[0].accessURL" or "publisher.name".
	Field string `json:"field"`
	// Rule is one of the Rule* constants.
	Rule string `json:"rule"`
	// Param gives detail: the DCAT-AP property ("dcat:accessURL"), the
	// vocabulary, or the offending value when it is not personal.
	Param string `json:"param,omitempty"`
	// Severity is SeverityViolation or SeverityWarning.
	Severity string `json:"severity"`
}

func (e FieldError) String() string {
	s := e.Field + ": " + e.Rule
	if e.Param != "" {
		s += "=" + e.Param
	}
	if e.Severity == SeverityWarning {
		s += " (warning)"
	}
	return s
}

// ValidationError lists every broken rule of one input, violations and
// warnings alike. It matches ErrInvalid.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.String()
	}
	return "opendata: invalid input: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Violations returns the field errors of severity SeverityViolation.
func (e *ValidationError) Violations() []FieldError { return e.filter(SeverityViolation) }

// Warnings returns the field errors of severity SeverityWarning.
func (e *ValidationError) Warnings() []FieldError { return e.filter(SeverityWarning) }

func (e *ValidationError) filter(sev string) []FieldError {
	var out []FieldError
	for _, f := range e.Fields {
		if f.Severity == sev {
			out = append(out, f)
		}
	}
	return out
}

// violation and warning append a field error while collecting rules.
func (e *ValidationError) violation(field, rule, param string) {
	e.Fields = append(e.Fields, FieldError{Field: field, Rule: rule, Param: param, Severity: SeverityViolation})
}

func (e *ValidationError) warning(field, rule, param string) {
	e.Fields = append(e.Fields, FieldError{Field: field, Rule: rule, Param: param, Severity: SeverityWarning})
}

// orNil returns e as an error when it holds at least one field error.
func (e *ValidationError) orNil() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// path joins a prefix and a field name ("publisher" + "name").
func path(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + "." + field
}

// index formats "distributions[3]".
func index(prefix string, i int) string { return prefix + "[" + strconv.Itoa(i) + "]" }
