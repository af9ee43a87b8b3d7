package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/opendata/opendatatest"
	"github.com/civickit/civickit/reference-server/httpapi"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// newOpenDataServer serves n generated datasets and a few whose
// identifiers are not CKAN names (URLs, capitals, accents), as harvested
// catalogues give.
func newOpenDataServer(t testing.TB, n int) (*httptest.Server, *opendata.Service, []*opendata.Dataset) {
	t.Helper()
	svc, err := opendata.NewService(storage.NewDatasetStore(storagetest.Open(t, storage.SQLite)), opendata.Options{})
	require.NoError(t, err)
	rng := opendatatest.NewRand(5)
	var ds []*opendata.Dataset
	for i := range n {
		d := opendatatest.NewDataset(rng, i)
		switch i % 7 {
		case 1:
			d.Identifier = fmt.Sprintf("https://www.data.gouv.fr/fr/datasets/%024x/", i)
		case 2:
			d.Identifier = fmt.Sprintf("Budget-Ville-%d", i)
		case 3:
			d.Identifier = fmt.Sprintf("qualité de l'air %d", i)
		}
		if i%4 == 0 { // reuses, written in every form the server serves
			d.Reuses = []opendata.Reuse{{URL: fmt.Sprintf("https://reuse.example.net/carte-%d", i), Title: opendata.Text{"fr": "Carte"},
				Type: opendata.ReuseVisualization, Organization: &opendata.Agent{Name: opendata.Text{"fr": "Association Données Citoyennes"}, Type: opendata.AgentNonProfit}}}
		}
		got, err := svc.CreateDataset(t.Context(), d)
		require.NoError(t, err)
		ds = append(ds, got)
	}
	h := httpapi.New(httpapi.Deps{OpenData: &httpapi.OpenData{
		Service:  svc,
		Catalog:  opendata.Catalog{IRI: "https://data.example.org/catalog", Title: opendata.Text{"fr": "Données de la ville"}, Description: opendata.Text{"fr": "Le catalogue"}, Publisher: &opendatatest.Publishers[0]},
		PageSize: 10,
	}})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, svc, ds
}

type ckanEnvelope struct {
	Help    string          `json:"help"`
	Success bool            `json:"success"`
	Result  json.RawMessage `json:"result"`
	Error   map[string]any  `json:"error"`
}

