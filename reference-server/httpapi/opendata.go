package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/opendata"
)

// OpenData configures the open-data routes: the DCAT-AP catalogue
// (/catalog, paged with hydra), data.json, the CKAN Action API, a landing
// page and a datapackage.json per dataset. Every route only reads.
type OpenData struct {
	Service *opendata.Service
	// Catalog describes the portal's catalogue (title, description,
	// publisher, languages...). Its Datasets are ignored: they come from
	// Service.
	Catalog opendata.Catalog
	// BaseURL is the portal's public address ("https://data.example.org"):
	// page IRIs, CKAN help links and landing pages are built on it. Empty:
	// the request's scheme and host.
	BaseURL string
	// PageSize is the number of datasets per catalogue page (default 100,
	// at most opendata.MaxSearchLimit).
	PageSize int
	// Language is the BCP 47 tag of the texts CKAN shapes, data.json and
	// landing pages show (default: the dataset's own choice, see Text.Get).
	Language string
	// SiteTitle is status_show's site_title (default: the catalogue's
	// title).
	SiteTitle string
	// Mediation, when set, serves the directory of digital mediation
	// places at /mediation-places.csv (the national schema) and
	// /mediation-places.json; without it those routes answer 404.
	Mediation *opendata.MediationDirectory
	// CKANNoContactKeys leaves author, author_email, maintainer and
	// maintainer_email out of CKAN packages, as data.gov.uk's schemas
	// require (udata's CKAN harvester requires them: off by default).
	CKANNoContactKeys bool
}

// NewOpenData returns the open-data routes alone, as one http.Handler a
// portal mounts at its root. New serves the same routes when
// Deps.OpenData is set.
func NewOpenData(od OpenData, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &api{od: &od, log: log}
	mux := http.NewServeMux()
	for _, rt := range a.openDataRoutes() {
		mux.HandleFunc(rt.Method+" "+rt.Pattern, rt.handler)
	}
	return a.logRequests(a.recoverPanics(problemsForUnrouted(mux)))
}

// openDataRoutes lists the open-data routes (routes.go includes them).
func (a *api) openDataRoutes() []Route {
	return []Route{
		{Method: http.MethodGet, Pattern: "/catalog", Summary: "the DCAT-AP catalogue, paged (?page=), Turtle, JSON-LD, RDF/XML or N-Triples by Accept", handler: a.catalog},
		{Method: http.MethodGet, Pattern: "/catalog.ttl", Summary: "the DCAT-AP catalogue in Turtle, paged with hydra (?page=)", handler: a.catalogAs(opendata.FormatTurtle)},
		{Method: http.MethodGet, Pattern: "/catalog.jsonld", Summary: "the DCAT-AP catalogue in JSON-LD, paged with hydra (?page=)", handler: a.catalogAs(opendata.FormatJSONLD)},
		{Method: http.MethodGet, Pattern: "/catalog.rdf", Summary: "the DCAT-AP catalogue in RDF/XML, paged with hydra (?page=)", handler: a.catalogAs(opendata.FormatRDFXML)},
		{Method: http.MethodGet, Pattern: "/catalog.nt", Summary: "the DCAT-AP catalogue in N-Triples, paged with hydra (?page=)", handler: a.catalogAs(formatNTriples)},
		{Method: http.MethodGet, Pattern: "/data.json", Summary: "the whole catalogue as Project Open Data v1.1 data.json", handler: a.dataJSON},
		{Method: http.MethodGet, Pattern: "/datasets/{id}", Summary: "a dataset's landing page with schema.org JSON-LD (Turtle or JSON-LD by Accept); id is its UUID, identifier or CKAN name", handler: a.datasetPage},
		{Method: http.MethodGet, Pattern: "/datasets/{id}/datapackage.json", Summary: "a dataset as a Frictionless data package", handler: a.datasetPackage},
		{Method: http.MethodGet, Pattern: "/api/3/action/{action}", Summary: "the CKAN Action API (package_search, package_show, package_list, organization_list, organization_show, tag_list, license_list, status_show)", handler: a.ckanAction},
		{Method: http.MethodPost, Pattern: "/api/3/action/{action}", Summary: "the CKAN Action API, parameters as a JSON body", handler: a.ckanAction},
		{Method: http.MethodOptions, Pattern: "/api/3/action/{action}", Summary: "CORS preflight of the CKAN Action API", handler: a.preflight},
		// ckanext-harvest calls /api/2/action/ by default, the ckanapi
		// client /api/action/: the same actions.
		{Method: http.MethodGet, Pattern: "/api/2/action/{action}", Summary: "the CKAN Action API (older path)", handler: a.ckanAction},
		{Method: http.MethodPost, Pattern: "/api/2/action/{action}", Summary: "the CKAN Action API (older path)", handler: a.ckanAction},
		{Method: http.MethodGet, Pattern: "/api/action/{action}", Summary: "the CKAN Action API (unversioned path)", handler: a.ckanAction},
		{Method: http.MethodPost, Pattern: "/api/action/{action}", Summary: "the CKAN Action API (unversioned path)", handler: a.ckanAction},
		{Method: http.MethodOptions, Pattern: "/api/action/{action}", Summary: "CORS preflight of the CKAN Action API", handler: a.preflight},
		// udata's CKAN backend checks a source with CKAN's status route.
		{Method: http.MethodGet, Pattern: "/api/util/status", Summary: "CKAN's status (what status_show answers, unwrapped)", handler: a.ckanStatus},
		{Method: http.MethodGet, Pattern: "/mediation-places.csv", Summary: "the digital mediation places, CSV in the national schema (LaMednum/standard-mediation-num " + opendata.MediationSchemaVersion + ")", handler: a.mediationPlaces(true)},
		{Method: http.MethodGet, Pattern: "/mediation-places.json", Summary: "the digital mediation places as JSON (the schema's column names)", handler: a.mediationPlaces(false)},
	}
}

