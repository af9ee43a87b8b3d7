package opendatatest

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
)

// TestStore runs the conformance suite against the Store implementation
// built by newStore. newStore must return a fresh, empty store on every
// call; it is called once by each leaf subtest (never from two subtests at
// the same time) and may register cleanups on the t it is given.
func TestStore(t *testing.T, newStore func(t *testing.T) opendata.Store) {
	t.Helper()
	s := &suite{newStore: newStore}
	t.Run("Datasets", s.testDatasets)
	t.Run("Upsert", s.testUpsert)
	t.Run("Search", s.testSearch)
	t.Run("Publishers", s.testPublishers)
	t.Run("States", s.testStates)
	t.Run("Concurrency", s.testConcurrency)
}

type suite struct {
	newStore func(t *testing.T) opendata.Store
}

func (s *suite) store(t *testing.T) opendata.Store {
	t.Helper()
	st := s.newStore(t)
	require.NotNil(t, st, "newStore returned nil")
	return st
}

// Canonical form: the JSON of a dataset whose times are in UTC, with
// CreatedAt and UpdatedAt cut to microseconds. It erases exactly what a
// store may change (time zones, precision beyond microseconds of the
// store's own times, empty versus nil lists and maps) and nothing else.
func canonJSON(d opendata.Dataset) string {
	d = Clone(d) // drops empty lists and maps
	d.CreatedAt = d.CreatedAt.UTC().Truncate(time.Microsecond)
	d.UpdatedAt = d.UpdatedAt.UTC().Truncate(time.Microsecond)
	d.Issued, d.Modified = d.Issued.UTC(), d.Modified.UTC()
	for i := range d.Temporal {
		d.Temporal[i].Start, d.Temporal[i].End = d.Temporal[i].Start.UTC(), d.Temporal[i].End.UTC()
	}
	for i := range d.Distributions {
		x := &d.Distributions[i]
		x.Issued, x.Modified = x.Issued.UTC(), x.Modified.UTC()
	}
	for i := range d.WasGeneratedBy {
		a := &d.WasGeneratedBy[i]
		a.Start, a.End = a.Start.UTC(), a.End.UTC()
	}
	b, err := json.MarshalIndent(d, "", " ")
	if err != nil {
		panic(err)
	}
	return string(b)
}

func assertSameDataset(t *testing.T, want, got opendata.Dataset, msgAndArgs ...any) bool {
	t.Helper()
	return assert.Equal(t, canonJSON(want), canonJSON(got), msgAndArgs...)
}

// assertStored checks that the store holds exactly want under its ID and
// its identifier.
func assertStored(t *testing.T, st opendata.Store, want opendata.Dataset) bool {
	t.Helper()
	got, err := st.GetDataset(t.Context(), want.ID)
	if !assert.NoError(t, err, "GetDataset(%s)", want.ID) || !assert.NotNil(t, got) {
		return false
	}
	ok := assertSameDataset(t, want, *got, "GetDataset(%s)", want.ID)
	got, err = st.GetDatasetByIdentifier(t.Context(), want.Identifier)
	if !assert.NoError(t, err, "GetDatasetByIdentifier(%q)", want.Identifier) || !assert.NotNil(t, got) {
		return false
	}
	return assertSameDataset(t, want, *got, "GetDatasetByIdentifier(%q)", want.Identifier) && ok
}

func mustCreate(t *testing.T, st opendata.Store, ds ...opendata.Dataset) {
	t.Helper()
	for _, d := range ds {
		d := Clone(d)
		require.NoError(t, st.CreateDataset(t.Context(), &d), "CreateDataset(%q)", d.Identifier)
	}
}

