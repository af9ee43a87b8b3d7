package associations_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/associations"
)

var memberStart = time.Date(2025, 8, 25, 9, 0, 0, 0, time.UTC)

func lea() associations.Person {
	birth := time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC)
	return associations.Person{
		GivenName:     "Léa",
		FamilyName:    "Durand",
		Email:         "lea.durand@example.org",
		Phone:         "+33 6 98 76 54 32",
		PostalAddress: "8 impasse des Lilas, 69003 Lyon",
		BirthDate:     &birth,
	}
}

// schoolYear is a membership from September 1, 2025 to September 1, 2026.
func schoolYear(feeCents int64) associations.JoinPeriod {
	return associations.JoinPeriod{
		StartOn:  time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC),
		EndOn:    time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC),
		FeeCents: feeCents,
	}
}

// spyStore passes every call to the real store, counting the people it
// creates; failMembership makes CreateMembership fail after cancelling
// the caller's context, as a dropped request would.
type spyStore struct {
	associations.Store
	people         []uuid.UUID
	failMembership bool
	cancel         context.CancelFunc
}

var errDiskFull = errors.New("disk full")

func (s *spyStore) CreatePerson(ctx context.Context, p *associations.Person) error {
	err := s.Store.CreatePerson(ctx, p)
	if err == nil {
		s.people = append(s.people, p.ID)
	}
	return err
}

func (s *spyStore) CreateMembership(ctx context.Context, m *associations.Membership) error {
	if s.failMembership {
		if s.cancel != nil {
			s.cancel()
		}
		return errDiskFull
	}
	return s.Store.CreateMembership(ctx, m)
}

func TestMembershipFlow(t *testing.T) {
	ctx := context.Background()
	store := &spyStore{Store: openStore(t)}
	svc := newService(t, store, memberStart, associations.Options{})
	a := newAssociation(t, svc, "Chorale du Vieux-Lyon")

	period := schoolYear(2500)
	period.Currency = "eur"
	m, err := svc.Join(ctx, a.ID, lea(), period)
	require.NoError(t, err)
	assert.Equal(t, associations.MembershipPending, m.Status, "pending until the fee is paid")
	assert.Equal(t, "EUR", m.Currency)
	assert.Equal(t, 1, m.Version)
	assert.Equal(t, uuid.Version(4), m.PersonID.Version(), "people's IDs must not reveal when they joined")
	assert.Equal(t, uuid.Version(4), m.ID.Version())
	require.Equal(t, []uuid.UUID{m.PersonID}, store.people)

	p, err := store.GetPerson(ctx, m.PersonID)
	require.NoError(t, err)
	assert.Equal(t, "Léa", p.GivenName)
	assert.Equal(t, "lea.durand@example.org", p.Email)

	m, err = svc.ConfirmPayment(ctx, m.ID, m.Version)
	require.NoError(t, err)
	assert.Equal(t, associations.MembershipActive, m.Status)
	assert.Equal(t, 2, m.Version)

	next, err := svc.Renew(ctx, m.ID, m.Version, 3000)
	require.NoError(t, err)
	assert.Equal(t, associations.MembershipPending, next.Status)
	assert.Equal(t, int64(3000), next.FeeCents)
	assert.Equal(t, "EUR", next.Currency)
	assert.Equal(t, m.PersonID, next.PersonID)
	require.NotNil(t, next.RenewalOf)
	assert.Equal(t, m.ID, *next.RenewalOf)
	assert.True(t, next.StartOn.Equal(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)), "next starts %v", next.StartOn)
	assert.True(t, next.EndOn.Equal(time.Date(2027, 9, 1, 0, 0, 0, 0, time.UTC)), "next ends %v", next.EndOn)

	prev, err := svc.GetMembership(ctx, m.ID)
	require.NoError(t, err)
	assert.Equal(t, associations.MembershipRenewed, prev.Status)
	assert.Equal(t, 3, prev.Version)

	free, err := svc.Join(ctx, a.ID, associations.Person{GivenName: "Omar", FamilyName: "Benali", Email: "omar@example.org"}, schoolYear(0))
	require.NoError(t, err)
	assert.Equal(t, associations.MembershipActive, free.Status, "no fee, nothing to wait for")

	free, err = svc.Cancel(ctx, free.ID, free.Version)
	require.NoError(t, err)
	assert.Equal(t, associations.MembershipCancelled, free.Status)

	list, err := allMemberships(ctx, svc, a.ID)
	require.NoError(t, err)
	ids := make([]uuid.UUID, len(list))
	for i, m := range list {
		ids[i] = m.ID
	}
	// Ordered by start date: the two 2025 memberships (in ID order), then the renewal.
	require.Len(t, ids, 3)
	assert.ElementsMatch(t, []uuid.UUID{m.ID, free.ID}, ids[:2])
	assert.Equal(t, next.ID, ids[2])
}

