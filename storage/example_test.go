package storage_test

import (
	"context"
	"database/sql"
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

// A portal hands over the database pool it already runs: civickit's
// tables take their place beside the portal's, under a prefix of the
// portal's choosing, for the one domain it uses. Closing civickit's DB
// leaves the portal's pool open.
func ExampleOpenDB() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "civickit-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// The portal's pool (SQLite here: foreign keys on, as civickit needs).
	pool, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "portal.db")+
		"?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)&_txlock=immediate")
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.ExecContext(ctx, "CREATE TABLE pages (id INTEGER PRIMARY KEY, title TEXT)"); err != nil {
		log.Fatal(err)
	}

	db, err := storage.OpenDB(ctx, pool, storage.Config{
		TablePrefix: "portal_ck_",
		Domains:     []storage.Domain{storage.DomainAssociations},
		Logger:      slog.New(slog.DiscardHandler),
	})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	registry, err := associations.NewService(storage.NewAssociationStore(db), associations.Options{})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := registry.Create(ctx, associations.Association{Name: "Amicale des locataires"}); err != nil {
		log.Fatal(err)
	}

	rows, err := pool.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			log.Fatal(err)
		}
		fmt.Println(name)
	}
	// Output:
	// pages
	// portal_ck_aid_schemes
	// portal_ck_association_booking_slots
	// portal_ck_association_bookings
	// portal_ck_association_categories
	// portal_ck_association_exchange_posts
	// portal_ck_association_representatives
	// portal_ck_association_spaces
	// portal_ck_association_terms
	// portal_ck_associations
	// portal_ck_grant_transitions
	// portal_ck_grants
	// portal_ck_memberships
	// portal_ck_migrations
	// portal_ck_people
}
