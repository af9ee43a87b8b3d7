package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/reference-server/httpapi"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newTestServer(t testing.TB) (*httptest.Server, []*associations.Association) {
	t.Helper()
	db := storagetest.Open(t, storage.SQLite)
	svc, err := associations.NewService(storage.NewAssociationStore(db), associations.Options{})
	require.NoError(t, err)
	ctx := context.Background()
	var created []*associations.Association
	for _, a := range []associations.Association{
		{Name: "Comité des fêtes du Vieux Bourg", RNA: "W751000001", Categories: []string{"006030"},
			Address: associations.Address{Line1: "12 rue des Lilas", Line2: "chez Mme Privée", CommuneCode: "75104", PostalCode: "75004",
				Location: &associations.Point{Lat: 48.8566, Lon: 2.3522}},
			Access:   associations.Accessibility{StepFreeAccess: associations.No, Notes: "sonner chez Mme Privée"},
			Contacts: []associations.Contact{{Kind: associations.ContactEmail, Value: "bureau@fetes.example", Public: true}, {Kind: associations.ContactPhone, Value: "+33 6 00 00 00 01"}}},
		{Name: "Club de lecture des Tilleuls", RNA: "W691000002", Categories: []string{"015000"},
			Address: associations.Address{CommuneCode: "69381", PostalCode: "69001", Location: &associations.Point{Lat: 45.7640, Lon: 4.8357}}},
		{Name: "Amicale sportive du port", RNA: "W751000003", Categories: []string{"011000"}, Status: associations.StatusDissolved,
			Address: associations.Address{Line1: "Maison des associations, 3 quai du Port", CommuneCode: "75112", Public: true,
				Location: &associations.Point{Lat: 48.8530, Lon: 2.3499}},
			Access: associations.Accessibility{StepFreeAccess: associations.Yes, Notes: "rampe côté quai", NotesPublic: true}},
	} {
		c, err := svc.Create(ctx, a)
		require.NoError(t, err)
		created = append(created, c)
	}
	srv := httptest.NewServer(httpapi.New(httpapi.Deps{Associations: svc, Health: db.Bun().PingContext}))
	t.Cleanup(srv.Close)
	return srv, created
}

func get(t *testing.T, base, path string, v any) *http.Response {
	t.Helper()
	resp, err := http.Get(base + path)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if v != nil {
		require.NoError(t, json.Unmarshal(body, v), string(body))
	}
	return resp
}

func names(items []associations.Association) []string {
	var out []string
	for _, a := range items {
		out = append(out, a.Name)
	}
	return out
}

