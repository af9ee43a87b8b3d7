package associations

import (
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDistanceVectors(t *testing.T) {
	f, err := os.Open("testdata/geo/distance_vectors.csv")
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Greater(t, len(rows), 1)
	for _, r := range rows[1:] {
		v := make([]float64, 6)
		for i := range v {
			v[i], err = strconv.ParseFloat(r[i], 64)
			require.NoError(t, err)
		}
		got := Distance(Point{v[0], v[1]}, Point{v[2], v[3]})
		assert.InDelta(t, v[4], got, v[5], r[6])
	}
}

func TestDistanceProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		a := Point{rng.Float64()*180 - 90, rng.Float64()*360 - 180}
		b := Point{rng.Float64()*180 - 90, rng.Float64()*360 - 180}
		d := Distance(a, b)
		assert.InDelta(t, d, Distance(b, a), 1e-6, "symmetric")
		assert.GreaterOrEqual(t, d, 0.0)
		assert.LessOrEqual(t, d, MaxRadiusMeters+1e-6)
	}
	// Across the antimeridian and over a pole the short way is taken.
	assert.InDelta(t, 2*111195.08, Distance(Point{0, 179}, Point{0, -179}), 1)
	assert.InDelta(t, 2*111195.08, Distance(Point{89, 0}, Point{89, 180}), 1)
}

func TestBoundingBoxes(t *testing.T) {
	t.Run("shapes", func(t *testing.T) {
		assert.Len(t, BoundingBoxes(Point{48.85, 2.35}, 10000), 1)
		boxes := BoundingBoxes(Point{0, 179.99}, 10000)
		require.Len(t, boxes, 2, "crosses the antimeridian")
		assert.Equal(t, 180.0, boxes[0].MaxLon)
		assert.Equal(t, -180.0, boxes[1].MinLon)
		polar := BoundingBoxes(Point{89.95, 10}, 10000)
		require.Len(t, polar, 1)
		assert.Equal(t, Box{polar[0].MinLat, 90, -180, 180}, polar[0], "reaches the pole: every longitude")
		assert.Equal(t, []Box{{-90, 90, -180, 180}}, BoundingBoxes(Point{}, MaxRadiusMeters))
	})
	// Every point within the radius must lie in some box: sample points on
	// and just inside the circle in every direction.
	t.Run("contain the circle", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		centres := []Point{{0, 0}, {0, 180}, {0, -180}, {89.99, 0}, {-89.99, 45}, {60, 179.9}, {-45, -179.9}}
		for range 200 {
			centres = append(centres, Point{rng.Float64()*180 - 90, rng.Float64()*360 - 180})
		}
		for _, c := range centres {
			radius := math.Pow(10, rng.Float64()*7) // 1 m to 10,000 km
			boxes := BoundingBoxes(c, radius)
			for k := range 64 {
				p := destination(c, float64(k)*2*math.Pi/64, radius*(1-1e-9))
				if Distance(c, p) > radius {
					continue
				}
				in := false
				for _, b := range boxes {
					in = in || b.Contains(p)
				}
				if !assert.True(t, in, "centre %v radius %.1f point %v outside %v", c, radius, p, boxes) {
					return
				}
			}
		}
	})
}

// destination is the point at distance d (meters) from p on bearing θ.
func destination(p Point, θ, d float64) Point {
	δ := d / EarthRadiusMeters
	φ1, λ1 := rad(p.Lat), rad(p.Lon)
	φ2 := math.Asin(math.Sin(φ1)*math.Cos(δ) + math.Cos(φ1)*math.Sin(δ)*math.Cos(θ))
	λ2 := λ1 + math.Atan2(math.Sin(θ)*math.Sin(δ)*math.Cos(φ1), math.Cos(δ)-math.Sin(φ1)*math.Sin(φ2))
	lon := math.Mod(deg(λ2)+540, 360) - 180
	return Point{deg(φ2), lon}
}

func TestSearchTermsAndSortKey(t *testing.T) {
	tests := []struct {
		name, acronym, object string
		terms                 []string
	}{
		{"Comité des Fêtes", "", "", []string{"comite", "des", "fetes"}},
		{"L'ŒUVRE d'Ævar", "LO", "l'œuvre", []string{"l", "oeuvre", "d", "aevar", "lo"}},
		{"Straße 12-bis", "", "", []string{"strasse", "12", "bis"}},
		{"  ", "", "", nil},
	}
	for _, tt := range tests {
		got := SearchTerms(&Association{Name: tt.name, Acronym: tt.acronym, Object: tt.object})
		if len(tt.terms) == 0 {
			assert.Empty(t, got)
		} else {
			assert.Equal(t, tt.terms, got)
		}
	}
	long := SearchTerms(&Association{Name: "é" + strings.Repeat("ab", 40)}) // 81 bytes, cut on a rune boundary
	require.Len(t, long, 1)
	assert.LessOrEqual(t, len(long[0]), MaxTermLen)
	assert.True(t, utf8.ValidString(long[0]))
	assert.Equal(t, "comite des fetes", SortKey("  Comité   des Fêtes! "))
	assert.Equal(t, []string{"fete", "club"}, QueryWords("Fête club fêtE"))
	key := SortKey(strings.Repeat("κ", 200))
	assert.LessOrEqual(t, len(key), MaxSortKeyLen)
	assert.True(t, utf8.ValidString(key))
}
