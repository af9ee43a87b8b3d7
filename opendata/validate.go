package opendata

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Validation follows the DCAT-AP 3.0.1 shapes: a missing mandatory property
// is a violation (RuleMandatory), a missing recommended one a warning
// (RuleRecommended), a value outside the controlled vocabulary a violation
// where the shapes make it one (language, frequency, file type) and a warning
// elsewhere (theme, access rights). Malformed values (IRIs, e-mails, dates in
// the wrong order, checksums) are violations (RuleFormat). A person (an
// Agent of kind AgentPerson, a Contact of kind ContactIndividual) is a
// warning (RulePersonal): the model may keep it for the staff, but no
// writer publishes it.
//
// Validate returns a Report listing every problem, warnings included;
// Report.Err gives the violations as a *civickit.ValidationError for a
// caller that refuses what does not conform.

// Validate checks a dataset, its distributions and linked nodes. Paths are
// relative to the dataset, e.g. "distributions[0].access_url".
func (d *Dataset) Validate() Report {
	var r Report
	d.validate("", &r)
	return r
}

// FutureTolerance is how far past the clock a dct:issued or dct:modified
// may be (time zones, clocks a little ahead): beyond, it is refused.
const FutureTolerance = 24 * time.Hour

// futureDates names the dataset's dates (issued, modified, and its
// distributions') later than now + FutureTolerance: a dct:modified a year
// ahead would sort the dataset first in every "recently updated" feed.
func futureDates(d *Dataset, now time.Time) []string {
	limit := now.Add(FutureTolerance)
	var out []string
	if d.Issued.After(limit) {
		out = append(out, "issued")
	}
	if d.Modified.After(limit) {
		out = append(out, "modified")
	}
	for i := range d.Distributions {
		x := &d.Distributions[i]
		if x.Issued.After(limit) {
			out = append(out, index("distributions", i)+".issued")
		}
		if x.Modified.After(limit) {
			out = append(out, index("distributions", i)+".modified")
		}
	}
	return out
}

// Validate checks one distribution; paths are relative to it.
func (d *Distribution) Validate() Report {
	var r Report
	d.validate("", &r)
	return r
}

// Validate checks a data service; paths are relative to it.
func (s *DataService) Validate() Report {
	var r Report
	s.validate("", &r)
	return r
}

// Validate checks a dataset series; paths are relative to it.
func (s *DatasetSeries) Validate() Report {
	var r Report
	s.validate("", &r)
	return r
}

// Validate checks the catalogue and everything in it, with paths such as
// "datasets[2].distributions[0].access_url". It also reports duplicate
// dataset identifiers and IRIs, and dataset series that a dataset names
// but the catalogue does not hold.
func (c *Catalog) Validate() Report {
	var r Report
	c.validate(&r)
	return r
}

