package opendata_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
)

func TestDataPackage(t *testing.T) {
	d := fullDataset(4)
	d.Identifier = "Budget 2024 / Résultats"
	var buf bytes.Buffer
	require.NoError(t, opendata.WriteDataPackage(&buf, d, opendata.DataPackageOptions{Language: "en"}))
	var pkg map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &pkg))
	assert.Equal(t, opendata.DataPackageProfile, pkg["$schema"])
	assert.Equal(t, "budget-2024-resultats", pkg["name"])
	assert.Equal(t, d.IRI, pkg["id"])
	assert.Equal(t, "Dataset ds-00004", pkg["title"])
	assert.Equal(t, "1.0", pkg["version"])
	assert.Equal(t, []any{map[string]any{"name": "etalab-2.0", "path": opendata.DefaultLicense().URL, "title": "Open Licence 2.0 (Etalab)"}}, pkg["licenses"])
	assert.Equal(t, []any{
		map[string]any{"title": "Town of Testville", "roles": []any{"publisher"}, "path": "https://www.testville.example/"},
		map[string]any{"title": "Town of Testville", "roles": []any{"creator"}},
	}, pkg["contributors"])
	res := pkg["resources"].([]any)
	require.Len(t, res, 2)
	csv := res[0].(map[string]any)
	assert.Equal(t, "csv", csv["name"])
	assert.Equal(t, "table", csv["type"])
	assert.Equal(t, "csv", csv["format"])
	assert.Equal(t, "text/csv", csv["mediatype"])
	assert.Equal(t, "utf-8", csv["encoding"])
	assert.Equal(t, 1234.0, csv["bytes"])
	assert.Equal(t, "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", csv["hash"])
	assert.Equal(t, map[string]any{"delimiter": ";"}, csv["dialect"])
	schema := csv["schema"].(map[string]any)
	assert.Equal(t, []any{"project"}, schema["primaryKey"])
	assert.Equal(t, []any{
		map[string]any{"name": "project", "type": "string", "title": "Project", "constraints": map[string]any{"required": true}},
		map[string]any{"name": "votes", "type": "integer", "title": "Votes", "description": "Votes received", "unit": "1"},
	}, schema["fields"])
	jsonRes := res[1].(map[string]any)
	assert.NotContains(t, jsonRes, "type", "a JSON file is not a table")
	assert.NotContains(t, jsonRes, "schema")

	buf.Reset()
	require.NoError(t, opendata.WriteDataPackage(&buf, d, opendata.DataPackageOptions{TabularOnly: true}))
	require.NoError(t, json.Unmarshal(buf.Bytes(), &pkg))
	assert.Len(t, pkg["resources"], 1)
}
