package opendatatest

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit/opendata"
)

// Fixture builders. They are deterministic for a given rng, produce
// datasets that pass opendata.Dataset.Validate without violations, and
// carry CreatedAt and UpdatedAt with microsecond precision (what every
// supported database keeps).

// BaseTime is the instant every fixture timestamp is derived from.
var BaseTime = time.Date(2025, time.March, 1, 9, 30, 0, 123456000, time.UTC)

// NewRand returns a PCG generator for a fixed seed.
func NewRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// NewID returns a random (version 4) UUID drawn from rng.
func NewID(rng *rand.Rand) uuid.UUID {
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[:8], rng.Uint64())
	binary.BigEndian.PutUint64(u[8:], rng.Uint64())
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}

// Publishers are the organisations NewDataset picks from. Two share a
// name but not an IRI: they are one publisher to search (PublisherKey).
var Publishers = []opendata.Agent{
	{IRI: "https://www.lyon.fr/", Name: opendata.Text{"fr": "Ville de Lyon"}, Type: opendata.AgentLocalAuthority, Identifier: "216901231"},
	{IRI: "https://www.paris.fr/", Name: opendata.Text{"fr": "Ville de Paris", "en": "City of Paris"}, Type: opendata.AgentLocalAuthority, Identifier: "217500016"},
	{IRI: "https://www.nantesmetropole.fr/", Name: opendata.Text{"": "Nantes Métropole"}, Type: opendata.AgentLocalAuthority},
	{IRI: "https://www.auvergnerhonealpes.fr/", Name: opendata.Text{"fr": "Région Auvergne-Rhône-Alpes"}, Type: opendata.AgentRegionalAuthority},
	{IRI: "https://www.insee.fr/", Name: opendata.Text{"fr": "Institut national de la statistique et des études économiques", "en": "INSEE"}, Type: opendata.AgentNationalAuthority},
	{IRI: "https://example.org/asso/velo", Name: opendata.Text{"fr": "Association Vélo & Cité"}, Type: opendata.AgentNonProfit},
}

var (
	fixtureThemes = []opendata.Theme{
		opendata.ThemeGovernment, opendata.ThemeTransport, opendata.ThemeEnvironment, opendata.ThemeEconomy,
		opendata.ThemeSociety, opendata.ThemeEducation, opendata.ThemeRegions, opendata.ThemeHealth,
	}
	fixtureFormats = []struct {
		format opendata.FileType
		media  opendata.MediaType
		ext    string
	}{
		{opendata.FileTypeCSV, opendata.MediaTypeCSV, "csv"},
		{opendata.FileTypeJSON, opendata.MediaTypeJSON, "json"},
		{opendata.FileTypeGeoJSON, opendata.MediaTypeGeoJSON, "geojson"},
		{opendata.FileTypeXLSX, opendata.MediaTypeXLSX, "xlsx"},
		{opendata.FileTypePDF, opendata.MediaTypePDF, "pdf"},
	}
	fixtureLicenses = []string{opendata.LicenseEtalab20, opendata.LicenseEtalab20, opendata.LicenseODbL, opendata.LicenseCCBY40, opendata.LicenseCC0}
	subjectsFR      = []string{"budget", "délibérations", "vélo", "stationnement", "qualité de l'air", "écoles", "subventions",
		"arbres", "bibliothèques", "élections", "consultation", "collecte des déchets", "accidents", "population", "Œuvres d'art"}
	subjectsEN = []string{"budget", "council decisions", "cycling", "parking", "air quality", "schools", "grants",
		"trees", "libraries", "elections", "consultation", "waste collection", "accidents", "population", "artworks"}
	places = []string{"Lyon", "Paris", "Nantes", "Villeurbanne", "Saint-Étienne", "Grenoble"}
)

// Identifier returns the dct:identifier of fixture i.
func Identifier(i int) string { return fmt.Sprintf("civickit-test-%06d", i) }

