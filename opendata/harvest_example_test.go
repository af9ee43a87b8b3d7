package opendata_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/civickit/civickit/opendata"
)

// keyedTarget keeps datasets by identifier; an application passes its
// *opendata.Service instead.
type keyedTarget map[string]*opendata.Dataset

func (k keyedTarget) UpsertDataset(_ context.Context, d *opendata.Dataset) (bool, error) {
	_, exists := k[d.Identifier]
	k[d.Identifier] = d
	return !exists, nil
}

func ExampleReadTurtle() {
	const doc = `@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix ex: <https://example.org/ns#> .

<https://example.org/dataset/budget> a dcat:Dataset ;
    dct:identifier "budget-2024" ;
    dct:title "Budget 2024"@en, "Budget 2024"@fr ;
    dct:issued "2024-01-15"^^<http://www.w3.org/2001/XMLSchema#date> ;
    dct:modified "soon" ;
    ex:colour "blue" .
`
	res, err := opendata.ReadTurtle(strings.NewReader(doc), opendata.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	d := res.Catalog.Datasets[0]
	fmt.Println(d.Identifier, d.Title.Get("fr"), d.Issued.Format("2006-01-02"))
	for _, p := range res.Problems {
		fmt.Println(p)
	}
	// Output:
	// budget-2024 Budget 2024 2024-01-15
	// datasets[0].modified: format=dct:modified: not an xsd:date or xsd:dateTime: soon
	// datasets[0]: unknown=https://example.org/ns#colour (warning)
}

func ExampleReadDataJSON() {
	const doc = `{
  "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
  "dataset": [{
    "identifier": "budget-2024",
    "title": "Budget 2024",
    "description": "Adopted budget.",
    "accessLevel": "public",
    "bureauCode": ["015:11"],
    "distribution": [{"downloadURL": "https://example.org/budget.csv", "mediaType": "text/csv", "format": "CSV"}]
  }]
}`
	res, err := opendata.ReadDataJSON(strings.NewReader(doc), opendata.ReadOptions{Language: "en", Base: "https://example.org/data.json"})
	if err != nil {
		fmt.Println(err)
		return
	}
	d := res.Catalog.Datasets[0]
	fmt.Println(d.IRI)
	fmt.Println(d.Distributions[0].Format)
	for _, p := range res.Problems {
		fmt.Println(p)
	}
	// Output:
	// https://example.org/data.json#budget-2024
	// http://publications.europa.eu/resource/authority/file-type/CSV
	// datasets[0]: unknown=bureauCode (warning)
}

func ExampleHarvester_HarvestDocument() {
	const doc = `@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://example.org/catalog> a dcat:Catalog ;
    dcat:dataset <https://example.org/d/1>, <https://example.org/d/2> .
<https://example.org/d/1> a dcat:Dataset ; dct:identifier "one" ;
    dct:title "One"@en ; dct:description "First."@en .
<https://example.org/d/2> a dcat:Dataset ; dct:identifier "two" ;
    dct:title "Two"@en ; dct:description "Second."@en .
`
	target := keyedTarget{}
	h := opendata.NewHarvester(opendata.HarvesterOptions{})
	for run := 1; run <= 2; run++ {
		rep, err := h.HarvestDocument(context.Background(), &opendata.Fetched{MediaType: "text/turtle", Body: []byte(doc)}, target)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("run %d: created %d, updated %d, in target %d\n", run, rep.Created, rep.Updated, len(target))
	}
	// Output:
	// run 1: created 2, updated 0, in target 2
	// run 2: created 0, updated 2, in target 2
}
