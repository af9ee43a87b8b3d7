package opendata_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/opendata/opendatatest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// fixedSource gives the service a clock that moves by a minute per call
// and IDs numbered from 1, so that every stamp is known.
type fixedSource struct {
	at  time.Time
	ids int
}

func (f *fixedSource) now() time.Time {
	f.at = f.at.Add(time.Minute)
	return f.at
}

func (f *fixedSource) newID() uuid.UUID {
	f.ids++
	return uuid.MustParse(fmt.Sprintf("00000000-0000-7000-8000-%012d", f.ids))
}

func newService(t *testing.T, opts opendata.Options) (*opendata.Service, *fixedSource) {
	t.Helper()
	src := &fixedSource{at: time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)}
	if opts.Now == nil {
		opts.Now = src.now
	}
	if opts.NewID == nil {
		opts.NewID = src.newID
	}
	svc, err := opendata.NewService(storage.NewDatasetStore(storagetest.Open(t, storage.SQLite)), opts)
	require.NoError(t, err)
	return svc, src
}

func TestNewServiceNeedsAStore(t *testing.T) {
	_, err := opendata.NewService(nil, opendata.Options{})
	assert.Error(t, err)
}

func TestServiceOwnsIDsAndClock(t *testing.T) {
	ctx := context.Background()
	svc, src := newService(t, opendata.Options{})
	d := opendatatest.NewDataset(opendatatest.NewRand(1), 1)
	d.ID, d.Revision = uuid.New(), 9
	d.CreatedAt, d.UpdatedAt = time.Time{}, time.Time{}
	created, err := svc.CreateDataset(ctx, d)
	require.NoError(t, err)
	assert.Equal(t, uuid.MustParse("00000000-0000-7000-8000-000000000001"), created.ID, "the service's ID, not the caller's")
	assert.Equal(t, 1, created.Revision)
	assert.True(t, created.CreatedAt.Equal(src.at))
	assert.True(t, created.UpdatedAt.Equal(src.at))

	stored, err := svc.GetDataset(ctx, created.ID)
	require.NoError(t, err)
	assert.True(t, stored.CreatedAt.Equal(created.CreatedAt))

	up := *stored
	up.Title = opendata.Text{"fr": "Nouveau titre"}
	up.CreatedAt = time.Time{} // ignored: the store keeps its own
	updated, err := svc.UpdateDataset(ctx, up)
	require.NoError(t, err)
	assert.Equal(t, 2, updated.Revision)
	assert.True(t, updated.UpdatedAt.Equal(src.at), "UpdatedAt is the service's clock")
	assert.True(t, updated.CreatedAt.Equal(created.CreatedAt), "CreatedAt is kept")
	assert.True(t, updated.UpdatedAt.After(updated.CreatedAt))

	_, err = svc.UpdateDataset(ctx, up) // still at revision 1
	assert.ErrorIs(t, err, opendata.ErrConflict)
	_, err = svc.UpdateDataset(ctx, opendata.Dataset{Identifier: "x"})
	assert.ErrorIs(t, err, opendata.ErrInvalid, "an update names its dataset")

	require.NoError(t, svc.DeleteDataset(ctx, created.ID))
	assert.ErrorIs(t, svc.DeleteDataset(ctx, created.ID), opendata.ErrNotFound)
}

func TestServiceUpsert(t *testing.T) {
	ctx := context.Background()
	svc, src := newService(t, opendata.Options{})
	d := opendatatest.NewDataset(opendatatest.NewRand(2), 1)
	d.ID = uuid.Nil
	first := opendatatest.Clone(d)
	created, err := svc.UpsertDataset(ctx, &first)
	require.NoError(t, err)
	assert.True(t, created)
	assert.Equal(t, uuid.MustParse("00000000-0000-7000-8000-000000000001"), first.ID, "a new dataset without ID gets the service's")
	stampedAt := src.at

	// The same content later: nothing written, nothing stamped.
	again := opendatatest.Clone(d)
	created, err = svc.UpsertDataset(ctx, &again)
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, first.ID, again.ID)
	assert.Equal(t, 1, again.Revision)
	assert.True(t, again.UpdatedAt.Equal(stampedAt), "an unchanged upsert keeps the stored UpdatedAt")

	changed := opendatatest.Clone(d)
	changed.Description = opendata.Text{"fr": "Révisé"}
	created, err = svc.UpsertDataset(ctx, &changed)
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, first.ID, changed.ID)
	assert.Equal(t, 2, changed.Revision)
	assert.True(t, changed.UpdatedAt.Equal(src.at))
	assert.True(t, changed.CreatedAt.Equal(stampedAt), "CreatedAt stays the first stamp")

	// A caller's ID is kept for a new dataset.
	mine := opendatatest.NewDataset(opendatatest.NewRand(3), 2)
	id := mine.ID
	created, err = svc.UpsertDataset(ctx, &mine)
	require.NoError(t, err)
	assert.True(t, created)
	assert.Equal(t, id, mine.ID)
}

