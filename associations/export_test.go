package associations

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Strings that must never leave the registry through the public export.
var privateCanaries = []string{
	"secret.member@example.org",
	"+33 6 12 34 56 78",
	"12 rue des Secrets",
	"Bâtiment B",
	"Fauteuil: demander Mme Privée",
}

// exportedAssociation has one of every kind of data: public fields, a
// private contact, a home address and accessibility notes.
func exportedAssociation() Association {
	created := time.Date(1998, 4, 2, 0, 0, 0, 0, time.UTC)
	return Association{
		ID:          uuid.MustParse("0190a7a0-0000-7000-8000-0000000000aa"),
		Name:        "Chorale du Vieux-Lyon",
		Acronym:     "CVL",
		RNA:         "W691234567",
		SIREN:       "732829320",
		SIRET:       "73282932000074",
		LegalStatus: LegalDeclared,
		Grouping:    GroupingSimple,
		Object:      "Chant choral; concerts",
		Categories:  []string{"006030", "006050", "014000"},
		CreatedOn:   &created,
		Status:      StatusActive,
		Address: Address{
			Line1:       "12 rue des Secrets",
			Line2:       "Bâtiment B",
			PostalCode:  "69005",
			City:        "Lyon",
			CommuneCode: "69385",
			Country:     "FR",
			Location:    &Point{Lat: 45.7624, Lon: 4.8271},
		},
		Contacts: []Contact{
			{Kind: ContactEmail, Value: "contact@chorale.example", Public: true},
			{Kind: ContactEmail, Value: "secret.member@example.org"},
			{Kind: ContactPhone, Value: "+33 6 12 34 56 78", Label: "président"},
			{Kind: ContactPostal, Value: "BP 12; 69005 Lyon", Public: true},
		},
		Website:   "https://chorale.example",
		Languages: []string{"fr", "it"},
		Access:    Accessibility{StepFreeAccess: Yes, HearingLoop: Yes, Notes: "Fauteuil: demander Mme Privée"},
		Version:   3,
		UpdatedAt: time.Date(2025, 2, 3, 9, 4, 5, 0, time.FixedZone("CET", 3600)),
	}
}

func TestPublicRow(t *testing.T) {
	a := exportedAssociation()
	cols := PublicColumns()
	row := PublicRow(&a)
	require.Len(t, row, len(cols))
	got := map[string]string{}
	for i, c := range cols {
		got[c] = row[i]
	}
	want := map[string]string{
		"id":                 "0190a7a0-0000-7000-8000-0000000000aa",
		"rna":                "W691234567",
		"siren":              "732829320",
		"siret":              "73282932000074",
		"neq":                "",
		"name":               "Chorale du Vieux-Lyon",
		"acronym":            "CVL",
		"legal_status":       "declared",
		"grouping":           "simple",
		"object":             "Chant choral; concerts",
		"categories":         "006030;006050;014000",
		"theme_labels":       "Culture, pratiques d'activités artistiques, pratiques culturelles;Amicales, groupements affinitaires, groupements d'entraide",
		"status":             "active",
		"created_on":         "1998-04-02",
		"dissolved_on":       "",
		"postal_code":        "69005",
		"city":               "Lyon",
		"commune_code":       "69385",
		"country":            "FR",
		"lat":                "45.7624",
		"lon":                "4.8271",
		"website":            "https://chorale.example",
		"public_contacts":    "email:contact@chorale.example;postal:BP 12, 69005 Lyon",
		"languages":          "fr;it",
		"step_free_access":   "yes",
		"accessible_toilets": "unknown",
		"hearing_loop":       "yes",
		"sign_language":      "unknown",
		"updated_at":         "2025-02-03T08:04:05Z",
	}
	assert.Equal(t, want, got)
	for _, cell := range row {
		for _, secret := range privateCanaries {
			assert.NotContains(t, cell, secret)
		}
	}
}

func TestPublicRowEmpty(t *testing.T) {
	row := PublicRow(&Association{})
	require.Len(t, row, len(PublicColumns()))
	cols := PublicColumns()
	for i, c := range cols {
		switch c {
		case "id":
			assert.Equal(t, uuid.Nil.String(), row[i])
		case "step_free_access", "accessible_toilets", "hearing_loop", "sign_language":
			assert.Equal(t, "unknown", row[i], c)
		case "updated_at":
			assert.Equal(t, "0001-01-01T00:00:00Z", row[i])
		default:
			assert.Empty(t, row[i], c)
		}
	}
}

func TestPublicColumns(t *testing.T) {
	cols := PublicColumns()
	assert.Equal(t, "id", cols[0])
	assert.Len(t, cols, 29)
	sorted := slices.Clone(cols)
	slices.Sort(sorted)
	assert.Len(t, slices.Compact(sorted), len(cols), "duplicate column")
	for _, c := range cols {
		// Nothing of a person, of a street address or of free-text notes.
		for _, banned := range []string{"line1", "line2", "person", "email", "phone", "notes", "birth", "member"} {
			assert.NotContains(t, c, banned)
		}
	}

	cols[0] = "changed"
	assert.Equal(t, "id", PublicColumns()[0], "the allow-list cannot be changed by a caller")
}

func TestJoinList(t *testing.T) {
	assert.Equal(t, "", joinList(nil))
	assert.Equal(t, "a;b", joinList([]string{"a", "b"}))
	assert.Equal(t, "a,b;c", joinList([]string{"a;b", "c"}))
}

func TestThemeLabels(t *testing.T) {
	assert.Nil(t, themeLabels(nil))
	assert.Equal(t, []string{"Sports, activités de plein air", "Santé"},
		themeLabels([]string{"011010", "017000", "011000", "999999"}))
}
