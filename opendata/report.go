package opendata

import "github.com/civickit/civickit"

// Validation of a DCAT-AP description does not only accept or refuse: as
// SHACL does, it reports violations (what the profile forbids, refused
// where conformance is required) and warnings (a recommended property
// missing, a value outside a recommended vocabulary, a person kept for the
// staff but never published). A Report holds both; Report.Err turns its
// violations into the kernel's *civickit.ValidationError when the input
// is to be refused.

// Rules reported in Finding.Rule (and in civickit.FieldError.Rule when a
// Report is refused).
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

// Severity is how much a Finding weighs, as in SHACL (sh:Violation,
// sh:Warning).
type Severity string

// Severities of a Finding.
const (
	SeverityViolation Severity = "violation"
	SeverityWarning   Severity = "warning"
)

// Finding is one rule a description breaks, at one path.
type Finding struct {
	// Path is the path from the validated value, with JSON names, e.g.
	// "distributions[0].access_url" or "publisher.name".
	Path string `json:"path"`
	// Rule is one of the Rule* constants.
	Rule string `json:"rule"`
	// Param gives detail: the DCAT-AP property ("dcat:accessURL"), the
	// vocabulary, or the offending value when it is not personal.
	Param string `json:"param,omitempty"`
	// Severity is SeverityViolation or SeverityWarning.
	Severity Severity `json:"severity"`
}

func (f Finding) String() string {
	s := f.Path + ": " + f.Rule
	if f.Param != "" {
		s += "=" + f.Param
	}
	if f.Severity == SeverityWarning {
		s += " (warning)"
	}
	return s
}

// FieldError returns f as the kernel's field error (without severity).
func (f Finding) FieldError() civickit.FieldError {
	return civickit.FieldError{Path: f.Path, Rule: f.Rule, Param: f.Param}
}

// Report lists what a validation found, violations and warnings alike, in
// the order found. The zero Report found nothing.
type Report struct {
	Findings []Finding `json:"findings,omitempty"`
}

// Violations returns the findings of severity SeverityViolation.
func (r Report) Violations() []Finding { return r.filter(SeverityViolation) }

// Warnings returns the findings of severity SeverityWarning.
func (r Report) Warnings() []Finding { return r.filter(SeverityWarning) }

// OK reports whether r holds no violation (warnings are allowed).
func (r Report) OK() bool { return len(r.Violations()) == 0 }

// Err returns the violations as a *civickit.ValidationError (matching
// ErrInvalid), or nil when there is none: what a caller returns when it
// refuses a description that does not conform.
func (r Report) Err() error {
	ve := &civickit.ValidationError{}
	for _, f := range r.Findings {
		if f.Severity == SeverityViolation {
			ve.Fields = append(ve.Fields, f.FieldError())
		}
	}
	return ve.Err()
}

func (r Report) filter(sev Severity) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Severity == sev {
			out = append(out, f)
		}
	}
	return out
}

// violation and warning append a finding while validating.
func (r *Report) violation(path, rule, param string) {
	r.Findings = append(r.Findings, Finding{Path: path, Rule: rule, Param: param, Severity: SeverityViolation})
}

func (r *Report) warning(path, rule, param string) {
	r.Findings = append(r.Findings, Finding{Path: path, Rule: rule, Param: param, Severity: SeverityWarning})
}
