package civickit

// AssuranceLevel is how sure an identity provider or a verifier is of who
// a person is, on the eIDAS scale. The empty level means not verified.
type AssuranceLevel string

const (
	AssuranceNone        AssuranceLevel = ""
	AssuranceLow         AssuranceLevel = "low"
	AssuranceSubstantial AssuranceLevel = "substantial"
	AssuranceHigh        AssuranceLevel = "high"
)

// Rank orders the levels: 0 none, 1 low, 2 substantial, 3 high, and -1
// for an unknown level, which therefore never reaches any requirement.
func (l AssuranceLevel) Rank() int {
	switch l {
	case AssuranceNone:
		return 0
	case AssuranceLow:
		return 1
	case AssuranceSubstantial:
		return 2
	case AssuranceHigh:
		return 3
	}
	return -1
}

// Valid reports whether l is a known level, the empty level included.
func (l AssuranceLevel) Valid() bool { return l.Rank() >= 0 }

// AtLeast reports whether l meets the requirement min. An unknown level
// meets nothing, and an unknown requirement is met by nothing.
func (l AssuranceLevel) AtLeast(min AssuranceLevel) bool {
	return l.Valid() && min.Valid() && l.Rank() >= min.Rank()
}
