package associations

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"hash/maphash"
	"io"
	"strconv"
	"strings"
)

// The Base Adresse Nationale (BAN, adresse.data.gouv.fr, Licence Ouverte
// 2.0) publishes one `;`-separated CSV file per département
// (adresses-69.csv.gz): one line per address, with the columns id,
// numero, rep, nom_voie, code_postal, code_insee, nom_commune, lon, lat…
// A city downloads its département once; BANIndex reads it as a stream
// and keeps, per address, a 64-bit key and a float32 position (about 40
// bytes an address in maps: some 50 MB for a million addresses).

// BANIndex is an offline Geocoder over BAN files. Build it with
// NewBANIndex and Load; it is safe for concurrent Geocode calls once
// loading is done.
type BANIndex struct {
	seed      maphash.Seed
	numbers   map[uint64]point32   // commune, street, number+rep
	streets   map[uint64]*centroid // commune, street
	communes  map[string]*centroid // INSEE code
	postals   map[string]*centroid // postal code
	byCity    map[uint64]string    // postal code + city name -> INSEE code
	cityNames map[uint64]string    // city name -> INSEE code ("" when several)
}

type point32 struct{ lat, lon float32 }

// centroid accumulates the mean position of a street, commune or postal
// code.
type centroid struct {
	lat, lon float64
	n        int32
}

func (c *centroid) add(lat, lon float64) { c.lat += lat; c.lon += lon; c.n++ }
func (c *centroid) point() Point         { return Point{Lat: c.lat / float64(c.n), Lon: c.lon / float64(c.n)} }

// NewBANIndex returns an empty index.
func NewBANIndex() *BANIndex {
	return &BANIndex{
		seed:      maphash.MakeSeed(),
		numbers:   map[uint64]point32{},
		streets:   map[uint64]*centroid{},
		communes:  map[string]*centroid{},
		postals:   map[string]*centroid{},
		byCity:    map[uint64]string{},
		cityNames: map[uint64]string{},
	}
}

// BANLoadReport sums up the reading of one BAN file.
type BANLoadReport struct {
	Lines     int `json:"lines"`     // data lines read
	Addresses int `json:"addresses"` // lines indexed
	Rejected  int `json:"rejected"`  // lines without a commune, street or valid position
}

func (x *BANIndex) key(parts ...string) uint64 {
	var h maphash.Hash
	h.SetSeed(x.seed)
	for _, p := range parts {
		h.WriteString(p)
		h.WriteByte(0)
	}
	return h.Sum64()
}

