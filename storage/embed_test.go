package storage_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"modernc.org/sqlite"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/associations/associationstest"
	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/opendata/opendatatest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

const customPrefix = "portal_ck_"

// TestCustomPrefixConformance runs the associations and open-data
// conformance suites, whose stores name tables in raw SQL (subqueries,
// joins), on tables prefixed portal_ck_.
func TestCustomPrefixConformance(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		cfg := storage.Config{TablePrefix: customPrefix, Domains: []storage.Domain{storage.DomainAssociations, storage.DomainOpenData}}
		t.Run("associations", func(t *testing.T) {
			associationstest.TestStore(t, func(t *testing.T) associations.Store {
				db := storagetest.OpenWith(t, e, cfg)
				require.Equal(t, customPrefix, db.Prefix())
				return storage.NewAssociationStore(db)
			})
		})
		t.Run("opendata", func(t *testing.T) {
			opendatatest.TestStore(t, func(t *testing.T) opendata.Store {
				return storage.NewDatasetStore(storagetest.OpenWith(t, e, cfg))
			})
		})
	})
}

// TestTwoPrefixes migrates every domain under portal_ck_ in a fresh
// database: the catalog lists only prefixed tables (and, where index names
// are the schema's, prefixed indexes). Then civickit_ is migrated beside
// it: two independent schemas, each with its own version table, whose
// rows do not meet.
func TestTwoPrefixes(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		ctx := context.Background()
		dsn := storagetest.NewDSN(t, e)
		portal, err := storage.Open(ctx, storage.Config{DSN: dsn, TablePrefix: customPrefix, Logger: quiet})
		require.NoError(t, err)
		defer portal.Close()

		migs, err := storage.Migrations(e)
		require.NoError(t, err)
		var want []string
		for _, m := range migs {
			for _, tbl := range storage.CreatedTables(m) {
				want = append(want, customPrefix+tbl)
			}
			for _, stmt := range m.Statements(customPrefix) { // a later migration may drop one
				if name, ok := strings.CutPrefix(stmt, "DROP TABLE "); ok {
					want = slices.DeleteFunc(want, func(tbl string) bool { return tbl == strings.TrimSpace(strings.TrimSuffix(name, ";")) })
				}
			}
		}
		want = append(want, customPrefix+"migrations")
		slices.Sort(want)
		tables, err := storage.Tables(ctx, portal)
		require.NoError(t, err)
		assert.Equal(t, want, tables, "only prefixed tables, all of them")
		indexes, err := storage.Indexes(ctx, portal)
		require.NoError(t, err)
		for _, ix := range indexes {
			if e == storage.MySQL {
				break // index names are the table's own
			}
			assert.True(t, strings.HasPrefix(strings.TrimPrefix(ix, "sqlite_autoindex_"), customPrefix), "index %s", ix)
		}

		def, err := storage.Open(ctx, storage.Config{DSN: dsn, Logger: quiet})
		require.NoError(t, err)
		defer def.Close()
		both, err := storage.Tables(ctx, def)
		require.NoError(t, err)
		assert.Len(t, both, 2*len(want))
		for _, db := range []*storage.DB{portal, def} {
			applied, err := db.AppliedMigrations(ctx)
			require.NoError(t, err)
			assert.Len(t, applied, len(migs), "prefix %s", db.Prefix())
		}
		schemaPortal, err := storage.SchemaOf(ctx, portal, customPrefix)
		require.NoError(t, err)
		schemaDef, err := storage.SchemaOf(ctx, def, storage.DefaultTablePrefix)
		require.NoError(t, err)
		assert.Equal(t, len(schemaPortal), len(schemaDef))

		a := associationstest.NewAssociation(associationstest.NewRand(7), 1)
		require.NoError(t, storage.NewAssociationStore(portal).CreateAssociation(ctx, &a))
		_, err = storage.NewAssociationStore(def).GetAssociation(ctx, a.ID)
		assert.ErrorIs(t, err, civickit.ErrNotFound, "the other prefix does not see the row")
		b := a // the same keys are free under the other prefix
		require.NoError(t, storage.NewAssociationStore(def).CreateAssociation(ctx, &b))
		got, err := storage.NewAssociationStore(portal).GetAssociation(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, a.Name, got.Name)
	})
}

