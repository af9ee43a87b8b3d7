package opendata_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

var publishNow = time.Date(2025, 6, 30, 18, 0, 0, 0, time.UTC)

func newPublisher(t *testing.T) *opendata.Publisher {
	t.Helper()
	p, err := opendata.NewPublisher(opendata.PublisherOptions{
		BaseURL: "https://data.example.org/",
		Publisher: &opendata.Agent{IRI: "https://www.lyon.fr/", Name: opendata.Text{"fr": "Ville de Lyon"},
			Type: opendata.AgentLocalAuthority},
		Now: func() time.Time { return publishNow },
	})
	require.NoError(t, err)
	return p
}

// votePublication publishes participatory-budget results: project,
// district, votes (a count).
func votePublication() opendata.Publication {
	return opendata.Publication{
		Identifier:  "bp-2025-resultats",
		Title:       opendata.Text{"fr": "Budget participatif 2025 : résultats", "en": "Participatory budget 2025: results"},
		Description: opendata.Text{"fr": "Nombre de votes par projet et par quartier.", "en": "Votes per project and district."},
		Keywords:    opendata.Keywords{"fr": {"budget participatif", "vote"}},
		Themes:      []opendata.Theme{opendata.ThemeGovernment},
		ContactPoints: []opendata.Contact{{Name: "Service démocratie locale", Email: "democratie@mairie-lyon.fr",
			URL: "https://www.lyon.fr/"}},
		Spatial:    []opendata.Location{{IRI: "https://id.insee.fr/geo/commune/69123", BBox: "POLYGON((4.77 45.70,4.90 45.70,4.90 45.81,4.77 45.81,4.77 45.70))", Centroid: "POINT(4.835 45.764)"}},
		Temporal:   []opendata.PeriodOfTime{{Start: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 5, 31, 0, 0, 0, 0, time.UTC)}},
		Provenance: opendata.Text{"fr": "Dépouillement du vote en ligne et papier du budget participatif."},
		Activity:   &opendata.Activity{IRI: "https://participez.example.org/bp-2025", Label: opendata.Text{"fr": "Vote du budget participatif 2025"}},
		Columns: []opendata.PublishedColumn{
			{Column: opendata.Column{Name: "projet", Title: opendata.Text{"fr": "Projet"}, Required: true}},
			{Column: opendata.Column{Name: "quartier", Title: opendata.Text{"fr": "Quartier"}}},
			{Column: opendata.Column{Name: "votes", Title: opendata.Text{"fr": "Votes"}, Type: opendata.ColumnInteger}, Count: true},
			{Column: opendata.Column{Name: "retenu", Type: opendata.ColumnBoolean}},
			{Column: opendata.Column{Name: "part", Type: opendata.ColumnNumber, Unit: "%"}},
			{Column: opendata.Column{Name: "clos_le", Type: opendata.ColumnDate}},
		},
	}
}

// Canary values: personal data seeded in every row, outside the allow-list.
var publishCanaries = []string{
	"Jeanne Canari", "jeanne.canari@example.net", "+33 6 12 34 56 78", "0612345678",
	"12 rue des Canaris", "69007", "1987-04-12", "Canari",
}

func canaryRow(project, district string, votes int, kept bool, share float64) opendata.MapRow {
	return opendata.MapRow{
		"projet": project, "quartier": district, "votes": votes, "retenu": kept, "part": share,
		"clos_le": time.Date(2025, 5, 31, 20, 0, 0, 0, time.UTC),
		// Personal data the domain keeps beside the results: never read.
		"name": "Jeanne Canari", "email": "jeanne.canari@example.net", "phone": "+33 6 12 34 56 78",
		"mobile": "0612345678", "address": "12 rue des Canaris", "postal_code": "69007", "birth_date": "1987-04-12",
		"voter_ids": []string{"Canari-1", "Canari-2"},
	}
}

func voteRows() opendata.Rows {
	return opendata.Rows{
		canaryRow("Jardin partagé", "1er", 412, true, 41.2),
		canaryRow("Pistes cyclables", "7e", 3, false, 0.3),
		canaryRow("Bancs publics", "7e", 0, false, 0),
		canaryRow("Fresque", "2e", 4, false, 0.4),
		canaryRow("Boîtes à livres", "2e", 5, true, 0.5),
	}
}

