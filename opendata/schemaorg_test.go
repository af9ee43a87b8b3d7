package opendata_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
)

func TestSchemaOrgDataset(t *testing.T) {
	d := fullDataset(3)
	var buf bytes.Buffer
	require.NoError(t, opendata.WriteSchemaOrgDataset(&buf, d, opendata.SchemaOrgOptions{Language: "en"}))
	var ds map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &ds))
	assert.Equal(t, "https://schema.org/", ds["@context"])
	assert.Equal(t, "Dataset", ds["@type"])
	assert.Equal(t, "Dataset ds-00003", ds["name"])
	assert.Equal(t, "Description of ds-00003", ds["description"])
	assert.Equal(t, []any{"ds-00003", "other-ds-00003"}, ds["identifier"])
	assert.Equal(t, opendata.DefaultLicense().URL, ds["license"])
	assert.Equal(t, "2024-01-01/2024-12-31", ds["temporalCoverage"])
	assert.Equal(t, true, ds["isAccessibleForFree"])
	place := ds["spatialCoverage"].([]any)[0].(map[string]any)
	assert.Equal(t, map[string]any{"@type": "GeoShape", "box": "41 -5 51 10"}, place["geo"])
	dist := ds["distribution"].([]any)
	require.Len(t, dist, 2)
	assert.Equal(t, map[string]any{"@type": "DataDownload", "contentUrl": base + "/files/ds-00003.csv", "name": "CSV", "encodingFormat": "text/csv", "contentSize": 1234.0}, dist[0])
	vars := ds["variableMeasured"].([]any)
	assert.Len(t, vars, 2)
	assert.Equal(t, map[string]any{"@type": "Organization", "@id": base + "/org/town", "name": "Town of Testville", "url": "https://www.testville.example/"}, ds["publisher"])
}

func TestSchemaOrgCatalog(t *testing.T) {
	c := fullCatalog(2)
	var buf bytes.Buffer
	require.NoError(t, opendata.WriteSchemaOrg(&buf, c, opendata.SchemaOrgOptions{}))
	var cat map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &cat))
	assert.Equal(t, "DataCatalog", cat["@type"])
	assert.Equal(t, "Catalogue de Testville", cat["name"], "the catalogue's first language")
	ds := cat["dataset"].([]any)
	require.Len(t, ds, 2)
	first := ds[0].(map[string]any)
	assert.NotContains(t, first, "@context")
	assert.Equal(t, map[string]any{"@type": "CreativeWorkSeries", "@id": c.Series[0].IRI, "name": "Budget"}, first["isPartOf"])
	assert.Equal(t, c.IRI, first["includedInDataCatalog"].(map[string]any)["@id"])
}
