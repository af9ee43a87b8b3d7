package opendata_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/civickit/civickit/opendata"
)

// fuzzSeeds are documents in each format: the fixtures and what the
// writers produce.
func fuzzSeeds(f *testing.F, names ...string) {
	for _, n := range names {
		f.Add(readFixture(f, n))
	}
}

// writtenSeeds adds a small catalogue as written by the writers. Seeds are
// kept small: the fuzzer minimises every input that finds new coverage,
// and a long one would take the whole fuzzing time.
func writtenSeeds(f *testing.F, write func(*bytes.Buffer, *opendata.Catalog) error) {
	c := &opendata.Catalog{
		IRI:       "https://e.org/c",
		Title:     opendata.Text{"fr": "C"},
		Publisher: &opendata.Agent{Name: opendata.Text{"fr": "P"}},
		Series:    []*opendata.DatasetSeries{{IRI: "https://e.org/s", Identifier: "s", Title: opendata.Text{"fr": "S"}}},
		Datasets: []*opendata.Dataset{{
			Identifier: "d", IRI: "https://e.org/d", Title: opendata.Text{"fr": "D"},
			Keywords: opendata.Keywords{"fr": {"k"}}, Themes: []opendata.Theme{opendata.ThemeEconomy},
			InSeries: []string{"https://e.org/s"},
			Temporal: []opendata.PeriodOfTime{{Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)}},
			Distributions: []opendata.Distribution{{
				AccessURL: "https://e.org/f.csv", Format: opendata.FileTypeCSV, MediaType: opendata.MediaTypeCSV,
				License: opendata.LicenseDocument{IRI: opendata.LicenseCC0}, ByteSize: 1,
			}},
		}},
	}
	var buf bytes.Buffer
	if err := write(&buf, c); err != nil {
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
	// The W3C suite's inputs, valid and invalid.
	suite, err := filepath.Glob(filepath.Join("testdata", "harvest", "turtle-tests", "*.ttl"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range suite {
		if filepath.Base(name) == "manifest.ttl" {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
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
	fuzzSeeds(f, "example-bee-population.jsonld")
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
	f.Add([]byte(`{"conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "dataset": [{"identifier": "x", "title": "t", "language": ["fr"], "accessLevel": "restricted public",
  "temporal": "2020-01-01/2021-01-01", "accrualPeriodicity": "R/P1Y", "license": "CC-BY-4.0", "theme": ["Transport", "free"], "keyword": "k",
  "publisher": {"name": "P", "subOrganizationOf": {"name": "Q"}}, "contactPoint": {"fn": "F", "hasEmail": "mailto:f@e.org"},
  "distribution": [{"downloadURL": "https://e.org/f", "format": "CSV", "mediaType": "text/csv", "x": 1}]}]}`))
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
	fuzzSeeds(f, "example-bee-population.ttl", "example-bee-population.jsonld")
	f.Add([]byte(`{"dataset": [{"identifier": "a", "title": "A"}, {"identifier": "a"}, {"title": "no id"}]}`))
	h := opendata.NewHarvester(opendata.HarvesterOptions{})
	f.Fuzz(func(t *testing.T, doc []byte) {
		_, _ = h.HarvestDocument(context.Background(), &opendata.Fetched{Body: doc}, newRecordingTarget())
	})
}
