package storage_test

import (
	"context"
	"testing"

	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/stretchr/testify/require"
)

func TestSmoke(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		db := storagetest.Open(t, e)
		svc, err := associations.NewService(storage.NewAssociationStore(db), associations.Options{})
		require.NoError(t, err)
		ctx := context.Background()
		a, err := svc.Create(ctx, associations.Association{Name: "Comité des Fêtes", RNA: "W751000001", Categories: []string{"006030"},
			Address: associations.Address{Location: &associations.Point{Lat: 48.8566, Lon: 2.3522}}})
		require.NoError(t, err)
		got, err := svc.Get(ctx, a.ID)
		require.NoError(t, err)
		require.Equal(t, a, got)
		p, err := svc.Search(ctx, associations.SearchQuery{Filter: associations.Filter{Text: "fete", Category: "006000"}})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		n, err := svc.Near(ctx, associations.NearQuery{Center: associations.Point{Lat: 48.85, Lon: 2.35}, RadiusMeters: 5000})
		require.NoError(t, err)
		require.Len(t, n.Items, 1)
		t.Log(n.Items[0].DistanceMeters)
	})
}
