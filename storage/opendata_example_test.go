package storage_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/storage"
)

// Store datasets in SQLite through the opendata service and search them
// with facet counts; upserting by identifier again writes nothing.
func ExampleDatasetStore() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "civickit-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := storage.Open(ctx, storage.Config{DSN: "sqlite:" + filepath.Join(dir, "civickit.db"), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	svc, err := opendata.NewService(storage.NewDatasetStore(db), opendata.Options{})
	if err != nil {
		log.Fatal(err)
	}

	lyon := &opendata.Agent{Name: opendata.Text{"fr": "Ville de Lyon"}}
	for i, title := range []string{"Budget primitif 2025", "Budget participatif 2025", "Arbres d'alignement"} {
		d := &opendata.Dataset{
			Identifier: fmt.Sprintf("lyon-%d", i),
			Title:      opendata.Text{"fr": title},
			Publisher:  lyon,
			Themes:     []opendata.Theme{opendata.ThemeEconomy},
		}
		if i == 2 {
			d.Themes = []opendata.Theme{opendata.ThemeEnvironment}
		}
		if _, err := svc.UpsertDataset(ctx, d); err != nil {
			log.Fatal(err)
		}
	}
	again := &opendata.Dataset{Identifier: "lyon-2", Title: opendata.Text{"fr": "Arbres d'alignement"}, Publisher: lyon,
		Themes: []opendata.Theme{opendata.ThemeEnvironment}}
	created, err := svc.UpsertDataset(ctx, again)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created again:", created, "revision", again.Revision)

	res, err := svc.SearchDatasets(ctx, opendata.SearchQuery{Text: "budget 2025", Sort: opendata.SortTitle,
		Facets: []opendata.Facet{opendata.FacetTheme, opendata.FacetPublisher}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Total, "matches")
	for _, d := range res.Items {
		fmt.Println(d.Identifier, d.Title.Get("fr"))
	}
	fmt.Println(res.Facets[opendata.FacetPublisher])
	// Output:
	// created again: false revision 1
	// 2 matches
	// lyon-1 Budget participatif 2025
	// lyon-0 Budget primitif 2025
	// [{ville-de-lyon 2}]
}
