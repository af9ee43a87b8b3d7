package participation_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
)

// letterVerifier accepts the code it mailed to a participant: a code
// "<level>:<days>" grants that level for that many days (0: forever).
type letterVerifier struct{}

func (letterVerifier) Name() string { return "letter" }

func (letterVerifier) Verify(_ context.Context, _ uuid.UUID, ev participation.Evidence) (civickit.AssuranceLevel, time.Time, error) {
	var level string
	var days int
	if ev.Kind != "code" {
		return "", time.Time{}, fmt.Errorf("letter: evidence kind %q: %w", ev.Kind, participation.ErrNotEligible)
	}
	if _, err := fmt.Sscanf(ev.Value, "%s %d", &level, &days); err != nil {
		return "", time.Time{}, fmt.Errorf("letter: bad code: %w", participation.ErrNotEligible)
	}
	var exp time.Time
	if days > 0 {
		exp = participationtest.BaseTime.Add(time.Duration(days) * day)
	}
	return civickit.AssuranceLevel(level), exp, nil
}

func TestEligibility(t *testing.T) {
	e := newEnv(t, participation.Options{Verifiers: []participation.Verifier{letterVerifier{}}})
	ctx := context.Background()
	e.clock.Set(participationtest.BaseTime)
	var roll []string
	for i := range 20 {
		roll = append(roll, fmt.Sprintf(" roll %d ", i)) // identifiers compare normalised
	}
	require.NoError(t, e.svc.AddCensusEntries(ctx, "roll-2025", roll))

	c := draft(0)
	c.Settings.Eligibility = participation.Eligibility{
		Territories: []string{"69123", "69381"}, MinAge: 16, CensusList: "roll-2025",
		MinAssurance: civickit.AssuranceSubstantial,
	}
	cons := e.create(t, c)
	anyone := draft(1)
	anyone.Settings.Eligibility = participation.Eligibility{}
	open := e.create(t, anyone)

	ok := participation.PersonalData{Name: "Zoé Lefèvre", Email: "zoe@example.org", Territory: "69123",
		BirthDate: civickit.PartialDate{Year: 2008, Month: 3}}
	tests := []struct {
		name   string
		pd     *participation.PersonalData
		codes  []string
		rule   string
		openOK bool
		claim  string // the census identifier claimed: "" one on the roll, "-" none
	}{
		{"eligible", &ok, []string{"substantial 30"}, "", true, ""},
		{"high is enough", &ok, []string{"low 0", "high 10"}, "", true, ""},
		{"no personal data", nil, []string{"high 0"}, "territory", true, ""},
		{"other territory", with(ok, func(p *participation.PersonalData) { p.Territory = "75056" }), nil, "territory", true, ""},
		{"too young by a day", with(ok, func(p *participation.PersonalData) {
			p.BirthDate = civickit.PartialDate{Year: 2009, Month: 3, Day: 6}
		}), nil, "min_age", true, ""},
		{"old enough to the day", with(ok, func(p *participation.PersonalData) {
			p.BirthDate = civickit.PartialDate{Year: 2009, Month: 3, Day: 5}
		}), []string{"high 0"}, "", true, ""},
		{"year only: maybe too young", with(ok, func(p *participation.PersonalData) { p.BirthDate = civickit.PartialDate{Year: 2009} }), nil, "min_age", true, ""},
		{"birth date unknown", with(ok, func(p *participation.PersonalData) { p.BirthDate = civickit.PartialDate{} }), nil, "min_age", true, ""},
		{"not on the roll", &ok, nil, "census", true, "ROLL-999"},
		{"no census identity", &ok, nil, "census", true, "-"},
		{"not verified", &ok, nil, "assurance", true, ""},
		{"low only", &ok, []string{"low 0"}, "assurance", true, ""},
		{"expired", &ok, []string{"substantial 1", "low 0"}, "verification_expired", true, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.clock.Set(participationtest.BaseTime)
			p, err := e.svc.RegisterParticipant(ctx, tt.pd)
			require.NoError(t, err)
			switch tt.claim {
			case "":
				_, err = e.svc.ClaimCensus(ctx, p.ID, "roll-2025", fmt.Sprintf("ROLL-%d", i))
				require.NoError(t, err)
			case "-":
			default:
				_, err = e.svc.ClaimCensus(ctx, p.ID, "roll-2025", tt.claim)
				require.NoError(t, err)
			}
			for _, code := range tt.codes {
				_, err := e.svc.Verify(ctx, p.ID, "letter", participation.Evidence{Kind: "code", Value: code})
				require.NoError(t, err)
			}
			e.clock.Set(participationtest.BaseTime.Add(2 * day))
			err = e.svc.CheckEligibility(ctx, cons.ID, p.ID)
			if tt.rule == "" {
				assert.NoError(t, err)
			} else {
				require.ErrorIs(t, err, participation.ErrNotEligible)
				var ee *participation.EligibilityError
				require.ErrorAs(t, err, &ee)
				assert.Equal(t, tt.rule, ee.Rule)
			}
			assert.NoError(t, e.svc.CheckEligibility(ctx, open.ID, p.ID), "a consultation open to all")
		})
	}

	err := e.svc.CheckEligibility(ctx, cons.ID, participationtest.NewID(participationtest.NewRand(1)))
	assert.ErrorIs(t, err, participation.ErrNotFound)
	err = e.svc.CheckEligibility(ctx, participationtest.NewID(participationtest.NewRand(2)), uuid.New())
	assert.ErrorIs(t, err, participation.ErrNotFound)
}