func TestMembershipIllegalTransitions(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, openStore(t), memberStart, associations.Options{})
	a := newAssociation(t, svc, "Chorale du Vieux-Lyon")

	// membershipAt returns a new membership in status.
	membershipAt := func(t *testing.T, status associations.MembershipStatus) *associations.Membership {
		t.Helper()
		m, err := svc.Join(ctx, a.ID, lea(), schoolYear(2500))
		require.NoError(t, err)
		switch status {
		case associations.MembershipActive:
			m, err = svc.ConfirmPayment(ctx, m.ID, m.Version)
		case associations.MembershipCancelled:
			m, err = svc.Cancel(ctx, m.ID, m.Version)
		case associations.MembershipRenewed:
			m, err = svc.ConfirmPayment(ctx, m.ID, m.Version)
			require.NoError(t, err)
			_, err = svc.Renew(ctx, m.ID, m.Version, 2500)
			require.NoError(t, err)
			m, err = svc.GetMembership(ctx, m.ID)
		}
		require.NoError(t, err)
		require.Equal(t, status, m.Status)
		return m
	}
	ops := []struct {
		name string
		to   associations.MembershipStatus
		call func(m *associations.Membership) error
	}{
		{"ConfirmPayment", associations.MembershipActive, func(m *associations.Membership) error {
			_, err := svc.ConfirmPayment(ctx, m.ID, m.Version)
			return err
		}},
		{"Cancel", associations.MembershipCancelled, func(m *associations.Membership) error {
			_, err := svc.Cancel(ctx, m.ID, m.Version)
			return err
		}},
		{"Renew", associations.MembershipRenewed, func(m *associations.Membership) error {
			_, err := svc.Renew(ctx, m.ID, m.Version, 2500)
			return err
		}},
	}
	tests := []struct {
		from associations.MembershipStatus
		ops  []string
	}{
		{associations.MembershipPending, []string{"Renew"}},
		{associations.MembershipActive, []string{"ConfirmPayment"}},
		{associations.MembershipCancelled, []string{"ConfirmPayment", "Cancel", "Renew"}},
		{associations.MembershipRenewed, []string{"ConfirmPayment", "Cancel", "Renew"}},
	}
	for _, tt := range tests {
		for _, op := range ops {
			if !slices.Contains(tt.ops, op.name) {
				continue
			}
			t.Run(string(tt.from)+"/"+op.name, func(t *testing.T) {
				m := membershipAt(t, tt.from)
				before, err := allMemberships(ctx, svc, a.ID)
				require.NoError(t, err)

				err = op.call(m)
				var te *associations.TransitionError
				require.ErrorAs(t, err, &te)
				assert.ErrorIs(t, err, associations.ErrIllegalTransition)
				assert.Equal(t, associations.TransitionError{Entity: "membership", From: string(tt.from), To: string(op.to)}, *te)

				after, err := allMemberships(ctx, svc, a.ID)
				require.NoError(t, err)
				assert.Equal(t, before, after, "memberships changed")
			})
		}
	}
}

