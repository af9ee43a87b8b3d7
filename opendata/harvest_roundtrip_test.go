package opendata_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
)

// harvestCatalog builds a catalogue that sets every property the DCAT-AP
// writers write, so that a round trip checks each one.
func harvestCatalog() *opendata.Catalog {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	publisher := &opendata.Agent{
		IRI:        "https://data.example.org/org/ville",
		Name:       opendata.Text{"fr": "Ville d'Exemple", "en": "City of Example"},
		Type:       opendata.AgentLocalAuthority,
		Homepage:   "https://www.example.org/",
		Email:      "opendata@example.org",
		Identifier: "213100000",
	}
	contact := opendata.Contact{
		IRI:   "https://data.example.org/contact/opendata",
		Name:  "Service des données",
		Email: "donnees@example.org",
		Phone: "+33100000000",
		URL:   "https://www.example.org/contact",
		Address: opendata.Address{
			Street: "1 place de la Mairie", Locality: "Exemple", PostalCode: "99000",
			Region: "Région", Country: "France",
		},
	}
	series := &opendata.DatasetSeries{
		IRI:                "https://data.example.org/series/budget",
		Identifier:         "budget",
		Title:              opendata.Text{"fr": "Budget", "en": "Budget"},
		Description:        opendata.Text{"fr": "Le budget de chaque année."},
		Publisher:          publisher,
		ContactPoints:      []opendata.Contact{contact},
		AccrualPeriodicity: opendata.FrequencyAnnual,
		Spatial:            []opendata.Location{{IRI: opendata.SchemeCountry + "/FRA"}},
		Temporal:           []opendata.PeriodOfTime{{Start: day(2020, 1, 1), End: day(2024, 12, 31)}},
		Issued:             day(2020, 3, 1),
		Modified:           day(2024, 3, 1),
		Applicable:         []string{"http://data.europa.eu/eli/dir/2019/1024/oj"},
	}
	d1 := &opendata.Dataset{
		Identifier:  "budget-2023",
		IRI:         "https://data.example.org/dataset/budget-2023",
		Title:       opendata.Text{"fr": "Budget 2023", "en": "Budget 2023"},
		Description: opendata.Text{"fr": "Budget primitif 2023.", "en": "2023 budget."},
		Keywords:    opendata.Keywords{"fr": {"budget", "finances"}, "en": {"budget"}},
		Themes:      []opendata.Theme{opendata.ThemeEconomy, opendata.ThemeGovernment},
		Type:        opendata.DatasetStatistical,
		Publisher:   publisher,
		Creators: []opendata.Agent{{
			IRI: "https://data.example.org/org/finances", Name: opendata.Text{"fr": "Direction des finances"},
		}},
		ContactPoints:      []opendata.Contact{contact},
		Issued:             day(2023, 1, 15),
		Modified:           time.Date(2023, 6, 1, 10, 30, 0, 0, time.UTC),
		Languages:          []opendata.Language{opendata.LanguageFrench, opendata.LanguageEnglish},
		Spatial:            []opendata.Location{{IRI: "https://data.example.org/place/exemple", Label: opendata.Text{"fr": "Exemple"}, Geometry: "POINT(2.35 48.85)", BBox: "POLYGON((2.2 48.8,2.5 48.8,2.5 48.9,2.2 48.9,2.2 48.8))", Centroid: "POINT(2.35 48.85)"}},
		Temporal:           []opendata.PeriodOfTime{{Start: day(2023, 1, 1), End: day(2023, 12, 31)}},
		AccrualPeriodicity: opendata.FrequencyAnnual,
		AccessRights:       opendata.AccessPublic,
		ConformsTo:         []opendata.Standard{{IRI: "https://schema.data.gouv.fr/scdl/budget/", Title: opendata.Text{"fr": "Budget (SCDL)"}}},
		LandingPage:        "https://www.example.org/budget-2023",
		Documentation:      []string{"https://www.example.org/budget-2023/notice"},
		OtherIdentifiers: []opendata.Identifier{
			{Notation: "5f3c-budget", Scheme: "https://www.data.gouv.fr/", Issuer: "data.gouv.fr", Created: "2023-01-15"},
			{Notation: "local-42"},
		},
		Reuses: []opendata.Reuse{
			{URL: "https://reuse.example.net/carte-budget", Title: opendata.Text{"fr": "Carte du budget"}, Type: opendata.ReuseVisualization,
				Organization: &opendata.Agent{IRI: "https://reuse.example.net/", Name: opendata.Text{"fr": "Association Données Citoyennes"}}},
			{URL: "https://news.example.net/article-budget", Title: opendata.Text{"fr": "Où va l'argent ?"}, Type: opendata.ReuseArticle},
		},
		Samples: []opendata.Distribution{{
			Title:       opendata.Text{"fr": "Extrait (10 lignes)"},
			AccessURL:   "https://data.example.org/files/budget-2023-extrait.csv",
			DownloadURL: "https://data.example.org/files/budget-2023-extrait.csv",
			Format:      opendata.FileTypeCSV,
		}},
		Version:         "1.1",
		VersionNotes:    opendata.Text{"fr": "Corrections des totaux."},
		HasVersion:      []string{"https://data.example.org/dataset/budget-2023-v1"},
		IsVersionOf:     "https://data.example.org/dataset/budget",
		PreviousVersion: "https://data.example.org/dataset/budget-2023-v1",
		InSeries:        []string{series.IRI},
		Provenance:      []opendata.ProvenanceStatement{{Label: opendata.Text{"fr": "Extrait du logiciel financier."}}},
		WasGeneratedBy: []opendata.Activity{{
			IRI: "https://data.example.org/activity/vote-budget-2023", Label: opendata.Text{"fr": "Vote du budget"},
			Start: day(2022, 12, 1), End: time.Date(2022, 12, 15, 18, 0, 0, 0, time.UTC),
		}},
		Attributions: []opendata.Attribution{{
			Agent: opendata.Agent{IRI: "https://data.example.org/org/finances", Name: opendata.Text{"fr": "Direction des finances"}},
			Role:  opendata.RoleOriginator,
		}},
		QualityNotes:   []opendata.QualityNote{{Dimension: "http://www.w3.org/ns/dqv#completeness", Body: opendata.Text{"fr": "Les lignes de moins de 1 € sont omises."}}},
		Sources:        []string{"https://data.example.org/dataset/comptes-2023"},
		Related:        []string{"https://www.example.org/deliberations"},
		IsReferencedBy: []string{"https://doi.org/10.0000/example"},
		QualifiedRelations: []opendata.Relationship{
			{Relation: "https://data.example.org/dataset/budget-2022", Role: "http://www.iana.org/assignments/relation/predecessor-version"},
		},
		Applicable:                []string{"http://data.europa.eu/eli/dir/2019/1024/oj"},
		SpatialResolutionInMeters: 12.5,
		TemporalResolution:        "P1D",
		Distributions: []opendata.Distribution{
			{
				Title:          opendata.Text{"fr": "Budget 2023 (CSV)"},
				Description:    opendata.Text{"fr": "Une ligne par article."},
				AccessURL:      "https://data.example.org/dataset/budget-2023",
				DownloadURL:    "https://data.example.org/files/budget-2023.csv",
				AccessServices: []string{"https://data.example.org/api"},
				Format:         opendata.FileTypeCSV,
				MediaType:      opendata.MediaTypeCSV,
				CompressFormat: opendata.MediaTypeOf("application/gzip"),
				PackageFormat:  opendata.MediaTypeOf("application/x-tar"),
				ByteSize:       123456,
				Checksum:       &opendata.Checksum{Algorithm: opendata.ChecksumSHA256, Value: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
				License:        opendata.DefaultLicense(),
				Rights:         opendata.RightsStatement{Label: opendata.Text{"fr": "Réutilisation libre."}},
				Languages:      []opendata.Language{opendata.LanguageFrench},
				ConformsTo:     []opendata.Standard{{IRI: "https://schema.data.gouv.fr/scdl/budget/", Title: opendata.Text{"fr": "Budget (SCDL)"}}}, // one node in RDF: same title
				Issued:         day(2023, 1, 15),
				Modified:       day(2023, 6, 1),
				Status:         opendata.StatusCompleted,
				Availability:   opendata.AvailabilityStable,
				Documentation:  []string{"https://www.example.org/budget-2023/colonnes"},
				Encoding:       "windows-1252",
				Delimiter:      ";",
				Applicable:     []string{"http://data.europa.eu/eli/reg_impl/2023/138/oj"},
				Columns: []opendata.Column{
					{Name: "article", Title: opendata.Text{"fr": "Article"}, Description: opendata.Text{"fr": "Code de l'article"}, Type: opendata.ColumnString, Required: true},
					{Name: "montant", Title: opendata.Text{"fr": "Montant"}, Type: opendata.ColumnNumber},
					{Name: "annee", Type: opendata.ColumnYear},
				},
				SpatialResolutionInMeters: 5,
				TemporalResolution:        "P1M",
			},
			{
				IRI:       "https://data.example.org/distribution/budget-2023-json",
				Title:     opendata.Text{"en": "Budget 2023 (JSON)"},
				AccessURL: "https://data.example.org/api/budget-2023",
				Format:    opendata.FileTypeJSON,
				MediaType: opendata.MediaTypeJSON,
				License:   opendata.LicenseDocument{IRI: opendata.LicenseCCBY40, Title: opendata.Text{"en": "CC BY 4.0"}, Type: opendata.LicenseTypeAttribution, SPDX: "CC-BY-4.0", URL: "https://creativecommons.org/licenses/by/4.0/"},
			},
		},
	}
	d2 := &opendata.Dataset{
		Identifier:  "budget-2024",
		IRI:         "https://data.example.org/dataset/budget-2024",
		Title:       opendata.Text{"fr": "Budget 2024"},
		Description: opendata.Text{"fr": "Budget primitif 2024."},
		Keywords:    opendata.Keywords{"": {"budget"}},
		Issued:      day(2024, 1, 15),
		InSeries:    []string{series.IRI},
		Distributions: []opendata.Distribution{{
			AccessURL: "https://data.example.org/dataset/budget-2024",
			Format:    opendata.FileTypeCSV,
			License:   opendata.DefaultLicense(),
		}},
	}
	service := &opendata.DataService{
		IRI:                 "https://data.example.org/api",
		Identifier:          "api-portail",
		Title:               opendata.Text{"fr": "API du portail"},
		Description:         opendata.Text{"fr": "Accès aux jeux de données."},
		EndpointURLs:        []string{"https://data.example.org/api/v1"},
		EndpointDescription: []string{"https://data.example.org/api/openapi.json"},
		ServesDatasets:      []string{d1.IRI},
		Publisher:           publisher,
		ContactPoints:       []opendata.Contact{contact},
		Keywords:            opendata.Keywords{"fr": {"api"}},
		Themes:              []opendata.Theme{opendata.ThemeGovernment},
		Formats:             []opendata.FileType{opendata.FileTypeJSON},
		License:             opendata.DefaultLicense(),
		AccessRights:        opendata.AccessPublic,
		ConformsTo:          []opendata.Standard{{IRI: "https://spec.openapis.org/oas/v3.1.0"}},
		LandingPage:         "https://data.example.org/api/docs",
		Applicable:          []string{"http://data.europa.eu/eli/dir/2019/1024/oj"},
	}
	return &opendata.Catalog{
		IRI:           "https://data.example.org/catalog",
		Title:         opendata.Text{"fr": "Données de la Ville d'Exemple", "en": "City of Example open data"},
		Description:   opendata.Text{"fr": "Le catalogue de la ville."},
		Publisher:     publisher,
		Creator:       &opendata.Agent{IRI: "https://data.example.org/org/dsi", Name: opendata.Text{"fr": "DSI"}},
		Homepage:      "https://data.example.org/",
		Languages:     []opendata.Language{opendata.LanguageFrench},
		License:       opendata.DefaultLicense(),
		Rights:        opendata.RightsStatement{IRI: "https://data.example.org/rights", Label: opendata.Text{"fr": "Données publiques."}},
		Issued:        day(2019, 5, 1),
		Modified:      time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC),
		Spatial:       []opendata.Location{{IRI: opendata.SchemePlace + "/FRA_PAR"}},
		ThemeTaxonomy: []string{opendata.SchemeDataTheme},
		Applicable:    []string{"http://data.europa.eu/eli/dir/2019/1024/oj"},
		Catalogs:      []string{"https://data.example.org/catalog/archives"},
		Datasets:      []*opendata.Dataset{d1, d2},
		Series:        []*opendata.DatasetSeries{series},
		Services:      []*opendata.DataService{service},
	}
}