func (c *Catalog) validate(ve *Report) {
	checkIRI(ve, "iri", c.IRI, true)
	checkText(ve, "title", c.Title, "dct:title", true)
	checkText(ve, "description", c.Description, "dct:description", true)
	if c.Publisher == nil {
		ve.violation("publisher", RuleMandatory, "dct:publisher")
	} else {
		c.Publisher.validate("publisher", ve)
	}
	if c.Creator != nil {
		c.Creator.validate("creator", ve)
	}
	if c.Homepage == "" {
		ve.warning("homepage", RuleRecommended, "foaf:homepage")
	} else {
		checkIRI(ve, "homepage", c.Homepage, false)
	}
	if len(c.Languages) == 0 {
		ve.warning("languages", RuleRecommended, "dct:language")
	}
	checkLanguages(ve, "languages", c.Languages)
	if c.License.IsZero() {
		ve.warning("license", RuleRecommended, "dct:license")
	} else {
		c.License.validate("license", ve)
	}
	if c.Issued.IsZero() {
		ve.warning("issued", RuleRecommended, "dct:issued")
	}
	if c.Modified.IsZero() {
		ve.warning("modified", RuleRecommended, "dct:modified")
	}
	if len(c.Spatial) == 0 {
		ve.warning("spatial", RuleRecommended, "dct:spatial")
	}
	for i := range c.Spatial {
		c.Spatial[i].validate(index("spatial", i), ve)
	}
	for i, t := range c.ThemeTaxonomy {
		checkIRI(ve, index("theme_taxonomy", i), t, true)
	}
	for i := range c.ContactPoints {
		c.ContactPoints[i].validate(index("contact_points", i), ve)
	}
	for i, s := range c.Catalogs {
		checkIRI(ve, index("catalogs", i), s, true)
	}
	if len(c.Datasets) == 0 && len(c.Services) == 0 {
		ve.warning("datasets", RuleRecommended, "dcat:dataset")
	}
	ids := make(map[string]int, len(c.Datasets))
	iris := make(map[string]bool, len(c.Datasets))
	irisAt := make(map[string]int, len(c.Datasets))
	series := make(map[string]bool, len(c.Series))
	for i, s := range c.Series {
		p := index("series", i)
		if s == nil {
			ve.violation(p, RuleMandatory, "dcat:DatasetSeries")
			continue
		}
		s.validate(p, ve)
		series[s.IRI] = true
	}
	for i, d := range c.Datasets {
		p := index("datasets", i)
		if d == nil {
			ve.violation(p, RuleMandatory, "dcat:Dataset")
			continue
		}
		d.validate(p, ve)
		if d.Identifier != "" {
			if j, dup := ids[d.Identifier]; dup {
				ve.violation(path(p, "identifier"), RuleUnique, index("datasets", j))
			} else {
				ids[d.Identifier] = i
			}
		}
		if d.IRI != "" {
			if j, dup := irisAt[d.IRI]; dup {
				ve.violation(path(p, "iri"), RuleUnique, index("datasets", j))
			} else {
				irisAt[d.IRI] = i
				iris[d.IRI] = true
			}
		}
	}
	services := make(map[string]bool, len(c.Services))
	for i, s := range c.Services {
		p := index("services", i)
		if s == nil {
			ve.violation(p, RuleMandatory, "dcat:DataService")
			continue
		}
		s.validate(p, ve)
		services[s.IRI] = true
	}
	// Links to datasets, series and services must land on nodes the
	// catalogue describes: the DCAT-AP range of these properties is a
	// class whose mandatory properties (title, description...) only the
	// catalogue can give.
	ref := func(p string, set map[string]bool, targets ...string) {
		for k, t := range targets {
			if t != "" && !set[t] {
				ve.violation(index(p, k), RuleReference, t)
			}
		}
	}
	for i, d := range c.Datasets {
		if d == nil {
			continue
		}
		p := index("datasets", i)
		ref(path(p, "in_series"), series, d.InSeries...)
		ref(path(p, "has_version"), iris, d.HasVersion...)
		ref(path(p, "sources"), iris, d.Sources...)
		for _, one := range []struct{ name, v string }{{"is_version_of", d.IsVersionOf}, {"previous_version", d.PreviousVersion}} {
			if one.v != "" {
				if _, ok := iris[one.v]; !ok {
					ve.violation(path(p, one.name), RuleReference, one.v)
				}
			}
		}
		for j := range d.Distributions {
			ref(path(index(path(p, "distributions"), j), "access_services"), services, d.Distributions[j].AccessServices...)
		}
	}
	for i, s := range c.Services {
		if s != nil {
			ref(path(index("services", i), "serves_datasets"), iris, s.ServesDatasets...)
		}
	}
}

