package opendata_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/opendata"
)

func pageIRI(n int) string { return fmt.Sprintf("%s/catalog.ttl?page=%d", base, n) }

func TestPaginate(t *testing.T) {
	c := fullCatalog(5)
	tests := []struct {
		page, size int
		ids        []string
		want       opendata.Page
	}{
		{1, 2, []string{"ds-00000", "ds-00001"}, opendata.Page{IRI: pageIRI(1), First: pageIRI(1), Next: pageIRI(2), Last: pageIRI(3), TotalItems: 5, ItemsPerPage: 2}},
		{2, 2, []string{"ds-00002", "ds-00003"}, opendata.Page{IRI: pageIRI(2), First: pageIRI(1), Previous: pageIRI(1), Next: pageIRI(3), Last: pageIRI(3), TotalItems: 5, ItemsPerPage: 2}},
		{3, 2, []string{"ds-00004"}, opendata.Page{IRI: pageIRI(3), First: pageIRI(1), Previous: pageIRI(2), Last: pageIRI(3), TotalItems: 5, ItemsPerPage: 2}},
		{4, 2, nil, opendata.Page{IRI: pageIRI(4), First: pageIRI(1), Previous: pageIRI(3), Last: pageIRI(3), TotalItems: 5, ItemsPerPage: 2}},
		{1, 10, []string{"ds-00000", "ds-00001", "ds-00002", "ds-00003", "ds-00004"}, opendata.Page{IRI: pageIRI(1), First: pageIRI(1), Last: pageIRI(1), TotalItems: 5, ItemsPerPage: 10}},
		{1 << 62, 1 << 62, nil, opendata.Page{IRI: pageIRI(1 << 62), First: pageIRI(1), Previous: pageIRI(1), Last: pageIRI(1), TotalItems: 5, ItemsPerPage: 1 << 62}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("page %d of %d", tt.page, tt.size), func(t *testing.T) {
			got, p, err := opendata.Paginate(c, tt.page, tt.size, pageIRI)
			require.NoError(t, err)
			assert.Equal(t, tt.want, p)
			var ids []string
			for _, d := range got.Datasets {
				ids = append(ids, d.Identifier)
			}
			assert.Equal(t, tt.ids, ids)
			assert.Len(t, c.Datasets, 5, "the catalogue is not changed")
			assert.Equal(t, c.Series, got.Series)
		})
	}
	for _, bad := range [][2]int{{0, 2}, {1, 0}, {-1, -1}} {
		_, _, err := opendata.Paginate(c, bad[0], bad[1], pageIRI)
		assert.ErrorIs(t, err, opendata.ErrInvalid)
	}
	_, _, err := opendata.Paginate(c, 1, 1, nil)
	var ve *civickit.ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, "page_iri", ve.Fields[0].Path)
}

func TestPagedWriters(t *testing.T) {
	c := fullCatalog(5)
	page, p, err := opendata.Paginate(c, 2, 2, pageIRI)
	require.NoError(t, err)

	var ttl bytes.Buffer
	require.NoError(t, opendata.WritePagedTurtle(&ttl, page, p))
	out := ttl.String()
	for _, want := range []string{
		"<" + pageIRI(2) + ">\n    a hydra:PartialCollectionView, hydra:PagedCollection ;",
		"hydra:next <" + pageIRI(3) + ">",
		"hydra:nextPage <" + pageIRI(3) + ">",
		"hydra:previous <" + pageIRI(1) + ">",
		"hydra:first <" + pageIRI(1) + ">",
		"hydra:lastPage <" + pageIRI(3) + ">",
		`hydra:totalItems "5"^^xsd:integer`,
		`hydra:itemsPerPage "2"^^xsd:integer`,
	} {
		assert.Contains(t, out, want)
	}
	// The service lists the datasets of this page only.
	assert.Contains(t, out, "dcat:servesDataset <"+base+"/dataset/ds-00002>, <"+base+"/dataset/ds-00003> ;")
	assert.NotContains(t, out, "Dataset ds-00000")

	// A dataset of another page that a dataset of this page links to gets a
	// stub with its identifier, title and description.
	page2, p2, err := opendata.Paginate(c, 2, 1, pageIRI)
	require.NoError(t, err)
	ttl.Reset()
	require.NoError(t, opendata.WritePagedTurtle(&ttl, page2, p2))
	assert.Contains(t, ttl.String(), "<"+base+"/dataset/ds-00000>\n    a dcat:Dataset ;\n    dct:identifier \"ds-00000\" ;\n    dct:title \"Dataset ds-00000\"@en, \"Jeu ds-00000\"@fr ;")
	assert.NotContains(t, ttl.String(), "ds-00000#distribution-1", "only a stub")

	var ld bytes.Buffer
	require.NoError(t, opendata.WritePagedJSONLD(&ld, page, p))
	doc := jsonldDoc{}
	require.NoError(t, json.Unmarshal(ld.Bytes(), &doc))
	nodes := nodeByID(doc)
	hp := nodes[pageIRI(2)]
	require.NotNil(t, hp)
	assert.Equal(t, []any{map[string]any{"@id": pageIRI(3)}}, hp["hydra:next"])
	cat := nodes[c.IRI]
	assert.Len(t, cat["dcat:dataset"], 3, "two datasets of the page and the series")
}
