package storage_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/storage"
)

// Open a SQLite file (migrated on open), wire the association registry to
// it, and ask who is near.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "civickit-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	db, err := storage.Open(ctx, storage.Config{
		DSN:    "sqlite:" + filepath.Join(dir, "civickit.db"),
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	registry, err := associations.NewService(storage.NewAssociationStore(db), associations.Options{})
	if err != nil {
		log.Fatal(err)
	}
	_, err = registry.Create(ctx, associations.Association{
		Name: "Jardin partagé des Tilleuls",
		RNA:  "W751000042",
		Address: associations.Address{
			City:     "Paris",
			Location: &associations.Point{Lat: 48.8530, Lon: 2.3499},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	page, err := registry.Near(ctx, associations.NearQuery{
		Center:       associations.Point{Lat: 48.8566, Lon: 2.3522},
		RadiusMeters: 1000,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, hit := range page.Items {
		fmt.Printf("%s, %.0f m\n", hit.Association.Name, hit.DistanceMeters)
	}
	fmt.Println(db.Engine())
	// Output:
	// Jardin partagé des Tilleuls, 434 m
	// sqlite
}
