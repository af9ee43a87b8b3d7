package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/uuid"

	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/storage"
)

// apiBase is where the portal answers CKAN's Action API.
const apiBase = baseURL + "/api"

// openStore opens (and migrates) an SQLite database at path and returns
// the catalogue service over its dataset store. IDs are derived from a
// counter and the clock is fixed, so that the CKAN files are the same on
// every run.
func openStore(ctx context.Context, path string) (*storage.DB, *opendata.Service, error) {
	db, err := storage.Open(ctx, storage.Config{DSN: "sqlite:" + path, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, nil, err
	}
	n := 0
	svc, err := opendata.NewService(storage.NewDatasetStore(db), opendata.Options{
		Now: publishedAt,
		NewID: func() uuid.UUID {
			n++
			return uuid.NewSHA1(uuid.NameSpaceURL, fmt.Appendf(nil, "%s/%s#%d", baseURL, filepath.Base(path), n))
		},
	})
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, svc, nil
}

// storeCatalog upserts every dataset of c into st (the published ones
// are there already: upserting them again writes nothing).
func storeCatalog(ctx context.Context, st *opendata.Service, c *opendata.Catalog) error {
	for _, d := range c.Datasets {
		cp := *d // the service writes back ID, revision and times
		if _, err := st.UpsertDataset(ctx, &cp); err != nil {
			return fmt.Errorf("store %s: %w", d.Identifier, err)
		}
	}
	return nil
}

// searchFacets runs a faceted search over the whole store and prints the
// counts.
func searchFacets(ctx context.Context, st *opendata.Service, log io.Writer) error {
	res, err := st.SearchDatasets(ctx, opendata.SearchQuery{Facets: opendata.AllFacets(), Sort: opendata.SortTitle})
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "search: %d datasets\n", res.Total)
	for _, f := range opendata.AllFacets() {
		var parts []string
		for _, c := range res.Facets[f] {
			parts = append(parts, fmt.Sprintf("%s=%d", c.Value, c.Count))
		}
		fmt.Fprintf(log, "  facet %s: %s\n", f, strings.Join(parts, ", "))
	}
	return nil
}

// packageSearch is the package_search call the example answers: the
// datasets about votes, with CKAN's facets.
func packageSearch() opendata.PackageSearchParams {
	rows := 20
	return opendata.PackageSearchParams{
		Q:           "vote",
		FQ:          "res_format:CSV",
		Sort:        "title_string asc",
		Rows:        &rows,
		FacetFields: []string{"organization", "groups", "tags", "res_format", "license_id"},
	}
}

// writeCKAN writes the answers to package_search, package_show and
// organization_list, in CKAN's envelope, into dir/ckan.
func writeCKAN(ctx context.Context, dir string, st *opendata.Service, showID string, log io.Writer) error {
	opts := opendata.CKANOptions{Language: "fr"}
	search, err := st.PackageSearch(ctx, packageSearch(), opts)
	if err != nil {
		return fmt.Errorf("package_search: %w", err)
	}
	show, err := st.PackageShow(ctx, showID, opts)
	if err != nil {
		return fmt.Errorf("package_show: %w", err)
	}
	orgs, err := st.OrganizationList(ctx, opendata.OrganizationListParams{AllFields: true}, opts)
	if err != nil {
		return fmt.Errorf("organization_list: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "ckan"), 0o755); err != nil {
		return err
	}
	for _, f := range []struct {
		action string
		result any
	}{
		{opendata.ActionPackageSearch, search},
		{opendata.ActionPackageShow, show},
		{opendata.ActionOrganizationList, orgs},
	} {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(opendata.CKANResult(apiBase, f.action, f.result)); err != nil {
			return fmt.Errorf("%s: %w", f.action, err)
		}
		if err := writeFile(dir, filepath.Join("ckan", f.action+".json"), buf.Bytes(), log); err != nil {
			return err
		}
	}
	fmt.Fprintf(log, "package_search q=vote: %d results\n", search.Count)
	return nil
}

// writeFile writes data to dir/name and logs it.
func writeFile(dir, name string, data []byte, log io.Writer) error {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(log, "wrote %s (%d bytes)\n", p, len(data))
	return nil
}
