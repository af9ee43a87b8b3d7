package associations_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
)

func loadBANExtract(t *testing.T) *associations.BANIndex {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "ban", "adresses-extract.csv"))
	require.NoError(t, err)
	defer f.Close()
	x := associations.NewBANIndex()
	rep, err := x.Load(context.Background(), f)
	require.NoError(t, err)
	assert.Equal(t, associations.BANLoadReport{Lines: 10, Addresses: 8, Rejected: 2}, rep)
	return x
}

func TestBANIndexGeocode(t *testing.T) {
	x := loadBANExtract(t)
	tests := []struct {
		name string
		in   associations.Address
		want associations.Precision
		lat  float64
		lon  float64
	}{
		// Real BAN row, written as the RNA would (type code, case, articles).
		{"real row, RNA spelling", associations.Address{Line1: "6 PL du Pese Lait", CommuneCode: "01002"}, associations.PrecisionHouseNumber, 46.005447, 5.425179},
		{"real row by postal code and name", associations.Address{Line1: "1082 CHE DE LA FERM DE LA MONTAGNE", PostalCode: "01640", City: "L ABERGEMENT DE VAREY"}, associations.PrecisionHouseNumber, 45.996182, 5.431677},
		{"number with repetition", associations.Address{Line1: "3 BIS QUAI du Port", CommuneCode: "99002"}, associations.PrecisionHouseNumber, 45.8, 4.9},
		{"number glued to repetition", associations.Address{Line1: "3bis quai du port", CommuneCode: "99002"}, associations.PrecisionHouseNumber, 45.8, 4.9},
		{"number without repetition", associations.Address{Line1: "3 QU du Port", CommuneCode: "99002"}, associations.PrecisionHouseNumber, 45.8, 4.9001},
		{"accents folded", associations.Address{Line1: "7 AV JEAN JAURES", CommuneCode: "99002"}, associations.PrecisionHouseNumber, 45.81, 4.91},
		{"unknown number: street middle", associations.Address{Line1: "99 RUE des Tilleuls", CommuneCode: "99001"}, associations.PrecisionStreet, 45.7, 4.8002},
		{"unknown street: commune centroid", associations.Address{Line1: "1 impasse Inconnue", CommuneCode: "99001"}, associations.PrecisionMunicipality, (45.7 + 45.7 + 45.71) / 3, (4.8 + 4.8004 + 4.81) / 3},
		{"commune by unique name", associations.Address{City: "Autreville"}, associations.PrecisionMunicipality, (45.8 + 45.8 + 45.81) / 3, (4.9 + 4.9001 + 4.91) / 3},
		{"postal code only", associations.Address{PostalCode: "99100"}, associations.PrecisionPostalCode, (45.7 + 45.7 + 45.71) / 3, (4.8 + 4.8004 + 4.81) / 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := x.Geocode(context.Background(), tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.Precision)
			assert.InDelta(t, tt.lat, got.Point.Lat, 1e-5) // float32 storage: about 1 m
			assert.InDelta(t, tt.lon, got.Point.Lon, 1e-5)
		})
	}
	for _, a := range []associations.Address{{}, {CommuneCode: "12345"}, {PostalCode: "00000"}, {City: "Nulle Part"}} {
		_, err := x.Geocode(context.Background(), a)
		assert.ErrorIs(t, err, associations.ErrNotFound, a)
	}
}

func TestBANIndexLoadErrors(t *testing.T) {
	x := associations.NewBANIndex()
	_, err := x.Load(context.Background(), strings.NewReader(""))
	assert.ErrorIs(t, err, associations.ErrInvalid)
	_, err = x.Load(context.Background(), strings.NewReader("id;numero;lat\n1;2;3\n"))
	assert.ErrorIs(t, err, associations.ErrInvalid)
	assert.ErrorContains(t, err, "nom_voie")
}

