package opendata_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
)

// recordingTarget is the consumer interface HarvestTarget implemented the
// simplest way: it keeps the last dataset per identifier and counts calls.
// (A real store passes opendatatest's conformance suite; the harvester only
// needs this one method.)
type recordingTarget struct {
	mu       sync.Mutex
	byID     map[string]*opendata.Dataset
	order    []string
	calls    int
	failWith map[string]error
}

func newRecordingTarget() *recordingTarget {
	return &recordingTarget{byID: make(map[string]*opendata.Dataset), failWith: make(map[string]error)}
}

func (r *recordingTarget) UpsertDataset(_ context.Context, d *opendata.Dataset) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if err := r.failWith[d.Identifier]; err != nil {
		return false, err
	}
	_, exists := r.byID[d.Identifier]
	if !exists {
		r.order = append(r.order, d.Identifier)
	}
	cp := *d
	r.byID[d.Identifier] = &cp
	return !exists, nil
}

// httpFetch adapts an http.Client to a FetchFunc, as an application would.
func httpFetch(c *http.Client) opendata.FetchFunc {
	return func(ctx context.Context, u string) (*opendata.Fetched, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		resp, err := c.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s: %s", u, resp.Status)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
		if err != nil {
			return nil, err
		}
		return &opendata.Fetched{URL: resp.Request.URL.String(), MediaType: resp.Header.Get("Content-Type"), Body: body}, nil
	}
}

// bigCatalog is harvestCatalog with n more minimal datasets, so that it
// spans several pages.
func bigCatalog(n int) *opendata.Catalog {
	c := harvestCatalog()
	for i := 0; i < n; i++ {
		id := "extra-" + strconv.Itoa(i)
		c.Datasets = append(c.Datasets, &opendata.Dataset{
			Identifier:  id,
			IRI:         "https://data.example.org/dataset/" + id,
			Title:       opendata.Text{"fr": "Jeu " + strconv.Itoa(i)},
			Description: opendata.Text{"fr": "Description " + strconv.Itoa(i)},
			Distributions: []opendata.Distribution{{
				AccessURL: "https://data.example.org/files/" + id + ".csv", Format: opendata.FileTypeCSV,
				License: opendata.DefaultLicense(),
			}},
		})
	}
	return c
}

