package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/opendata/opendatatest"
	"github.com/civickit/civickit/reference-server/httpapi"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// The mediation places directory served: the national schema's CSV and
// JSON with ETag, Last-Modified, 304 and CORS like the other open-data
// routes, and its dataset in the DCAT catalogue, the CSV distribution
// conforming to the schema.
func TestMediationPlacesRoutes(t *testing.T) {
	db := storagetest.Open(t, storage.SQLite)
	svc, err := opendata.NewService(storage.NewDatasetStore(db), opendata.Options{})
	require.NoError(t, err)
	dir, err := opendata.NewMediationDirectory(storage.NewMediationStore(db), opendata.MediationOptions{
		Catalog: svc,
		Dataset: opendata.MediationDatasetOptions{BaseURL: "https://data.example.org", Publisher: &opendatatest.Publishers[0]},
	})
	require.NoError(t, err)
	srv := httptest.NewServer(httpapi.NewOpenData(httpapi.OpenData{
		Service: svc, Mediation: dir, BaseURL: "https://data.example.org",
		Catalog: opendata.Catalog{IRI: "https://data.example.org/catalog", Title: opendata.Text{"fr": "C"}, Description: opendata.Text{"fr": "C"}, Publisher: &opendatatest.Publishers[0]},
	}, nil))
	t.Cleanup(srv.Close)

	get := func(path string, hdr ...string) (*http.Response, []byte) {
		t.Helper()
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

	// Empty directory: a header only.
	resp, body := get("/mediation-places.csv")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, strings.Join(opendata.MediationColumns, ",")+"\n", string(body))

	for _, id := range []string{"epn-b", "epn-a"} {
		_, err := dir.Create(t.Context(), opendatatest.MediationPlace(id))
		require.NoError(t, err)
	}
	resp, body = get("/mediation-places.csv")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/csv; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "Mon, 02 Nov 2026 09:30:00 GMT", resp.Header.Get("Last-Modified"))
	etag := resp.Header.Get("ETag")
	require.NotEmpty(t, etag)
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, opendata.MediationColumns, rows[0])
	assert.Equal(t, "epn-a", rows[1][0], "ordered by id")

	// The header is the one of the schema's own valid example.
	ex, err := os.ReadFile("../../opendata/testdata/mediation/exemple-valide.csv")
	require.NoError(t, err)
	exRows, err := csv.NewReader(bytes.NewReader(ex)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, exRows[0], rows[0])

	resp, _ = get("/mediation-places.csv", "If-None-Match", etag)
	assert.Equal(t, http.StatusNotModified, resp.StatusCode)

	resp, body = get("/mediation-places.json")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var places []map[string]any
	require.NoError(t, json.Unmarshal(body, &places))
	require.Len(t, places, 2)
	assert.Equal(t, "epn-a", places[0]["id"])
	assert.NotEmpty(t, resp.Header.Get("ETag"))

	// The catalogue describes the directory.
	resp, body = get("/catalog.nt")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	nt := string(body)
	assert.Contains(t, nt, "<https://data.example.org/mediation-places.csv#distribution> <http://purl.org/dc/terms/conformsTo> <"+opendata.MediationSchemaIRI+"> .")
	assert.Contains(t, nt, "<http://www.w3.org/ns/dcat#downloadURL> <https://data.example.org/mediation-places.json>")
	d, err := svc.GetDatasetByIdentifier(t.Context(), opendata.MediationIdentifier)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC), d.Modified)

	// Without a directory: 404, as a problem document.
	bare := httptest.NewServer(httpapi.NewOpenData(httpapi.OpenData{Service: svc}, nil))
	t.Cleanup(bare.Close)
	r2, err := http.Get(bare.URL + "/mediation-places.json")
	require.NoError(t, err)
	r2.Body.Close()
	assert.Equal(t, http.StatusNotFound, r2.StatusCode)
}