func (d *Dataset) validate(p string, ve *Report) {
	if strings.TrimSpace(d.Identifier) == "" {
		// Optional in DCAT-AP but the key harvesters de-duplicate on and
		// data.json's identifier: mandatory here.
		ve.violation(path(p, "identifier"), RuleMandatory, "dct:identifier")
	}
	checkIRI(ve, path(p, "iri"), d.IRI, true)
	checkText(ve, path(p, "title"), d.Title, "dct:title", true)
	checkText(ve, path(p, "description"), d.Description, "dct:description", true)
	if d.Keywords.Len() == 0 {
		ve.warning(path(p, "keywords"), RuleRecommended, "dcat:keyword")
	}
	for lang, ws := range d.Keywords {
		for i, w := range ws {
			if strings.TrimSpace(w) == "" {
				ve.violation(index(path(p, "keywords."+langKey(lang)), i), RuleFormat, "empty")
			}
		}
	}
	if len(d.Themes) == 0 {
		ve.warning(path(p, "themes"), RuleRecommended, "dcat:theme")
	}
	for i, t := range d.Themes {
		checkVocab(ve, index(path(p, "themes"), i), string(t), SchemeDataTheme, false)
	}
	if d.Type != "" {
		checkVocab(ve, path(p, "type"), string(d.Type), SchemeDatasetType, false)
	}
	if d.Publisher == nil {
		ve.warning(path(p, "publisher"), RuleRecommended, "dct:publisher")
	} else {
		d.Publisher.validate(path(p, "publisher"), ve)
	}
	for i := range d.Creators {
		d.Creators[i].validate(index(path(p, "creators"), i), ve)
	}
	if len(d.ContactPoints) == 0 {
		ve.warning(path(p, "contact_points"), RuleRecommended, "dcat:contactPoint")
	}
	for i := range d.ContactPoints {
		d.ContactPoints[i].validate(index(path(p, "contact_points"), i), ve)
	}
	if len(d.Distributions) == 0 {
		ve.warning(path(p, "distributions"), RuleRecommended, "dcat:distribution")
	}
	for i := range d.Distributions {
		d.Distributions[i].validate(index(path(p, "distributions"), i), ve)
	}
	if !d.Issued.IsZero() && !d.Modified.IsZero() && d.Modified.Before(d.Issued) {
		ve.violation(path(p, "modified"), RuleFormat, "before issued")
	}
	for _, f := range futureDates(d, time.Now()) {
		ve.violation(path(p, f), RuleFormat, "in the future")
	}
	checkLanguages(ve, path(p, "languages"), d.Languages)
	if len(d.Spatial) == 0 {
		ve.warning(path(p, "spatial"), RuleRecommended, "dct:spatial")
	}
	for i := range d.Spatial {
		d.Spatial[i].validate(index(path(p, "spatial"), i), ve)
	}
	if len(d.Temporal) == 0 {
		ve.warning(path(p, "temporal"), RuleRecommended, "dct:temporal")
	}
	for i := range d.Temporal {
		d.Temporal[i].validate(index(path(p, "temporal"), i), ve)
	}
	if d.AccrualPeriodicity != "" {
		checkVocab(ve, path(p, "accrual_periodicity"), string(d.AccrualPeriodicity), SchemeFrequency, true)
	}
	if d.AccessRights != "" {
		checkVocab(ve, path(p, "access_rights"), string(d.AccessRights), SchemeAccessRight, false)
	}
	checkStandards(ve, path(p, "conforms_to"), d.ConformsTo)
	if d.LandingPage != "" {
		checkIRI(ve, path(p, "landing_page"), d.LandingPage, false)
	}
	checkIRIs(ve, path(p, "documentation"), d.Documentation)
	for i, id := range d.OtherIdentifiers {
		ip := index(path(p, "other_identifiers"), i)
		if strings.TrimSpace(id.Notation) == "" {
			ve.violation(path(ip, "notation"), RuleMandatory, "skos:notation")
		}
		if id.Scheme != "" {
			checkIRI(ve, path(ip, "scheme"), id.Scheme, false)
		}
	}
	checkIRIs(ve, path(p, "has_version"), d.HasVersion)
	if d.IsVersionOf != "" {
		checkIRI(ve, path(p, "is_version_of"), d.IsVersionOf, false)
	}
	if d.PreviousVersion != "" {
		checkIRI(ve, path(p, "previous_version"), d.PreviousVersion, false)
	}
	checkIRIs(ve, path(p, "in_series"), d.InSeries)
	for i, s := range d.Provenance {
		sp := index(path(p, "provenance"), i)
		if s.Label.IsZero() && s.IRI == "" {
			ve.violation(path(sp, "label"), RuleMandatory, "rdfs:label")
		}
		if s.IRI != "" {
			checkIRI(ve, path(sp, "iri"), s.IRI, false)
		}
	}
	for i, a := range d.WasGeneratedBy {
		ap := index(path(p, "was_generated_by"), i)
		if a.IRI != "" {
			checkIRI(ve, path(ap, "iri"), a.IRI, false)
		}
		if !a.Start.IsZero() && !a.End.IsZero() && a.End.Before(a.Start) {
			ve.violation(path(ap, "end"), RuleFormat, "before start")
		}
	}
	for i := range d.Attributions {
		ap := index(path(p, "attributions"), i)
		d.Attributions[i].Agent.validate(path(ap, "agent"), ve)
		if d.Attributions[i].Role == "" {
			ve.violation(path(ap, "role"), RuleMandatory, "dcat:hadRole")
		} else {
			checkIRI(ve, path(ap, "role"), d.Attributions[i].Role, false)
		}
	}
	for i, q := range d.QualityNotes {
		qp := index(path(p, "quality_notes"), i)
		if q.Body.IsZero() {
			ve.violation(path(qp, "body"), RuleMandatory, "oa:hasBody")
		}
		if q.Dimension != "" {
			checkIRI(ve, path(qp, "dimension"), q.Dimension, false)
		}
	}
	checkIRIs(ve, path(p, "sources"), d.Sources)
	checkIRIs(ve, path(p, "related"), d.Related)
	checkIRIs(ve, path(p, "is_referenced_by"), d.IsReferencedBy)
	checkIRIs(ve, path(p, "applicable_legislation"), d.Applicable)
	if d.SpatialResolutionInMeters < 0 {
		ve.violation(path(p, "spatial_resolution_in_meters"), RuleFormat, "negative")
	}
	if d.TemporalResolution != "" && !durationRE.MatchString(d.TemporalResolution) {
		ve.violation(path(p, "temporal_resolution"), RuleFormat, "xsd:duration")
	}
}

