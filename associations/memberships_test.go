package associations

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/civickit/civickit"
)

func TestAllowedMembershipTransitions(t *testing.T) {
	all := []MembershipStatus{"", MembershipPending, MembershipActive, MembershipCancelled, MembershipRenewed, "unknown"}
	allowed := map[[2]MembershipStatus]bool{
		{MembershipPending, MembershipActive}:    true,
		{MembershipPending, MembershipCancelled}: true,
		{MembershipActive, MembershipCancelled}:  true,
		{MembershipActive, MembershipRenewed}:    true,
	}
	for _, from := range all {
		next := AllowedMembershipTransitions(from)
		for _, to := range all {
			assert.Equal(t, allowed[[2]MembershipStatus{from, to}], slices.Contains(next, to), "%q -> %q", from, to)
		}
	}
}

func TestInitialMembershipStatus(t *testing.T) {
	assert.Equal(t, MembershipActive, initialMembershipStatus(0))
	assert.Equal(t, MembershipPending, initialMembershipStatus(1))
	assert.Equal(t, MembershipPending, initialMembershipStatus(2500))
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestNextPeriod(t *testing.T) {
	tests := []struct {
		name               string
		start, end         time.Time
		wantStart, wantEnd time.Time
	}{
		{"calendar year across a leap year", day(2024, 1, 1), day(2025, 1, 1), day(2025, 1, 1), day(2026, 1, 1)},
		{"school year", day(2024, 9, 1), day(2025, 9, 1), day(2025, 9, 1), day(2026, 9, 1)},
		{"one month from the 31st", day(2024, 12, 31), day(2025, 1, 31), day(2025, 1, 31), day(2025, 2, 28)},
		{"quarter", day(2025, 1, 15), day(2025, 4, 15), day(2025, 4, 15), day(2025, 7, 15)},
		{"30 days", day(2025, 1, 10), day(2025, 2, 9), day(2025, 2, 9), day(2025, 3, 11)},
		{"one week", day(2025, 3, 3), day(2025, 3, 10), day(2025, 3, 10), day(2025, 3, 17)},
		{"dates read in another zone", day(2024, 9, 1).In(time.FixedZone("CEST", 2*3600)), day(2025, 9, 1).In(time.FixedZone("CEST", 2*3600)),
			day(2025, 9, 1), day(2026, 9, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, end := nextPeriod(tt.start, tt.end)
			assert.True(t, tt.wantStart.Equal(start), "start %v, want %v", start, tt.wantStart)
			assert.True(t, tt.wantEnd.Equal(end), "end %v, want %v", end, tt.wantEnd)
		})
	}
}

func TestAddMonths(t *testing.T) {
	tests := []struct {
		from time.Time
		n    int
		want time.Time
	}{
		{day(2025, 1, 31), 1, day(2025, 2, 28)},
		{day(2024, 1, 31), 1, day(2024, 2, 29)},
		{day(2025, 1, 15), 12, day(2026, 1, 15)},
		{day(2025, 11, 30), 3, day(2026, 2, 28)},
		{day(2025, 3, 31), 1, day(2025, 4, 30)},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, addMonths(tt.from, tt.n), "%v + %d months", tt.from, tt.n)
	}
}

func TestJoinPeriodRules(t *testing.T) {
	tests := []struct {
		name   string
		period JoinPeriod
		want   []string
	}{
		{"one year, default currency", JoinPeriod{StartOn: day(2025, 9, 1), EndOn: day(2026, 9, 1), FeeCents: 2000}, nil},
		{"free, lower-case currency", JoinPeriod{StartOn: day(2025, 9, 1), EndOn: day(2026, 9, 1), Currency: " cad "}, nil},
		{"end before start", JoinPeriod{StartOn: day(2025, 9, 1), EndOn: day(2025, 8, 1)}, []string{"period.end_on gtfield"}},
		{"empty period", JoinPeriod{StartOn: day(2025, 9, 1), EndOn: day(2025, 9, 1)}, []string{"period.end_on gtfield"}},
		{"missing dates", JoinPeriod{}, []string{"period.start_on required", "period.end_on required"}},
		{"negative fee", JoinPeriod{StartOn: day(2025, 9, 1), EndOn: day(2026, 9, 1), FeeCents: -1}, []string{"period.fee_cents gte"}},
		{"unknown currency", JoinPeriod{StartOn: day(2025, 9, 1), EndOn: day(2026, 9, 1), Currency: "EURO"}, []string{"period.currency iso4217"}},
	}
	v := newValidator()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.period
			normalizePeriod(&p)
			ve := &civickit.ValidationError{}
			civickit.CheckStruct(v, "period", &p, ve)
			assert.Equal(t, tt.want, fieldRules(t, ve.Err()))
		})
	}
}

func TestNormalizePeriod(t *testing.T) {
	p := JoinPeriod{StartOn: time.Date(2025, 9, 1, 18, 0, 0, 0, time.UTC), EndOn: day(2026, 9, 1)}
	normalizePeriod(&p)
	assert.Equal(t, "EUR", p.Currency)
	assert.Equal(t, day(2025, 9, 1), p.StartOn)

	p = JoinPeriod{Currency: " chf"}
	normalizePeriod(&p)
	assert.Equal(t, "CHF", p.Currency)
}

func TestPersonRules(t *testing.T) {
	v := newValidator()
	tests := []struct {
		name   string
		person Person
		want   []string
	}{
		{"complete", Person{GivenName: "Léa", FamilyName: "Durand", Email: "lea.durand@example.org"}, nil},
		{"blank names", Person{GivenName: "  ", FamilyName: "", Email: "lea.durand@example.org"},
			[]string{"person.given_name required", "person.family_name required"}},
		{"bad email", Person{GivenName: "Léa", FamilyName: "Durand", Email: "lea.durand"}, []string{"person.email email"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.person
			normalizePerson(&p)
			ve := &civickit.ValidationError{}
			civickit.CheckStruct(v, "person", &p, ve)
			assert.Equal(t, tt.want, fieldRules(t, ve.Err()))
		})
	}
}
