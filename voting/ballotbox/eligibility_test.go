package ballotbox_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/civickit/civickit/voting/ballotbox/ballotboxtest"
)

// The minimum age is proven on the closing day of the published window
// (the day of its last instant), from partial birth dates, leap days
// included.
func TestMinimumAgeOnTheClosingDay(t *testing.T) {
	ctx := t.Context()
	st := storage.NewBallotBoxStore(storagetest.Open(t, storage.SQLite))
	for _, tc := range []struct {
		name   string
		closes time.Time // the published close
		born   civickit.PartialDate
		age    int
		want   bool
	}{
		{"FullDateBirthdayOnTheDay", time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 2010, Month: 3, Day: 8}, 16, true},
		{"FullDateDayAfter", time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 2010, Month: 3, Day: 9}, 16, false},
		{"MonthBeforeClosingMonth", time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 2010, Month: 2}, 16, true},
		{"SameMonthUnknownDay", time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 2010, Month: 3}, 16, false},
		{"YearOnlyTooRecent", time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 2010}, 16, false},
		{"YearOnlyOldEnough", time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 2009}, 16, true},
		{"YearOnlyOnNewYearsEve", time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 2010}, 16, true},
		{"Unknown", time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC), civickit.PartialDate{}, 16, false},
		{"DayWithoutMonth", time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 1990, Day: 3}, 16, false},
		{"MonthOutOfRange", time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 1990, Month: 13}, 16, false},
		{"DayOutOfMonth", time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 1990, Month: 2, Day: 30}, 16, false},
		// A close at midnight ends the day before: the closing day is the
		// day of the window's last instant.
		{"BirthdayTheDayAfterAMidnightClose", time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 2010, Month: 3, Day: 9}, 16, false},
		{"BirthdayOnTheDayOfAMidnightClose", time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 2010, Month: 3, Day: 8}, 16, true},
		// Born on 29 February: N years old on 1 March of a common year, on
		// 29 February of a leap year.
		{"LeapDayLongBefore", time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 2008, Month: 2, Day: 29}, 18, true},
		{"LeapDayOn28FebruaryOfACommonYear", time.Date(2026, 2, 28, 20, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 2008, Month: 2, Day: 29}, 18, false},
		{"LeapDayClosingAtMidnightOf1March", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 2008, Month: 2, Day: 29}, 18, false},
		{"LeapDayOn1MarchOfACommonYear", time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 2008, Month: 2, Day: 29}, 18, true},
		{"LeapDayBirthOn29FebruaryOfALeapYear", time.Date(2028, 2, 29, 20, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 2012, Month: 2, Day: 29}, 16, true},
		{"LeapDayBirthOn28FebruaryOfALeapYear", time.Date(2028, 2, 28, 20, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 2012, Month: 2, Day: 29}, 16, false},
		{"FebruaryUnknownDayOfALeapYear", time.Date(2028, 2, 28, 20, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 2012, Month: 2}, 16, false},
		{"FebruaryUnknownDayOn29", time.Date(2028, 2, 29, 20, 0, 0, 0, time.UTC), civickit.PartialDate{Year: 2012, Month: 2}, 16, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := ballotboxtest.NewClock(tc.closes.Add(-72 * time.Hour))
			svc, err := ballotbox.NewService(st, ballotbox.Options{Now: clock.Now, Secret: ballotboxtest.Secret})
			require.NoError(t, err)
			e := ballotboxtest.NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive)
			e.Opens, e.Closes = tc.closes.Add(-96*time.Hour), tc.closes
			e.Eligibility.MinimumAge = tc.age
			require.NoError(t, svc.CreateElection(ctx, e))
			v := ballotboxtest.Voter(1)
			v.BirthDate = tc.born
			err = svc.CheckEligibility(ctx, e, v)
			if tc.want {
				assert.NoError(t, err)
				return
			}
			var ee *ballotbox.EligibilityError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, "minimum_age", ee.Rule)
			assert.ErrorIs(t, err, civickit.ErrForbidden)
		})
	}
}

