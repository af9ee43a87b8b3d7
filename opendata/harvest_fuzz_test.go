package opendata_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/civickit/civickit/opendata"
)

// fuzzSeeds are documents in each format: the fixtures and what the
// writers produce.
func fuzzSeeds(f *testing.F, names ...string) {
	for _, n := range names {
		f.Add(readFixture(f, n))
	}
}

func writtenSeeds(f *testing.F, write func(*bytes.Buffer, *opendata.Catalog) error) {
	var buf bytes.Buffer
	if err := write(&buf, harvestCatalog()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
}

// FuzzReadTurtle: no input makes the Turtle reader panic; a refusal is a
// *SyntaxError; what it reads, the Turtle writer writes and the reader
// reads again.
func FuzzReadTurtle(f *testing.F) {
	fuzzSeeds(f, "example-bee-population.ttl", "example-bee-population-dataset-series.ttl", "example-bee-population-dataset-series-api.ttl")
	writtenSeeds(f, func(b *bytes.Buffer, c *opendata.Catalog) error { return opendata.WriteTurtle(b, c) })
	f.Add([]byte(`@prefix : <http://e/> . :s :p ( [ :q """x"""@en ] 1.5e3 ) ; a :C .`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		res, err := opendata.ReadTurtle(bytes.NewReader(doc), opendata.ReadOptions{Base: "https://example.org/base/"})
		if err != nil {
			var se *opendata.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error is not a *SyntaxError: %T %v", err, err)
			}
			return
		}
		var out bytes.Buffer
		if err := opendata.WriteTurtle(&out, res.Catalog); err != nil {
			t.Fatal(err)
		}
		if _, err := opendata.ReadTurtle(&out, opendata.ReadOptions{}); err != nil {
			t.Fatalf("the writer's output does not read back: %v\n%s", err, out.String())
		}
	})
}

// FuzzReadJSONLD: no input makes the JSON-LD reader panic.
func FuzzReadJSONLD(f *testing.F) {
	fuzzSeeds(f, "example-bee-population.jsonld", "context.jsonld")
	writtenSeeds(f, func(b *bytes.Buffer, c *opendata.Catalog) error { return opendata.WriteJSONLD(b, c) })
	f.Add([]byte(`{"@context": {"@vocab": "http://www.w3.org/ns/dcat#"}, "@type": "Dataset", "keyword": {"@list": ["a"]}}`))
	contexts := fixtureContexts(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		res, err := opendata.ReadJSONLD(context.Background(), bytes.NewReader(doc), opendata.ReadOptions{Contexts: contexts})
		if err != nil {
			var se *opendata.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error is not a *SyntaxError: %T %v", err, err)
			}
			return
		}
		var out bytes.Buffer
		if err := opendata.WriteJSONLD(&out, res.Catalog); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzReadDataJSON: no input makes the data.json reader panic.
func FuzzReadDataJSON(f *testing.F) {
	fuzzSeeds(f, "catalog-sample.json", "catalog-sample-extended.json")
	writtenSeeds(f, func(b *bytes.Buffer, c *opendata.Catalog) error {
		return opendata.WriteDataJSON(b, c, opendata.DataJSONOptions{})
	})
	f.Add([]byte(`{"dataset": [{"isPartOf": "a", "identifier": "a"}, null, 3]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		res, err := opendata.ReadDataJSON(bytes.NewReader(doc), opendata.ReadOptions{Base: "https://example.org/data.json"})
		if err != nil {
			var se *opendata.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error is not a *SyntaxError: %T %v", err, err)
			}
			return
		}
		var out bytes.Buffer
		if err := opendata.WriteDataJSON(&out, res.Catalog, opendata.DataJSONOptions{}); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzHarvestDocument: whatever the document, detection and harvest end
// without a panic.
func FuzzHarvestDocument(f *testing.F) {
	fuzzSeeds(f, "example-bee-population.ttl", "catalog-sample.json", "example-bee-population.jsonld")
	h := opendata.NewHarvester(opendata.HarvesterOptions{})
	f.Fuzz(func(t *testing.T, doc []byte) {
		_, _ = h.HarvestDocument(context.Background(), &opendata.Fetched{Body: doc}, newRecordingTarget())
	})
}
