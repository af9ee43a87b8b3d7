package participation

import (
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