// Unknown assurance levels reach no requirement; no requirement admits
// any level.
func TestAssuranceRequirement(t *testing.T) {
	ctx := t.Context()
	st := storage.NewBallotBoxStore(storagetest.Open(t, storage.SQLite))
	svc, err := ballotbox.NewService(st, ballotbox.Options{Now: ballotboxtest.NewClock(ballotboxtest.During).Now, Secret: ballotboxtest.Secret})
	require.NoError(t, err)
	for _, tc := range []struct {
		required, has civickit.AssuranceLevel
		want          bool
	}{
		{civickit.AssuranceSubstantial, civickit.AssuranceHigh, true},
		{civickit.AssuranceSubstantial, civickit.AssuranceSubstantial, true},
		{civickit.AssuranceSubstantial, civickit.AssuranceLow, false},
		{civickit.AssuranceSubstantial, civickit.AssuranceNone, false},
		{civickit.AssuranceLow, "very high", false},
		{civickit.AssuranceNone, civickit.AssuranceNone, true},
		{civickit.AssuranceNone, "very high", true},
	} {
		e := ballotboxtest.NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive)
		e.Eligibility.Assurance = tc.required
		require.NoError(t, svc.CreateElection(ctx, e))
		v := ballotboxtest.Voter(1)
		v.Assurance = tc.has
		err := svc.CheckEligibility(ctx, e, v)
		if tc.want {
			assert.NoError(t, err, "%q for %q", tc.has, tc.required)
			continue
		}
		var ee *ballotbox.EligibilityError
		if assert.ErrorAs(t, err, &ee, "%q for %q", tc.has, tc.required) {
			assert.Equal(t, "assurance", ee.Rule)
		}
	}
}

// Voter keys are the kernel's identity keys in the election's scope:
// with an empty secret they are the keys ballotbox always stored,
// HMAC-SHA256(salt, "voter\x00" || election ID || normalised identifier),
// so that elections whose salts a migration carried over keep their
// census and register; with a secret they are keyed on top.
func TestVoterKeyOf(t *testing.T) {
	salt := civickit.Salt("salt-1 salt-1 salt-1 salt-1 salt")
	id := [16]byte{1, 2, 3}
	unkeyed, ok := ballotbox.VoterKeyOf(civickit.Hasher{}, salt, id, "ab 12-34")
	require.True(t, ok)
	assert.Equal(t, legacyKey(salt, id, "AB1234"), unkeyed)
	k, _ := ballotbox.VoterKeyOf(civickit.Hasher{Secret: ballotboxtest.Secret}, salt, id, "AB1234")
	assert.Len(t, string(k), 64)
	assert.NotEqual(t, unkeyed, k, "keyed by the secret")
	again, _ := ballotbox.VoterKeyOf(civickit.Hasher{Secret: ballotboxtest.Secret}, salt, id, "ＡＢ １２-３４")
	assert.Equal(t, k, again, "NFKC: full-width forms are the same identifier")
	other, _ := ballotbox.VoterKeyOf(civickit.Hasher{Secret: ballotboxtest.Secret}, salt, [16]byte{1, 2, 4}, "AB1234")
	assert.NotEqual(t, k, other, "scoped by the election")
	_, ok = ballotbox.VoterKeyOf(civickit.Hasher{}, salt, id, " - ")
	assert.False(t, ok)
}

func TestElectionJSON(t *testing.T) {
	e := ballotboxtest.NewElection(ballotbox.RevoteLast, ballotbox.VisibleAfterVote)
	e.Eligibility = ballotbox.Eligibility{Census: true, MinimumAge: 16, Assurance: civickit.AssuranceLow}
	buf, err := json.Marshal(e)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(buf, &m))
	for _, k := range []string{"id", "title", "questions", "opens", "closes", "eligibility", "revote", "visibility", "version", "created_at", "updated_at"} {
		assert.Contains(t, m, k)
	}
	assert.NotContains(t, string(buf), "salt")
	assert.Equal(t, map[string]any{"census": true, "minimum_age": float64(16), "assurance": "low"}, m["eligibility"])
	var back ballotbox.Election
	require.NoError(t, json.Unmarshal(buf, &back))
	assert.Equal(t, e.Public(), back.Public())
	assert.Equal(t, e.Eligibility, back.Eligibility)
}

func TestVoterSaltIsNeverSerialised(t *testing.T) {
	buf, err := json.Marshal(ballotbox.VoterSalt{Salt: civickit.Salt("0123456789abcdef0123456789abcdef"), SecretCheck: "abcd"})
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, string(buf))
}

// legacyKey is the voter key as ballotbox computed it before the kernel
// (VoterKeyOf(e, id) of that time, for an already normalised id).
func legacyKey(salt []byte, electionID [16]byte, normalised string) civickit.IdentityKey {
	h := hmac.New(sha256.New, salt)
	h.Write([]byte("voter\x00"))
	h.Write(electionID[:])
	h.Write([]byte(normalised))
	return civickit.IdentityKey(hex.EncodeToString(h.Sum(nil)))
}