func TestMembershipStaleVersion(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, openStore(t), memberStart, associations.Options{})
	a := newAssociation(t, svc, "Chorale du Vieux-Lyon")
	m, err := svc.Join(ctx, a.ID, lea(), schoolYear(2500))
	require.NoError(t, err)
	active, err := svc.ConfirmPayment(ctx, m.ID, m.Version)
	require.NoError(t, err)
	before, err := allMemberships(ctx, svc, a.ID)
	require.NoError(t, err)

	_, err = svc.Cancel(ctx, m.ID, m.Version) // version 1, stored is 2
	assert.ErrorIs(t, err, associations.ErrConflict)
	_, err = svc.Renew(ctx, m.ID, m.Version, 2500)
	assert.ErrorIs(t, err, associations.ErrConflict)

	after, err := allMemberships(ctx, svc, a.ID)
	require.NoError(t, err)
	assert.Equal(t, before, after, "a stale renewal must not insert the next period")
	stored, err := svc.GetMembership(ctx, m.ID)
	require.NoError(t, err)
	assert.Equal(t, active, stored)
}

func TestJoinRefused(t *testing.T) {
	ctx := context.Background()
	store := &spyStore{Store: openStore(t)}
	svc := newService(t, store, memberStart, associations.Options{})
	a := newAssociation(t, svc, "Chorale du Vieux-Lyon")
	dissolved := newAssociation(t, svc, "Ancienne fanfare")
	_, err := svc.Dissolve(ctx, dissolved.ID, time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)

	t.Run("invalid person and period", func(t *testing.T) {
		p := lea()
		p.FamilyName = " "
		p.Email = "lea.durand"
		period := schoolYear(-1)
		period.EndOn = period.StartOn
		period.Currency = "EURO"
		_, err := svc.Join(ctx, a.ID, p, period)
		assertFields(t, err, "person.family_name required", "person.email email",
			"period.end_on gtfield", "period.fee_cents gte", "period.currency iso4217")
	})
	t.Run("birth date in the future", func(t *testing.T) {
		p := lea()
		born := memberStart.AddDate(0, 0, 2)
		p.BirthDate = &born
		_, err := svc.Join(ctx, a.ID, p, schoolYear(0))
		assertFields(t, err, "person.birth_date lte")
	})
	t.Run("unknown association", func(t *testing.T) {
		_, err := svc.Join(ctx, uuid.New(), lea(), schoolYear(0))
		assert.ErrorIs(t, err, associations.ErrNotFound)
	})
	t.Run("dissolved association", func(t *testing.T) {
		_, err := svc.Join(ctx, dissolved.ID, lea(), schoolYear(2500))
		var te *associations.TransitionError
		require.ErrorAs(t, err, &te)
		assert.ErrorIs(t, err, associations.ErrIllegalTransition)
		assert.Equal(t, associations.TransitionError{Entity: "membership", To: string(associations.MembershipPending)}, *te)
		assert.Contains(t, err.Error(), "dissolved")
	})
	assert.Empty(t, store.people, "no person may be stored for a refused join")

	list, err := allMemberships(ctx, svc, a.ID)
	require.NoError(t, err)
	assert.Empty(t, list)
}

func TestRenewOfDissolvedAssociation(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, openStore(t), memberStart, associations.Options{})
	a := newAssociation(t, svc, "Chorale du Vieux-Lyon")
	m, err := svc.Join(ctx, a.ID, lea(), schoolYear(0))
	require.NoError(t, err)
	_, err = svc.Dissolve(ctx, a.ID, time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)

	_, err = svc.Renew(ctx, m.ID, m.Version, 0)
	assert.ErrorIs(t, err, associations.ErrIllegalTransition)
	stored, err := svc.GetMembership(ctx, m.ID)
	require.NoError(t, err)
	assert.Equal(t, associations.MembershipActive, stored.Status)

	_, err = svc.Renew(ctx, m.ID, m.Version, -1)
	assertFields(t, err, "fee_cents gte")
}

