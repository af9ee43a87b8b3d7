package opendata_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
)

// Seeded personal values: names, e-mails, phone numbers (as typed and as a
// tel: IRI would spell them) and postal addresses of people.
var canaries = []string{
	"Jeanne Canarinette", "canarinette", "jeanne.canarinette@perso.example",
	"Paul Serinus", "serinus", "paul.serinus@mail.example",
	"+33 6 11 22 33 44", "+33611223344", "0611223344",
	"17 rue des Canaris", "Canaryville", "75999",
	"Oiseau Anonyme", "+1 555 0100", "15550100",
}

func person(name string) opendata.Agent {
	return opendata.Agent{Kind: opendata.AgentPerson, Name: opendata.Text{"": name, "fr": name}, Email: "paul.serinus@mail.example", Homepage: "https://perso.example/serinus"}
}

func individual(name string) opendata.Contact {
	return opendata.Contact{
		Kind: opendata.ContactIndividual, Name: name,
		Email: "jeanne.canarinette@perso.example", Phone: "+33 6 11 22 33 44", URL: "https://perso.example/canarinette",
		Address: opendata.Address{Street: "17 rue des Canaris", Locality: "Canaryville", PostalCode: "75999", Country: "France"},
	}
}

// seededCatalog puts people in every place the model can hold them.
func seededCatalog() *opendata.Catalog {
	c := fullCatalog(3)
	p := person("Paul Serinus")
	c.Creator = &p
	for i, d := range c.Datasets {
		d.Creators = append(d.Creators, person("Paul Serinus"), person("Oiseau Anonyme"))
		d.ContactPoints = append([]opendata.Contact{individual("Jeanne Canarinette")}, d.ContactPoints...)
		d.Attributions = append(d.Attributions, opendata.Attribution{Agent: person("Jeanne Canarinette"), Role: opendata.RoleProcessor})
		if i == 2 {
			// A dataset whose publisher and only contact are people.
			pub := person("Oiseau Anonyme")
			pub.Email = "0611223344@sms.example"
			d.Publisher = &pub
			d.ContactPoints = []opendata.Contact{individual("Jeanne Canarinette")}
			d.ContactPoints[0].Phone = "+1 555 0100"
		}
	}
	c.Series[0].ContactPoints = append(c.Series[0].ContactPoints, individual("Jeanne Canarinette"))
	sp := person("Paul Serinus")
	c.Series[0].Publisher = &sp
	c.Services[0].ContactPoints = []opendata.Contact{individual("Jeanne Canarinette")}
	c.Services[0].Publisher = &sp
	return c
}

// TestCanaryNoPersonalDataInExports writes the seeded catalogue in every
// format and looks for each seeded value in each output.
func TestCanaryNoPersonalDataInExports(t *testing.T) {
	c := seededCatalog()
	page, p, err := opendata.Paginate(c, 1, 2, pageIRI)
	require.NoError(t, err)
	outputs := map[string]func(*bytes.Buffer) error{
		"turtle":       func(b *bytes.Buffer) error { return opendata.WriteTurtle(b, c) },
		"jsonld":       func(b *bytes.Buffer) error { return opendata.WriteJSONLD(b, c) },
		"paged turtle": func(b *bytes.Buffer) error { return opendata.WritePagedTurtle(b, page, p) },
		"paged jsonld": func(b *bytes.Buffer) error { return opendata.WritePagedJSONLD(b, page, p) },
		"data.json":    func(b *bytes.Buffer) error { return opendata.WriteDataJSON(b, c, opendata.DataJSONOptions{}) },
		"schema.org":   func(b *bytes.Buffer) error { return opendata.WriteSchemaOrg(b, c, opendata.SchemaOrgOptions{}) },
	}
	for _, d := range c.Datasets {
		d := d
		outputs["dataset turtle "+d.Identifier] = func(b *bytes.Buffer) error { return opendata.WriteDatasetTurtle(b, d) }
		outputs["dataset jsonld "+d.Identifier] = func(b *bytes.Buffer) error { return opendata.WriteDatasetJSONLD(b, d) }
		outputs["schema.org dataset "+d.Identifier] = func(b *bytes.Buffer) error {
			return opendata.WriteSchemaOrgDataset(b, d, opendata.SchemaOrgOptions{})
		}
		outputs["datapackage "+d.Identifier] = func(b *bytes.Buffer) error {
			return opendata.WriteDataPackage(b, d, opendata.DataPackageOptions{})
		}
	}
	for name, write := range outputs {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, write(&buf))
			out := strings.ToLower(buf.String())
			require.NotEmpty(t, out)
			for _, v := range canaries {
				assert.NotContains(t, out, strings.ToLower(v))
			}
			assert.NotContains(t, out, "perso.example")
		})
	}
}

// TestCanaryControl makes sure the canary test can fail: the same values
// given to an organisation contact do appear.
func TestCanaryControl(t *testing.T) {
	c := fullCatalog(1)
	leak := individual("Jeanne Canarinette")
	leak.Kind = opendata.ContactOrganization
	c.Datasets[0].ContactPoints = []opendata.Contact{leak}
	var buf bytes.Buffer
	require.NoError(t, opendata.WriteTurtle(&buf, c))
	for _, v := range []string{"Jeanne Canarinette", "jeanne.canarinette@perso.example", "+33611223344", "17 rue des Canaris"} {
		assert.Contains(t, buf.String(), v)
	}
}
