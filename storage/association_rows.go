package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/civickit/civickit/associations"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Row types mirror migrations/associations/*/. Times are Unix
// microseconds and dates 'YYYY-MM-DD' strings on every engine, so values
// round-trip exactly whatever the engine's time types do.

type associationRow struct {
	bun.BaseModel `bun:"table:associations,alias:a"`

	ID            uuid.UUID `bun:"id,pk"`
	Name          string    `bun:"name"`
	NameKey       string    `bun:"name_key"`
	Acronym       string    `bun:"acronym"`
	ShortTitle    string    `bun:"short_title"`
	RNA           *string   `bun:"rna"` // NULL when absent: UNIQUE admits many NULLs
	SIREN         *string   `bun:"siren"`
	SIRET         *string   `bun:"siret"`
	NEQ           *string   `bun:"neq"`
	LegalStatus   string    `bun:"legal_status"`
	GroupingKind  string    `bun:"grouping_kind"`
	Object        string    `bun:"object"`
	Status        string    `bun:"status"`
	CreatedOn     *string   `bun:"created_on"`
	DissolvedOn   *string   `bun:"dissolved_on"`
	AddressLine1  string    `bun:"address_line1"`
	AddressLine2  string    `bun:"address_line2"`
	PostalCode    string    `bun:"postal_code"`
	City          string    `bun:"city"`
	CommuneCode   string    `bun:"commune_code"`
	Country       string    `bun:"country"`
	AddressPublic bool      `bun:"address_public"`
	Precision     string    `bun:"location_precision"`
	Lat           *float64  `bun:"lat"`
	Lon           *float64  `bun:"lon"`
	Cell          *int64    `bun:"cell"` // geoCell(lat, lon): the "near" index
	Website       string    `bun:"website"`
	Contacts      string    `bun:"contacts"`
	Languages     string    `bun:"languages"`
	Accessibility string    `bun:"accessibility"`
	Version       int       `bun:"version"`
	CreatedAt     int64     `bun:"created_at"`
	UpdatedAt     int64     `bun:"updated_at"`
}

type categoryRow struct {
	bun.BaseModel `bun:"table:association_categories,alias:c"`

	AssociationID uuid.UUID `bun:"association_id,pk"`
	Pos           int       `bun:"pos,pk"`
	Code          string    `bun:"code"`
	Theme         string    `bun:"theme"`
}

type termRow struct {
	bun.BaseModel `bun:"table:association_terms,alias:t"`

	AssociationID uuid.UUID `bun:"association_id,pk"`
	Term          string    `bun:"term,pk"`
}

type grantRow struct {
	bun.BaseModel `bun:"table:grants,alias:g"`

	ID             uuid.UUID  `bun:"id,pk"`
	AssociationID  uuid.UUID  `bun:"association_id"`
	Funder         string     `bun:"funder"`
	SchemeID       *uuid.UUID `bun:"scheme_id"`
	FundedYear     int        `bun:"funded_year"`
	Status         string     `bun:"status"`
	Applicant      string     `bun:"applicant"`
	Project        string     `bun:"project"`
	Budget         string     `bun:"budget"`
	CoFunders      string     `bun:"co_funders"`
	RequestedCents int64      `bun:"requested_cents"`
	GrantedCents   int64      `bun:"granted_cents"`
	PaidCents      int64      `bun:"paid_cents"`
	ReportDueOn    *string    `bun:"report_due_on"`
	ReportedOn     *string    `bun:"reported_on"`
	Version        int        `bun:"version"`
	CreatedAt      int64      `bun:"created_at"`
	UpdatedAt      int64      `bun:"updated_at"`
}

type grantTransitionRow struct {
	bun.BaseModel `bun:"table:grant_transitions,alias:gt"`

	ID         uuid.UUID `bun:"id,pk"`
	GrantID    uuid.UUID `bun:"grant_id"`
	Seq        int       `bun:"seq"`
	FromStatus string    `bun:"from_status"`
	ToStatus   string    `bun:"to_status"`
	Actor      string    `bun:"actor"`
	At         int64     `bun:"at"`
	Note       string    `bun:"note"`
}