// TestDomains opens a database for the associations only: only their
// tables are created and recorded; a store of another domain cannot be
// created on it (a panic that names the domain); opening later with one
// more domain migrates that one.
func TestDomains(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		ctx := context.Background()
		dsn := storagetest.NewDSN(t, e)
		db, err := storage.Open(ctx, storage.Config{DSN: dsn, Domains: []storage.Domain{storage.DomainAssociations}, Logger: quiet})
		require.NoError(t, err)
		defer db.Close()
		assert.Equal(t, []storage.Domain{storage.DomainAssociations}, db.Domains())

		tables, err := storage.Tables(ctx, db)
		require.NoError(t, err)
		assert.Contains(t, tables, "civickit_associations")
		assert.NotContains(t, tables, "civickit_consultations")
		assert.NotContains(t, tables, "civickit_opendata_datasets")
		assert.NotContains(t, tables, "civickit_ballotbox_elections")
		migs, err := storage.Migrations(e)
		require.NoError(t, err)
		nAssoc := 0
		for _, m := range migs {
			if m.Domain == storage.DomainAssociations {
				nAssoc++
			}
		}
		applied, err := db.AppliedMigrations(ctx)
		require.NoError(t, err)
		require.Len(t, applied, nAssoc, "every associations migration, and only those")
		for _, m := range applied {
			assert.Equal(t, storage.DomainAssociations, m.Domain, "migration %s", m.Name)
		}

		assert.NotPanics(t, func() { storage.NewAssociationStore(db) })
		assert.PanicsWithValue(t,
			`storage: NewParticipationStore: domain "participation" is not enabled on this DB (Config.Domains = [associations]): add it to Config.Domains`,
			func() { storage.NewParticipationStore(db) })
		assert.Panics(t, func() { storage.NewBallotBoxStore(db) })
		assert.Panics(t, func() { storage.NewDatasetStore(db) })

		more, err := storage.Open(ctx, storage.Config{DSN: dsn, Logger: quiet,
			Domains: []storage.Domain{storage.DomainOpenData, storage.DomainAssociations}})
		require.NoError(t, err)
		defer more.Close()
		assert.Equal(t, []storage.Domain{storage.DomainAssociations, storage.DomainOpenData}, more.Domains(), "in migration order")
		applied, err = more.AppliedMigrations(ctx)
		require.NoError(t, err)
		perDomain := map[storage.Domain]int{}
		for _, m := range applied {
			perDomain[m.Domain]++
		}
		assert.Equal(t, nAssoc, perDomain[storage.DomainAssociations], "associations' migrations are not applied twice")
		assert.Positive(t, perDomain[storage.DomainOpenData], "opendata's migrations applied")
		assert.Len(t, perDomain, 2, "only the two domains in use")
		d := opendatatest.NewDataset(opendatatest.NewRand(1), 1)
		require.NoError(t, storage.NewDatasetStore(more).CreateDataset(ctx, &d))
	})
}

func TestConfigErrors(t *testing.T) {
	ctx := context.Background()
	dsn := "sqlite:" + t.TempDir() + "/x.db"
	tests := []struct {
		name string
		cfg  storage.Config
	}{
		{"upper case", storage.Config{TablePrefix: "Portal_"}},
		{"digit first", storage.Config{TablePrefix: "1portal_"}},
		{"dash", storage.Config{TablePrefix: "portal-"}},
		{"space", storage.Config{TablePrefix: "portal ck"}},
		{"21 bytes", storage.Config{TablePrefix: strings.Repeat("a", 21)}},
		{"legacy version table", storage.Config{TablePrefix: "civickit_schema_"}},
		{"unknown domain", storage.Config{Domains: []storage.Domain{"votes"}}},
		{"engine against the DSN", storage.Config{Engine: storage.Postgres}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.DSN, tt.cfg.Logger = dsn, quiet
			_, err := storage.Open(ctx, tt.cfg)
			assert.ErrorIs(t, err, storage.ErrConfig)
		})
	}
}

// TestLongestPrefix: with a prefix of 20 bytes every name fits the
// engines' identifier limits (63 bytes on PostgreSQL, 64 on MariaDB).
func TestLongestPrefix(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		prefix := strings.Repeat("p", 19) + "_"
		db, err := storage.Open(context.Background(), storage.Config{DSN: storagetest.NewDSN(t, e), TablePrefix: prefix, Logger: quiet})
		require.NoError(t, err)
		defer db.Close()
		applied, err := db.AppliedMigrations(context.Background())
		require.NoError(t, err)
		migs, err := storage.Migrations(e)
		require.NoError(t, err)
		assert.Len(t, applied, len(migs))
	})
}

// driverPool opens, with the driver's own DSN, the pool a portal would
// already have on a test database.
func driverPool(t *testing.T, e storage.Engine, dsn string) *sql.DB {
	t.Helper()
	driver, native := "pgx", dsn
	switch e {
	case storage.SQLite:
		driver, native = "sqlite", "file:"+strings.TrimPrefix(dsn, "sqlite:")+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)&_txlock=immediate"
	case storage.MySQL:
		u, err := url.Parse(dsn)
		require.NoError(t, err)
		pass, _ := u.User.Password()
		driver, native = "mysql", fmt.Sprintf("%s:%s@tcp(%s)%s?charset=utf8mb4&collation=utf8mb4_unicode_ci", u.User.Username(), pass, u.Host, u.Path)
	}
	pool, err := sql.Open(driver, native)
	require.NoError(t, err)
	t.Cleanup(func() { pool.Close() })
	return pool
}

