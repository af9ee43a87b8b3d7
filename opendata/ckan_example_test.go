package opendata_test

import (
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/civickit/civickit/opendata"
)

// CKAN clients send Solr syntax in q and fq; it becomes a store query.
func ExamplePackageSearchParams_Query() {
	v, _ := url.ParseQuery(`q=budget&fq=organization:ville-de-lyon+res_format:(CSV+OR+JSON)&rows=5&sort=metadata_modified+desc&facet.field=["tags","license_id"]`)
	p, err := opendata.ParsePackageSearchParams(v)
	if err != nil {
		fmt.Println(err)
		return
	}
	q, err := p.Query()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q.Text, q.Limit, q.Sort, q.Facets)
	for _, f := range q.Filters {
		fmt.Println(f.Facet, f.Values)
	}
	// Output:
	// budget 5 -modified [keyword license]
	// publisher [ville-de-lyon]
	// format [http://publications.europa.eu/resource/authority/file-type/CSV http://publications.europa.eu/resource/authority/file-type/JSON]
}

// Errors take CKAN's shape, with the HTTP status CKAN answers with.
func ExampleCKANFailure() {
	_, err := opendata.ParseCKANQuery("", `tags:"unterminated`)
	status, resp := opendata.CKANFailure("https://data.example.org/api", opendata.ActionPackageSearch, err)
	b, _ := json.Marshal(resp)
	fmt.Println(status)
	fmt.Println(string(b))
	// Output:
	// 409
	// {"help":"https://data.example.org/api/3/action/help_show?name=package_search","success":false,"error":{"__type":"Validation Error","fq":["syntax: unterminated quote"]}}
}
