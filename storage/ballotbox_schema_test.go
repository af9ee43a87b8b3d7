package storage_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/civickit/civickit/voting/ballotbox/ballotboxtest"
)

// The two sides of the ballot box schema: who voted, and what was voted.
var (
	// The queue and the requests of queued casts are on the voters' side:
	// written with the register mark, they hold only sealed rows.
	bbRegisterTables = []string{"ballotbox_register", "ballotbox_census", "ballotbox_requests", "ballotbox_queue"}
	bbBallotTables   = []string{"ballotbox_ballots", "ballotbox_entries", "ballotbox_counts", "ballotbox_batches", "ballotbox_changes"}
)

// TestBallotBoxSchemaUnlinkable inspects the real schema of each engine
// after an election went through every channel: no ballot table can be
// joined to the voter register. No foreign key runs between the two sides,
// they share no column name but election_id, and no column of one side
// holds a value found in any column of the other (election_id aside, which
// every row of the election shares).
func TestBallotBoxSchemaUnlinkable(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, engine storage.Engine) {
		db := storagetest.Open(t, engine)
		ctx := t.Context()
		bbFillElection(t, ctx, storage.NewBallotBoxStore(db))

		cols := map[string][]string{}
		for _, tbl := range slices.Concat(bbRegisterTables, bbBallotTables) {
			cols[tbl] = bbColumns(t, ctx, db, tbl)
			require.NotEmpty(t, cols[tbl], "table %s exists", tbl)
		}
		t.Run("NoForeignKey", func(t *testing.T) {
			for _, fk := range bbForeignKeys(t, ctx, db) {
				from, to := fk[0], fk[1]
				cross := slices.Contains(bbRegisterTables, from) && slices.Contains(bbBallotTables, to) ||
					slices.Contains(bbBallotTables, from) && slices.Contains(bbRegisterTables, to)
				assert.False(t, cross, "foreign key %s -> %s links voters and ballots", from, to)
			}
		})
		t.Run("NoSharedColumnName", func(t *testing.T) {
			for _, r := range bbRegisterTables {
				for _, b := range bbBallotTables {
					for _, c := range cols[r] {
						if c != "election_id" {
							assert.NotContains(t, cols[b], c, "%s and %s share column %s", r, b, c)
						}
					}
				}
			}
		})
		t.Run("NoIdentifierOrSecretStored", func(t *testing.T) {
			tables := slices.Concat(bbRegisterTables, bbBallotTables, []string{"ballotbox_elections", "ballotbox_sessions", "ballotbox_heads",
				"ballotbox_salts", "ballotbox_places"})
			for _, tbl := range tables {
				for _, c := range bbColumns(t, ctx, db, tbl) {
					for v := range bbColumnValues(t, ctx, db, tbl, c) {
						for _, bad := range []string{"ID-0000", "ID0000", bbSecret, hex.EncodeToString([]byte(bbSecret))} {
							assert.NotContains(t, v, bad, "%s.%s holds a voter identifier or the secret", tbl, c)
						}
					}
				}
			}
		})
		t.Run("SaltApart", func(t *testing.T) {
			// The salt has a table of its own: whoever may read the
			// elections, the census or the register does not read it.
			assert.NotContains(t, bbColumns(t, ctx, db, "ballotbox_elections"), "salt")
			salts := bbColumnValues(t, ctx, db, "ballotbox_salts", "salt")
			require.Len(t, salts, 1)
			for _, tbl := range slices.Concat(bbRegisterTables, bbBallotTables, []string{"ballotbox_elections", "ballotbox_heads", "ballotbox_places"}) {
				for _, c := range bbColumns(t, ctx, db, tbl) {
					for salt := range salts {
						assert.False(t, bbColumnValues(t, ctx, db, tbl, c)[salt], "%s.%s holds the salt", tbl, c)
					}
				}
			}
		})
		t.Run("NoSharedValue", func(t *testing.T) {
			values := map[string]map[string]bool{} // table.column -> values
			for tbl, cs := range cols {
				for _, c := range cs {
					if c == "election_id" {
						continue
					}
					values[tbl+"."+c] = bbColumnValues(t, ctx, db, tbl, c)
				}
			}
			for _, r := range bbRegisterTables {
				if slices.Contains(cols[r], "voter_key") {
					require.NotEmpty(t, values[r+".voter_key"], "%s holds rows", r)
				}
				for _, rc := range cols[r] {
					for _, b := range bbBallotTables {
						for _, bc := range cols[b] {
							// A queue position is a counter, which small integers
							// of the board (idx, n) meet by chance; the attack
							// suite checks that its order links nobody.
							if rc == "election_id" || bc == "election_id" || rc == "seq" {
								continue
							}
							for v := range values[r+"."+rc] {
								assert.False(t, values[b+"."+bc][v], "%s.%s and %s.%s both hold %q", r, rc, b, bc, v)
							}
						}
					}
				}
			}
			for _, b := range bbBallotTables {
				n := 0
				for _, c := range cols[b] {
					n += len(values[b+"."+c])
				}
				assert.Positive(t, n, "%s holds rows", b)
			}
		})
	})
}