// Media types served.
const (
	mediaTurtle = "text/turtle; charset=utf-8"
	mediaJSONLD = "application/ld+json"
	mediaJSON   = "application/json; charset=utf-8"
	mediaHTML   = "text/html; charset=utf-8"
	mediaRDFXML = "application/rdf+xml"
	mediaNT     = "application/n-triples"
)

// formatNTriples is served but not harvested apart (it is Turtle).
const formatNTriples opendata.Format = "n-triples"

func (a *api) baseURL(r *http.Request) string {
	if a.od.BaseURL != "" {
		return strings.TrimRight(a.od.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (a *api) pageSize() int {
	switch n := a.od.PageSize; {
	case n <= 0:
		return 100
	case n > opendata.MaxSearchLimit:
		return opendata.MaxSearchLimit
	default:
		return n
	}
}

// cors lets any web page read the open data (read routes only).
func cors(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "ETag, Last-Modified, Link")
}

func (a *api) preflight(w http.ResponseWriter, _ *http.Request) {
	cors(w)
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Content-Type, Authorization")
	h.Set("Access-Control-Max-Age", "86400")
	w.WriteHeader(http.StatusNoContent)
}

// serveDoc answers a document with its ETag (a hash of the bytes) and
// Last-Modified (modified, when known); http.ServeContent answers
// conditional requests (If-None-Match, If-Modified-Since) with 304.
func serveDoc(w http.ResponseWriter, r *http.Request, contentType string, modified time.Time, body []byte) {
	cors(w)
	sum := sha256.Sum256(body)
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", modified.UTC().Truncate(time.Second), bytes.NewReader(body))
}

// negotiate picks the RDF format of an Accept header: JSON-LD or Turtle
// (the default, also for */* and browsers).
func negotiate(accept string) opendata.Format {
	best, bestQ := opendata.FormatTurtle, 0.0
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				q = f
			}
		}
		var f opendata.Format
		switch mt {
		case "text/turtle", "application/x-turtle":
			f = opendata.FormatTurtle
		case "application/ld+json", "application/json":
			f = opendata.FormatJSONLD
		case "application/rdf+xml", "application/xml", "text/xml":
			f = opendata.FormatRDFXML
		case "application/n-triples":
			f = formatNTriples
		default:
			continue
		}
		if q > bestQ {
			best, bestQ = f, q
		}
	}
	return best
}

func (a *api) catalog(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept")
	a.catalogAs(negotiate(r.Header.Get("Accept")))(w, r)
}