func TestPublish(t *testing.T) {
	p := newPublisher(t)
	out, err := p.Publish(t.Context(), votePublication(), voteRows())
	require.NoError(t, err)
	require.Len(t, out.Files, 2)
	assert.Equal(t, 5, out.Rows)
	assert.Equal(t, 2, out.Suppressed, "3 and 4 are below k=5; 0 and 5 are not")

	csvFile := out.Files[0]
	assert.Equal(t, "bp-2025-resultats.csv", csvFile.Name)
	assert.Equal(t, opendata.MediaTypeCSV, csvFile.MediaType)
	recs, err := csv.NewReader(bytes.NewReader(csvFile.Data)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, [][]string{
		{"projet", "quartier", "votes", "retenu", "part", "clos_le"},
		{"Jardin partagé", "1er", "412", "true", "41.2", "2025-05-31"},
		{"Pistes cyclables", "7e", "", "false", "0.3", "2025-05-31"},
		{"Bancs publics", "7e", "0", "false", "0", "2025-05-31"},
		{"Fresque", "2e", "", "false", "0.4", "2025-05-31"},
		{"Boîtes à livres", "2e", "5", "true", "0.5", "2025-05-31"},
	}, recs)

	var rows []map[string]any
	require.NoError(t, json.Unmarshal(out.Files[1].Data, &rows))
	require.Len(t, rows, 5)
	assert.Equal(t, map[string]any{"projet": "Pistes cyclables", "quartier": "7e", "votes": nil, "retenu": false, "part": 0.3, "clos_le": "2025-05-31"}, rows[1])
	assert.Equal(t, float64(412), rows[0]["votes"])
	// Keys keep the column order.
	assert.True(t, strings.HasPrefix(string(out.Files[1].Data), "[\n{\"projet\":\"Jardin partagé\",\"quartier\":\"1er\",\"votes\":412,"))

	d := out.Dataset
	assert.Equal(t, "bp-2025-resultats", d.Identifier)
	assert.Equal(t, "https://data.example.org/datasets/bp-2025-resultats", d.IRI)
	assert.Equal(t, "Ville de Lyon", d.Publisher.Name.Get("fr"), "the publisher's default")
	require.Len(t, d.Distributions, 2)
	for i, x := range d.Distributions {
		assert.Equal(t, opendata.LicenseEtalab20, x.License.IRI, "Licence Ouverte 2.0 by default")
		assert.Equal(t, out.Files[i].URL, x.DownloadURL)
		assert.Equal(t, int64(len(out.Files[i].Data)), x.ByteSize)
		sum := sha256.Sum256(out.Files[i].Data)
		assert.Equal(t, hex.EncodeToString(sum[:]), x.Checksum.Value)
	}
	assert.Equal(t, opendata.FileTypeCSV, d.Distributions[0].Format)
	assert.Equal(t, opendata.FileTypeJSON, d.Distributions[1].Format)
	cols := d.Distributions[0].Columns
	require.Len(t, cols, 6)
	assert.Equal(t, opendata.ColumnString, cols[0].Type, "string by default")
	assert.Contains(t, cols[2].Description.Get("en"), "1 to 4 are suppressed")
	assert.Contains(t, cols[2].Description.Get("fr"), "1 à 4")
	require.Len(t, d.Provenance, 1)
	assert.Equal(t, "Dépouillement du vote en ligne et papier du budget participatif.", d.Provenance[0].Label.Get("fr"))
	require.Len(t, d.WasGeneratedBy, 1)
	assert.Contains(t, d.QualityNotes[0].Body.Get("en"), "Counts from 1 to 4 are suppressed")
	assert.True(t, d.Validate().OK(), "%v", d.Validate())
	assert.True(t, d.Issued.Equal(publishNow))

	// Deterministic: the same results give the same bytes.
	again, err := p.Publish(t.Context(), votePublication(), voteRows())
	require.NoError(t, err)
	assert.Equal(t, out.Files, again.Files)
}

