// Package opendata describes and publishes civickit's data as open data:
// a DCAT-AP 3.0.1 model of catalogues, datasets, dataset series,
// distributions and data services; validation that names every missing
// mandatory or recommended property with its field path; and
// serialisations for the harvesters that portals run:
//
//   - WriteTurtle and WriteJSONLD: DCAT-AP 3.0.1 (European portals, CKAN's
//     ckanext-dcat, data.europa.eu). Both print the same RDF graph, in which
//     every linked node has its rdf:type and every controlled-vocabulary
//     concept (EU data themes, frequencies, languages, file types, access
//     rights...) is described with skos:inScheme and skos:prefLabel, which is
//     what the DCAT-AP SHACL range and vocabulary shapes check. The JSON-LD
//     carries an inline @context, so no remote context has to be fetched.
//   - WriteDataJSON: Project Open Data v1.1 data.json (data.gov), in the
//     non-federal profile unless US federal codes are given.
//   - WriteSchemaOrg and WriteSchemaOrgDataset: schema.org DataCatalog and
//     Dataset JSON-LD for search engines.
//   - WriteDataPackage: a Frictionless Data Package (v2) whose table
//     resources carry the column dictionary as a Table Schema.
//   - Paginate with WritePagedTurtle and WritePagedJSONLD: catalogue pages
//     for harvesters, linked with hydra:next (and ckanext-dcat's
//     hydra:nextPage), each page proportional to its size.
//
// Personal data is excluded by construction: the model may hold a person
// (an Agent of kind AgentPerson, a Contact of kind ContactIndividual) for a
// portal's staff, but no writer ever prints one, and validation reports
// them with RulePersonal. Writers never validate: call Validate (or
// Catalog.Validate, which also checks identifiers are unique and that
// links land on datasets, series and services the catalogue describes),
// which returns a Report of violations and warnings, and refuse what
// Report.Err returns (a *civickit.ValidationError of the violations).
//
// Datasets are stored through a Service (NewService), which owns the
// clock, the IDs and the checks, and which the Harvester, the Publisher
// and the CKAN actions (PackageSearch, PackageShow, OrganizationList) go
// through. The package owns the Service's narrow Store interface; package
// storage implements it on SQLite, PostgreSQL and MariaDB, and
// opendatatest holds the conformance suite every implementation must
// pass. The model's own JSON is snake_case; the serialisations keep the
// names their standards fix.
package opendata
