package storage_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// referenceSchema migrates a fresh database in one go and describes it.
func referenceSchema(t *testing.T, e storage.Engine, prefix string) map[string][]string {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, storage.Config{DSN: storagetest.NewDSN(t, e), TablePrefix: prefix, Logger: quiet})
	require.NoError(t, err)
	defer db.Close()
	schema, err := storage.SchemaOf(ctx, db, db.Prefix())
	require.NoError(t, err)
	require.NotEmpty(t, schema)
	return schema
}

// versionRows reads the version table, if any: "domain/version statements applied".
func versionRows(t *testing.T, db *storage.DB) []string {
	t.Helper()
	tables, err := storage.Tables(context.Background(), db)
	require.NoError(t, err)
	if !slices.Contains(tables, db.TableName("migrations")) {
		return nil
	}
	var rows []struct {
		Domain     string        `bun:"domain"`
		Version    int64         `bun:"version"`
		Statements int           `bun:"statements"`
		AppliedAt  sql.NullInt64 `bun:"applied_at"`
	}
	require.NoError(t, db.Bun().NewRaw("SELECT domain, version, statements, applied_at FROM "+db.TableName("migrations")+" ORDER BY domain, version").
		Scan(context.Background(), &rows))
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("%s/%d %d %v", r.Domain, r.Version, r.Statements, r.AppliedAt.Valid))
	}
	return out
}

var errInjected = errors.New("injected failure")