func TestPublishK(t *testing.T) {
	p := newPublisher(t)
	cases := []struct {
		k          int
		suppressed int
		votes      []string
	}{
		{1, 0, []string{"412", "3", "0", "4", "5"}},
		{4, 1, []string{"412", "", "0", "4", "5"}},
		{6, 3, []string{"412", "", "0", "", ""}},
		{1000, 4, []string{"", "", "0", "", ""}},
	}
	for _, c := range cases {
		pub := votePublication()
		pub.K = c.k
		out, err := p.Publish(t.Context(), pub, voteRows())
		require.NoError(t, err, "k=%d", c.k)
		assert.Equal(t, c.suppressed, out.Suppressed, "k=%d", c.k)
		recs, err := csv.NewReader(bytes.NewReader(out.Files[0].Data)).ReadAll()
		require.NoError(t, err)
		var votes []string
		for _, r := range recs[1:] {
			votes = append(votes, r[2])
		}
		assert.Equal(t, c.votes, votes, "k=%d", c.k)
		if c.k == 1 {
			assert.NotContains(t, out.Dataset.QualityNotes[0].Body.Get("en"), "suppressed", "nothing is suppressed at k=1")
		}
	}
}

func TestPublishRefuses(t *testing.T) {
	p := newPublisher(t)
	cases := []struct {
		name   string
		edit   func(pub *opendata.Publication)
		rows   opendata.Rows
		fields []string
		rule   string
	}{
		{"no identifier", func(pub *opendata.Publication) { pub.Identifier = "" }, nil, []string{"identifier"}, opendata.RuleMandatory},
		{"identifier not a slug", func(pub *opendata.Publication) { pub.Identifier = "BP 2025" }, nil, []string{"identifier"}, opendata.RuleFormat},
		{"no columns", func(pub *opendata.Publication) { pub.Columns = nil }, nil, []string{"columns"}, opendata.RuleMandatory},
		{"personal column", func(pub *opendata.Publication) {
			pub.Columns = append(pub.Columns, opendata.PublishedColumn{Column: opendata.Column{Name: "email"}})
		}, nil, []string{"columns[6].name"}, opendata.RulePersonal},
		{"personal column words", func(pub *opendata.Publication) {
			pub.Columns = append(pub.Columns, opendata.PublishedColumn{Column: opendata.Column{Name: "Date de naissance"}})
		}, nil, []string{"columns[6].name"}, opendata.RulePersonal},
		{"personal column compact", func(pub *opendata.Publication) {
			pub.Columns = append(pub.Columns, opendata.PublishedColumn{Column: opendata.Column{Name: "first_name"}})
		}, nil, []string{"columns[6].name"}, opendata.RulePersonal},
		{"author column", func(pub *opendata.Publication) {
			pub.Columns = append(pub.Columns, opendata.PublishedColumn{Column: opendata.Column{Name: "Auteur"}})
		}, nil, []string{"columns[6].name"}, opendata.RulePersonal},
		{"family name column", func(pub *opendata.Publication) {
			pub.Columns = append(pub.Columns, opendata.PublishedColumn{Column: opendata.Column{Name: "Nom de famille"}})
		}, nil, []string{"columns[6].name"}, opendata.RulePersonal},
		{"name column", func(pub *opendata.Publication) {
			pub.Columns = append(pub.Columns, opendata.PublishedColumn{Column: opendata.Column{Name: "name"}})
		}, nil, []string{"columns[6].name"}, opendata.RulePersonal},
		{"nom column", func(pub *opendata.Publication) {
			pub.Columns = append(pub.Columns, opendata.PublishedColumn{Column: opendata.Column{Name: "Nom"}})
		}, nil, []string{"columns[6].name"}, opendata.RulePersonal},
		{"prénom column", func(pub *opendata.Publication) {
			pub.Columns = append(pub.Columns, opendata.PublishedColumn{Column: opendata.Column{Name: "Prénom"}})
		}, nil, []string{"columns[6].name"}, opendata.RulePersonal},
		{"nom de naissance column", func(pub *opendata.Publication) {
			pub.Columns = append(pub.Columns, opendata.PublishedColumn{Column: opendata.Column{Name: "Nom de naissance"}})
		}, nil, []string{"columns[6].name"}, opendata.RulePersonal},
		{"nom prénom column", func(pub *opendata.Publication) {
			pub.Columns = append(pub.Columns, opendata.PublishedColumn{Column: opendata.Column{Name: "nom_prenom"}})
		}, nil, []string{"columns[6].name"}, opendata.RulePersonal},
		{"free-text column", func(pub *opendata.Publication) {
			pub.Columns = append(pub.Columns, opendata.PublishedColumn{Column: opendata.Column{Name: "Commentaire libre"}})
		}, nil, []string{"columns[6].name"}, opendata.RulePersonal},
		{"comments column", func(pub *opendata.Publication) {
			pub.Columns = append(pub.Columns, opendata.PublishedColumn{Column: opendata.Column{Name: "comments"}})
		}, nil, []string{"columns[6].name"}, opendata.RulePersonal},
		{"duplicate column", func(pub *opendata.Publication) {
			pub.Columns = append(pub.Columns, pub.Columns[0])
		}, nil, []string{"columns[6].name"}, opendata.RuleUnique},
		{"count not integer", func(pub *opendata.Publication) { pub.Columns[4].Count = true }, nil, []string{"columns[4].type"}, opendata.RuleFormat},
		{"negative k", func(pub *opendata.Publication) { pub.K = -1 }, nil, []string{"k"}, opendata.RuleFormat},
		{"person as publisher", func(pub *opendata.Publication) {
			pub.Publisher = &opendata.Agent{Kind: opendata.AgentPerson, Name: opendata.Text{"": "Jeanne Canari"}}
		}, voteRows(), []string{"publisher.kind"}, opendata.RulePersonal},
		{"e-mail in a value", nil, opendata.Rows{opendata.MapRow{"projet": "écrire à jeanne.canari@example.net"}}, []string{"rows[0].projet"}, opendata.RulePersonal},
		{"phone in a value", nil, opendata.Rows{opendata.MapRow{"projet": "ok"}, opendata.MapRow{"projet": "appeler le 06 12 34 56 78"}}, []string{"rows[1].projet"}, opendata.RulePersonal},
		{"wrong type", nil, opendata.Rows{opendata.MapRow{"projet": "ok", "votes": "12"}}, []string{"rows[0].votes"}, opendata.RuleFormat},
		{"struct value", nil, opendata.Rows{opendata.MapRow{"projet": struct{ Name string }{"Jeanne"}}}, []string{"rows[0].projet"}, opendata.RuleFormat},
		{"missing required", nil, opendata.Rows{opendata.MapRow{"votes": 12}}, []string{"rows[0].projet"}, opendata.RuleMandatory},
		{"negative count", nil, opendata.Rows{opendata.MapRow{"projet": "x", "votes": -3}}, []string{"rows[0].votes"}, opendata.RuleFormat},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pub := votePublication()
			if c.edit != nil {
				c.edit(&pub)
			}
			rows := c.rows
			if rows == nil {
				rows = voteRows()
			}
			out, err := p.Publish(t.Context(), pub, rows)
			assert.Nil(t, out)
			require.ErrorIs(t, err, opendata.ErrInvalid)
			var ve *civickit.ValidationError
			require.ErrorAs(t, err, &ve)
			var fields []string
			for _, f := range ve.Fields {
				fields = append(fields, f.Path)
				assert.Equal(t, c.rule, f.Rule, f.Path)
				assert.NotContains(t, f.Param, "canari", "errors do not repeat personal values")
			}
			assert.Equal(t, c.fields, fields)
		})
	}

	_, err := opendata.NewPublisher(opendata.PublisherOptions{BaseURL: "data.example.org"})
	assert.ErrorIs(t, err, opendata.ErrInvalid)
	_, err = opendata.NewPublisher(opendata.PublisherOptions{BaseURL: "https://x.example", K: -2})
	assert.ErrorIs(t, err, opendata.ErrInvalid)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = p.Publish(ctx, votePublication(), voteRows())
	assert.True(t, errors.Is(err, context.Canceled))
}