func (d *Distribution) validate(p string, ve *Report) {
	if d.IRI != "" {
		checkIRI(ve, path(p, "iri"), d.IRI, false)
	}
	if d.AccessURL == "" {
		ve.violation(path(p, "access_url"), RuleMandatory, "dcat:accessURL")
	} else {
		checkIRI(ve, path(p, "access_url"), d.AccessURL, false)
	}
	if d.DownloadURL != "" {
		checkIRI(ve, path(p, "download_url"), d.DownloadURL, false)
	}
	checkIRIs(ve, path(p, "access_services"), d.AccessServices)
	if d.Description.IsZero() {
		ve.warning(path(p, "description"), RuleRecommended, "dct:description")
	}
	if d.Format == "" {
		ve.warning(path(p, "format"), RuleRecommended, "dct:format")
	} else {
		checkVocab(ve, path(p, "format"), string(d.Format), SchemeFileType, true)
	}
	for _, m := range []struct {
		name string
		v    MediaType
	}{{"media_type", d.MediaType}, {"compress_format", d.CompressFormat}, {"package_format", d.PackageFormat}} {
		if m.v != "" && !strings.HasPrefix(string(m.v), ianaMediaTypes) {
			ve.violation(path(p, m.name), RuleVocabulary, ianaMediaTypes)
		}
	}
	if d.ByteSize < 0 {
		ve.violation(path(p, "byte_size"), RuleFormat, "negative")
	}
	if d.Checksum != nil {
		cp := path(p, "checksum")
		if d.Checksum.Algorithm == "" {
			ve.violation(path(cp, "algorithm"), RuleMandatory, "spdx:algorithm")
		} else if !strings.HasPrefix(string(d.Checksum.Algorithm.Canonical()), "https://spdx.org/rdf/terms#checksumAlgorithm_") {
			ve.violation(path(cp, "algorithm"), RuleVocabulary, "spdx:ChecksumAlgorithm")
		}
		if d.Checksum.Value == "" {
			ve.violation(path(cp, "value"), RuleMandatory, "spdx:checksumValue")
		} else if !hexRE.MatchString(d.Checksum.Value) {
			ve.violation(path(cp, "value"), RuleFormat, "hexBinary")
		}
	}
	if d.License.IsZero() {
		ve.warning(path(p, "license"), RuleRecommended, "dct:license")
	} else {
		d.License.validate(path(p, "license"), ve)
	}
	if d.Rights.IRI != "" {
		checkIRI(ve, path(p, "rights.iri"), d.Rights.IRI, false)
	}
	checkLanguages(ve, path(p, "languages"), d.Languages)
	checkStandards(ve, path(p, "conforms_to"), d.ConformsTo)
	if !d.Issued.IsZero() && !d.Modified.IsZero() && d.Modified.Before(d.Issued) {
		ve.violation(path(p, "modified"), RuleFormat, "before issued")
	}
	if d.Status != "" {
		checkVocab(ve, path(p, "status"), string(d.Status), SchemeDistributionStatus, true)
	}
	if d.Availability == "" {
		ve.warning(path(p, "availability"), RuleRecommended, "dcatap:availability")
	} else {
		checkVocab(ve, path(p, "availability"), string(d.Availability), SchemeAvailability, true)
	}
	checkIRIs(ve, path(p, "documentation"), d.Documentation)
	if d.SpatialResolutionInMeters < 0 {
		ve.violation(path(p, "spatial_resolution_in_meters"), RuleFormat, "negative")
	}
	if d.TemporalResolution != "" && !durationRE.MatchString(d.TemporalResolution) {
		ve.violation(path(p, "temporal_resolution"), RuleFormat, "xsd:duration")
	}
	names := make(map[string]bool, len(d.Columns))
	for i, c := range d.Columns {
		cp := index(path(p, "columns"), i)
		if strings.TrimSpace(c.Name) == "" {
			ve.violation(path(cp, "name"), RuleMandatory, "name")
		} else if names[c.Name] {
			ve.violation(path(cp, "name"), RuleUnique, c.Name)
		}
		names[c.Name] = true
		switch c.Type {
		case "", ColumnString, ColumnInteger, ColumnNumber, ColumnBoolean, ColumnDate,
			ColumnDateTime, ColumnYear, ColumnGeoPoint, ColumnAny:
		default:
			ve.violation(path(cp, "type"), RuleVocabulary, "tableschema")
		}
	}
	if len(d.Delimiter) > 1 {
		ve.violation(path(p, "delimiter"), RuleFormat, "one character")
	}
}

