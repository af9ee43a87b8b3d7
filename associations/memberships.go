package associations

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// JoinPeriod is the first period of a membership and its fee.
type JoinPeriod struct {
	StartOn  time.Time `json:"start_on" validate:"required"`
	EndOn    time.Time `json:"end_on" validate:"required,gtfield=StartOn"` // exclusive
	FeeCents int64     `json:"fee_cents" validate:"gte=0"`
	Currency string    `json:"currency" validate:"required,iso4217"` // "EUR" when empty
}

// AllowedMembershipTransitions returns the statuses a membership in status
// from may move to. Cancelled and renewed memberships are final.
func AllowedMembershipTransitions(from MembershipStatus) []MembershipStatus {
	switch from {
	case MembershipPending:
		return []MembershipStatus{MembershipActive, MembershipCancelled}
	case MembershipActive:
		return []MembershipStatus{MembershipCancelled, MembershipRenewed}
	}
	return nil
}

// initialMembershipStatus: a membership with a fee waits for its payment.
func initialMembershipStatus(feeCents int64) MembershipStatus {
	if feeCents == 0 {
		return MembershipActive
	}
	return MembershipPending
}

func normalizePerson(p *Person) {
	p.GivenName = strings.TrimSpace(p.GivenName)
	p.FamilyName = strings.TrimSpace(p.FamilyName)
	p.Email = strings.TrimSpace(p.Email)
	p.Phone = strings.TrimSpace(p.Phone)
	p.PostalAddress = strings.TrimSpace(p.PostalAddress)
	p.BirthDate = dateOnly(p.BirthDate)
}

func normalizePeriod(p *JoinPeriod) {
	p.StartOn = *dateOnly(&p.StartOn)
	p.EndOn = *dateOnly(&p.EndOn)
	p.Currency = strings.ToUpper(strings.TrimSpace(p.Currency))
	if p.Currency == "" {
		p.Currency = "EUR"
	}
}

// Join makes person a member of the association for period: it stores the
// person's data, then a membership, pending until the fee is paid (active
// at once when the fee is zero). The service sets the IDs and timestamps;
// dates are kept as UTC days.
//
// Joining an unknown association is ErrNotFound. Joining a dissolved one is
// refused with a *TransitionError (ErrIllegalTransition, "" -> the initial
// status): the request is well-formed but the association's state forbids
// it, as for any other workflow step.
func (s *Service) Join(ctx context.Context, associationID uuid.UUID, person Person, period JoinPeriod) (*Membership, error) {
	normalizePerson(&person)
	normalizePeriod(&period)
	now := s.now().UTC()
	ve := &civickit.ValidationError{}
	if associationID == uuid.Nil {
		ve.Add("association_id", "required", "")
	}
	civickit.CheckStruct(s.validate, "person", &person, ve)
	if person.BirthDate != nil && person.BirthDate.After(now) {
		ve.Add("person.birth_date", "lte", "today")
	}
	civickit.CheckStruct(s.validate, "period", &period, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}

	a, err := s.store.GetAssociation(ctx, associationID)
	if err != nil {
		return nil, fmt.Errorf("join: %w", err)
	}
	status := initialMembershipStatus(period.FeeCents)
	if a.Status == StatusDissolved {
		return nil, fmt.Errorf("join: association %s is dissolved: %w", a.ID,
			&TransitionError{Entity: "membership", To: string(status)})
	}

	// Secret IDs (random, not time-ordered): when people joined is private.
	person.ID = s.newSecretID()
	person.CreatedAt = now
	if err := s.store.CreatePerson(ctx, &person); err != nil {
		return nil, fmt.Errorf("join: create person: %w", err)
	}
	m := Membership{
		ID:            s.newSecretID(),
		AssociationID: associationID,
		PersonID:      person.ID,
		StartOn:       period.StartOn,
		EndOn:         period.EndOn,
		FeeCents:      period.FeeCents,
		Currency:      period.Currency,
		Status:        status,
		Version:       1,
		CreatedAt:     now,
		UpdatedAt:     now,
	}
	if err := s.store.CreateMembership(ctx, &m); err != nil {
		err = fmt.Errorf("join: create membership: %w", err)
		// The two writes are not one transaction: erase the person so no
		// personal data is left without a membership. The caller's context
		// may be what failed, so the undo does not inherit its cancellation.
		if derr := s.store.DeletePerson(context.WithoutCancel(ctx), person.ID); derr != nil {
			return nil, errors.Join(err, fmt.Errorf("join: undo create person: %w", derr))
		}
		return nil, err
	}
	return &m, nil
}

// GetMembership returns the membership with that ID.
func (s *Service) GetMembership(ctx context.Context, id uuid.UUID) (*Membership, error) {
	return s.store.GetMembership(ctx, id)
}

// ConfirmPayment records the fee's payment: pending -> active.
func (s *Service) ConfirmPayment(ctx context.Context, id uuid.UUID, version int) (*Membership, error) {
	return s.moveMembership(ctx, id, version, MembershipActive)
}

