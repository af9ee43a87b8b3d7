package opendata_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/civickit/civickit/opendata"
)

func ExampleDataset_Validate() {
	d := &opendata.Dataset{
		Identifier: "budget-2024",
		IRI:        "https://data.example.org/dataset/budget-2024",
		Title:      opendata.Text{"fr": "Budget 2024"},
		Distributions: []opendata.Distribution{{
			DownloadURL: "https://data.example.org/files/budget-2024.csv",
			Format:      opendata.FileTypeCSV,
		}},
	}
	r := d.Validate()
	for _, f := range r.Violations() {
		fmt.Println(f)
	}
	fmt.Println(len(r.Warnings()), "warnings")
	// Refusing what does not conform: the violations as the kernel's error.
	fmt.Println(r.Err())
	// Output:
	// description: mandatory=dct:description
	// distributions[0].access_url: mandatory=dcat:accessURL
	// 9 warnings
	// invalid input: description: mandatory=dct:description; distributions[0].access_url: mandatory=dcat:accessURL
}

func ExampleWriteTurtle() {
	c := &opendata.Catalog{
		IRI:         "https://data.example.org/catalog",
		Title:       opendata.Text{"en": "Example catalogue"},
		Description: opendata.Text{"en": "Open data of an example town."},
		Publisher:   &opendata.Agent{IRI: "https://data.example.org/org/town", Name: opendata.Text{"en": "Example town"}},
		Datasets: []*opendata.Dataset{{
			Identifier:  "trees",
			IRI:         "https://data.example.org/dataset/trees",
			Title:       opendata.Text{"en": "Street trees"},
			Description: opendata.Text{"en": "Every tree the town looks after."},
			Issued:      time.Date(2024, time.May, 2, 0, 0, 0, 0, time.UTC),
		}},
	}
	if err := opendata.WriteTurtle(os.Stdout, c); err != nil {
		fmt.Println(err)
	}
	// Output:
	// @prefix dcat: <http://www.w3.org/ns/dcat#> .
	// @prefix dct: <http://purl.org/dc/terms/> .
	// @prefix dcatap: <http://data.europa.eu/r5r/> .
	// @prefix foaf: <http://xmlns.com/foaf/0.1/> .
	// @prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
	// @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
	// @prefix adms: <http://www.w3.org/ns/adms#> .
	// @prefix spdx: <http://spdx.org/rdf/terms#> .
	// @prefix locn: <http://www.w3.org/ns/locn#> .
	// @prefix gsp: <http://www.opengis.net/ont/geosparql#> .
	// @prefix prov: <http://www.w3.org/ns/prov#> .
	// @prefix dqv: <http://www.w3.org/ns/dqv#> .
	// @prefix oa: <http://www.w3.org/ns/oa#> .
	// @prefix csvw: <http://www.w3.org/ns/csvw#> .
	// @prefix eli: <http://data.europa.eu/eli/ontology#> .
	// @prefix hydra: <http://www.w3.org/ns/hydra/core#> .
	// @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
	// @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
	// @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
	//
	// <https://data.example.org/catalog>
	//     a dcat:Catalog ;
	//     dct:title "Example catalogue"@en ;
	//     dct:description "Open data of an example town."@en ;
	//     dct:publisher <https://data.example.org/org/town> ;
	//     dcat:themeTaxonomy <http://publications.europa.eu/resource/authority/data-theme> ;
	//     dcat:dataset <https://data.example.org/dataset/trees> .
	//
	// <https://data.example.org/org/town>
	//     a foaf:Agent, foaf:Organization ;
	//     foaf:name "Example town"@en .
	//
	// <https://data.example.org/dataset/trees>
	//     a dcat:Dataset ;
	//     dct:identifier "trees" ;
	//     dct:title "Street trees"@en ;
	//     dct:description "Every tree the town looks after."@en ;
	//     dct:issued "2024-05-02"^^xsd:date .
	//
	// <http://publications.europa.eu/resource/authority/data-theme>
	//     a skos:ConceptScheme ;
	//     dct:title "Data theme"@en .
}