func TestServiceRefusesWhatCannotBeStored(t *testing.T) {
	ctx := context.Background()
	svc, _ := newService(t, opendata.Options{})
	long := strings.Repeat("a", opendata.MaxIdentifierLen+1)
	cases := []struct {
		name string
		edit func(d *opendata.Dataset)
		path string
	}{
		{"no identifier", func(d *opendata.Dataset) { d.Identifier = "" }, "identifier"},
		{"blank identifier", func(d *opendata.Dataset) { d.Identifier = "  " }, "identifier"},
		{"long identifier", func(d *opendata.Dataset) { d.Identifier = long }, "identifier"},
		{"identifier not UTF-8", func(d *opendata.Dataset) { d.Identifier = "a\xffb" }, "identifier"},
		{"identifier with NUL", func(d *opendata.Dataset) { d.Identifier = "a\x00b" }, "identifier"},
		{"long IRI", func(d *opendata.Dataset) { d.IRI = "https://x.example/" + strings.Repeat("i", opendata.MaxIRILen) }, "iri"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := opendatatest.NewDataset(opendatatest.NewRand(uint64(10+i)), i)
			c.edit(&d)
			for op, call := range map[string]func() error{
				"create": func() error { _, err := svc.CreateDataset(ctx, d); return err },
				// Copies, not opendatatest.Clone: its JSON round trip would
				// mend the bytes that are not UTF-8.
				"upsert": func() error { c := d; _, err := svc.UpsertDataset(ctx, &c); return err },
				"update": func() error { c := d; c.Revision = 1; _, err := svc.UpdateDataset(ctx, c); return err },
			} {
				err := call()
				assert.ErrorIs(t, err, civickit.ErrInvalid, op)
				var ve *civickit.ValidationError
				if assert.ErrorAs(t, err, &ve, op) {
					assert.Equal(t, c.path, ve.Fields[0].Path, op)
				}
			}
		})
	}
	res, err := svc.SearchDatasets(ctx, opendata.SearchQuery{})
	require.NoError(t, err)
	assert.Zero(t, res.Total, "nothing was stored")

	for _, id := range []string{"", " ", string(make([]byte, 600))} {
		_, err := svc.GetDatasetByIdentifier(ctx, id)
		assert.ErrorIs(t, err, opendata.ErrNotFound, "%q", id)
	}
}

func TestServiceStrict(t *testing.T) {
	ctx := context.Background()
	svc, _ := newService(t, opendata.Options{Strict: true})
	d := opendatatest.NewDataset(opendatatest.NewRand(4), 1)
	d.Keywords = nil // a warning: accepted
	_, err := svc.CreateDataset(ctx, d)
	require.NoError(t, err)

	bad := opendatatest.NewDataset(opendatatest.NewRand(5), 2)
	bad.Title = nil
	bad.Distributions[0].AccessURL = ""
	_, err = svc.CreateDataset(ctx, bad)
	var ve *civickit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.True(t, ve.Has("title", opendata.RuleMandatory))
	assert.True(t, ve.Has("distributions[0].access_url", opendata.RuleMandatory))
	_, err = svc.UpsertDataset(ctx, &bad)
	assert.ErrorIs(t, err, opendata.ErrInvalid)

	lax, _ := newService(t, opendata.Options{})
	_, err = lax.CreateDataset(ctx, bad)
	assert.NoError(t, err, "without Strict a harvested dataset is stored as it could be mapped")
}

func TestServiceSearchAndPublishers(t *testing.T) {
	ctx := context.Background()
	svc, _ := newService(t, opendata.Options{})
	rng := opendatatest.NewRand(6)
	var all []opendata.Dataset
	for i := range 23 {
		d := opendatatest.NewDataset(rng, i)
		_, err := svc.UpsertDataset(ctx, &d)
		require.NoError(t, err)
		all = append(all, d)
	}

	// The Go API pages with after and limit.
	seen := map[uuid.UUID]bool{}
	var walked []string
	after := ""
	for page := 0; ; page++ {
		require.Less(t, page, 20)
		res, err := svc.SearchDatasets(ctx, opendata.SearchQuery{Sort: opendata.SortIdentifier, After: after, Limit: 5})
		require.NoError(t, err)
		assert.Equal(t, len(all), res.Total)
		assert.LessOrEqual(t, len(res.Items), 5)
		for _, d := range res.Items {
			assert.False(t, seen[d.ID], "each dataset once")
			seen[d.ID] = true
			walked = append(walked, d.Identifier)
		}
		if res.Next == "" {
			break
		}
		after = res.Next
	}
	assert.Len(t, walked, len(all))
	assert.IsIncreasing(t, walked)

	empty, err := svc.SearchDatasets(ctx, opendata.SearchQuery{Text: "zzzznothing"})
	require.NoError(t, err)
	assert.NotNil(t, empty.Items)
	assert.Empty(t, empty.Next)

	values := []string{"  Lyon  "}
	_, err = svc.SearchDatasets(ctx, opendata.SearchQuery{Filters: []opendata.Filter{{Facet: opendata.FacetKeyword, Values: values}}})
	require.NoError(t, err)
	assert.Equal(t, "  Lyon  ", values[0], "the caller's query is not changed")

	for _, q := range []opendata.SearchQuery{
		{Limit: -1},
		{Offset: -1},
		{Offset: 5, After: after},
		{After: "!!"},
		{Sort: "score"},
		{Filters: []opendata.Filter{{Facet: "colour", Values: []string{"x"}}}},
		{Facets: []opendata.Facet{opendata.FacetTheme, opendata.FacetTheme}},
		{FacetLimit: -2},
	} {
		_, err := svc.SearchDatasets(ctx, q)
		assert.ErrorIs(t, err, opendata.ErrInvalid, "%+v", q)
	}

	var keys []string
	after = ""
	for range 20 {
		p, err := svc.ListPublishers(ctx, after, 2)
		require.NoError(t, err)
		for _, pc := range p.Items {
			keys = append(keys, pc.Key)
		}
		if p.Next == "" {
			break
		}
		after = p.Next
	}
	want := map[string]bool{}
	for i := range all {
		if k := opendata.PublisherKey(all[i].Publisher); k != "" {
			want[k] = true
		}
	}
	assert.Len(t, keys, len(want))
	assert.IsIncreasing(t, keys)
	_, err = svc.ListPublishers(ctx, "", -1)
	assert.True(t, errors.Is(err, opendata.ErrInvalid))
}