func call(t *testing.T, method, u string, body io.Reader) (int, http.Header, ckanEnvelope) {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	require.NoError(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var env ckanEnvelope
	require.NoError(t, json.Unmarshal(b, &env), "%s %s: %s", method, u, b)
	return resp.StatusCode, resp.Header, env
}

// Replay of ckanext-harvest's CKANHarvester (ckan/ckanext-harvest,
// ckanext/harvest/harvesters/ckanharvester.py: gather_stage and
// _search_for_datasets): GET <base>/api/2/action/package_search with
// rows=100&start=0&sort=id asc, start += rows until a page is empty, ids
// de-duplicated; a later run adds fq=metadata_modified:[<since>Z TO *]
// where since is datetime.isoformat() (microseconds) an hour before the
// last run; with remote_orgs=create it then calls organization_show?id=
// <owner_org> for each organisation.
func TestReplayCKANextHarvest(t *testing.T) {
	srv, svc, ds := newOpenDataServer(t, 230)
	gather := func(fq string) []map[string]any {
		params := url.Values{"rows": {"100"}, "start": {"0"}, "sort": {"id asc"}}
		if fq != "" {
			params.Set("fq", fq)
		}
		var pkgs []map[string]any
		seen := map[string]bool{}
		var previous string
		for range 50 {
			status, h, env := call(t, http.MethodGet, srv.URL+"/api/2/action/package_search?"+params.Encode(), nil)
			require.Equal(t, http.StatusOK, status)
			assert.Equal(t, "application/json", strings.Split(h.Get("Content-Type"), ";")[0])
			require.True(t, env.Success, "%v", env.Error)
			require.NotEqual(t, previous, string(env.Result), "the paging doesn't seem to work")
			previous = string(env.Result)
			var res struct {
				Results []map[string]any `json:"results"`
			}
			require.NoError(t, json.Unmarshal(env.Result, &res))
			if len(res.Results) == 0 {
				return pkgs
			}
			for _, p := range res.Results {
				id := p["id"].(string)
				if !seen[id] {
					seen[id] = true
					pkgs = append(pkgs, p)
				}
			}
			start := params.Get("start")
			var n int
			fmt.Sscan(start, &n)
			params.Set("start", fmt.Sprint(n+100))
		}
		t.Fatal("paging never ended")
		return nil
	}
	all := gather("")
	assert.Len(t, all, len(ds), "every dataset gathered once")

	// An incremental run: touch some datasets after the first run.
	lastRun := time.Now().UTC()
	time.Sleep(2 * time.Millisecond)
	for _, d := range ds[:5] {
		d.Version = "2"
		_, err := svc.UpdateDataset(t.Context(), *d)
		require.NoError(t, err)
	}
	since := lastRun.Format("2006-01-02T15:04:05.000000")
	changed := gather("metadata_modified:[" + since + "Z TO *]")
	var ids []string
	for _, p := range changed {
		ids = append(ids, p["id"].(string))
	}
	var want []string
	for _, d := range ds[:5] {
		want = append(want, d.ID.String())
	}
	assert.ElementsMatch(t, want, ids)
	// With its organisation filter, as the harvester writes it.
	org := all[0]["organization"].(map[string]any)["name"].(string)
	filtered := gather("organization:" + org + " metadata_modified:[" + since + "Z TO *]")
	for _, p := range filtered {
		assert.Equal(t, org, p["organization"].(map[string]any)["name"])
	}

	// remote_orgs=create: organization_show on each owner_org.
	for _, p := range all {
		owner, _ := p["owner_org"].(string)
		if owner == "" {
			continue
		}
		status, _, env := call(t, http.MethodGet, srv.URL+"/api/2/action/organization_show?id="+url.QueryEscape(owner), nil)
		require.Equal(t, http.StatusOK, status)
		var o map[string]any
		require.NoError(t, json.Unmarshal(env.Result, &o))
		assert.Equal(t, owner, o["id"])
	}
}

// Replay of udata's CKAN backend (opendatateam/udata-ckan,
// udata_ckan/harvesters.py, CkanBackend.inner_harvest and
// inner_process_dataset): GET <base>/api/3/action/package_list, then
// package_show?id=<name> for every name, each result validated with the
// backend's schema (udata_ckan/schemas/ckan.py, checked by udataSchema
// below); with filters, package_search?q=organization:x AND tags:y&rows=
// 1000 and the names of its results.
func TestReplayUdataCKANBackend(t *testing.T) {
	srv, _, ds := newOpenDataServer(t, 40)
	status, h, env := call(t, http.MethodGet, srv.URL+"/api/3/action/package_list", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "application/json", strings.Split(h.Get("Content-Type"), ";")[0], "udata reads only application/json answers")
	var names []string
	require.NoError(t, json.Unmarshal(env.Result, &names))
	require.Len(t, names, len(ds))
	ok := 0
	for _, name := range names {
		status, _, env := call(t, http.MethodGet, srv.URL+"/api/3/action/package_show?id="+url.QueryEscape(name), nil)
		require.Equal(t, http.StatusOK, status, name)
		require.True(t, env.Success, name)
		var pkg map[string]any
		require.NoError(t, json.Unmarshal(env.Result, &pkg))
		if errs := udataSchema(pkg); assert.Empty(t, errs, "package %s", name) {
			ok++
		}
		_, err := uuid.Parse(pkg["id"].(string))
		assert.NoError(t, err, "udata keys resources and datasets by UUID")
	}
	t.Logf("udata CKAN backend: %d/%d package_show answers pass its schema", ok, len(names))

	// get_status: GET /api/util/status, CKAN's unwrapped status.
	resp, err := http.Get(srv.URL + "/api/util/status")
	require.NoError(t, err)
	var st map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&st))
	resp.Body.Close()
	assert.Equal(t, opendata.CKANAPIVersion, st["ckan_version"])

	// The filtered sequence.
	var org, tag string
	for _, d := range ds {
		if d.Publisher != nil && len(d.Keywords["fr"]) > 0 {
			org, tag = opendata.PublisherKey(d.Publisher), d.Keywords["fr"][0]
			break
		}
	}
	q := fmt.Sprintf("organization:%s AND tags:%q", org, tag)
	status, _, env = call(t, http.MethodGet, srv.URL+"/api/3/action/package_search?"+url.Values{"q": {q}, "rows": {"1000"}}.Encode(), nil)
	require.Equal(t, http.StatusOK, status, "%v", env.Error)
	var res struct {
		Count   int              `json:"count"`
		Results []map[string]any `json:"results"`
	}
	require.NoError(t, json.Unmarshal(env.Result, &res))
	require.NotEmpty(t, res.Results)
	for _, p := range res.Results {
		status, _, _ := call(t, http.MethodGet, srv.URL+"/api/3/action/package_show?id="+url.QueryEscape(p["name"].(string)), nil)
		assert.Equal(t, http.StatusOK, status)
	}
	// udata's "fix" mode for old CKANs: POST '{}' with the parameters in
	// the query string.
	status, _, env = call(t, http.MethodPost, srv.URL+"/api/3/action/package_show?id="+url.QueryEscape(names[0]), strings.NewReader("{}"))
	assert.Equal(t, http.StatusOK, status)
	assert.True(t, env.Success)
}