// TestPublishCanary seeds personal values in every row (outside the
// allow-list) and checks that none reaches a published file, the stored
// dataset or any serialisation of it.
func TestPublishCanary(t *testing.T) {
	p := newPublisher(t)
	st, err := opendata.NewService(storage.NewDatasetStore(storagetest.Open(t, storage.SQLite)), opendata.Options{})
	require.NoError(t, err)
	pub := votePublication()
	// People the domain might hand over by mistake: refused or left out.
	pub.ContactPoints = append(pub.ContactPoints, opendata.Contact{Kind: opendata.ContactIndividual, Name: "Jeanne Canari",
		Email: "jeanne.canari@example.net", Phone: "+33 6 12 34 56 78", Address: opendata.Address{Street: "12 rue des Canaris", PostalCode: "69007"}})
	_, _, err = p.PublishTo(t.Context(), st, pub, voteRows())
	require.ErrorIs(t, err, opendata.ErrInvalid, "an individual contact point is refused")

	pub = votePublication()
	out, created, err := p.PublishTo(t.Context(), st, pub, voteRows())
	require.NoError(t, err)
	assert.True(t, created)
	stored, err := st.GetDatasetByIdentifier(t.Context(), pub.Identifier)
	require.NoError(t, err)

	var exports = map[string][]byte{}
	for _, f := range out.Files {
		exports[f.Name] = f.Data
	}
	write := func(name string, fn func(w *bytes.Buffer) error) {
		var b bytes.Buffer
		require.NoError(t, fn(&b), name)
		exports[name] = b.Bytes()
	}
	cat := &opendata.Catalog{IRI: "https://data.example.org/catalog", Title: opendata.Text{"fr": "Catalogue"},
		Description: opendata.Text{"fr": "Données"}, Publisher: stored.Publisher, Datasets: []*opendata.Dataset{stored}}
	write("catalog.jsonld", func(w *bytes.Buffer) error { return opendata.WriteJSONLD(w, cat) })
	write("catalog.ttl", func(w *bytes.Buffer) error { return opendata.WriteTurtle(w, cat) })
	write("data.json", func(w *bytes.Buffer) error {
		return opendata.WriteDataJSON(w, cat, opendata.DataJSONOptions{CatalogURL: "https://data.example.org/data.json"})
	})
	write("schemaorg.json", func(w *bytes.Buffer) error {
		return opendata.WriteSchemaOrgDataset(w, stored, opendata.SchemaOrgOptions{})
	})
	write("datapackage.json", func(w *bytes.Buffer) error {
		return opendata.WriteDataPackage(w, stored, opendata.DataPackageOptions{})
	})
	write("ckan.json", func(w *bytes.Buffer) error {
		return json.NewEncoder(w).Encode(opendata.PackageFromDataset(stored, opendata.CKANOptions{}))
	})
	write("stored.json", func(w *bytes.Buffer) error { return json.NewEncoder(w).Encode(stored) })
	for name, data := range exports {
		require.NotEmpty(t, data, name)
		for _, c := range publishCanaries {
			assert.NotContains(t, strings.ToLower(string(data)), strings.ToLower(c), "%s holds %q", name, c)
		}
	}

	// Publishing the same results again writes nothing.
	_, created, err = p.PublishTo(t.Context(), st, votePublication(), voteRows())
	require.NoError(t, err)
	assert.False(t, created)
	again, err := st.GetDatasetByIdentifier(t.Context(), pub.Identifier)
	require.NoError(t, err)
	assert.Equal(t, stored.Revision, again.Revision)
}

