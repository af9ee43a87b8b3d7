package opendata_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/civickit/civickit/opendata"
)

func TestVocabularyHelpers(t *testing.T) {
	assert.Equal(t, "fr", opendata.LanguageFrench.Tag())
	assert.Equal(t, opendata.LanguageFrench, opendata.LanguageFromTag("fr-FR"))
	assert.Equal(t, opendata.Language(""), opendata.LanguageFromTag("tlh"))
	assert.Equal(t, "", opendata.Language("https://example.org/fr").Tag())
	assert.Equal(t, "français", opendata.LanguageFrench.Label("fr"))
	assert.Equal(t, "Annual", opendata.FrequencyAnnual.Label("en"))
	assert.Equal(t, "Non public", opendata.AccessNonPublic.Label("fr"))
	assert.Equal(t, "Régions et villes", opendata.ThemeRegions.Label("fr"))
	assert.Equal(t, "CSV", opendata.FileTypeCSV.Code())
	assert.Equal(t, "GeoJSON", opendata.FileTypeGeoJSON.Label("en"))
	assert.Equal(t, opendata.FileTypeGeoJSON, opendata.FileTypeOf(" geojson "))
	assert.Equal(t, opendata.FileTypeJSONLD, opendata.FileTypeOf("json-ld"))
	assert.Equal(t, "X_UNKNOWN", opendata.FileType(opendata.SchemeFileType+"/X_UNKNOWN").Label("en"))
	assert.Equal(t, opendata.MediaTypeCSV, opendata.MediaTypeOf("Text/CSV"))
	assert.Equal(t, "text/csv", opendata.MediaTypeCSV.Name())
	assert.Equal(t, opendata.ChecksumSHA256, opendata.ChecksumAlgorithm("http://spdx.org/rdf/terms#checksumAlgorithm_sha256").Canonical())
	_, ok := opendata.KnownLicense("https://example.org/my-licence")
	assert.False(t, ok)
	l, ok := opendata.KnownLicense(opendata.LicenseODbL)
	assert.True(t, ok)
	assert.Equal(t, "ODbL-1.0", l.SPDX)
	assert.Equal(t, opendata.LicenseTypeShareAlike, l.Type)

	txt := opendata.Text{"de": "Haushalt", "fr": "Budget"}
	assert.Equal(t, "Budget", txt.Get("fr"))
	assert.Equal(t, "Haushalt", txt.Get("es"), "first by tag order when neither the language, untagged nor English is there")
	assert.Equal(t, []string{"de", "fr"}, txt.Langs())
	assert.True(t, opendata.Text{"en": ""}.IsZero())
	assert.Equal(t, 3, opendata.Keywords{"fr": {"a", "b"}, "en": {"c"}}.Len())
}