// udataSchema checks a package_show result the way udata's CKAN backend
// validates it (udata_ckan/schemas/ckan.py, voluptuous, required=True,
// extra=True): the facts of that schema, restated here.
func udataSchema(p map[string]any) []string {
	var errs []string
	bad := func(path, why string) { errs = append(errs, path+": "+why) }
	str := func(m map[string]any, path, k string, nullable bool) (string, bool) {
		v, ok := m[k]
		if !ok {
			bad(path+k, "required")
			return "", false
		}
		if v == nil {
			if !nullable {
				bad(path+k, "not null")
			}
			return "", false
		}
		s, isStr := v.(string)
		if !isStr {
			bad(path+k, "string")
		}
		return s, isStr
	}
	date := func(m map[string]any, path, k string, nullable bool) {
		if s, ok := str(m, path, k, nullable); ok {
			if _, err := time.Parse("2006-01-02T15:04:05.999999", s); err != nil {
				if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
					bad(path+k, "date")
				}
			}
		}
	}
	boolean := func(m map[string]any, path, k string) {
		if _, ok := m[k].(bool); !ok {
			bad(path+k, "boolean")
		}
	}
	email := func(m map[string]any, path, k string) {
		if s, ok := str(m, path, k, true); ok && s != "" {
			if _, err := mail.ParseAddress(s); err != nil {
				bad(path+k, "email")
			}
		}
	}
	for _, k := range []string{"id", "name", "title"} {
		str(p, "", k, false)
	}
	str(p, "", "notes", true)
	str(p, "", "license_id", true) // DefaultTo('not-specified')
	str(p, "", "license_title", true)
	date(p, "", "metadata_created", false)
	date(p, "", "metadata_modified", false)
	boolean(p, "", "private")
	if p["type"] != "dataset" {
		bad("type", "dataset")
	}
	str(p, "", "author", true)
	email(p, "", "author_email")
	str(p, "", "maintainer", true)
	email(p, "", "maintainer_email")
	str(p, "", "state", true)
	tags, _ := p["tags"].([]any)
	if _, ok := p["tags"].([]any); !ok {
		bad("tags", "list")
	}
	for i, x := range tags {
		m, _ := x.(map[string]any)
		path := fmt.Sprintf("tags[%d].", i)
		str(m, path, "id", false)
		str(m, path, "name", false)
	}
	if o, ok := p["organization"].(map[string]any); ok {
		for _, k := range []string{"id", "description", "title", "name", "state", "image_url", "revision_id"} {
			str(o, "organization.", k, false)
		}
		date(o, "organization.", "created", false)
		date(o, "organization.", "revision_timestamp", false)
		boolean(o, "organization.", "is_organization")
		if o["type"] != "organization" || o["approval_status"] != "approved" {
			bad("organization", "type organization, approval_status approved")
		}
	} else if p["organization"] != nil {
		bad("organization", "object or null")
	}
	res, ok := p["resources"].([]any)
	if !ok {
		bad("resources", "list")
	}
	for i, x := range res {
		m, _ := x.(map[string]any)
		path := fmt.Sprintf("resources[%d].", i)
		str(m, path, "id", false)
		if _, ok := m["position"].(float64); !ok {
			bad(path+"position", "int")
		}
		str(m, path, "description", false)
		str(m, path, "format", false)
		str(m, path, "mimetype", true)
		if v, ok := m["size"]; !ok || (v != nil && fmt.Sprint(v) == "") {
			bad(path+"size", "int or null")
		}
		str(m, path, "hash", true)
		date(m, path, "created", false)
		date(m, path, "last_modified", true)
		if s, ok := str(m, path, "url", false); ok {
			if u, err := url.Parse(s); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				bad(path+"url", "url")
			}
		}
		rt := m["resource_type"]
		if rt != nil && rt != "" && !slices.Contains([]any{"file", "file.upload", "api", "documentation", "image", "visualization"}, rt) {
			bad(path+"resource_type", "one of udata's RESOURCE_TYPES")
		}
		// The backend imports only these (ALLOWED_RESOURCE_TYPES).
		if rt != "file" && rt != "file.upload" && rt != "api" {
			bad(path+"resource_type", "imported by udata")
		}
	}
	extras, ok := p["extras"].([]any)
	if !ok {
		bad("extras", "list")
	}
	for i, x := range extras {
		m, _ := x.(map[string]any)
		str(m, fmt.Sprintf("extras[%d].", i), "key", false)
	}
	return errs
}