// Cancel ends a pending or active membership early.
func (s *Service) Cancel(ctx context.Context, id uuid.UUID, version int) (*Membership, error) {
	return s.moveMembership(ctx, id, version, MembershipCancelled)
}

// Renew marks an active membership renewed and returns the new membership
// for the next period: it starts when the old one ends and has the same
// length (in whole months when the old one had, else in days), with the
// given fee; pending unless the fee is zero. Both are written in one
// transaction. A dissolved association's memberships cannot be renewed.
func (s *Service) Renew(ctx context.Context, id uuid.UUID, version int, feeCents int64) (*Membership, error) {
	if feeCents < 0 {
		return nil, civickit.Invalid("fee_cents", "gte", "0")
	}
	prev, err := s.store.GetMembership(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("renew: %w", err)
	}
	illegal := &TransitionError{Entity: "membership", From: string(prev.Status), To: string(MembershipRenewed)}
	if !slices.Contains(AllowedMembershipTransitions(prev.Status), MembershipRenewed) {
		return nil, illegal
	}
	a, err := s.store.GetAssociation(ctx, prev.AssociationID)
	if err != nil {
		return nil, fmt.Errorf("renew: %w", err)
	}
	if a.Status == StatusDissolved {
		return nil, fmt.Errorf("renew: association %s is dissolved: %w", a.ID, illegal)
	}

	now := s.now().UTC()
	start, end := nextPeriod(prev.StartOn, prev.EndOn)
	next := Membership{
		ID:            s.newSecretID(), // secret, as in Join
		AssociationID: prev.AssociationID,
		PersonID:      prev.PersonID,
		StartOn:       start,
		EndOn:         end,
		FeeCents:      feeCents,
		Currency:      prev.Currency,
		Status:        initialMembershipStatus(feeCents),
		RenewalOf:     &prev.ID,
		Version:       1,
		CreatedAt:     now,
		UpdatedAt:     now,
	}
	prev.Status = MembershipRenewed
	prev.Version = version
	prev.UpdatedAt = now
	if err := s.store.RenewMembership(ctx, prev, &next); err != nil {
		return nil, fmt.Errorf("renew: %w", err)
	}
	return &next, nil
}

// ListMemberships returns a page of an association's memberships by start
// date (then ID).
func (s *Service) ListMemberships(ctx context.Context, associationID uuid.UUID, after string, limit int) (civickit.Page[Membership], error) {
	limit, err := civickit.CheckLimit(limit)
	if err != nil {
		return civickit.Page[Membership]{}, err
	}
	p, err := s.store.ListMemberships(ctx, associationID, after, limit)
	if err != nil {
		return civickit.Page[Membership]{}, fmt.Errorf("list memberships: %w", err)
	}
	if p.Items == nil {
		p.Items = []Membership{}
	}
	return p, nil
}

// ErasePerson erases a person's personal data and memberships (the GDPR
// right to erasure). ErrNotFound for an unknown person.
func (s *Service) ErasePerson(ctx context.Context, personID uuid.UUID) error {
	if _, err := s.store.GetPerson(ctx, personID); err != nil {
		return fmt.Errorf("erase person: %w", err)
	}
	if err := s.store.DeletePerson(ctx, personID); err != nil {
		return fmt.Errorf("erase person: %w", err)
	}
	return nil
}

// moveMembership is the one way a membership changes status outside a
// renewal: it checks the transition table, then stores the membership if
// its version is still version (else the store's ErrConflict).
func (s *Service) moveMembership(ctx context.Context, id uuid.UUID, version int, to MembershipStatus) (*Membership, error) {
	m, err := s.store.GetMembership(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("get membership: %w", err)
	}
	if !slices.Contains(AllowedMembershipTransitions(m.Status), to) {
		return nil, &TransitionError{Entity: "membership", From: string(m.Status), To: string(to)}
	}
	m.Status = to
	m.Version = version
	m.UpdatedAt = s.now().UTC()
	if err := s.store.UpdateMembership(ctx, m); err != nil {
		return nil, fmt.Errorf("update membership: %w", err)
	}
	return m, nil
}

// nextPeriod returns the period that follows [start, end) and has the same
// length: whole months when [start, end) is whole months (a year from
// September 1 is followed by a year from September 1, leap years or not),
// else the same number of days.
func nextPeriod(start, end time.Time) (time.Time, time.Time) {
	start, end = start.UTC(), end.UTC()
	months := (end.Year()-start.Year())*12 + int(end.Month()) - int(start.Month())
	if months > 0 && addMonths(start, months).Equal(end) {
		return end, addMonths(end, months)
	}
	days := int(end.Sub(start).Round(24*time.Hour) / (24 * time.Hour))
	return end, end.AddDate(0, 0, days)
}

// addMonths adds n months to t, keeping the day of the month but not past
// the month's last day: January 31 plus one month is February 28 or 29.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}