// pagedServer serves c in pages of size at /catalog.<ext>?page=n.
func pagedServer(t *testing.T, c *opendata.Catalog, size int, format opendata.Format) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		n, err := strconv.Atoi(req.URL.Query().Get("page"))
		if err != nil {
			n = 1
		}
		pageIRI := func(k int) string { return srv.URL + req.URL.Path + "?page=" + strconv.Itoa(k) }
		pc, p, err := opendata.Paginate(c, n, size, pageIRI)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		switch format {
		case opendata.FormatTurtle:
			w.Header().Set("Content-Type", "text/turtle; charset=utf-8")
			err = opendata.WritePagedTurtle(w, pc, p)
		default:
			w.Header().Set("Content-Type", "application/ld+json")
			err = opendata.WritePagedJSONLD(w, pc, p)
		}
		if err != nil {
			t.Error(err)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestHarvestFollowsPagingIdempotently(t *testing.T) {
	for _, format := range []opendata.Format{opendata.FormatTurtle, opendata.FormatJSONLD} {
		t.Run(string(format), func(t *testing.T) {
			c := bigCatalog(5) // 7 datasets: pages of 3, 3, 1
			srv := pagedServer(t, c, 3, format)
			target := newRecordingTarget()
			clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
			h := opendata.NewHarvester(opendata.HarvesterOptions{
				Fetch: httpFetch(srv.Client()),
				Now:   func() time.Time { return clock },
			})
			ctx := context.Background()
			rep, err := h.Harvest(ctx, srv.URL+"/catalog?page=1", target)
			require.NoError(t, err)
			assert.Equal(t, []string{srv.URL + "/catalog?page=1", srv.URL + "/catalog?page=2", srv.URL + "/catalog?page=3"}, rep.Pages)
			assert.Equal(t, 7, rep.Created)
			assert.Equal(t, 0, rep.Updated)
			assert.Empty(t, rep.Skipped())
			assert.Equal(t, clock, rep.Started)
			assert.Equal(t, clock, rep.Finished)
			// The series and service, repeated on every page, are kept once.
			assert.Equal(t, writtenForm(c).Series, rep.Series)
			assert.Equal(t, writtenForm(c).Services, rep.Services)
			for _, p := range rep.Problems {
				// What O1's writer writes maps entirely: only validation
				// warnings (recommended properties of the minimal datasets).
				assert.Equal(t, opendata.SeverityWarning, p.Severity, p.String())
				assert.Equal(t, opendata.RuleRecommended, p.Rule, p.String())
			}
			want := writtenForm(c)
			require.Len(t, target.order, len(want.Datasets))
			for i, d := range want.Datasets {
				assert.Equal(t, d.Identifier, target.order[i])
				assert.Equal(t, d, target.byID[d.Identifier], d.Identifier)
			}

			// A second harvest updates; nothing new is created.
			rep, err = h.Harvest(ctx, srv.URL+"/catalog?page=1", target)
			require.NoError(t, err)
			assert.Equal(t, 0, rep.Created)
			assert.Equal(t, 7, rep.Updated)
			assert.Len(t, target.byID, 7)
			assert.Equal(t, 14, target.calls)
		})
	}
}

func TestHarvestDataJSON(t *testing.T) {
	body := readFixture(t, "catalog-sample-extended.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	target := newRecordingTarget()
	h := opendata.NewHarvester(opendata.HarvesterOptions{Fetch: httpFetch(srv.Client())})
	rep, err := h.Harvest(context.Background(), srv.URL+"/data.json", target)
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Created)
	assert.Equal(t, []string{"http://dx.doi.org/10.7927/H4PZ56R2", "http://dx.doi.org/10.7927/H4K64G12", "http://dx.doi.org/10.7927/H49P2ZKM"}, target.order)
	var unknown []string
	for _, p := range rep.Problems {
		assert.Equal(t, srv.URL+"/data.json", p.URL)
		if p.Rule == opendata.RuleUnknown {
			unknown = append(unknown, p.Path+" "+p.Param)
		}
	}
	assert.Contains(t, unknown, "datasets[0] bureauCode")
	assert.Contains(t, unknown, "datasets[0].publisher subOrganizationOf")
}

// The JSON-LD example names a remote context: the harvester fetches it
// with the same FetchFunc, or takes it from HarvesterOptions.Contexts.
func TestHarvestJSONLDRemoteContext(t *testing.T) {
	ctxDoc := readFixture(t, "context.jsonld")
	var contextFetches int
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/context.jsonld", func(w http.ResponseWriter, _ *http.Request) {
		contextFetches++
		w.Header().Set("Content-Type", "application/ld+json")
		_, _ = w.Write(ctxDoc)
	})
	mux.HandleFunc("/catalog.jsonld", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/ld+json")
		doc := strings.Replace(string(readFixture(t, "example-bee-population.jsonld")), exampleContextURL, srv.URL+"/context.jsonld", 1)
		_, _ = io.WriteString(w, doc)
	})
	srv = httptest.NewServer(mux)
	defer srv.Close()

	target := newRecordingTarget()
	h := opendata.NewHarvester(opendata.HarvesterOptions{Fetch: httpFetch(srv.Client())})
	rep, err := h.Harvest(context.Background(), srv.URL+"/catalog.jsonld", target)
	require.NoError(t, err)
	assert.Equal(t, 1, contextFetches)
	assert.Equal(t, 1, rep.Created)
	// No dct:identifier: the IRI stands in, with a warning.
	const iri = "https://data.gov.gr/id/dataset/BeePopulation"
	require.Contains(t, target.byID, iri)
	assert.Equal(t, opendata.Text{"en": "Bee population"}, target.byID[iri].Title)
	assert.Contains(t, rep.Problems, opendata.HarvestProblem{URL: srv.URL + "/catalog.jsonld", Finding: opendata.Finding{
		Path: "datasets[0].identifier", Rule: opendata.RuleMandatory, Param: "dct:identifier missing: the IRI is used", Severity: opendata.SeverityWarning,
	}})

	// Preloaded contexts are not fetched.
	doc := &opendata.Fetched{MediaType: "application/ld+json", Body: readFixture(t, "example-bee-population.jsonld")}
	h = opendata.NewHarvester(opendata.HarvesterOptions{Contexts: fixtureContexts(t)})
	rep, err = h.HarvestDocument(context.Background(), doc, target)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Updated)
}