func (s *suite) testDatasets(t *testing.T) {
	t.Run("RoundTrip", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(1)
		rich := RichDataset(NewID(rng), "rich-1")
		d := Clone(rich)
		require.NoError(t, st.CreateDataset(t.Context(), &d))
		assert.Equal(t, 1, d.Revision, "CreateDataset sets Revision 1")
		rich.Revision = 1
		assertStored(t, st, rich)
		for i := range 20 {
			d := NewDataset(rng, i)
			c := Clone(d)
			require.NoError(t, st.CreateDataset(t.Context(), &c))
			d.Revision = 1
			assertStored(t, st, d)
		}
	})

	t.Run("Minimal", func(t *testing.T) {
		// Only the keys: a harvested dataset may lack everything else.
		st := s.store(t)
		d := opendata.Dataset{ID: NewID(NewRand(2)), Identifier: "x", CreatedAt: BaseTime, UpdatedAt: BaseTime}
		c := d
		require.NoError(t, st.CreateDataset(t.Context(), &c))
		d.Revision = 1
		assertStored(t, st, d)
		// A second dataset without IRI: a missing IRI is not a taken key.
		e := opendata.Dataset{ID: NewID(NewRand(3)), Identifier: "y", CreatedAt: BaseTime, UpdatedAt: BaseTime}
		require.NoError(t, st.CreateDataset(t.Context(), &e))
	})

	t.Run("NotFound", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(5)
		mustCreate(t, st, NewDataset(rng, 1))
		_, err := st.GetDataset(t.Context(), NewID(rng))
		assert.ErrorIs(t, err, opendata.ErrNotFound)
		for _, id := range []string{"nope", Identifier(2), Identifier(1) + " ", strings.ToUpper(Identifier(1))} {
			_, err = st.GetDatasetByIdentifier(t.Context(), id)
			assert.ErrorIs(t, err, opendata.ErrNotFound, "GetDatasetByIdentifier(%q)", id)
		}
		d := NewDataset(rng, 3)
		d.Revision = 1
		assert.ErrorIs(t, st.UpdateDataset(t.Context(), &d), opendata.ErrNotFound)
		assert.ErrorIs(t, st.DeleteDataset(t.Context(), d.ID), opendata.ErrNotFound)
	})

	t.Run("Conflict", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(7)
		a, b := NewDataset(rng, 1), NewDataset(rng, 2)
		mustCreate(t, st, a, b)
		cases := []struct {
			name string
			edit func(d *opendata.Dataset)
		}{
			{"same ID", func(d *opendata.Dataset) { d.ID = a.ID }},
			{"same identifier", func(d *opendata.Dataset) { d.Identifier = a.Identifier }},
			{"same IRI", func(d *opendata.Dataset) { d.IRI = a.IRI }},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				d := NewDataset(rng, 3)
				c.edit(&d)
				assert.ErrorIs(t, st.CreateDataset(t.Context(), &d), opendata.ErrConflict)
			})
		}
		// Updating b onto a's identifier or IRI conflicts; b is unchanged.
		for _, edit := range []func(d *opendata.Dataset){
			func(d *opendata.Dataset) { d.Identifier = a.Identifier },
			func(d *opendata.Dataset) { d.IRI = a.IRI },
		} {
			c := Clone(b)
			c.Revision = 1
			edit(&c)
			assert.ErrorIs(t, st.UpdateDataset(t.Context(), &c), opendata.ErrConflict)
		}
		b.Revision = 1
		assertStored(t, st, b)
		a.Revision = 1
		assertStored(t, st, a)
	})

	t.Run("Update", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(8)
		d := NewDataset(rng, 1)
		d.Keywords = opendata.Keywords{"fr": {"ancienmotcle"}}
		mustCreate(t, st, d)
		up := Clone(d)
		up.Revision = 1
		up.Title = opendata.Text{"fr": "Nouveau titre"}
		up.Keywords = opendata.Keywords{"fr": {"nouveau"}}
		up.Identifier = "renamed"
		up.CreatedAt = BaseTime.Add(-time.Hour) // ignored: CreatedAt is kept
		up.UpdatedAt = BaseTime.Add(100 * time.Hour)
		require.NoError(t, st.UpdateDataset(t.Context(), &up))
		assert.Equal(t, 2, up.Revision)
		assert.True(t, up.CreatedAt.Equal(d.CreatedAt), "UpdateDataset keeps the stored CreatedAt")
		assertStored(t, st, up)
		_, err := st.GetDatasetByIdentifier(t.Context(), d.Identifier)
		assert.ErrorIs(t, err, opendata.ErrNotFound, "the old identifier is free")

		stale := Clone(up)
		stale.Revision = 1
		stale.Title = opendata.Text{"fr": "Perdu"}
		assert.ErrorIs(t, st.UpdateDataset(t.Context(), &stale), opendata.ErrConflict)
		assert.Equal(t, 1, stale.Revision, "a refused update leaves Revision")
		assertStored(t, st, up)

		// The index follows the content: the old words no longer match.
		res, err := search(t, st, opendata.SearchQuery{Text: "nouveau"})
		require.NoError(t, err)
		assert.Equal(t, 1, res.Total)
		res, err = search(t, st, opendata.SearchQuery{Text: "ancienmotcle"})
		require.NoError(t, err)
		assert.Zero(t, res.Total)
		res, err = search(t, st, opendata.SearchQuery{Filters: []opendata.Filter{{Facet: opendata.FacetKeyword, Values: []string{"ancienmotcle"}}}})
		require.NoError(t, err)
		assert.Zero(t, res.Total)

		// UpdatedAt is stored as given, even earlier than before: the
		// store has no clock.
		next := Clone(up)
		next.UpdatedAt = BaseTime.Add(time.Minute + 7*time.Microsecond)
		require.NoError(t, st.UpdateDataset(t.Context(), &next))
		assert.Equal(t, 3, next.Revision)
		assertStored(t, st, next)
	})

	t.Run("Delete", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(9)
		a, b := NewDataset(rng, 1), NewDataset(rng, 2)
		a.Keywords = opendata.Keywords{"fr": {"zzunique"}}
		mustCreate(t, st, a, b)
		require.NoError(t, st.DeleteDataset(t.Context(), a.ID))
		_, err := st.GetDataset(t.Context(), a.ID)
		assert.ErrorIs(t, err, opendata.ErrNotFound)
		_, err = st.GetDatasetByIdentifier(t.Context(), a.Identifier)
		assert.ErrorIs(t, err, opendata.ErrNotFound)
		assert.ErrorIs(t, st.DeleteDataset(t.Context(), a.ID), opendata.ErrNotFound)
		res, err := search(t, st, opendata.SearchQuery{Text: "zzunique", Facets: opendata.AllFacets()})
		require.NoError(t, err)
		assert.Zero(t, res.Total)
		for f, counts := range res.Facets {
			assert.Empty(t, counts, "facet %s after delete", f)
		}
		// The identifier and IRI are free again.
		c := NewDataset(rng, 1)
		require.NoError(t, st.CreateDataset(t.Context(), &c))
		b.Revision = 1
		assertStored(t, st, b)
	})
}