func TestNewPublisherRefusesPerson(t *testing.T) {
	_, err := opendata.NewPublisher(opendata.PublisherOptions{BaseURL: "https://data.example.org",
		Publisher: &opendata.Agent{Kind: opendata.AgentPerson, Name: opendata.Text{"": "Jeanne Canari"}}})
	var ve *civickit.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Fields, 1)
	assert.Equal(t, civickit.FieldError{Path: "publisher.kind", Rule: opendata.RulePersonal, Param: "foaf:Person"}, ve.Fields[0])
}

// The CSV says which Table Schema it follows (dct:conformsTo), as
// data.gouv.fr reads it.
func TestPublishCSVConformsToSchema(t *testing.T) {
	p := newPublisher(t)
	pub := votePublication()
	pub.Schema = &opendata.Standard{IRI: "https://schema.data.gouv.fr/schemas/etalab/schema-budget-participatif/latest/schema.json", Title: opendata.Text{"fr": "Budget participatif"}}
	out, err := p.Publish(t.Context(), pub, voteRows())
	require.NoError(t, err)
	csv := out.Dataset.Distributions[0]
	require.Equal(t, opendata.FileTypeCSV, csv.Format)
	assert.Equal(t, []opendata.Standard{*pub.Schema}, csv.ConformsTo)
	assert.Empty(t, out.Dataset.Distributions[1].ConformsTo, "the JSON file follows no Table Schema")
	var buf bytes.Buffer
	require.NoError(t, opendata.WriteDatasetTurtle(&buf, out.Dataset))
	assert.Contains(t, buf.String(), "schema-budget-participatif")
}
