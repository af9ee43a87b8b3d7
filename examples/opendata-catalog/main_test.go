package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
)

func TestDemoCatalogHasNoViolation(t *testing.T) {
	r := demoCatalog().Validate()
	assert.True(t, r.OK(), "%v", r.Violations())
}

// personalValues are the people's data the program holds: the staff
// contact and the analyst of the catalogue, and the proposers of the
// published rows. None may appear in any file written.
var personalValues = []string{
	"Camille", "camille.exemple", "98 76 54 32", "+33698765432", "Dominique",
	"Jeanne Martin", "jeanne.martin@exemple.net", "Paul Durand", "12 34 56 78", "+33612345678",
	"Léa Bernard", "lea.bernard", "Hugo Petit", "11 22 33 44", "0611223344",
}

// runOnce runs the program into a fresh directory and returns the
// directory and the log.
func runOnce(t *testing.T) (dir, log string) {
	t.Helper()
	dir = t.TempDir()
	var buf bytes.Buffer
	require.NoError(t, run(context.Background(), dir, 2, &buf))
	return dir, buf.String()
}

func TestRunWritesEveryFile(t *testing.T) {
	dir, log := runOnce(t)
	for _, name := range []string{
		"catalog.jsonld", "catalog.ttl", "data.json", "datapackage.json", "schemaorg.jsonld",
		"pages/catalog-1.ttl", "pages/catalog-2.jsonld", "pages/catalog-3.ttl", "pages/catalog-3.jsonld",
		"files/" + voteID + ".csv", "files/" + voteID + ".json",
		"files/" + consultationID + ".csv", "files/" + consultationID + ".json",
		"ckan/package_search.json", "ckan/package_show.json", "ckan/organization_list.json",
	} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err, name)
		assert.NotEmpty(t, b, name)
		switch filepath.Ext(name) {
		case ".json", ".jsonld":
			assert.True(t, json.Valid(b), name)
		case ".ttl":
			_, err := opendata.ReadTurtle(bytes.NewReader(b), opendata.ReadOptions{Base: baseURL + "/" + name})
			assert.NoError(t, err, name)
		case ".csv":
			_, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
			assert.NoError(t, err, name)
		}
	}
	_, err := os.Stat(filepath.Join(dir, "pages", "catalog-4.ttl"))
	assert.True(t, os.IsNotExist(err), "six datasets make three pages of two")
	assert.Contains(t, log, "personal", "the people are reported as warnings")
}

func TestNoPersonalValueInAnyFile(t *testing.T) {
	dir, log := runOnce(t)
	n := 0
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		n++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, v := range personalValues {
			assert.NotContains(t, string(b), v, p)
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, 5+6+4+3, n, "every file written was checked")
	for _, v := range personalValues {
		assert.NotContains(t, log, v, "log")
	}
}

// readCSV returns the rows of a published CSV file keyed by the value of
// its column key.
func readCSV(t *testing.T, path, key string) map[string]map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	out := map[string]map[string]string{}
	for _, r := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = r[i]
		}
		out[row[key]] = row
	}
	return out
}

