package opendata_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// TestHarvestRealFiles harvests every real catalogue file of testdata (udata's
// test exports, SEMIC's DCAT-AP examples, the POD v1.1 samples, GovData's
// DCAT-AP.de and Sweden's DCAT-AP-SE RDF/XML examples) into a
// real store, twice, and logs the per-file table of the closing note:
// format detected, datasets created, skipped, unchanged on the second run,
// problems reported. Paged udata collections are harvested by following
// their hydra links.
func TestHarvestRealFiles(t *testing.T) {
	var files []string
	for _, pat := range []string{"testdata/udata/*", "testdata/harvest/*.ttl", "testdata/harvest/*.jsonld", "testdata/harvest/catalog-sample*.json", "testdata/harvest/*.rdf"} {
		m, err := filepath.Glob(pat)
		require.NoError(t, err)
		files = append(files, m...)
	}
	contexts := map[string][]byte{}
	if b, err := os.ReadFile("testdata/harvest/context.jsonld"); err == nil {
		contexts["https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld"] = b
	}
	var table strings.Builder
	table.WriteString("| file | format | datasets created | series | skipped | unchanged on 2nd run | problems |\n|---|---|---|---|---|---|---|\n")
	for _, f := range files {
		base := filepath.Base(f)
		if base == "context.jsonld" || base == "partial-collection-2.jsonld" || base == "paged-collection-2.jsonld" {
			continue // read as the next page of their collection
		}
		t.Run(base, func(t *testing.T) {
			body, err := os.ReadFile(f)
			require.NoError(t, err)
			svc, err := opendata.NewService(storage.NewDatasetStore(storagetest.Open(t, storage.SQLite)), opendata.Options{})
			require.NoError(t, err)
			// Pages are served from the files: page=N of a collection is
			// its -N file.
			fetch := func(_ context.Context, u string) (*opendata.Fetched, error) {
				name := base
				if i := strings.Index(u, "page="); i >= 0 && strings.Contains(base, "collection-1") {
					name = strings.Replace(base, "-1.", "-"+u[i+5:i+6]+".", 1)
				}
				b, err := os.ReadFile(filepath.Join(filepath.Dir(f), name))
				if err != nil {
					return nil, err
				}
				return &opendata.Fetched{URL: u, Body: b}, nil
			}
			h := opendata.NewHarvester(opendata.HarvesterOptions{Fetch: fetch, Contexts: contexts})
			start := "http://data.test.org/catalog.jsonld?page=1"
			rep, err := h.Harvest(t.Context(), start, svc)
			format := opendata.DetectFormat("", body)
			if err != nil {
				// Only a file that is not what it claims may fail, with a
				// syntax error that names the format and the line.
				var se *opendata.SyntaxError
				require.ErrorAs(t, err, &se, base)
				for _, sk := range rep.Skipped() {
					t.Logf("%s: skipped %s: %s", base, sk.Identifier, sk.Reason)
				}
				fmt.Fprintf(&table, "| %s | %s | refused: %s | | | | |\n", base, format, strings.TrimPrefix(err.Error(), "opendata: harvest "+start+": "))
				return
			}
			rep2, err := h.Harvest(t.Context(), start, svc)
			require.NoError(t, err)
			assert.Zero(t, rep2.Created, "idempotent")
			assert.Zero(t, rep2.Updated, "idempotent")
			assert.NotZero(t, rep.Created+len(rep.Series), "a real catalogue file gives datasets or series")
			for _, sk := range rep.Skipped() {
				t.Logf("%s: skipped %s: %s", base, sk.Identifier, sk.Reason)
			}
			fmt.Fprintf(&table, "| %s | %s | %d | %d | %d | %d | %d |\n", base, format, rep.Created, len(rep.Series), len(rep.Skipped()), rep2.Unchanged, len(rep.Problems))
		})
	}
	t.Log("\n" + table.String())
}