// catalogAs serves one page of the catalogue (?page=, 1 by default),
// datasets ordered by identifier, with hydra links when there are several.
func (a *api) catalogAs(f opendata.Format) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		page := 1
		if s := r.URL.Query().Get("page"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				writeError(w, r, a.log, civickit.Invalid("page", opendata.RuleFormat, "integer >= 1"))
				return
			}
			page = n
		}
		size := a.pageSize()
		res, err := a.od.Service.SearchDatasets(r.Context(), opendata.SearchQuery{
			Sort: opendata.SortIdentifier, Limit: size, Offset: (page - 1) * size,
		})
		if err != nil {
			writeError(w, r, a.log, err)
			return
		}
		c := a.od.Catalog
		c.Datasets = make([]*opendata.Dataset, len(res.Items))
		var modified time.Time
		for i := range res.Items {
			c.Datasets[i] = &res.Items[i]
			if res.Items[i].UpdatedAt.After(modified) {
				modified = res.Items[i].UpdatedAt
			}
		}
		path := "/catalog"
		ctype := mediaTurtle
		switch f {
		case opendata.FormatTurtle:
			path = "/catalog.ttl"
		case opendata.FormatJSONLD:
			path, ctype = "/catalog.jsonld", mediaJSONLD
		case opendata.FormatRDFXML:
			path, ctype = "/catalog.rdf", mediaRDFXML
		case formatNTriples:
			path, ctype = "/catalog.nt", mediaNT
		}
		last := max(1, (res.Total+size-1)/size)
		pageIRI := func(n int) string { return a.baseURL(r) + path + "?page=" + strconv.Itoa(n) }
		var buf bytes.Buffer
		if last == 1 && page == 1 {
			err = writeCatalog(&buf, f, &c, nil)
		} else {
			p := opendata.Page{IRI: pageIRI(page), First: pageIRI(1), Last: pageIRI(last), TotalItems: res.Total, ItemsPerPage: size}
			if page > 1 {
				p.Previous = pageIRI(min(page-1, last))
			}
			if page < last {
				p.Next = pageIRI(page + 1)
			}
			err = writeCatalog(&buf, f, &c, &p)
		}
		if err != nil {
			writeError(w, r, a.log, err)
			return
		}
		serveDoc(w, r, ctype, modified, buf.Bytes())
	}
}

func writeCatalog(w io.Writer, f opendata.Format, c *opendata.Catalog, p *opendata.Page) error {
	switch {
	case f == opendata.FormatRDFXML && p != nil:
		return opendata.WritePagedRDFXML(w, c, *p)
	case f == opendata.FormatRDFXML:
		return opendata.WriteRDFXML(w, c)
	case f == formatNTriples && p != nil:
		// The page's graph with its hydra statements, line by line.
		return opendata.WritePagedNTriples(w, c, *p)
	case f == formatNTriples:
		return opendata.WriteNTriples(w, c)
	case f == opendata.FormatJSONLD && p != nil:
		return opendata.WritePagedJSONLD(w, c, *p)
	case f == opendata.FormatJSONLD:
		return opendata.WriteJSONLD(w, c)
	case p != nil:
		return opendata.WritePagedTurtle(w, c, *p)
	}
	return opendata.WriteTurtle(w, c)
}

// allDatasets reads every dataset, by identifier.
func (a *api) allDatasets(ctx context.Context) ([]*opendata.Dataset, time.Time, error) {
	var out []*opendata.Dataset
	var modified time.Time
	q := opendata.SearchQuery{Sort: opendata.SortIdentifier, Limit: opendata.MaxSearchLimit}
	for {
		res, err := a.od.Service.SearchDatasets(ctx, q)
		if err != nil {
			return nil, time.Time{}, err
		}
		for i := range res.Items {
			out = append(out, &res.Items[i])
			if res.Items[i].UpdatedAt.After(modified) {
				modified = res.Items[i].UpdatedAt
			}
		}
		if res.Next == "" {
			return out, modified, nil
		}
		q.After = res.Next
	}
}