// A hand-made page server for paging edge cases: page n links to next(n).
func linkServer(t *testing.T, next func(base string, n int) string) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		n, _ := strconv.Atoi(req.URL.Query().Get("page"))
		w.Header().Set("Content-Type", "text/turtle")
		fmt.Fprintf(w, `@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
<%[1]s/d/%[2]d> a dcat:Dataset ; dct:identifier "d%[2]d" ; dct:title "D%[2]d"@en ; dct:description "d"@en .
<%[1]s/catalog?page=%[2]d> a hydra:PartialCollectionView`, srv.URL, n)
		if nx := next(srv.URL, n); nx != "" {
			fmt.Fprintf(w, " ;\n  hydra:next <%s>", nx)
		}
		fmt.Fprint(w, " .\n")
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestHarvestPagingGuards(t *testing.T) {
	for _, tc := range []struct {
		name     string
		next     func(base string, n int) string
		maxPages int
		pages    int
		problem  string
	}{
		{"loop back to page 1", func(b string, n int) string {
			if n == 3 {
				return b + "/catalog?page=1"
			}
			return b + "/catalog?page=" + strconv.Itoa(n+1)
		}, 0, 3, "page already read"},
		{"another host", func(string, int) string { return "https://elsewhere.example/catalog?page=2" }, 0, 1, "leads to another host"},
		{"relative link", func(_ string, n int) string {
			if n < 2 {
				return "?page=" + strconv.Itoa(n+1)
			}
			return ""
		}, 0, 2, ""},
		{"endless", func(b string, n int) string { return b + "/catalog?page=" + strconv.Itoa(n+1) }, 4, 4, "more than 4 pages"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := linkServer(t, tc.next)
			target := newRecordingTarget()
			h := opendata.NewHarvester(opendata.HarvesterOptions{Fetch: httpFetch(srv.Client()), MaxPages: tc.maxPages})
			rep, err := h.Harvest(context.Background(), srv.URL+"/catalog?page=1", target)
			require.NoError(t, err)
			assert.Len(t, rep.Pages, tc.pages)
			assert.Equal(t, tc.pages, rep.Created)
			found := false
			for _, p := range rep.Problems {
				if tc.problem != "" && strings.Contains(p.Param, tc.problem) {
					found = true
					assert.Equal(t, opendata.SeverityViolation, p.Severity)
				}
			}
			assert.Equal(t, tc.problem != "", found, "%v", rep.Problems)
		})
	}
}

func TestHarvestErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("no fetch", func(t *testing.T) {
		_, err := opendata.NewHarvester(opendata.HarvesterOptions{}).Harvest(ctx, "https://example.org/", newRecordingTarget())
		require.ErrorIs(t, err, opendata.ErrInvalid)
	})
	t.Run("relative start", func(t *testing.T) {
		_, err := opendata.NewHarvester(opendata.HarvesterOptions{Fetch: httpFetch(http.DefaultClient)}).Harvest(ctx, "/catalog", newRecordingTarget())
		require.ErrorIs(t, err, opendata.ErrInvalid)
	})
	t.Run("page fails", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "boom", http.StatusInternalServerError)
		}))
		defer srv.Close()
		rep, err := opendata.NewHarvester(opendata.HarvesterOptions{Fetch: httpFetch(srv.Client())}).Harvest(ctx, srv.URL, newRecordingTarget())
		require.Error(t, err)
		assert.Contains(t, err.Error(), "500")
		assert.Empty(t, rep.Pages)
	})
	t.Run("page is not a catalogue", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/turtle")
			_, _ = io.WriteString(w, "this is not turtle")
		}))
		defer srv.Close()
		_, err := opendata.NewHarvester(opendata.HarvesterOptions{Fetch: httpFetch(srv.Client())}).Harvest(ctx, srv.URL, newRecordingTarget())
		var se *opendata.SyntaxError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, 1, se.Line)
	})
}

func turtleDoc(body string) *opendata.Fetched {
	return &opendata.Fetched{MediaType: "text/turtle", Body: []byte(`@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
` + body)}
}

