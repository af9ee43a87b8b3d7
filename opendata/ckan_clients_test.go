package opendata_test

import (
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/opendata/opendatatest"
)

// What real CKAN clients send, read from their sources (facts only):
//   - ckanext-harvest's CKANHarvester (ckan/ckanext-harvest,
//     ckanext/harvest/harvesters/ckanharvester.py, _search_for_datasets):
//     rows=100, start=0,100,..., sort="id asc", and for an incremental
//     harvest fq="metadata_modified:[<isoformat>Z TO *]" where isoformat
//     carries microseconds; it pages until a page comes back empty.
//   - udata-ckan (opendatateam/udata-ckan, udata_ckan/harvesters.py):
//     package_list, then package_show?id=<name> for each name; with
//     filters, package_search?q=organization:x AND tags:y&rows=1000.

func TestParseCKANQueryRanges(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		return tm
	}
	cases := []struct {
		fq       string
		modified opendata.TimeRange
		created  opendata.TimeRange
		filters  int
	}{
		{"metadata_modified:[2020-01-01T00:00:00Z TO *]", opendata.TimeRange{From: at("2020-01-01T00:00:00Z")}, opendata.TimeRange{}, 0},
		// ckanext-harvest: datetime.isoformat() with microseconds, then Z.
		{"metadata_modified:[2026-12-07T18:05:15.123456Z TO *]", opendata.TimeRange{From: at("2026-12-07T18:05:15.123456Z")}, opendata.TimeRange{}, 0},
		// with its organisation filter
		{"organization:ville-de-lyon OR organization:paris metadata_modified:[2026-12-07T18:05:15Z TO *]",
			opendata.TimeRange{From: at("2026-12-07T18:05:15Z")}, opendata.TimeRange{}, 1},
		{"metadata_created:[* TO 2021-06-30]", opendata.TimeRange{}, opendata.TimeRange{To: at("2021-06-30T00:00:00Z")}, 0},
		{"metadata_modified:{2020-01-01T00:00:00Z TO 2021-01-01T00:00:00Z}",
			opendata.TimeRange{From: at("2020-01-01T00:00:00.000001Z"), To: at("2020-12-31T23:59:59.999999Z")}, opendata.TimeRange{}, 0},
		// CKAN's own timestamps carry no zone: UTC.
		{"metadata_modified:[2020-01-01T10:00:00.5 TO *]", opendata.TimeRange{From: at("2020-01-01T10:00:00.5Z")}, opendata.TimeRange{}, 0},
	}
	for _, c := range cases {
		q, err := opendata.ParseCKANQuery("", c.fq)
		require.NoError(t, err, c.fq)
		assert.True(t, c.modified.From.Equal(q.Modified.From) && c.modified.To.Equal(q.Modified.To), "%s: modified %+v", c.fq, q.Modified)
		assert.True(t, c.created.From.Equal(q.Created.From) && c.created.To.Equal(q.Created.To), "%s: created %+v", c.fq, q.Created)
		assert.Len(t, q.Filters, c.filters, c.fq)
	}
	for _, bad := range []string{
		"metadata_modified:2020-01-01", "metadata_modified:[2020 TO]", "metadata_modified:[yesterday TO *]",
		"metadata_modified:[2020-01-01T00:00:00Z TO *", "-metadata_modified:[* TO *]",
		"metadata_modified:[2021-01-01 TO 2020-01-01]", "tags:a OR metadata_modified:[* TO *]",
	} {
		_, err := opendata.ParseCKANQuery("", bad)
		assert.ErrorIs(t, err, opendata.ErrInvalid, bad)
	}
}