func TestAssociationRoutes(t *testing.T) {
	srv, created := newTestServer(t)

	t.Run("healthz", func(t *testing.T) {
		var body map[string]string
		resp := get(t, srv.URL, "/healthz", &body)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "ok", body["status"])
	})

	listTests := []struct {
		query string
		want  []string
	}{
		{"", []string{"Amicale sportive du port", "Club de lecture des Tilleuls", "Comité des fêtes du Vieux Bourg"}},
		{"q=fetes", []string{"Comité des fêtes du Vieux Bourg"}},
		{"q=club+tilleul", []string{"Club de lecture des Tilleuls"}},
		{"category=006000", []string{"Comité des fêtes du Vieux Bourg"}},
		{"status=dissolved", []string{"Amicale sportive du port"}},
		{"department=75", []string{"Amicale sportive du port", "Comité des fêtes du Vieux Bourg"}},
		{"postal_code=69001", []string{"Club de lecture des Tilleuls"}},
		{"q=nothingmatches", nil},
	}
	for _, tt := range listTests {
		t.Run("list "+tt.query, func(t *testing.T) {
			var page civickit.Page[associations.Association]
			resp := get(t, srv.URL, "/api/v1/associations?"+tt.query, &page)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, tt.want, names(page.Items))
		})
	}

	t.Run("pagination", func(t *testing.T) {
		var all []string
		cursor := ""
		for i := 0; i < 5; i++ {
			var page civickit.Page[associations.Association]
			get(t, srv.URL, "/api/v1/associations?limit=2&after="+url.QueryEscape(cursor), &page)
			all = append(all, names(page.Items)...)
			if cursor = page.Next; cursor == "" {
				break
			}
		}
		assert.Equal(t, listTests[0].want, all)
	})

	t.Run("near", func(t *testing.T) {
		var page civickit.Page[associations.NearHit]
		resp := get(t, srv.URL, "/api/v1/associations/near?lat=48.8566&lon=2.3522&radius_m=2000", &page)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Len(t, page.Items, 2)
		assert.Equal(t, "Comité des fêtes du Vieux Bourg", page.Items[0].Association.Name)
		// Its address is not public: the distance is rounded up to a
		// 500 m step, the position to 0.01°, the street lines are gone.
		assert.Equal(t, float64(associations.PublicDistanceStepMeters), page.Items[0].DistanceMeters)
		assert.Empty(t, page.Items[0].Association.Address.Line1)
		assert.Empty(t, page.Items[0].Association.Address.Line2)
		assert.Equal(t, &associations.Point{Lat: 48.86, Lon: 2.35}, page.Items[0].Association.Address.Location)
		// The port's address is public: exact distance and street line.
		assert.InDelta(t, 434.2, page.Items[1].DistanceMeters, 0.5) // fixture distance_vectors.csv
		assert.Equal(t, "Maison des associations, 3 quai du Port", page.Items[1].Association.Address.Line1)
	})

	t.Run("privacy of the public view", func(t *testing.T) {
		var a map[string]any
		get(t, srv.URL, "/api/v1/associations/"+created[0].ID.String(), &a)
		addr := a["address"].(map[string]any)
		assert.NotContains(t, addr, "line1")
		assert.NotContains(t, addr, "line2")
		assert.Equal(t, "75004", addr["postal_code"])
		assert.Equal(t, "75104", addr["commune_code"])
		access := a["accessibility"].(map[string]any)
		assert.NotContains(t, access, "notes", "notes are public only when marked so")
		assert.Equal(t, "no", access["step_free_access"])
		assert.Equal(t, "unknown", access["hearing_loop"], "unknown unless said")
		get(t, srv.URL, "/api/v1/associations/"+created[2].ID.String(), &a)
		access = a["accessibility"].(map[string]any)
		assert.Equal(t, "rampe côté quai", access["notes"])
		assert.Equal(t, "yes", access["step_free_access"])
	})

	t.Run("get hides private contacts", func(t *testing.T) {
		var a associations.Association
		resp := get(t, srv.URL, "/api/v1/associations/"+created[0].ID.String(), &a)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, created[0].Name, a.Name)
		assert.Equal(t, []associations.Contact{{Kind: associations.ContactEmail, Value: "bureau@fetes.example", Public: true}}, a.Contacts)
		var byRNA associations.Association
		get(t, srv.URL, "/api/v1/associations/rna/W751000001", &byRNA)
		assert.Equal(t, created[0].ID, byRNA.ID)
	})

	problemTests := []struct {
		path   string
		status int
		fields []string
	}{
		{"/api/v1/associations/" + "00000000-0000-0000-0000-000000000001", http.StatusNotFound, nil},
		{"/api/v1/associations/not-a-uuid", http.StatusBadRequest, []string{"id"}},
		{"/api/v1/associations/rna/W12", http.StatusBadRequest, []string{"rna"}},
		{"/api/v1/associations?limit=abc", http.StatusBadRequest, []string{"limit"}},
		{"/api/v1/associations?limit=-1", http.StatusBadRequest, []string{"limit"}},
		{"/api/v1/associations?category=999999&status=gone", http.StatusBadRequest, []string{"category", "status"}},
		{"/api/v1/associations?after=%21not-a-cursor", http.StatusBadRequest, []string{"after"}},
		{"/api/v1/associations/near?lat=91&lon=0&radius_m=10", http.StatusBadRequest, []string{"center.lat"}},
		{"/api/v1/associations/near?lon=x", http.StatusBadRequest, []string{"lat", "lon", "radius_m"}},
	}
	for _, tt := range problemTests {
		t.Run("problem "+tt.path, func(t *testing.T) {
			var p httpapi.Problem
			resp := get(t, srv.URL, tt.path, &p)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
			assert.Equal(t, tt.status, p.Status)
			var fields []string
			for _, f := range p.Errors {
				fields = append(fields, f.Path)
			}
			assert.Equal(t, tt.fields, fields)
		})
	}
}