// IRI returns the IRI of fixture i.
func IRI(i int) string { return fmt.Sprintf("https://data.example.org/datasets/%06d", i) }

// NewDataset returns fixture i: a valid dataset with a publisher from
// Publishers (one in eleven has none), one to three themes, keywords in
// French and often English, zero to three distributions of various formats
// and licences, and CreatedAt/UpdatedAt derived from BaseTime (several
// fixtures share an UpdatedAt, so orders need their ID tie-break).
func NewDataset(rng *rand.Rand, i int) opendata.Dataset {
	s := rng.IntN(len(subjectsFR))
	place := places[rng.IntN(len(places))]
	year := 2015 + rng.IntN(11)
	created := BaseTime.Add(time.Duration(rng.IntN(5000)) * time.Hour)
	d := opendata.Dataset{
		ID:         NewID(rng),
		Identifier: Identifier(i),
		IRI:        IRI(i),
		Title: opendata.Text{
			"fr": fmt.Sprintf("%s — %s %d", capitalize(subjectsFR[s]), place, year),
		},
		Description: opendata.Text{
			"fr": fmt.Sprintf("Données « %s » publiées pour %s, année %d.", subjectsFR[s], place, year),
		},
		Keywords:           opendata.Keywords{"fr": {subjectsFR[s], place}},
		Themes:             pick(rng, fixtureThemes, 1+rng.IntN(3)),
		Languages:          []opendata.Language{opendata.LanguageFrench},
		AccrualPeriodicity: opendata.FrequencyAnnual,
		AccessRights:       opendata.AccessPublic,
		Issued:             time.Date(year, time.January, 1+rng.IntN(28), 0, 0, 0, 0, time.UTC),
		Temporal:           []opendata.PeriodOfTime{{Start: time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)}},
		CreatedAt:          created,
		UpdatedAt:          created.Add(time.Duration(rng.IntN(4)) * 24 * time.Hour),
	}
	if rng.IntN(2) == 0 {
		d.Title["en"] = fmt.Sprintf("%s — %s %d", capitalize(subjectsEN[s]), place, year)
		d.Keywords["en"] = []string{subjectsEN[s]}
	}
	if rng.IntN(11) != 0 {
		p := Publishers[rng.IntN(len(Publishers))]
		p.Name = cloneText(p.Name)
		d.Publisher = &p
		d.ContactPoints = []opendata.Contact{{Name: "Service open data", Email: "opendata@example.org", URL: p.IRI}}
	}
	for k := range rng.IntN(4) {
		f := fixtureFormats[rng.IntN(len(fixtureFormats))]
		lic, _ := opendata.KnownLicense(fixtureLicenses[rng.IntN(len(fixtureLicenses))])
		url := fmt.Sprintf("https://data.example.org/files/%06d-%d.%s", i, k, f.ext)
		d.Distributions = append(d.Distributions, opendata.Distribution{
			Title:        opendata.Text{"fr": fmt.Sprintf("Fichier %d (%s)", k+1, f.ext)},
			AccessURL:    url,
			DownloadURL:  url,
			Format:       f.format,
			MediaType:    f.media,
			ByteSize:     int64(100 + rng.IntN(1_000_000)),
			License:      lic,
			Availability: opendata.AvailabilityStable,
		})
	}
	return d
}

func capitalize(s string) string {
	for i, r := range s {
		return string([]rune{toUpper(r)}) + s[i+len(string(r)):]
	}
	return s
}

func toUpper(r rune) rune {
	if r >= 'a' && r <= 'z' {
		return r - 'a' + 'A'
	}
	switch r {
	case 'é':
		return 'É'
	case 'œ':
		return 'Œ'
	}
	return r
}

func pick[T any](rng *rand.Rand, from []T, n int) []T {
	idx := rng.Perm(len(from))[:n]
	slices.Sort(idx)
	out := make([]T, n)
	for i, j := range idx {
		out[i] = from[j]
	}
	return out
}

