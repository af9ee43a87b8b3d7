package associations

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteICalendar writes a space's holding bookings (approved: CONFIRMED,
// requested: TENTATIVE) as an RFC 5545 calendar that any calendar
// application can subscribe to. It names no one: an event says the space
// is taken, not by whom or why (the purpose is free text).
func WriteICalendar(w io.Writer, sp *Space, bookings []Booking, now time.Time) error {
	bw := bufio.NewWriter(w)
	line := func(s string) {
		// Fold at 75 octets (the leading space of a continuation
		// counts), without splitting a UTF-8 sequence.
		limit := 75
		for len(s) > limit {
			cut := limit
			limit = 74
			for cut > 0 && s[cut]&0xC0 == 0x80 {
				cut--
			}
			bw.WriteString(s[:cut])
			bw.WriteString("\r\n ")
			s = s[cut:]
		}
		bw.WriteString(s)
		bw.WriteString("\r\n")
	}
	const stamp = "20060102T150405Z"
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//civickit//associations spaces//FR")
	line("CALSCALE:GREGORIAN")
	line("X-WR-CALNAME:" + icalText(sp.Name))
	for _, b := range bookings {
		var status string
		switch b.Status {
		case BookingApproved:
			status = "CONFIRMED"
		case BookingRequested:
			status = "TENTATIVE"
		default:
			continue
		}
		line("BEGIN:VEVENT")
		line("UID:" + b.ID.String() + "@civickit")
		line("DTSTAMP:" + now.UTC().Format(stamp))
		line("DTSTART:" + b.Start.UTC().Format(stamp))
		line("DTEND:" + b.End.UTC().Format(stamp))
		line("SUMMARY:" + icalText(sp.Name+" — réservé"))
		line("STATUS:" + status)
		line("TRANSP:OPAQUE")
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("associations: write icalendar: %w", err)
	}
	return nil
}

// icalText escapes a TEXT value (RFC 5545 §3.3.11).
func icalText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}