func TestJoinUndoesThePersonWhenTheMembershipFails(t *testing.T) {
	tests := []struct {
		name   string
		cancel bool // the request's context ends with the failure
	}{
		{"store error", false},
		{"cancelled request", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inner := openStore(t)
			store := &spyStore{Store: inner, failMembership: true}
			svc := newService(t, store, memberStart, associations.Options{})
			a := newAssociation(t, svc, "Chorale du Vieux-Lyon")
			ctx := context.Background()
			if tt.cancel {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				defer cancel()
				store.cancel = cancel
			}

			_, err := svc.Join(ctx, a.ID, lea(), schoolYear(2500))
			require.ErrorIs(t, err, errDiskFull)
			require.Len(t, store.people, 1, "the person was written first")

			_, err = inner.GetPerson(context.Background(), store.people[0])
			assert.ErrorIs(t, err, associations.ErrNotFound, "the person must be erased again")
		})
	}
}

func TestErasePerson(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	svc := newService(t, store, memberStart, associations.Options{})
	a := newAssociation(t, svc, "Chorale du Vieux-Lyon")
	m, err := svc.Join(ctx, a.ID, lea(), schoolYear(0))
	require.NoError(t, err)
	_, err = svc.Renew(ctx, m.ID, m.Version, 0)
	require.NoError(t, err)
	other, err := svc.Join(ctx, a.ID, associations.Person{GivenName: "Omar", FamilyName: "Benali", Email: "omar@example.org"}, schoolYear(0))
	require.NoError(t, err)

	require.NoError(t, svc.ErasePerson(ctx, m.PersonID))

	_, err = store.GetPerson(ctx, m.PersonID)
	assert.ErrorIs(t, err, associations.ErrNotFound)
	list, err := allMemberships(ctx, svc, a.ID)
	require.NoError(t, err)
	require.Len(t, list, 1, "both of Léa's memberships go, Omar's stays")
	assert.Equal(t, other.ID, list[0].ID)

	assert.ErrorIs(t, svc.ErasePerson(ctx, m.PersonID), associations.ErrNotFound)
}

// People and memberships take their IDs from Options.NewSecretID (random
// by default: when people joined is private), registry rows from NewID.
func TestMembershipIDsAreInjected(t *testing.T) {
	ctx := context.Background()
	var public, secret int
	svc := newService(t, openStore(t), memberStart, associations.Options{
		NewID: func() uuid.UUID {
			public++
			return uuid.NewSHA1(uuid.NameSpaceOID, []byte{'p', byte(public)})
		},
		NewSecretID: func() uuid.UUID {
			secret++
			return uuid.NewSHA1(uuid.NameSpaceOID, []byte{'s', byte(secret)})
		},
	})
	a := newAssociation(t, svc, "Amicale des joueurs de boules")
	assert.Equal(t, uuid.NewSHA1(uuid.NameSpaceOID, []byte{'p', 1}), a.ID)
	m, err := svc.Join(ctx, a.ID, lea(), schoolYear(0))
	require.NoError(t, err)
	assert.Equal(t, uuid.NewSHA1(uuid.NameSpaceOID, []byte{'s', 1}), m.PersonID)
	assert.Equal(t, uuid.NewSHA1(uuid.NameSpaceOID, []byte{'s', 2}), m.ID)
	next, err := svc.Renew(ctx, m.ID, m.Version, 0)
	require.NoError(t, err)
	assert.Equal(t, uuid.NewSHA1(uuid.NameSpaceOID, []byte{'s', 3}), next.ID)
	assert.Equal(t, 1, public, "a membership takes no public ID")

	// The defaults: a public ID is time-ordered (v7), a secret one random (v4).
	def := newService(t, openStore(t), memberStart, associations.Options{})
	b := newAssociation(t, def, "Club de lecture")
	assert.Equal(t, uuid.Version(7), b.ID.Version())
	m, err = def.Join(ctx, b.ID, lea(), schoolYear(0))
	require.NoError(t, err)
	assert.Equal(t, uuid.Version(4), m.ID.Version())
	assert.Equal(t, uuid.Version(4), m.PersonID.Version())
}