func cloneText(t opendata.Text) opendata.Text {
	if t == nil {
		return nil
	}
	out := make(opendata.Text, len(t))
	for k, v := range t {
		out[k] = v
	}
	return out
}

// RichDataset returns a dataset that sets every field of the model, for
// round-trip tests.
func RichDataset(id uuid.UUID, identifier string) opendata.Dataset {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	lic := opendata.DefaultLicense()
	return opendata.Dataset{
		ID:          id,
		Identifier:  identifier,
		IRI:         "https://data.example.org/datasets/" + identifier,
		Title:       opendata.Text{"fr": "Budget participatif 2025 — résultats", "en": "Participatory budget 2025 — results", "": "BP 2025"},
		Description: opendata.Text{"fr": "Votes par projet et par quartier.\nComptes inférieurs à 5 masqués.", "en": "Votes per project and district."},
		Keywords:    opendata.Keywords{"fr": {"budget participatif", "vote", "quartiers"}, "en": {"participatory budgeting"}, "br": {"budjed"}},
		Themes:      []opendata.Theme{opendata.ThemeGovernment, opendata.ThemeRegions},
		Type:        opendata.DatasetStatistical,
		Publisher:   &opendata.Agent{IRI: "https://www.lyon.fr/", Name: opendata.Text{"fr": "Ville de Lyon"}, Type: opendata.AgentLocalAuthority, Homepage: "https://www.lyon.fr/", Email: "opendata@mairie-lyon.fr", Identifier: "216901231"},
		Creators:    []opendata.Agent{{Name: opendata.Text{"fr": "Direction de la démocratie locale"}, Type: opendata.AgentLocalAuthority}},
		ContactPoints: []opendata.Contact{{IRI: "https://www.lyon.fr/contact", Name: "Service open data", Email: "opendata@mairie-lyon.fr",
			Phone: "+33 4 72 10 30 30", URL: "https://www.lyon.fr/", Address: opendata.Address{Street: "1 place de la Comédie", Locality: "Lyon", PostalCode: "69001", Country: "France"}}},
		Distributions: []opendata.Distribution{{
			IRI: "https://data.example.org/datasets/" + identifier + "/csv", Title: opendata.Text{"fr": "Résultats (CSV)"}, Description: opendata.Text{"fr": "Une ligne par projet"},
			AccessURL: "https://data.example.org/files/bp2025.csv", DownloadURL: "https://data.example.org/files/bp2025.csv",
			AccessServices: []string{"https://data.example.org/api"}, Format: opendata.FileTypeCSV, MediaType: opendata.MediaTypeCSV,
			CompressFormat: opendata.MediaTypeOf("application/gzip"), PackageFormat: opendata.MediaTypeOf("application/x-tar"),
			ByteSize: 123456, Checksum: &opendata.Checksum{Algorithm: opendata.ChecksumSHA256, Value: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
			License: lic, Rights: opendata.RightsStatement{IRI: "https://data.example.org/rights", Label: opendata.Text{"fr": "Réutilisation libre"}},
			Languages: []opendata.Language{opendata.LanguageFrench}, ConformsTo: []opendata.Standard{{IRI: "https://schema.data.gouv.fr/example/", Title: opendata.Text{"fr": "Schéma"}}},
			Issued: day(2025, 6, 1), Modified: time.Date(2025, 6, 2, 10, 11, 12, 345678901, time.UTC), Status: opendata.StatusCompleted,
			Availability: opendata.AvailabilityStable, Documentation: []string{"https://data.example.org/doc"}, SpatialResolutionInMeters: 12.5,
			TemporalResolution: "P1D", Encoding: "utf-8", Delimiter: ";",
			Columns: []opendata.Column{
				{Name: "projet", Title: opendata.Text{"fr": "Projet"}, Type: opendata.ColumnString, Required: true, PrimaryKey: true},
				{Name: "votes", Title: opendata.Text{"fr": "Votes"}, Description: opendata.Text{"fr": "masqué sous 5"}, Type: opendata.ColumnInteger, Unit: "1", Enum: []string{"a", "b"}, Format: "default"},
			},
		}},
		Issued:             day(2025, 6, 1),
		Modified:           time.Date(2025, 6, 2, 8, 0, 0, 0, time.FixedZone("CEST", 2*3600)),
		Languages:          []opendata.Language{opendata.LanguageFrench, opendata.LanguageEnglish},
		Spatial:            []opendata.Location{{IRI: "http://publications.europa.eu/resource/authority/place/FRA_LYO", Label: opendata.Text{"fr": "Lyon"}, Geometry: "POINT(4.835 45.764)", BBox: "POLYGON((4.77 45.70,4.90 45.70,4.90 45.81,4.77 45.81,4.77 45.70))", Centroid: "POINT(4.835 45.764)"}},
		Temporal:           []opendata.PeriodOfTime{{Start: day(2025, 1, 1), End: day(2025, 5, 31)}},
		AccrualPeriodicity: opendata.FrequencyAnnual,
		AccessRights:       opendata.AccessPublic,
		ConformsTo:         []opendata.Standard{{IRI: "https://schema.data.gouv.fr/bp/"}},
		LandingPage:        "https://www.lyon.fr/budget-participatif",
		Documentation:      []string{"https://www.lyon.fr/bp/reglement.pdf"},
		OtherIdentifiers:   []opendata.Identifier{{Notation: "bp-2025", Scheme: "https://www.data.gouv.fr/", Issuer: "data.gouv.fr", Created: "2025"}},
		Version:            "1.2",
		VersionNotes:       opendata.Text{"fr": "Correction d'un quartier"},
		HasVersion:         []string{"https://data.example.org/datasets/" + identifier + "/v1"},
		IsVersionOf:        "https://data.example.org/datasets/bp",
		PreviousVersion:    "https://data.example.org/datasets/" + identifier + "/v1",
		InSeries:           []string{"https://data.example.org/series/bp"},
		Provenance:         []opendata.ProvenanceStatement{{IRI: "https://data.example.org/prov/1", Label: opendata.Text{"fr": "Dépouillement du vote en ligne"}}},
		WasGeneratedBy:     []opendata.Activity{{IRI: "https://data.example.org/votes/bp2025", Label: opendata.Text{"fr": "Vote du budget participatif"}, Start: time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC), End: time.Date(2025, 5, 31, 20, 0, 0, 0, time.UTC)}},
		Attributions:       []opendata.Attribution{{Agent: opendata.Agent{Name: opendata.Text{"fr": "Métropole de Lyon"}}, Role: opendata.RoleOriginator}},
		QualityNotes:       []opendata.QualityNote{{Dimension: "http://iso25000.com/index.php/en/iso-25000-standards/iso-25012#completeness", Body: opendata.Text{"fr": "Comptes < 5 masqués"}}},
		Sources:            []string{"https://data.example.org/datasets/ballots"},
		Related:            []string{"https://data.example.org/datasets/projects"},
		IsReferencedBy:     []string{"https://doi.org/10.0000/example"},
		Applicable:         []string{"http://data.europa.eu/eli/reg_impl/2023/138/oj"},

		SpatialResolutionInMeters: 100,
		TemporalResolution:        "P1M",
		CreatedAt:                 time.Date(2025, 6, 3, 10, 0, 0, 123456000, time.UTC),
		UpdatedAt:                 time.Date(2025, 6, 4, 10, 0, 0, 654321000, time.UTC),
	}
}

// Clone returns a deep copy of d (through its JSON form, which keeps
// every field), so that a store keeping or changing what it is given
// cannot change a test's expectations.
func Clone(d opendata.Dataset) opendata.Dataset {
	b, err := json.Marshal(d)
	if err != nil {
		panic(err)
	}
	var c opendata.Dataset
	if err := json.Unmarshal(b, &c); err != nil {
		panic(err)
	}
	return c
}
