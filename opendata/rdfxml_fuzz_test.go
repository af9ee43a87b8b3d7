package opendata_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/civickit/civickit/opendata"
)

// FuzzReadRDFXML: any input gives a result or a *SyntaxError (or a
// refusal of its size), never a panic; what is read writes back and reads
// again.
func FuzzReadRDFXML(f *testing.F) {
	files, _ := filepath.Glob("testdata/udata/*.xml")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil && len(b) < 20000 {
			f.Add(b)
		}
	}
	var buf bytes.Buffer
	_ = opendata.WriteRDFXML(&buf, harvestCatalog())
	f.Add(buf.Bytes())
	f.Add([]byte(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="x"><rdf:li rdf:parseType="Collection"><rdf:Description/></rdf:li></rdf:Description></rdf:RDF>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := opendata.ReadRDFXML(bytes.NewReader(b), opendata.ReadOptions{Base: "https://x.example/"})
		if err != nil {
			var se *opendata.SyntaxError
			if !errors.As(err, &se) && !errors.Is(err, opendata.ErrInvalid) {
				t.Fatalf("error %v (%T) is not a *SyntaxError", err, err)
			}
			return
		}
		var out bytes.Buffer
		if err := opendata.WriteRDFXML(&out, res.Catalog); err != nil {
			return // an IRI that is no XML name: refused, not garbled
		}
		if _, err := opendata.ReadRDFXML(&out, opendata.ReadOptions{}); err != nil {
			t.Fatalf("written RDF/XML does not read back: %v\n%s", err, out.String())
		}
	})
}