func (s *DataService) validate(p string, ve *Report) {
	checkIRI(ve, path(p, "iri"), s.IRI, true)
	checkText(ve, path(p, "title"), s.Title, "dct:title", true)
	if len(s.EndpointURLs) == 0 {
		ve.violation(path(p, "endpoint_urls"), RuleMandatory, "dcat:endpointURL")
	}
	checkIRIs(ve, path(p, "endpoint_urls"), s.EndpointURLs)
	if len(s.EndpointDescription) == 0 {
		ve.warning(path(p, "endpoint_description"), RuleRecommended, "dcat:endpointDescription")
	}
	checkIRIs(ve, path(p, "endpoint_description"), s.EndpointDescription)
	if len(s.ServesDatasets) == 0 {
		ve.warning(path(p, "serves_datasets"), RuleRecommended, "dcat:servesDataset")
	}
	checkIRIs(ve, path(p, "serves_datasets"), s.ServesDatasets)
	if s.Publisher == nil {
		ve.warning(path(p, "publisher"), RuleRecommended, "dct:publisher")
	} else {
		s.Publisher.validate(path(p, "publisher"), ve)
	}
	if len(s.ContactPoints) == 0 {
		ve.warning(path(p, "contact_points"), RuleRecommended, "dcat:contactPoint")
	}
	for i := range s.ContactPoints {
		s.ContactPoints[i].validate(index(path(p, "contact_points"), i), ve)
	}
	if s.Keywords.Len() == 0 {
		ve.warning(path(p, "keywords"), RuleRecommended, "dcat:keyword")
	}
	if len(s.Themes) == 0 {
		ve.warning(path(p, "themes"), RuleRecommended, "dcat:theme")
	}
	for i, t := range s.Themes {
		checkVocab(ve, index(path(p, "themes"), i), string(t), SchemeDataTheme, false)
	}
	if len(s.ConformsTo) == 0 {
		ve.warning(path(p, "conforms_to"), RuleRecommended, "dct:conformsTo")
	}
	for i, f := range s.Formats {
		checkVocab(ve, index(path(p, "formats"), i), string(f), SchemeFileType, true)
	}
	if !s.License.IsZero() {
		s.License.validate(path(p, "license"), ve)
	}
	if s.AccessRights != "" {
		checkVocab(ve, path(p, "access_rights"), string(s.AccessRights), SchemeAccessRight, false)
	}
	checkStandards(ve, path(p, "conforms_to"), s.ConformsTo)
	if s.LandingPage != "" {
		checkIRI(ve, path(p, "landing_page"), s.LandingPage, false)
	}
	checkIRIs(ve, path(p, "applicable_legislation"), s.Applicable)
}

