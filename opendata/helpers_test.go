package opendata_test

import (
	"fmt"
	"time"

	"github.com/civickit/civickit/opendata"
)

const base = "https://data.example.org"

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func org() *opendata.Agent {
	return &opendata.Agent{
		IRI:      base + "/org/town",
		Name:     opendata.Text{"fr": "Ville de Testville", "en": "Town of Testville"},
		Type:     opendata.AgentLocalAuthority,
		Homepage: "https://www.testville.example/",
		Email:    "data@testville.example",
	}
}

func office() opendata.Contact {
	return opendata.Contact{
		Name:    "Service données",
		Email:   "data@testville.example",
		Phone:   "+33 1 00 00 00 00",
		URL:     "https://www.testville.example/contact",
		Address: opendata.Address{Street: "1 rue de la Mairie", Locality: "Testville", PostalCode: "99999", Country: "France"},
	}
}

// fullDataset fills every field of a dataset (n makes identifiers unique).
func fullDataset(n int) *opendata.Dataset {
	id := fmt.Sprintf("ds-%05d", n)
	iri := base + "/dataset/" + id
	lic := opendata.DefaultLicense()
	return &opendata.Dataset{
		Identifier:                id,
		IRI:                       iri,
		Title:                     opendata.Text{"fr": "Jeu " + id, "en": "Dataset " + id},
		Description:               opendata.Text{"fr": "Description du jeu " + id, "en": "Description of " + id},
		Keywords:                  opendata.Keywords{"fr": {"budget", "vote"}, "en": {"budget"}},
		Themes:                    []opendata.Theme{opendata.ThemeGovernment, opendata.ThemeRegions},
		Type:                      opendata.DatasetStatistical,
		Publisher:                 org(),
		Creators:                  []opendata.Agent{*org()},
		ContactPoints:             []opendata.Contact{office()},
		Issued:                    day(2024, time.March, 1),
		Modified:                  time.Date(2024, time.March, 2, 10, 30, 0, 0, time.UTC),
		Languages:                 []opendata.Language{opendata.LanguageFrench, opendata.LanguageEnglish},
		Spatial:                   []opendata.Location{{IRI: opendata.SchemeCountry + "/FRA", Label: opendata.Text{"fr": "France"}, BBox: "POLYGON((-5 41, 10 41, 10 51, -5 51, -5 41))", Centroid: "POINT(2.2 46.6)", Geometry: "POINT(2.2 46.6)"}},
		Temporal:                  []opendata.PeriodOfTime{{Start: day(2024, time.January, 1), End: day(2024, time.December, 31)}},
		AccrualPeriodicity:        opendata.FrequencyAnnual,
		AccessRights:              opendata.AccessPublic,
		ConformsTo:                []opendata.Standard{{IRI: "https://schema.example.org/budget.json", Title: opendata.Text{"en": "Budget schema"}}},
		LandingPage:               base + "/datasets/" + id,
		Documentation:             []string{base + "/docs/" + id},
		OtherIdentifiers:          []opendata.Identifier{{Notation: "other-" + id, Scheme: "https://ids.example.org/", Issuer: "Example registry", Created: "2024-01-05"}},
		Version:                   "1.0",
		VersionNotes:              opendata.Text{"en": "First release."},
		Provenance:                []opendata.ProvenanceStatement{{Label: opendata.Text{"en": "Counted by the committee."}}},
		WasGeneratedBy:            []opendata.Activity{{IRI: base + "/activity/" + id, Label: opendata.Text{"en": "Vote"}, Start: day(2024, time.February, 1), End: day(2024, time.February, 10)}},
		Attributions:              []opendata.Attribution{{Agent: *org(), Role: opendata.RoleOriginator}},
		QualityNotes:              []opendata.QualityNote{{Dimension: "http://www.w3.org/ns/dqv#completeness", Body: opendata.Text{"en": "Counts below 5 suppressed."}}},
		Related:                   []string{"https://www.testville.example/page"},
		IsReferencedBy:            []string{"https://www.testville.example/report"},
		Applicable:                []string{"http://data.europa.eu/eli/reg_impl/2023/138/oj"},
		SpatialResolutionInMeters: 100,
		TemporalResolution:        "P1D",
		Distributions: []opendata.Distribution{
			{
				Title:         opendata.Text{"en": "CSV"},
				Description:   opendata.Text{"en": "The data as CSV."},
				AccessURL:     iri,
				DownloadURL:   base + "/files/" + id + ".csv",
				Format:        opendata.FileTypeCSV,
				MediaType:     opendata.MediaTypeCSV,
				ByteSize:      1234,
				Checksum:      &opendata.Checksum{Algorithm: opendata.ChecksumSHA256, Value: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
				License:       lic,
				Rights:        opendata.RightsStatement{Label: opendata.Text{"en": "Free reuse."}},
				Languages:     []opendata.Language{opendata.LanguageFrench},
				ConformsTo:    []opendata.Standard{{IRI: "https://schema.example.org/budget.json"}},
				Issued:        day(2024, time.March, 1),
				Modified:      day(2024, time.March, 2),
				Status:        opendata.StatusCompleted,
				Availability:  opendata.AvailabilityStable,
				Documentation: []string{base + "/docs/" + id + "/csv"},
				Columns: []opendata.Column{
					{Name: "project", Title: opendata.Text{"en": "Project"}, Type: opendata.ColumnString, Required: true, PrimaryKey: true},
					{Name: "votes", Title: opendata.Text{"en": "Votes"}, Type: opendata.ColumnInteger, Unit: "1", Description: opendata.Text{"en": "Votes received"}},
				},
				Delimiter: ";",
			},
			{
				Title:        opendata.Text{"en": "JSON"},
				Description:  opendata.Text{"en": "The data as JSON."},
				AccessURL:    iri,
				DownloadURL:  base + "/files/" + id + ".json",
				Format:       opendata.FileTypeJSON,
				MediaType:    opendata.MediaTypeJSON,
				License:      lic,
				Availability: opendata.AvailabilityStable,
			},
		},
	}
}

// fullCatalog holds n full datasets, a series with the first two, and a
// data service serving all of them.
func fullCatalog(n int) *opendata.Catalog {
	c := &opendata.Catalog{
		IRI:         base + "/catalog",
		Title:       opendata.Text{"fr": "Catalogue de Testville", "en": "Testville catalogue"},
		Description: opendata.Text{"en": "Open data of Testville."},
		Publisher:   org(),
		Homepage:    base + "/",
		Languages:   []opendata.Language{opendata.LanguageFrench},
		License:     opendata.DefaultLicense(),
		Issued:      day(2022, time.January, 1),
		Modified:    day(2024, time.March, 2),
		Spatial:     []opendata.Location{{IRI: opendata.SchemeCountry + "/FRA", BBox: "POLYGON((-5 41, 10 41, 10 51, -5 51, -5 41))", Centroid: "POINT(2.2 46.6)"}},
	}
	series := &opendata.DatasetSeries{
		IRI: base + "/series/budget", Identifier: "budget",
		Title: opendata.Text{"en": "Budget"}, Description: opendata.Text{"en": "Yearly budgets."},
		Publisher: org(), ContactPoints: []opendata.Contact{office()},
		AccrualPeriodicity: opendata.FrequencyAnnual,
	}
	c.Series = []*opendata.DatasetSeries{series}
	svc := &opendata.DataService{
		IRI: base + "/api", Title: opendata.Text{"en": "API"},
		EndpointURLs: []string{base + "/api/3/action/"}, EndpointDescription: []string{base + "/api/doc"},
		Publisher: org(), License: opendata.DefaultLicense(), AccessRights: opendata.AccessPublic,
		ContactPoints: []opendata.Contact{office()}, Keywords: opendata.Keywords{"en": {"api"}},
		Themes: []opendata.Theme{opendata.ThemeGovernment}, ConformsTo: []opendata.Standard{{IRI: base + "/api/openapi.json"}},
	}
	for i := 0; i < n; i++ {
		d := fullDataset(i)
		if i < 2 {
			d.InSeries = []string{series.IRI}
			d.Issued = day(2023+i, time.March, 1)
			d.Modified = d.Issued
		}
		d.Distributions[1].AccessServices = []string{svc.IRI}
		svc.ServesDatasets = append(svc.ServesDatasets, d.IRI)
		c.Datasets = append(c.Datasets, d)
	}
	if n >= 2 {
		c.Datasets[1].PreviousVersion = c.Datasets[0].IRI
		c.Datasets[1].Sources = []string{c.Datasets[0].IRI}
		c.Datasets[0].HasVersion = []string{c.Datasets[1].IRI}
	}
	c.Services = []*opendata.DataService{svc}
	return c
}
