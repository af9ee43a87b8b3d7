package associations_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/civickit/civickit/associations"
)

// FuzzRNAReader feeds arbitrary bytes to the reader: it must not panic,
// must reach io.EOF, and every record it returns must carry a valid RNA
// number and valid UTF-8.
func FuzzRNAReader(f *testing.F) {
	for _, name := range []string{
		"rna_waldec_synthetic.csv", "rna_import_synthetic.csv",
		"rna_waldec_latin1.csv", "rna_waldec_mixed.csv",
	} {
		b, err := os.ReadFile(filepath.Join("testdata", "rna", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("\xEF\xBB\xBF" + waldecFile(waldecLine(map[string]string{"objet": `"a;""b"" c"`}))))
	f.Add([]byte(waldecFile(waldecLine(map[string]string{"objet": `"sans fin`}), waldecLine(nil))))
	f.Add([]byte(importHeader + "\r\n;;;\r\n\r\n"))
	f.Add([]byte(""))

	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := associations.NewRNAReader(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, associations.ErrInvalid) {
				t.Fatalf("header error does not match ErrInvalid: %v", err)
			}
			return
		}
		// Each call consumes at least one byte or ends the input.
		last := 0
		for range len(data) + 2 {
			rec, err := rd.Next()
			if err == io.EOF {
				return
			}
			line := 0
			if err != nil {
				var le *associations.LineError
				if !errors.As(err, &le) {
					t.Fatalf("unexpected error: %v", err)
				}
				line = le.Line
			} else {
				checkRecord(t, rec)
				line = rec.Line
			}
			if line <= last {
				t.Fatalf("line %d after line %d", line, last)
			}
			last = line
		}
		t.Fatalf("no io.EOF after %d calls", len(data)+2)
	})
}

func checkRecord(t *testing.T, rec *associations.RNARecord) {
	t.Helper()
	a := rec.Association
	if !associations.ValidRNA(a.RNA) {
		t.Fatalf("line %d: invalid RNA %q", rec.Line, a.RNA)
	}
	if a.SIRET != "" && (!associations.ValidSIRET(a.SIRET) || !strings.HasPrefix(a.SIRET, a.SIREN)) {
		t.Fatalf("line %d: SIRET %q, SIREN %q", rec.Line, a.SIRET, a.SIREN)
	}
	if strings.TrimSpace(a.Name) == "" {
		t.Fatalf("line %d: empty name", rec.Line)
	}
	for _, s := range []string{a.Name, a.Acronym, a.Object, a.Website, a.Address.Line1, a.Address.Line2, a.Address.City} {
		if !utf8.ValidString(s) {
			t.Fatalf("line %d: invalid UTF-8 %q", rec.Line, s)
		}
		if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r >= 0x7F && r < 0xA0 }) {
			t.Fatalf("line %d: control character in %q", rec.Line, s)
		}
	}
	for _, c := range a.Categories {
		if !associations.ValidCategory(c) {
			t.Fatalf("line %d: category %q", rec.Line, c)
		}
	}
}