// Load reads one BAN CSV file (the columns are found by name) and adds
// its addresses to the index. Lines it cannot use are counted, not fatal;
// a header lacking a needed column is an error matching ErrInvalid.
func (x *BANIndex) Load(ctx context.Context, r io.Reader) (BANLoadReport, error) {
	var rep BANLoadReport
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxRNALineBytes)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return rep, fmt.Errorf("associations: ban: read header: %w", err)
		}
		return rep, fmt.Errorf("%w: ban: no header line", ErrInvalid)
	}
	header := strings.Split(strings.TrimPrefix(strings.TrimRight(sc.Text(), "\r"), "\uFEFF"), ";")
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	need := []string{"numero", "nom_voie", "code_postal", "code_insee", "nom_commune", "lon", "lat"}
	var missing []string
	for _, n := range need {
		if _, ok := col[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return rep, fmt.Errorf("%w: ban: header lacks %s", ErrInvalid, strings.Join(missing, ", "))
	}
	rc, hasRep := col["rep"]
	fields := make([]string, 0, len(header))
	// A file lists a street's numbers one after another: fold each street
	// and commune name once, not once per address.
	var lastVoie, lastStreet, lastCommune, lastCity string
	for sc.Scan() {
		if rep.Lines%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return rep, fmt.Errorf("associations: ban: %w", err)
			}
		}
		line := bytes.TrimRight(sc.Bytes(), "\r")
		if len(line) == 0 {
			continue
		}
		rep.Lines++
		fields = fields[:0]
		for _, f := range bytes.Split(line, []byte{';'}) {
			fields = append(fields, string(f))
		}
		if len(fields) != len(header) {
			rep.Rejected++
			continue
		}
		lat, err1 := strconv.ParseFloat(fields[col["lat"]], 64)
		lon, err2 := strconv.ParseFloat(fields[col["lon"]], 64)
		insee := strings.ToUpper(fields[col["code_insee"]])
		if v := fields[col["nom_voie"]]; v != lastVoie {
			lastVoie, lastStreet = v, normStreet(v)
		}
		street := lastStreet
		if c := fields[col["nom_commune"]]; c != lastCommune {
			lastCommune, lastCity = c, normCity(c)
		}
		if err1 != nil || err2 != nil || lat != lat || lon != lon || lat < -90 || lat > 90 || lon < -180 || lon > 180 || insee == "" || street == "" {
			rep.Rejected++
			continue
		}
		number := strings.TrimLeft(fields[col["numero"]], "0")
		repet := ""
		if hasRep {
			repet = strings.ToLower(fields[rc])
		}
		if number != "" {
			x.numbers[x.key(insee, street, number, repet)] = point32{float32(lat), float32(lon)}
		}
		addTo(x.streets, x.key(insee, street), lat, lon)
		addTo(x.communes, insee, lat, lon)
		postal := fields[col["code_postal"]]
		if postal != "" {
			addTo(x.postals, postal, lat, lon)
			x.byCity[x.key(postal, lastCity)] = insee
		}
		cityKey := x.key(lastCity)
		if prev, ok := x.cityNames[cityKey]; !ok {
			x.cityNames[cityKey] = insee
		} else if prev != insee {
			x.cityNames[cityKey] = "" // homonyms: a name alone is not enough
		}
		rep.Addresses++
	}
	if err := sc.Err(); err != nil {
		return rep, fmt.Errorf("associations: ban line %d: %w", rep.Lines+1, err)
	}
	return rep, nil
}

// repeatWords spells out the one-letter repetitions of the RNA.
var repeatWords = map[string]string{"b": "bis", "t": "ter", "q": "quater"}

func addTo[K comparable](m map[K]*centroid, k K, lat, lon float64) {
	c := m[k]
	if c == nil {
		c = &centroid{}
		m[k] = c
	}
	c.add(lat, lon)
}

// Len returns the number of addresses indexed by number.
func (x *BANIndex) Len() int { return len(x.numbers) }

// Geocode implements Geocoder: the house number when the index has it,
// else the street, else the commune (by INSEE code, or by postal code and
// name, or by a name no other commune bears), else the postal code.
func (x *BANIndex) Geocode(ctx context.Context, a Address) (Geocoded, error) {
	if err := ctx.Err(); err != nil {
		return Geocoded{}, err
	}
	insee := strings.ToUpper(strings.TrimSpace(a.CommuneCode))
	postal := strings.TrimSpace(a.PostalCode)
	if insee == "" && a.City != "" {
		if postal != "" {
			insee = x.byCity[x.key(postal, normCity(a.City))]
		}
		if insee == "" {
			insee = x.cityNames[x.key(normCity(a.City))]
		}
	}
	res := Geocoded{CommuneCode: insee, PostalCode: postal}
	if insee != "" {
		if number, repet, street := splitLine(a.Line1); street != "" {
			if number != "" {
				// The RNA writes "3 B" for 3 bis; the BAN has both "b" and "bis".
				for _, r := range []string{repet, repeatWords[repet]} {
					if p, ok := x.numbers[x.key(insee, street, number, r)]; ok && (r != "" || repet == "") {
						res.Point, res.Precision = Point{Lat: float64(p.lat), Lon: float64(p.lon)}, PrecisionHouseNumber
						return res, nil
					}
				}
			}
			if c, ok := x.streets[x.key(insee, street)]; ok {
				res.Point, res.Precision = c.point(), PrecisionStreet
				return res, nil
			}
		}
		if c, ok := x.communes[insee]; ok {
			res.Point, res.Precision = c.point(), PrecisionMunicipality
			return res, nil
		}
	}
	if c, ok := x.postals[postal]; ok && postal != "" {
		res.Point, res.Precision = c.point(), PrecisionPostalCode
		return res, nil
	}
	return Geocoded{}, ErrNotGeocoded
}
