// Package opendata will describe and publish civickit's data as open data:
// a DCAT-AP model of catalogues, datasets and distributions, its
// serialisations, the shapes a CKAN portal expects, and the publication of
// exports such as the public list of associations.
//
// It is being built and exports nothing yet. An opendatatest subpackage
// will hold the conformance suite for its Store interface.
package opendata