func TestPackageSearchParamsAsCKANReadsThem(t *testing.T) {
	// Repeated keys are lists; a JSON list in one key too.
	v, err := url.ParseQuery("facet.field=organization&facet.field=tags&facet.field=%5B%22res_format%22%5D&fq=tags:a&fq=organization:b&rows=1001&sort=id+asc")
	require.NoError(t, err)
	p, err := opendata.ParsePackageSearchParams(v)
	require.NoError(t, err)
	assert.Equal(t, []string{"organization", "tags", "res_format"}, p.FacetFields)
	q, err := p.Query()
	require.NoError(t, err)
	assert.Equal(t, opendata.MaxSearchLimit, q.Limit, "rows above 1000 are cut to 1000, as CKAN does")
	assert.Len(t, q.Filters, 2, "two fq are ANDed")
	assert.Equal(t, opendata.SortCreatedAsc, q.Sort, "id asc: a stable order")

	// POST JSON = GET query.
	body := `{"facet.field":["organization","tags","res_format"],"fq":["tags:a","organization:b"],"rows":1001,"sort":"id asc","include_private":true,"q":null}`
	var pb opendata.PackageSearchParams
	require.NoError(t, json.Unmarshal([]byte(body), &pb))
	qb, err := pb.Query()
	require.NoError(t, err)
	assert.Equal(t, q, qb)

	for _, sort := range []string{"id asc", "id desc", "metadata_modified desc", "score desc", "score desc, metadata_modified desc", "name asc"} {
		_, err := opendata.PackageSearchParams{Sort: sort}.Query()
		assert.NoError(t, err, sort)
	}
}

// ckanName is what CKAN accepts as a name.
var ckanName = regexp.MustCompile(`^[a-z0-9_-]{2,100}$`)

func TestPackageNamesResolve(t *testing.T) {
	st, all := ckanStore(t, 6)
	// Identifiers that are not CKAN names: URLs, capitals, accents, long.
	odd := []string{
		"https://data.example.org/datasets/Budget-2025",
		"https://www.data.gouv.fr/fr/datasets/5e7e104ace2080d9162b61d8/",
		"ABC-123",
		"qualité de l'air",
		"x",
		string(make([]byte, 0)) + "a-very-long-identifier-" + string(slices.Repeat([]byte("0123456789"), 12)),
		"https://example.org/",
	}
	svc := st
	var ds []*opendata.Dataset
	for i, id := range odd {
		d := opendatatest.NewDataset(opendatatest.NewRand(uint64(100+i)), 1000+i)
		d.Identifier, d.IRI = id, ""
		got, err := svc.CreateDataset(t.Context(), d)
		require.NoError(t, err, id)
		ds = append(ds, got)
	}
	for i := range all {
		ds = append(ds, &all[i])
	}
	seen := map[string]bool{}
	for _, d := range ds {
		name := opendata.PackageName(d)
		assert.Regexp(t, ckanName, name, d.Identifier)
		assert.False(t, seen[name], "name %q handed out twice", name)
		seen[name] = true
		assert.Equal(t, name, opendata.PackageName(d), "stable")
		for _, id := range []string{name, d.ID.String(), d.Identifier} {
			pkg, err := svc.PackageShow(t.Context(), id, opendata.CKANOptions{})
			if assert.NoError(t, err, "package_show id=%q (identifier %q)", id, d.Identifier) {
				assert.Equal(t, d.ID.String(), pkg.ID)
				assert.Equal(t, name, pkg.Name)
			}
		}
	}
	assert.Equal(t, "budget-2025-"+hexID(ds[0].ID), opendata.PackageName(ds[0]))
	// A name with another dataset's ID suffix does not resolve.
	_, err := svc.PackageShow(t.Context(), "budget-2025-"+hexID(ds[1].ID), opendata.CKANOptions{})
	assert.ErrorIs(t, err, opendata.ErrNotFound)

	// package_list hands out exactly these names, sorted.
	names, err := svc.PackageList(t.Context(), 0, 0)
	require.NoError(t, err)
	assert.Len(t, names, len(ds))
	assert.True(t, slices.IsSorted(names))
	for _, n := range names {
		assert.True(t, seen[n], n)
	}
	page, err := svc.PackageList(t.Context(), 3, 2)
	require.NoError(t, err)
	assert.Equal(t, names[2:5], page)
}

func hexID(u uuid.UUID) string {
	b, _ := u.MarshalText()
	out := make([]byte, 0, 32)
	for _, c := range b {
		if c != '-' {
			out = append(out, c)
		}
	}
	return string(out)
}