// bbSecret is the service secret of bbFillElection: it must never reach
// the database.
const bbSecret = "the server secret, never stored!"

// bbFillElection runs an election through every channel, with revotes, a
// paper voter, a double-keyed batch and a recount.
func bbFillElection(t *testing.T, ctx context.Context, st ballotbox.Store) {
	t.Helper()
	clock := ballotboxtest.NewClock(ballotboxtest.During)
	svc, err := ballotbox.NewService(st, ballotbox.Options{Now: clock.Now, Secret: []byte(bbSecret)})
	require.NoError(t, err)
	e := ballotboxtest.NewElection(ballotbox.RevoteLast, ballotbox.VisibleLive)
	e.Eligibility.Census = true
	require.NoError(t, svc.CreateElection(ctx, e))
	var ids []string
	for i := range 30 {
		ids = append(ids, ballotboxtest.Voter(i).ID)
	}
	_, err = svc.LoadCensus(ctx, e.ID, ids)
	require.NoError(t, err)
	kiosk, err := svc.OpenSession(ctx, e.ID, "agent-1", "Kiosque", civickit.ChannelKiosk)
	require.NoError(t, err)
	paper, err := svc.OpenSession(ctx, e.ID, "agent-2", "Bureau 1", civickit.ChannelPaper)
	require.NoError(t, err)
	for i := range 40 {
		c := ballotbox.Cast{ElectionID: e.ID, Voter: ballotboxtest.Voter(i % 25), Ballot: ballotboxtest.Full(i),
			IdempotencyKey: fmt.Sprint("k", i)}
		if i%3 == 0 {
			c.Channel, c.Session = civickit.ChannelKiosk, kiosk.ID
		}
		_, err := svc.Cast(ctx, c)
		require.NoError(t, err)
	}
	for i := 24; i < 28; i++ {
		_, err := svc.MarkPaperVoter(ctx, paper.ID, ballotboxtest.Voter(i), "")
		require.NoError(t, err)
	}
	b, err := svc.CreateBatch(ctx, ballotbox.NewBatch{ElectionID: e.ID, Place: "Bureau 1", Sheets: 4, DoubleKeyed: true})
	require.NoError(t, err)
	sheets := func(base int) []ballotbox.Sheet {
		out := make([]ballotbox.Sheet, 4)
		for i := range out {
			b := ballotboxtest.Full(base + i)
			out[i] = ballotbox.Sheet{Ballot: &b}
		}
		return out
	}
	_, err = svc.KeyBatch(ctx, b.ID, "agent-2", sheets(0))
	require.NoError(t, err)
	_, err = svc.KeyBatch(ctx, b.ID, "agent-3", sheets(0))
	require.NoError(t, err)
	_, err = svc.RecountBatch(ctx, b.ID, "agent-4", "recount", sheets(1))
	require.NoError(t, err)
}

func bbColumns(t *testing.T, ctx context.Context, db *storage.DB, table string) []string {
	t.Helper()
	var q string
	switch db.Engine() {
	case storage.SQLite:
		q = "SELECT name FROM pragma_table_info(?) ORDER BY cid"
	case storage.Postgres:
		q = "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position"
	default:
		q = "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position"
	}
	var out []string
	require.NoError(t, db.Bun().NewRaw(q, db.TableName(table)).Scan(ctx, &out))
	return out
}