func with(pd participation.PersonalData, f func(*participation.PersonalData)) *participation.PersonalData {
	f(&pd)
	return &pd
}

func TestVerify(t *testing.T) {
	e := newEnv(t, participation.Options{Verifiers: []participation.Verifier{letterVerifier{}}})
	ctx := context.Background()
	e.clock.Set(participationtest.BaseTime)
	p, err := e.svc.RegisterParticipant(ctx, nil)
	require.NoError(t, err)

	_, err = e.svc.Verify(ctx, p.ID, "franceconnect", participation.Evidence{})
	require.ErrorIs(t, err, participation.ErrInvalid)
	assert.Equal(t, []string{"verifier:oneof"}, fieldRules(err))
	_, err = e.svc.Verify(ctx, p.ID, "letter", participation.Evidence{Kind: "photo"})
	assert.ErrorIs(t, err, participation.ErrNotEligible)
	_, err = e.svc.Verify(ctx, p.ID, "letter", participation.Evidence{Kind: "code", Value: "total 0"})
	assert.ErrorIs(t, err, participation.ErrInvalid, "a verifier returning an unknown level")
	_, err = e.svc.Verify(ctx, uuid.New(), "letter", participation.Evidence{Kind: "code", Value: "low 0"})
	assert.ErrorIs(t, err, participation.ErrNotFound)

	lvl, err := e.svc.Assurance(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, civickit.AssuranceNone, lvl)
	v, err := e.svc.Verify(ctx, p.ID, "letter", participation.Evidence{Kind: "code", Value: "high 3"})
	require.NoError(t, err)
	assert.Equal(t, participationtest.BaseTime.Add(3*day), v.ExpiresAt)
	lvl, err = e.svc.Assurance(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, civickit.AssuranceHigh, lvl)
	e.clock.Set(participationtest.BaseTime.Add(3 * day))
	lvl, err = e.svc.Assurance(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, civickit.AssuranceNone, lvl, "expired at ExpiresAt")

	levels := []civickit.AssuranceLevel{"", "low", "substantial", "high"}
	for i, a := range levels {
		for j, b := range levels {
			assert.Equal(t, i >= j, a.AtLeast(b), "%q >= %q", a, b)
		}
	}
	assert.False(t, civickit.AssuranceLevel("total").AtLeast(""))

	_, err = participation.NewService(e.store, participation.Options{Verifiers: []participation.Verifier{letterVerifier{}, letterVerifier{}}})
	assert.Error(t, err, "two verifiers with one name")
}

func TestParticipantsPersonalData(t *testing.T) {
	e := newEnv(t, participation.Options{})
	ctx := context.Background()
	_, err := e.svc.RegisterParticipant(ctx, &participation.PersonalData{Email: "not an address",
		BirthDate: civickit.PartialDate{Year: 2001, Month: 2, Day: 30}})
	require.ErrorIs(t, err, participation.ErrInvalid)
	assert.ElementsMatch(t, []string{"email:email", "birth_date:day_range"}, fieldRules(err))

	p1, err := e.svc.RegisterParticipant(ctx, &participation.PersonalData{Name: " Loïc ", Email: "loic@example.org"})
	require.NoError(t, err)
	p2, err := e.svc.RegisterParticipant(ctx, &participation.PersonalData{Name: "Anaïs"})
	require.NoError(t, err)
	assert.NotEqual(t, p1.ID, p2.ID)
	assert.Equal(t, uuid.Version(4), p1.ID.Version(), "participant IDs are random")
	pd, err := e.svc.PersonalData(ctx, p1.ID)
	require.NoError(t, err)
	assert.Equal(t, "Loïc", pd.Name)

	pd.Phone = "+33 6 00 00 00 00"
	_, err = e.svc.PutPersonalData(ctx, *pd)
	require.NoError(t, err)
	require.NoError(t, e.svc.ErasePersonalData(ctx, p1.ID))
	_, err = e.svc.PersonalData(ctx, p1.ID)
	assert.ErrorIs(t, err, participation.ErrNotFound)
	got, err := e.svc.GetParticipant(ctx, p1.ID)
	require.NoError(t, err)
	assert.Equal(t, p1.ID, got.ID)

	err = e.svc.AddCensusEntries(ctx, "", []string{" - ", "ok"})
	require.ErrorIs(t, err, participation.ErrInvalid)
	assert.Equal(t, []string{"list:required", "identifiers[0]:identifier"}, fieldRules(err))
}
