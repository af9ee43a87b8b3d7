package associations

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/civickit/civickit"
)

// BANClient is a Geocoder that asks the BAN's HTTP search API
// (GET {BaseURL}/search/?q=…&limit=1, a GeoJSON FeatureCollection), for
// integrators who may call it. It sends only the address; the API's terms
// and rate limits are the integrator's to respect.
type BANClient struct {
	// BaseURL is the API root, e.g. "https://api-adresse.data.gouv.fr".
	BaseURL string
	// HTTPClient does the requests; a client with a 10 s timeout when nil.
	HTTPClient *http.Client
	// MinScore is the lowest match score (0 to 1) accepted: 0.5 when 0.
	MinScore float64
}

// banResponse is the part of the API's answer the client reads.
type banResponse struct {
	Features []struct {
		Geometry struct {
			Type        string    `json:"type"`
			Coordinates []float64 `json:"coordinates"` // lon, lat
		} `json:"geometry"`
		Properties struct {
			Label    string  `json:"label"`
			Score    float64 `json:"score"`
			Type     string  `json:"type"` // housenumber, street, locality, municipality
			Postcode string  `json:"postcode"`
			Citycode string  `json:"citycode"`
		} `json:"properties"`
	} `json:"features"`
}

var defaultBANHTTPClient = &http.Client{Timeout: 10 * time.Second}

// Geocode implements Geocoder.
func (c *BANClient) Geocode(ctx context.Context, a Address) (Geocoded, error) {
	q := strings.Join(strings.Fields(strings.Join([]string{a.Line1, a.PostalCode, a.City}, " ")), " ")
	params := url.Values{"limit": {"1"}}
	if a.CommuneCode != "" {
		params.Set("citycode", a.CommuneCode)
		if q == "" {
			q = a.CommuneCode
			params.Set("type", "municipality")
		}
	} else if a.PostalCode != "" {
		params.Set("postcode", a.PostalCode)
	}
	if len(q) < 3 { // the API refuses shorter queries
		return Geocoded{}, civickit.Invalid("address", "min", "3")
	}
	params.Set("q", q)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(c.BaseURL, "/")+"/search/?"+params.Encode(), nil)
	if err != nil {
		return Geocoded{}, fmt.Errorf("associations: ban api: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	hc := c.HTTPClient
	if hc == nil {
		hc = defaultBANHTTPClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return Geocoded{}, fmt.Errorf("%w: associations: ban api: %v", civickit.ErrUnavailable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Geocoded{}, fmt.Errorf("%w: associations: ban api: status %d", civickit.ErrUnavailable, resp.StatusCode)
	}
	var body banResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body); err != nil {
		return Geocoded{}, fmt.Errorf("%w: associations: ban api: decode: %v", civickit.ErrUnavailable, err)
	}
	minScore := c.MinScore
	if minScore == 0 {
		minScore = 0.5
	}
	if len(body.Features) == 0 {
		return Geocoded{}, ErrNotGeocoded
	}
	f := body.Features[0]
	if f.Properties.Score < minScore || len(f.Geometry.Coordinates) != 2 {
		return Geocoded{}, ErrNotGeocoded
	}
	p := Point{Lon: f.Geometry.Coordinates[0], Lat: f.Geometry.Coordinates[1]}
	if p.Lat < -90 || p.Lat > 90 || p.Lon < -180 || p.Lon > 180 {
		return Geocoded{}, ErrNotGeocoded
	}
	res := Geocoded{Point: p, Label: f.Properties.Label, CommuneCode: f.Properties.Citycode, PostalCode: f.Properties.Postcode}
	switch f.Properties.Type {
	case "housenumber":
		res.Precision = PrecisionHouseNumber
	case "street", "locality":
		res.Precision = PrecisionStreet
	default:
		res.Precision = PrecisionMunicipality
	}
	return res, nil
}
