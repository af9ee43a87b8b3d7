package ballotbox

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Voter is who casts, as the identity provider and the operator know
// them. Nothing of it is stored but the VoterKey of its ID.
type Voter struct {
	// ID is the identifier the census lists (a document number, a
	// resident number, an account ID). NormalizeVoterID is applied.
	ID        string
	Territory string
	// BirthDate may be partial: a year only, or a year and month.
	BirthDate PartialDate
	Assurance AssuranceLevel
}

// PartialDate is a date of which only the year, or the year and month,
// may be known (Month or Day 0).
type PartialDate struct {
	Year, Month, Day int
}

// latest returns the latest day d can stand for, and false when the year
// is unknown or a part is out of range.
func (d PartialDate) latest() (time.Time, bool) {
	if d.Year <= 0 || d.Month < 0 || d.Month > 12 || d.Day < 0 || d.Day > 31 || d.Month == 0 && d.Day != 0 {
		return time.Time{}, false
	}
	m, dd := d.Month, d.Day
	if m == 0 {
		m = 12
	}
	last := time.Date(d.Year, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if dd == 0 {
		dd = last
	} else if dd > last {
		return time.Time{}, false
	}
	return time.Date(d.Year, time.Month(m), dd, 0, 0, 0, 0, time.UTC), true
}

// AtLeast reports whether someone born on d is surely at least age years
// old on day on: true only when even the latest day d can stand for proves
// it.
func (d PartialDate) AtLeast(age int, on time.Time) bool {
	born, ok := d.latest()
	if !ok {
		return false
	}
	y, m, dd := on.UTC().Date()
	return !time.Date(y-age, m, dd, 0, 0, 0, 0, time.UTC).Before(born)
}

// CheckEligibility checks v against e's rules: census (a store read),
// territory, minimum age on the closing day, assurance level. It returns an
// *EligibilityError naming the first rule failed.
func (s *Service) CheckEligibility(ctx context.Context, e *Election, v Voter) error {
	if NormalizeVoterID(v.ID) == "" {
		return &EligibilityError{Rule: "identifier", Detail: "no voter identifier"}
	}
	el := e.Eligibility
	if el.Assurance != "" && v.Assurance.Rank() < el.Assurance.Rank() {
		return &EligibilityError{Rule: "assurance", Detail: fmt.Sprintf("%q below %q", v.Assurance, el.Assurance)}
	}
	if len(el.Territories) > 0 && !slices.Contains(el.Territories, v.Territory) {
		return &EligibilityError{Rule: "territory"}
	}
	if el.MinimumAge > 0 && !v.BirthDate.AtLeast(el.MinimumAge, e.Closes.Add(-time.Nanosecond)) {
		return &EligibilityError{Rule: "minimum_age", Detail: fmt.Sprintf("not proven %d on the closing day", el.MinimumAge)}
	}
	if el.Census {
		ok, err := s.store.InCensus(ctx, e.ID, VoterKeyOf(e, v.ID))
		if err != nil {
			return err
		}
		if !ok {
			return &EligibilityError{Rule: "census"}
		}
	}
	return nil
}