func (s *DatasetSeries) validate(p string, ve *Report) {
	checkIRI(ve, path(p, "iri"), s.IRI, true)
	checkText(ve, path(p, "title"), s.Title, "dct:title", true)
	checkText(ve, path(p, "description"), s.Description, "dct:description", true)
	if s.Publisher == nil {
		ve.warning(path(p, "publisher"), RuleRecommended, "dct:publisher")
	} else {
		s.Publisher.validate(path(p, "publisher"), ve)
	}
	if len(s.ContactPoints) == 0 {
		ve.warning(path(p, "contact_points"), RuleRecommended, "dcat:contactPoint")
	}
	for i := range s.ContactPoints {
		s.ContactPoints[i].validate(index(path(p, "contact_points"), i), ve)
	}
	if s.AccrualPeriodicity != "" {
		checkVocab(ve, path(p, "accrual_periodicity"), string(s.AccrualPeriodicity), SchemeFrequency, true)
	}
	for i := range s.Spatial {
		s.Spatial[i].validate(index(path(p, "spatial"), i), ve)
	}
	for i := range s.Temporal {
		s.Temporal[i].validate(index(path(p, "temporal"), i), ve)
	}
	if !s.Issued.IsZero() && !s.Modified.IsZero() && s.Modified.Before(s.Issued) {
		ve.violation(path(p, "modified"), RuleFormat, "before issued")
	}
	checkIRIs(ve, path(p, "applicable_legislation"), s.Applicable)
	for i, t := range s.Themes {
		checkVocab(ve, index(path(p, "themes"), i), string(t), SchemeDataTheme, false)
	}
}

func (a *Agent) validate(p string, ve *Report) {
	if a.Kind == AgentPerson || a.Type == AgentPrivateIndividual {
		// Personal data: kept in the model for the staff, never published,
		// so the publication rules do not apply.
		ve.warning(path(p, "kind"), RulePersonal, "foaf:Person")
		return
	}
	if a.Kind != "" && a.Kind != AgentOrganization {
		ve.violation(path(p, "kind"), RuleVocabulary, "organization|person")
	}
	if a.IRI != "" {
		checkIRI(ve, path(p, "iri"), a.IRI, false)
	}
	checkText(ve, path(p, "name"), a.Name, "foaf:name", true)
	if a.Type == "" {
		ve.warning(path(p, "type"), RuleRecommended, "dct:type")
	} else if !strings.HasPrefix(string(a.Type), "http://purl.org/adms/publishertype/") {
		ve.warning(path(p, "type"), RuleVocabulary, SchemePublisherType)
	}
	if a.Homepage != "" {
		checkIRI(ve, path(p, "homepage"), a.Homepage, false)
	}
	if a.Email != "" {
		checkEmail(ve, path(p, "email"), a.Email)
	}
}

func (c *Contact) validate(p string, ve *Report) {
	switch c.Kind {
	case "", ContactOrganization:
	case ContactIndividual:
		ve.warning(path(p, "kind"), RulePersonal, "vcard:Individual")
	default:
		ve.violation(path(p, "kind"), RuleVocabulary, "organization|individual")
	}
	if c.IRI != "" {
		checkIRI(ve, path(p, "iri"), c.IRI, false)
	}
	if c.Email == "" && c.URL == "" && c.Phone == "" {
		// DCAT-AP asks for a way to reach the contact; data.json needs an e-mail.
		ve.violation(path(p, "email"), RuleMandatory, "vcard:hasEmail")
	}
	if c.Name == "" {
		ve.warning(path(p, "name"), RuleRecommended, "vcard:fn")
	}
	if c.Email != "" {
		checkEmail(ve, path(p, "email"), c.Email)
	}
	if c.URL != "" {
		checkIRI(ve, path(p, "url"), c.URL, false)
	}
	if c.Phone != "" && !phoneRE.MatchString(c.Phone) {
		ve.violation(path(p, "phone"), RuleFormat, "E.164")
	}
}

func (l LicenseDocument) validate(p string, ve *Report) {
	if l.IRI == "" {
		ve.violation(path(p, "iri"), RuleMandatory, "dct:license")
	} else {
		checkIRI(ve, path(p, "iri"), l.IRI, false)
	}
	if l.Type == "" {
		ve.warning(path(p, "type"), RuleRecommended, "dct:type")
	} else if !strings.HasPrefix(string(l.Type), "http://purl.org/adms/licencetype/") {
		ve.violation(path(p, "type"), RuleVocabulary, SchemeLicenceType)
	}
}

