package storage

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/opendata/opendatatest"
)

// testdata/opendata_dataset_doc_v1.json is the document the store wrote
// for opendatatest.RichDataset before the model's JSON names became
// snake_case: the first shape, which stores must still read.
func legacyDoc(t *testing.T) (string, opendata.Dataset) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "opendata_dataset_doc_v1.json"))
	require.NoError(t, err)
	doc := strings.TrimSpace(string(b))
	require.True(t, isLegacyDatasetDoc(doc))
	return doc, opendatatest.RichDataset(uuid.MustParse("0195a1b2-0000-7000-8000-000000000001"), "rich-legacy")
}

func TestDecodeLegacyDatasetDoc(t *testing.T) {
	doc, want := legacyDoc(t)
	var got opendata.Dataset
	require.NoError(t, decodeDatasetDoc(doc, &got))
	assert.Equal(t, datasetDoc(&want), datasetDoc(&got), "the first shape reads to the same dataset")
	assert.NotEmpty(t, got.ContactPoints)
	assert.NotEmpty(t, got.Distributions[0].AccessURL)
	assert.NotZero(t, got.SpatialResolutionInMeters)

	now := datasetDoc(&want)
	assert.False(t, isLegacyDatasetDoc(now), "the current shape is not taken for the first")
	assert.Contains(t, now, `"contact_points":`)
	assert.NotContains(t, now, `"contactPoints":`)
	// Language tags are map keys too: they are left alone.
	var back opendata.Dataset
	require.NoError(t, decodeDatasetDoc(doc, &back))
	assert.Equal(t, want.Keywords, back.Keywords)
	assert.Equal(t, want.Title, back.Title)
}

// A dataset stored in the first shape is read, found unchanged by an
// upsert of the same content, and rewritten in the current shape by an
// update.
func TestLegacyDatasetDocInStore(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, Config{DSN: "sqlite:" + filepath.Join(t.TempDir(), "legacy.db"), Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	st := NewDatasetStore(db)
	doc, want := legacyDoc(t)
	want.Revision = 1
	in := opendatatest.Clone(want)
	require.NoError(t, st.CreateDataset(ctx, &in))
	_, err = db.bun.NewUpdate().Model((*datasetDocRow)(nil)).Set("doc = ?", doc).Where("dataset_id = ?", want.ID).Exec(ctx)
	require.NoError(t, err)

	got, err := st.GetDataset(ctx, want.ID)
	require.NoError(t, err)
	assert.Equal(t, datasetDoc(&want), datasetDoc(got))
	assert.Equal(t, 1, got.Revision)

	same := opendatatest.Clone(want)
	same.UpdatedAt = same.UpdatedAt.Add(1000)
	created, err := st.UpsertDatasetByIdentifier(ctx, &same)
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, 1, same.Revision, "the same content in another shape is no change")

	got.Version = "2.0"
	require.NoError(t, st.UpdateDataset(ctx, got))
	var stored datasetDocRow
	require.NoError(t, db.bun.NewSelect().Model(&stored).Where("dd.dataset_id = ?", want.ID).Scan(ctx))
	assert.False(t, isLegacyDatasetDoc(stored.Doc), "an update writes the current shape")
	again, err := st.GetDataset(ctx, want.ID)
	require.NoError(t, err)
	assert.Equal(t, "2.0", again.Version)
	assert.Equal(t, want.ContactPoints, again.ContactPoints)
}