// TestOpenDB opens civickit on a pool the caller made: the engine is told
// from the driver, the stores work, and Close leaves the pool open.
func TestOpenDB(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		ctx := context.Background()
		pool := driverPool(t, e, storagetest.NewDSN(t, e))
		db, err := storage.OpenDB(ctx, pool, storage.Config{TablePrefix: customPrefix,
			Domains: []storage.Domain{storage.DomainAssociations}, Logger: quiet})
		require.NoError(t, err)
		assert.Equal(t, e, db.Engine())
		st := storage.NewAssociationStore(db)
		a := associationstest.NewAssociation(associationstest.NewRand(3), 1)
		require.NoError(t, st.CreateAssociation(ctx, &a))
		require.NoError(t, db.Close())
		require.NoError(t, pool.PingContext(ctx), "the caller's pool stays open")
		var n int
		require.NoError(t, pool.QueryRowContext(ctx, "SELECT COUNT(*) FROM portal_ck_associations").Scan(&n))
		assert.Equal(t, 1, n)

		_, err = storage.OpenDB(ctx, pool, storage.Config{Engine: "oracle"})
		assert.ErrorIs(t, err, storage.ErrConfig)
	})
}

// TestOpenBun opens civickit on the caller's bun handle: the caller's own
// models keep their names (civickit's prefix is not in the caller's table
// registry), and civickit's tables get the prefix.
func TestOpenBun(t *testing.T) {
	ctx := context.Background()
	pool := driverPool(t, storage.SQLite, storagetest.NewDSN(t, storage.SQLite))
	portal := bun.NewDB(pool, sqlitedialect.New())
	type note struct {
		bun.BaseModel `bun:"table:notes"`
		ID            int64 `bun:"id,pk"`
		Text          string
	}
	_, err := portal.NewCreateTable().Model((*note)(nil)).Exec(ctx)
	require.NoError(t, err)

	db, err := storage.OpenBun(ctx, portal, storage.Config{Domains: []storage.Domain{storage.DomainAssociations}, Logger: quiet})
	require.NoError(t, err)
	defer db.Close()
	assert.Equal(t, storage.SQLite, db.Engine())
	a := associationstest.NewAssociation(associationstest.NewRand(4), 1)
	require.NoError(t, storage.NewAssociationStore(db).CreateAssociation(ctx, &a))

	_, err = portal.NewInsert().Model(&note{ID: 1, Text: "hello"}).Exec(ctx)
	require.NoError(t, err)
	tables, err := storage.Tables(ctx, db)
	require.NoError(t, err)
	assert.Contains(t, tables, "notes")
	assert.Contains(t, tables, "civickit_associations")
	// On civickit's handle too, a model of the caller keeps its name.
	var got note
	require.NoError(t, db.Bun().NewSelect().Model(&got).Where("id = 1").Scan(ctx))
	assert.Equal(t, "hello", got.Text)

	t.Run("sqlite pool without foreign keys", func(t *testing.T) {
		bare, err := sql.Open("sqlite", "file:"+t.TempDir()+"/bare.db")
		require.NoError(t, err)
		defer bare.Close()
		_, err = storage.OpenDB(ctx, bare, storage.Config{Logger: quiet})
		assert.ErrorIs(t, err, storage.ErrConfig)
	})
}

// TestStoreErrorsAreKinds: the stores' errors match the kernel's kinds,
// and the driver's error is in the message (for logs) but not in the
// chain that callers walk.
func TestStoreErrorsAreKinds(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		ctx := context.Background()
		st := storage.NewAssociationStore(storagetest.Open(t, e))
		_, err := st.GetAssociation(ctx, uuid.New())
		assert.ErrorIs(t, err, civickit.ErrNotFound)
		assert.ErrorIs(t, err, associations.ErrNotFound)

		a := associationstest.NewAssociation(associationstest.NewRand(5), 1)
		require.NoError(t, st.CreateAssociation(ctx, &a))
		dup := a
		err = st.CreateAssociation(ctx, &dup)
		require.Error(t, err)
		assert.ErrorIs(t, err, civickit.ErrConflict)
		assert.ErrorIs(t, err, associations.ErrConflict)
		assert.Equal(t, civickit.ErrConflict, civickit.KindOf(err))
		assert.True(t, strings.HasPrefix(err.Error(), "create association: "), err.Error())
		assert.Greater(t, len(err.Error()), len("create association: associations: conflict: "), "the driver's words are in the message")
		assert.False(t, driverErrorInChain(err), "no driver error in the chain: %#v", err)
	})
}

func driverErrorInChain(err error) bool {
	var pgErr *pgconn.PgError
	var myErr *mysql.MySQLError
	var liteErr *sqlite.Error
	return errors.As(err, &pgErr) || errors.As(err, &myErr) || errors.As(err, &liteErr)
}
