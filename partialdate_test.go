package civickit_test

import (
	"testing"
	"time"

	"github.com/civickit/civickit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParsePartialDate(t *testing.T) {
	tests := []struct {
		in   string
		want civickit.PartialDate
		rule string
	}{
		{"", civickit.PartialDate{}, ""},
		{"1975", civickit.PartialDate{Year: 1975}, ""},
		{"1975-04", civickit.PartialDate{Year: 1975, Month: 4}, ""},
		{"2000-02-29", civickit.PartialDate{Year: 2000, Month: 2, Day: 29}, ""},
		{"1999-02-29", civickit.PartialDate{}, "day_range"},
		{"1975-04-31", civickit.PartialDate{}, "day_range"},
		{"1975-13", civickit.PartialDate{}, "month_range"},
		{"0000-01", civickit.PartialDate{}, "year_required"},
		{"75", civickit.PartialDate{}, "partial_date"},
		{"1975-4", civickit.PartialDate{}, "partial_date"},
		{"1975-04-01-01", civickit.PartialDate{}, "partial_date"},
		{"19a5", civickit.PartialDate{}, "partial_date"},
		{"-1975", civickit.PartialDate{}, "partial_date"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := civickit.ParsePartialDate(tt.in)
			if tt.rule != "" {
				require.ErrorIs(t, err, civickit.ErrInvalid)
				assert.Equal(t, tt.rule, civickit.FieldErrors(err)[0].Rule)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, d)
			assert.Equal(t, tt.in, d.String(), "String reads back")
		})
	}
}

func TestCertainlyAtLeast(t *testing.T) {
	day := func(s string) time.Time {
		t.Helper()
		d, err := time.Parse(time.DateOnly, s)
		require.NoError(t, err)
		return d
	}
	tests := []struct {
		name  string
		birth civickit.PartialDate
		age   int
		on    string
		want  bool
	}{
		{"full date, the birthday", civickit.PartialDate{Year: 2008, Month: 6, Day: 15}, 18, "2026-06-15", true},
		{"full date, the day before", civickit.PartialDate{Year: 2008, Month: 6, Day: 15}, 18, "2026-06-14", false},
		{"year only counts as 31 December", civickit.PartialDate{Year: 2008}, 18, "2026-12-30", false},
		{"year only, 31 December", civickit.PartialDate{Year: 2008}, 18, "2026-12-31", true},
		{"year and month counts as its last day", civickit.PartialDate{Year: 2008, Month: 2}, 18, "2026-02-28", false},
		{"year and month, last day of a leap February", civickit.PartialDate{Year: 2008, Month: 2}, 18, "2026-03-01", true},
		{"29 February, common year: not on 28 February", civickit.PartialDate{Year: 2008, Month: 2, Day: 29}, 18, "2026-02-28", false},
		{"29 February, common year: on 1 March", civickit.PartialDate{Year: 2008, Month: 2, Day: 29}, 18, "2026-03-01", true},
		{"29 February, leap year: on the day", civickit.PartialDate{Year: 2008, Month: 2, Day: 29}, 16, "2024-02-29", true},
		{"unknown date is never old enough", civickit.PartialDate{}, 0, "2026-01-01", false},
		{"impossible date is never old enough", civickit.PartialDate{Year: 1990, Month: 2, Day: 30}, 18, "2026-01-01", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.birth.CertainlyAtLeast(tt.age, day(tt.on)))
		})
	}
}

// Property: a partial date is old enough only if every full date it may
// stand for is.
func TestCertainlyAtLeastNeverEarly(t *testing.T) {
	on := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for year := 2006; year <= 2009; year++ {
		for month := 0; month <= 12; month++ {
			partial := civickit.PartialDate{Year: year, Month: month}
			all := true
			for m := 1; m <= 12; m++ {
				if month != 0 && m != month {
					continue
				}
				for d := 1; d <= 31; d++ {
					full := civickit.PartialDate{Year: year, Month: m, Day: d}
					if full.Problem() != "" {
						continue
					}
					all = all && full.CertainlyAtLeast(18, on)
				}
			}
			assert.Equal(t, all, partial.CertainlyAtLeast(18, on), "%s", partial)
		}
	}
}

func mustDate(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}
