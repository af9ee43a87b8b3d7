package opendata_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/opendata/opendatatest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

func TestParseCKANQuery(t *testing.T) {
	theme := func(code string) string { return opendata.SchemeDataTheme + "/" + code }
	ft := func(code string) string { return opendata.SchemeFileType + "/" + code }
	f := func(facet opendata.Facet, exclude bool, vs ...string) opendata.Filter {
		return opendata.Filter{Facet: facet, Values: vs, Exclude: exclude}
	}
	cases := []struct {
		name, q, fq string
		text        string
		filters     []opendata.Filter
	}{
		{"empty", "", "", "", nil},
		{"match all", "*:*", "", "", nil},
		{"words", "qualité de l'air", "", "qualite de l air", nil},
		{"phrase", `"budget primitif" 2025`, "", "budget primitif 2025", nil},
		{"text field", "text:vélo title:lyon", "", "velo lyon", nil},
		{"tag", "", "tags:economy", "", []opendata.Filter{f(opendata.FacetKeyword, false, "economy")}},
		{"quoted tag", "", `tags:"qualité de l'air"`, "", []opendata.Filter{f(opendata.FacetKeyword, false, "qualité de l'air")}},
		{"escaped", "", `tags:qualité\ de\ l\'air`, "", []opendata.Filter{f(opendata.FacetKeyword, false, "qualité de l'air")}},
		{"escaped quote", "", `tags:"a \"b\""`, "", []opendata.Filter{f(opendata.FacetKeyword, false, `a "b"`)}},
		{"and", "", "organization:ville-de-lyon AND res_format:CSV", "",
			[]opendata.Filter{f(opendata.FacetPublisher, false, "ville-de-lyon"), f(opendata.FacetFormat, false, ft("CSV"))}},
		{"implicit and", "", "+organization:ville-de-lyon res_format:csv", "",
			[]opendata.Filter{f(opendata.FacetPublisher, false, "ville-de-lyon"), f(opendata.FacetFormat, false, ft("CSV"))}},
		{"group", "", `res_format:(CSV OR "GeoJSON" OR json)`, "",
			[]opendata.Filter{f(opendata.FacetFormat, false, ft("CSV"), ft("GEOJSON"), ft("JSON"))}},
		{"or clauses", "", "tags:a OR tags:b", "", []opendata.Filter{f(opendata.FacetKeyword, false, "a", "b")}},
		{"negated", "", "-organization:x NOT tags:y !license_id:cc-by-4.0", "",
			[]opendata.Filter{f(opendata.FacetPublisher, true, "x"), f(opendata.FacetKeyword, true, "y"), f(opendata.FacetLicense, true, opendata.LicenseCCBY40)}},
		{"licence ids", "", "license_id:etalab-2.0 license_id:https://example.org/l", "",
			[]opendata.Filter{f(opendata.FacetLicense, false, opendata.LicenseEtalab20), f(opendata.FacetLicense, false, "https://example.org/l")}},
		{"groups", "", "groups:gove theme:" + strings.ReplaceAll(theme("TRAN"), ":", `\:`), "",
			[]opendata.Filter{f(opendata.FacetTheme, false, theme("GOVE")), f(opendata.FacetTheme, false, theme("TRAN"))}},
		{"quoted IRI", "", `theme:"` + theme("ENVI") + `"`, "", []opendata.Filter{f(opendata.FacetTheme, false, theme("ENVI"))}},
		{"q and fq", "budget tags:finances", "organization:paris", "budget",
			[]opendata.Filter{f(opendata.FacetKeyword, false, "finances"), f(opendata.FacetPublisher, false, "paris")}},
		{"spaces", "  \t ", " \n ", "", nil},
		{"punctuation only", "- -- ...", "", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := opendata.ParseCKANQuery(c.q, c.fq)
			require.NoError(t, err)
			assert.Equal(t, c.text, strings.Join(civickit.Words(q.Text, opendata.MaxTermLen), " "))
			assert.Equal(t, c.filters, q.Filters)
		})
	}
}

