package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/civickit/civickit/opendata"
)

// fileFetch serves the files written into dir at the URLs the catalogue
// gives them: the hydra pages (catalog.ttl?page=N), catalog.ttl,
// catalog.jsonld and data.json. Any other URL is not found: the harvester
// reads nothing else.
func fileFetch(dir string) opendata.FetchFunc {
	return func(ctx context.Context, raw string) (*opendata.Fetched, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		u, err := url.Parse(raw)
		if err != nil || u.Scheme+"://"+u.Host != baseURL {
			return nil, fmt.Errorf("%s: %w", raw, fs.ErrNotExist)
		}
		var name, media string
		switch u.Path {
		case "/catalog.ttl", "/catalog.jsonld":
			ext := strings.TrimPrefix(filepath.Ext(u.Path), ".")
			name = "catalog." + ext
			if page := u.Query().Get("page"); page != "" {
				n, err := strconv.Atoi(page)
				if err != nil || n < 1 {
					return nil, fmt.Errorf("%s: %w", raw, fs.ErrNotExist)
				}
				name = fmt.Sprintf("pages/catalog-%d.%s", n, ext)
			}
			media = "text/turtle"
			if ext == "jsonld" {
				media = "application/ld+json"
			}
		case "/data.json":
			name, media = "data.json", "application/json"
		default:
			return nil, fmt.Errorf("%s: %w", raw, fs.ErrNotExist)
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			return nil, err
		}
		return &opendata.Fetched{URL: raw, MediaType: media, Body: b}, nil
	}
}

// Harvest sources: the paged Turtle catalogue (its first page leads to
// the others), as a DCAT-AP portal harvests it, and data.json, as data.gov
// does. Both name the same datasets, so each goes into its own store:
// data.json says less than DCAT-AP, and harvesting it into the same store
// would replace the richer copies.
const (
	turtlePages = baseURL + "/catalog.ttl?page=1"
	dataJSON    = baseURL + "/data.json"
)

// harvest reads the written catalogue at src back into target, prints the
// report (its problems only when verbose) and returns it.
func harvest(ctx context.Context, dir, src string, target opendata.HarvestTarget, round int, verbose bool, log io.Writer) (*opendata.HarvestReport, error) {
	h := opendata.NewHarvester(opendata.HarvesterOptions{Fetch: fileFetch(dir), Now: publishedAt})
	rep, err := h.Harvest(ctx, src, target)
	if err != nil {
		return rep, err
	}
	warnings := 0
	for _, p := range rep.Problems {
		if p.Severity == opendata.SeverityWarning {
			warnings++
		}
	}
	fmt.Fprintf(log, "harvest %d of %s: %d pages, created %d, updated %d, skipped %d, problems %d (%d warnings)\n",
		round, src, len(rep.Pages), rep.Created, rep.Updated, len(rep.Skipped()), len(rep.Problems), warnings)
	if verbose {
		for _, p := range rep.Problems {
			fmt.Fprintln(log, "  problem:", p)
		}
	}
	for _, s := range rep.Skipped() {
		fmt.Fprintf(log, "  skipped %s: %v\n", s.Identifier, s.Err)
	}
	return rep, nil
}

// harvestTwice harvests src into a new store at dbPath twice and fails
// if the second harvest creates anything.
func harvestTwice(ctx context.Context, dir, src, dbPath string, log io.Writer) ([2]*opendata.HarvestReport, error) {
	var reps [2]*opendata.HarvestReport
	db, target, err := openStore(ctx, dbPath)
	if err != nil {
		return reps, err
	}
	defer db.Close()
	for round := 1; round <= 2; round++ {
		rep, err := harvest(ctx, dir, src, target, round, round == 1, log)
		if err != nil {
			return reps, err
		}
		reps[round-1] = rep
	}
	if n := reps[1].Created; n > 0 {
		return reps, fmt.Errorf("harvest of %s again created %d datasets: not idempotent", src, n)
	}
	return reps, nil
}