type personRow struct {
	bun.BaseModel `bun:"table:people,alias:p"`

	ID            uuid.UUID `bun:"id,pk"`
	GivenName     string    `bun:"given_name"`
	FamilyName    string    `bun:"family_name"`
	Email         string    `bun:"email"`
	Phone         string    `bun:"phone"`
	PostalAddress string    `bun:"postal_address"`
	BirthDate     *string   `bun:"birth_date"`
	CreatedAt     int64     `bun:"created_at"`
}

type membershipRow struct {
	bun.BaseModel `bun:"table:memberships,alias:m"`

	ID            uuid.UUID  `bun:"id,pk"`
	AssociationID uuid.UUID  `bun:"association_id"`
	PersonID      uuid.UUID  `bun:"person_id"`
	StartOn       int64      `bun:"start_on"`
	EndOn         int64      `bun:"end_on"`
	FeeCents      int64      `bun:"fee_cents"`
	Currency      string     `bun:"currency"`
	Status        string     `bun:"status"`
	RenewalOf     *uuid.UUID `bun:"renewal_of"`
	Version       int        `bun:"version"`
	CreatedAt     int64      `bun:"created_at"`
	UpdatedAt     int64      `bun:"updated_at"`
}

const dateLayout = "2006-01-02"

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func dateString(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format(dateLayout)
	return &s
}

func parseDate(s *string) (*time.Time, error) {
	if s == nil {
		return nil, nil
	}
	t, err := time.Parse(dateLayout, *s)
	if err != nil {
		return nil, fmt.Errorf("storage: stored date %q: %w", *s, err)
	}
	return &t, nil
}

func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

// truncate gives a time the precision the database keeps.
func truncate(t time.Time) time.Time { return fromMicros(micros(t)) }

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Only plain domain structs are marshalled here.
		panic(fmt.Sprintf("storage: marshal %T: %v", v, err))
	}
	return string(b)
}

func toAssociationRow(a *associations.Association) *associationRow {
	r := &associationRow{
		ID:            a.ID,
		Name:          a.Name,
		NameKey:       associations.SortKey(a.Name),
		Acronym:       a.Acronym,
		ShortTitle:    a.ShortTitle,
		RNA:           nullString(a.RNA),
		SIREN:         nullString(a.SIREN),
		SIRET:         nullString(a.SIRET),
		NEQ:           nullString(a.NEQ),
		LegalStatus:   string(a.LegalStatus),
		GroupingKind:  string(a.Grouping),
		Object:        a.Object,
		Status:        string(a.Status),
		CreatedOn:     dateString(a.CreatedOn),
		DissolvedOn:   dateString(a.DissolvedOn),
		AddressLine1:  a.Address.Line1,
		AddressLine2:  a.Address.Line2,
		PostalCode:    a.Address.PostalCode,
		City:          a.Address.City,
		CommuneCode:   a.Address.CommuneCode,
		Country:       a.Address.Country,
		AddressPublic: a.Address.Public,
		Precision:     string(a.Address.Precision),
		Website:       a.Website,
		Contacts:      "[]",
		Languages:     "[]",
		Accessibility: mustJSON(a.Access),
		Version:       a.Version,
		CreatedAt:     micros(a.CreatedAt),
		UpdatedAt:     micros(a.UpdatedAt),
	}
	if len(a.Contacts) > 0 {
		r.Contacts = mustJSON(a.Contacts)
	}
	if len(a.Languages) > 0 {
		r.Languages = mustJSON(a.Languages)
	}
	if p := a.Address.Location; p != nil {
		lat, lon := p.Lat, p.Lon
		r.Lat, r.Lon = &lat, &lon
		cell := geoCell(lat, lon)
		r.Cell = &cell
	}
	return r
}

