package storage_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/associations/associationstest"
	"github.com/civickit/civickit/opendata/opendatatest"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/civickit/civickit/voting/ballotbox/ballotboxtest"
)

// written names what fillDomains wrote, for readDomains.
type written struct {
	association, dataset, consultation, election uuid.UUID
}

// fillDomains writes through the stores of every domain: associations,
// a dataset, a consultation, and an election that went through every
// channel (bbFillElection) plus one more election with web ballots.
func fillDomains(t *testing.T, db *storage.DB) written {
	t.Helper()
	ctx := context.Background()
	var w written

	a := associationstest.NewAssociation(associationstest.NewRand(1), 1)
	require.NoError(t, storage.NewAssociationStore(db).CreateAssociation(ctx, &a))
	w.association = a.ID

	d := opendatatest.NewDataset(opendatatest.NewRand(1), 1)
	require.NoError(t, storage.NewDatasetStore(db).CreateDataset(ctx, &d))
	w.dataset = d.ID

	c := participationtest.NewConsultation(participationtest.NewRand(1), 1)
	require.NoError(t, storage.NewParticipationStore(db).CreateConsultation(ctx, c))
	w.consultation = c.ID

	st := storage.NewBallotBoxStore(db)
	bbFillElection(t, ctx, st)
	svc, err := ballotbox.NewService(st, ballotbox.Options{Now: ballotboxtest.NewClock(ballotboxtest.During).Now, Secret: ballotboxtest.Secret})
	require.NoError(t, err)
	e := ballotboxtest.NewElection(ballotbox.RevoteLast, ballotbox.VisibleLive)
	require.NoError(t, svc.CreateElection(ctx, e))
	for i := range 5 {
		_, err := svc.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotboxtest.Voter(i), Ballot: ballotboxtest.Full(i)})
		require.NoError(t, err)
	}
	w.election = e.ID
	return w
}

// readDomains reads back through the stores what fillDomains wrote.
func readDomains(t *testing.T, db *storage.DB, w written) []any {
	t.Helper()
	ctx := context.Background()
	a, err := storage.NewAssociationStore(db).GetAssociation(ctx, w.association)
	require.NoError(t, err)
	d, err := storage.NewDatasetStore(db).GetDataset(ctx, w.dataset)
	require.NoError(t, err)
	c, err := storage.NewParticipationStore(db).GetConsultation(ctx, w.consultation)
	require.NoError(t, err)
	st := storage.NewBallotBoxStore(db)
	e, err := st.GetElection(ctx, w.election)
	require.NoError(t, err)
	voters, err := st.CountVoters(ctx, w.election)
	require.NoError(t, err)
	require.EqualValues(t, 5, voters)
	head, err := st.Head(ctx, w.election)
	require.NoError(t, err)
	counts, err := st.ListCounts(ctx, w.election, "", 0)
	require.NoError(t, err)
	salt, err := st.ElectionSalt(ctx, w.election)
	require.NoError(t, err)
	return []any{a, d, c, e, voters, head, counts, salt}
}
