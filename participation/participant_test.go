package participation_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

func TestParsePartialDate(t *testing.T) {
	tests := []struct {
		in   string
		want civickit.PartialDate
		ok   bool
	}{
		{"", civickit.PartialDate{}, true},
		{"1987", civickit.PartialDate{Year: 1987}, true},
		{"1987-06", civickit.PartialDate{Year: 1987, Month: 6}, true},
		{"1987-06-30", civickit.PartialDate{Year: 1987, Month: 6, Day: 30}, true},
		{"2008-02-29", civickit.PartialDate{Year: 2008, Month: 2, Day: 29}, true},
		{"2007-02-29", civickit.PartialDate{}, false},
		{"1987-06-31", civickit.PartialDate{}, false},
		{"1987-13", civickit.PartialDate{}, false},
		{"1987-00-12", civickit.PartialDate{}, false},
		{"0000-01", civickit.PartialDate{}, false},
		{"87", civickit.PartialDate{}, false},
		{"1987-6", civickit.PartialDate{}, false},
		{"1987-06-30-01", civickit.PartialDate{}, false},
		{"198a", civickit.PartialDate{}, false},
		{"+987", civickit.PartialDate{}, false},
		{"１９８７", civickit.PartialDate{}, false},
	}
	for _, tt := range tests {
		got, err := civickit.ParsePartialDate(tt.in)
		if !tt.ok {
			assert.ErrorIs(t, err, participation.ErrInvalid, "%q", tt.in)
			continue
		}
		require.NoError(t, err, "%q", tt.in)
		assert.Equal(t, tt.want, got)
		assert.Equal(t, tt.in, got.String())
	}
}

func FuzzParsePartialDate(f *testing.F) {
	for _, s := range []string{"", "1987", "1987-06", "2008-02-29", "2007-02-29", "9999-12-31", "1-2-3", "--"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := civickit.ParsePartialDate(s)
		if err != nil {
			return
		}
		require.Empty(t, d.Problem())
		back, err := civickit.ParsePartialDate(d.String())
		require.NoError(t, err)
		require.Equal(t, d, back)
		if d.Known() {
			// A date is never certainly old enough before it happened.
			require.False(t, d.CertainlyAtLeast(1, time.Date(d.Year, 1, 1, 0, 0, 0, 0, time.UTC)))
		}
	})
}

func TestCertainlyAtLeast(t *testing.T) {
	on := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 12, 0, 0, 0, time.UTC) }
	pd := func(y, m, d int) civickit.PartialDate {
		return civickit.PartialDate{Year: y, Month: m, Day: d}
	}
	tests := []struct {
		name  string
		birth civickit.PartialDate
		years int
		on    time.Time
		want  bool
	}{
		{"full date, the day before", pd(2008, 5, 17), 18, on(2026, 5, 16), false},
		{"full date, the birthday", pd(2008, 5, 17), 18, on(2026, 5, 17), true},
		{"year only counts as 31 December", pd(2008, 0, 0), 18, on(2026, 12, 30), false},
		{"year only, 31 December", pd(2008, 0, 0), 18, on(2026, 12, 31), true},
		{"year only, the next year", pd(2008, 0, 0), 18, on(2027, 1, 1), true},
		{"month only counts as its last day", pd(2008, 4, 0), 18, on(2026, 4, 29), false},
		{"month only, last day", pd(2008, 4, 0), 18, on(2026, 4, 30), true},
		{"leap month only", pd(2008, 2, 0), 18, on(2026, 2, 28), false},
		{"leap month only, 1 March", pd(2008, 2, 0), 18, on(2026, 3, 1), true},
		{"29 February, common year 28th", pd(2008, 2, 29), 18, on(2026, 2, 28), false},
		{"29 February, common year 1 March", pd(2008, 2, 29), 18, on(2026, 3, 1), true},
		{"29 February, leap year", pd(2008, 2, 29), 16, on(2024, 2, 29), true},
		{"unknown date", civickit.PartialDate{}, 1, on(2026, 1, 1), false},
		{"impossible date", pd(2008, 2, 30), 1, on(2026, 1, 1), false},
		{"zero age always holds for a known date", pd(2026, 0, 0), 0, on(2026, 12, 31), true},
		{"older", pd(1950, 7, 0), 16, on(2026, 1, 1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.birth.CertainlyAtLeast(tt.years, tt.on))
		})
	}
}

func TestProvenanceValidate(t *testing.T) {
	tests := []struct {
		p    civickit.Provenance
		want []string
	}{
		{civickit.Provenance{Channel: civickit.ChannelWeb}, nil},
		{civickit.Provenance{Channel: civickit.ChannelWeb, CollectedBy: "agent"}, []string{"provenance.collected_by:excluded_with"}},
		{civickit.Provenance{Channel: civickit.ChannelPaper, CollectedBy: "agent-3", Place: "mairie-annexe"}, nil},
		{civickit.Provenance{Channel: civickit.ChannelPaper}, []string{"provenance.collected_by:required", "provenance.place:required"}},
		{civickit.Provenance{Channel: civickit.ChannelKiosk, Place: "bm-part-dieu"}, nil},
		{civickit.Provenance{Channel: civickit.ChannelMediator, CollectedBy: "med-1"}, []string{"provenance.place:required"}},
		{civickit.Provenance{Channel: civickit.ChannelImport, CollectedBy: "job-42"}, nil},
		{civickit.Provenance{Channel: "fax"}, []string{"provenance.channel:oneof"}},
	}
	for _, tt := range tests {
		err := tt.p.Validate()
		if tt.want == nil {
			assert.NoError(t, err, "%+v", tt.p)
			continue
		}
		assert.ElementsMatch(t, tt.want, fieldRules(err), "%+v", tt.p)
	}
	for _, r := range participation.Recruitments() {
		assert.True(t, r.Valid())
	}
	assert.False(t, participation.Recruitment("press_gang").Valid())
	for _, c := range civickit.Channels() {
		assert.True(t, c.Valid())
		assert.Equal(t, c != civickit.ChannelWeb, c.Assisted())
	}
}
