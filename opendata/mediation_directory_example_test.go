package opendata_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/storage"
)

// A city keeps its directory of digital mediation places: each place is
// checked against the national schema's rules, stored, and the directory's
// dataset in the catalogue follows every change.
func ExampleMediationDirectory() {
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
	catalog, err := opendata.NewService(storage.NewDatasetStore(db), opendata.Options{})
	if err != nil {
		log.Fatal(err)
	}
	places, err := opendata.NewMediationDirectory(storage.NewMediationStore(db), opendata.MediationOptions{
		Catalog: catalog,
		Dataset: opendata.MediationDatasetOptions{BaseURL: "https://data.reims.example"},
	})
	if err != nil {
		log.Fatal(err)
	}
	_, err = places.Create(ctx, opendata.MediationPlace{
		ID: "epn-1", Pivot: "21510454600016", Name: "Espace public numérique", Commune: "Reims",
		PostalCode: "51100", Address: "9 place de l'Hôtel de Ville", Updated: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC),
		Services: []string{"Maîtrise des outils numériques du quotidien"},
	})
	if err != nil {
		log.Fatal(err)
	}
	_, err = places.Create(ctx, opendata.MediationPlace{ID: "bad", Name: "Sans adresse"})
	fmt.Println(strings.Contains(err.Error(), "address"))

	all, err := places.All(ctx)
	if err != nil {
		log.Fatal(err)
	}
	var csv strings.Builder
	if err := opendata.WriteMediationPlacesCSV(&csv, all); err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.SplitN(csv.String(), "\n", 2)[0][:40])
	ds, err := catalog.GetDatasetByIdentifier(ctx, opendata.MediationIdentifier)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ds.Distributions[0].DownloadURL, ds.Distributions[0].ConformsTo[0].IRI == opendata.MediationSchemaIRI)
	// Output:
	// true
	// id,pivot,nom,commune,code_postal,code_in
	// https://data.reims.example/mediation-places.csv true
}
