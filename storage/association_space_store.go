package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

type spaceRow struct {
	bun.BaseModel `bun:"table:association_spaces,alias:sp"`

	ID                 uuid.UUID  `bun:"id,pk"`
	Name               string     `bun:"name"`
	Kind               string     `bun:"kind"`
	OwnerAssociationID *uuid.UUID `bun:"owner_association_id"`
	Capacity           int        `bun:"capacity"`
	Details            string     `bun:"details"` // JSON: description, address, accessibility, opening hours
	TimeZone           string     `bun:"time_zone"`
	SlotMinutes        int        `bun:"slot_minutes"`
	Version            int        `bun:"version"`
	CreatedAt          int64      `bun:"created_at"`
}

type spaceDetails struct {
	Description  string                      `json:"description,omitempty"`
	Address      associations.Address        `json:"address"`
	Access       associations.Accessibility  `json:"accessibility"`
	OpeningHours []associations.OpeningHours `json:"opening_hours,omitempty"`
}

type bookingRow struct {
	bun.BaseModel `bun:"table:association_bookings,alias:bk"`

	ID            uuid.UUID `bun:"id,pk"`
	SpaceID       uuid.UUID `bun:"space_id"`
	AssociationID uuid.UUID `bun:"association_id"`
	StartAt       int64     `bun:"start_at"`
	EndAt         int64     `bun:"end_at"`
	Purpose       string    `bun:"purpose"`
	Status        string    `bun:"status"`
	Version       int       `bun:"version"`
	CreatedAt     int64     `bun:"created_at"`
	UpdatedAt     int64     `bun:"updated_at"`
}

type bookingSlotRow struct {
	bun.BaseModel `bun:"table:association_booking_slots,alias:bs"`

	SpaceID   uuid.UUID `bun:"space_id,pk"`
	SlotStart int64     `bun:"slot_start,pk"`
	BookingID uuid.UUID `bun:"booking_id"`
}

func (r *spaceRow) toDomain() (*associations.Space, error) {
	var d spaceDetails
	if err := json.Unmarshal([]byte(r.Details), &d); err != nil {
		return nil, fmt.Errorf("storage: space %s details: %w", r.ID, err)
	}
	return &associations.Space{
		ID: r.ID, Name: r.Name, Kind: associations.SpaceKind(r.Kind), OwnerAssociationID: r.OwnerAssociationID,
		Capacity: r.Capacity, Description: d.Description, Address: d.Address, Access: d.Access,
		OpeningHours: d.OpeningHours, TimeZone: r.TimeZone, SlotMinutes: r.SlotMinutes,
		Version: r.Version, CreatedAt: fromMicros(r.CreatedAt),
	}, nil
}

func (r *bookingRow) toDomain() associations.Booking {
	return associations.Booking{
		ID: r.ID, SpaceID: r.SpaceID, AssociationID: r.AssociationID,
		Start: fromMicros(r.StartAt), End: fromMicros(r.EndAt), Purpose: r.Purpose,
		Status: associations.BookingStatus(r.Status), Version: r.Version,
		CreatedAt: fromMicros(r.CreatedAt), UpdatedAt: fromMicros(r.UpdatedAt),
	}
}

// CreateSpace implements associations.SpaceStore.
func (s *AssociationStore) CreateSpace(ctx context.Context, sp *associations.Space) error {
	sp.CreatedAt = truncate(sp.CreatedAt)
	row := &spaceRow{
		ID: sp.ID, Name: sp.Name, Kind: string(sp.Kind), OwnerAssociationID: sp.OwnerAssociationID,
		Capacity: sp.Capacity, TimeZone: sp.TimeZone, SlotMinutes: sp.SlotMinutes,
		Details: mustJSON(spaceDetails{Description: sp.Description, Address: sp.Address, Access: sp.Access, OpeningHours: sp.OpeningHours}),
		Version: sp.Version, CreatedAt: micros(sp.CreatedAt),
	}
	_, err := s.db.bun.NewInsert().Model(row).Exec(ctx)
	return mapErr("create space", err)
}

// GetSpace implements associations.SpaceStore.
func (s *AssociationStore) GetSpace(ctx context.Context, id uuid.UUID) (*associations.Space, error) {
	var row spaceRow
	if err := s.db.bun.NewSelect().Model(&row).Where("sp.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get space", err)
	}
	return row.toDomain()
}

type spaceCursor struct {
	ID uuid.UUID `json:"i"`
}

