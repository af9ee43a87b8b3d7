package main

import (
	"strconv"
	"time"

	"github.com/civickit/civickit/opendata"
)

// demoCatalog builds the catalogue of Exempleville (a fictional town; every
// name, address and number in it is invented).
func demoCatalog() *opendata.Catalog {
	town := &opendata.Agent{
		IRI:        baseURL + "/organisation/ville-exempleville",
		Name:       opendata.Text{"fr": "Ville d'Exempleville", "en": "Town of Exempleville"},
		Type:       opendata.AgentLocalAuthority,
		Homepage:   "https://www.exempleville.fr/",
		Email:      "opendata@exempleville.fr",
		Identifier: "21990001300016", // invented SIRET-like number
	}
	office := opendata.Contact{
		IRI:   baseURL + "/contact/service-donnees",
		Name:  "Service des données ouvertes",
		Email: "opendata@exempleville.fr",
		Phone: "+33 1 23 45 67 89",
		URL:   "https://www.exempleville.fr/contact",
		Address: opendata.Address{
			Street: "1 place de la Mairie", Locality: "Exempleville",
			PostalCode: "99000", Country: "France",
		},
	}
	// A staff member: kept for the town's staff, never exported.
	steward := opendata.Contact{
		Kind:  opendata.ContactIndividual,
		Name:  "Camille Exemple",
		Email: "camille.exemple@exempleville.fr",
		Phone: "+33 6 98 76 54 32",
	}
	analyst := opendata.Agent{Kind: opendata.AgentPerson, Name: opendata.Text{"": "Dominique Exemple"}}

	license := opendata.DefaultLicense()
	odbl, _ := opendata.KnownLicense(opendata.LicenseODbL)
	townArea := opendata.Location{
		IRI:      "https://www.insee.fr/fr/metadonnees/geographie/commune/99001",
		Label:    opendata.Text{"fr": "Exempleville", "en": "Exempleville"},
		Geometry: "POLYGON((2.30 48.80, 2.40 48.80, 2.40 48.90, 2.30 48.90, 2.30 48.80))",
		BBox:     "POLYGON((2.30 48.80, 2.40 48.80, 2.40 48.90, 2.30 48.90, 2.30 48.80))",
		Centroid: "POINT(2.35 48.85)",
	}
	france := opendata.Location{IRI: opendata.SchemeCountry + "/FRA", Label: opendata.Text{"fr": "France", "en": "France"},
		BBox: "POLYGON((-5.2 41.3, 9.6 41.3, 9.6 51.1, -5.2 51.1, -5.2 41.3))", Centroid: "POINT(2.2 46.6)"}

	budgetColumns := []opendata.Column{
		{Name: "projet_id", Title: opendata.Text{"fr": "Identifiant du projet", "en": "Project id"}, Type: opendata.ColumnString, Required: true, PrimaryKey: true},
		{Name: "titre", Title: opendata.Text{"fr": "Titre du projet", "en": "Project title"}, Type: opendata.ColumnString, Required: true},
		{Name: "quartier", Title: opendata.Text{"fr": "Quartier", "en": "District"}, Type: opendata.ColumnString,
			Enum: []string{"Centre", "Nord", "Sud", "Gare"}},
		{Name: "cout_euros", Title: opendata.Text{"fr": "Coût estimé", "en": "Estimated cost"}, Type: opendata.ColumnInteger, Unit: "EUR",
			Description: opendata.Text{"fr": "Coût estimé par les services, en euros TTC", "en": "Cost estimated by the town's services, euros incl. VAT"}},
		{Name: "votes", Title: opendata.Text{"fr": "Voix", "en": "Votes"}, Type: opendata.ColumnInteger,
			Description: opendata.Text{"fr": "Nombre de voix ; les effectifs inférieurs à 5 sont masqués", "en": "Number of votes; counts below 5 are suppressed"}},
		{Name: "laureat", Title: opendata.Text{"fr": "Lauréat", "en": "Winner"}, Type: opendata.ColumnBoolean},
	}
	results := func(year int, issued time.Time) *opendata.Dataset {
		y := itoa(year)
		id := "budget-participatif-" + y + "-resultats"
		iri := baseURL + "/dataset/" + id
		return &opendata.Dataset{
			Identifier: id,
			IRI:        iri,
			Title:      opendata.Text{"fr": "Budget participatif " + y + " : résultats du vote", "en": "Participatory budget " + y + ": vote results"},
			Description: opendata.Text{
				"fr": "Projets soumis au vote du budget participatif " + y + ", leur coût estimé et le nombre de voix obtenues.",
				"en": "Projects put to the vote of the " + y + " participatory budget, their estimated cost and the votes they received.",
			},
			Keywords: opendata.Keywords{
				"fr": {"budget participatif", "vote", "démocratie participative"},
				"en": {"participatory budgeting", "vote"},
			},
			Themes:             []opendata.Theme{opendata.ThemeGovernment, opendata.ThemeRegions},
			Type:               opendata.DatasetStatistical,
			Publisher:          town,
			Creators:           []opendata.Agent{*town, analyst},
			ContactPoints:      []opendata.Contact{office, steward},
			Issued:             issued,
			Modified:           issued.AddDate(0, 0, 14),
			Languages:          []opendata.Language{opendata.LanguageFrench, opendata.LanguageEnglish},
			Spatial:            []opendata.Location{townArea},
			Temporal:           []opendata.PeriodOfTime{{Start: day(year, time.January, 1), End: day(year, time.December, 31)}},
			AccrualPeriodicity: opendata.FrequencyNever,
			AccessRights:       opendata.AccessPublic,
			ConformsTo: []opendata.Standard{{
				IRI:   "https://schema.data.gouv.fr/exempleville/budget-participatif/latest/schema.json",
				Title: opendata.Text{"fr": "Schéma des résultats de budget participatif"},
			}},
			LandingPage:      baseURL + "/datasets/" + id,
			Documentation:    []string{baseURL + "/docs/budget-participatif"},
			OtherIdentifiers: []opendata.Identifier{{Notation: "bp-" + y, Scheme: "https://www.data.gouv.fr/datasets/", Issuer: "data.gouv.fr"}},
			Version:          "1.1",
			VersionNotes:     opendata.Text{"fr": "1.1 : corrige le coût d'un projet.", "en": "1.1: fixes the cost of one project."},
			InSeries:         []string{baseURL + "/series/budget-participatif"},
			Provenance: []opendata.ProvenanceStatement{{Label: opendata.Text{
				"fr": "Comptage des bulletins papier et en ligne par la commission du budget participatif, publié par civickit.",
				"en": "Paper and online ballots counted by the participatory budget committee, published with civickit.",
			}}},
			WasGeneratedBy: []opendata.Activity{{
				IRI:   baseURL + "/consultation/budget-participatif-" + y,
				Label: opendata.Text{"fr": "Vote du budget participatif " + y, "en": "Participatory budget vote " + y},
				Start: day(year, time.March, 1), End: day(year, time.March, 31),
			}},
			Attributions: []opendata.Attribution{{Agent: *town, Role: opendata.RoleOriginator}},
			QualityNotes: []opendata.QualityNote{{
				Dimension: "http://www.w3.org/ns/dqv#completeness",
				Body:      opendata.Text{"fr": "Les effectifs inférieurs à 5 voix sont masqués (k-anonymat).", "en": "Counts below 5 votes are suppressed (k-anonymity)."},
			}},
			Related:                   []string{"https://www.exempleville.fr/budget-participatif"},
			SpatialResolutionInMeters: 500,
			TemporalResolution:        "P1Y",
			Distributions: []opendata.Distribution{
				{
					Title:        opendata.Text{"fr": "Résultats (CSV)", "en": "Results (CSV)"},
					Description:  opendata.Text{"fr": "Un projet par ligne, séparateur point-virgule.", "en": "One project per row, semicolon-separated."},
					AccessURL:    baseURL + "/datasets/" + id,
					DownloadURL:  baseURL + "/files/" + id + ".csv",
					Format:       opendata.FileTypeCSV,
					MediaType:    opendata.MediaTypeCSV,
					ByteSize:     2048,
					Checksum:     &opendata.Checksum{Algorithm: opendata.ChecksumSHA256, Value: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
					License:      license,
					Rights:       opendata.RightsStatement{Label: opendata.Text{"fr": "Réutilisation libre, mention de la source.", "en": "Free reuse with attribution."}},
					Languages:    []opendata.Language{opendata.LanguageFrench},
					Issued:       issued,
					Modified:     issued.AddDate(0, 0, 14),
					Status:       opendata.StatusCompleted,
					Availability: opendata.AvailabilityStable,
					Columns:      budgetColumns,
					Encoding:     "utf-8",
					Delimiter:    ";",
				},
				{
					Title:          opendata.Text{"fr": "Résultats (JSON)", "en": "Results (JSON)"},
					Description:    opendata.Text{"fr": "Les mêmes données en JSON, aussi servies par l'API.", "en": "The same data as JSON, also served by the API."},
					AccessURL:      baseURL + "/api/3/action/package_show?id=" + id,
					DownloadURL:    baseURL + "/files/" + id + ".json",
					AccessServices: []string{baseURL + "/api/3"},
					Format:         opendata.FileTypeJSON,
					MediaType:      opendata.MediaTypeJSON,
					ByteSize:       4096,
					License:        license,
					Status:         opendata.StatusCompleted,
					Availability:   opendata.AvailabilityStable,
				},
			},
		}
	}
	bp2023 := results(2023, day(2023, time.April, 15))
	bp2024 := results(2024, day(2024, time.April, 12))
	bp2024.PreviousVersion = bp2023.IRI
	bp2024.Sources = []string{bp2023.IRI}

	associations := &opendata.Dataset{
		Identifier: "repertoire-associations",
		IRI:        baseURL + "/dataset/repertoire-associations",
		Title:      opendata.Text{"fr": "Répertoire des associations", "en": "Directory of associations"},
		Description: opendata.Text{
			"fr": "Associations déclarées sur la commune : nom, objet, quartier et site web. Aucune donnée sur les membres.",
			"en": "Associations registered in the town: name, purpose, district and website. No data about members.",
		},
		Keywords:           opendata.Keywords{"fr": {"associations", "vie associative"}, "en": {"associations", "non-profits"}},
		Themes:             []opendata.Theme{opendata.ThemeSociety},
		Publisher:          town,
		ContactPoints:      []opendata.Contact{office},
		Issued:             day(2022, time.September, 1),
		Modified:           time.Date(2024, time.November, 3, 8, 30, 0, 0, time.UTC),
		Languages:          []opendata.Language{opendata.LanguageFrench},
		Spatial:            []opendata.Location{townArea, france},
		Temporal:           []opendata.PeriodOfTime{{Start: day(2022, time.September, 1), End: day(2024, time.November, 3)}},
		AccrualPeriodicity: opendata.FrequencyMonthly,
		AccessRights:       opendata.AccessPublic,
		LandingPage:        baseURL + "/datasets/repertoire-associations",
		Version:            "2024-11",
		HasVersion:         []string{baseURL + "/dataset/repertoire-associations/2023"},
		Distributions: []opendata.Distribution{{
			Title:        opendata.Text{"fr": "Répertoire (CSV)", "en": "Directory (CSV)"},
			Description:  opendata.Text{"fr": "Une association par ligne.", "en": "One association per row."},
			AccessURL:    baseURL + "/datasets/repertoire-associations",
			DownloadURL:  baseURL + "/files/repertoire-associations.csv",
			Format:       opendata.FileTypeCSV,
			MediaType:    opendata.MediaTypeCSV,
			License:      odbl,
			Availability: opendata.AvailabilityAvailable,
			Columns: []opendata.Column{
				{Name: "rna", Title: opendata.Text{"fr": "Numéro RNA"}, Type: opendata.ColumnString, Required: true},
				{Name: "nom", Title: opendata.Text{"fr": "Nom"}, Type: opendata.ColumnString, Required: true},
				{Name: "quartier", Title: opendata.Text{"fr": "Quartier"}, Type: opendata.ColumnString},
				{Name: "site_web", Title: opendata.Text{"fr": "Site web"}, Type: opendata.ColumnString, Format: "uri"},
			},
		}},
	}

	// The directory's 2023 edition, kept as a version of the living dataset.
	associations2023 := *associations
	associations2023.Identifier = "repertoire-associations-2023"
	associations2023.IRI = associations.IRI + "/2023"
	associations2023.Title = opendata.Text{"fr": "Répertoire des associations (édition 2023)", "en": "Directory of associations (2023 edition)"}
	associations2023.Version = "2023-12"
	associations2023.HasVersion = nil
	associations2023.IsVersionOf = associations.IRI
	associations2023.AccrualPeriodicity = opendata.FrequencyNever
	associations2023.Modified = day(2023, time.December, 31)
	associations2023.Temporal = []opendata.PeriodOfTime{{Start: day(2022, time.September, 1), End: day(2023, time.December, 31)}}
	associations2023.LandingPage = baseURL + "/datasets/repertoire-associations-2023"
	associations2023.Distributions = []opendata.Distribution{associations.Distributions[0]}
	associations2023.Distributions[0].AccessURL = associations2023.LandingPage
	associations2023.Distributions[0].DownloadURL = baseURL + "/files/repertoire-associations-2023.csv"

	series := &opendata.DatasetSeries{
		IRI:                baseURL + "/series/budget-participatif",
		Identifier:         "budget-participatif",
		Title:              opendata.Text{"fr": "Budget participatif : résultats annuels", "en": "Participatory budget: yearly results"},
		Description:        opendata.Text{"fr": "Les résultats de chaque édition du budget participatif.", "en": "The results of each participatory budget."},
		Publisher:          town,
		ContactPoints:      []opendata.Contact{office},
		AccrualPeriodicity: opendata.FrequencyAnnual,
		Keywords:           opendata.Keywords{"fr": {"budget participatif"}, "en": {"participatory budgeting"}},
		Themes:             []opendata.Theme{opendata.ThemeGovernment},
		Spatial:            []opendata.Location{townArea},
		Temporal:           []opendata.PeriodOfTime{{Start: day(2023, time.January, 1), End: day(2024, time.December, 31)}},
		Issued:             day(2023, time.April, 15),
		Modified:           day(2024, time.April, 26),
	}

	api := &opendata.DataService{
		IRI:                 baseURL + "/api/3",
		Title:               opendata.Text{"fr": "API du catalogue (compatible CKAN)", "en": "Catalogue API (CKAN-compatible)"},
		Description:         opendata.Text{"fr": "package_search, package_show et organization_list.", "en": "package_search, package_show and organization_list."},
		EndpointURLs:        []string{baseURL + "/api/3/action/"},
		EndpointDescription: []string{"https://docs.ckan.org/en/latest/api/"},
		ServesDatasets:      []string{bp2023.IRI, bp2024.IRI, associations.IRI, associations2023.IRI},
		Publisher:           town,
		ContactPoints:       []opendata.Contact{office},
		Keywords:            opendata.Keywords{"fr": {"API"}, "en": {"API"}},
		Themes:              []opendata.Theme{opendata.ThemeGovernment},
		Formats:             []opendata.FileType{opendata.FileTypeJSON},
		ConformsTo: []opendata.Standard{{
			IRI:   "https://docs.ckan.org/en/2.10/api/",
			Title: opendata.Text{"en": "CKAN Action API v3"},
		}},
		License:      license,
		AccessRights: opendata.AccessPublic,
		LandingPage:  baseURL + "/api",
	}

	return &opendata.Catalog{
		IRI:         baseURL + "/catalog",
		Title:       opendata.Text{"fr": "Données ouvertes d'Exempleville", "en": "Exempleville open data"},
		Description: opendata.Text{"fr": "Le catalogue des données publiques de la ville d'Exempleville.", "en": "The public data catalogue of the town of Exempleville."},
		Publisher:   town,
		Homepage:    baseURL + "/",
		Languages:   []opendata.Language{opendata.LanguageFrench, opendata.LanguageEnglish},
		License:     license,
		Issued:      day(2022, time.September, 1),
		Modified:    day(2024, time.November, 3),
		Spatial:     []opendata.Location{townArea},
		Datasets:    []*opendata.Dataset{bp2024, bp2023, associations, &associations2023},
		Series:      []*opendata.DatasetSeries{series},
		Services:    []*opendata.DataService{api},
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
