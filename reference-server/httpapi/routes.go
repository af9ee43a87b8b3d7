package httpapi

import "net/http"

// routes lists every route, in one place. A domain whose service is not
// in Deps has no routes.
func (a *api) routes() []Route {
	rs := []Route{
		{http.MethodGet, "/healthz", "liveness and database reachability", a.healthz},
		{http.MethodGet, "/{$}", "the portal's home page", a.index},
	}
	if a.assoc != nil {
		rs = append(rs,
			Route{http.MethodGet, "/api/v1/associations", "a page of associations ordered by name, filtered and searched", a.listAssociations},
			Route{http.MethodGet, "/api/v1/associations/near", "a page of located associations within a radius, nearest first", a.nearAssociations},
			Route{http.MethodGet, "/api/v1/associations/rna/{rna}", "one association by RNA number", a.getAssociationByRNA},
			Route{http.MethodGet, "/api/v1/associations/{id}", "one association", a.getAssociation},
			Route{http.MethodGet, "/api/v1/spaces", "a page of the catalogue of shared spaces and equipment", a.listSpaces},
			Route{http.MethodGet, "/api/v1/spaces/{id}/calendar.ics", "a space's bookings (next 90 days) as iCalendar, naming no one", a.spaceCalendar},
		)
	}
	if a.od != nil && a.od.Service != nil {
		rs = append(rs, a.openDataRoutes()...)
	}
	return rs
}
