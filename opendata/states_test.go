package opendata_test

import (
	"bytes"
	"context"
	"fmt"
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

// A portal drops a dataset: the next full harvest withdraws it (kept,
// out of every feed), and when the portal lists it again it does not
// come back.
func TestHarvestWithdrawsDroppedDatasets(t *testing.T) {
	svc, err := opendata.NewService(storage.NewDatasetStore(storagetest.Open(t, storage.SQLite)), opendata.Options{})
	require.NoError(t, err)
	all := []string{"a", "b", "c"}
	pages := map[string]string{"https://portal.example.org/catalog.ttl?page=1": udataPage(1, 1, all, all...)}
	h := opendata.NewHarvester(opendata.HarvesterOptions{Fetch: pagesFetch(pages), Source: "portal", WithdrawDropped: true})
	start := "https://portal.example.org/catalog.ttl?page=1"
	rep, err := h.Harvest(t.Context(), start, svc)
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Created)
	assert.Zero(t, rep.Withdrawn)

	// "b" disappears from the source.
	pages[start] = udataPage(1, 1, []string{"a", "c"}, "a", "c")
	rep, err = h.Harvest(t.Context(), start, svc)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Withdrawn)
	b, err := svc.GetDatasetByIdentifier(t.Context(), "b")
	require.NoError(t, err, "withdrawn, never deleted")
	assert.Equal(t, opendata.StateWithdrawn, b.State)
	_, err = svc.FindDataset(t.Context(), "b")
	assert.ErrorIs(t, err, opendata.ErrNotFound, "out of the public answers")
	res, err := svc.PackageSearch(t.Context(), opendata.PackageSearchParams{}, opendata.CKANOptions{})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Count)
	names, err := svc.PackageList(t.Context(), 0, 0)
	require.NoError(t, err)
	assert.NotContains(t, names, "b")

	// "b" comes back in the source: it stays withdrawn.
	pages[start] = udataPage(1, 1, all, all...)
	rep, err = h.Harvest(t.Context(), start, svc)
	require.NoError(t, err)
	var status opendata.HarvestStatus
	var reason string
	for _, hd := range rep.Datasets {
		if hd.Identifier == "b" {
			status, reason = hd.Status, hd.Reason
		}
	}
	assert.Equal(t, opendata.HarvestSkipped, status)
	assert.Contains(t, reason, "withdrawn")
	b, err = svc.GetDatasetByIdentifier(t.Context(), "b")
	require.NoError(t, err)
	assert.Equal(t, opendata.StateWithdrawn, b.State)

	// An incomplete harvest (a page fails) withdraws nothing.
	pages[start] = udataPage(1, 2, []string{"a"}, "a")
	_, err = h.Harvest(t.Context(), start, svc)
	require.Error(t, err)
	c, err := svc.GetDatasetByIdentifier(t.Context(), "c")
	require.NoError(t, err)
	assert.Equal(t, opendata.DatasetState(""), c.State)
	_ = context.Background
	_ = fmt.Sprint
}

func TestDraftsStayOutOfFeeds(t *testing.T) {
	svc, all := ckanStore(t, 4)
	d := all[1]
	d.State = opendata.StateDraft
	_, err := svc.UpdateDataset(t.Context(), d)
	require.NoError(t, err)
	res, err := svc.PackageSearch(t.Context(), opendata.PackageSearchParams{}, opendata.CKANOptions{})
	require.NoError(t, err)
	assert.Equal(t, 3, res.Count)
	_, err = svc.PackageShow(t.Context(), d.Identifier, opendata.CKANOptions{})
	assert.ErrorIs(t, err, opendata.ErrNotFound)
	// An upsert without a state keeps the draft a draft.
	d2 := d
	d2.State, d2.Version = "", "9"
	_, err = svc.UpsertDataset(t.Context(), &d2)
	require.NoError(t, err)
	assert.Equal(t, opendata.StateDraft, d2.State)
	w, err := svc.WithdrawDataset(t.Context(), all[2].ID)
	require.NoError(t, err)
	assert.Equal(t, opendata.StateWithdrawn, w.State)
	_, err = svc.SearchDatasets(t.Context(), opendata.SearchQuery{States: []opendata.DatasetState{"gone"}})
	assert.ErrorIs(t, err, opendata.ErrInvalid)
}

func TestFutureDatesRefused(t *testing.T) {
	svc, all := ckanStore(t, 2)
	d := all[0]
	d.Modified = time.Now().AddDate(1, 0, 0)
	_, err := svc.UpdateDataset(t.Context(), d)
	var ve *civickit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "modified", ve.Fields[0].Path)
	assert.False(t, d.Validate().OK(), "Validate reports it too")
	d.Modified = time.Now() // within the tolerance
	_, err = svc.UpdateDataset(t.Context(), d)
	assert.NoError(t, err)
}

// A contact of no stated kind is written vcard:Kind only, not claimed an
// organisation; one that says vcard:Organization keeps it.
func TestContactKindWrittenAsGiven(t *testing.T) {
	for _, c := range []struct {
		kind opendata.ContactKind
		org  bool
	}{{"", false}, {opendata.ContactOrganization, true}} {
		d := opendatatest.RichDataset(opendatatest.NewID(opendatatest.NewRand(3)), "contact")
		d.ContactPoints = []opendata.Contact{{Kind: c.kind, Name: "Accueil", Email: "accueil@example.org"}}
		var buf bytes.Buffer
		require.NoError(t, opendata.WriteDatasetTurtle(&buf, &d))
		assert.Equal(t, c.org, strings.Contains(buf.String(), "vcard:Organization"), "kind %q", c.kind)
		res, err := opendata.ReadTurtle(&buf, opendata.ReadOptions{})
		require.NoError(t, err)
		assert.Equal(t, c.kind, res.Catalog.Datasets[0].ContactPoints[0].Kind)
	}
}

// udata writes dct:license on the dataset: kept, even with no
// distribution, written back, and used by CKAN and data.json.
func TestDatasetLevelLicenceKept(t *testing.T) {
	doc := `@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://portal.example/d/1> a dcat:Dataset ; dct:identifier "d1" ; dct:title "Un"@fr ; dct:description "d"@fr ;
  dct:license <https://www.etalab.gouv.fr/licence-ouverte-open-licence/> .`
	res, err := opendata.ReadTurtle(strings.NewReader(doc), opendata.ReadOptions{})
	require.NoError(t, err)
	d := res.Catalog.Datasets[0]
	assert.Equal(t, opendata.LicenseEtalab20, d.License.IRI)
	assert.Empty(t, d.Distributions)
	var buf bytes.Buffer
	require.NoError(t, opendata.WriteDatasetRDFXML(&buf, d))
	back, err := opendata.ReadRDFXML(&buf, opendata.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, d.License.IRI, back.Catalog.Datasets[0].License.IRI)
	pkg := opendata.PackageFromDataset(d, opendata.CKANOptions{})
	assert.Equal(t, "etalab-2.0", pkg.LicenseID)
	buf.Reset()
	require.NoError(t, opendata.WriteDataJSON(&buf, &opendata.Catalog{Datasets: []*opendata.Dataset{d}}, opendata.DataJSONOptions{}))
	assert.Contains(t, buf.String(), `"license": "`+opendata.LicenseEtalab20)
}