func TestBANClient(t *testing.T) {
	recorded, err := os.ReadFile(filepath.Join("testdata", "ban", "api-search-8-bd-du-port.json"))
	require.NoError(t, err)
	var mu sync.Mutex
	var queries []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.Path+"?"+r.URL.RawQuery)
		mu.Unlock()
		switch r.URL.Query().Get("q") {
		case "8 bd du port 80000 Amiens":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(recorded)
		case "nowhere street":
			_, _ = w.Write([]byte(`{"type":"FeatureCollection","features":[]}`))
		default:
			http.Error(w, "boom", http.StatusBadGateway)
		}
	}))
	defer srv.Close()
	c := &associations.BANClient{BaseURL: srv.URL, MinScore: 0.4}
	got, err := c.Geocode(context.Background(), associations.Address{Line1: "8 bd du port", PostalCode: "80000", City: "Amiens"})
	require.NoError(t, err)
	assert.Equal(t, associations.Geocoded{
		Point: associations.Point{Lat: 49.897443, Lon: 2.290084}, Precision: associations.PrecisionHouseNumber,
		CommuneCode: "80021", PostalCode: "80000", Label: "8 Boulevard du Port 80000 Amiens",
	}, got)
	assert.Equal(t, "/search/?limit=1&postcode=80000&q=8+bd+du+port+80000+Amiens", queries[0])

	// The recorded score (0.49) is below the default minimum (0.5).
	_, err = (&associations.BANClient{BaseURL: srv.URL}).Geocode(context.Background(), associations.Address{Line1: "8 bd du port", PostalCode: "80000", City: "Amiens"})
	assert.ErrorIs(t, err, associations.ErrNotFound)
	_, err = c.Geocode(context.Background(), associations.Address{Line1: "nowhere street"})
	assert.ErrorIs(t, err, associations.ErrNotFound)
	_, err = c.Geocode(context.Background(), associations.Address{Line1: "somewhere else"})
	assert.ErrorIs(t, err, civickit.ErrUnavailable)
	_, err = c.Geocode(context.Background(), associations.Address{Line1: "x"})
	assert.ErrorIs(t, err, civickit.ErrInvalid)
}

func TestGeocodeAllAndLocate(t *testing.T) {
	ctx := context.Background()
	x := loadBANExtract(t)
	store := newSQLiteStore(t)
	svc, err := associations.NewService(store, associations.Options{Geocoder: x})
	require.NoError(t, err)
	// The synthetic Waldec file: Exempleville's Tilleuls (a number in the
	// extract), Autreville's port (3 B, a repetition), and a federation
	// with no street line in Troisville (99003, not in the extract).
	rep, err := svc.ImportRNA(ctx, bytes.NewReader(readFixture(t, "rna_waldec_synthetic.csv")), associations.ImportOptions{})
	require.NoError(t, err)
	require.Equal(t, 3, rep.Created)

	// Before geocoding, "near me" finds nothing: RNA rows have no position.
	center := associations.Point{Lat: 45.7, Lon: 4.8}
	page, err := svc.Near(ctx, associations.NearQuery{Center: center, RadiusMeters: 50_000})
	require.NoError(t, err)
	assert.Empty(t, page.Items)

	var progress int
	grep, err := svc.GeocodeAll(ctx, x, associations.GeocodeOptions{OnProgress: func(associations.GeocodeReport) { progress++ }})
	require.NoError(t, err)
	assert.Equal(t, associations.GeocodeReport{
		Scanned: 3, NotFound: 1,
		Located: map[associations.Precision]int{associations.PrecisionHouseNumber: 2},
	}, grep)
	assert.Equal(t, 1, progress)

	page, err = svc.Near(ctx, associations.NearQuery{Center: center, RadiusMeters: 50_000})
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	assert.Equal(t, "CLUB DE LECTURE DES TILLEULS", page.Items[0].Association.Name)
	assert.InDelta(t, 0, page.Items[0].DistanceMeters, 1)

	// Again: nothing left to do.
	grep, err = svc.GeocodeAll(ctx, x, associations.GeocodeOptions{})
	require.NoError(t, err)
	assert.Equal(t, 2, grep.AlreadyLocated)
	assert.Empty(t, grep.Located)

	// "Near me" by postal code or commune name, without coordinates.
	loc, err := svc.Locate(ctx, associations.Address{PostalCode: "99200"})
	require.NoError(t, err)
	assert.Equal(t, associations.PrecisionPostalCode, loc.Precision)
	page, err = svc.Near(ctx, associations.NearQuery{Center: loc.Point, RadiusMeters: 5_000})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, "AMICALE SPORTIVE DU PORT", page.Items[0].Association.Name)

	_, err = svc.Locate(ctx, associations.Address{})
	assert.ErrorIs(t, err, civickit.ErrInvalid)
	noGeo := newTestService(t, store)
	_, err = noGeo.Locate(ctx, associations.Address{PostalCode: "99200"})
	assert.ErrorIs(t, err, civickit.ErrUnavailable)
}