// The ckanapi client (ckan/ckanapi, RemoteCKAN.call_action) POSTs every
// action as a JSON body to <base>/api/action/<name>; its usual calls.
func TestReplayCKANAPIClient(t *testing.T) {
	srv, _, ds := newOpenDataServer(t, 20)
	post := func(action, body string) (int, ckanEnvelope) {
		status, h, env := call(t, http.MethodPost, srv.URL+"/api/action/"+action, strings.NewReader(body))
		assert.Equal(t, "*", h.Get("Access-Control-Allow-Origin"))
		return status, env
	}
	calls := []struct {
		action, body string
		status       int
	}{
		{"status_show", `{}`, 200},
		{"package_list", `{}`, 200},
		{"package_list", `{"limit": 5, "offset": 2}`, 200},
		{"package_search", `{"q": "budget", "rows": 5}`, 200},
		{"package_search", `{"fq": "res_format:CSV", "facet.field": ["organization", "tags"], "rows": 0}`, 200},
		{"package_search", `{"rows": 1001, "sort": "metadata_modified desc"}`, 200},
		{"package_search", `{"sort": "score desc, metadata_modified desc", "start": 5}`, 200},
		{"package_show", fmt.Sprintf(`{"id": %q}`, ds[1].Identifier), 200},
		{"package_show", fmt.Sprintf(`{"id": %q}`, ds[2].ID), 200},
		{"package_show", fmt.Sprintf(`{"id": %q}`, opendata.PackageName(ds[3])), 200},
		{"organization_list", `{"all_fields": true}`, 200},
		{"tag_list", `{}`, 200},
		{"license_list", `{}`, 200},
		{"package_show", `{"id": "no-such-dataset"}`, 404},
		{"package_search", `{"fq": "tags:\"x"}`, 409},
		{"datastore_search", `{"resource_id": "x"}`, 400},
	}
	passed := 0
	for _, c := range calls {
		status, env := post(c.action, c.body)
		if assert.Equal(t, c.status, status, "%s %s: %v", c.action, c.body, env.Error) &&
			assert.Equal(t, c.status == 200, env.Success, c.action) {
			passed++
		}
		if c.status != 200 {
			assert.NotEmpty(t, env.Error["__type"], "%s: CKAN error object", c.action)
		}
	}
	t.Logf("ckanapi client calls: %d/%d answered as CKAN does", passed, len(calls))

	// rows=1001 is cut to 1000, not refused.
	_, env := post("package_search", `{"rows": 1001}`)
	var res struct {
		Results []any `json:"results"`
	}
	require.NoError(t, json.Unmarshal(env.Result, &res))
	assert.Len(t, res.Results, len(ds))
}