// TestClientDisconnectIsNotAServerError: a request whose client went away
// is logged as a disconnect with status 499, never as an ERROR 500.
func TestClientDisconnectIsNotAServerError(t *testing.T) {
	db := storagetest.Open(t, storage.SQLite)
	svc, err := associations.NewService(storage.NewAssociationStore(db), associations.Options{})
	require.NoError(t, err)
	var logs bytes.Buffer
	h := httpapi.New(httpapi.Deps{Associations: svc, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	for _, path := range []string{"/api/v1/associations/near?lat=45&lon=4&radius_m=1000", "/api/v1/associations?q=club"} {
		logs.Reset()
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // the client is gone before the query runs
		req := httptest.NewRequestWithContext(ctx, http.MethodGet, path, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		assert.Equal(t, httpapi.StatusClientClosedRequest, rec.Code, path)
		assert.NotContains(t, logs.String(), "level=ERROR", path)
		assert.Contains(t, logs.String(), "client disconnected", path)
		assert.Contains(t, logs.String(), "status=499", path)
	}
}

// TestNearRadiusBounds: the radius attacks of issue 16 are field errors.
func TestNearRadiusBounds(t *testing.T) {
	srv, _ := newTestServer(t)
	for radius, rule := range map[string]string{"Inf": "finite", "-Inf": "finite", "NaN": "finite", "1e308": "lte", "40000000": "lte", "100001": "lte"} {
		var p httpapi.Problem
		resp := get(t, srv.URL, "/api/v1/associations/near?lat=48.85&lon=2.35&radius_m="+radius, &p)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, radius)
		require.Len(t, p.Errors, 1, radius)
		assert.Equal(t, "radius_m", p.Errors[0].Path, radius)
		assert.Equal(t, rule, p.Errors[0].Rule, radius)
	}
	var page civickit.Page[associations.NearHit]
	resp := get(t, srv.URL, "/api/v1/associations/near?lat=48.85&lon=2.35&radius_m=100000", &page)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Len(t, page.Items, 2)
}

// TestNearByPlace: "near me" without geolocation, by postal code, commune
// or address, through the offline BAN geocoder.
func TestNearByPlace(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "associations", "testdata", "ban", "adresses-extract.csv"))
	require.NoError(t, err)
	defer f.Close()
	ban := associations.NewBANIndex()
	_, err = ban.Load(context.Background(), f)
	require.NoError(t, err)
	db := storagetest.Open(t, storage.SQLite)
	svc, err := associations.NewService(storage.NewAssociationStore(db), associations.Options{Geocoder: ban})
	require.NoError(t, err)
	_, err = svc.Create(context.Background(), associations.Association{Name: "Club des Tilleuls", RNA: "W991000001",
		Address: associations.Address{Line1: "12 rue des Tilleuls", PostalCode: "99100", CommuneCode: "99001", Location: &associations.Point{Lat: 45.7, Lon: 4.8}}})
	require.NoError(t, err)
	srv := httptest.NewServer(httpapi.New(httpapi.Deps{Associations: svc}))
	defer srv.Close()
	for _, query := range []string{"address_postal_code=99100", "address_commune=99001", "address_city=Exempleville", "address=14+rue+des+Tilleuls&address_postal_code=99100&address_city=Exempleville"} {
		var page civickit.Page[associations.NearHit]
		resp := get(t, srv.URL, "/api/v1/associations/near?radius_m=3000&"+query, &page)
		require.Equal(t, http.StatusOK, resp.StatusCode, query)
		require.Len(t, page.Items, 1, query)
		assert.Equal(t, "Club des Tilleuls", page.Items[0].Association.Name, query)
	}
	var p httpapi.Problem
	resp := get(t, srv.URL, "/api/v1/associations/near?radius_m=3000&address_postal_code=00000", &p)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "an unknown place")
	srvNoGeo, _ := newTestServer(t)
	resp = get(t, srvNoGeo.URL, "/api/v1/associations/near?radius_m=3000&address_postal_code=99100", &p)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "no geocoder configured")
}

func TestSpaceCalendar(t *testing.T) {
	db := storagetest.Open(t, storage.SQLite)
	svc, err := associations.NewService(storage.NewAssociationStore(db), associations.Options{})
	require.NoError(t, err)
	ctx := context.Background()
	a, err := svc.Create(ctx, associations.Association{Name: "Chorale", RNA: "W991000002"})
	require.NoError(t, err)
	sp, err := svc.CreateSpace(ctx, associations.Space{Name: "Salle B", Kind: associations.SpaceRoom, TimeZone: "UTC",
		Address: associations.Address{Line1: "2 rue privée", PostalCode: "69001"}})
	require.NoError(t, err)
	start := time.Now().UTC().Truncate(time.Hour).Add(48 * time.Hour)
	_, err = svc.RequestBooking(ctx, associations.BookingRequest{SpaceID: sp.ID, AssociationID: a.ID, Start: start, End: start.Add(time.Hour), Purpose: "répétition"})
	require.NoError(t, err)
	srv := httptest.NewServer(httpapi.New(httpapi.Deps{Associations: svc}))
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/api/v1/spaces/" + sp.ID.String() + "/calendar.ics")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/calendar; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Contains(t, string(body), "DTSTART:"+start.Format("20060102T150405Z"))
	assert.Contains(t, string(body), "STATUS:TENTATIVE")
	assert.NotContains(t, string(body), "Chorale")

	var page civickit.Page[associations.Space]
	get(t, srv.URL, "/api/v1/spaces", &page)
	require.Len(t, page.Items, 1)
	assert.Empty(t, page.Items[0].Address.Line1, "a space's street line follows the same rule")
	var p httpapi.Problem
	r := get(t, srv.URL, "/api/v1/spaces/not-a-uuid/calendar.ics", &p)
	assert.Equal(t, http.StatusBadRequest, r.StatusCode)
}
