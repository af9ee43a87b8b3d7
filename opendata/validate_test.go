package opendata_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/opendata"
)

// fields returns "path rule severity" strings of a validation report.
func fields(t *testing.T, r opendata.Report) []string {
	t.Helper()
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Path+" "+f.Rule+" "+string(f.Severity))
	}
	return out
}

func TestFullCatalogIsClean(t *testing.T) {
	c := fullCatalog(3)
	assert.Empty(t, fields(t, c.Validate()))
	for _, d := range c.Datasets {
		assert.Empty(t, d.Validate().Findings)
	}
}

func TestDatasetValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(d *opendata.Dataset)
		want   []string // each must be reported
		clean  bool     // only the wanted entries are reported
	}{
		{"empty dataset reports every mandatory and recommended property", func(d *opendata.Dataset) { *d = opendata.Dataset{} }, []string{
			"identifier mandatory violation", "iri mandatory violation", "title mandatory violation",
			"description mandatory violation", "keywords recommended warning", "themes recommended warning",
			"publisher recommended warning", "contact_points recommended warning", "distributions recommended warning",
			"spatial recommended warning", "temporal recommended warning",
		}, true},
		{"distribution without access URL", func(d *opendata.Dataset) { d.Distributions[1].AccessURL = "" },
			[]string{"distributions[1].access_url mandatory violation"}, true},
		{"distribution recommended properties", func(d *opendata.Dataset) {
			x := &d.Distributions[0]
			x.Description, x.Format, x.License, x.Availability = nil, "", opendata.LicenseDocument{}, ""
		}, []string{
			"distributions[0].description recommended warning", "distributions[0].format recommended warning",
			"distributions[0].license recommended warning", "distributions[0].availability recommended warning",
		}, true},
		{"vocabularies", func(d *opendata.Dataset) {
			d.Themes = []opendata.Theme{"https://example.org/theme/local"}
			d.AccrualPeriodicity = "https://example.org/freq/weekly"
			d.Languages = []opendata.Language{"https://example.org/lang/fr"}
			d.AccessRights = "https://example.org/open"
			d.Distributions[0].Format = "https://example.org/csv"
			d.Distributions[0].MediaType = "text/csv"
		}, []string{
			"themes[0] vocabulary warning", "accrual_periodicity vocabulary violation", "languages[0] vocabulary violation",
			"access_rights vocabulary warning", "distributions[0].format vocabulary violation", "distributions[0].media_type vocabulary violation",
		}, true},
		{"formats", func(d *opendata.Dataset) {
			d.IRI = "not an iri"
			d.LandingPage = "www.example.org"
			d.Modified = d.Issued.AddDate(0, 0, -1)
			d.Temporal[0].End = d.Temporal[0].Start.AddDate(0, 0, -1)
			d.TemporalResolution = "one day"
			d.Distributions[0].ByteSize = -1
			d.Distributions[0].Checksum.Value = "xyz"
			d.ContactPoints[0].Email = "Somebody <a@b.example>"
			d.ContactPoints[0].Phone = "call me"
			d.Spatial[0].BBox = "a box"
			d.Title = opendata.Text{"not a tag!": "x"}
		}, []string{
			"iri format violation", "landing_page format violation", "modified format violation", "temporal[0].end format violation",
			"temporal_resolution format violation", "distributions[0].byte_size format violation",
			"distributions[0].checksum.value format violation", "contact_points[0].email format violation",
			"contact_points[0].phone format violation", "spatial[0].bbox format violation", "title.not a tag! format violation",
		}, true},
		{"personal data is a warning", func(d *opendata.Dataset) {
			d.Creators = append(d.Creators, opendata.Agent{Kind: opendata.AgentPerson, Name: opendata.Text{"": "A Person"}})
			d.ContactPoints = append(d.ContactPoints, opendata.Contact{Kind: opendata.ContactIndividual, Name: "A Person", Email: "a.person@example.org"})
		}, []string{"creators[1].kind personal warning", "contact_points[1].kind personal warning"}, true},
		{"agent without name, column problems", func(d *opendata.Dataset) {
			d.Publisher.Name = nil
			d.Publisher.Type = ""
			d.Distributions[0].Columns = append(d.Distributions[0].Columns, opendata.Column{Name: "votes", Type: "float"}, opendata.Column{})
		}, []string{
			"publisher.name mandatory violation", "publisher.type recommended warning",
			"distributions[0].columns[2].name unique violation", "distributions[0].columns[2].type vocabulary violation",
			"distributions[0].columns[3].name mandatory violation",
		}, true},
		{"empty keyword, bad identifier and quality note", func(d *opendata.Dataset) {
			d.Keywords["fr"] = append(d.Keywords["fr"], " ")
			d.OtherIdentifiers[0].Notation = ""
			d.QualityNotes[0].Body = nil
			d.Attributions[0].Role = ""
		}, []string{
			"keywords.fr[2] format violation", "other_identifiers[0].notation mandatory violation",
			"quality_notes[0].body mandatory violation", "attributions[0].role mandatory violation",
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := fullDataset(1)
			tt.mutate(d)
			got := fields(t, d.Validate())
			for _, w := range tt.want {
				assert.Contains(t, got, w)
			}
			if tt.clean {
				assert.ElementsMatch(t, tt.want, got)
			}
		})
	}
}