// Golden shapes: every key a real CKAN (demo.ckan.org, recorded in 2017;
// see testdata/ckan/README.md) answers with is present, with a value of
// one of the types it had there.
func TestCKANGoldenShapes(t *testing.T) {
	srv, _, ds := newOpenDataServer(t, 15)
	b, err := os.ReadFile("testdata/ckan/demo-ckan-org-2017-shapes.json")
	require.NoError(t, err)
	var golden map[string]map[string][]string
	require.NoError(t, json.Unmarshal(b, &golden))
	typ := func(v any) string {
		switch v.(type) {
		case nil:
			return "null"
		case string:
			return "string"
		case float64:
			return "number"
		case bool:
			return "boolean"
		case []any:
			return "array"
		}
		return "object"
	}
	check := func(kind string, m map[string]any) {
		for k, types := range golden[kind] {
			v, ok := m[k]
			if !assert.True(t, ok, "%s: key %q missing", kind, k) {
				continue
			}
			// null stands for a missing value of the recorded type; a key
			// only ever null there takes any type.
			if v != nil && !slices.Equal(types, []string{"null"}) {
				assert.Contains(t, types, typ(v), "%s.%s", kind, k)
			}
		}
	}
	var d *opendata.Dataset
	for _, x := range ds {
		if x.Publisher != nil && len(x.Distributions) > 0 {
			d = x
			break
		}
	}
	require.NotNil(t, d)
	for _, u := range []string{
		"/api/3/action/package_show?id=" + d.ID.String(),
		"/api/3/action/package_search?facet.field=%5B%22groups%22,%22res_format%22,%22organization%22%5D&fq=&rows=3&sort=name+asc&start=0",
	} {
		var raw map[string]any
		resp, err := http.Get(srv.URL + u)
		require.NoError(t, err)
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&raw))
		resp.Body.Close()
		check("envelope", raw)
		result := raw["result"].(map[string]any)
		pkgs := []any{result}
		if _, ok := result["results"]; ok {
			check("package_search_result", result)
			pkgs = result["results"].([]any)
		}
		for _, x := range pkgs {
			p := x.(map[string]any)
			check("package", p)
			for _, r := range p["resources"].([]any) {
				check("resource", r.(map[string]any))
			}
			for _, tg := range p["tags"].([]any) {
				check("tag", tg.(map[string]any))
			}
			if o, ok := p["organization"].(map[string]any); ok {
				check("organization", o)
			}
		}
	}
}