func TestPublishedResultsSuppressSmallCounts(t *testing.T) {
	dir, _ := runOnce(t)
	cons := readCSV(t, filepath.Join(dir, "files", consultationID+".csv"), "proposition")
	require.Len(t, cons, 4)
	assert.Empty(t, cons["Un composteur de quartier"]["soutiens"], "2 supports < k=5: suppressed")
	assert.Equal(t, "132", cons["Plus de bancs place du Marché"]["soutiens"])
	for _, row := range cons {
		assert.NotContains(t, row, "auteur", "not allow-listed")
	}

	vote := readCSV(t, filepath.Join(dir, "files", voteID+".csv"), "projet")
	require.Len(t, vote, 4)
	assert.Empty(t, vote["Kiosque à musique"]["premiers_choix"], "3 first choices < k=5: suppressed")
	assert.Equal(t, "41", vote["Jardin partagé"]["premiers_choix"])
	// Jardin partagé beats every other project head to head (41+27 of
	// 116 ballots prefer it to the playground, and so on): Schulze elects it.
	assert.Equal(t, "1", vote["Jardin partagé"]["rang"])
	assert.Equal(t, "true", vote["Jardin partagé"]["retenu"])
	assert.Equal(t, "3", vote["Jardin partagé"]["duels_gagnes"])

	var js []map[string]any
	b, err := os.ReadFile(filepath.Join(dir, "files", consultationID+".json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &js))
	require.Len(t, js, 4)
	assert.Nil(t, js[2]["soutiens"], "suppressed: null in JSON")

	// The catalogue describes the files it points to: Licence Ouverte 2.0,
	// the real size and checksum, the column dictionary.
	b, err = os.ReadFile(filepath.Join(dir, "catalog.jsonld"))
	require.NoError(t, err)
	res, err := opendata.ReadJSONLD(context.Background(), bytes.NewReader(b), opendata.ReadOptions{Base: baseURL + "/catalog.jsonld"})
	require.NoError(t, err)
	found := 0
	for _, d := range res.Catalog.Datasets {
		if d.Identifier != voteID && d.Identifier != consultationID {
			continue
		}
		found++
		for _, x := range d.Distributions {
			name := strings.TrimPrefix(x.DownloadURL, baseURL+"/")
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
			require.NoError(t, err, name)
			sum := sha256.Sum256(data)
			require.NotNil(t, x.Checksum, name)
			assert.Equal(t, hex.EncodeToString(sum[:]), x.Checksum.Value, name)
			assert.Equal(t, int64(len(data)), x.ByteSize, name)
			assert.Equal(t, opendata.DefaultLicense().IRI, x.License.IRI, name)
		}
		assert.NotEmpty(t, d.Distributions[0].Columns, d.Identifier)
	}
	assert.Equal(t, 2, found)

	var dp struct {
		Resources []struct {
			Path   any `json:"path"`
			Schema struct {
				Fields []struct {
					Name string `json:"name"`
				} `json:"fields"`
			} `json:"schema"`
		} `json:"resources"`
	}
	b, err = os.ReadFile(filepath.Join(dir, "datapackage.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &dp))
	require.Len(t, dp.Resources, 1, "the vote's CSV only")
	assert.Len(t, dp.Resources[0].Schema.Fields, 5)
}

// envelope is CKAN's response envelope.
type envelope struct {
	Help    string          `json:"help"`
	Success bool            `json:"success"`
	Result  json.RawMessage `json:"result"`
}

func readEnvelope(t *testing.T, path string) envelope {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var e envelope
	require.NoError(t, json.Unmarshal(b, &e))
	assert.True(t, e.Success, path)
	assert.True(t, strings.HasPrefix(e.Help, apiBase+"/3/action/help_show?name="), e.Help)
	return e
}

func TestCKANFiles(t *testing.T) {
	dir, _ := runOnce(t)

	// The expected count comes from the query's own semantics applied to
	// the written catalogue, not from the store.
	b, err := os.ReadFile(filepath.Join(dir, "catalog.ttl"))
	require.NoError(t, err)
	cat, err := opendata.ReadTurtle(bytes.NewReader(b), opendata.ReadOptions{Base: baseURL + "/catalog.ttl"})
	require.NoError(t, err)
	q, err := packageSearch().Query()
	require.NoError(t, err)
	require.NoError(t, q.Normalize())
	want := 0
	for _, d := range cat.Catalog.Datasets {
		if q.Match(d) {
			want++
		}
	}
	require.Positive(t, want)

	var search opendata.PackageSearchResult
	require.NoError(t, json.Unmarshal(readEnvelope(t, filepath.Join(dir, "ckan", "package_search.json")).Result, &search))
	assert.Equal(t, want, search.Count)
	assert.Len(t, search.Results, want)
	assert.Equal(t, want, search.Facets["organization"]["town-of-exempleville"])
	assert.Contains(t, search.SearchFacets, "tags")

	var show opendata.CKANPackage
	require.NoError(t, json.Unmarshal(readEnvelope(t, filepath.Join(dir, "ckan", "package_show.json")).Result, &show))
	assert.Equal(t, voteID, show.Name)
	assert.Len(t, show.Resources, 2)

	var orgs []opendata.CKANOrganization
	require.NoError(t, json.Unmarshal(readEnvelope(t, filepath.Join(dir, "ckan", "organization_list.json")).Result, &orgs))
	require.Len(t, orgs, 1)
	require.NotNil(t, orgs[0].PackageCount)
	assert.Equal(t, len(cat.Catalog.Datasets), *orgs[0].PackageCount)
}

func TestHarvestTwiceCreatesNothingTheSecondTime(t *testing.T) {
	dir, log := runOnce(t)
	assert.Contains(t, log, "created 0")
	for i, src := range []string{turtlePages, dataJSON} {
		var buf bytes.Buffer
		reps, err := harvestTwice(context.Background(), dir, src, filepath.Join(t.TempDir(), "h.db"), &buf)
		require.NoError(t, err, src)
		assert.Equal(t, 6, reps[0].Created, src)
		assert.Equal(t, 0, reps[0].Updated, src)
		assert.Equal(t, 0, reps[1].Created, src)
		assert.Equal(t, 6, reps[1].Updated, src)
		assert.Empty(t, reps[1].Skipped(), src)
		if i == 0 {
			assert.Len(t, reps[0].Pages, 3, "the three Turtle pages")
		}
	}
}

func TestFileFetchServesOnlyTheCatalogue(t *testing.T) {
	dir, _ := runOnce(t)
	fetch := fileFetch(dir)
	ctx := context.Background()
	for _, u := range []string{
		baseURL + "/catalog.ttl", baseURL + "/catalog.ttl?page=2", baseURL + "/catalog.jsonld?page=3", baseURL + "/data.json",
	} {
		f, err := fetch(ctx, u)
		require.NoError(t, err, u)
		assert.NotEmpty(t, f.Body, u)
	}
	for _, u := range []string{
		"https://elsewhere.example/data.json", baseURL + "/catalog.ttl?page=0", baseURL + "/catalog.ttl?page=9",
		baseURL + "/../../etc/passwd", baseURL + "/files/" + voteID + ".csv", "::",
	} {
		_, err := fetch(ctx, u)
		assert.True(t, errors.Is(err, fs.ErrNotExist), "%s: %v", u, err)
	}
}

func TestRunFailsOnBadDirectory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	assert.Error(t, run(context.Background(), filepath.Join(file, "sub"), 2, &bytes.Buffer{}))
	assert.Error(t, run(context.Background(), t.TempDir(), 0, &bytes.Buffer{}))
}
