package opendata_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// ckanPortal answers package_search and package_show from a service, as a
// CKAN portal does (the reference server's handler lives in httpapi, which
// this package cannot import).
func ckanPortal(t *testing.T, svc *opendata.Service) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var result any
		var err error
		switch {
		case strings.HasSuffix(r.URL.Path, "/package_search"):
			var p opendata.PackageSearchParams
			if p, err = opendata.ParsePackageSearchParams(r.URL.Query()); err == nil {
				result, err = svc.PackageSearch(r.Context(), p, opendata.CKANOptions{})
			}
		case strings.HasSuffix(r.URL.Path, "/package_list"):
			result, err = svc.PackageList(r.Context(), 0, 0)
		case strings.HasSuffix(r.URL.Path, "/package_show"):
			result, err = svc.PackageShow(r.Context(), r.URL.Query().Get("id"), opendata.CKANOptions{})
		}
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			status, resp := opendata.CKANFailure("/api", "x", err)
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(resp)
			return
		}
		_ = json.NewEncoder(w).Encode(opendata.CKANResult("/api", "x", result))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestHarvestCKANSource(t *testing.T) {
	src, all := ckanStore(t, 45)
	portal := ckanPortal(t, src)
	dst, err := opendata.NewService(storage.NewDatasetStore(storagetest.Open(t, storage.SQLite)), opendata.Options{})
	require.NoError(t, err)
	h := opendata.NewHarvester(opendata.HarvesterOptions{Fetch: httpFetch(portal.Client())})

	rep, err := h.Harvest(t.Context(), opendata.CKANSearchURL(portal.URL, time.Time{}, 10), dst)
	require.NoError(t, err)
	assert.Len(t, rep.Pages, 5, "45 datasets by 10")
	assert.Equal(t, len(all), rep.Created, "a CKAN answer is harvested, not read as JSON-LD with 0 datasets")
	for i := range all {
		d, err := dst.GetDatasetByIdentifier(t.Context(), all[i].Identifier)
		require.NoError(t, err, "keyed by the identifier ckanext-dcat's extras give")
		assert.Equal(t, all[i].Title.Get(""), d.Title.Get(""))
		assert.Len(t, d.Distributions, len(all[i].Distributions))
	}

	// Idempotent.
	rep, err = h.Harvest(t.Context(), opendata.CKANSearchURL(portal.URL, time.Time{}, 10), dst)
	require.NoError(t, err)
	assert.Equal(t, 0, rep.Created)
	assert.Equal(t, 0, rep.Updated)

	// Incremental: only what changed since.
	since := time.Now()
	time.Sleep(2 * time.Millisecond)
	changed := all[3]
	changed.Version = "2"
	_, err = src.UpdateDataset(t.Context(), changed)
	require.NoError(t, err)
	rep, err = h.Harvest(t.Context(), opendata.CKANSearchURL(portal.URL, since, 10), dst)
	require.NoError(t, err)
	require.Len(t, rep.Datasets, 1)
	assert.Equal(t, opendata.HarvestUpdated, rep.Datasets[0].Status)
	d, err := dst.GetDatasetByIdentifier(t.Context(), changed.Identifier)
	require.NoError(t, err)
	assert.Equal(t, "2", d.Version)
}

func TestCKANAnswersAreDetected(t *testing.T) {
	src, all := ckanStore(t, 3)
	portal := ckanPortal(t, src)
	h := opendata.NewHarvester(opendata.HarvesterOptions{Fetch: httpFetch(portal.Client())})
	// package_show given as a source: one dataset.
	rep, err := h.Harvest(t.Context(), portal.URL+"/api/3/action/package_show?id="+url.QueryEscape(all[0].Identifier), newRecordingTarget())
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Created)
	// package_list: an error that says what to harvest instead.
	_, err = h.Harvest(t.Context(), portal.URL+"/api/3/action/package_list", newRecordingTarget())
	require.ErrorIs(t, err, opendata.ErrInvalid)
	assert.Contains(t, err.Error(), "package_search")
	// A CKAN error envelope: the portal's refusal, not an empty catalogue.
	_, err = h.Harvest(t.Context(), portal.URL+"/api/3/action/package_show?id=nope", newRecordingTarget())
	require.Error(t, err)
	assert.Equal(t, opendata.FormatCKAN, opendata.DetectFormat("application/json", []byte(`{"help":"x","success":false,"error":{"__type":"Not Found Error"}}`)))
	// Without extras, the CKAN id is the key.
	body := `{"help":"h","success":true,"result":{"id":"3f1c7a52-1111-4e4e-9d9d-000000000001","name":"budget","title":"Budget","notes":"n","state":"active","private":false,"metadata_created":"2020-01-02T03:04:05.123456","metadata_modified":"2021-01-02T03:04:05","license_id":"cc-by","tags":[{"name":"finances"}],"organization":{"name":"ville","title":"Ville"},"resources":[{"id":"r","url":"https://x.example/b.csv","format":"CSV","mimetype":"text/csv","size":"12","created":"2020-01-02T03:04:05"}],"extras":[]}}`
	res, err := opendata.ReadCKAN(strings.NewReader(body), opendata.ReadOptions{Base: "https://portal.example/api/3/action/package_show?id=budget"})
	require.NoError(t, err)
	require.Len(t, res.Catalog.Datasets, 1)
	d := res.Catalog.Datasets[0]
	assert.Equal(t, "3f1c7a52-1111-4e4e-9d9d-000000000001", d.Identifier)
	assert.Equal(t, "https://portal.example/dataset/budget", d.IRI)
	assert.Equal(t, opendata.FileTypeCSV, d.Distributions[0].Format)
	assert.Equal(t, int64(12), d.Distributions[0].ByteSize)
	assert.Equal(t, "Ville", d.Publisher.Name.Get(""))
	_ = context.Background
}
