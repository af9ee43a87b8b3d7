package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
)

func TestDemoCatalogHasNoViolation(t *testing.T) {
	err := demoCatalog().Validate()
	assert.False(t, opendata.IsViolation(err), "%v", err)
}

func TestRunWritesEveryFile(t *testing.T) {
	dir := t.TempDir()
	var log bytes.Buffer
	require.NoError(t, run(dir, 2, &log))
	for _, name := range []string{
		"catalog.jsonld", "catalog.ttl", "data.json", "datapackage.json", "schemaorg.jsonld",
		"pages/catalog-1.ttl", "pages/catalog-2.jsonld",
	} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err, name)
		assert.NotEmpty(t, b, name)
		if strings.HasSuffix(name, "json") || strings.HasSuffix(name, "jsonld") {
			assert.True(t, json.Valid(b), name)
		}
		// The staff contact and the analyst are people: never exported.
		for _, personal := range []string{"Camille", "camille.exemple", "98 76 54 32", "+33698765432", "Dominique"} {
			assert.NotContains(t, string(b), personal, name)
		}
	}
	_, err := os.Stat(filepath.Join(dir, "pages", "catalog-3.ttl"))
	assert.True(t, os.IsNotExist(err), "four datasets make two pages of two")
	assert.Contains(t, log.String(), "personal", "the people are reported as warnings")
}

func TestRunFailsOnBadDirectory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	assert.Error(t, run(filepath.Join(file, "sub"), 2, &bytes.Buffer{}))
	assert.Error(t, run(t.TempDir(), 0, &bytes.Buffer{}))
}
