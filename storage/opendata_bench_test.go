package storage_test

import (
	"context"
	"testing"

	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/opendata/opendatatest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// BenchmarkSearchDatasets measures searches with facet counts (all five
// facets, 50 values each) over a catalogue of benchN() datasets
// (CIVICKIT_BENCH_N, default 100000) on every engine:
//
//	go test -run '^$' -bench SearchDatasets -benchmem ./storage/
//
// Each operation is one SearchDatasets call: the first page of 20, the
// total and the facet counts. The catalogue is loaded with CreateDatasets,
// then the engine's statistics are updated (ANALYZE).
func BenchmarkSearchDatasets(b *testing.B) {
	forEachEngineB(b, func(b *testing.B, e storage.Engine) {
		db := storagetest.Open(b, e)
		st := storage.NewDatasetStore(db)
		ctx := context.Background()
		rng := opendatatest.NewRand(100)
		n := benchN()
		batch := make([]*opendata.Dataset, 0, 2000)
		for i := range n {
			d := opendatatest.NewDataset(rng, i)
			batch = append(batch, &d)
			if len(batch) == cap(batch) || i == n-1 {
				if err := st.CreateDatasets(ctx, batch); err != nil {
					b.Fatal(err)
				}
				batch = batch[:0]
			}
		}
		// Planner statistics, as a long-lived database has them
		// (PostgreSQL's autovacuum, InnoDB's persistent statistics,
		// SQLite's PRAGMA optimize).
		analyze := "ANALYZE"
		if e == storage.MySQL {
			analyze = "ANALYZE TABLE " + db.TableName("opendata_datasets") + ", " + db.TableName("opendata_dataset_docs") + ", " +
				db.TableName("opendata_dataset_terms") + ", " + db.TableName("opendata_dataset_facets")
		}
		if _, err := db.Bun().ExecContext(ctx, analyze); err != nil {
			b.Fatal(err)
		}
		lyon := opendata.PublisherKey(&opendatatest.Publishers[0])
		queries := []struct {
			name string
			q    opendata.SearchQuery
		}{
			{"all", opendata.SearchQuery{}},
			{"text", opendata.SearchQuery{Text: "velo"}},
			{"text2", opendata.SearchQuery{Text: "qualite air lyon"}},
			{"theme", opendata.SearchQuery{Filters: []opendata.Filter{{Facet: opendata.FacetTheme, Values: []string{string(opendata.ThemeTransport)}}}}},
			{"org+format", opendata.SearchQuery{Filters: []opendata.Filter{
				{Facet: opendata.FacetPublisher, Values: []string{lyon}},
				{Facet: opendata.FacetFormat, Values: []string{string(opendata.FileTypeCSV)}}}}},
			{"text+licence+theme", opendata.SearchQuery{Text: "budget", Filters: []opendata.Filter{
				{Facet: opendata.FacetLicense, Values: []string{opendata.LicenseEtalab20}},
				{Facet: opendata.FacetTheme, Values: []string{string(opendata.ThemeGovernment)}}}}},
			{"keyword", opendata.SearchQuery{Filters: []opendata.Filter{{Facet: opendata.FacetKeyword, Values: []string{"vélo"}}}}},
			{"title-sort", opendata.SearchQuery{Sort: opendata.SortTitle, Text: "lyon"}},
		}
		for _, c := range queries {
			b.Run(c.name, func(b *testing.B) {
				q := c.q
				q.Facets = opendata.AllFacets()
				if err := q.Normalize(); err != nil { // what the Service does first
					b.Fatal(err)
				}
				total := 0
				for b.Loop() {
					res, err := st.SearchDatasets(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					total = res.Total
				}
				b.ReportMetric(float64(total), "matches")
			})
		}
		b.Run("page-500-offset", func(b *testing.B) {
			for b.Loop() {
				q := opendata.SearchQuery{Offset: 10000, Limit: 20}
				if err := q.Normalize(); err != nil {
					b.Fatal(err)
				}
				if _, err := st.SearchDatasets(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}