// TestMigrationStoppedHalfway stops a migration after its statement k
// (a hook on the migrator, as a crash or a failing statement would), then
// migrates again. On MariaDB, whose DDL commits statement by statement,
// the statements done stay, the version row says how many were recorded
// (k: statement k ran but its progress was not written) and the second
// run resumes, statement k being idempotent. On PostgreSQL the failed
// migration leaves nothing and the ones before it stay applied; on
// SQLite the whole run is one transaction and leaves nothing. In every
// case the second run ends with the schema of a clean run. Two
// migrations are stopped so: the first of participation (tables,
// indexes, constraints) at a few statements, and the ballot box's kernel
// migration (tables, columns dropped and added, rows copied) at each of
// its statements, on a database holding an election stored before it,
// whose salt and paper place must be carried over exactly once.
func TestMigrationStoppedHalfway(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		ctx := context.Background()
		want := referenceSchema(t, e, storage.DefaultTablePrefix)
		all, err := storage.Migrations(e)
		require.NoError(t, err)
		for _, tc := range []struct {
			name     string
			target   func(m storage.Migration) bool
			ks       func(n int) []int
			withData bool // migrate the others first and store an election before the target
		}{
			{"participation", func(m storage.Migration) bool { return m.Domain == storage.DomainParticipation },
				func(n int) []int { return []int{0, 5, n - 1} }, false},
			{"ballotbox_kernel", func(m storage.Migration) bool { return m.Name == "ballotbox_kernel" },
				func(n int) []int {
					return slices.Collect(func(yield func(int) bool) {
						for k := range n {
							if !yield(k) {
								return
							}
						}
					})
				}, true},
		} {
			i := slices.IndexFunc(all, tc.target) // the first that matches
			require.Positive(t, i)
			target := all[i]
			n := len(target.Statements(storage.DefaultTablePrefix))
			for _, k := range tc.ks(n) {
				t.Run(fmt.Sprintf("%s after statement %d of %d", tc.name, k+1, n), func(t *testing.T) {
					dsn := storagetest.NewDSN(t, e)
					db, err := storage.Open(ctx, storage.Config{DSN: dsn, SkipMigrations: true, Logger: quiet})
					require.NoError(t, err)
					defer db.Close()
					before := 0 // migrations applied before the run that stops
					var election string
					if tc.withData {
						isTarget := func(m storage.Migration) bool { return m.Domain == target.Domain && m.Version == target.Version }
						require.NoError(t, storage.MigrateWhere(ctx, db, func(m storage.Migration) bool { return !isTarget(m) }))
						before = len(all) - 1
						election = insertPreKernelElection(t, db)
					}
					storage.SetAfterStatement(db, func(m storage.Migration, stmt int) error {
						if m.Domain == target.Domain && m.Version == target.Version && stmt == k {
							return errInjected
						}
						return nil
					})
					require.ErrorIs(t, db.Migrate(ctx), errInjected)

					tables, err := storage.Tables(ctx, db)
					require.NoError(t, err)
					var present int
					for _, c := range storage.CreatedTables(target) {
						if slices.Contains(tables, db.TableName(c)) {
							present++
						}
					}
					rows := versionRows(t, db)
					switch {
					case e == storage.MySQL:
						assert.Positive(t, present, "MariaDB keeps the statements done")
						assert.Contains(t, rows, fmt.Sprintf("%s/%d %d false", target.Domain, target.Version, k), "in progress, %d statements recorded", k)
						assert.Contains(t, rows, fmt.Sprintf("associations/%d", all[0].Version)+" "+strconv.Itoa(len(all[0].Statements("")))+" true")
					case e == storage.Postgres && !tc.withData:
						assert.Zero(t, present, "the failed migration left no table")
						assert.Len(t, rows, i, "the migrations before it stay applied")
					default: // SQLite: the run; PostgreSQL: the migration
						assert.Zero(t, present, "the failed run left no table")
						assert.Len(t, rows, before, "the failed run left no record")
					}

					storage.SetAfterStatement(db, nil)
					if e == storage.MySQL && k == 2 {
						// A migration whose statements run are no longer the
						// file's is not resumed.
						q := "UPDATE " + db.TableName("migrations") + " SET checksum = ? WHERE applied_at IS NULL"
						var sum string
						require.NoError(t, db.Bun().NewRaw("SELECT checksum FROM "+db.TableName("migrations")+" WHERE applied_at IS NULL").Scan(ctx, &sum))
						_, err := db.Bun().ExecContext(ctx, q, "changed")
						require.NoError(t, err)
						require.ErrorIs(t, db.Migrate(ctx), storage.ErrMigrationChanged)
						_, err = db.Bun().ExecContext(ctx, q, sum)
						require.NoError(t, err)
					}
					require.NoError(t, db.Migrate(ctx))
					got, err := storage.SchemaOf(ctx, db, db.Prefix())
					require.NoError(t, err)
					assert.Equal(t, want, got, "the schema of a clean run")
					rows = versionRows(t, db)
					assert.Len(t, rows, len(all))
					for _, r := range rows {
						assert.True(t, strings.HasSuffix(r, " true"), "%s applied", r)
					}
					if tc.withData {
						var salts []string
						require.NoError(t, db.Bun().NewRaw("SELECT salt FROM "+db.TableName("ballotbox_salts")+" WHERE election_id = ?", election).Scan(ctx, &salts))
						assert.Equal(t, []string{preKernelSalt}, salts, "the salt moved once")
						var places []string
						require.NoError(t, db.Bun().NewRaw("SELECT place FROM "+db.TableName("ballotbox_places")+" WHERE election_id = ? AND marked = 1 AND sheets = 1", election).Scan(ctx, &places))
						assert.Equal(t, []string{"Bureau 1"}, places, "the paper place was seeded once")
					}
				})
			}
		}
	})
}

// preKernelSalt is the salt of insertPreKernelElection's election.
const preKernelSalt = "0707070707070707070707070707070707070707070707070707070707070707"

// insertPreKernelElection stores an election as the ballot box stored it
// before its kernel migration (the salt in the elections table) with one
// paper ballot on its board, and returns its ID.
func insertPreKernelElection(t *testing.T, db *storage.DB) string {
	t.Helper()
	ctx := context.Background()
	id := uuid.NewString()
	_, err := db.Bun().ExecContext(ctx, "INSERT INTO "+db.TableName("ballotbox_elections")+
		` (id, title, description, questions, opens, closes, eligibility, revote, visibility, salt, version, created_at, updated_at)
		VALUES (?, 'Budget', '', '[]', 0, 1, '{}', 'none', 'live', ?, 1, 0, 0)`, id, preKernelSalt)
	require.NoError(t, err)
	_, err = db.Bun().ExecContext(ctx, "INSERT INTO "+db.TableName("ballotbox_entries")+
		` (election_id, idx, tracker, ballot, replaces, channel, place, prev, hash) VALUES (?, 0, 'aa', '{}', '', 'paper', 'Bureau 1', '', 'h')`, id)
	require.NoError(t, err)
	return id
}