func (l *Location) validate(p string, ve *Report) {
	if l.IRI == "" && l.Geometry == "" && l.BBox == "" && l.Centroid == "" {
		ve.violation(p, RuleMandatory, "dct:Location")
		return
	}
	if l.IRI != "" {
		checkIRI(ve, path(p, "iri"), l.IRI, false)
	}
	if l.BBox == "" {
		ve.warning(path(p, "bbox"), RuleRecommended, "dcat:bbox")
	}
	if l.Centroid == "" {
		ve.warning(path(p, "centroid"), RuleRecommended, "dcat:centroid")
	}
	for _, g := range []struct{ name, v string }{{"geometry", l.Geometry}, {"bbox", l.BBox}, {"centroid", l.Centroid}} {
		if g.v != "" && !wktRE.MatchString(g.v) {
			ve.violation(path(p, g.name), RuleFormat, "gsp:wktLiteral")
		}
	}
}

func (t *PeriodOfTime) validate(p string, ve *Report) {
	if t.Start.IsZero() && t.End.IsZero() {
		ve.violation(p, RuleMandatory, "dcat:startDate|dcat:endDate")
		return
	}
	if t.Start.IsZero() {
		ve.warning(path(p, "start"), RuleRecommended, "dcat:startDate")
	}
	if t.End.IsZero() {
		ve.warning(path(p, "end"), RuleRecommended, "dcat:endDate")
	}
	if !t.Start.IsZero() && !t.End.IsZero() && t.End.Before(t.Start) {
		ve.violation(path(p, "end"), RuleFormat, "before start")
	}
}

var (
	hexRE      = regexp.MustCompile(`^[0-9a-fA-F]+$`)
	phoneRE    = regexp.MustCompile(`^\+?[0-9][0-9 .()-]{2,30}$`)
	durationRE = regexp.MustCompile(`^-?P(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$`)
	wktRE      = regexp.MustCompile(`^\s*(?:<[^>]+>\s*)?(?i:POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION)\s*(?:Z|M|ZM)?\s*\(.*\)\s*$`)
)

// langKey renders a language tag as a path element ("" becomes "@none").
func langKey(lang string) string {
	if lang == "" {
		return "@none"
	}
	return lang
}

func checkText(ve *Report, p string, t Text, prop string, mandatory bool) {
	if t.IsZero() {
		if mandatory {
			ve.violation(p, RuleMandatory, prop)
		} else {
			ve.warning(p, RuleRecommended, prop)
		}
		return
	}
	for _, lang := range t.Langs() {
		if lang != "" && !langTagRE.MatchString(lang) {
			ve.violation(path(p, langKey(lang)), RuleFormat, "BCP 47")
		}
	}
}

var langTagRE = regexp.MustCompile(`^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*$`)

// ValidIRI reports whether s is an absolute IRI a triple store accepts:
// a scheme, no spaces, no characters Turtle forbids inside <...>.
func ValidIRI(s string) bool {
	if s == "" || strings.ContainsAny(s, " <>\"{}|\\^`\t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "urn", "mailto", "tel", "tag":
		return u.Opaque != ""
	}
	return u.Opaque != "" || u.Host != "" || u.Path != ""
}

func checkIRI(ve *Report, p, s string, mandatory bool) {
	if s == "" {
		if mandatory {
			ve.violation(p, RuleMandatory, "IRI")
		}
		return
	}
	if !ValidIRI(s) {
		ve.violation(p, RuleFormat, "IRI")
	}
}

func checkIRIs(ve *Report, p string, ss []string) {
	for i, s := range ss {
		checkIRI(ve, index(p, i), s, true)
	}
}

func checkEmail(ve *Report, p, s string) {
	a, err := mail.ParseAddress(strings.TrimPrefix(s, "mailto:"))
	if err != nil || a.Name != "" {
		ve.violation(p, RuleFormat, "email")
	}
}

func checkVocab(ve *Report, p, v, scheme string, violation bool) {
	if strings.HasPrefix(v, scheme+"/") && len(v) > len(scheme)+1 && ValidIRI(v) {
		return
	}
	if !ValidIRI(v) {
		ve.violation(p, RuleFormat, "IRI")
		return
	}
	if violation {
		ve.violation(p, RuleVocabulary, scheme)
	} else {
		ve.warning(p, RuleVocabulary, scheme)
	}
}

func checkLanguages(ve *Report, p string, ls []Language) {
	for i, l := range ls {
		checkVocab(ve, index(p, i), string(l), SchemeLanguage, true)
	}
}

func checkStandards(ve *Report, p string, ss []Standard) {
	for i, s := range ss {
		checkIRI(ve, path(index(p, i), "iri"), s.IRI, true)
	}
}
