package opendata_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
)

// requiredProperties reads a DCAT-AP split shapes file and returns, per
// target class, the paths of the property shapes that have sh:minCount.
func requiredProperties(t *testing.T, file string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	shapeRE := regexp.MustCompile(`(?s):\w+\s+a sh:NodeShape(.*?)sh:targetClass ([\w:]+)\s*\.`)
	propRE := regexp.MustCompile(`(?s)\[(.*?)\]`)
	pathRE := regexp.MustCompile(`sh:path ([\w:]+)`)
	out := make(map[string][]string)
	for _, m := range shapeRE.FindAllStringSubmatch(string(b), -1) {
		for _, p := range propRE.FindAllStringSubmatch(m[1], -1) {
			if !strings.Contains(p[1], "sh:minCount") {
				continue
			}
			if path := pathRE.FindStringSubmatch(p[1]); path != nil {
				out[m[2]] = append(out[m[2]], path[1])
			}
		}
	}
	require.NotEmpty(t, out, file)
	return out
}

// reported returns "property severity" for every finding of r.
func reported(r opendata.Report) map[string]bool {
	out := make(map[string]bool)
	for _, f := range r.Findings {
		out[f.Param+" "+string(f.Severity)] = true
	}
	return out
}

// TestValidateCoversDCATAPShapes checks validation against the shapes
// themselves: for each class the model has, an instance lacking everything
// must be reported for every property the mandatory shapes require (as a
// violation) and every property the recommended shapes ask for (as a
// warning).
func TestValidateCoversDCATAPShapes(t *testing.T) {
	// What each class reports when empty, through the owning value.
	empty := map[string]func() opendata.Report{
		"dcat:Catalog":       func() opendata.Report { return (&opendata.Catalog{}).Validate() },
		"dcat:Dataset":       func() opendata.Report { return (&opendata.Dataset{}).Validate() },
		"dcat:Distribution":  func() opendata.Report { return (&opendata.Distribution{}).Validate() },
		"dcat:DataService":   func() opendata.Report { return (&opendata.DataService{}).Validate() },
		"dcat:DatasetSeries": func() opendata.Report { return (&opendata.DatasetSeries{}).Validate() },
		"foaf:Agent":         func() opendata.Report { return (&opendata.Dataset{Publisher: &opendata.Agent{}}).Validate() },
		"spdx:Checksum": func() opendata.Report {
			return (&opendata.Distribution{Checksum: &opendata.Checksum{}}).Validate()
		},
		"dct:LicenseDocument": func() opendata.Report {
			return (&opendata.Distribution{License: opendata.LicenseDocument{IRI: base}}).Validate()
		},
		"dct:Location": func() opendata.Report {
			return (&opendata.Dataset{Spatial: []opendata.Location{{IRI: base + "/place"}}}).Validate()
		},
		"dct:PeriodOfTime": func() opendata.Report {
			start := (&opendata.Dataset{Temporal: []opendata.PeriodOfTime{{Start: day(2024, 1, 1)}}}).Validate()
			end := (&opendata.Dataset{Temporal: []opendata.PeriodOfTime{{End: day(2024, 1, 1)}}}).Validate()
			start.Findings = append(start.Findings, end.Findings...)
			return start
		},
	}
	// Classes the model does not have (catalogue records, relationships) or
	// that the writers describe themselves (vocabulary concepts and schemes).
	notModelled := map[string]bool{
		"dcat:CatalogRecord": true, "dcat:Relationship": true, "skos:Concept": true, "skos:ConceptScheme": true,
	}
	// dcat:themeTaxonomy: the writers add the EU data-theme scheme when the
	// catalogue names none, so it is never missing from an export.
	writerDefault := map[string]bool{"dcat:Catalog dcat:themeTaxonomy": true}

	for file, severity := range map[string]opendata.Severity{
		"testdata/dcat-ap-3.0.1/shapes.ttl":             opendata.SeverityViolation,
		"testdata/dcat-ap-3.0.1/shapes_recommended.ttl": opendata.SeverityWarning,
	} {
		for class, props := range requiredProperties(t, file) {
			if notModelled[class] {
				continue
			}
			validate, ok := empty[class]
			if !assert.True(t, ok, "no empty instance for %s", class) {
				continue
			}
			got := reported(validate())
			for _, p := range props {
				if writerDefault[class+" "+p] {
					continue
				}
				if class == "dcat:Catalog" && p == "dcat:service" {
					continue // sh:or with dcat:dataset, reported as dcat:dataset
				}
				assert.True(t, got[p+" "+string(severity)], "%s %s: %s not reported as %s", file, class, p, severity)
			}
		}
	}
}