func TestOpenDataRoutes(t *testing.T) {
	srv, _, ds := newOpenDataServer(t, 25)
	get := func(path string, hdr ...string) (*http.Response, []byte) {
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		require.NoError(t, err)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp, b
	}
	cases := []struct {
		path, accept, ctype string
	}{
		{"/catalog", "", "text/turtle"},
		{"/catalog", "application/ld+json", "application/ld+json"},
		{"/catalog", "text/turtle;q=0.5, application/ld+json;q=0.9", "application/ld+json"},
		{"/catalog.ttl", "", "text/turtle"},
		{"/catalog.jsonld", "", "application/ld+json"},
		{"/catalog.rdf", "", "application/rdf+xml"},
		{"/catalog.nt?page=2", "", "application/n-triples"},
		{"/catalog", "application/rdf+xml", "application/rdf+xml"},
		{"/datasets/" + ds[0].ID.String(), "application/rdf+xml", "application/rdf+xml"},
		{"/catalog.ttl?page=3", "", "text/turtle"},
		{"/data.json", "", "application/json"},
		{"/datasets/" + ds[0].ID.String(), "", "text/html"},
		{"/datasets/" + url.PathEscape(opendata.PackageName(ds[1])), "", "text/html"},
		{"/datasets/" + ds[0].ID.String(), "text/turtle", "text/turtle"},
		{"/datasets/" + ds[0].ID.String() + "/datapackage.json", "", "application/json"},
	}
	for _, c := range cases {
		resp, body := get(c.path, "Accept", c.accept)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", c.path, body)
		assert.Equal(t, c.ctype, strings.Split(resp.Header.Get("Content-Type"), ";")[0], c.path)
		assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"), c.path)
		etag := resp.Header.Get("ETag")
		require.NotEmpty(t, etag, c.path)
		// Conditional GET.
		again, rest := get(c.path, "Accept", c.accept, "If-None-Match", etag)
		assert.Equal(t, http.StatusNotModified, again.StatusCode, c.path)
		assert.Empty(t, rest)
		if lm := resp.Header.Get("Last-Modified"); lm != "" {
			again, _ := get(c.path, "Accept", c.accept, "If-Modified-Since", lm)
			assert.Equal(t, http.StatusNotModified, again.StatusCode, c.path)
		}
	}

	// Paging: hydra links walk every dataset once; the pages are what a
	// DCAT harvester reads.
	var seen []string
	next := srv.URL + "/catalog.ttl"
	for range 10 {
		resp, body := get(strings.TrimPrefix(next, srv.URL))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		res, err := opendata.ReadTurtle(bytes.NewReader(body), opendata.ReadOptions{Base: next})
		require.NoError(t, err)
		for _, d := range res.Catalog.Datasets {
			seen = append(seen, d.Identifier)
		}
		if next = res.NextPage(); next == "" {
			break
		}
	}
	assert.Len(t, seen, len(ds))
	// The same walk in RDF/XML, as udata's DCAT backend reads it.
	seen = nil
	next = srv.URL + "/catalog.rdf"
	for range 10 {
		resp, body := get(strings.TrimPrefix(next, srv.URL))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		res, err := opendata.ReadRDFXML(bytes.NewReader(body), opendata.ReadOptions{Base: next})
		require.NoError(t, err)
		for _, d := range res.Catalog.Datasets {
			seen = append(seen, d.Identifier)
		}
		if next = res.NextPage(); next == "" {
			break
		}
	}
	assert.Len(t, seen, len(ds))

	// The landing page carries schema.org JSON-LD, and nothing breaks out
	// of its script block.
	_, page := get("/datasets/" + ds[0].ID.String())
	assert.Contains(t, string(page), `<script type="application/ld+json">`)
	assert.Contains(t, string(page), `"@type": "Dataset"`)
	assert.Contains(t, string(page), `href="/datasets/`+ds[0].ID.String()+`/datapackage.json"`)

	for _, bad := range []string{"/datasets/nope", "/datasets/nope/datapackage.json"} {
		resp, _ := get(bad)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, bad)
	}
	resp, _ := get("/catalog.ttl?page=0")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)

	// CORS preflight of the CKAN API.
	req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/api/3/action/package_search", nil)
	req.Header.Set("Origin", "https://reuse.example.net")
	req.Header.Set("Access-Control-Request-Method", "POST")
	pre, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	pre.Body.Close()
	assert.Equal(t, http.StatusNoContent, pre.StatusCode)
	assert.Contains(t, pre.Header.Get("Access-Control-Allow-Methods"), "POST")
}