func TestHarvestDocumentIdentifiers(t *testing.T) {
	ctx := context.Background()
	doc := turtleDoc(`
<https://example.org/d/1> a dcat:Dataset ; dct:identifier "one" ; dct:title "One"@en ; dct:description "d"@en .
<https://example.org/d/1bis> a dcat:Dataset ; dct:identifier "one" ; dct:title "Again"@en ; dct:description "d"@en .
<https://example.org/d/2> a dcat:Dataset ; dct:title "Two"@en ; dct:description "d"@en .
[] a dcat:Dataset ; dct:title "Nameless"@en ; dct:description "d"@en .
`)
	target := newRecordingTarget()
	rep, err := opendata.NewHarvester(opendata.HarvesterOptions{}).HarvestDocument(ctx, doc, target)
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Created)
	assert.Equal(t, []string{"one", "https://example.org/d/2"}, target.order)
	assert.Equal(t, opendata.Text{"en": "One"}, target.byID["one"].Title)
	skipped := rep.Skipped()
	require.Len(t, skipped, 2)
	assert.Equal(t, "datasets[1]", skipped[0].Path)
	assert.ErrorIs(t, skipped[0].Err, opendata.ErrConflict)
	assert.Equal(t, "datasets[3]", skipped[1].Path)
	assert.ErrorIs(t, skipped[1].Err, opendata.ErrInvalid)

	// From a known source, a dataset with neither key is keyed by the
	// source and its title (as ckanext-dcat does), the same on every run.
	doc.URL = "https://src.example/catalog.ttl"
	for range 2 {
		target = newRecordingTarget()
		rep, err = opendata.NewHarvester(opendata.HarvesterOptions{}).HarvestDocument(ctx, doc, target)
		require.NoError(t, err)
		assert.Equal(t, []string{"one", "https://example.org/d/2", "https://src.example/catalog.ttl#nameless"}, target.order)
		require.Len(t, rep.Skipped(), 1, "only the duplicate identifier")
	}
}

func TestHarvestTargetErrors(t *testing.T) {
	ctx := context.Background()
	doc := turtleDoc(`
<https://example.org/d/1> a dcat:Dataset ; dct:identifier "one" ; dct:title "One"@en ; dct:description "d"@en .
<https://example.org/d/2> a dcat:Dataset ; dct:identifier "two" ; dct:title "Two"@en ; dct:description "d"@en .
<https://example.org/d/3> a dcat:Dataset ; dct:identifier "three" ; dct:title "Three"@en ; dct:description "d"@en .
`)
	h := opendata.NewHarvester(opendata.HarvesterOptions{})

	// A refusal of one dataset is recorded; the harvest goes on.
	target := newRecordingTarget()
	target.failWith["two"] = fmt.Errorf("store: %w", opendata.ErrInvalid)
	rep, err := h.HarvestDocument(ctx, doc, target)
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Created)
	require.Len(t, rep.Skipped(), 1)
	assert.Equal(t, "two", rep.Skipped()[0].Identifier)

	// A store that is down stops the harvest.
	target = newRecordingTarget()
	target.failWith["two"] = fmt.Errorf("store: %w", opendata.ErrUnavailable)
	rep, err = h.HarvestDocument(ctx, doc, target)
	require.ErrorIs(t, err, opendata.ErrUnavailable)
	assert.Equal(t, 1, rep.Created)
	assert.Equal(t, []string{"one"}, target.order)

	// A cancelled context stops it too.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = h.HarvestDocument(cctx, doc, newRecordingTarget())
	require.ErrorIs(t, err, context.Canceled)
}