func TestCatalogValidate(t *testing.T) {
	c := fullCatalog(3)
	c.Publisher = nil
	c.Datasets[2].Identifier = c.Datasets[0].Identifier
	c.Datasets[2].IRI = c.Datasets[1].IRI
	c.Datasets[0].InSeries = []string{base + "/series/unknown"}
	c.Datasets[0].HasVersion = []string{base + "/dataset/elsewhere"}
	c.Services[0].EndpointURLs = nil
	c.Series[0].Title = nil
	got := fields(t, c.Validate())
	for _, w := range []string{
		"publisher mandatory violation",
		"datasets[2].identifier unique violation",
		"datasets[2].iri unique violation",
		"datasets[0].in_series[0] reference violation",
		"datasets[0].has_version[0] reference violation",
		"services[0].endpoint_urls mandatory violation",
		"series[0].title mandatory violation",
	} {
		assert.Contains(t, got, w)
	}
}

func TestReport(t *testing.T) {
	d := fullDataset(1)
	d.Keywords = nil
	r := d.Validate()
	require.NotEmpty(t, r.Findings)
	assert.True(t, r.OK(), "a missing recommended property is a warning")
	assert.NoError(t, r.Err(), "warnings alone refuse nothing")
	assert.Equal(t, []opendata.Finding{{Path: "keywords", Rule: opendata.RuleRecommended, Param: "dcat:keyword", Severity: opendata.SeverityWarning}}, r.Warnings())
	assert.Empty(t, r.Violations())

	d.Title = nil
	r = d.Validate()
	assert.False(t, r.OK())
	err := r.Err()
	assert.ErrorIs(t, err, opendata.ErrInvalid)
	assert.ErrorIs(t, err, civickit.ErrInvalid)
	var ve *civickit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []civickit.FieldError{{Path: "title", Rule: opendata.RuleMandatory, Param: "dct:title"}}, ve.Fields,
		"the error carries the violations only; the report keeps the warnings")
	assert.Len(t, r.Warnings(), 1)
	assert.Equal(t, "keywords: recommended=dcat:keyword (warning)", r.Warnings()[0].String())

	assert.True(t, opendata.Report{}.OK())
	assert.NoError(t, opendata.Report{}.Err())
}

func TestValidIRI(t *testing.T) {
	for s, want := range map[string]bool{
		"https://example.org/a":   true,
		"urn:isbn:123":            true,
		"mailto:a@example.org":    true,
		"https://":                false,
		"example.org":             false,
		"https://exa mple.org/":   false,
		"https://example.org/<x>": false,
		"":                        false,
	} {
		assert.Equal(t, want, opendata.ValidIRI(s), s)
	}
}
