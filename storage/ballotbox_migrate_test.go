package storage_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/civickit/civickit/voting/ballotbox/ballotboxtest"
)

// TestBallotBoxMigrationKernel fills a database at the schema before the
// kernel migration (0007_ballotbox_kernel) with an election as ballotbox
// stored it then — its salt in ballotbox_elections, unkeyed census keys,
// paper ballots on the board — and migrates it: the salt moves to its own
// table, the census still admits its voters, the paper already counted
// keeps its place, and the board still verifies.
func TestBallotBoxMigrationKernel(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, engine storage.Engine) {
		ctx := t.Context()
		db, err := storage.Open(ctx, storage.Config{DSN: storagetest.NewDSN(t, engine), SkipMigrations: true})
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		migs, err := storage.Migrations(engine)
		require.NoError(t, err)
		kernel := func(m storage.Migration) bool {
			return m.Domain == storage.DomainBallotBox && m.Name == "ballotbox_kernel"
		}
		require.True(t, slices.ContainsFunc(migs, kernel), "the kernel migration is embedded")
		require.NoError(t, storage.MigrateWhere(ctx, db, func(m storage.Migration) bool { return !kernel(m) }))

		// The election as stored before.
		e := ballotboxtest.NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive)
		e.ID = uuid.New()
		e.Eligibility.Census = true
		salt := civickit.Salt(bytes.Repeat([]byte{7}, civickit.SaltSize))
		bb := ballotbox.NewBoardBuilder(e.Public())
		for i := range 2 {
			bb.AppendBallot(hex.EncodeToString([]byte{byte(i)}), "", ballotboxtest.Full(i), ballotbox.Part{Channel: civickit.ChannelPaper, Place: "Bureau 1"})
		}
		exec := func(q string, args ...any) {
			t.Helper()
			q = strings.NewReplacer("INTO ballotbox_", "INTO "+db.TableName("ballotbox_")).Replace(q)
			_, err := db.Bun().ExecContext(ctx, q, args...)
			require.NoError(t, err, q)
		}
		micros := func(t time.Time) int64 { return t.UnixMicro() }
		exec(`INSERT INTO ballotbox_elections (id, title, description, questions, opens, closes, eligibility, revote, visibility, salt, version, created_at, updated_at)
			VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, 1, 0, 0)`, e.ID.String(), e.Title, mustMarshal(t, e.Questions), micros(e.Opens), micros(e.Closes),
			`{"Census":true,"Territories":null,"MinimumAge":0,"Assurance":""}`, string(e.Revote), string(e.Visibility), hex.EncodeToString(salt))
		exec(`INSERT INTO ballotbox_heads (election_id, entries, head) VALUES (?, ?, ?)`, e.ID.String(), bb.Len(), bb.Head())
		for _, id := range []string{ballotboxtest.Voter(1).ID, ballotboxtest.Voter(2).ID} {
			key, _ := ballotbox.VoterKeyOf(civickit.Hasher{}, salt, e.ID, id) // as ballotbox keyed them then
			exec(`INSERT INTO ballotbox_census (election_id, voter_key) VALUES (?, ?)`, e.ID.String(), string(key))
		}
		for _, en := range bb.Entries() {
			exec(`INSERT INTO ballotbox_entries (election_id, idx, tracker, ballot, replaces, channel, place, prev, hash) VALUES (?, ?, ?, ?, '', ?, ?, ?, ?)`,
				e.ID.String(), en.Index, en.Tracker, string(en.Ballot), string(en.Channel), en.Place, en.Prev, en.Hash)
			exec(`INSERT INTO ballotbox_ballots (election_id, tracker, slot, request_key, digest, state, cast_day) VALUES (?, ?, NULL, ?, ?, 'counted', 0)`,
				e.ID.String(), en.Tracker, "req-"+en.Tracker, ballotbox.BallotDigest(en.Ballot))
		}

		require.NoError(t, db.Migrate(ctx))
		applied, err := db.AppliedMigrations(ctx)
		require.NoError(t, err)
		assert.Len(t, applied, len(migs))

		st := storage.NewBallotBoxStore(db)
		vs, err := st.ElectionSalt(ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, ballotbox.VoterSalt{Salt: salt}, vs, "the salt moved, unkeyed")
		got, err := st.GetElection(ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, e.Public(), got.Public())
		assert.True(t, got.Eligibility.Census)
		assert.Nil(t, got.ClosedAt)

		clock := ballotboxtest.NewClock(ballotboxtest.During)
		svc, err := ballotbox.NewService(st, ballotbox.Options{Anonymity: 1, Now: clock.Now, Secret: ballotboxtest.Secret})
		require.NoError(t, err)
		_, err = svc.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotboxtest.Voter(1), Ballot: ballotboxtest.Full(5)})
		require.NoError(t, err, "the census keys stored before still admit their voters")
		_, err = svc.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotboxtest.Voter(3), Ballot: ballotboxtest.Full(5)})
		var ee *ballotbox.EligibilityError
		require.ErrorAs(t, err, &ee)
		assert.Equal(t, "census", ee.Rule)

		places, err := svc.ListPlaces(ctx, e.ID, "", 0)
		require.NoError(t, err)
		assert.Equal(t, []ballotbox.PlaceCount{{Place: "Bureau 1", Marked: 2, Sheets: 2}}, places.Items,
			"paper counted before starts the place with as many marks as sheets")
		b, err := svc.CreateBatch(ctx, ballotbox.NewBatch{ElectionID: e.ID, Place: "Bureau 1", Sheets: 1})
		require.NoError(t, err)
		sheet := ballotboxtest.Full(9)
		b, err = svc.KeyBatch(ctx, b.ID, "agent", []ballotbox.Sheet{{Ballot: &sheet}})
		require.NoError(t, err)
		assert.Equal(t, ballotbox.BatchExcess, b.State, "no mark left for a new sheet")
		sess, err := svc.OpenSession(ctx, e.ID, "clerk", "Bureau 1", civickit.ChannelPaper)
		require.NoError(t, err)
		_, err = svc.MarkPaperVoter(ctx, sess.ID, ballotboxtest.Voter(2), "")
		require.NoError(t, err)
		b, err = svc.CommitBatch(ctx, b.ID)
		require.NoError(t, err)
		assert.Equal(t, ballotbox.BatchCommitted, b.State)

		var board bytes.Buffer
		require.NoError(t, svc.ExportBoard(ctx, e.ID, &board))
		rep, err := ballotbox.Verify(&board, nil)
		require.NoError(t, err)
		assert.Equal(t, int64(4), rep.Counted, "2 paper ballots from before, 1 web, 1 paper")
	})
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
