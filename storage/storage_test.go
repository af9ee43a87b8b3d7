package storage_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// wantSchema is the schema the associations migration must produce on
// every engine, with the version table (names without the prefix).
var wantSchema = map[string][]string{
	"associations": {"id", "name", "name_key", "acronym", "rna", "siren", "siret", "neq", "legal_status",
		"grouping_kind", "object", "status", "created_on", "dissolved_on", "address_line1", "address_line2",
		"postal_code", "city", "commune_code", "country", "lat", "lon", "website", "contacts", "languages",
		"accessibility", "version", "created_at", "updated_at", "short_title", "address_public", "cell", "location_precision"},
	"association_categories": {"association_id", "pos", "code", "theme"},
	"association_terms":      {"association_id", "term"},
	"grants":                 {"id", "association_id", "funder", "funded_year", "status", "applicant", "project", "budget", "co_funders", "requested_cents", "granted_cents", "paid_cents", "report_due_on", "reported_on", "version", "created_at", "updated_at", "scheme_id"},
	"grant_transitions":      {"id", "grant_id", "seq", "from_status", "to_status", "actor", "at", "note"},
	"people":                 {"id", "given_name", "family_name", "email", "phone", "postal_address", "birth_date", "created_at"},
	"memberships":            {"id", "association_id", "person_id", "start_on", "end_on", "fee_cents", "currency", "status", "renewal_of", "version", "created_at", "updated_at"},
	"migrations":             {"domain", "version", "name", "checksum", "statements", "applied_at"},
}

func columns(ctx context.Context, t *testing.T, db *storage.DB, table string) []string {
	t.Helper()
	var q string
	switch db.Engine() {
	case storage.SQLite:
		q = "SELECT name FROM pragma_table_info(?)"
	case storage.Postgres:
		q = "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?"
	case storage.MySQL:
		q = "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?"
	}
	var cols []string
	require.NoError(t, db.Bun().NewRaw(q, table).Scan(ctx, &cols))
	slices.Sort(cols)
	return cols
}

func TestMigrate(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		ctx := context.Background()
		dsn := storagetest.NewDSN(t, e)
		db, err := storage.Open(ctx, storage.Config{DSN: dsn, SkipMigrations: true, Logger: quiet})
		require.NoError(t, err)
		defer db.Close()

		applied, err := db.AppliedMigrations(ctx)
		require.NoError(t, err)
		require.Empty(t, applied, "an empty database has no migration")
		assert.Empty(t, columns(ctx, t, db, "civickit_associations"))

		require.NoError(t, db.Migrate(ctx))
		migs, err := storage.Migrations(e)
		require.NoError(t, err)
		applied, err = db.AppliedMigrations(ctx)
		require.NoError(t, err)
		require.Len(t, applied, len(migs))
		for _, m := range migs {
			i := slices.IndexFunc(applied, func(a storage.AppliedMigration) bool { return a.Domain == m.Domain && a.Version == m.Version })
			require.GreaterOrEqual(t, i, 0, "%s recorded", m)
			assert.Equal(t, m.Name, applied[i].Name)
			assert.WithinDuration(t, time.Now(), applied[i].AppliedAt, time.Minute)
		}

		for table, want := range wantSchema {
			want = slices.Clone(want)
			slices.Sort(want)
			assert.Equal(t, want, columns(ctx, t, db, db.TableName(table)), "table %s", table)
			assert.Empty(t, columns(ctx, t, db, table), "no unprefixed table %s", table)
		}

		// Migrating again changes nothing; reopening with migrations on too.
		require.NoError(t, db.Migrate(ctx))
		db2, err := storage.Open(ctx, storage.Config{DSN: dsn, Logger: quiet})
		require.NoError(t, err)
		defer db2.Close()
		var rows int
		require.NoError(t, db2.Bun().NewRaw("SELECT COUNT(*) FROM civickit_migrations").Scan(ctx, &rows))
		assert.Equal(t, len(migs), rows)
	})
}

// TestRunInTxDeadlock makes two transactions lock two rows in opposite
// orders. The engine kills one as a deadlock victim; RunInTx must retry it,
// so both transactions commit and both increments are counted.
func TestRunInTxDeadlock(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		if e == storage.SQLite {
			t.Skip("SQLite serialises writers at BEGIN IMMEDIATE: no deadlock to provoke (busy retries are tested in TestRunInTxRetriesBusy)")
		}
		ctx := context.Background()
		db := storagetest.Open(t, e)
		_, err := db.Bun().ExecContext(ctx, "CREATE TABLE counters (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
		require.NoError(t, err)
		t.Cleanup(func() { // before the pooled database is emptied for the next test
			_, err := db.Bun().ExecContext(context.Background(), "DROP TABLE counters")
			assert.NoError(t, err)
		})
		_, err = db.Bun().ExecContext(ctx, "INSERT INTO counters (id, n) VALUES (1, 0), (2, 0)")
		require.NoError(t, err)

		var barrier sync.WaitGroup
		barrier.Add(2)
		var attempts atomic.Int32
		run := func(first, second int) error {
			try := 0
			return db.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
				try++
				attempts.Add(1)
				if _, err := tx.ExecContext(ctx, "UPDATE counters SET n = n + 1 WHERE id = ?", first); err != nil {
					return err
				}
				if try == 1 {
					barrier.Done()
					barrier.Wait() // both hold their first row now
				}
				_, err := tx.ExecContext(ctx, "UPDATE counters SET n = n + 1 WHERE id = ?", second)
				return err
			})
		}
		errs := make(chan error, 2)
		go func() { errs <- run(1, 2) }()
		go func() { errs <- run(2, 1) }()
		require.NoError(t, <-errs)
		require.NoError(t, <-errs)
		assert.GreaterOrEqual(t, attempts.Load(), int32(3), "one transaction must have been retried")
		var total int
		require.NoError(t, db.Bun().NewRaw("SELECT SUM(n) FROM counters").Scan(ctx, &total))
		assert.Equal(t, 4, total, "both transactions committed exactly once")
	})
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	_, err := storage.Open(ctx, storage.Config{DSN: "oracle://scott@tiger/db"})
	assert.ErrorIs(t, err, storage.ErrConfig)
	_, err = storage.Open(ctx, storage.Config{DSN: "sqlite:" + t.TempDir() + "/missing-dir/x.db"})
	assert.Error(t, err)
	assert.False(t, errors.Is(err, storage.ErrConfig))
}
