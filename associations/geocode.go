package associations

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/civickit/civickit"
)

// Geocoding turns an address into a position so that "near me" finds the
// associations an RNA import brought in without coordinates. A Geocoder
// is what the Service needs; BANIndex answers offline from the Base
// Adresse Nationale's files, BANClient asks the BAN's HTTP API.

// Precision says how close a geocoded position is to the address.
type Precision string

const (
	PrecisionHouseNumber  Precision = "housenumber"  // the door
	PrecisionStreet       Precision = "street"       // the street's middle
	PrecisionMunicipality Precision = "municipality" // the commune's centroid
	PrecisionPostalCode   Precision = "postal_code"  // the postal code's centroid
)

// Geocoded is a position found for an address.
type Geocoded struct {
	Point       Point     `json:"point"`
	Precision   Precision `json:"precision"`
	CommuneCode string    `json:"commune_code,omitempty"`
	PostalCode  string    `json:"postal_code,omitempty"`
	Label       string    `json:"label,omitempty"`
}

// Geocoder finds the position of an address: Line1 (number and street),
// PostalCode, City and CommuneCode are read, any of them may be empty.
// Nothing found is an error matching ErrNotFound.
type Geocoder interface {
	Geocode(ctx context.Context, a Address) (Geocoded, error)
}

// ErrNotGeocoded is returned when no position is found for an address.
var ErrNotGeocoded = civickit.Sentinel(ErrNotFound, "associations: address not found")

