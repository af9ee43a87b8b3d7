package associations

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// Shared spaces and equipment: rooms, halls, vans, sound systems that the
// city or an association lends to associations. A space has a slot grid
// (SlotMinutes); a booking covers whole slots, and the store keeps one
// row per occupied slot under a unique key, so that two requests for the
// same slot can never both succeed, on any engine and however many arrive
// at once. A request holds its slots until it is rejected or cancelled.

// SpaceKind says what is lent.
type SpaceKind string

const (
	SpaceRoom      SpaceKind = "room"
	SpaceEquipment SpaceKind = "equipment"
	SpaceVirtual   SpaceKind = "virtual" // a video-conference room, a shared drive
)

// OpeningHours is one weekly opening interval in the space's time zone,
// "HH:MM" to "HH:MM" (Close after Open, same day).
type OpeningHours struct {
	Weekday time.Weekday `json:"weekday" validate:"gte=0,lte=6"`
	Open    string       `json:"open" validate:"required,datetime=15:04"`
	Close   string       `json:"close" validate:"required,datetime=15:04"`
}

// Space is one entry of the catalogue.
type Space struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name" validate:"required,max=200"`
	Kind SpaceKind `json:"kind" validate:"required,oneof=room equipment virtual"`
	// OwnerAssociationID is the association lending it; nil: the city.
	OwnerAssociationID *uuid.UUID     `json:"owner_association_id,omitempty"`
	Capacity           int            `json:"capacity" validate:"gte=0,lte=100000"` // people, 0 for equipment
	Description        string         `json:"description,omitempty" validate:"max=2000"`
	Address            Address        `json:"address"`
	Access             Accessibility  `json:"accessibility"`
	OpeningHours       []OpeningHours `json:"opening_hours,omitempty" validate:"max=50,dive"` // empty: always open
	TimeZone           string         `json:"time_zone" validate:"required,timezone"`
	SlotMinutes        int            `json:"slot_minutes" validate:"gte=5,lte=1440"`
	Version            int            `json:"version"`
	CreatedAt          time.Time      `json:"created_at"`
}

// BookingStatus is a booking's place in its workflow: requested, then
// approved or rejected; requested or approved may be cancelled.
type BookingStatus string

const (
	BookingRequested BookingStatus = "requested"
	BookingApproved  BookingStatus = "approved"
	BookingRejected  BookingStatus = "rejected"
	BookingCancelled BookingStatus = "cancelled"
)

// Holds reports whether a booking in this status occupies its slots.
func (s BookingStatus) Holds() bool { return s == BookingRequested || s == BookingApproved }

// Booking is an association's use of a space for [Start, End).
type Booking struct {
	ID            uuid.UUID     `json:"id"`
	SpaceID       uuid.UUID     `json:"space_id"`
	AssociationID uuid.UUID     `json:"association_id"`
	Start         time.Time     `json:"start"`
	End           time.Time     `json:"end"`
	Purpose       string        `json:"purpose,omitempty" validate:"max=500"`
	Status        BookingStatus `json:"status"`
	Version       int           `json:"version"`
	CreatedAt     time.Time     `json:"created_at"`
	UpdatedAt     time.Time     `json:"updated_at"`
}

// MaxBookingDuration bounds one booking (and the slot rows it writes).
const MaxBookingDuration = 14 * 24 * time.Hour

// SpaceStore persists the catalogue and its bookings. Slots are the start
// times (UTC, whole slots of the space) a booking occupies.
type SpaceStore interface {
	// CreateSpace inserts s. ErrNotFound if the owner association is
	// unknown; ErrConflict on a taken ID.
	CreateSpace(ctx context.Context, s *Space) error
	// GetSpace returns ErrNotFound for an unknown ID.
	GetSpace(ctx context.Context, id uuid.UUID) (*Space, error)
	// ListSpaces returns a page of the catalogue ordered by ID.
	ListSpaces(ctx context.Context, after string, limit int) (civickit.Page[Space], error)
	// CreateBooking inserts b and occupies slots, in one transaction:
	// ErrConflict (and nothing written) when any slot is already occupied,
	// even by a concurrent call; ErrNotFound if the space or association
	// is unknown.
	CreateBooking(ctx context.Context, b *Booking, slots []time.Time) error
	// GetBooking returns ErrNotFound for an unknown ID.
	GetBooking(ctx context.Context, id uuid.UUID) (*Booking, error)
	// UpdateBookingStatus stores b.Status and b.UpdatedAt if the stored
	// Version equals b.Version, then increments it; when the new status
	// does not hold slots, the booking's slots are freed in the same
	// transaction. ErrConflict on a stale version.
	UpdateBookingStatus(ctx context.Context, b *Booking) error
	// ListBookings returns a page of a space's bookings ending after from
	// and starting before to, ordered by (Start, ID).
	ListBookings(ctx context.Context, spaceID uuid.UUID, from, to time.Time, after string, limit int) (civickit.Page[Booking], error)
}

// BookingCursor is the position of a page of bookings.
type BookingCursor struct {
	Start int64     `json:"s"` // Unix microseconds
	ID    uuid.UUID `json:"i"`
}