// TestConcurrentStart starts 4 processes at once (this test binary run
// again as TestHelperProcess) on a fresh database per engine: each opens
// it with storage.Open, which migrates. All must succeed, and the
// database must hold the schema of a clean run with each migration
// recorded once. Each process reports how long its Open took; set
// CIVICKIT_REPLICA_ROUNDS to repeat the start on new databases.
func TestConcurrentStart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	const replicas = 4
	rounds := 1
	if s := os.Getenv("CIVICKIT_REPLICA_ROUNDS"); s != "" {
		rounds, _ = strconv.Atoi(s)
	}
	ctx := context.Background()
	// The engines one after the other: the figures are each engine's own.
	for _, e := range storagetest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			want := referenceSchema(t, e, storage.DefaultTablePrefix)
			all, err := storage.Migrations(e)
			require.NoError(t, err)
			for round := range rounds {
				dsn := storagetest.NewDSN(t, e)
				start := time.Now().Add(300 * time.Millisecond) // every process is ready by then
				var wg sync.WaitGroup
				results := make([]helperResult, replicas)
				errs := make([]error, replicas)
				for p := range replicas {
					wg.Add(1)
					go func() {
						defer wg.Done()
						cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
						cmd.Env = append(os.Environ(), "CIVICKIT_HELPER_DSN="+dsn,
							"CIVICKIT_HELPER_START="+strconv.FormatInt(start.UnixNano(), 10))
						out, err := cmd.CombinedOutput()
						if err != nil {
							errs[p] = fmt.Errorf("%w\n%s", err, out)
							return
						}
						errs[p] = parseHelper(out, &results[p])
					}()
				}
				wg.Wait()
				for p, err := range errs {
					require.NoError(t, err, "process %d", p)
				}
				var took []string
				applied := 0
				for _, r := range results {
					took = append(took, fmt.Sprintf("%s (applied %d)", (time.Duration(r.OpenMicros)*time.Microsecond).Round(time.Millisecond), r.Applied))
					applied += r.Applied
				}
				t.Logf("%s round %d: %d processes opened the fresh database in %s", e, round+1, replicas, strings.Join(took, ", "))
				assert.Equal(t, len(all), applied, "each migration applied by one process")

				db, err := storage.Open(ctx, storage.Config{DSN: dsn, SkipMigrations: true, Logger: quiet})
				require.NoError(t, err)
				got, err := storage.SchemaOf(ctx, db, db.Prefix())
				require.NoError(t, err)
				assert.Equal(t, want, got, "the schema of a clean run")
				rows := versionRows(t, db)
				assert.Len(t, rows, len(all), "each migration recorded once")
				db.Close()
			}
		})
	}
}

type helperResult struct {
	OpenMicros int64 `json:"open_us"`
	Applied    int   `json:"applied"` // migrations this process applied
}

func parseHelper(out []byte, r *helperResult) error {
	for _, line := range strings.Split(string(out), "\n") {
		if s, ok := strings.CutPrefix(line, "HELPER "); ok {
			return json.Unmarshal([]byte(s), r)
		}
	}
	return fmt.Errorf("no result in the helper's output:\n%s", out)
}

// TestHelperProcess is one replica of TestConcurrentStart: it waits for
// the common start time, opens the database and prints how long it took.
func TestHelperProcess(t *testing.T) {
	dsn := os.Getenv("CIVICKIT_HELPER_DSN")
	if dsn == "" {
		t.Skip("run by TestConcurrentStart")
	}
	at, err := strconv.ParseInt(os.Getenv("CIVICKIT_HELPER_START"), 10, 64)
	require.NoError(t, err)
	time.Sleep(time.Until(time.Unix(0, at)))
	var applied countHandler
	start := time.Now()
	db, err := storage.Open(context.Background(), storage.Config{DSN: dsn, Logger: slog.New(&applied)})
	took := time.Since(start)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	b, _ := json.Marshal(helperResult{OpenMicros: took.Microseconds(), Applied: int(applied.n.Load())})
	fmt.Printf("HELPER %s\n", b)
}