func TestPackageShapesForClientSchemas(t *testing.T) {
	st, all := ckanStore(t, 30)
	res, err := st.PackageSearch(t.Context(), opendata.PackageSearchParams{Rows: ptr(100)}, opendata.CKANOptions{})
	require.NoError(t, err)
	require.Len(t, res.Results, len(all))
	created := map[string]time.Time{}
	for i := range all {
		k := opendata.PublisherKey(all[i].Publisher)
		if c, ok := created[k]; k != "" && (!ok || all[i].CreatedAt.Before(c)) {
			created[k] = all[i].CreatedAt
		}
	}
	for _, p := range res.Results {
		_, err := uuid.Parse(p.ID)
		assert.NoError(t, err)
		for _, tag := range p.Tags {
			_, err := uuid.Parse(tag.ID)
			assert.NoError(t, err, "tags[].id is a UUID")
		}
		for _, r := range p.Resources {
			assert.Contains(t, []string{"file", "api"}, r.ResourceType)
			assert.NotEmpty(t, r.Created, "udata requires resources[].created")
			if r.LastModified != nil {
				assert.NotEmpty(t, *r.LastModified)
			}
			_, err := uuid.Parse(r.ID)
			assert.NoError(t, err)
		}
		if o := p.Organization; o != nil {
			_, err := uuid.Parse(o.ID)
			assert.NoError(t, err, "organisation ids are UUIDs")
			assert.Equal(t, o.ID, p.OwnerOrg)
			assert.Equal(t, created[o.Name].UTC().Format("2006-01-02T15:04:05.000000"), o.Created, "its first dataset's creation")
		}
	}
	// organization_show by name and by id; tag_list; license_list.
	orgs, err := st.OrganizationList(t.Context(), opendata.OrganizationListParams{}, opendata.CKANOptions{})
	require.NoError(t, err)
	name := orgs.([]string)[0]
	byName, err := st.OrganizationShow(t.Context(), name, opendata.CKANOptions{})
	require.NoError(t, err)
	byID, err := st.OrganizationShow(t.Context(), byName.ID, opendata.CKANOptions{})
	require.NoError(t, err)
	assert.Equal(t, byName, byID)
	assert.Equal(t, opendata.CKANOrganizationID(name), byName.ID)
	_, err = st.OrganizationShow(t.Context(), "nobody", opendata.CKANOptions{})
	assert.ErrorIs(t, err, opendata.ErrNotFound)

	tags, err := st.TagList(t.Context())
	require.NoError(t, err)
	assert.True(t, slices.IsSorted(tags))
	for i := range all {
		for _, ws := range all[i].Keywords {
			for _, w := range ws {
				assert.Contains(t, tags, w)
			}
		}
	}
	lic := opendata.LicenseList(opendata.CKANOptions{})
	assert.True(t, slices.ContainsFunc(lic, func(l opendata.CKANLicense) bool { return l.ID == "etalab-2.0" }))
}

func TestPackageSearchIncremental(t *testing.T) {
	st, all := ckanStore(t, 60)
	since := all[20].UpdatedAt
	fq := "metadata_modified:[" + since.UTC().Format("2006-01-02T15:04:05.000000") + "Z TO *]"
	var want []string
	for i := range all {
		if !all[i].UpdatedAt.Before(since) {
			want = append(want, all[i].ID.String())
		}
	}
	// ckanext-harvest's loop: rows=100 by start until an empty page.
	var got []string
	for start := 0; ; start += 7 {
		res, err := st.PackageSearch(t.Context(), opendata.PackageSearchParams{FQ: fq, Sort: "id asc", Rows: ptr(7), Start: ptr(start)}, opendata.CKANOptions{})
		require.NoError(t, err)
		assert.Equal(t, len(want), res.Count)
		if len(res.Results) == 0 {
			break
		}
		for _, p := range res.Results {
			got = append(got, p.ID)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	assert.Equal(t, want, got)
}
