package main

import (
	"net/http"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/google/uuid"
)

// routes lists every route of the reference server.
func (s *server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /api/v1/associations", s.listAssociations)
	mux.HandleFunc("GET /api/v1/associations/near", s.nearAssociations)
	mux.HandleFunc("GET /api/v1/associations/rna/{rna}", s.getAssociationByRNA)
	mux.HandleFunc("GET /api/v1/associations/{id}", s.getAssociation)
	mux.HandleFunc("GET /{$}", s.index)
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	if err := s.health(r.Context()); err != nil {
		s.log.Error("health check failed", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// publicAssociation hides the contacts an association did not make public.
func publicAssociation(a associations.Association) associations.Association {
	a.Contacts = a.PublicContacts()
	return a
}

func (s *server) listAssociations(w http.ResponseWriter, r *http.Request) {
	q := queryParams{r: r}
	query := associations.SearchQuery{Filter: q.filter(), Limit: q.int("limit"), After: q.str("after")}
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := s.assoc.Search(r.Context(), query)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for i := range page.Items {
		page.Items[i] = publicAssociation(page.Items[i])
	}
	writeJSON(w, http.StatusOK, page)
}

func (s *server) nearAssociations(w http.ResponseWriter, r *http.Request) {
	q := queryParams{r: r}
	query := associations.NearQuery{
		Filter:       q.filter(),
		Center:       associations.Point{Lat: q.float("lat", true), Lon: q.float("lon", true)},
		RadiusMeters: q.float("radius_m", true),
		Limit:        q.int("limit"),
		After:        q.str("after"),
	}
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := s.assoc.Near(r.Context(), query)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for i := range page.Items {
		page.Items[i].Association = publicAssociation(page.Items[i].Association)
	}
	writeJSON(w, http.StatusOK, page)
}

func (s *server) getAssociation(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, civickit.Invalid("id", "uuid", ""))
		return
	}
	a, err := s.assoc.Get(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, publicAssociation(*a))
}

func (s *server) getAssociationByRNA(w http.ResponseWriter, r *http.Request) {
	rna := r.PathValue("rna")
	if !associations.ValidRNA(rna) {
		s.writeError(w, r, civickit.Invalid("rna", "rna", ""))
		return
	}
	a, err := s.assoc.GetByRNA(r.Context(), rna)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, publicAssociation(*a))
}

func (s *server) index(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(indexHTML))
}

const indexHTML = `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>civickit — portail de référence</title></head>
<body>
<main>
<h1>civickit — portail de référence</h1>
<p>Registre des associations locales, en lecture (JSON) :</p>
<ul>
<li><a href="/api/v1/associations">/api/v1/associations</a> — liste et recherche (<code>q</code>, <code>category</code>, <code>status</code>, <code>commune</code>, <code>postal_code</code>, <code>department</code>, <code>limit</code>, <code>after</code>)</li>
<li><code>/api/v1/associations/near?lat=…&amp;lon=…&amp;radius_m=…</code> — près de chez moi, du plus proche au plus loin</li>
<li><code>/api/v1/associations/{id}</code> et <code>/api/v1/associations/rna/{rna}</code> — une association</li>
<li><a href="/healthz">/healthz</a> — état du service</li>
</ul>
</main>
</body>
</html>
`