// TestWriteServedCatalog writes what the server serves (catalogue in
// Turtle and JSON-LD, each hydra page, data.json, one datapackage.json)
// into $CIVICKIT_OPENDATA_SERVED_DIR, for the real validators:
//
//	CIVICKIT_OPENDATA_SERVED_DIR=/tmp/served go test ./reference-server/httpapi -run TestWriteServedCatalog
//	node .ci/opendata/validate.mjs /tmp/served
func TestWriteServedCatalog(t *testing.T) {
	dir := os.Getenv("CIVICKIT_OPENDATA_SERVED_DIR")
	if dir == "" {
		t.Skip("CIVICKIT_OPENDATA_SERVED_DIR not set")
	}
	srv, svc, ds := newOpenDataServer(t, 12)
	// The mediation places directory's dataset, as MediationDirectory
	// publishes it.
	_, err := svc.UpsertDataset(t.Context(), opendata.MediationDataset(
		[]opendata.MediationPlace{opendatatest.MediationPlace("epn-1")},
		opendata.MediationDatasetOptions{BaseURL: "https://data.example.org", Publisher: &opendatatest.Publishers[0],
			ContactPoints: []opendata.Contact{{Name: "Service inclusion numérique", Email: "inclusion-numerique@example.org"}}}))
	require.NoError(t, err)
	save := func(path, name string) {
		resp, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode, path)
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
	}
	// PageSize 10: the whole catalogue is read from the pages; the unpaged
	// files come from a server with one page.
	for p := 1; p <= 2; p++ {
		save(fmt.Sprintf("/catalog.ttl?page=%d", p), fmt.Sprintf("pages/catalog-%d.ttl", p))
		save(fmt.Sprintf("/catalog.jsonld?page=%d", p), fmt.Sprintf("pages/catalog-%d.jsonld", p))
	}
	save("/data.json", "data.json")
	// A dataset with a table: the validator wants one.
	for _, d := range ds {
		if slices.ContainsFunc(d.Distributions, func(x opendata.Distribution) bool { return x.IsTabular() }) {
			save("/datasets/"+d.ID.String()+"/datapackage.json", "datapackage.json")
			break
		}
	}
	save("/catalog.ttl?page=1", "catalog.ttl")
	save("/catalog.jsonld?page=1", "catalog.jsonld")
}

// Reuses appear on the landing page and in the DCAT description; a
// person given as a reuse's author is never shown.
func TestLandingPageShowsReuses(t *testing.T) {
	srv, svc, ds := newOpenDataServer(t, 1)
	d := *ds[0]
	d.Reuses = []opendata.Reuse{
		{URL: "https://reuse.example.net/carte", Title: opendata.Text{"": "Carte des collectes"}, Type: opendata.ReuseVisualization,
			Organization: &opendata.Agent{Name: opendata.Text{"": "Association Données Citoyennes"}}},
		{URL: "https://blog.example.net/billet", Title: opendata.Text{"": "Un billet"}, Type: opendata.ReuseArticle,
			Organization: &opendata.Agent{Kind: opendata.AgentPerson, Name: opendata.Text{"": "Jeanne Canary"}}},
	}
	_, err := svc.UpdateDataset(t.Context(), d)
	require.NoError(t, err)
	for _, accept := range []string{"text/html", "text/turtle"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/datasets/"+d.ID.String(), nil)
		req.Header.Set("Accept", accept)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Contains(t, string(b), "https://reuse.example.net/carte", accept)
		assert.Contains(t, string(b), "Carte des collectes", accept)
		assert.Contains(t, string(b), "Association Données Citoyennes", accept)
		assert.NotContains(t, string(b), "Canary", accept)
	}
}
