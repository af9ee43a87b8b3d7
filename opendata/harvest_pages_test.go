package opendata_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// udataPage is a page of a paged catalogue as udata writes it
// (data.gouv.fr's /catalog.ttl?page=N): the catalogue lists every dataset
// of the portal on every page (dcat:dataset) and describes only the
// page's own; a hydra view links the pages.
func udataPage(n, last int, all []string, described ...string) string {
	var b strings.Builder
	b.WriteString(`@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
<https://portal.example.org/catalog> a dcat:Catalog ; dct:title "Portal"@fr ; dct:description "All"@fr`)
	for _, id := range all {
		fmt.Fprintf(&b, " ;\n  dcat:dataset <https://portal.example.org/datasets/%s>", id)
	}
	b.WriteString(" .\n")
	for _, id := range described {
		fmt.Fprintf(&b, "<https://portal.example.org/datasets/%[1]s> a dcat:Dataset ; dct:identifier \"%[1]s\" ; dct:title \"Dataset %[1]s\"@fr ; dct:description \"About %[1]s\"@fr .\n", id)
	}
	fmt.Fprintf(&b, "<https://portal.example.org/catalog.ttl?page=%d> a hydra:PartialCollectionView", n)
	if n < last {
		fmt.Fprintf(&b, " ;\n  hydra:next <https://portal.example.org/catalog.ttl?page=%d>", n+1)
	}
	b.WriteString(" .\n")
	return b.String()
}

func pagesFetch(pages map[string]string) opendata.FetchFunc {
	return func(_ context.Context, u string) (*opendata.Fetched, error) {
		body, ok := pages[u]
		if !ok {
			return nil, fmt.Errorf("%s: 404", u)
		}
		return &opendata.Fetched{URL: u, MediaType: "text/turtle", Body: []byte(body)}, nil
	}
}

// The bug of issue 15: a dataset only listed on page 1 was stored as an
// empty record keyed by its IRI, and its description on page 2 then failed
// with "UNIQUE constraint failed: opendata_datasets.iri". Every page order
// must now store every described dataset once, with its description.
func TestHarvestPagedCatalogNeverLosesADataset(t *testing.T) {
	all := []string{"a", "b", "c", "d", "ghost"}
	orders := map[string][][]string{
		"forward":  {{"a", "b"}, {"c", "d"}},
		"backward": {{"c", "d"}, {"a", "b"}},
		"mixed":    {{"d"}, {"a", "c"}, {"b"}},
	}
	for name, order := range orders {
		t.Run(name, func(t *testing.T) {
			pages := map[string]string{}
			for i, described := range order {
				pages[fmt.Sprintf("https://portal.example.org/catalog.ttl?page=%d", i+1)] = udataPage(i+1, len(order), all, described...)
			}
			svc, err := opendata.NewService(storage.NewDatasetStore(storagetest.Open(t, storage.SQLite)), opendata.Options{})
			require.NoError(t, err)
			h := opendata.NewHarvester(opendata.HarvesterOptions{Fetch: pagesFetch(pages)})
			rep, err := h.Harvest(t.Context(), "https://portal.example.org/catalog.ttl?page=1", svc)
			require.NoError(t, err)
			assert.Len(t, rep.Pages, len(order))
			assert.Equal(t, 4, rep.Created)
			status := map[string]opendata.HarvestStatus{}
			for _, hd := range rep.Datasets {
				status[hd.Identifier] = hd.Status
			}
			for _, id := range []string{"a", "b", "c", "d"} {
				assert.Equal(t, opendata.HarvestCreated, status[id], id)
				d, err := svc.GetDatasetByIdentifier(t.Context(), id)
				require.NoError(t, err, id)
				assert.Equal(t, "Dataset "+id, d.Title.Get("fr"), "the description, not an empty stub")
			}
			ghost := "https://portal.example.org/datasets/ghost"
			assert.Equal(t, opendata.HarvestSkipped, status[ghost], "listed, described nowhere")
			_, err = svc.GetDatasetByIdentifier(t.Context(), ghost)
			assert.ErrorIs(t, err, opendata.ErrNotFound, "no empty record")
			for _, hd := range rep.Skipped() {
				assert.NotEmpty(t, hd.Reason)
			}

			// Idempotent: again, nothing is created or changed.
			rep2, err := h.Harvest(t.Context(), "https://portal.example.org/catalog.ttl?page=1", svc)
			require.NoError(t, err)
			assert.Equal(t, 0, rep2.Created)
			assert.Equal(t, 0, rep2.Updated)
			assert.Equal(t, 4, rep2.Unchanged)
		})
	}
}
