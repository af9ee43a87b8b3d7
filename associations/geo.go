package associations

import "math"

// EarthRadiusMeters is the mean Earth radius (IUGG R1) used for every
// great-circle distance in civickit, so that all stores agree to the bit.
const EarthRadiusMeters = 6371008.8

// MaxRadiusMeters is half the Earth's circumference: a larger radius adds nothing.
const MaxRadiusMeters = math.Pi * EarthRadiusMeters

func rad(deg float64) float64 { return deg * math.Pi / 180 }
func deg(rad float64) float64 { return rad * 180 / math.Pi }

// Distance returns the great-circle distance in meters between a and b
// (haversine on a sphere of radius EarthRadiusMeters).
func Distance(a, b Point) float64 {
	φ1, φ2 := rad(a.Lat), rad(b.Lat)
	dφ := φ2 - φ1
	dλ := rad(b.Lon - a.Lon)
	s1, s2 := math.Sin(dφ/2), math.Sin(dλ/2)
	h := s1*s1 + math.Cos(φ1)*math.Cos(φ2)*s2*s2
	if h > 1 {
		h = 1
	}
	return 2 * EarthRadiusMeters * math.Asin(math.Sqrt(h))
}

// Box is a latitude/longitude rectangle with MinLon <= MaxLon.
type Box struct {
	MinLat float64 `json:"min_lat"`
	MaxLat float64 `json:"max_lat"`
	MinLon float64 `json:"min_lon"`
	MaxLon float64 `json:"max_lon"`
}

// Contains reports whether p lies in the box (edges included).
func (b Box) Contains(p Point) bool {
	return p.Lat >= b.MinLat && p.Lat <= b.MaxLat && p.Lon >= b.MinLon && p.Lon <= b.MaxLon
}

// boxMarginDeg widens every box slightly so that rounding in the box
// arithmetic can never exclude a point that the exact distance includes.
const boxMarginDeg = 1e-6

// BoundingBoxes returns one or two boxes that together contain every point
// within radius meters of center: two when the circle crosses the
// antimeridian, one spanning all longitudes when it reaches a pole. Stores
// use them as an index prefilter and keep only points with
// Distance(center, p) <= radius.
func BoundingBoxes(center Point, radius float64) []Box {
	if radius >= MaxRadiusMeters {
		return []Box{{-90, 90, -180, 180}}
	}
	d := radius / EarthRadiusMeters // angular radius
	φ := rad(center.Lat)
	minLat := deg(φ-d) - boxMarginDeg
	maxLat := deg(φ+d) + boxMarginDeg
	if minLat <= -90 || maxLat >= 90 {
		// A pole is inside the circle: every longitude is reachable.
		return []Box{{math.Max(minLat, -90), math.Min(maxLat, 90), -180, 180}}
	}
	// Largest longitude difference on the circle (Matuschek's formula).
	ratio := math.Sin(d) / math.Cos(φ)
	if ratio >= 1 {
		return []Box{{minLat, maxLat, -180, 180}}
	}
	dλ := deg(math.Asin(ratio)) + boxMarginDeg
	minLon, maxLon := center.Lon-dλ, center.Lon+dλ
	switch {
	case maxLon-minLon >= 360:
		return []Box{{minLat, maxLat, -180, 180}}
	case minLon < -180:
		return []Box{{minLat, maxLat, minLon + 360, 180}, {minLat, maxLat, -180, maxLon}}
	case maxLon > 180:
		return []Box{{minLat, maxLat, minLon, 180}, {minLat, maxLat, -180, maxLon - 360}}
	}
	return []Box{{minLat, maxLat, minLon, maxLon}}
}