func TestHarvestSkipInvalid(t *testing.T) {
	doc := turtleDoc(`
<https://example.org/d/1> a dcat:Dataset ; dct:identifier "one" ; dct:title "One"@en ; dct:description "d"@en .
<https://example.org/d/2> a dcat:Dataset ; dct:identifier "two" .
`)
	for _, skip := range []bool{false, true} {
		target := newRecordingTarget()
		rep, err := opendata.NewHarvester(opendata.HarvesterOptions{SkipInvalid: skip}).HarvestDocument(context.Background(), doc, target)
		require.NoError(t, err)
		var violations []string
		for _, p := range rep.Problems {
			if p.Severity == opendata.SeverityViolation {
				violations = append(violations, p.Path+" "+p.Rule)
			}
		}
		// The second dataset has neither title nor description.
		assert.Contains(t, violations, "datasets[1].title mandatory")
		assert.Contains(t, violations, "datasets[1].description mandatory")
		if skip {
			assert.Equal(t, []string{"one"}, target.order)
			require.Len(t, rep.Skipped(), 1)
			assert.ErrorIs(t, rep.Skipped()[0].Err, opendata.ErrInvalid)
		} else {
			assert.Equal(t, []string{"one", "two"}, target.order)
		}
	}
}

func TestDetectFormat(t *testing.T) {
	for _, tc := range []struct {
		mediaType, body string
		want            opendata.Format
	}{
		{"text/turtle; charset=utf-8", "{", opendata.FormatTurtle},
		{"application/ld+json", "@prefix", opendata.FormatJSONLD},
		{"application/json", `{"conforms_to": "https://project-open-data.cio.gov/v1.1/schema", "dataset": []}`, opendata.FormatDataJSON},
		{"", `  {"dataset": []}`, opendata.FormatDataJSON},
		{"application/json", `{"@context": {"dcat": "http://www.w3.org/ns/dcat#"}, "@graph": []}`, opendata.FormatJSONLD},
		{"", `[{"@id": "x"}]`, opendata.FormatJSONLD},
		{"text/plain", "@prefix dcat: <http://www.w3.org/ns/dcat#> .", opendata.FormatTurtle},
		{"", "", opendata.FormatTurtle},
	} {
		assert.Equal(t, tc.want, opendata.DetectFormat(tc.mediaType, []byte(tc.body)), "%s %q", tc.mediaType, tc.body)
	}
}

// Every format of the same catalogue harvests to the same identifiers.
func TestHarvestEveryFormatSameIdentifiers(t *testing.T) {
	c := harvestCatalog()
	ctx := context.Background()
	var ttl, jsonld, datajson bytes.Buffer
	require.NoError(t, opendata.WriteTurtle(&ttl, c))
	require.NoError(t, opendata.WriteJSONLD(&jsonld, c))
	require.NoError(t, opendata.WriteDataJSON(&datajson, c, opendata.DataJSONOptions{}))
	var ids [][]string
	for _, b := range []*bytes.Buffer{&ttl, &jsonld, &datajson} {
		target := newRecordingTarget()
		_, err := opendata.NewHarvester(opendata.HarvesterOptions{}).HarvestDocument(ctx, &opendata.Fetched{Body: b.Bytes()}, target)
		require.NoError(t, err)
		ids = append(ids, target.order)
	}
	assert.Equal(t, []string{"budget-2023", "budget-2024"}, ids[0])
	assert.Equal(t, ids[0], ids[1])
	assert.Equal(t, ids[0], ids[2])
}