// bbForeignKeys returns every foreign key of the database as [from, to].
func bbForeignKeys(t *testing.T, ctx context.Context, db *storage.DB) [][2]string {
	t.Helper()
	var out [][2]string
	switch db.Engine() {
	case storage.SQLite:
		for _, tbl := range slices.Concat(bbRegisterTables, bbBallotTables) {
			var to []string
			require.NoError(t, db.Bun().NewRaw(`SELECT "table" FROM pragma_foreign_key_list(?)`, db.TableName(tbl)).Scan(ctx, &to))
			for _, x := range to {
				out = append(out, [2]string{tbl, strings.TrimPrefix(x, db.Prefix())})
			}
		}
	default:
		q := `SELECT table_name AS src, referenced_table_name AS dst FROM information_schema.key_column_usage
			WHERE table_schema = DATABASE() AND referenced_table_name IS NOT NULL`
		if db.Engine() == storage.Postgres {
			q = `SELECT conrelid::regclass::text AS src, confrelid::regclass::text AS dst FROM pg_constraint WHERE contype = 'f'`
		}
		var rows []struct {
			Src string `bun:"src"`
			Dst string `bun:"dst"`
		}
		require.NoError(t, db.Bun().NewRaw(q).Scan(ctx, &rows))
		for _, r := range rows {
			out = append(out, [2]string{strings.TrimPrefix(r.Src, db.Prefix()), strings.TrimPrefix(r.Dst, db.Prefix())})
		}
	}
	require.NotEmpty(t, out, "the schema has foreign keys to the elections table: the query must see them")
	return out
}

// bbColumnValues returns the distinct values of a column as text.
func bbColumnValues(t *testing.T, ctx context.Context, db *storage.DB, table, column string) map[string]bool {
	t.Helper()
	rows, err := db.Bun().QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s", column, db.TableName(table)))
	require.NoError(t, err)
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var v any
		require.NoError(t, rows.Scan(&v))
		switch x := v.(type) {
		case nil:
		case []byte:
			out[string(x)] = true
		default:
			out[fmt.Sprint(x)] = true
		}
	}
	require.NoError(t, rows.Err())
	return out
}

// TestBallotBoxScrubRegister checks that ScrubRegister keeps the register's
// content and, on PostgreSQL, leaves no register row with the writing
// transaction (xmin) of a ballot row, which the casts gave them in pairs.
func TestBallotBoxScrubRegister(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, engine storage.Engine) {
		db := storagetest.Open(t, engine)
		ctx := t.Context()
		st := storage.NewBallotBoxStore(db)
		clock := ballotboxtest.NewClock(ballotboxtest.During)
		// Anonymity 1: each cast in its own transaction, the pairing
		// ScrubRegister erases (the default anonymity set never writes it).
		svc, err := ballotbox.NewService(st, ballotbox.Options{Now: clock.Now, Secret: ballotboxtest.Secret, Anonymity: 1})
		require.NoError(t, err)
		e := ballotboxtest.NewElection(ballotbox.RevoteLast, ballotbox.VisibleLive)
		require.NoError(t, svc.CreateElection(ctx, e))
		for i := range 20 {
			_, err := svc.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotboxtest.Voter(i), Ballot: ballotboxtest.Full(i)})
			require.NoError(t, err)
		}
		shared := func() int {
			if engine != storage.Postgres {
				return 0
			}
			reg := bbColumnValues(t, ctx, db, "ballotbox_register", "xmin::text")
			bal := bbColumnValues(t, ctx, db, "ballotbox_ballots", "xmin::text")
			n := 0
			for x := range reg {
				if bal[x] {
					n++
				}
			}
			return n
		}
		if engine == storage.Postgres {
			require.Equal(t, 20, shared(), "each cast wrote its register and ballot rows in one transaction")
		}
		require.NoError(t, st.ScrubRegister(ctx, e.ID))
		assert.Zero(t, shared(), "no register row shares a transaction with a ballot any more")
		n, err := st.CountVoters(ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(20), n)
		for i := range 21 {
			key, err := svc.VoterKey(ctx, e.ID, ballotboxtest.Voter(i).ID)
			require.NoError(t, err)
			ok, err := st.HasVoted(ctx, e.ID, key)
			require.NoError(t, err)
			assert.Equal(t, i < 20, ok, "voter %d", i)
		}
		_, err = svc.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotboxtest.Voter(3), Ballot: ballotboxtest.Full(1)})
		require.NoError(t, err, "a revote still finds its slot")
		assert.ErrorIs(t, st.ScrubRegister(ctx, uuid.New()), ballotbox.ErrNotFound)
	})
}
