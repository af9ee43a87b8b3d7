package httpapi_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/opendata/opendatatest"
	"github.com/civickit/civickit/reference-server/httpapi"
)

// data.gov.uk's JSON schemas for CKAN's package_show and package_search
// answers (alphagov/ckan-functional-tests, kept in
// testdata/ckan/datagovuk with their source and licence), loaded the way
// that suite loads them: each $ref names a schema of the directory, and
// formats are asserted with its two adjustments (a date-time may lack its
// "Z"; uuid is checked).
func dataGovUKSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	const base = "http://github.com/alphagov/ckan-functional-tests/api/"
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	c.AssertFormat()
	uuidRe := regexp.MustCompile(`^(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	c.RegisterFormat(&jsonschema.Format{Name: "uuid", Validate: func(v any) error {
		if s, ok := v.(string); ok && !uuidRe.MatchString(s) {
			return errors.New("not a uuid")
		}
		return nil
	}})
	c.RegisterFormat(&jsonschema.Format{Name: "date-time", Validate: func(v any) error {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		for _, cand := range []string{s, s + "Z"} {
			if _, err := time.Parse(time.RFC3339Nano, cand); err == nil {
				return nil
			}
		}
		return errors.New("not a date-time")
	}})
	files, err := filepath.Glob("testdata/ckan/datagovuk/*.schema.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		require.NoError(t, err, f)
		require.NoError(t, c.AddResource(base+strings.TrimSuffix(filepath.Base(f), ".schema.json"), doc))
	}
	out := map[string]*jsonschema.Schema{}
	for _, name := range []string{"package_show", "package_search"} {
		s, err := c.Compile(base + name)
		require.NoError(t, err, name)
		out[name] = s
	}
	return out
}

// schemaErrors returns the leaf errors of validating body, one line each.
func schemaErrors(t *testing.T, s *jsonschema.Schema, body []byte) []string {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	require.NoError(t, err)
	err = s.Validate(inst)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	require.ErrorAs(t, err, &ve)
	var out []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			out = append(out, "/"+strings.Join(e.InstanceLocation, "/")+": "+strings.TrimPrefix(fmt.Sprintf("%T %v", e.ErrorKind, e.ErrorKind), "*kind."))
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return out
}

// The served package_show of every dataset and package_search pages pass
// data.gov.uk's schemas.
func TestCKANAnswersPassDataGovUKSchemas(t *testing.T) {
	schemas := dataGovUKSchemas(t)
	_, svc, ds := newOpenDataServer(t, 40)
	// data.gov.uk refuses author and maintainer keys: the portal says so.
	srv := httptest.NewServer(httpapi.NewOpenData(httpapi.OpenData{
		Service: svc, CKANNoContactKeys: true,
		Catalog: opendata.Catalog{IRI: "https://data.example.org/catalog", Title: opendata.Text{"fr": "C"}, Description: opendata.Text{"fr": "C"}, Publisher: &opendatatest.Publishers[0]},
	}, nil))
	t.Cleanup(srv.Close)
	get := func(u string) []byte {
		t.Helper()
		resp, err := http.Get(srv.URL + u)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode, u)
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return b
	}
	count := map[string]int{}
	var all []string
	owners := map[string]bool{}
	for _, d := range ds {
		b := get("/api/3/action/package_show?id=" + url.QueryEscape(d.ID.String()))
		errs := schemaErrors(t, schemas["package_show"], b)
		count["package_show"] += len(errs)
		all = append(all, errs...)
		var env struct {
			Result struct {
				OwnerOrg string `json:"owner_org"`
			} `json:"result"`
		}
		require.NoError(t, json.Unmarshal(b, &env))
		owners[env.Result.OwnerOrg] = true
	}
	// Every owner_org answers organization_show (ckanext-harvest asks).
	for o := range owners {
		get("/api/3/action/organization_show?id=" + url.QueryEscape(o))
	}
	for _, q := range []string{"rows=1000", "rows=10&start=10&sort=id+asc", "facet.field=tags&facet.field=organization&facet.field=res_format", "q=budget&rows=5"} {
		errs := schemaErrors(t, schemas["package_search"], get("/api/3/action/package_search?"+q))
		count["package_search"] += len(errs)
		all = append(all, errs...)
	}
	if len(all) > 0 {
		sort.Strings(all)
		seen := map[string]int{}
		var uniq []string
		for _, e := range all {
			// Group by the error with array indexes erased.
			k := regexp.MustCompile(`/\d+`).ReplaceAllString(e, "/*")
			if seen[k]++; seen[k] == 1 {
				uniq = append(uniq, k)
			}
		}
		for _, k := range uniq {
			t.Errorf("%4d × %s", seen[k], k)
		}
	}
	t.Logf("data.gov.uk schemas: %d errors on package_show (%d datasets), %d on package_search (4 queries)", count["package_show"], len(ds), count["package_search"])
}