func (r *associationRow) toDomain(categories []string) (*associations.Association, error) {
	a := &associations.Association{
		ID:          r.ID,
		Name:        r.Name,
		Acronym:     r.Acronym,
		ShortTitle:  r.ShortTitle,
		RNA:         deref(r.RNA),
		SIREN:       deref(r.SIREN),
		SIRET:       deref(r.SIRET),
		NEQ:         deref(r.NEQ),
		LegalStatus: associations.LegalStatus(r.LegalStatus),
		Grouping:    associations.Grouping(r.GroupingKind),
		Object:      r.Object,
		Categories:  categories,
		Status:      associations.Status(r.Status),
		Address: associations.Address{
			Line1:       r.AddressLine1,
			Line2:       r.AddressLine2,
			PostalCode:  r.PostalCode,
			City:        r.City,
			CommuneCode: r.CommuneCode,
			Country:     r.Country,
			Public:      r.AddressPublic,
			Precision:   associations.Precision(r.Precision),
		},
		Website:   r.Website,
		Version:   r.Version,
		CreatedAt: fromMicros(r.CreatedAt),
		UpdatedAt: fromMicros(r.UpdatedAt),
	}
	var err error
	if a.CreatedOn, err = parseDate(r.CreatedOn); err != nil {
		return nil, err
	}
	if a.DissolvedOn, err = parseDate(r.DissolvedOn); err != nil {
		return nil, err
	}
	if r.Lat != nil && r.Lon != nil {
		a.Address.Location = &associations.Point{Lat: *r.Lat, Lon: *r.Lon}
	}
	if err := json.Unmarshal([]byte(r.Contacts), &a.Contacts); err != nil {
		return nil, fmt.Errorf("storage: association %s contacts: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.Languages), &a.Languages); err != nil {
		return nil, fmt.Errorf("storage: association %s languages: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.Accessibility), &a.Access); err != nil {
		return nil, fmt.Errorf("storage: association %s accessibility: %w", r.ID, err)
	}
	if len(a.Contacts) == 0 {
		a.Contacts = nil
	}
	if len(a.Languages) == 0 {
		a.Languages = nil
	}
	return a, nil
}

func categoryRows(a *associations.Association) []categoryRow {
	rows := make([]categoryRow, len(a.Categories))
	for i, c := range a.Categories {
		rows[i] = categoryRow{AssociationID: a.ID, Pos: i, Code: c, Theme: associations.ThemeOf(c)}
	}
	return rows
}

func termRows(a *associations.Association) []termRow {
	terms := associations.SearchTerms(a)
	rows := make([]termRow, len(terms))
	for i, t := range terms {
		rows[i] = termRow{AssociationID: a.ID, Term: t}
	}
	return rows
}

// checkVersioned reads the outcome of an optimistic
// "UPDATE … WHERE id = ? AND version = ?": no row touched means the row is
// missing (ErrNotFound) or at another version (ErrConflict).
func checkVersioned(ctx context.Context, tx bun.IDB, res sql.Result, err error, model any, idCol string, id uuid.UUID, version int) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil || n > 0 {
		return err
	}
	exists, err := tx.NewSelect().Model(model).Where("? = ?", bun.Ident(idCol), id).Exists(ctx)
	switch {
	case err != nil:
		return err
	case !exists:
		return associations.ErrNotFound
	}
	return fmt.Errorf("%w: %s is not at version %d", associations.ErrConflict, id, version)
}

// Cells of 0.1° × 0.1° (about 11 km north-south) number the Earth row by
// row from the south-west; geoCell gives the cell of a position. The
// (cell) index lets "near" read only the cells its box covers, where the
// (lat, lon) index could only narrow by latitude and read whole bands.
const (
	cellsPerDegree = 10
	cellsPerRow    = 360 * cellsPerDegree
)

func geoCell(lat, lon float64) int64 {
	row := int64(math.Floor((lat + 90) * cellsPerDegree))
	col := int64(math.Floor((lon + 180) * cellsPerDegree))
	return row*cellsPerRow + col
}

// cellRanges returns, for each row of cells b covers, the range of cells
// to read, widened by one cell on every side so that a position whose
// cell the database computed with different rounding (migrated rows) is
// still read. ok is false when b covers too many rows for a short query.
func cellRanges(b associations.Box) (ranges [][2]int64, ok bool) {
	r0 := int64(math.Floor((b.MinLat+90)*cellsPerDegree)) - 1
	r1 := int64(math.Floor((b.MaxLat+90)*cellsPerDegree)) + 1
	c0 := max(int64(math.Floor((b.MinLon+180)*cellsPerDegree))-1, 0)
	c1 := min(int64(math.Floor((b.MaxLon+180)*cellsPerDegree))+1, cellsPerRow)
	if r1-r0 > 64 {
		return nil, false
	}
	for r := max(r0, 0); r <= min(r1, 180*cellsPerDegree); r++ {
		ranges = append(ranges, [2]int64{r*cellsPerRow + c0, r*cellsPerRow + c1})
	}
	return ranges, true
}
