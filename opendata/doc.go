// Package opendata describes and publishes civickit's data as open data:
// a DCAT-AP 3.0.1 model of catalogues, datasets, dataset series,
// distributions and data services; validation that names every missing
// mandatory or recommended property with its field path; serialisations to
// DCAT-AP JSON-LD and Turtle, Project Open Data v1.1 data.json, schema.org
// Dataset JSON-LD and Frictionless datapackage.json, with hydra paging for
// harvesters.
//
// Personal data is excluded by construction: agents of kind AgentPerson and
// contacts of kind ContactIndividual are never written by any serialisation,
// and validation reports them with RulePersonal.
//
// The package owns its Store interface; package storage implements it on
// SQLite, PostgreSQL and MariaDB, and opendatatest holds the conformance
// suite every implementation must pass.
package opendata