// normStreet folds a street name for matching: accents and case dropped,
// the abbreviations of street types used by the RNA ("BD", "AV", "CHE")
// expanded, articles dropped ("Boulevard du Port" and "BD DU PORT" meet).
func normStreet(s string) string {
	words := strings.FieldsFunc(civickit.Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := words[:0]
	for _, w := range words {
		if articles[w] {
			continue
		}
		if full, ok := streetTypes[w]; ok {
			w = full
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

var articles = map[string]bool{"de": true, "du": true, "des": true, "la": true, "le": true, "les": true, "l": true, "d": true, "a": true, "au": true, "aux": true, "en": true}

// streetTypes expands the street-type codes of the RNA and La Poste.
var streetTypes = map[string]string{
	"av": "avenue", "ave": "avenue", "bd": "boulevard", "bld": "boulevard", "bvd": "boulevard",
	"pl": "place", "che": "chemin", "chem": "chemin", "imp": "impasse", "all": "allee",
	"rte": "route", "qu": "quai", "sq": "square", "crs": "cours", "fg": "faubourg", "fbg": "faubourg",
	"pas": "passage", "psg": "passage", "res": "residence", "r": "rue", "ch": "chemin", "lot": "lotissement",
	"sen": "sente", "ham": "hameau", "mte": "montee", "prom": "promenade", "vla": "villa", "vil": "villa",
	"esp": "esplanade", "car": "carrefour", "rpt": "rond point", "za": "zone activite", "zi": "zone industrielle",
	"cite": "cite", "cit": "cite", "tra": "traverse", "trav": "traverse", "parv": "parvis", "pont": "pont",
}

// repetitions are the suffixes of a house number.
var repetitions = map[string]bool{"bis": true, "ter": true, "quater": true, "quinquies": true, "a": true, "b": true, "c": true, "d": true, "b1": true, "b2": true}

// splitLine reads "14 BIS AV de la Gare" as number "14", repetition
// "bis" and street "avenue gare" (normalised). A line without a leading
// number is all street.
func splitLine(line string) (number, rep, street string) {
	f := strings.Fields(civickit.Fold(line))
	if len(f) == 0 {
		return "", "", ""
	}
	n := strings.TrimRight(f[0], ",")
	i := 0
	for i < len(n) && n[i] >= '0' && n[i] <= '9' {
		i++
	}
	if i == 0 {
		return "", "", normStreet(line)
	}
	number = strings.TrimLeft(n[:i], "0")
	rest := f[1:]
	if suffix := n[i:]; suffix != "" { // "14bis"
		rep = suffix
	} else if len(rest) > 1 && repetitions[rest[0]] {
		rep, rest = rest[0], rest[1:]
	}
	return number, rep, normStreet(strings.Join(rest, " "))
}

// normCity folds a commune name: "Saint-Étienne" and "ST ETIENNE" meet.
func normCity(s string) string {
	words := strings.FieldsFunc(civickit.Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for i, w := range words {
		switch w {
		case "st":
			words[i] = "saint"
		case "ste":
			words[i] = "sainte"
		}
	}
	return strings.Join(words, " ")
}

// GeocodeOptions tunes Service.GeocodeAll.
type GeocodeOptions struct {
	// Relocate geocodes associations that already have a position too.
	Relocate bool
	// Improve geocodes again the associations a geocoder placed coarser
	// than a house number (by their stored precision) and keeps a new
	// position only when it is finer: after a better address file is
	// loaded, say. A position the association gave is never replaced.
	Improve bool
	// MinPrecision skips results coarser than this: "" keeps all;
	// PrecisionStreet keeps house numbers and streets.
	MinPrecision Precision
	// OnProgress, when set, is called after every page of associations.
	OnProgress func(GeocodeReport)
}

// GeocodeReport sums up a batch geocoding.
type GeocodeReport struct {
	Scanned        int               `json:"scanned"`         // associations read
	AlreadyLocated int               `json:"already_located"` // skipped: they had a position
	Located        map[Precision]int `json:"located"`         // positions written, by precision
	NotFound       int               `json:"not_found"`       // no position, or a coarser one than asked
	Conflicts      int               `json:"conflicts"`       // changed meanwhile: left for the next run
}

var precisionRank = map[Precision]int{PrecisionHouseNumber: 4, PrecisionStreet: 3, PrecisionMunicipality: 2, PrecisionPostalCode: 1}

// GeocodeAll gives a position to every association lacking one (all of
// them with Relocate), page by page in name order, and reports what it
// did. A geocoder failure other than "not found" stops it with the
// report so far; an association updated meanwhile is counted as a
// conflict and left alone.
func (s *Service) GeocodeAll(ctx context.Context, g Geocoder, opts GeocodeOptions) (GeocodeReport, error) {
	rep := GeocodeReport{Located: map[Precision]int{}}
	after := ""
	for {
		page, err := s.store.SearchAssociations(ctx, Filter{}, after, civickit.MaxLimit)
		if err != nil {
			return rep, fmt.Errorf("geocode associations: %w", err)
		}
		for i := range page.Items {
			a := &page.Items[i]
			rep.Scanned++
			improving := false
			if a.Address.Location != nil && !opts.Relocate {
				if !opts.Improve || a.Address.Precision == "" || a.Address.Precision == PrecisionHouseNumber {
					rep.AlreadyLocated++
					continue
				}
				improving = true
			}
			res, err := g.Geocode(ctx, a.Address)
			switch {
			case errors.Is(err, ErrNotFound):
				rep.NotFound++
				continue
			case err != nil:
				return rep, fmt.Errorf("geocode association %s: %w", a.ID, err)
			case opts.MinPrecision != "" && precisionRank[res.Precision] < precisionRank[opts.MinPrecision]:
				rep.NotFound++
				continue
			case improving && precisionRank[res.Precision] <= precisionRank[a.Address.Precision]:
				rep.AlreadyLocated++
				continue
			}
			p := res.Point
			a.Address.Location, a.Address.Precision = &p, res.Precision
			a.UpdatedAt = s.now().UTC()
			switch err := s.store.UpdateAssociation(ctx, a); {
			case errors.Is(err, ErrConflict):
				rep.Conflicts++
			case err != nil:
				return rep, fmt.Errorf("geocode association %s: %w", a.ID, err)
			default:
				rep.Located[res.Precision]++
			}
		}
		if opts.OnProgress != nil {
			opts.OnProgress(rep)
		}
		if page.Next == "" {
			return rep, nil
		}
		after = page.Next
	}
}

// Locate geocodes a place given by a person looking for associations
// near them (an address, a postal code or a commune), with the Service's
// Geocoder. Without one it fails with ErrUnavailable.
func (s *Service) Locate(ctx context.Context, a Address) (Geocoded, error) {
	if s.geocoder == nil {
		return Geocoded{}, fmt.Errorf("%w: associations: no geocoder configured", civickit.ErrUnavailable)
	}
	if a.Line1 == "" && a.PostalCode == "" && a.City == "" && a.CommuneCode == "" {
		return Geocoded{}, civickit.Invalid("address", "required", "")
	}
	return s.geocoder.Geocode(ctx, a)
}
