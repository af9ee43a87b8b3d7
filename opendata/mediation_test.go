package opendata_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/opendata"
)

// The national schema itself (testdata/mediation/schema.json, see the
// README there) checks what WriteMediationPlacesCSV writes: the columns in
// its order, each required cell present, each cell matching the field's
// pattern, enum and type.
func TestMediationPlacesFollowTheNationalSchema(t *testing.T) {
	b, err := os.ReadFile("testdata/mediation/schema.json")
	require.NoError(t, err)
	var schema struct {
		Version string `json:"version"`
		Fields  []struct {
			Name        string `json:"name"`
			Type        string `json:"type"`
			Constraints struct {
				Required bool     `json:"required"`
				Pattern  string   `json:"pattern"`
				Enum     []string `json:"enum"`
			} `json:"constraints"`
		} `json:"fields"`
	}
	require.NoError(t, json.Unmarshal(b, &schema))
	assert.Equal(t, "v"+opendata.MediationSchemaVersion, schema.Version)
	var names []string
	for _, f := range schema.Fields {
		names = append(names, f.Name)
	}
	assert.Equal(t, names, opendata.MediationColumns)

	lat, lon := 49.2583, 4.0317
	places := []opendata.MediationPlace{{
		ID: "epn-reims-1", Pivot: "43493312300029", Name: "Espace public numérique du centre", Commune: "Reims",
		PostalCode: "51100", INSEECode: "51454", Address: "12 bis rue de Leclercq", Latitude: &lat, Longitude: &lon,
		Typology: []string{"TIERS_LIEUX", "ASSO"}, Phone: "+33326000000", Emails: []string{"contact@epn.example.org"},
		Websites: []string{"https://epn.example.org/"}, OpeningHours: "Mo-Fr 09:00-12:00,14:00-18:30",
		Summary: "Ateliers numériques pour tous.", Mobility: []string{"Fixe"},
		Updated:  time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC),
		Services: []string{"Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien"},
		Publics:  []string{"Seniors"}, Fees: []string{"Gratuit"}, AccessModes: []string{"Se présenter"},
		SupportModes: []string{"Accompagnement individuel"},
	}, {
		ID: "fablab-2", Pivot: "W512000123", Name: "Fablab des Trois Fontaines", Commune: "Reims", PostalCode: "51100",
		Address: "3 place des Fontaines", Updated: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC),
		Services: []string{"Maîtrise des outils numériques du quotidien"},
	}}
	var buf bytes.Buffer
	require.NoError(t, opendata.WriteMediationPlacesCSV(&buf, places))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, names, rows[0])
	for r, row := range rows[1:] {
		for i, f := range schema.Fields {
			cell := row[i]
			if cell == "" {
				assert.False(t, f.Constraints.Required, "row %d: %s is required", r, f.Name)
				continue
			}
			if f.Constraints.Pattern != "" {
				re, err := regexp.Compile(f.Constraints.Pattern)
				if assert.NoError(t, err, f.Name) {
					assert.Regexp(t, re, cell, "row %d: %s", r, f.Name)
				}
			}
			if len(f.Constraints.Enum) > 0 {
				assert.Contains(t, f.Constraints.Enum, cell, "row %d: %s", r, f.Name)
			}
			switch f.Type {
			case "number":
				_, err := strconv.ParseFloat(cell, 64)
				assert.NoError(t, err, "row %d: %s", r, f.Name)
			case "date":
				_, err := time.Parse(time.DateOnly, cell)
				assert.NoError(t, err, "row %d: %s", r, f.Name)
			}
		}
	}

	// The schema's own example file has the same header.
	ex, err := os.ReadFile("testdata/mediation/exemple-valide.csv")
	require.NoError(t, err)
	exRows, err := csv.NewReader(bytes.NewReader(ex)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, names, exRows[0])

	// An invalid place writes nothing and is named.
	buf.Reset()
	bad := places[1]
	bad.PostalCode, bad.Services = "5110", nil
	err = opendata.WriteMediationPlacesCSV(&buf, []opendata.MediationPlace{places[0], bad})
	var ve *civickit.ValidationError
	require.ErrorAs(t, err, &ve)
	var paths []string
	for _, f := range ve.Fields {
		paths = append(paths, f.Path)
	}
	assert.ElementsMatch(t, []string{"places[1].postal_code", "places[1].services"}, paths)
	assert.Empty(t, strings.TrimSpace(buf.String()))
}
