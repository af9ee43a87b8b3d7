package opendata_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/opendata/opendatatest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

func newDirectory(t *testing.T, now time.Time) (*opendata.MediationDirectory, *opendata.Service) {
	t.Helper()
	db := storagetest.Open(t, storage.SQLite)
	svc, err := opendata.NewService(storage.NewDatasetStore(db), opendata.Options{Now: func() time.Time { return now }})
	require.NoError(t, err)
	dir, err := opendata.NewMediationDirectory(storage.NewMediationStore(db), opendata.MediationOptions{
		Now:     func() time.Time { return now },
		Catalog: svc,
		Dataset: opendata.MediationDatasetOptions{
			BaseURL:   "https://data.example.org",
			Publisher: &opendata.Agent{IRI: "https://www.lyon.fr/", Name: opendata.Text{"fr": "Ville de Lyon"}, Type: opendata.AgentLocalAuthority},
		},
	})
	require.NoError(t, err)
	return dir, svc
}

func TestMediationDirectoryRules(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	dir, _ := newDirectory(t, now)
	ctx := t.Context()

	tests := []struct {
		name  string
		edit  func(p *opendata.MediationPlace)
		paths []string
	}{
		{"valid", func(*opendata.MediationPlace) {}, nil},
		{"missing required", func(p *opendata.MediationPlace) { p.Name, p.Services = "", nil }, []string{"name", "services"}},
		{"bad postal code and pivot", func(p *opendata.MediationPlace) { p.PostalCode, p.Pivot = "6900", "12" }, []string{"postal_code", "pivot"}},
		{"list separator in a value", func(p *opendata.MediationPlace) { p.Fees = []string{"Gratuit|Payant"} }, []string{"fees[0]"}},
		{"e-mail with a person's display name", func(p *opendata.MediationPlace) { p.Emails = []string{"Jeanne Martin <jm@example.org>"} }, []string{"emails[0]"}},
		{"not an e-mail", func(p *opendata.MediationPlace) { p.Emails = []string{"epn at example.org"} }, []string{"emails[0]"}},
		{"date_maj in the future", func(p *opendata.MediationPlace) { p.Updated = now.AddDate(0, 1, 0) }, []string{"updated"}},
		{"over-long id", func(p *opendata.MediationPlace) { p.ID = strings.Repeat("x", opendata.MaxMediationIDLen+1) }, []string{"id"}},
		{"control character in id", func(p *opendata.MediationPlace) { p.ID = "a\x00b" }, []string{"id"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := opendatatest.MediationPlace("p" + string(rune('a'+i)))
			tt.edit(&p)
			_, err := dir.Create(ctx, p)
			if tt.paths == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, civickit.ErrInvalid)
			var ve *civickit.ValidationError
			require.ErrorAs(t, err, &ve)
			var paths []string
			for _, f := range ve.Fields {
				paths = append(paths, f.Path)
			}
			assert.ElementsMatch(t, tt.paths, paths)
		})
	}
}

// The directory keeps its dataset in the catalogue up to date: created
// with the first place, dct:modified the latest date_maj, its CSV
// distribution dct:conformsTo the national schema.
func TestMediationDirectoryPublishesItsDataset(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	dir, svc := newDirectory(t, now)
	ctx := t.Context()

	a := opendatatest.MediationPlace("epn-a")
	_, err := dir.Create(ctx, a)
	require.NoError(t, err)
	b := opendatatest.MediationPlace("epn-b")
	b.Updated = time.Time{} // stamped now
	got, err := dir.Create(ctx, b)
	require.NoError(t, err)
	assert.Equal(t, now, got.Updated)
	_, err = dir.Create(ctx, a)
	assert.ErrorIs(t, err, opendata.ErrConflict)

	ds, err := svc.GetDatasetByIdentifier(ctx, opendata.MediationIdentifier)
	require.NoError(t, err)
	assert.Equal(t, now, ds.Modified)
	assert.Contains(t, ds.Description["fr"], "2 lieux")
	require.Len(t, ds.Distributions, 2)
	assert.Equal(t, "https://data.example.org/mediation-places.csv", ds.Distributions[0].DownloadURL)
	assert.Equal(t, opendata.MediationSchemaIRI, ds.Distributions[0].ConformsTo[0].IRI)
	assert.Empty(t, ds.Validate().Violations(), "the directory's dataset passes DCAT-AP's rules")

	require.NoError(t, dir.Delete(ctx, "epn-b"))
	ds, err = svc.GetDatasetByIdentifier(ctx, opendata.MediationIdentifier)
	require.NoError(t, err)
	assert.Contains(t, ds.Description["fr"], "1 lieux")
	assert.ErrorIs(t, dir.Delete(ctx, "epn-b"), opendata.ErrNotFound)

	// JSON: the schema's column names, lists as arrays.
	places, err := dir.All(ctx)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, opendata.WriteMediationPlacesJSON(&buf, places))
	var rows []map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &rows))
	require.Len(t, rows, 1)
	assert.Equal(t, "epn-a", rows[0]["id"])
	assert.Equal(t, "2026-11-02", rows[0]["date_maj"])
	assert.Equal(t, []any{"TIERS_LIEUX", "ASSO"}, rows[0]["typologie"])
	assert.InDelta(t, 45.764043, rows[0]["latitude"], 1e-9)
	for k := range rows[0] {
		assert.Contains(t, opendata.MediationColumns, k)
	}
}