func (a *api) dataJSON(w http.ResponseWriter, r *http.Request) {
	ds, modified, err := a.allDatasets(r.Context())
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	c := a.od.Catalog
	c.Datasets = ds
	var buf bytes.Buffer
	if err := opendata.WriteDataJSON(&buf, &c, opendata.DataJSONOptions{Language: a.od.Language, CatalogURL: a.baseURL(r) + "/data.json"}); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	serveDoc(w, r, mediaJSON, modified, buf.Bytes())
}

func (a *api) findDataset(w http.ResponseWriter, r *http.Request) (*opendata.Dataset, bool) {
	d, err := a.od.Service.FindDataset(r.Context(), r.PathValue("id"))
	if err != nil {
		writeError(w, r, a.log, err)
		return nil, false
	}
	return d, true
}

func (a *api) datasetPackage(w http.ResponseWriter, r *http.Request) {
	d, ok := a.findDataset(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := opendata.WriteDataPackage(&buf, d, opendata.DataPackageOptions{Language: a.od.Language}); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	serveDoc(w, r, mediaJSON, d.UpdatedAt, buf.Bytes())
}

// datasetPage answers a dataset's landing page: HTML with its schema.org
// JSON-LD for search engines, or its DCAT-AP description when the client
// asks for Turtle or JSON-LD.
func (a *api) datasetPage(w http.ResponseWriter, r *http.Request) {
	d, ok := a.findDataset(w, r)
	if !ok {
		return
	}
	w.Header().Add("Vary", "Accept")
	var buf bytes.Buffer
	accept := r.Header.Get("Accept")
	switch {
	case strings.Contains(accept, "text/turtle"):
		if err := opendata.WriteDatasetTurtle(&buf, d); err != nil {
			writeError(w, r, a.log, err)
			return
		}
		serveDoc(w, r, mediaTurtle, d.UpdatedAt, buf.Bytes())
		return
	case strings.Contains(accept, "application/ld+json"):
		if err := opendata.WriteDatasetJSONLD(&buf, d); err != nil {
			writeError(w, r, a.log, err)
			return
		}
		serveDoc(w, r, mediaJSONLD, d.UpdatedAt, buf.Bytes())
		return
	case strings.Contains(accept, "application/rdf+xml"):
		if err := opendata.WriteDatasetRDFXML(&buf, d); err != nil {
			writeError(w, r, a.log, err)
			return
		}
		serveDoc(w, r, mediaRDFXML, d.UpdatedAt, buf.Bytes())
		return
	}
	var so bytes.Buffer
	if err := opendata.WriteSchemaOrgDataset(&so, d, opendata.SchemaOrgOptions{Language: a.od.Language}); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var safe bytes.Buffer
	json.HTMLEscape(&safe, bytes.TrimSpace(so.Bytes())) // no "</script>" can close the block
	if err := landingPage.Execute(&buf, landingData(d, a.od.Language, template.JS(safe.String()))); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	serveDoc(w, r, mediaHTML, d.UpdatedAt, buf.Bytes())
}

type landingDist struct {
	Title, URL, Format, License string
}

type landingReuse struct {
	Title, URL, Kind, By string
}

type landing struct {
	Reuses                                                             []landingReuse
	Lang, Title, Description, Publisher, Identifier, Modified, Package string
	Keywords                                                           []string
	Distributions                                                      []landingDist
	JSONLD                                                             template.JS
}

func landingData(d *opendata.Dataset, lang string, ld template.JS) landing {
	l := landing{
		Lang: lang, Title: d.Title.Get(lang), Description: d.Description.Get(lang),
		Identifier: d.Identifier, JSONLD: ld, Package: "/datasets/" + d.ID.String() + "/datapackage.json",
	}
	if l.Lang == "" && len(d.Languages) > 0 {
		l.Lang = d.Languages[0].Tag()
	}
	if d.Publisher != nil && !d.Publisher.IsPerson() {
		l.Publisher = d.Publisher.Name.Get(lang)
	}
	if !d.Modified.IsZero() {
		l.Modified = d.Modified.UTC().Format("2006-01-02")
	}
	for _, tag := range d.Keywords.Langs() {
		l.Keywords = append(l.Keywords, d.Keywords[tag]...)
	}
	for _, u := range d.Reuses {
		r := landingReuse{Title: firstNonEmptyStr(u.Title.Get(lang), u.URL), URL: u.URL}
		switch u.Type {
		case opendata.ReuseApplication:
			r.Kind = "application"
		case opendata.ReuseVisualization:
			r.Kind = "visualisation"
		case opendata.ReuseArticle:
			r.Kind = "article"
		}
		if u.Organization != nil && !u.Organization.IsPerson() {
			r.By = u.Organization.Name.Get(lang)
		}
		l.Reuses = append(l.Reuses, r)
	}
	for i := range d.Distributions {
		x := &d.Distributions[i]
		l.Distributions = append(l.Distributions, landingDist{
			Title:   firstNonEmptyStr(x.Title.Get(lang), x.Format.Code(), "—"),
			URL:     firstNonEmptyStr(x.DownloadURL, x.AccessURL),
			Format:  x.Format.Code(),
			License: firstNonEmptyStr(x.License.Title.Get(lang), x.License.IRI),
		})
	}
	return l
}

func firstNonEmptyStr(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

var landingPage = template.Must(template.New("dataset").Parse(`<!doctype html>
<html{{if .Lang}} lang="{{.Lang}}"{{end}}>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<script type="application/ld+json">{{.JSONLD}}</script>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
{{if .Publisher}}<p>{{.Publisher}}</p>{{end}}
<p>{{.Description}}</p>
<dl>
<dt>Identifiant</dt><dd><code>{{.Identifier}}</code></dd>
{{if .Modified}}<dt>Mise à jour</dt><dd>{{.Modified}}</dd>{{end}}
{{if .Keywords}}<dt>Mots-clés</dt><dd>{{range $i, $k := .Keywords}}{{if $i}}, {{end}}{{$k}}{{end}}</dd>{{end}}
</dl>
{{if .Distributions}}<h2>Fichiers et accès</h2>
<ul>{{range .Distributions}}
<li><a href="{{.URL}}">{{.Title}}</a>{{if .Format}} ({{.Format}}){{end}}{{if .License}} — {{.License}}{{end}}</li>{{end}}
</ul>{{end}}
{{if .Reuses}}<h2>Réutilisations</h2>
<ul>{{range .Reuses}}
<li><a href="{{.URL}}">{{.Title}}</a>{{if .Kind}} ({{.Kind}}){{end}}{{if .By}} — {{.By}}{{end}}</li>{{end}}
</ul>{{end}}
<p><a href="{{.Package}}">datapackage.json</a></p>
</main>
</body>
</html>
`))

// ckanAction answers /api/3/action/{action} in CKAN's envelope, reading
// the parameters from the query string and, for POST, from a JSON body
// (udata posts "{}" with the parameters in the query string: both are
// read).
func (a *api) ckanAction(w http.ResponseWriter, r *http.Request) {
	cors(w)
	action := r.PathValue("action")
	apiBase := a.baseURL(r) + "/api"
	v := r.URL.Query()
	if r.Method == http.MethodPost {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20+1))
		switch {
		case err != nil:
			a.ckanFail(w, r, apiBase, action, civickit.Invalid("body", opendata.RuleFormat, "unreadable"))
			return
		case len(body) > 1<<20:
			a.ckanFail(w, r, apiBase, action, civickit.Invalid("body", opendata.RuleFormat, "at most 1 MiB"))
			return
		}
		if len(bytes.TrimSpace(body)) > 0 && !isForm(r) {
			bv, err := opendata.CKANValues(body)
			if err != nil {
				a.ckanFail(w, r, apiBase, action, err)
				return
			}
			for k, vs := range bv {
				v[k] = append(v[k], vs...)
			}
		} else if isForm(r) {
			fv, err := url.ParseQuery(string(body))
			if err != nil {
				a.ckanFail(w, r, apiBase, action, civickit.Invalid("body", opendata.RuleFormat, "form"))
				return
			}
			for k, vs := range fv {
				v[k] = append(v[k], vs...)
			}
		}
	}
	result, err := a.ckanDispatch(r.Context(), r, action, v)
	if err != nil {
		a.ckanFail(w, r, apiBase, action, err)
		return
	}
	writeJSON(w, http.StatusOK, opendata.CKANResult(apiBase, action, result))
}

