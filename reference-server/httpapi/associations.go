package httpapi

import (
	"net/http"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/google/uuid"
)

// publicAssociation is what anyone may see: Association.Public hides the
// contacts, street lines, exact position and notes the association did
// not make public.
func publicAssociation(a associations.Association) associations.Association {
	return a.Public()
}

func filterOf(q *queryParams) associations.Filter {
	return associations.Filter{
		Text:        q.str("q"),
		Category:    q.str("category"),
		Status:      associations.Status(q.str("status")),
		CommuneCode: q.str("commune"),
		PostalCode:  q.str("postal_code"),
		Department:  q.str("department"),
	}
}

func (a *api) listAssociations(w http.ResponseWriter, r *http.Request) {
	q := queryParams{r: r}
	query := associations.SearchQuery{Filter: filterOf(&q), Limit: q.int("limit"), After: q.str("after")}
	if err := q.err(); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	page, err := a.assoc.Search(r.Context(), query)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	for i := range page.Items {
		page.Items[i] = publicAssociation(page.Items[i])
	}
	writeJSON(w, http.StatusOK, page)
}

// nearAssociations answers "near me" around lat/lon or, for a person
// without geolocation, around a place the Service's geocoder finds:
// address (street line), address_postal_code, address_city,
// address_commune (INSEE code), any of them.
func (a *api) nearAssociations(w http.ResponseWriter, r *http.Request) {
	q := queryParams{r: r}
	place := associations.Address{
		Line1:       q.str("address"),
		PostalCode:  q.str("address_postal_code"),
		City:        q.str("address_city"),
		CommuneCode: q.str("address_commune"),
	}
	byPlace := q.str("lat") == "" && q.str("lon") == "" && place != (associations.Address{})
	query := associations.NearQuery{Filter: filterOf(&q)}
	if !byPlace {
		query.Center = associations.Point{Lat: q.float("lat", true), Lon: q.float("lon", true)}
	}
	query.RadiusMeters = q.float("radius_m", true)
	query.Limit, query.After = q.int("limit"), q.str("after")
	if err := q.err(); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	if byPlace {
		loc, err := a.assoc.Locate(r.Context(), place)
		if err != nil {
			writeError(w, r, a.log, err)
			return
		}
		query.Center = loc.Point
	}
	page, err := a.assoc.Near(r.Context(), query)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	for i := range page.Items {
		page.Items[i] = page.Items[i].Public()
	}
	writeJSON(w, http.StatusOK, page)
}

func (a *api) getAssociation(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		writeError(w, r, a.log, civickit.Invalid("id", "uuid", ""))
		return
	}
	as, err := a.assoc.Get(r.Context(), id)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusOK, publicAssociation(*as))
}

func (a *api) getAssociationByRNA(w http.ResponseWriter, r *http.Request) {
	rna := r.PathValue("rna")
	if !associations.ValidRNA(rna) {
		writeError(w, r, a.log, civickit.Invalid("rna", "rna", ""))
		return
	}
	as, err := a.assoc.GetByRNA(r.Context(), rna)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusOK, publicAssociation(*as))
}

func (a *api) listSpaces(w http.ResponseWriter, r *http.Request) {
	q := queryParams{r: r}
	limit, after := q.int("limit"), q.str("after")
	if err := q.err(); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	page, err := a.assoc.Spaces(r.Context(), after, limit)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	for i := range page.Items {
		page.Items[i].Address = page.Items[i].Address.PublicView()
		if !page.Items[i].Access.NotesPublic {
			page.Items[i].Access.Notes = ""
		}
	}
	writeJSON(w, http.StatusOK, page)
}

// spaceCalendar serves the holding bookings of the next 90 days, at most
// 1,000 (the first pages).
func (a *api) spaceCalendar(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		writeError(w, r, a.log, civickit.Invalid("id", "uuid", ""))
		return
	}
	sp, err := a.assoc.GetSpace(r.Context(), id)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	now := time.Now()
	var all []associations.Booking
	after := ""
	for range 10 {
		page, err := a.assoc.Bookings(r.Context(), id, now.Add(-24*time.Hour), now.Add(90*24*time.Hour), after, civickit.MaxLimit)
		if err != nil {
			writeError(w, r, a.log, err)
			return
		}
		all = append(all, page.Items...)
		if after = page.Next; after == "" {
			break
		}
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	_ = associations.WriteICalendar(w, sp, all, now) // the client may have gone
}