func (s *suite) testUpsert(t *testing.T) {
	t.Run("Idempotent", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(20)
		d := NewDataset(rng, 1)
		first := Clone(d)
		created, err := st.UpsertDatasetByIdentifier(t.Context(), &first)
		require.NoError(t, err)
		assert.True(t, created)
		assert.Equal(t, d.ID, first.ID, "a created dataset keeps the given ID")
		assert.Equal(t, 1, first.Revision)
		assertStored(t, st, first)

		// The same content again, even with other store fields and times in
		// another zone: nothing is written.
		again := Clone(d)
		again.ID, again.Revision = NewID(rng), 7
		again.UpdatedAt = BaseTime.Add(1000 * time.Hour)
		again.Issued = again.Issued.In(time.FixedZone("X", 5*3600))
		created, err = st.UpsertDatasetByIdentifier(t.Context(), &again)
		require.NoError(t, err)
		assert.False(t, created)
		assertSameDataset(t, first, again, "an unchanged upsert returns what is stored")
		assertStored(t, st, first)

		// A change: the stored ID and CreatedAt are kept, Revision bumps.
		changed := Clone(d)
		changed.Description = opendata.Text{"fr": "Description révisée"}
		changed.UpdatedAt = BaseTime.Add(2000 * time.Hour)
		created, err = st.UpsertDatasetByIdentifier(t.Context(), &changed)
		require.NoError(t, err)
		assert.False(t, created)
		assert.Equal(t, first.ID, changed.ID)
		assert.Equal(t, 2, changed.Revision)
		assert.True(t, changed.CreatedAt.Equal(first.CreatedAt))
		assertStored(t, st, changed)

		res, err := search(t, st, opendata.SearchQuery{})
		require.NoError(t, err)
		assert.Equal(t, 1, res.Total, "upserts by one identifier store one dataset")
		assert.Equal(t, first.ID, res.Items[0].ID)
	})

	t.Run("Harvest", func(t *testing.T) {
		// A catalogue harvested twice, the second time with one change and
		// one new dataset: only those are written.
		st := s.store(t)
		rng := NewRand(21)
		var cat []opendata.Dataset
		for i := range 30 {
			cat = append(cat, NewDataset(rng, i))
		}
		ids := map[string]uuid.UUID{}
		for _, d := range cat {
			c := Clone(d)
			created, err := st.UpsertDatasetByIdentifier(t.Context(), &c)
			require.NoError(t, err)
			require.True(t, created, d.Identifier)
			ids[d.Identifier] = c.ID
		}
		cat[4].Title = opendata.Text{"fr": "Changé"}
		cat = append(cat, NewDataset(rng, 30))
		var createdN, revised int
		for _, d := range cat {
			c := Clone(d)
			c.ID = NewID(rng) // a harvester's fresh ID: used only when created
			created, err := st.UpsertDatasetByIdentifier(t.Context(), &c)
			require.NoError(t, err)
			if created {
				createdN++
			} else {
				assert.Equal(t, ids[d.Identifier], c.ID, d.Identifier)
			}
			if c.Revision > 1 {
				revised++
			}
		}
		assert.Equal(t, 1, createdN)
		assert.Equal(t, 1, revised)
	})

	t.Run("KeepsGivenID", func(t *testing.T) {
		st := s.store(t)
		d := NewDataset(NewRand(22), 1)
		c := Clone(d)
		created, err := st.UpsertDatasetByIdentifier(t.Context(), &c)
		require.NoError(t, err)
		assert.True(t, created)
		assert.Equal(t, d.ID, c.ID)
		d.Revision = 1
		assertStored(t, st, d)
	})

	t.Run("IRIConflict", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(23)
		a, b := NewDataset(rng, 1), NewDataset(rng, 2)
		mustCreate(t, st, a)
		b.IRI = a.IRI
		in := Clone(b)
		_, err := st.UpsertDatasetByIdentifier(t.Context(), &in)
		assert.ErrorIs(t, err, opendata.ErrConflict)
		_, err = st.GetDatasetByIdentifier(t.Context(), b.Identifier)
		assert.ErrorIs(t, err, opendata.ErrNotFound)
	})
}

