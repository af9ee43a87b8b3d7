// Command opendata-catalog writes a demonstration open-data catalogue of a
// fictional French town, Exempleville, in every format civickit's opendata
// package produces, publishes real results counted with civickit, serves
// them through the CKAN shapes and harvests the catalogue back:
//
//	go run ./examples/opendata-catalog -out DIR
//
// writes into DIR
//
//	catalog.jsonld       DCAT-AP 3.0.1 JSON-LD (what European portals harvest)
//	catalog.ttl          the same graph in Turtle
//	data.json            Project Open Data v1.1 (what data.gov harvests)
//	datapackage.json     Frictionless Data Package of the published vote results
//	schemaorg.jsonld     schema.org DataCatalog for search engines
//	pages/catalog-N.ttl  and .jsonld: the catalogue in hydra-paged form
//	files/ID.csv         and ID.json: the published results (see below)
//	ckan/package_search.json, ckan/package_show.json,
//	ckan/organization_list.json: CKAN Action API answers
//
// The catalogue uses every part of the model: a dataset series with two
// yearly members and versions, distributions in CSV and JSON with a column
// dictionary and checksums, a data service, multilingual titles and
// keywords, spatial and temporal coverage, provenance, quality notes,
// licences and access rights. It also holds a staff contact and a person
// among the creators, to show that personal data never reaches an export.
//
// Two of its datasets are published results: a ranked vote counted with
// the Schulze method (package voting) and the supports of a consultation.
// The Publisher reads only their allow-listed columns (the rows also hold
// the proposers' names and contact details), leaves counts below k = 5
// empty, writes the column dictionary and applies Licence Ouverte 2.0.
//
// The whole catalogue is then stored in a DatasetStore (SQLite, in a
// temporary directory), searched with facets, and answered in CKAN's
// {help, success, result} envelope. Finally a Harvester reads the written
// Turtle pages and data.json back into stores of their own, twice: the
// second harvest creates nothing.
//
// The program validates the catalogue first and stops on any violation.
package main

import (
	"bytes"
	"context"
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
	if err := run(context.Background(), *out, *pageSize, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "opendata-catalog:", err)
		os.Exit(1)
	}
}

// run writes the demonstration catalogue into dir and reports what it did
// (and any validation warnings) on log.
func run(ctx context.Context, dir string, pageSize int, log io.Writer) error {
	if pageSize < 1 {
		return fmt.Errorf("page size %d: want at least 1", pageSize)
	}
	for _, sub := range []string{"pages", "files"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return err
		}
	}
	tmp, err := os.MkdirTemp("", "opendata-catalog-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	db, st, err := openStore(ctx, filepath.Join(tmp, "portal.db"))
	if err != nil {
		return err
	}
	defer db.Close()

	c := demoCatalog()
	published, err := publish(ctx, st, c.Publisher, c.Datasets[0].ContactPoints[0], c.Spatial[0])
	if err != nil {
		return err
	}
	var results []*opendata.Dataset
	for _, p := range published {
		results = append(results, p.Dataset)
		fmt.Fprintf(log, "published %s: %d rows, %d cells suppressed\n", p.Dataset.Identifier, p.Rows, p.Suppressed)
		for _, f := range p.Files {
			if err := writeFile(dir, filepath.Join("files", f.Name), f.Data, log); err != nil {
				return err
			}
		}
	}
	c.Datasets = append(results, c.Datasets...)
	for _, d := range results {
		c.Services[0].ServesDatasets = append(c.Services[0].ServesDatasets, d.IRI)
	}
	if err := writeCatalog(c, dir, pageSize, log); err != nil {
		return err
	}

	if err := storeCatalog(ctx, st, c); err != nil {
		return err
	}
	if err := searchFacets(ctx, st, log); err != nil {
		return err
	}
	if err := writeCKAN(ctx, dir, st, voteID, log); err != nil {
		return err
	}

	for i, src := range []string{turtlePages, dataJSON} {
		if _, err := harvestTwice(ctx, dir, src, filepath.Join(tmp, fmt.Sprintf("harvest-%d.db", i+1)), log); err != nil {
			return err
		}
	}
	return nil
}

// writeCatalog validates c and writes it in every format into dir.
func writeCatalog(c *opendata.Catalog, dir string, pageSize int, log io.Writer) error {
	r := c.Validate()
	if err := r.Err(); err != nil {
		return err
	}
	for _, w := range r.Warnings() {
		fmt.Fprintln(log, "warning:", w)
	}
	vote := c.Datasets[0] // the published vote: a real table
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
			return opendata.WriteDataPackage(w, vote, opendata.DataPackageOptions{TabularOnly: true})
		}},
		{"schemaorg.jsonld", func(w io.Writer) error {
			return opendata.WriteSchemaOrg(w, c, opendata.SchemaOrgOptions{})
		}},
	}
	pages := (len(c.Datasets) + pageSize - 1) / pageSize
	for n := 1; n <= pages; n++ {
		for _, ext := range []string{"ttl", "jsonld"} {
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
		if err := writeFile(dir, f.name, buf.Bytes(), log); err != nil {
			return err
		}
	}
	return nil
}

const baseURL = "https://data.exempleville.fr"

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