// CreateSpace validates s and adds it to the catalogue. SlotMinutes
// defaults to 30, TimeZone to Europe/Paris.
func (s *Service) CreateSpace(ctx context.Context, sp Space) (*Space, error) {
	sp.Name = strings.TrimSpace(sp.Name)
	if sp.SlotMinutes == 0 {
		sp.SlotMinutes = 30
	}
	if sp.TimeZone == "" {
		sp.TimeZone = "Europe/Paris"
	}
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", &sp, ve)
	for i, h := range sp.OpeningHours {
		if h.Close <= h.Open {
			ve.Add(fmt.Sprintf("opening_hours[%d].close", i), "gtfield", "open")
		}
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	sp.ID, sp.Version, sp.CreatedAt = s.newID(), 1, s.now().UTC()
	if err := s.store.CreateSpace(ctx, &sp); err != nil {
		return nil, fmt.Errorf("create space: %w", err)
	}
	return &sp, nil
}

// BookingRequest asks for a space.
type BookingRequest struct {
	SpaceID       uuid.UUID `json:"space_id"`
	AssociationID uuid.UUID `json:"association_id"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
	Purpose       string    `json:"purpose,omitempty"`
}

// slots returns the slot start times of [start, end) on sp's grid, or
// adds the broken rules to ve.
func (sp *Space) slots(start, end time.Time, ve *civickit.ValidationError) []time.Time {
	step := time.Duration(sp.SlotMinutes) * time.Minute
	switch {
	case !end.After(start):
		ve.Add("end", "gtfield", "start")
	case end.Sub(start) > MaxBookingDuration:
		ve.Add("end", "max_duration", MaxBookingDuration.String())
	case start.UnixMicro()%step.Microseconds() != 0 || end.UnixMicro()%step.Microseconds() != 0:
		ve.Add("start", "slot", fmt.Sprint(sp.SlotMinutes))
	}
	if len(ve.Fields) > 0 {
		return nil
	}
	loc, err := time.LoadLocation(sp.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	var out []time.Time
	for t := start.UTC(); t.Before(end); t = t.Add(step) {
		if !sp.openAt(t.In(loc), step) {
			ve.Add("start", "opening_hours", t.In(loc).Format("Mon 15:04"))
			return nil
		}
		out = append(out, t)
	}
	return out
}

// openAt reports whether the slot starting at t (local time) lies within
// an opening interval.
func (sp *Space) openAt(t time.Time, step time.Duration) bool {
	if len(sp.OpeningHours) == 0 {
		return true
	}
	from := t.Format("15:04")
	to := t.Add(step).Format("15:04")
	if to == "00:00" {
		to = "24:00"
	}
	for _, h := range sp.OpeningHours {
		if h.Weekday == t.Weekday() && from >= h.Open && to <= h.Close && to > from {
			return true
		}
	}
	return false
}

// RequestBooking asks for a space; the request holds its slots at once.
// A slot already held is ErrConflict: the first request wins.
func (s *Service) RequestBooking(ctx context.Context, r BookingRequest) (*Booking, error) {
	sp, err := s.store.GetSpace(ctx, r.SpaceID)
	if err != nil {
		return nil, err
	}
	ve := &civickit.ValidationError{}
	if r.AssociationID == uuid.Nil {
		ve.Add("association_id", "required", "")
	}
	r.Purpose = strings.TrimSpace(r.Purpose)
	if len([]rune(r.Purpose)) > 500 {
		ve.Add("purpose", "max", "500")
	}
	slots := sp.slots(r.Start, r.End, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	b := &Booking{
		ID: s.newID(), SpaceID: sp.ID, AssociationID: r.AssociationID,
		Start: r.Start.UTC(), End: r.End.UTC(), Purpose: r.Purpose, Status: BookingRequested,
		Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.store.CreateBooking(ctx, b, slots); err != nil {
		return nil, fmt.Errorf("request booking: %w", err)
	}
	return b, nil
}

var bookingMoves = map[BookingStatus][]BookingStatus{
	BookingRequested: {BookingApproved, BookingRejected, BookingCancelled},
	BookingApproved:  {BookingCancelled},
}

// DecideBooking moves a booking to approved, rejected or cancelled; a
// move the workflow does not allow is a *TransitionError. version is the
// version the caller saw (optimistic concurrency).
func (s *Service) DecideBooking(ctx context.Context, id uuid.UUID, version int, to BookingStatus) (*Booking, error) {
	b, err := s.store.GetBooking(ctx, id)
	if err != nil {
		return nil, err
	}
	allowed := false
	for _, st := range bookingMoves[b.Status] {
		allowed = allowed || st == to
	}
	if !allowed {
		return nil, &TransitionError{Entity: "booking", From: string(b.Status), To: string(to)}
	}
	b.Version, b.Status, b.UpdatedAt = version, to, s.now().UTC()
	if err := s.store.UpdateBookingStatus(ctx, b); err != nil {
		return nil, fmt.Errorf("decide booking: %w", err)
	}
	return b, nil
}

// Bookings returns a page of a space's bookings in [from, to).
func (s *Service) Bookings(ctx context.Context, spaceID uuid.UUID, from, to time.Time, after string, limit int) (civickit.Page[Booking], error) {
	ve := &civickit.ValidationError{}
	limit = checkLimit(limit, ve)
	if _, err := civickit.DecodeCursor(after, &BookingCursor{}); err != nil {
		ve.Merge("", err)
	}
	if !to.After(from) {
		ve.Add("to", "gtfield", "from")
	}
	if err := ve.Err(); err != nil {
		return civickit.Page[Booking]{}, err
	}
	return s.store.ListBookings(ctx, spaceID, from, to, after, limit)
}

// Spaces returns a page of the catalogue.
func (s *Service) Spaces(ctx context.Context, after string, limit int) (civickit.Page[Space], error) {
	ve := &civickit.ValidationError{}
	limit = checkLimit(limit, ve)
	if err := ve.Err(); err != nil {
		return civickit.Page[Space]{}, err
	}
	return s.store.ListSpaces(ctx, after, limit)
}

// GetSpace returns one space of the catalogue.
func (s *Service) GetSpace(ctx context.Context, id uuid.UUID) (*Space, error) {
	return s.store.GetSpace(ctx, id)
}
