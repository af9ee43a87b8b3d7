package civickit

import (
	"fmt"
	"strings"
	"time"
)

// PartialDate is a calendar date of which only the year, or the year and
// month, may be known — as birth dates often are on paper forms and in
// registers. Zero fields are unknown; Year 0 means no date at all.
type PartialDate struct {
	Year  int `json:"year,omitempty"`
	Month int `json:"month,omitempty"` // 1..12, 0 unknown
	Day   int `json:"day,omitempty"`   // 1..31, 0 unknown (needs Month)
}

// ParsePartialDate reads "YYYY", "YYYY-MM" or "YYYY-MM-DD"; the empty
// string is the unknown date. A malformed or impossible date (month 13,
// 31 April, 29 February of a common year) is a *ValidationError on path
// "date".
func ParsePartialDate(s string) (PartialDate, error) {
	var d PartialDate
	if s == "" {
		return d, nil
	}
	parts := strings.Split(s, "-")
	if len(parts) > 3 {
		return PartialDate{}, Invalid("date", "partial_date", "")
	}
	widths := []int{4, 2, 2}
	vals := make([]int, len(parts))
	for i, p := range parts {
		if len(p) != widths[i] {
			return PartialDate{}, Invalid("date", "partial_date", "")
		}
		for _, r := range p {
			if r < '0' || r > '9' {
				return PartialDate{}, Invalid("date", "partial_date", "")
			}
			vals[i] = vals[i]*10 + int(r-'0')
		}
	}
	d.Year = vals[0]
	if len(vals) > 1 {
		d.Month = vals[1]
	}
	if len(vals) > 2 {
		d.Day = vals[2]
	}
	if rule := d.Problem(); rule != "" {
		return PartialDate{}, Invalid("date", rule, "")
	}
	return d, nil
}

// String formats d as ParsePartialDate reads it ("" for the unknown date).
func (d PartialDate) String() string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Known reports whether at least the year is known.
func (d PartialDate) Known() bool { return d.Year != 0 }

// Problem returns the rule d breaks ("year_required", "year_range",
// "month_range", "month_required", "day_range"), or "" when d is a
// possible (possibly unknown) date.
func (d PartialDate) Problem() string {
	switch {
	case d.Year == 0 && (d.Month != 0 || d.Day != 0):
		return "year_required"
	case d.Year < 0 || d.Year > 9999:
		return "year_range"
	case d.Month < 0 || d.Month > 12:
		return "month_range"
	case d.Day != 0 && d.Month == 0:
		return "month_required"
	case d.Day < 0 || d.Day > daysIn(d.Year, d.Month):
		return "day_range"
	}
	return ""
}

// Check adds d's broken rule, if any, to ve under path.
func (d PartialDate) Check(path string, ve *ValidationError) {
	if rule := d.Problem(); rule != "" {
		ve.Add(path, rule, d.String())
	}
}

func daysIn(year, month int) int {
	if month == 0 {
		return 0
	}
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// latest returns the last calendar day d may stand for.
func (d PartialDate) latest() (y, m, day int) {
	switch {
	case d.Month == 0:
		return d.Year, 12, 31
	case d.Day == 0:
		return d.Year, d.Month, daysIn(d.Year, d.Month)
	}
	return d.Year, d.Month, d.Day
}

// CertainlyAtLeast reports whether someone born on d is at least years
// old on the calendar day of on (in on's location), whatever day d stands
// for: a year alone counts as 31 December, a year and month as the
// month's last day, so an age is never granted early. One turns N on
// one's N-th birthday; someone born on 29 February turns N on 1 March of
// a common year. An unknown or impossible date is never old enough.
func (d PartialDate) CertainlyAtLeast(years int, on time.Time) bool {
	if !d.Known() || d.Problem() != "" {
		return false
	}
	by, bm, bd := d.latest()
	oy, om, od := on.Year(), int(on.Month()), on.Day()
	age := oy - by
	if om < bm || (om == bm && od < bd) {
		age--
	}
	return age >= years
}
