package opendata

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file reads a Project Open Data v1.1 data.json (the format data.gov
// harvests) into the model: the inverse of WriteDataJSON, and what other
// publishers write. data.json is plain JSON with a fixed schema, so it is
// read with encoding/json, one object at a time, so that every key the
// schema does not define, and every value of the wrong type, is reported
// with its path instead of being dropped.

// ReadDataJSON reads a POD v1.1 data.json catalogue. Texts get the
// language opts.Language (else the dataset's first "language"); a dataset
// whose identifier is not an absolute IRI gets the IRI opts.Base +
// "#" + identifier (or none when Base is empty). A dataset that other
// datasets name in isPartOf becomes a DatasetSeries, as WriteDataJSON
// writes series. What cannot be mapped is listed in ReadResult.Problems; a
// document that is not a JSON object fails with a *SyntaxError.
func ReadDataJSON(r io.Reader, opts ReadOptions) (*ReadResult, error) {
	src, err := readAllLimited(r, opts.MaxBytes, "data.json")
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	var top map[string]json.RawMessage
	if err := dec.Decode(&top); err != nil {
		return nil, jsonSyntaxError("data.json", src, err)
	}
	if dec.More() {
		return nil, &SyntaxError{Format: "data.json", Msg: "data after the JSON value"}
	}
	if top == nil {
		return nil, &SyntaxError{Format: "data.json", Msg: "not a JSON object"}
	}
	pr := &podReader{opts: opts}
	c := &Catalog{}
	res := &ReadResult{Catalog: c}
	o := podObject{r: pr, path: "", fields: top}
	c.IRI = o.str("@id")
	if t := o.str("@type"); t != "" && t != "dcat:Catalog" {
		pr.problem("@type", RuleVocabulary, "dcat:Catalog", SeverityViolation)
	}
	if v := o.str("conformsTo"); v != PODConformsTo {
		pr.problem("conformsTo", RuleVocabulary, PODConformsTo, SeverityViolation)
	}
	o.str("@context")
	o.str("describedBy")
	var raw []json.RawMessage
	o.decode("dataset", &raw)
	if _, ok := top["dataset"]; !ok {
		pr.problem("dataset", RuleMandatory, "dataset", SeverityViolation)
	}
	o.unknown()

	datasets := make([]*Dataset, 0, len(raw))
	parents := make([]string, 0, len(raw))
	for i, m := range raw {
		p := index("datasets", i)
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(m, &fields); err != nil || fields == nil {
			pr.problem(p, RuleFormat, "object expected", SeverityViolation)
			continue
		}
		d, parent := pr.dataset(podObject{r: pr, path: p, fields: fields})
		datasets = append(datasets, d)
		parents = append(parents, parent)
	}
	// isPartOf names the identifier of another dataset of the file: that
	// dataset is a series.
	byID := make(map[string]int, len(datasets))
	for i, d := range datasets {
		if d.Identifier != "" {
			if _, dup := byID[d.Identifier]; !dup {
				byID[d.Identifier] = i
			}
		}
	}
	isSeries := make(map[int]bool)
	for i, parent := range parents {
		if parent == "" {
			continue
		}
		if j, ok := byID[parent]; ok && j != i {
			isSeries[j] = true
			continue
		}
		if hasScheme(parent) {
			datasets[i].InSeries = []string{parent}
			continue
		}
		pr.problem(index("datasets", i)+".isPartOf", RuleUnknown, "no dataset with identifier "+truncateRunes(parent, 80), SeverityWarning)
	}
	for i, parent := range parents {
		if j, ok := byID[parent]; ok && j != i && parent != "" {
			datasets[i].InSeries = []string{seriesIRI(datasets[j])}
		}
	}
	for i, d := range datasets {
		if isSeries[i] {
			c.Series = append(c.Series, podToSeries(d))
		} else {
			c.Datasets = append(c.Datasets, d)
		}
	}
	res.Problems = pr.problems
	return res, nil
}

// seriesIRI is the IRI a series read from data.json gets: its identifier
// when that is an IRI, else its landing page (WriteDataJSON writes a
// series' IRI there), else the IRI made from the identifier.
func seriesIRI(d *Dataset) string {
	if isAbsoluteIRI(d.Identifier) {
		return d.Identifier
	}
	if isAbsoluteIRI(d.LandingPage) {
		return d.LandingPage
	}
	return d.IRI
}

func podToSeries(d *Dataset) *DatasetSeries {
	return &DatasetSeries{
		IRI:                seriesIRI(d),
		Identifier:         d.Identifier,
		Title:              d.Title,
		Description:        d.Description,
		Publisher:          d.Publisher,
		ContactPoints:      d.ContactPoints,
		AccrualPeriodicity: d.AccrualPeriodicity,
		Spatial:            d.Spatial,
		Temporal:           d.Temporal,
		Issued:             d.Issued,
		Modified:           d.Modified,
	}
}

type podReader struct {
	opts     ReadOptions
	problems []Finding
	labels   map[string]map[string]string // scheme -> folded label -> concept, built on first use
}

// concept finds a concept of scheme by label or code, through an index
// built once per document.
func (pr *podReader) concept(scheme, label string) (string, bool) {
	if pr.labels == nil {
		pr.labels = make(map[string]map[string]string)
	}
	idx, ok := pr.labels[scheme]
	if !ok {
		idx = conceptIndex(scheme)
		pr.labels[scheme] = idx
	}
	return lookupConcept(idx, scheme, label)
}

// lookupConcept finds label in a concept index; a concept IRI of the
// scheme that the index does not know is taken as it is.
func lookupConcept(idx map[string]string, scheme, label string) (string, bool) {
	label = strings.TrimSpace(label)
	if v, ok := idx[strings.ToLower(label)]; ok {
		return v, true
	}
	if strings.HasPrefix(label, scheme+"/") && isAbsoluteIRI(label) {
		return label, true
	}
	return "", false
}

func (pr *podReader) problem(field, rule, param string, severity Severity) {
	pr.problems = append(pr.problems, Finding{Path: field, Rule: rule, Param: param, Severity: severity})
}

// podObject is one JSON object being read; keys read are remembered so
// that unknown() can report the rest.
type podObject struct {
	r      *podReader
	path   string
	fields map[string]json.RawMessage
	seen   map[string]bool
}

func (o *podObject) field(k string) string { return path(o.path, k) }

func (o *podObject) raw(k string) (json.RawMessage, bool) {
	if o.seen == nil {
		o.seen = make(map[string]bool)
	}
	o.seen[k] = true
	v, ok := o.fields[k]
	if ok && string(bytes.TrimSpace(v)) == "null" {
		return nil, false
	}
	return v, ok
}

func (o *podObject) decode(k string, v any) bool {
	m, ok := o.raw(k)
	if !ok {
		return false
	}
	if err := json.Unmarshal(m, v); err != nil {
		o.r.problem(o.field(k), RuleFormat, jsonKind(v), SeverityViolation)
		return false
	}
	return true
}

func jsonKind(v any) string {
	switch v.(type) {
	case *string:
		return "string expected"
	case *[]string:
		return "array of strings expected"
	case *bool:
		return "boolean expected"
	}
	return "malformed value"
}

func (o *podObject) str(k string) string {
	var s string
	o.decode(k, &s)
	return s
}

// strs reads an array of strings (a lone string is accepted with a
// warning).
func (o *podObject) strs(k string) []string {
	m, ok := o.raw(k)
	if !ok {
		return nil
	}
	var ss []string
	if err := json.Unmarshal(m, &ss); err == nil {
		return ss
	}
	var s string
	if err := json.Unmarshal(m, &s); err == nil {
		o.r.problem(o.field(k), RuleFormat, "array expected, found a string", SeverityWarning)
		return []string{s}
	}
	o.r.problem(o.field(k), RuleFormat, "array of strings expected", SeverityViolation)
	return nil
}

func (o *podObject) object(k string) (podObject, bool) {
	var fields map[string]json.RawMessage
	if !o.decode(k, &fields) || fields == nil {
		return podObject{}, false
	}
	return podObject{r: o.r, path: o.field(k), fields: fields}, true
}

// unknown reports every key not read.
func (o *podObject) unknown() {
	keys := make([]string, 0, len(o.fields))
	for k := range o.fields {
		if !o.seen[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		field := o.path
		if field == "" {
			field = "catalog"
		}
		o.r.problem(field, RuleUnknown, k, SeverityWarning)
	}
}

func (pr *podReader) dataset(o podObject) (*Dataset, string) {
	d := &Dataset{}
	if t := o.str("@type"); t != "" && t != "dcat:Dataset" {
		pr.problem(o.field("@type"), RuleVocabulary, "dcat:Dataset", SeverityViolation)
	}
	langs := o.strs("language")
	lang := pr.opts.Language
	for i, l := range langs {
		if lang == "" && i == 0 {
			lang, _, _ = strings.Cut(strings.ToLower(l), "-")
		}
		if el := LanguageFromTag(l); el != "" {
			d.Languages = append(d.Languages, el)
		} else {
			pr.problem(index(o.field("language"), i), RuleVocabulary, truncateRunes(l, 40), SeverityWarning)
		}
	}
	text := func(k string) Text {
		if s := o.str(k); s != "" {
			return Text{lang: s}
		}
		return nil
	}
	d.Title = text("title")
	d.Description = text("description")
	d.Identifier = o.str("identifier")
	switch {
	case isAbsoluteIRI(d.Identifier):
		d.IRI = d.Identifier
	case d.Identifier != "" && pr.opts.Base != "":
		d.IRI = resolveIRI(pr.opts.Base, "#"+url.PathEscape(d.Identifier))
	}
	if kw := o.strs("keyword"); len(kw) > 0 {
		d.Keywords = Keywords{lang: kw}
	}
	d.Modified = pr.date(&o, "modified")
	d.Issued = pr.date(&o, "issued")
	if pub, ok := o.object("publisher"); ok {
		d.Publisher = &Agent{Name: Text{lang: pub.str("name")}}
		if t := pub.str("@type"); t != "" && t != "org:Organization" {
			pr.problem(pub.field("@type"), RuleVocabulary, "org:Organization", SeverityWarning)
		}
		pub.unknown() // subOrganizationOf has no DCAT-AP counterpart
	}
	if cp, ok := o.object("contactPoint"); ok {
		c := Contact{Name: cp.str("fn"), Email: strings.TrimPrefix(cp.str("hasEmail"), "mailto:")}
		if t := cp.str("@type"); t != "" && t != "vcard:Contact" {
			pr.problem(cp.field("@type"), RuleVocabulary, "vcard:Contact", SeverityWarning)
		}
		cp.unknown()
		d.ContactPoints = []Contact{c}
	}
	switch lvl := o.str("accessLevel"); lvl {
	case "public":
		d.AccessRights = AccessPublic
	case "restricted public":
		d.AccessRights = AccessRestricted
	case "non-public":
		d.AccessRights = AccessNonPublic
	case "":
	default:
		pr.problem(o.field("accessLevel"), RuleVocabulary, "public|restricted public|non-public", SeverityViolation)
	}
	var license LicenseDocument
	if l := o.str("license"); l != "" {
		if known, ok := KnownLicense(l); ok {
			license = known
		} else if known, ok := knownLicenseURL(l); ok {
			license = known
		} else {
			license = LicenseDocument{IRI: l}
		}
	}
	rights := o.str("rights")
	if s := o.str("spatial"); s != "" {
		d.Spatial = []Location{podLocation(s, lang)}
	}
	if s := o.str("temporal"); s != "" {
		start, end, ok := strings.Cut(s, "/")
		ts, ok1 := parseDateTime(start)
		te, ok2 := parseDateTime(end)
		if ok && ok1 && ok2 {
			d.Temporal = []PeriodOfTime{{Start: ts, End: te}}
		} else {
			pr.problem(o.field("temporal"), RuleFormat, "start/end dates expected: "+truncateRunes(s, 64), SeverityWarning)
		}
	}
	if f := o.str("accrualPeriodicity"); f != "" {
		if fr, ok := podFrequencies[f]; ok {
			d.AccrualPeriodicity = fr
		} else {
			pr.problem(o.field("accrualPeriodicity"), RuleVocabulary, truncateRunes(f, 40), SeverityWarning)
		}
	}
	if s := o.str("conformsTo"); s != "" {
		d.ConformsTo = []Standard{{IRI: s}}
	}
	if s := o.str("describedBy"); s != "" {
		d.Documentation = append(d.Documentation, s)
	}
	parent := o.str("isPartOf")
	d.LandingPage = o.str("landingPage")
	d.Documentation = append(d.Documentation, o.strs("references")...)
	for i, t := range o.strs("theme") {
		if th, ok := pr.concept(SchemeDataTheme, t); ok {
			d.Themes = append(d.Themes, Theme(th))
			continue
		}
		// A free-text theme is a keyword; it is reported so that a
		// curator can map it to an EU data theme.
		if d.Keywords == nil {
			d.Keywords = Keywords{}
		}
		if !containsString(d.Keywords[lang], t) {
			d.Keywords[lang] = append(d.Keywords[lang], t)
		}
		pr.problem(index(o.field("theme"), i), RuleVocabulary, "not an EU data theme, kept as a keyword: "+truncateRunes(t, 40), SeverityWarning)
	}
	var raw []json.RawMessage
	o.decode("distribution", &raw)
	for i, m := range raw {
		p := index(o.field("distributions"), i)
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(m, &fields); err != nil || fields == nil {
			pr.problem(p, RuleFormat, "object expected", SeverityViolation)
			continue
		}
		ds := pr.distribution(podObject{r: pr, path: p, fields: fields}, lang)
		ds.License = license
		if rights != "" {
			ds.Rights = RightsStatement{Label: Text{lang: rights}}
		}
		d.Distributions = append(d.Distributions, ds)
	}
	if len(d.Distributions) == 0 {
		// DCAT-AP carries licence and rights on distributions.
		if license.IRI != "" {
			pr.problem(o.field("license"), RuleUnknown, "license: no distribution to carry it", SeverityWarning)
		}
		if rights != "" {
			pr.problem(o.field("rights"), RuleUnknown, "rights: no distribution to carry it", SeverityWarning)
		}
	}
	o.unknown() // bureauCode, programCode, dataQuality, primaryITInvestmentUII, systemOfRecords, describedByType...
	return d, parent
}

func (pr *podReader) distribution(o podObject, lang string) Distribution {
	var ds Distribution
	if t := o.str("@type"); t != "" && t != "dcat:Distribution" {
		pr.problem(o.field("@type"), RuleVocabulary, "dcat:Distribution", SeverityViolation)
	}
	if s := o.str("title"); s != "" {
		ds.Title = Text{lang: s}
	}
	if s := o.str("description"); s != "" {
		ds.Description = Text{lang: s}
	}
	ds.DownloadURL = o.str("downloadURL")
	ds.AccessURL = o.str("accessURL")
	if ds.AccessURL == "" {
		ds.AccessURL = ds.DownloadURL // dcat:accessURL is mandatory in DCAT-AP
	}
	if mt := o.str("mediaType"); mt != "" {
		ds.MediaType = MediaTypeOf(mt)
	}
	if f := o.str("format"); f != "" {
		if ft, ok := pr.concept(SchemeFileType, f); ok {
			ds.Format = FileType(ft)
		} else {
			pr.problem(o.field("format"), RuleVocabulary, "not an EU file type: "+truncateRunes(f, 40), SeverityWarning)
		}
	}
	if s := o.str("conformsTo"); s != "" {
		ds.ConformsTo = []Standard{{IRI: s}}
	}
	if s := o.str("describedBy"); s != "" {
		ds.Documentation = []string{s}
	}
	o.unknown()
	return ds
}

func (pr *podReader) date(o *podObject, k string) (t time.Time) {
	s := o.str(k)
	if s == "" {
		return
	}
	v, ok := parseDateTime(s)
	if !ok {
		pr.problem(o.field(k), RuleFormat, "not a date: "+truncateRunes(s, 64), SeverityWarning)
		return
	}
	return v
}

func isAbsoluteIRI(s string) bool {
	return hasScheme(s) && !strings.ContainsAny(s, " \t\n<>\"{}|\\^`")
}

// podLocation reads a data.json spatial value: a place IRI, a bounding
// box "west,south,east,north" (as data.gov reads it), a WKT geometry, else
// a place name.
func podLocation(s, lang string) Location {
	if parts := strings.Split(s, ","); len(parts) == 4 {
		var v [4]float64
		ok := true
		for i, p := range parts {
			f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
			ok = ok && err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
			v[i] = f
		}
		if ok && v[0] >= -180 && v[2] <= 180 && v[1] >= -90 && v[3] <= 90 && v[0] <= v[2] && v[1] <= v[3] {
			f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
			w, so, e, n := f(v[0]), f(v[1]), f(v[2]), f(v[3])
			return Location{BBox: "POLYGON((" + w + " " + so + "," + e + " " + so + "," + e + " " + n + "," + w + " " + n + "," + w + " " + so + "))"}
		}
	}
	switch u := strings.ToUpper(strings.TrimSpace(s)); {
	case isAbsoluteIRI(s) && (strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")):
		return Location{IRI: s}
	case strings.HasPrefix(u, "POINT"), strings.HasPrefix(u, "POLYGON"), strings.HasPrefix(u, "MULTIPOLYGON"),
		strings.HasPrefix(u, "LINESTRING"), strings.HasPrefix(u, "ENVELOPE"):
		return Location{Geometry: s}
	}
	return Location{Label: Text{lang: s}}
}

// podFrequencies maps ISO 8601 repeating durations to EU frequencies (the
// inverse of podFrequency).
var podFrequencies = map[string]Frequency{
	"R/PT1S": FrequencyContinuous, "R/PT1H": FrequencyHourly, "R/P1D": FrequencyDaily,
	"R/P1W": FrequencyWeekly, "R/P1M": FrequencyMonthly, "R/P3M": FrequencyQuarterly,
	"R/P6M": FrequencySemiannual, "R/P1Y": FrequencyAnnual, "irregular": FrequencyIrregular,
}

// conceptByLabel finds the concept of scheme with this English or French
// label, code or IRI.
func conceptByLabel(scheme, s string) (string, bool) {
	return lookupConcept(conceptIndex(scheme), scheme, s)
}

// conceptIndex maps the folded English and French labels, the code and the
// IRI of each known concept of scheme to the concept (the first concept in
// IRI order wins a shared label).
func conceptIndex(scheme string) map[string]string {
	keys := make([]string, 0, 16)
	for k := range vocabularyLabels {
		if strings.HasPrefix(k, scheme+"/") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	idx := make(map[string]string, 4*len(keys))
	for _, k := range keys {
		l := vocabularyLabels[k]
		for _, name := range []string{l[0], l[1], lastSegment(k), k} {
			if f := strings.ToLower(name); f != "" {
				if _, taken := idx[f]; !taken {
					idx[f] = k
				}
			}
		}
	}
	return idx
}

// knownLicenseURL finds a known licence by the address of its text
// (data.json usually gives that, e.g. the Creative Commons deed).
func knownLicenseURL(s string) (LicenseDocument, bool) {
	norm := func(u string) string {
		u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
		return strings.TrimSuffix(u, "/")
	}
	for _, l := range knownLicenses() {
		if l.URL != "" && norm(l.URL) == norm(s) {
			return l, true
		}
	}
	return LicenseDocument{}, false
}
