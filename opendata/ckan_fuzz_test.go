package opendata_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"testing"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/opendata"
)

// FuzzParseCKANQuery feeds q and fq to the CKAN query parser: it must never
// panic, refuse only with a *ValidationError, and return filters a store
// accepts (SearchQuery.Normalize) with the text's words intact.
func FuzzParseCKANQuery(f *testing.F) {
	for _, s := range [][2]string{
		{"", ""},
		{"*:*", ""},
		{"budget 2025", "organization:ville-de-lyon"},
		{`"qualité de l'air"`, `tags:"a \"b\"" AND -res_format:(CSV OR json)`},
		{"text:vélo", "license_id:etalab-2.0 OR license_id:CC-BY-4.0"},
		{`a\ b`, `groups:gove NOT theme:http://publications.europa.eu/resource/authority/data-theme/TRAN`},
		{"tags:(", "tags:a OR"},
		{"-x", "(tags:a)"},
		{"\xff", `tags:\`},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, q, fq string) {
		pq, err := opendata.ParseCKANQuery(q, fq)
		text, filters := pq.Text, pq.Filters
		if err != nil {
			var ve *civickit.ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) == 0 {
				t.Fatalf("ParseCKANQuery(%q, %q): error %v is not a *ValidationError with fields", q, fq, err)
			}
			return
		}
		sq := opendata.SearchQuery{Text: text, Filters: filters, Modified: pq.Modified, Created: pq.Created}
		if len(filters) <= 100 && len(text) <= 1000 {
			if err := sq.Normalize(); err != nil {
				for _, f := range filters {
					if len(f.Values) > 100 {
						return // a group of more than 100 values
					}
				}
				t.Fatalf("ParseCKANQuery(%q, %q) = %q, %+v: the store refuses it: %v", q, fq, text, filters, err)
			}
		}
		for _, f := range filters {
			if len(f.Values) == 0 {
				t.Fatalf("ParseCKANQuery(%q, %q): filter %+v without values", q, fq, f)
			}
		}
		// The same parameters through a query string and a JSON body.
		v := url.Values{"q": {q}, "fq": {fq}}
		p, err := opendata.ParsePackageSearchParams(v)
		if err != nil {
			t.Fatalf("ParsePackageSearchParams: %v", err)
		}
		b, _ := json.Marshal(map[string]string{"q": q, "fq": fq})
		var pb opendata.PackageSearchParams
		if err := json.Unmarshal(b, &pb); err != nil {
			t.Fatalf("PackageSearchParams from JSON: %v", err)
		}
		if pb.Q != p.Q || pb.FQ != p.FQ {
			t.Fatalf("JSON body and query string disagree: %+v vs %+v", pb, p)
		}
		if _, err := p.Query(); err != nil {
			t.Fatalf("Query() after a successful parse: %v", err)
		}
	})
}

// FuzzSearchAfter: an opaque cursor from a client never panics: a search
// query either accepts it, and then it reads back as an opendata.Cursor
// that encodes to a cursor reading back equal, or refuses it with
// ErrInvalid.
func FuzzSearchAfter(f *testing.F) {
	f.Add("")
	f.Add(civickit.EncodeCursor(opendata.Cursor{Key: "budget", At: 1700000000000000}))
	f.Add("eyJrIjoxfQ")
	f.Add("!!")
	f.Fuzz(func(t *testing.T, s string) {
		q := opendata.SearchQuery{After: s}
		if err := q.Normalize(); err != nil {
			if !errors.Is(err, opendata.ErrInvalid) {
				t.Fatalf("after %q: %v is not ErrInvalid", s, err)
			}
			return
		}
		var c opendata.Cursor
		if _, err := civickit.DecodeCursor(s, &c); err != nil {
			t.Fatalf("after %q accepted but does not decode: %v", s, err)
		}
		var back opendata.Cursor
		if _, err := civickit.DecodeCursor(civickit.EncodeCursor(c), &back); err != nil || back != c {
			t.Fatalf("cursor %+v does not round-trip: %+v, %v", c, back, err)
		}
	})
}

// FuzzPackageSearchBody: a package_search POST body never panics.
func FuzzPackageSearchBody(f *testing.F) {
	f.Add(`{"q":"budget","rows":5,"facet.field":["tags"]}`)
	f.Add(`{"facet.field":"[\"tags\"]","start":"3","sort":"name asc"}`)
	f.Add(`{"rows":1e400}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		var p opendata.PackageSearchParams
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			return
		}
		_, _ = p.Query()
	})
}
