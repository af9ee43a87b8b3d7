package participation

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
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
	BirthDate civickit.PartialDate `json:"birth_date"`
	CreatedAt time.Time            `json:"created_at"`
	UpdatedAt time.Time            `json:"updated_at"`
}

// Respondent is a participant as seen by a contribution: who (a random
// ID, nothing personal) and how they were recruited.
type Respondent struct {
	ParticipantID uuid.UUID   `json:"participant_id"`
	Recruitment   Recruitment `json:"recruitment"`
}

// normalizePersonalData trims the free text fields.
func normalizePersonalData(pd *PersonalData) {
	pd.Name = strings.TrimSpace(pd.Name)
	pd.Email = strings.TrimSpace(pd.Email)
	pd.Phone = strings.TrimSpace(pd.Phone)
	pd.Address = strings.TrimSpace(pd.Address)
	pd.Territory = strings.TrimSpace(pd.Territory)
}

func (s *Service) validatePersonalData(pd *PersonalData) error {
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", pd, ve)
	pd.BirthDate.Check("birth_date", ve)
	return ve.Err()
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
// verifications; their pseudonymous contributions stay, and so do their
// census claims (identity keys, which name no one without the identity
// secret), so that the person cannot take part again as a new
// participant.
func (s *Service) ErasePersonalData(ctx context.Context, participantID uuid.UUID) error {
	if err := s.store.ErasePersonalData(ctx, participantID); err != nil {
		return fmt.Errorf("erase personal data: %w", err)
	}
	return nil
}