// ListSpaces implements associations.SpaceStore.
func (s *AssociationStore) ListSpaces(ctx context.Context, after string, limit int) (civickit.Page[associations.Space], error) {
	var c spaceCursor
	n, hasAfter, err := pageQuery(after, limit, &c)
	if err != nil {
		return civickit.Page[associations.Space]{}, fmt.Errorf("list spaces: %w", err)
	}
	var vals []any
	if hasAfter {
		vals = []any{c.ID}
	}
	var rows []spaceRow
	q := keyset(s.db.bun.NewSelect().Model(&rows), []sortKey{{expr: "sp.id"}}, vals, n)
	if err := q.Scan(ctx); err != nil {
		return civickit.Page[associations.Space]{}, mapErr("list spaces", err)
	}
	return pageOf(rows, n, func(r *spaceRow) (associations.Space, error) {
		v, err := r.toDomain()
		if err != nil {
			return associations.Space{}, err
		}
		return *v, nil
	}, func(r *spaceRow) any { return spaceCursor{ID: r.ID} })
}

// CreateBooking implements associations.SpaceStore: the slot rows'
// primary key makes the database refuse a second holder of a slot, so no
// lock or isolation level is needed for correctness.
func (s *AssociationStore) CreateBooking(ctx context.Context, b *associations.Booking, slots []time.Time) error {
	b.Start, b.End = truncate(b.Start), truncate(b.End)
	b.CreatedAt, b.UpdatedAt = truncate(b.CreatedAt), truncate(b.UpdatedAt)
	row := &bookingRow{
		ID: b.ID, SpaceID: b.SpaceID, AssociationID: b.AssociationID, StartAt: micros(b.Start), EndAt: micros(b.End),
		Purpose: b.Purpose, Status: string(b.Status), Version: b.Version,
		CreatedAt: micros(b.CreatedAt), UpdatedAt: micros(b.UpdatedAt),
	}
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			return err
		}
		if len(slots) == 0 {
			return nil
		}
		rows := make([]bookingSlotRow, len(slots))
		for i, t := range slots {
			rows[i] = bookingSlotRow{SpaceID: b.SpaceID, SlotStart: micros(t), BookingID: b.ID}
		}
		_, err := tx.NewInsert().Model(&rows).Exec(ctx)
		return err
	})
	return mapErr("create booking", err)
}

// GetBooking implements associations.SpaceStore.
func (s *AssociationStore) GetBooking(ctx context.Context, id uuid.UUID) (*associations.Booking, error) {
	var row bookingRow
	if err := s.db.bun.NewSelect().Model(&row).Where("bk.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get booking", err)
	}
	b := row.toDomain()
	return &b, nil
}

// UpdateBookingStatus implements associations.SpaceStore.
func (s *AssociationStore) UpdateBookingStatus(ctx context.Context, b *associations.Booking) error {
	b.UpdatedAt = truncate(b.UpdatedAt)
	err := s.db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*bookingRow)(nil)).
			Set("status = ?", string(b.Status)).Set("updated_at = ?", micros(b.UpdatedAt)).Set("version = ?", b.Version+1).
			Where("id = ? AND version = ?", b.ID, b.Version).Exec(ctx)
		if err := checkVersioned(ctx, tx, res, err, (*bookingRow)(nil), "id", b.ID, b.Version); err != nil {
			return err
		}
		if !b.Status.Holds() {
			_, err = tx.NewDelete().Model((*bookingSlotRow)(nil)).Where("booking_id = ?", b.ID).Exec(ctx)
		}
		return err
	})
	if err != nil {
		return mapErr("update booking", err)
	}
	b.Version++
	return nil
}

// ListBookings implements associations.SpaceStore.
func (s *AssociationStore) ListBookings(ctx context.Context, spaceID uuid.UUID, from, to time.Time, after string, limit int) (civickit.Page[associations.Booking], error) {
	var page civickit.Page[associations.Booking]
	limit, err := civickit.CheckLimit(limit)
	if err != nil {
		return page, fmt.Errorf("list bookings: %w", err)
	}
	var c associations.BookingCursor
	hasAfter, err := civickit.DecodeCursor(after, &c)
	if err != nil {
		return page, fmt.Errorf("list bookings: %w", err)
	}
	var rows []bookingRow
	q := s.db.bun.NewSelect().Model(&rows).
		Where("bk.space_id = ? AND bk.end_at > ? AND bk.start_at < ?", spaceID, micros(from), micros(to))
	if hasAfter {
		q = q.Where("(bk.start_at > ? OR (bk.start_at = ? AND bk.id > ?))", c.Start, c.Start, c.ID)
	}
	if err := q.Order("bk.start_at", "bk.id").Limit(int64(limit + 1)).Scan(ctx); err != nil {
		return page, mapErr("list bookings", err)
	}
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[len(rows)-1]
		page.Next = civickit.EncodeCursor(associations.BookingCursor{Start: last.StartAt, ID: last.ID})
	}
	for i := range rows {
		page.Items = append(page.Items, rows[i].toDomain())
	}
	return page, nil
}