// writtenForm is what a DCAT-AP writer keeps of a catalogue: the model
// properties that have no RDF form (store keys, Table Schema details) are
// cleared.
func writtenForm(c *opendata.Catalog) *opendata.Catalog {
	out := *c
	out.Datasets = nil
	for _, d := range c.Datasets {
		cp := *d
		cp.Distributions = append([]opendata.Distribution(nil), d.Distributions...)
		for i := range cp.Distributions {
			ds := &cp.Distributions[i]
			cols := append([]opendata.Column(nil), ds.Columns...)
			for j := range cols {
				cols[j].Format, cols[j].Unit, cols[j].Enum, cols[j].PrimaryKey = "", "", nil, false
			}
			ds.Columns = cols
		}
		out.Datasets = append(out.Datasets, &cp)
	}
	return &out
}

func TestReadTurtleRoundTrip(t *testing.T) {
	c := harvestCatalog()
	var buf bytes.Buffer
	require.NoError(t, opendata.WriteTurtle(&buf, c))
	res, err := opendata.ReadTurtle(&buf, opendata.ReadOptions{})
	require.NoError(t, err)
	assert.Empty(t, res.Problems)
	assert.Nil(t, res.Page)
	assert.Equal(t, writtenForm(c), res.Catalog)
}

func TestReadJSONLDRoundTrip(t *testing.T) {
	c := harvestCatalog()
	var buf bytes.Buffer
	require.NoError(t, opendata.WriteJSONLD(&buf, c))
	res, err := opendata.ReadJSONLD(context.Background(), &buf, opendata.ReadOptions{})
	require.NoError(t, err)
	assert.Empty(t, res.Problems)
	assert.Equal(t, writtenForm(c), res.Catalog)
}