func (a *api) ckanStatus(w http.ResponseWriter, r *http.Request) {
	cors(w)
	c := &a.od.Catalog
	writeJSON(w, http.StatusOK, opendata.StatusShow(a.baseURL(r), firstNonEmptyStr(a.od.SiteTitle, c.Title.Get(a.od.Language)),
		c.Description.Get(a.od.Language), a.od.Language))
}

func isForm(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "application/x-www-form-urlencoded"
}

// errUnknownAction is CKAN's 400 for an action it does not have.
var errUnknownAction = errors.New("action not known")

func (a *api) ckanFail(w http.ResponseWriter, r *http.Request, apiBase, action string, err error) {
	if errors.Is(err, errUnknownAction) {
		writeJSON(w, http.StatusBadRequest, opendata.CKANResponse{
			Help: opendata.CKANHelp(apiBase, action), Success: false,
			Error: &opendata.CKANError{Type: "Bad request", Message: "Bad request - Action name not known: " + civickit.Truncate(action, 100)},
		})
		return
	}
	status, resp := opendata.CKANFailure(apiBase, action, err)
	if status >= 500 {
		a.log.Error("ckan action failed", "action", civickit.Truncate(action, 100), "err", err)
	}
	writeJSON(w, status, resp)
}

func intParam(v url.Values, name string) (int, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, civickit.Invalid(name, opendata.RuleFormat, "integer >= 0")
	}
	return n, nil
}

