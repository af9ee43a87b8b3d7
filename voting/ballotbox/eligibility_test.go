package ballotbox_test

import (
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/civickit/civickit/voting/ballotbox"
)

func TestPartialDateAtLeast(t *testing.T) {
	closing := time.Date(2026, 3, 8, 19, 59, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		born ballotbox.PartialDate
		age  int
		want bool
	}{
		{"FullDateBirthdayOnTheDay", ballotbox.PartialDate{Year: 2010, Month: 3, Day: 8}, 16, true},
		{"FullDateDayAfter", ballotbox.PartialDate{Year: 2010, Month: 3, Day: 9}, 16, false},
		{"MonthBeforeClosingMonth", ballotbox.PartialDate{Year: 2010, Month: 2}, 16, true},
		{"SameMonthUnknownDay", ballotbox.PartialDate{Year: 2010, Month: 3}, 16, false},
		{"YearOnlyTooRecent", ballotbox.PartialDate{Year: 2010}, 16, false},
		{"YearOnlyOldEnough", ballotbox.PartialDate{Year: 2009}, 16, true},
		{"Unknown", ballotbox.PartialDate{}, 16, false},
		{"UnknownNoRule", ballotbox.PartialDate{}, 0, false},
		{"DayWithoutMonth", ballotbox.PartialDate{Year: 1990, Day: 3}, 16, false},
		{"MonthOutOfRange", ballotbox.PartialDate{Year: 1990, Month: 13}, 16, false},
		{"DayOutOfMonth", ballotbox.PartialDate{Year: 1990, Month: 2, Day: 30}, 16, false},
		{"LeapDay", ballotbox.PartialDate{Year: 2008, Month: 2, Day: 29}, 18, true},
		{"YearOnlyBirthdayMayComeLater", ballotbox.PartialDate{Year: 2008}, 18, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.born.AtLeast(tc.age, closing))
		})
	}
}

func TestNormalizeVoterID(t *testing.T) {
	for in, want := range map[string]string{
		"ab 12-34":     "AB1234",
		" AB1234 ":     "AB1234",
		"é.123":        "É123",
		" - ":          "",
		"1 802 075 12": "180207512",
	} {
		assert.Equal(t, want, ballotbox.NormalizeVoterID(in), in)
	}
}

func TestVoterKeyOf(t *testing.T) {
	e := &ballotbox.Election{Salt: []byte("salt-1")}
	k := ballotbox.VoterKeyOf(e, "ab 12-34")
	assert.Len(t, string(k), 64)
	assert.Equal(t, k, ballotbox.VoterKeyOf(e, "AB1234"))
	assert.NotEqual(t, k, ballotbox.VoterKeyOf(e, "AB1235"))
	assert.NotEqual(t, k, ballotbox.VoterKeyOf(&ballotbox.Election{Salt: []byte("salt-2")}, "AB1234"), "salted per election")
	assert.NotContains(t, string(k), "AB1234")
}

func TestElectionJSONHidesSalt(t *testing.T) {
	e := ballotbox.Election{Title: "x", Salt: []byte("do not publish")}
	buf, err := json.Marshal(e)
	assert.NoError(t, err)
	assert.NotContains(t, string(buf), "Salt")
	assert.NotContains(t, string(buf), base64.StdEncoding.EncodeToString(e.Salt))
}