// countHandler counts the "storage: migrated" records.
type countHandler struct{ n atomic.Int32 }

func (h *countHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *countHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "storage: migrated" {
		h.n.Add(1)
	}
	return nil
}
func (h *countHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *countHandler) WithGroup(string) slog.Handler      { return h }

// legacyFiles returns the statements of the unprefixed layout's
// migrations for engine, kept in testdata/legacy.
func legacyFiles(t *testing.T, e storage.Engine) [][]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "legacy", string(e), "*.sql"))
	require.NoError(t, err)
	require.Len(t, files, 7)
	slices.Sort(files)
	var out [][]string
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		out = append(out, storage.Migration{SQL: string(b)}.Statements(""))
	}
	return out
}

// legacyTime is the applied_at of the legacy versions in
// TestLegacyUpgrade (Unix microseconds).
const legacyTime = 1_764_000_000_000_000

// TestLegacyUpgrade builds a database of the unprefixed layout from the
// old migration files (testdata/legacy), fills it with rows that the
// stores wrote (on tables of another prefix, "scratch_", in the same
// database, copied over with INSERT … SELECT), then opens it with the
// new storage: every legacy table is renamed with its indexes and
// constraints, the schema is that of a clean run, the per-domain
// migrations are recorded at the legacy times, the legacy version table
// is gone, and the stores read back what they wrote. With the default
// prefix and with another.
func TestLegacyUpgrade(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		for _, prefix := range []string{storage.DefaultTablePrefix, "portal_ck_"} {
			t.Run(prefix, func(t *testing.T) {
				ctx := context.Background()
				want := referenceSchema(t, e, prefix)
				dsn := storagetest.NewDSN(t, e)

				scratch, err := storage.Open(ctx, storage.Config{DSN: dsn, TablePrefix: "scratch_", Logger: quiet})
				require.NoError(t, err)
				defer scratch.Close()
				wrote := fillDomains(t, scratch)

				buildLegacy(t, scratch)
				before, err := storage.Tables(ctx, scratch)
				require.NoError(t, err)
				require.Contains(t, before, "associations")
				require.Contains(t, before, storage.LegacyVersionTable)

				// Stopped at a few points first (as by a crash): on
				// PostgreSQL and SQLite nothing is left of the attempt; on
				// MariaDB the next run goes on from where it stopped.
				stops := []string{"RENAME", "INSERT INTO"}
				if e == storage.MySQL {
					stops = []string{"RENAME TABLE", "RENAME INDEX", "DROP FOREIGN KEY", "INSERT INTO"}
				}
				for _, stop := range stops {
					db, err := storage.Open(ctx, storage.Config{DSN: dsn, TablePrefix: prefix, SkipMigrations: true, Logger: quiet})
					require.NoError(t, err)
					stopped := false
					storage.SetAfterLegacyStep(db, func(query string) error {
						if !stopped && strings.Contains(query, stop) {
							stopped = true
							return errInjected
						}
						return nil
					})
					require.ErrorIs(t, db.Migrate(ctx), errInjected, "stopped after %s", stop)
					tables, err := storage.Tables(ctx, db)
					require.NoError(t, err)
					assert.Contains(t, tables, storage.LegacyVersionTable, "stopped after %s: the legacy version table goes last", stop)
					assert.Equal(t, e == storage.MySQL, !slices.Contains(tables, "associations"),
						"stopped after %s: the renames stay on MariaDB only", stop)
					db.Close()
				}

				db, err := storage.Open(ctx, storage.Config{DSN: dsn, TablePrefix: prefix, Logger: quiet})
				require.NoError(t, err)
				defer db.Close()

				tables, err := storage.Tables(ctx, db)
				require.NoError(t, err)
				for _, tbl := range tables {
					assert.True(t, strings.HasPrefix(tbl, prefix) || strings.HasPrefix(tbl, "scratch_"), "table %s left unprefixed", tbl)
				}
				if e != storage.MySQL { // index names are the schema's: each must be one of a prefix's
					indexes, err := storage.Indexes(ctx, db)
					require.NoError(t, err)
					for _, ix := range indexes {
						ix = strings.TrimPrefix(ix, "sqlite_autoindex_")
						assert.True(t, strings.HasPrefix(ix, prefix) || strings.HasPrefix(ix, "scratch_"), "index %s left unprefixed", ix)
					}
				}
				got, err := storage.SchemaOf(ctx, db, prefix)
				require.NoError(t, err)
				assert.Equal(t, want, got, "the schema of a clean run")

				applied, err := db.AppliedMigrations(ctx)
				require.NoError(t, err)
				all, err := storage.Migrations(e)
				require.NoError(t, err)
				require.Len(t, applied, len(all))
				legacy := 0
				for _, a := range applied {
					if a.AppliedAt.Equal(time.UnixMicro(legacyTime)) {
						legacy++
					}
				}
				// The migrations replacing the legacy ones keep their time;
				// those written since run after the carry-over.
				assert.Equal(t, len(legacyFiles(t, e)), legacy, "migrations recorded at the legacy time")

				read := readDomains(t, db, wrote)
				assert.Equal(t, readDomains(t, scratch, wrote), read, "the stores read back what they wrote")

				// Opening again finds nothing to carry over or apply.
				again, err := storage.Open(ctx, storage.Config{DSN: dsn, TablePrefix: prefix, Logger: quiet})
				require.NoError(t, err)
				again.Close()
			})
		}
	})
}