// retriable reports whether a concurrent caller may simply try again.
func retriable(err error) bool {
	return errors.Is(err, opendata.ErrConflict) || errors.Is(err, opendata.ErrUnavailable)
}

func ptrs(ds []opendata.Dataset) []*opendata.Dataset {
	out := make([]*opendata.Dataset, len(ds))
	for i := range ds {
		out[i] = &ds[i]
	}
	return out
}

// expected returns the datasets of all that q matches, in q's order.
func expected(all []opendata.Dataset, q opendata.SearchQuery) []opendata.Dataset {
	var out []opendata.Dataset
	for i := range all {
		if q.Match(&all[i]) {
			out = append(out, all[i])
		}
	}
	slices.SortFunc(out, func(a, b opendata.Dataset) int { return opendata.CompareDatasets(&a, &b, q.Sort) })
	return out
}

// testStates: searches keep published datasets unless States says
// otherwise; publishers count published datasets; a state changed by
// UpdateDataset is searched by its new value; the document keeps State as
// given ("" stays "").
func (s *suite) testStates(t *testing.T) {
	st := s.store(t)
	rng := NewRand(41)
	all := make([]opendata.Dataset, 12)
	for i := range all {
		all[i] = NewDataset(rng, i)
		all[i].Revision = 1
		switch i % 4 {
		case 1:
			all[i].State = opendata.StateDraft
		case 2:
			all[i].State = opendata.StateWithdrawn
		case 3:
			all[i].State = opendata.StatePublished
		}
		all[i].Publisher = &Publishers[0]
	}
	mustCreate(t, st, all...)
	for _, states := range [][]opendata.DatasetState{nil, {opendata.StateDraft}, {opendata.StateWithdrawn, opendata.StatePublished}, opendata.AllStates()} {
		q := opendata.SearchQuery{States: states, Sort: opendata.SortIdentifier, Limit: 100, Facets: []opendata.Facet{opendata.FacetPublisher}}
		res, err := search(t, st, q)
		require.NoError(t, err)
		want := expected(all, q)
		assert.Equal(t, identifiersOf(want), identifiersOf(res.Items), "states %v", states)
		assert.Equal(t, len(want), res.Total, "states %v", states)
		assert.Equal(t, nonNil(opendata.CountFacets(ptrs(want), q.Facets, 50)[opendata.FacetPublisher]), nonNil(res.Facets[opendata.FacetPublisher]), "states %v", states)
	}
	page, err := st.ListPublishers(t.Context(), "", 10)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, 6, page.Items[0].Datasets, "published datasets only")

	got, err := st.GetDataset(t.Context(), all[0].ID)
	require.NoError(t, err)
	assert.Equal(t, opendata.DatasetState(""), got.State, "kept as given")
	got.State = opendata.StateWithdrawn
	got.UpdatedAt = got.UpdatedAt.Add(time.Second)
	require.NoError(t, st.UpdateDataset(t.Context(), got))
	res, err := search(t, st, opendata.SearchQuery{Sort: opendata.SortIdentifier, Limit: 100})
	require.NoError(t, err)
	assert.NotContains(t, identifiersOf(res.Items), all[0].Identifier, "withdrawn leaves the search")
}
