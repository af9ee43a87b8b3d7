package storage_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/participation/questionnaire"
	"github.com/civickit/civickit/participation/questionnaire/questionnairetest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// TestParticipationCensusOnePersonOneParticipant runs, on every engine,
// the scenario that once counted one person twice: one census identity
// registered as two participants, who then answered on the web and on
// paper. Now the two registrations race to claim the identity and
// exactly one wins; the agent keying the paper form finds the winner by
// the identity, and the paper answer is refused as a second response of
// the same participant. Then no table of the database holds the
// identifier in clear.
func TestParticipationCensusOnePersonOneParticipant(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		ctx := context.Background()
		db := storagetest.Open(t, e)
		now := participationtest.BaseTime.Add(15 * 24 * time.Hour) // the expression week
		clock := func() time.Time { return now }
		secret := []byte("a deployment's identity secret, 32+ bytes long")
		core, err := participation.NewService(storage.NewParticipationStore(db),
			participation.Options{Now: clock, IdentitySecret: secret})
		require.NoError(t, err)
		qs, err := questionnaire.NewService(storage.NewQuestionnaireStore(db), core, questionnaire.Options{Now: clock})
		require.NoError(t, err)

		const roll, identifier = "liste-electorale-2025", "RO-90427713-LL"
		require.NoError(t, core.AddCensusEntries(ctx, roll, []string{"RO-90427712-LL", identifier, "RO-90427714-LL"}))
		in := *participationtest.NewConsultation(participationtest.NewRand(1), 0)
		in.Settings.Eligibility = participation.Eligibility{CensusList: roll}
		c, err := core.CreateConsultation(ctx, in)
		require.NoError(t, err)
		_, err = core.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseExpression, Actor: "organiser"})
		require.NoError(t, err)
		qin := *questionnairetest.NewQuestionnaire(participationtest.NewRand(2), c.ID, 0)
		qin.Results = questionnaire.ResultsLive
		q, err := qs.CreateQuestionnaire(ctx, qin)
		require.NoError(t, err)

		// The person registers on the web while an agent registers them
		// from a paper form: two participants race for one identity.
		const claimants = 2
		people := make([]uuid.UUID, claimants)
		for i := range people {
			p, err := core.RegisterParticipant(ctx, nil)
			require.NoError(t, err)
			people[i] = p.ID
		}
		errs := make([]error, claimants)
		var wg sync.WaitGroup
		for i := range claimants {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Written differently on each form: one person still.
				_, errs[i] = core.ClaimCensus(ctx, people[i], roll, []string{identifier, "ro 90427713 ll"}[i])
			}()
		}
		wg.Wait()
		winner, loser := -1, -1
		for i, err := range errs {
			if err == nil {
				require.Equal(t, -1, winner, "both claims won")
				winner = i
				continue
			}
			loser = i
			require.ErrorIs(t, err, civickit.ErrConflict)
			var ce *participation.CensusClaimError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, participation.RuleOneParticipantPerIdentity, ce.Rule)
		}
		require.NotEqual(t, -1, winner, "one claim wins")
		require.NotEqual(t, -1, loser, "one claim loses")

		// The loser is no one on the roll: not eligible.
		rng := participationtest.NewRand(3)
		answers := questionnairetest.NewAnswers(rng, q)
		submit := func(who uuid.UUID, p civickit.Provenance) error {
			_, _, err := qs.Submit(ctx, questionnaire.SubmitRequest{QuestionnaireID: q.ID,
				Respondent: participation.Respondent{ParticipantID: who, Recruitment: participation.RecruitOpenCall},
				Provenance: p, Answers: answers})
			return err
		}
		assert.ErrorIs(t, submit(people[loser], civickit.Provenance{Channel: civickit.ChannelWeb}), participation.ErrNotEligible)
		require.NoError(t, submit(people[winner], civickit.Provenance{Channel: civickit.ChannelWeb}))

		// The agent keys the paper form of the same person: found by
		// the identity, it is the web respondent, and counts once.
		found, err := core.ParticipantByCensus(ctx, roll, "Ro-90427713-ll")
		require.NoError(t, err)
		assert.Equal(t, people[winner], found.ID)
		b, err := qs.CreatePaperBatch(ctx, questionnaire.PaperBatch{QuestionnaireID: q.ID, Label: "Urne",
			CollectedBy: "agent-1", Place: "mairie", Forms: 1})
		require.NoError(t, err)
		_, err = qs.KeyPaperForm(ctx, questionnaire.PaperEntry{BatchID: b.ID, Form: 1, Pass: questionnaire.PassFirst,
			Agent: "agent-2", Respondent: participation.Respondent{ParticipantID: found.ID, Recruitment: participation.RecruitOpenCall},
			Answers: answers})
		require.NoError(t, err)
		rep, err := qs.CommitPaperBatch(ctx, b.ID)
		require.NoError(t, err)
		assert.Empty(t, rep.Stored)
		assert.Equal(t, []int{1}, rep.Duplicates, "the paper answer of the web respondent")
		res, err := qs.Results(ctx, q.ID)
		require.NoError(t, err)
		assert.Equal(t, 1, res.Responses.Total, "one person, one response")

		// Nothing stored names the person in clear, in any form.
		for _, s := range []string{identifier, civickit.NormalizeIdentifier(identifier), "90427713"} {
			// The digits alone, long enough that no stored time in
			// microseconds holds them by chance (4 digits did, once).
			assertNowhere(t, db, s)
		}
		_, err = core.ParticipantByCensus(ctx, "another-roll", identifier)
		assert.ErrorIs(t, err, participation.ErrNotFound)
	})
}

// assertNowhere fails when any value of any table of db contains s.
func assertNowhere(t *testing.T, db *storage.DB, s string) {
	t.Helper()
	ctx := context.Background()
	var q string
	switch db.Engine() {
	case storage.SQLite:
		q = "SELECT name FROM sqlite_master WHERE type = 'table'"
	case storage.Postgres:
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
	default:
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"
	}
	var tables []string
	rows, err := db.Bun().QueryContext(ctx, q)
	require.NoError(t, err)
	for rows.Next() {
		var name string
		require.NoError(t, rows.Scan(&name))
		tables = append(tables, name)
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	require.True(t, slices.ContainsFunc(tables, func(name string) bool { return strings.HasSuffix(name, "census_claims") }),
		"the census tables are among %v", tables)
	want := strings.ToLower(s)
	for _, table := range tables {
		rows, err := db.Bun().QueryContext(ctx, db.Bun().NewRaw("SELECT * FROM ?", bun.Ident(table)).String())
		require.NoError(t, err, table)
		cols, err := rows.Columns()
		require.NoError(t, err)
		vals := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			require.NoError(t, rows.Scan(ptrs...))
			for i, v := range vals {
				assert.NotContains(t, strings.ToLower(string(v)), want, "%s.%s", table, cols[i])
			}
		}
		require.NoError(t, rows.Err())
		require.NoError(t, rows.Close())
	}
}
