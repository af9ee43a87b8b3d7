package httpapi

import (
	"net/http"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
)

// routes lists every route, in one place. A domain whose service is not
// in Deps has no routes.
func (a *api) routes() []Route {
	rs := []Route{
		{Method: http.MethodGet, Pattern: "/healthz", Summary: "liveness and database reachability", Answer: map[string]string{}, handler: a.healthz},
		{Method: http.MethodGet, Pattern: "/readyz", Summary: "readiness: the database answers and the server is not shutting down", Answer: map[string]string{}, handler: a.readyz},
		{Method: http.MethodGet, Pattern: "/{$}", Summary: "the portal's home page", handler: a.index},
		a.openAPIRoute(),
	}
	if a.assoc != nil {
		rs = append(rs,
			Route{Method: http.MethodGet, Pattern: "/api/v1/associations", Summary: "a page of associations ordered by name, filtered and searched", Answer: civickit.Page[associations.Association]{}, handler: a.listAssociations},
			Route{Method: http.MethodGet, Pattern: "/api/v1/associations/near", Summary: "a page of located associations within a radius, nearest first", Answer: civickit.Page[associations.NearHit]{}, handler: a.nearAssociations},
			Route{Method: http.MethodGet, Pattern: "/api/v1/associations/rna/{rna}", Summary: "one association by RNA number", Answer: associations.Association{}, handler: a.getAssociationByRNA},
			Route{Method: http.MethodGet, Pattern: "/api/v1/associations/{id}", Summary: "one association", Answer: associations.Association{}, handler: a.getAssociation},
			Route{Method: http.MethodGet, Pattern: "/api/v1/spaces", Summary: "a page of the catalogue of shared spaces and equipment", Answer: civickit.Page[associations.Space]{}, handler: a.listSpaces},
			Route{Method: http.MethodGet, Pattern: "/api/v1/spaces/{id}/calendar.ics", Summary: "a space's bookings (next 90 days) as iCalendar, naming no one", handler: a.spaceCalendar},
		)
		rs = append(rs, a.associationStaffRoutes()...)
	}
	if a.od != nil && a.od.Service != nil {
		rs = append(rs, a.openDataRoutes()...)
	}
	if a.part != nil && a.part.Core != nil {
		rs = append(rs, a.participationRoutes()...)
	}
	if a.box != nil {
		rs = append(rs, a.electionRoutes()...)
		rs = append(rs, a.electionOperatorRoutes()...)
	}
	rs = append(rs, a.authRoutes()...)
	if a.accounts != nil {
		rs = append(rs, a.adminRoutes()...)
	}
	return rs
}