func TestParseCKANQueryErrors(t *testing.T) {
	cases := []struct {
		name, q, fq string
		field, rule string
	}{
		{"unknown field", "", "author:jean", "fq", opendata.RuleVocabulary},
		{"unknown field in q", "maintainer_email:x", "", "q", opendata.RuleVocabulary},
		{"unterminated", "", `tags:"abc`, "fq", "syntax"},
		{"unclosed group", "", "tags:(a OR b", "fq", "syntax"},
		{"empty group", "", "tags:()", "fq", "syntax"},
		{"missing value", "", "tags:", "fq", "syntax"},
		{"bare parenthesis", "", "(tags:a)", "fq", "syntax"},
		{"closing parenthesis", "", "tags:a)", "fq", "syntax"},
		{"wildcard", "", "tags:eco*", "fq", "syntax"},
		{"wildcard field", "", "*:x", "fq", "syntax"},
		{"or of two fields", "", "tags:a OR organization:b", "fq", "syntax"},
		{"or of excluded", "", "tags:a OR -tags:b", "fq", "syntax"},
		{"leading or", "", "OR tags:a", "fq", "syntax"},
		{"trailing or", "", "tags:a OR", "fq", "syntax"},
		{"dangling not", "", "tags:a NOT", "fq", "syntax"},
		{"negated text", "-budget", "", "q", "syntax"},
		{"trailing backslash", `budget\`, "", "q", "syntax"},
		{"and in group", "", "tags:(a AND b)", "fq", "syntax"},
		{"not UTF-8", "", "tags:\xff", "fq", "syntax"},
		{"too long", strings.Repeat("a ", 2001), "", "q", "syntax"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := opendata.ParseCKANQuery(c.q, c.fq)
			require.ErrorIs(t, err, opendata.ErrInvalid)
			var ve *civickit.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Len(t, ve.Fields, 1)
			assert.Equal(t, c.field, ve.Fields[0].Path)
			assert.Equal(t, c.rule, ve.Fields[0].Rule)
		})
	}
}

func TestPackageSearchParams(t *testing.T) {
	v := url.Values{}
	v.Set("q", "budget")
	v.Set("fq", "tags:x")
	v.Set("rows", "5")
	v.Set("start", "10")
	v.Set("sort", "metadata_created asc")
	v.Set("facet.field", `["organization","tags"]`)
	v.Set("facet.limit", "-1")
	p, err := opendata.ParsePackageSearchParams(v)
	require.NoError(t, err)
	q, err := p.Query()
	require.NoError(t, err)
	assert.Equal(t, opendata.SearchQuery{
		Text: "budget", Filters: []opendata.Filter{{Facet: opendata.FacetKeyword, Values: []string{"x"}}},
		Sort: opendata.SortCreatedAsc, Limit: 5, Offset: 10,
		Facets: []opendata.Facet{opendata.FacetPublisher, opendata.FacetKeyword}, FacetLimit: opendata.MaxSearchLimit,
	}, q)

	// A POST body: numbers as numbers or strings, facet.field as a list or
	// as JSON in a string.
	for _, body := range []string{
		`{"q":"budget","fq":"tags:x","rows":5,"start":"10","sort":"metadata_created asc","facet.field":["organization","tags"],"facet.limit":-1,"include_private":true}`,
		`{"q":"budget","fq":"tags:x","rows":"5","start":10,"sort":"metadata_created asc","facet.field":"[\"organization\",\"tags\"]","facet.limit":"-1"}`,
	} {
		var pb opendata.PackageSearchParams
		require.NoError(t, json.Unmarshal([]byte(body), &pb), body)
		qb, err := pb.Query()
		require.NoError(t, err)
		assert.Equal(t, q, qb, body)
	}

	sorts := []struct {
		sort string
		want opendata.SortOrder
	}{
		{"", opendata.SortModified},
		{"score desc, metadata_modified desc", opendata.SortModified},
		{"score desc", opendata.SortModified},
		{"metadata_modified asc", opendata.SortModifiedAsc},
		{"metadata_created desc", opendata.SortCreated},
		{"title_string asc", opendata.SortTitle},
		{"title_string desc", opendata.SortTitleDesc},
		{"name asc", opendata.SortIdentifier},
		{"name", opendata.SortIdentifier},
	}
	for _, c := range sorts {
		q, err := opendata.PackageSearchParams{Sort: c.sort}.Query()
		require.NoError(t, err, c.sort)
		assert.Equal(t, c.want, q.Sort, c.sort)
	}

	bad := []struct {
		p      opendata.PackageSearchParams
		fields []string
	}{
		{opendata.PackageSearchParams{Sort: "views_recent desc"}, []string{"sort"}},
		{opendata.PackageSearchParams{Sort: "name desc"}, []string{"sort"}},
		{opendata.PackageSearchParams{Sort: "title sideways"}, []string{"sort"}},
		{opendata.PackageSearchParams{Rows: ptr(-1), Start: ptr(-1)}, []string{"rows", "start"}},
		{opendata.PackageSearchParams{FacetFields: []string{"tags", "author"}}, []string{"facet.field[1]"}},
		{opendata.PackageSearchParams{FQ: "x:y", Sort: "up"}, []string{"fq", "sort"}},
	}
	for _, c := range bad {
		_, err := c.p.Query()
		var ve *civickit.ValidationError
		require.ErrorAs(t, err, &ve, "%v", c.p)
		var fields []string
		for _, f := range ve.Fields {
			fields = append(fields, f.Path)
		}
		assert.Equal(t, c.fields, fields, "%v", c.p)
	}
	_, err = opendata.ParsePackageSearchParams(url.Values{"rows": {"ten"}, "facet.field": {"[tags"}})
	var ve *civickit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Fields, 2)
}

func ptr(n int) *int { return &n }

// ckanStore is a service over a real SQLite store holding n generated
// datasets.
func ckanStore(t *testing.T, n int) (*opendata.Service, []opendata.Dataset) {
	t.Helper()
	st := storage.NewDatasetStore(storagetest.Open(t, storage.SQLite))
	rng := opendatatest.NewRand(7)
	all := make([]opendata.Dataset, n)
	for i := range all {
		all[i] = opendatatest.NewDataset(rng, i)
		c := all[i]
		require.NoError(t, st.CreateDataset(t.Context(), &c))
		all[i].Revision = 1
	}
	svc, err := opendata.NewService(st, opendata.Options{})
	require.NoError(t, err)
	return svc, all
}

func TestPackageSearch(t *testing.T) {
	st, all := ckanStore(t, 120)
	p := opendata.PackageSearchParams{
		Q: "budget", FQ: "res_format:CSV",
		Rows: ptr(1000), FacetFields: []string{"organization", "tags", "res_format", "license_id", "groups"},
	}
	res, err := st.PackageSearch(t.Context(), p, opendata.CKANOptions{Language: "fr"})
	require.NoError(t, err)
	q, err := p.Query()
	require.NoError(t, err)
	var want []*opendata.Dataset
	for i := range all {
		if q.Match(&all[i]) {
			want = append(want, &all[i])
		}
	}
	require.NotEmpty(t, want, "the fixtures must hold budgets with a CSV")
	assert.Equal(t, len(want), res.Count)
	assert.Len(t, res.Results, len(want))
	assert.Equal(t, opendata.DefaultCKANSort, res.Sort)
	for _, pkg := range res.Results {
		assert.Contains(t, strings.ToLower(pkg.Title+" "+pkg.Notes), "budget")
		assert.True(t, slices.ContainsFunc(pkg.Resources, func(r opendata.CKANResource) bool { return r.Format == "CSV" }), pkg.Name)
		assert.Equal(t, "dataset", pkg.Type)
		assert.Equal(t, len(pkg.Resources), pkg.NumResources)
	}
	ref := opendata.CountFacets(want, q.Facets, opendata.DefaultFacetSize)
	assert.Equal(t, len(ref[opendata.FacetPublisher]), len(res.Facets["organization"]))
	for _, c := range ref[opendata.FacetPublisher] {
		assert.Equal(t, c.Count, res.Facets["organization"][c.Value], c.Value)
	}
	assert.Equal(t, len(want), res.Facets["res_format"]["CSV"], "every result has a CSV")
	for _, c := range ref[opendata.FacetLicense] {
		l, ok := opendata.KnownLicense(c.Value)
		require.True(t, ok)
		assert.Equal(t, c.Count, res.Facets["license_id"][l.SPDX])
	}
	for _, c := range ref[opendata.FacetTheme] {
		code := strings.ToLower(strings.TrimPrefix(c.Value, opendata.SchemeDataTheme+"/"))
		assert.Equal(t, c.Count, res.Facets["groups"][code])
	}
	items := res.SearchFacets["groups"].Items
	require.NotEmpty(t, items)
	assert.Equal(t, opendata.Theme(opendata.SchemeDataTheme+"/"+strings.ToUpper(items[0].Name)).Label("fr"), items[0].DisplayName)

	// Paging with rows and start walks the same results, once each.
	var names []string
	for start := 0; start < res.Count; start += 4 {
		page, err := st.PackageSearch(t.Context(), opendata.PackageSearchParams{Q: p.Q, FQ: p.FQ, Rows: ptr(4), Start: ptr(start)}, opendata.CKANOptions{})
		require.NoError(t, err)
		for _, r := range page.Results {
			names = append(names, r.Name)
		}
	}
	var all2 []string
	for _, r := range res.Results {
		all2 = append(all2, r.Name)
	}
	assert.Equal(t, all2, names)

	// rows=0: counts and facets only.
	zero, err := st.PackageSearch(t.Context(), opendata.PackageSearchParams{Rows: ptr(0), FacetFields: []string{"tags"}}, opendata.CKANOptions{})
	require.NoError(t, err)
	assert.Equal(t, len(all), zero.Count)
	assert.Empty(t, zero.Results)
	assert.NotEmpty(t, zero.Facets["tags"])

	_, err = st.PackageSearch(t.Context(), opendata.PackageSearchParams{FQ: `tags:"x`}, opendata.CKANOptions{})
	status, e := opendata.CKANErrorOf(err)
	assert.Equal(t, 409, status)
	assert.Equal(t, opendata.CKANValidation, e.Type)
	assert.Contains(t, e.Fields, "fq")
}

func TestPackageShowAndEnvelope(t *testing.T) {
	st, all := ckanStore(t, 5)
	d := all[2]
	for _, id := range []string{d.ID.String(), d.Identifier, opendata.PackageName(&d)} {
		pkg, err := st.PackageShow(t.Context(), id, opendata.CKANOptions{})
		require.NoError(t, err, id)
		assert.Equal(t, d.ID.String(), pkg.ID)
		assert.Equal(t, d.Title.Get(""), pkg.Title)
		assert.Equal(t, d.CreatedAt.UTC().Format("2006-01-02T15:04:05.000000"), pkg.MetadataCreated)
	}
	_, err := st.PackageShow(t.Context(), "no-such-dataset", opendata.CKANOptions{})
	require.ErrorIs(t, err, opendata.ErrNotFound)
	status, resp := opendata.CKANFailure("https://data.example.org/api/", opendata.ActionPackageShow, err)
	assert.Equal(t, 404, status)
	b, err := json.Marshal(resp)
	require.NoError(t, err)
	assert.JSONEq(t, `{"help":"https://data.example.org/api/3/action/help_show?name=package_show","success":false,
		"error":{"__type":"Not Found Error","message":"Not found"}}`, string(b))

	_, err = st.PackageShow(t.Context(), " ", opendata.CKANOptions{})
	status, resp = opendata.CKANFailure("https://data.example.org/api", opendata.ActionPackageShow, err)
	assert.Equal(t, 409, status)
	b, err = json.Marshal(resp)
	require.NoError(t, err)
	assert.JSONEq(t, `{"help":"https://data.example.org/api/3/action/help_show?name=package_show","success":false,
		"error":{"__type":"Validation Error","id":["mandatory"]}}`, string(b))
	var back opendata.CKANResponse
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, resp.Error, back.Error)

	pkg, err := st.PackageShow(t.Context(), d.Identifier, opendata.CKANOptions{})
	require.NoError(t, err)
	ok := opendata.CKANResult("https://data.example.org/api", opendata.ActionPackageShow, pkg)
	b, err = json.Marshal(ok)
	require.NoError(t, err)
	var generic map[string]any
	require.NoError(t, json.Unmarshal(b, &generic))
	assert.Equal(t, true, generic["success"])
	result := generic["result"].(map[string]any)
	for _, k := range []string{"id", "name", "title", "notes", "metadata_created", "metadata_modified", "resources", "tags", "groups", "extras", "organization", "license_id", "num_resources", "num_tags", "state", "type", "private"} {
		assert.Contains(t, result, k)
	}
}

func TestOrganizationList(t *testing.T) {
	st, all := ckanStore(t, 80)
	counts := map[string]int{}
	for i := range all {
		if k := opendata.PublisherKey(all[i].Publisher); k != "" {
			counts[k]++
		}
	}
	var names []string
	for k := range counts {
		names = append(names, k)
	}
	slices.Sort(names)
	got, err := st.OrganizationList(t.Context(), opendata.OrganizationListParams{}, opendata.CKANOptions{})
	require.NoError(t, err)
	assert.Equal(t, names, got)

	got, err = st.OrganizationList(t.Context(), opendata.OrganizationListParams{Sort: "name desc", Limit: 2, Offset: 1}, opendata.CKANOptions{})
	require.NoError(t, err)
	rev := slices.Clone(names)
	slices.Reverse(rev)
	assert.Equal(t, rev[1:3], got)

	full, err := st.OrganizationList(t.Context(), opendata.OrganizationListParams{AllFields: true, Sort: "package_count desc"}, opendata.CKANOptions{Language: "fr"})
	require.NoError(t, err)
	orgs := full.([]opendata.CKANOrganization)
	require.Len(t, orgs, len(names))
	for i, o := range orgs {
		assert.Equal(t, counts[o.Name], *o.PackageCount, o.Name)
		if i > 0 {
			assert.GreaterOrEqual(t, *orgs[i-1].PackageCount, *o.PackageCount)
		}
		assert.True(t, o.IsOrganization)
		assert.NotEmpty(t, o.Title)
	}

	p, err := opendata.ParseOrganizationListParams(url.Values{"all_fields": {"true"}, "limit": {"3"}, "sort": {"title asc"}})
	require.NoError(t, err)
	assert.Equal(t, opendata.OrganizationListParams{AllFields: true, Limit: 3, Sort: "title asc"}, p)
	_, err = opendata.ParseOrganizationListParams(url.Values{"all_fields": {"maybe"}, "limit": {"-1"}})
	assert.ErrorIs(t, err, opendata.ErrInvalid)
	_, err = st.OrganizationList(t.Context(), opendata.OrganizationListParams{Sort: "colour asc"}, opendata.CKANOptions{})
	assert.ErrorIs(t, err, opendata.ErrInvalid)
}

func TestPackageFromDatasetKeepsPeopleOut(t *testing.T) {
	d := opendatatest.RichDataset(opendatatest.NewID(opendatatest.NewRand(1)), "people")
	d.Publisher = &opendata.Agent{Kind: opendata.AgentPerson, Name: opendata.Text{"": "Jeanne Canary"}, Email: "jeanne.canary@example.net"}
	d.Creators = []opendata.Agent{{Kind: opendata.AgentPerson, Name: opendata.Text{"": "Paul Canary"}, Email: "paul.canary@example.net"}}
	d.ContactPoints = []opendata.Contact{{Kind: opendata.ContactIndividual, Name: "Marie Canary", Email: "marie.canary@example.net", Phone: "+33 6 12 34 56 78",
		Address: opendata.Address{Street: "12 rue des Canaris"}}}
	b, err := json.Marshal(opendata.PackageFromDataset(&d, opendata.CKANOptions{}))
	require.NoError(t, err)
	for _, s := range []string{"Canary", "canary", "12 34 56 78", "Canaris"} {
		assert.NotContains(t, string(b), s)
	}
}

func TestCKANErrorOf(t *testing.T) {
	cases := []struct {
		err    error
		status int
		typ    string
	}{
		{opendata.ErrNotFound, 404, opendata.CKANNotFound},
		{opendata.ErrConflict, 409, opendata.CKANConflict},
		{opendata.ErrInvalid, 409, opendata.CKANValidation},
		{opendata.ErrUnavailable, 503, opendata.CKANUnavailable},
		{assert.AnError, 500, opendata.CKANInternalError},
	}
	for _, c := range cases {
		status, e := opendata.CKANErrorOf(c.err)
		assert.Equal(t, c.status, status, "%v", c.err)
		assert.Equal(t, c.typ, e.Type, "%v", c.err)
		assert.NotContains(t, e.Message, "assert.AnError", "internal messages are not shown")
	}
}