func (a *api) ckanDispatch(ctx context.Context, r *http.Request, action string, v url.Values) (any, error) {
	svc := a.od.Service
	opts := opendata.CKANOptions{Language: a.od.Language, NoContactKeys: a.od.CKANNoContactKeys, Publisher: a.od.Catalog.Publisher}
	id := firstNonEmptyStr(v.Get("id"), v.Get("name_or_id"), v.Get("name"))
	switch action {
	case opendata.ActionPackageSearch:
		p, err := opendata.ParsePackageSearchParams(v)
		if err != nil {
			return nil, err
		}
		return svc.PackageSearch(ctx, p, opts)
	case opendata.ActionPackageShow:
		return svc.PackageShow(ctx, id, opts)
	case opendata.ActionPackageList:
		limit, err := intParam(v, "limit")
		if err != nil {
			return nil, err
		}
		offset, err := intParam(v, "offset")
		if err != nil {
			return nil, err
		}
		return svc.PackageList(ctx, limit, offset)
	case opendata.ActionOrganizationList:
		p, err := opendata.ParseOrganizationListParams(v)
		if err != nil {
			return nil, err
		}
		return svc.OrganizationList(ctx, p, opts)
	case opendata.ActionOrganizationShow:
		return svc.OrganizationShow(ctx, id, opts)
	case opendata.ActionTagList:
		return svc.TagList(ctx)
	case opendata.ActionLicenseList:
		return opendata.LicenseList(opts), nil
	case opendata.ActionStatusShow:
		c := &a.od.Catalog
		return opendata.StatusShow(a.baseURL(r), firstNonEmptyStr(a.od.SiteTitle, c.Title.Get(a.od.Language)),
			c.Description.Get(a.od.Language), a.od.Language), nil
	}
	return nil, fmt.Errorf("%w: %s", errUnknownAction, civickit.Truncate(action, 100))
}

// mediationPlaces serves the whole directory of mediation places, as the
// national schema's CSV or as JSON.
func (a *api) mediationPlaces(csv bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a.od.Mediation == nil {
			writeError(w, r, a.log, fmt.Errorf("no mediation places directory: %w", civickit.ErrNotFound))
			return
		}
		places, err := a.od.Mediation.All(r.Context())
		if err != nil {
			writeError(w, r, a.log, err)
			return
		}
		var modified time.Time
		for i := range places {
			if places[i].Updated.After(modified) {
				modified = places[i].Updated
			}
		}
		var buf bytes.Buffer
		write, media := opendata.WriteMediationPlacesJSON, mediaJSON
		if csv {
			write, media = opendata.WriteMediationPlacesCSV, "text/csv; charset=utf-8"
		}
		if err := write(&buf, places); err != nil {
			writeError(w, r, a.log, err)
			return
		}
		serveDoc(w, r, media, modified, buf.Bytes())
	}
}
