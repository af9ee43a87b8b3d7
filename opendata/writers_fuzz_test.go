package opendata_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"unicode/utf8"

	"github.com/civickit/civickit/opendata"
)

// checkTurtleTokens scans Turtle output: every "..." literal must end on
// its line and every <...> IRI must hold no space, quote or line break.
func checkTurtleTokens(out []byte) error {
	for i := 0; i < len(out); i++ {
		switch out[i] {
		case '"':
			j := i + 1
			for ; j < len(out) && out[j] != '"'; j++ {
				switch out[j] {
				case '\\':
					j++
				case '\n', '\r':
					return fmt.Errorf("raw line break in a literal at %d", j)
				}
			}
			if j >= len(out) {
				return fmt.Errorf("unterminated literal at %d", i)
			}
			i = j
		case '<':
			j := i + 1
			for ; j < len(out) && out[j] != '>'; j++ {
				switch out[j] {
				case ' ', '"', '\n', '\r', '\t', '<', '{', '}', '|', '^', '`':
					return fmt.Errorf("forbidden byte %q in an IRI at %d", out[j], j)
				}
			}
			if j >= len(out) {
				return fmt.Errorf("unterminated IRI at %d", i)
			}
			i = j
		case '#':
			// a comment would swallow the rest of the line: none are written
			return fmt.Errorf("stray # at %d", i)
		}
	}
	return nil
}

// FuzzWriters feeds arbitrary text into the model and checks that no writer
// panics, that the JSON outputs are valid JSON giving the text back, and
// that the Turtle output is well tokenised.
func FuzzWriters(f *testing.F) {
	f.Add("Budget \"2024\"\n", "fr", "vote", "https://example.org/a", "text/csv")
	f.Add("\x00\xff\u2028<>{}\\", "en-GB", "", "urn:x", "")
	f.Add("é", "", "a\tb", "https://ex ample.org/", "application/json")
	f.Fuzz(func(t *testing.T, title, lang, keyword, link, media string) {
		d := fullDataset(1)
		d.Title = opendata.Text{lang: title}
		d.Keywords = opendata.Keywords{lang: {keyword}}
		d.LandingPage = link
		d.Documentation = []string{link}
		d.Distributions[0].MediaType = opendata.MediaTypeOf(media)
		d.Distributions[0].Columns[0].Name = keyword
		c := fullCatalog(1)
		c.Datasets = []*opendata.Dataset{d}

		var ttl bytes.Buffer
		if err := opendata.WriteTurtle(&ttl, c); err != nil {
			t.Fatal(err)
		}
		if err := checkTurtleTokens(ttl.Bytes()); err != nil {
			t.Fatalf("%v\n%s", err, ttl.String())
		}

		writers := map[string]func(*bytes.Buffer) error{
			"jsonld": func(b *bytes.Buffer) error { return opendata.WriteJSONLD(b, c) },
			"data.json": func(b *bytes.Buffer) error {
				return opendata.WriteDataJSON(b, c, opendata.DataJSONOptions{Language: lang})
			},
			"schema.org": func(b *bytes.Buffer) error {
				return opendata.WriteSchemaOrg(b, c, opendata.SchemaOrgOptions{Language: lang})
			},
			"datapackage": func(b *bytes.Buffer) error {
				return opendata.WriteDataPackage(b, d, opendata.DataPackageOptions{Language: lang})
			},
		}
		for name, w := range writers {
			var buf bytes.Buffer
			if err := w(&buf); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !json.Valid(buf.Bytes()) {
				t.Fatalf("%s: invalid JSON:\n%s", name, buf.String())
			}
		}
		if title != "" && utf8.ValidString(title) {
			var buf bytes.Buffer
			if err := opendata.WriteDatasetJSONLD(&buf, d); err != nil {
				t.Fatal(err)
			}
			var doc jsonldDoc
			if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			got := doc.Graph[0]["dct:title"].([]any)[0]
			var value string
			switch v := got.(type) {
			case string:
				value = v
			case map[string]any:
				value = v["@value"].(string)
			}
			if value != title {
				t.Fatalf("title %q came back as %q", title, value)
			}
		}
		_ = d.Validate() // must not panic
	})
}

// FuzzPaginate checks that any page request is refused or answered
// without panic, with a page no larger than asked.
func FuzzPaginate(f *testing.F) {
	f.Add(1, 2, 5)
	f.Add(0, 0, 0)
	f.Add(1<<62, 3, 1)
	f.Add(-5, 1<<62, 7)
	f.Fuzz(func(t *testing.T, page, size, n int) {
		n = ((n % 20) + 20) % 20
		c := &opendata.Catalog{}
		for i := 0; i < n; i++ {
			c.Datasets = append(c.Datasets, &opendata.Dataset{Identifier: fmt.Sprint(i)})
		}
		got, p, err := opendata.Paginate(c, page, size, func(k int) string { return fmt.Sprint(k) })
		if page < 1 || size < 1 {
			if err == nil {
				t.Fatal("accepted an invalid page")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Datasets) > size || p.TotalItems != n {
			t.Fatalf("page %d size %d of %d: %d datasets, total %d", page, size, n, len(got.Datasets), p.TotalItems)
		}
		if p.Next != "" && len(got.Datasets) != size {
			t.Fatal("a short page has a next link")
		}
	})
}
