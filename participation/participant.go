package participation

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Participant is a pseudonymous person taking part. It holds no personal
// data: contributions point at its random ID, and the personal data live
// apart in PersonalData, which can be erased without touching them.
type Participant struct {
	ID        uuid.UUID `json:"id"` // random (version 4): must not leak order
	CreatedAt time.Time `json:"created_at"`
}

// PersonalData are a participant's personal data, stored apart from
// every contribution and never exported or logged.
type PersonalData struct {
	ParticipantID uuid.UUID `json:"participant_id"`
	Name          string    `json:"name,omitempty" validate:"max=250"`
	Email         string    `json:"email,omitempty" validate:"omitempty,email,max=250"`
	Phone         string    `json:"phone,omitempty" validate:"max=40"`
	Address       string    `json:"address,omitempty" validate:"max=500"`
	// Territory is the code of the area where the participant lives
	// (compared with the consultation's eligible territories).
	Territory string `json:"territory,omitempty" validate:"max=20"`
	// BirthDate may be partial: a year only, a year and month, or full.
	BirthDate PartialDate `json:"birth_date"`
	// CensusKey identifies the person in a census list (e.g. an electoral
	// roll number); "" when unknown.
	CensusKey string    `json:"census_key,omitempty" validate:"max=100"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// PartialDate is a calendar date of which only the year, or the year and
// month, may be known. Zero fields are unknown; Year 0 means no date.
type PartialDate struct {
	Year  int `json:"year,omitempty"`
	Month int `json:"month,omitempty"` // 1..12, 0 unknown
	Day   int `json:"day,omitempty"`   // 1..31, 0 unknown (needs Month)
}

// Respondent is a participant as seen by a contribution: who (a random
// ID, nothing personal) and how they were recruited.
type Respondent struct {
	ParticipantID uuid.UUID   `json:"participant_id"`
	Recruitment   Recruitment `json:"recruitment"`
}

// ParsePartialDate reads "YYYY", "YYYY-MM" or "YYYY-MM-DD" (the empty
// string is the zero, unknown date). It never panics; a malformed or
// impossible date (month 13, 31 April, 29 February of a common year) is
// an error wrapping ErrInvalid.
func ParsePartialDate(s string) (PartialDate, error) {
	var d PartialDate
	if s == "" {
		return d, nil
	}
	parts := strings.Split(s, "-")
	if len(parts) > 3 {
		return PartialDate{}, fmt.Errorf("partial date %q: %w", s, ErrInvalid)
	}
	widths := []int{4, 2, 2}
	vals := make([]int, len(parts))
	for i, p := range parts {
		if len(p) != widths[i] {
			return PartialDate{}, fmt.Errorf("partial date %q: %w", s, ErrInvalid)
		}
		for _, r := range p {
			if r < '0' || r > '9' {
				return PartialDate{}, fmt.Errorf("partial date %q: %w", s, ErrInvalid)
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
	if rule := d.problem(); rule != "" {
		return PartialDate{}, fmt.Errorf("partial date %q: %s: %w", s, rule, ErrInvalid)
	}
	return d, nil
}

// String formats d as ParsePartialDate reads it.
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

// problem returns the rule d breaks, or "".
func (d PartialDate) problem() string {
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

// Validate returns a *ValidationError when d is not a possible date.
func (d PartialDate) Validate() error {
	if rule := d.problem(); rule != "" {
		return invalid("birth_date", rule, d.String())
	}
	return nil
}

func daysIn(year, month int) int {
	if month == 0 {
		return 0
	}
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// latest returns the last calendar day d may stand for, as (y, m, day).
func (d PartialDate) latest() (int, int, int) {
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
// month's last day. One turns N on one's N-th birthday; someone born on
// 29 February turns N on 1 March of a common year. An unknown or
// impossible date is never old enough.
func (d PartialDate) CertainlyAtLeast(years int, on time.Time) bool {
	if !d.Known() || d.problem() != "" {
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

// normalizePersonalData trims the free text fields.
func normalizePersonalData(pd *PersonalData) {
	pd.Name = strings.TrimSpace(pd.Name)
	pd.Email = strings.TrimSpace(pd.Email)
	pd.Phone = strings.TrimSpace(pd.Phone)
	pd.Address = strings.TrimSpace(pd.Address)
	pd.Territory = strings.TrimSpace(pd.Territory)
	pd.CensusKey = strings.TrimSpace(pd.CensusKey)
}

func (s *Service) validatePersonalData(pd *PersonalData) error {
	ve := &ValidationError{}
	checkStruct(s.validate, "", pd, ve)
	if rule := pd.BirthDate.problem(); rule != "" {
		ve.add("birth_date", rule, pd.BirthDate.String())
	}
	return ve.orNil()
}

// RegisterParticipant creates a participant with a random ID and, when pd
// is non-nil, its personal data (stored apart). A paper respondent may
// be registered without any personal data.
func (s *Service) RegisterParticipant(ctx context.Context, pd *PersonalData) (*Participant, error) {
	var data *PersonalData
	if pd != nil {
		cp := *pd
		data = &cp
		normalizePersonalData(data)
		if err := s.validatePersonalData(data); err != nil {
			return nil, err
		}
	}
	now := s.now().UTC()
	p := &Participant{ID: s.newSecretID(), CreatedAt: now}
	if data != nil {
		data.ParticipantID = p.ID
		data.CreatedAt, data.UpdatedAt = now, now
	}
	if err := s.store.CreateParticipant(ctx, p, data); err != nil {
		return nil, fmt.Errorf("register participant: %w", err)
	}
	return p, nil
}

// GetParticipant returns the pseudonymous participant.
func (s *Service) GetParticipant(ctx context.Context, id uuid.UUID) (*Participant, error) {
	return s.store.GetParticipant(ctx, id)
}

// PersonalData returns the participant's personal data (ErrNotFound when
// none are held). Callers must not log or export them.
func (s *Service) PersonalData(ctx context.Context, participantID uuid.UUID) (*PersonalData, error) {
	return s.store.GetPersonalData(ctx, participantID)
}

// PutPersonalData validates pd and stores it as the personal data of
// pd.ParticipantID, replacing what was held.
func (s *Service) PutPersonalData(ctx context.Context, pd PersonalData) (*PersonalData, error) {
	normalizePersonalData(&pd)
	if err := s.validatePersonalData(&pd); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	pd.UpdatedAt = now
	if cur, err := s.store.GetPersonalData(ctx, pd.ParticipantID); err == nil {
		pd.CreatedAt = cur.CreatedAt
	} else {
		pd.CreatedAt = now
	}
	if err := s.store.PutPersonalData(ctx, &pd); err != nil {
		return nil, fmt.Errorf("put personal data: %w", err)
	}
	return &pd, nil
}

// ErasePersonalData deletes the participant's personal data and
// verifications; their pseudonymous contributions stay.
func (s *Service) ErasePersonalData(ctx context.Context, participantID uuid.UUID) error {
	if err := s.store.ErasePersonalData(ctx, participantID); err != nil {
		return fmt.Errorf("erase personal data: %w", err)
	}
	return nil
}
