// Command opendata-catalog writes a demonstration open-data catalogue of a
// fictional French town, Exempleville, in every format civickit's opendata
// package produces:
//
//	go run ./examples/opendata-catalog -out DIR
//
// writes into DIR
//
//	catalog.jsonld       DCAT-AP 3.0.1 JSON-LD (what European portals harvest)
//	catalog.ttl          the same graph in Turtle
//	data.json            Project Open Data v1.1 (what data.gov harvests)
//	datapackage.json     Frictionless Data Package of the budget results
//	schemaorg.jsonld     schema.org DataCatalog for search engines
//	pages/catalog-N.ttl  and .jsonld: the catalogue in hydra-paged form
//
// The catalogue uses every part of the model: a dataset series with two
// yearly members and versions, distributions in CSV and JSON with a column
// dictionary and checksums, a data service, multilingual titles and
// keywords, spatial and temporal coverage, provenance, quality notes,
// licences and access rights. It also holds a staff contact and a person
// among the creators, to show that personal data never reaches an export.
//
// The program validates the catalogue first and stops on any violation.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/civickit/civickit/opendata"
)

func main() {
	out := flag.String("out", "opendata-out", "directory to write the catalogue into")
	pageSize := flag.Int("page-size", 2, "datasets per page of the paged catalogue")
	flag.Parse()
	if err := run(*out, *pageSize, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "opendata-catalog:", err)
		os.Exit(1)
	}
}

// run writes the demonstration catalogue into dir and reports what it wrote
// (and any validation warnings) on log.
func run(dir string, pageSize int, log io.Writer) error {
	if pageSize < 1 {
		return fmt.Errorf("page size %d: want at least 1", pageSize)
	}
	c := demoCatalog()
	if err := c.Validate(); err != nil {
		var ve *opendata.ValidationError
		if !errors.As(err, &ve) || len(ve.Violations()) > 0 {
			return err
		}
		for _, w := range ve.Warnings() {
			fmt.Fprintln(log, "warning:", w)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "pages"), 0o755); err != nil {
		return err
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"catalog.jsonld", func(w io.Writer) error { return opendata.WriteJSONLD(w, c) }},
		{"catalog.ttl", func(w io.Writer) error { return opendata.WriteTurtle(w, c) }},
		{"data.json", func(w io.Writer) error {
			return opendata.WriteDataJSON(w, c, opendata.DataJSONOptions{CatalogURL: baseURL + "/data.json"})
		}},
		{"datapackage.json", func(w io.Writer) error {
			return opendata.WriteDataPackage(w, c.Datasets[0], opendata.DataPackageOptions{})
		}},
		{"schemaorg.jsonld", func(w io.Writer) error {
			return opendata.WriteSchemaOrg(w, c, opendata.SchemaOrgOptions{})
		}},
	}
	pages := (len(c.Datasets) + pageSize - 1) / pageSize
	for n := 1; n <= pages; n++ {
		for _, ext := range []string{"ttl", "jsonld"} {
			ext := ext
			pageIRI := func(n int) string { return fmt.Sprintf("%s/catalog.%s?page=%d", baseURL, ext, n) }
			page, info, err := opendata.Paginate(c, n, pageSize, pageIRI)
			if err != nil {
				return err
			}
			name := fmt.Sprintf("pages/catalog-%d.%s", n, ext)
			files = append(files, struct {
				name  string
				write func(io.Writer) error
			}{name, func(w io.Writer) error {
				if ext == "ttl" {
					return opendata.WritePagedTurtle(w, page, info)
				}
				return opendata.WritePagedJSONLD(w, page, info)
			}})
		}
	}
	for _, f := range files {
		var buf bytes.Buffer
		if err := f.write(&buf); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.name), buf.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(log, "wrote %s (%d bytes)\n", filepath.Join(dir, f.name), buf.Len())
	}
	return nil
}

const baseURL = "https://data.exempleville.fr"

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
