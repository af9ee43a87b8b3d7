package associations

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteICalendar(t *testing.T) {
	sp := &Space{Name: "Salle des fêtes; grande, avec scène \\ et un nom assez long pour devoir être replié sur plusieurs lignes, vraiment plusieurs, au moins trois lignes de soixante-quinze octets"}
	start := time.Date(2025, 3, 3, 17, 0, 0, 0, time.UTC)
	id := uuid.MustParse("0190a7a0-0000-7000-8000-000000000001")
	bookings := []Booking{
		{ID: id, Start: start, End: start.Add(2 * time.Hour), Status: BookingApproved, Purpose: "AG de Mme Privée"},
		{ID: uuid.New(), Start: start, End: start.Add(time.Hour), Status: BookingRejected},
		{ID: uuid.New(), Start: start.Add(3 * time.Hour), End: start.Add(4 * time.Hour), Status: BookingRequested},
	}
	var buf bytes.Buffer
	require.NoError(t, WriteICalendar(&buf, sp, bookings, start))
	out := buf.String()
	for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		assert.LessOrEqual(t, len(l), 75, l)
	}
	unfolded := strings.ReplaceAll(out, "\r\n ", "")
	assert.Contains(t, unfolded, "\r\nUID:0190a7a0-0000-7000-8000-000000000001@civickit\r\nDTSTAMP:20250303T170000Z\r\nDTSTART:20250303T170000Z\r\nDTEND:20250303T190000Z\r\n")
	assert.Contains(t, unfolded, `X-WR-CALNAME:Salle des fêtes\; grande\, avec scène \\ et un nom`)
	assert.Equal(t, 2, strings.Count(out, "BEGIN:VEVENT"), "the rejected booking holds nothing")
	assert.Contains(t, out, "STATUS:CONFIRMED")
	assert.Contains(t, out, "STATUS:TENTATIVE")
	assert.NotContains(t, unfolded, "Privée", "no purpose, no names")
	assert.True(t, strings.HasPrefix(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
	assert.True(t, strings.HasSuffix(out, "END:VCALENDAR\r\n"))
}
