package opendata_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
)

func decodeDataJSON(t *testing.T, c *opendata.Catalog, opts opendata.DataJSONOptions) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, opendata.WriteDataJSON(&buf, c, opts))
	var out map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &out))
	return out
}

func TestDataJSON(t *testing.T) {
	c := fullCatalog(2)
	c.Datasets[1].AccessRights = opendata.AccessRestricted
	c.Datasets[1].AccrualPeriodicity = opendata.FrequencyMonthly
	out := decodeDataJSON(t, c, opendata.DataJSONOptions{CatalogURL: base + "/data.json"})

	assert.Equal(t, "https://project-open-data.cio.gov/v1.1/schema", out["conformsTo"])
	assert.Equal(t, "dcat:Catalog", out["@type"])
	assert.Equal(t, base+"/data.json", out["@id"])
	ds := out["dataset"].([]any)
	require.Len(t, ds, 3, "the series is written as a dataset too")

	series := ds[0].(map[string]any)
	assert.Equal(t, "budget", series["identifier"])

	d := ds[1].(map[string]any)
	assert.Equal(t, "ds-00000", d["identifier"])
	assert.Equal(t, "Jeu ds-00000", d["title"], "the catalogue's first language")
	assert.Equal(t, []any{"budget", "vote"}, d["keyword"], "keywords of every language, de-duplicated")
	assert.Equal(t, "public", d["accessLevel"])
	assert.Equal(t, "R/P1Y", d["accrualPeriodicity"])
	assert.Equal(t, "2023-03-01", d["modified"])
	assert.Equal(t, "2024-01-01/2024-12-31", d["temporal"])
	assert.Equal(t, opendata.SchemeCountry+"/FRA", d["spatial"], "the place IRI, which reads back as the same place")
	assert.Equal(t, "budget", d["isPartOf"])
	assert.Equal(t, opendata.LicenseEtalab20, d["license"])
	assert.Equal(t, []any{"fr", "en"}, d["language"])
	assert.Equal(t, []any{"Gouvernement et secteur public", "Régions et villes"}, d["theme"])
	assert.Equal(t, map[string]any{"@type": "org:Organization", "name": "Ville de Testville"}, d["publisher"])
	assert.Equal(t, map[string]any{"@type": "vcard:Contact", "fn": "Service données", "hasEmail": "mailto:data@testville.example"}, d["contactPoint"])
	assert.NotContains(t, d, "bureauCode", "non-federal by default")
	dist := d["distribution"].([]any)[0].(map[string]any)
	assert.Equal(t, "text/csv", dist["mediaType"])
	assert.Equal(t, "CSV", dist["format"])
	assert.Equal(t, base+"/files/ds-00000.csv", dist["downloadURL"])

	d = ds[2].(map[string]any)
	assert.Equal(t, "restricted public", d["accessLevel"])
	assert.Equal(t, "Free reuse.", d["rights"], "non-public data says why")
	assert.Equal(t, "R/P1M", d["accrualPeriodicity"])
}

func TestDataJSONFederalAndFallbacks(t *testing.T) {
	c := fullCatalog(1)
	d := c.Datasets[0]
	d.ContactPoints = []opendata.Contact{{Kind: opendata.ContactIndividual, Name: "Private Person", Email: "private@example.org"}}
	d.Publisher = &opendata.Agent{Kind: opendata.AgentPerson, Name: opendata.Text{"": "Private Person"}}
	out := decodeDataJSON(t, c, opendata.DataJSONOptions{Language: "en", BureauCode: []string{"015:11"}, ProgramCode: []string{"015:001"}})
	got := out["dataset"].([]any)[1].(map[string]any)
	assert.Equal(t, "Dataset ds-00000", got["title"])
	assert.Equal(t, []any{"015:11"}, got["bureauCode"])
	assert.Equal(t, []any{"015:001"}, got["programCode"])
	assert.Equal(t, map[string]any{"@type": "org:Organization", "name": "Town of Testville"}, got["publisher"], "falls back to the catalogue publisher")
	assert.Equal(t, map[string]any{"@type": "vcard:Contact", "fn": "Town of Testville", "hasEmail": "mailto:data@testville.example"}, got["contactPoint"])
}