func ExamplePaginate() {
	c := &opendata.Catalog{IRI: "https://data.example.org/catalog"}
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		c.Datasets = append(c.Datasets, &opendata.Dataset{Identifier: id})
	}
	pageIRI := func(n int) string { return fmt.Sprintf("https://data.example.org/catalog.ttl?page=%d", n) }
	page, info, err := opendata.Paginate(c, 2, 2, pageIRI)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(page.Datasets), page.Datasets[0].Identifier, page.Datasets[1].Identifier)
	fmt.Println("next:", info.Next)
	fmt.Println("last:", info.Last, "total:", info.TotalItems)
	// Output:
	// 2 c d
	// next: https://data.example.org/catalog.ttl?page=3
	// last: https://data.example.org/catalog.ttl?page=3 total: 5
}

func ExampleKnownLicense() {
	l, ok := opendata.KnownLicense("etalab-2.0")
	fmt.Println(ok, l.IRI, l.Title.Get("fr"))
	fmt.Println(opendata.DefaultLicense().SPDX)
	// Output:
	// true https://www.etalab.gouv.fr/licence-ouverte-open-licence/ Licence Ouverte / Open Licence version 2.0
	// etalab-2.0
}

func ExampleWriteDataJSON() {
	c := &opendata.Catalog{
		Title:     opendata.Text{"en": "Example catalogue"},
		Publisher: &opendata.Agent{Name: opendata.Text{"en": "Example town"}, Email: "data@example.org"},
		Datasets: []*opendata.Dataset{{
			Identifier:  "trees",
			Title:       opendata.Text{"en": "Street trees"},
			Description: opendata.Text{"en": "Every tree the town looks after."},
			Keywords:    opendata.Keywords{"en": {"trees"}},
			Modified:    time.Date(2024, time.May, 2, 0, 0, 0, 0, time.UTC),
			ContactPoints: []opendata.Contact{
				{Kind: opendata.ContactIndividual, Name: "A. Person", Email: "a.person@example.org"}, // never exported
			},
		}},
	}
	if err := opendata.WriteDataJSON(os.Stdout, c, opendata.DataJSONOptions{}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {
	//   "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
	//   "@type": "dcat:Catalog",
	//   "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
	//   "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
	//   "dataset": [
	//     {
	//       "@type": "dcat:Dataset",
	//       "title": "Street trees",
	//       "description": "Every tree the town looks after.",
	//       "keyword": [
	//         "trees"
	//       ],
	//       "modified": "2024-05-02",
	//       "publisher": {
	//         "@type": "org:Organization",
	//         "name": "Example town"
	//       },
	//       "contactPoint": {
	//         "@type": "vcard:Contact",
	//         "fn": "Example town",
	//         "hasEmail": "mailto:data@example.org"
	//       },
	//       "identifier": "trees",
	//       "accessLevel": "public"
	//     }
	//   ]
	// }
}

// A directory of digital mediation places, written in the national schema.
func ExampleWriteMediationPlacesCSV() {
	places := []opendata.MediationPlace{{
		ID: "epn-1", Pivot: "21510454800013", Name: "EPN de la médiathèque", Commune: "Reims",
		PostalCode: "51100", Address: "2 rue des Fusiliers", Updated: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC),
		Services: []string{"Maîtrise des outils numériques du quotidien"}, Fees: []string{"Gratuit"},
	}}
	var buf bytes.Buffer
	if err := opendata.WriteMediationPlacesCSV(&buf, places); err != nil {
		fmt.Println(err)
		return
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	fmt.Println(len(lines), "lines;", len(opendata.MediationColumns), "columns")
	fmt.Println(lines[1][:60])
	// Output:
	// 2 lines; 32 columns
	// epn-1,21510454800013,EPN de la médiathèque,Reims,51100,,2
}