// CKAN's ckanext-dcat writes its paging links as literals on a
// hydra:PagedCollection, and older versions give formats, media types and
// languages as literals. They are followed and read, the literal forms
// reported as warnings.
func TestHarvestCKANStylePages(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		page, _ := strconv.Atoi(req.URL.Query().Get("page"))
		if page == 0 {
			page = 1
		}
		w.Header().Set("Content-Type", "text/turtle")
		fmt.Fprintf(w, `@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<%[1]s/catalog.ttl> a dcat:Catalog ; dct:title "CKAN" ; dcat:dataset <%[1]s/dataset/d%[2]d> .
<%[1]s/dataset/d%[2]d> a dcat:Dataset ;
    dct:identifier "d%[2]d" ; dct:title "Dataset %[2]d" ; dct:description "About %[2]d." ;
    dct:language "fr" ; dcat:theme "Environment" ; dct:accrualPeriodicity "annual" ;
    dcat:distribution <%[1]s/dataset/d%[2]d/resource/1> .
<%[1]s/dataset/d%[2]d/resource/1> a dcat:Distribution ;
    dcat:accessURL <%[1]s/d%[2]d.csv> ; dct:format "CSV" ; dcat:mediaType "text/csv" .
<%[1]s/catalog.ttl?page=%[2]d> a hydra:PagedCollection ;
    hydra:firstPage "%[1]s/catalog.ttl?page=1" ;
    hydra:lastPage "%[1]s/catalog.ttl?page=2" ;
    hydra:itemsPerPage 1 ; hydra:totalItems 2`, srv.URL, page)
		if page == 1 {
			fmt.Fprintf(w, ` ;
    hydra:nextPage "%s/catalog.ttl?page=2"`, srv.URL)
		}
		fmt.Fprint(w, " .\n")
	}))
	defer srv.Close()
	target := newRecordingTarget()
	rep, err := opendata.NewHarvester(opendata.HarvesterOptions{Fetch: httpFetch(srv.Client())}).Harvest(context.Background(), srv.URL+"/catalog.ttl", target)
	require.NoError(t, err)
	assert.Len(t, rep.Pages, 2)
	assert.Equal(t, []string{"d1", "d2"}, target.order)
	d := target.byID["d2"]
	assert.Equal(t, []opendata.Language{opendata.LanguageFrench}, d.Languages)
	assert.Equal(t, []opendata.Theme{opendata.ThemeEnvironment}, d.Themes)
	assert.Equal(t, opendata.FrequencyAnnual, d.AccrualPeriodicity)
	require.Len(t, d.Distributions, 1)
	assert.Equal(t, opendata.FileTypeCSV, d.Distributions[0].Format)
	assert.Equal(t, opendata.MediaTypeCSV, d.Distributions[0].MediaType)
	var literalForms []string
	for _, p := range rep.Problems {
		if p.Rule == opendata.RuleFormat {
			assert.Equal(t, opendata.SeverityWarning, p.Severity)
			literalForms = append(literalForms, p.Path)
		}
		assert.NotEqual(t, opendata.RuleUnknown, p.Rule, p.String())
	}
	// Per page: language, theme, frequency, format, media type.
	assert.Len(t, literalForms, 10)
}

// Natural persons are not imported: they are removed and reported.
func TestHarvestLeavesOutPersons(t *testing.T) {
	doc := turtleDoc(`@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<https://example.org/d/1> a dcat:Dataset ; dct:identifier "one" ; dct:title "One"@en ; dct:description "d"@en ;
    dct:publisher [ a foaf:Person ; foaf:name "Jeanne Martin" ; foaf:mbox <mailto:jeanne.martin@example.org> ] ;
    dct:creator [ a foaf:Person ; foaf:name "Paul Durand" ], [ a foaf:Organization ; foaf:name "Mairie" ] ;
    dcat:contactPoint [ a vcard:Individual ; vcard:fn "Jeanne Martin" ; vcard:hasTelephone <tel:+33100000001> ],
                      [ a vcard:Organization ; vcard:fn "Accueil" ; vcard:hasEmail <mailto:accueil@example.org> ] ;
    prov:qualifiedAttribution [ a prov:Attribution ; prov:agent [ a foaf:Person ; foaf:name "Paul Durand" ] ;
        dcat:hadRole <http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/originator> ] .
`)
	target := newRecordingTarget()
	rep, err := opendata.NewHarvester(opendata.HarvesterOptions{}).HarvestDocument(context.Background(), doc, target)
	require.NoError(t, err)
	d := target.byID["one"]
	require.NotNil(t, d)
	assert.Nil(t, d.Publisher)
	assert.Equal(t, []opendata.Agent{{Name: opendata.Text{"": "Mairie"}}}, d.Creators)
	assert.Equal(t, []opendata.Contact{{Kind: opendata.ContactOrganization, Name: "Accueil", Email: "accueil@example.org"}}, d.ContactPoints)
	assert.Nil(t, d.Attributions)
	var personal []string
	for _, p := range rep.Problems {
		if p.Rule == opendata.RulePersonal {
			personal = append(personal, p.Path)
		}
	}
	assert.Equal(t, []string{"datasets[0].publisher", "datasets[0].creators[0]", "datasets[0].contact_points[0]", "datasets[0].attributions[0].agent"}, personal)
	for _, p := range rep.Problems {
		for _, v := range []string{"Jeanne", "Durand", "+33100000001", "jeanne.martin"} {
			assert.NotContains(t, p.String(), v, "no personal value in the report")
		}
	}
}