// buildLegacy creates the legacy tables from the old migration files in
// db's database, copies the rows of db's (prefixed) tables into them and
// records the legacy versions 1 to 7.
func buildLegacy(t *testing.T, db *storage.DB) {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Bun().Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	for _, stmts := range legacyFiles(t, db.Engine()) {
		for _, s := range stmts {
			_, err := conn.ExecContext(ctx, s)
			require.NoError(t, err, s)
		}
	}
	migs, err := storage.Migrations(db.Engine())
	require.NoError(t, err)
	if db.Engine() == storage.MySQL {
		_, err := conn.ExecContext(ctx, "SET foreign_key_checks = 0") // InnoDB checks row by row
		require.NoError(t, err)
	}
	// Migrations newer than the legacy layout may have dropped tables or
	// columns of it, or created tables it lacks: a table present in both
	// layouts is copied by the columns they share.
	tables, err := storage.Tables(ctx, db)
	require.NoError(t, err)
	columns := func(table string) []string {
		rows, err := conn.QueryContext(ctx, "SELECT * FROM "+table+" WHERE 1 = 0")
		require.NoError(t, err, table)
		defer rows.Close()
		cols, err := rows.Columns()
		require.NoError(t, err, table)
		return cols
	}
	copied := 0
	for _, m := range migs { // parents first
		for _, tbl := range storage.CreatedTables(m) {
			if !slices.Contains(tables, tbl) || !slices.Contains(tables, db.TableName(tbl)) {
				continue // dropped since the legacy layout, or created after it
			}
			legacyCols := columns(tbl)
			var shared []string
			for _, c := range columns(db.TableName(tbl)) {
				if slices.Contains(legacyCols, c) {
					shared = append(shared, c)
				}
			}
			list := strings.Join(shared, ", ")
			res, err := conn.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s", tbl, list, list, db.TableName(tbl)))
			require.NoError(t, err, tbl)
			n, _ := res.RowsAffected()
			copied += int(n)
		}
	}
	require.Greater(t, copied, 50, "rows copied into the legacy tables")
	if db.Engine() == storage.MySQL {
		_, err := conn.ExecContext(ctx, "SET foreign_key_checks = 1")
		require.NoError(t, err)
	}
	_, err = conn.ExecContext(ctx, "CREATE TABLE "+storage.LegacyVersionTable+` (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    applied_at BIGINT NOT NULL
)`)
	require.NoError(t, err)
	for v, name := range []string{"associations", "ballotbox", "participation", "participation_responses", "participation_debate", "opendata", "ballotbox_kernel"} {
		_, err := conn.ExecContext(ctx, "INSERT INTO "+storage.LegacyVersionTable+" (version, name, applied_at) VALUES (?, ?, ?)",
			v+1, name, legacyTime)
		require.NoError(t, err)
	}
}
