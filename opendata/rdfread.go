package opendata

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file maps an RDF graph, read from Turtle or JSON-LD, onto the
// DCAT-AP model. It is the inverse of catalog_graph.go and reads what other
// DCAT-AP producers write too. Every triple the mapping does not consume is
// reported as a Finding with RuleUnknown, at the field path of the node
// it describes (or the node's IRI when the node is not part of the
// catalogue); every value of the wrong kind or form is reported with
// RuleFormat. Nothing is dropped silently.
//
// Derived statements that the writers regenerate are consumed without a
// report: the rdf:type of linked nodes, the description of vocabulary
// concepts (skos:prefLabel, skos:inScheme) and of their schemes, and the
// series navigation (dcat:first, dcat:last, dcat:prev, dcat:next).

// ReadOptions tunes the readers. The zero value works.
type ReadOptions struct {
	// Base is the document's address: relative IRIs are resolved against
	// it (Turtle, JSON-LD), and data.json datasets whose identifier is not
	// an IRI get the IRI Base#identifier.
	Base string
	// Language is the BCP 47 tag given to data.json texts (data.json has
	// no language tags). Default: the dataset's first "language", else "".
	Language string
	// LoadContext returns a remote JSON-LD @context document. Nil refuses
	// every remote context except those in Contexts.
	LoadContext func(ctx context.Context, url string) ([]byte, error)
	// Contexts are remote @context documents known in advance, by URL.
	Contexts map[string][]byte
	// MaxBytes bounds the document size (default 256 MiB).
	MaxBytes int64
}

// ReadResult is a catalogue read from a document.
type ReadResult struct {
	// Catalog holds what could be mapped. A document without a
	// dcat:Catalog (a lone dataset, say) gives a catalogue with only the
	// datasets, series and services found.
	Catalog *Catalog `json:"catalog"`
	// Page is the hydra paging node of a paged catalogue; nil when none.
	Page *Page `json:"page,omitempty"`
	// Problems lists every property that could not be mapped (RuleUnknown)
	// or was malformed (RuleFormat, RuleVocabulary, RuleMaxCount), with its
	// path ("datasets[2].distributions[0]") and the property in Param.
	Problems []Finding `json:"problems,omitempty"`
	// Referenced are the IRIs of datasets the catalogue lists
	// (dcat:dataset) without describing them in this document: a paged
	// udata catalogue lists every dataset on every page and describes each
	// on one page only. They are not datasets of Catalog; a harvester
	// matches them with their description on another page.
	Referenced []string `json:"referenced,omitempty"`
}

// NextPage returns the page after this one (hydra:next, else
// hydra:nextPage), or "" on the last page.
func (r *ReadResult) NextPage() string {
	if r == nil || r.Page == nil {
		return ""
	}
	return r.Page.Next
}

type triple struct{ s, p, o term }

type rdfReader struct {
	referenced []string
	triples    []triple
	used       []bool
	bySubj     map[term][]int
	paths      map[term]string
	problems   []Finding
	reported   map[[2]string]bool
	locate     func(term) string
}

func newRDFReader(ts []triple) *rdfReader {
	r := &rdfReader{
		triples:  ts,
		used:     make([]bool, len(ts)),
		bySubj:   make(map[term][]int),
		paths:    make(map[term]string),
		reported: make(map[[2]string]bool),
	}
	for i, t := range ts {
		r.bySubj[t.s] = append(r.bySubj[t.s], i)
	}
	return r
}

func (r *rdfReader) problem(field, rule, param string, severity Severity) {
	k := [2]string{field, rule + " " + param}
	if r.reported[k] {
		return
	}
	r.reported[k] = true
	r.problems = append(r.problems, Finding{Path: field, Rule: rule, Param: param, Severity: severity})
}

// mark records where a node was mapped (the first place wins).
func (r *rdfReader) mark(n term, path string) {
	if n.kind == termLiteral {
		return
	}
	if _, ok := r.paths[n]; !ok {
		r.paths[n] = path
	}
}

// take returns the objects of s's pred statements in document order and
// marks them consumed.
func (r *rdfReader) take(s term, pred string) []term {
	var out []term
	for _, i := range r.bySubj[s] {
		if r.triples[i].p.value == pred && r.triples[i].p.kind == termIRI {
			r.used[i] = true
			out = append(out, r.triples[i].o)
		}
	}
	return out
}

func (r *rdfReader) hasType(s term, class string) bool {
	for _, i := range r.bySubj[s] {
		t := r.triples[i]
		if t.p.value == nsRDF+"type" && t.o.kind == termIRI && t.o.value == class {
			return true
		}
	}
	return false
}

func (r *rdfReader) typeUnused(s term, class string) bool {
	for _, i := range r.bySubj[s] {
		t := r.triples[i]
		if t.p.value == nsRDF+"type" && t.o.kind == termIRI && t.o.value == class && !r.used[i] {
			return true
		}
	}
	return false
}

// takeTypes consumes the rdf:type statements of s naming one of classes.
func (r *rdfReader) takeTypes(s term, classes ...string) {
	for _, i := range r.bySubj[s] {
		t := r.triples[i]
		if t.p.value != nsRDF+"type" || t.o.kind != termIRI {
			continue
		}
		for _, c := range classes {
			if t.o.value == c {
				r.used[i] = true
			}
		}
	}
}

// ref consumes the rdf:type of a linked resource that the writers describe
// by its class only (a landing page is a foaf:Document).
func (r *rdfReader) ref(o term, classes ...string) { r.takeTypes(o, classes...) }

// hasOtherType reports whether s has an rdf:type other than class.
func (r *rdfReader) hasOtherType(s term, class string) bool {
	for _, i := range r.bySubj[s] {
		t := r.triples[i]
		if t.p.value == nsRDF+"type" && t.o.value != class {
			return true
		}
	}
	return false
}

// hasProps reports whether s has statements besides rdf:type.
func (r *rdfReader) hasProps(s term) bool {
	for _, i := range r.bySubj[s] {
		if r.triples[i].p.value != nsRDF+"type" {
			return true
		}
	}
	return false
}

func compactName(v string) string { return jsonldCompact(v) }

func (r *rdfReader) malformed(path, pred, what string) {
	r.problem(path, RuleFormat, compactName(pred)+": "+what, SeverityViolation)
}

// text reads language-tagged literals into a Text; a second value in the
// same language is reported with RuleMaxCount.
func (r *rdfReader) text(s term, pred, path string) Text {
	var t Text
	for _, o := range r.take(s, pred) {
		if o.kind != termLiteral {
			r.malformed(path, pred, "literal expected")
			continue
		}
		if t == nil {
			t = Text{}
		}
		if _, dup := t[o.lang]; dup {
			r.problem(path, RuleMaxCount, compactName(pred)+"@"+o.lang, SeverityWarning)
			continue
		}
		t[o.lang] = o.value
	}
	return t
}

// str reads one plain literal.
func (r *rdfReader) str(s term, pred, path string) string {
	out, n := "", 0
	for _, o := range r.take(s, pred) {
		if o.kind != termLiteral {
			r.malformed(path, pred, "literal expected")
			continue
		}
		if n++; n > 1 {
			r.problem(path, RuleMaxCount, compactName(pred), SeverityWarning)
			continue
		}
		out = o.value
	}
	return out
}

// iriValue returns the IRI an object names: an IRI, or a literal holding
// an absolute IRI (accepted with a warning, as many catalogues write
// licences and pages as strings).
func (r *rdfReader) iriValue(o term, pred, path string) (string, bool) {
	switch o.kind {
	case termIRI:
		return o.value, true
	case termLiteral:
		if hasScheme(o.value) && !strings.ContainsAny(o.value, " \t\n<>\"") {
			r.problem(path, RuleFormat, compactName(pred)+": literal where an IRI is expected", SeverityWarning)
			return o.value, true
		}
		r.malformed(path, pred, "IRI expected")
	default:
		r.malformed(path, pred, "IRI expected, found a blank node")
	}
	return "", false
}

// iris reads IRI objects, consuming the linked node's rdf:type of the
// given classes.
func (r *rdfReader) iris(s term, pred, path string, classes ...string) []string {
	var out []string
	for _, o := range r.take(s, pred) {
		if v, ok := r.iriValue(o, pred, path); ok {
			out = append(out, v)
			r.ref(o, classes...)
		}
	}
	return out
}

// iriOne reads a single IRI object.
func (r *rdfReader) iriOne(s term, pred, path string, classes ...string) string {
	vs := r.iris(s, pred, path, classes...)
	if len(vs) > 1 {
		r.problem(path, RuleMaxCount, compactName(pred), SeverityWarning)
	}
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// Classes and statements of a vocabulary concept description.
var conceptClasses = []string{
	nsSKOS + "Concept", nsDCT + "Frequency", nsDCT + "RightsStatement",
	nsDCT + "LinguisticSystem", nsDCT + "MediaTypeOrExtent", nsDCT + "MediaType",
}

// concept consumes the description of a vocabulary concept and of its
// scheme.
func (r *rdfReader) concept(o term) {
	r.takeTypes(o, conceptClasses...)
	r.take(o, nsSKOS+"prefLabel")
	r.take(o, nsSKOS+"notation")
	for _, sc := range r.take(o, nsSKOS+"inScheme") {
		r.scheme(sc)
	}
}

func (r *rdfReader) scheme(o term) {
	r.takeTypes(o, nsSKOS+"ConceptScheme")
	r.take(o, nsDCT+"title")
	r.take(o, nsSKOS+"prefLabel")
}

// literalConcept maps the literal forms older catalogues (and CKAN's
// ckanext-dcat) write for vocabulary properties ("CSV", "fr", "annual") to
// the concept IRI.
func literalConcept(pred, v string) (string, bool) {
	switch pred {
	case nsDCT + "format":
		return conceptByLabel(SchemeFileType, v)
	case nsDCAT + "theme":
		return conceptByLabel(SchemeDataTheme, v)
	case nsDCT + "accrualPeriodicity":
		if f, ok := podFrequencies[v]; ok {
			return string(f), true
		}
		return conceptByLabel(SchemeFrequency, v)
	case nsDCT + "accessRights":
		return conceptByLabel(SchemeAccessRight, v)
	case nsDCT + "language":
		if l := LanguageFromTag(v); l != "" && !hasScheme(v) {
			return string(l), true
		}
	}
	return "", false
}

// concepts reads vocabulary IRIs.
func (r *rdfReader) concepts(s term, pred, path string) []string {
	var out []string
	for _, o := range r.take(s, pred) {
		if o.kind == termLiteral {
			if v, ok := literalConcept(pred, o.value); ok {
				r.problem(path, RuleFormat, compactName(pred)+": literal "+strconv.Quote(truncateRunes(o.value, 40))+" read as "+v, SeverityWarning)
				out = append(out, v)
				continue
			}
		}
		if v, ok := r.iriValue(o, pred, path); ok {
			out = append(out, v)
			r.concept(o)
		}
	}
	return out
}

func (r *rdfReader) conceptOne(s term, pred, path string) string {
	vs := r.concepts(s, pred, path)
	if len(vs) > 1 {
		r.problem(path, RuleMaxCount, compactName(pred), SeverityWarning)
	}
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// timeOne reads an xsd:date or xsd:dateTime (or gYear, gYearMonth).
func (r *rdfReader) timeOne(s term, pred, path string) time.Time {
	var out time.Time
	for i, o := range r.take(s, pred) {
		if o.kind != termLiteral {
			r.malformed(path, pred, "date literal expected")
			continue
		}
		t, ok := parseDateTime(o.value)
		if !ok {
			r.malformed(path, pred, "not an xsd:date or xsd:dateTime: "+truncateRunes(o.value, 64))
			continue
		}
		if i > 0 {
			r.problem(path, RuleMaxCount, compactName(pred), SeverityWarning)
			continue
		}
		out = t
	}
	return out
}

// parseDateTime reads the date and time forms of XML Schema (and RFC 3339)
// into UTC.
func parseDateTime(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	for _, layout := range []string{
		time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04",
		time.DateOnly, "2006-01-02Z07:00", "2006-01", "2006",
	} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), true
		}
	}
	if strings.HasSuffix(v, "Z") { // "2021-03-04Z", "2021Z"
		for _, layout := range []string{time.DateOnly, "2006-01", "2006"} {
			if t, err := time.Parse(layout, strings.TrimSuffix(v, "Z")); err == nil {
				return t.UTC(), true
			}
		}
	}
	return time.Time{}, false
}

func (r *rdfReader) intOne(s term, pred, path string) int64 {
	var out int64
	for _, o := range r.take(s, pred) {
		if o.kind != termLiteral {
			r.malformed(path, pred, "integer literal expected")
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(o.value), 10, 64)
		if err != nil || n < 0 {
			// Some catalogues write "1.2E5"; accept a whole float.
			f, ferr := strconv.ParseFloat(strings.TrimSpace(o.value), 64)
			if ferr != nil || f < 0 || f != float64(int64(f)) {
				r.malformed(path, pred, "not a non-negative integer: "+truncateRunes(o.value, 64))
				continue
			}
			n = int64(f)
		}
		out = n
	}
	return out
}

func (r *rdfReader) floatOne(s term, pred, path string) float64 {
	var out float64
	for _, o := range r.take(s, pred) {
		if o.kind != termLiteral {
			r.malformed(path, pred, "number literal expected")
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(o.value), 64)
		if err != nil {
			r.malformed(path, pred, "not a number: "+truncateRunes(o.value, 64))
			continue
		}
		out = f
	}
	return out
}

// readGraph maps the triples onto a catalogue.
// locate, when not nil, tells where in the document a node outside the
// catalogue was described ("line 12", "/@graph/3"); "" when unknown.
func readGraph(ts []triple, locate func(term) string) *ReadResult {
	r := newRDFReader(ts)
	r.locate = locate
	res := &ReadResult{Catalog: &Catalog{}}
	c := res.Catalog

	// The catalogue: the first dcat:Catalog node with statements besides
	// its type (sub-catalogues are references).
	var cat term
	found := false
	for _, t := range ts {
		if t.p.value == nsRDF+"type" && t.o.value == nsDCAT+"Catalog" && r.hasProps(t.s) {
			cat, found = t.s, true
			break
		}
	}
	if found {
		r.catalog(cat, c)
	}
	// The hydra page.
	for _, t := range ts {
		if t.p.value == nsHydra+"next" || t.p.value == nsHydra+"nextPage" ||
			(t.p.value == nsRDF+"type" && (t.o.value == HydraPartialCollectionView || t.o.value == HydraPagedCollection)) {
			if _, done := r.paths[t.s]; !done {
				res.Page = r.page(t.s)
			}
			break
		}
	}
	// Datasets, series and services outside a catalogue (a document
	// describing one dataset, or statements the catalogue does not list).
	seen := make(map[term]bool)
	for _, t := range ts {
		if t.p.value != nsRDF+"type" || seen[t.s] {
			continue
		}
		if _, mapped := r.paths[t.s]; mapped {
			continue
		}
		switch t.o.value {
		case nsDCAT + "Dataset", nsDCAT + "DatasetSeries", nsDCAT + "DataService":
		default:
			continue
		}
		if !r.typeUnused(t.s, t.o.value) && !r.hasProps(t.s) {
			continue // a reference described by its class only
		}
		seen[t.s] = true
		switch t.o.value {
		case nsDCAT + "DatasetSeries":
			c.Series = append(c.Series, r.series(t.s, index("series", len(c.Series))))
		case nsDCAT + "DataService":
			c.Services = append(c.Services, r.service(t.s, index("services", len(c.Services))))
		default:
			if r.hasType(t.s, nsDCAT+"DatasetSeries") {
				c.Series = append(c.Series, r.series(t.s, index("series", len(c.Series))))
			} else {
				c.Datasets = append(c.Datasets, r.dataset(t.s, index("datasets", len(c.Datasets))))
			}
		}
	}
	r.addSeriesMembers(c)
	for _, iri := range r.referenced {
		if !slices.ContainsFunc(c.Datasets, func(d *Dataset) bool { return d.IRI == iri }) {
			res.Referenced = append(res.Referenced, iri)
		}
	}
	res.Problems = append(r.problems, r.leftovers()...)
	return res
}

// leftovers reports every statement no mapping consumed.
func (r *rdfReader) leftovers() []Finding {
	var out []Finding
	seen := make(map[[2]string]bool)
	for i, t := range r.triples {
		if r.used[i] {
			continue
		}
		field, ok := r.paths[t.s]
		switch {
		case ok && field == "":
			field = "catalog"
		case !ok && t.s.kind == termBlank:
			field = "_:" + t.s.value
		case !ok:
			field = "<" + t.s.value + ">"
		}
		if !ok && r.locate != nil {
			if at := r.locate(t.s); at != "" {
				field += " (" + at + ")"
			}
		}
		param := compactName(t.p.value)
		if t.p.value == nsRDF+"type" {
			param = "rdf:type " + compactName(t.o.value)
		}
		k := [2]string{field, param}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, Finding{Path: field, Rule: RuleUnknown, Param: param, Severity: SeverityWarning})
	}
	return out
}

func (r *rdfReader) page(s term) *Page {
	r.mark(s, "page")
	r.takeTypes(s, HydraPartialCollectionView, HydraPagedCollection)
	p := &Page{}
	if s.kind == termIRI {
		p.IRI = s.value
	}
	// ckanext-dcat writes the links as literals: accepted as they are.
	link := func(pred string) string {
		for _, o := range r.take(s, pred) {
			switch {
			case o.kind == termIRI:
				return o.value
			case o.kind == termLiteral && isAbsoluteIRI(o.value):
				return o.value
			}
			r.malformed("page", pred, "IRI expected")
		}
		return ""
	}
	one := func(now, old string) string {
		a, b := link(now), link(old)
		if a == "" {
			return b
		}
		return a
	}
	p.First = one(HydraFirst, HydraFirstPage)
	p.Previous = one(HydraPrevious, HydraPreviousPage)
	p.Next = one(HydraNext, HydraNextPage)
	p.Last = one(HydraLast, HydraLastPage)
	p.TotalItems = int(min(r.intOne(s, HydraTotalItems, "page"), 1<<31-1))
	p.ItemsPerPage = int(min(r.intOne(s, HydraItemsPerPage, "page"), 1<<31-1))
	return p
}

func (r *rdfReader) catalog(s term, c *Catalog) {
	r.mark(s, "")
	r.takeTypes(s, nsDCAT+"Catalog")
	if s.kind == termIRI {
		c.IRI = s.value
	}
	c.Title = r.text(s, nsDCT+"title", "title")
	c.Description = r.text(s, nsDCT+"description", "description")
	c.Publisher = r.agentOne(s, nsDCT+"publisher", "publisher")
	c.Creator = r.agentOne(s, nsDCT+"creator", "creator")
	c.Homepage = r.iriOne(s, nsFOAF+"homepage", "homepage", nsFOAF+"Document")
	for _, l := range r.concepts(s, nsDCT+"language", "languages") {
		c.Languages = append(c.Languages, Language(l))
	}
	c.License = r.licenseOne(s, nsDCT+"license", "license")
	c.Rights = r.rightsOne(s, nsDCT+"rights", "rights")
	c.Issued = r.timeOne(s, nsDCT+"issued", "issued")
	c.Modified = r.timeOne(s, nsDCT+"modified", "modified")
	c.Spatial = r.locations(s, "spatial")
	for _, o := range r.take(s, nsDCAT+"themeTaxonomy") {
		if v, ok := r.iriValue(o, nsDCAT+"themeTaxonomy", "theme_taxonomy"); ok {
			c.ThemeTaxonomy = append(c.ThemeTaxonomy, v)
			r.scheme(o)
			r.concept(o)
		}
	}
	c.ContactPoints = r.contacts(s, "contact_points")
	c.Applicable = r.iris(s, nsDCATAP+"applicableLegislation", "applicable_legislation", nsELI+"LegalResource")
	c.Catalogs = r.iris(s, nsDCAT+"catalog", "catalogs", nsDCAT+"Catalog")
	r.take(s, nsHydra+"view") // the page node, read on its own
	for _, o := range r.take(s, nsDCAT+"dataset") {
		if o.kind == termLiteral {
			r.malformed("datasets", nsDCAT+"dataset", "node expected")
			continue
		}
		if _, done := r.paths[o]; done {
			continue // listed twice
		}
		if !r.hasProps(o) && !r.hasOtherType(o, nsDCAT+"Dataset") {
			r.takeTypes(o, nsDCAT+"Dataset")
			if o.kind == termIRI {
				r.mark(o, "referenced")
				r.referenced = append(r.referenced, o.value)
			} else {
				r.malformed("datasets", nsDCAT+"dataset", "a blank node without statements")
			}
			continue
		}
		if r.hasType(o, nsDCAT+"DatasetSeries") {
			c.Series = append(c.Series, r.series(o, index("series", len(c.Series))))
		} else {
			c.Datasets = append(c.Datasets, r.dataset(o, index("datasets", len(c.Datasets))))
		}
	}
	for _, o := range r.take(s, nsDCAT+"service") {
		if o.kind == termLiteral {
			r.malformed("services", nsDCAT+"service", "node expected")
			continue
		}
		if _, done := r.paths[o]; done {
			continue
		}
		c.Services = append(c.Services, r.service(o, index("services", len(c.Services))))
	}
}

func (r *rdfReader) keywords(s term, path string) Keywords {
	var k Keywords
	for _, o := range r.take(s, nsDCAT+"keyword") {
		if o.kind != termLiteral {
			r.malformed(path, nsDCAT+"keyword", "literal expected")
			continue
		}
		if k == nil {
			k = Keywords{}
		}
		k[o.lang] = append(k[o.lang], o.value)
	}
	return k
}

func (r *rdfReader) dataset(s term, p string) *Dataset {
	r.mark(s, p)
	r.takeTypes(s, nsDCAT+"Dataset")
	d := &Dataset{}
	if s.kind == termIRI {
		d.IRI = s.value
	}
	d.Identifier = r.str(s, nsDCT+"identifier", path(p, "identifier"))
	d.Title = r.text(s, nsDCT+"title", path(p, "title"))
	d.Description = r.text(s, nsDCT+"description", path(p, "description"))
	d.Keywords = r.keywords(s, path(p, "keywords"))
	for _, t := range r.concepts(s, nsDCAT+"theme", path(p, "themes")) {
		d.Themes = append(d.Themes, Theme(t))
	}
	d.Type = DatasetType(r.conceptOne(s, nsDCT+"type", path(p, "type")))
	d.Publisher = r.agentOne(s, nsDCT+"publisher", path(p, "publisher"))
	for i, o := range r.take(s, nsDCT+"creator") {
		if a := r.agent(o, nsDCT+"creator", index(path(p, "creators"), i)); a != nil {
			d.Creators = append(d.Creators, *a)
		}
	}
	d.ContactPoints = r.contacts(s, path(p, "contact_points"))
	d.Issued = r.timeOne(s, nsDCT+"issued", path(p, "issued"))
	d.Modified = r.timeOne(s, nsDCT+"modified", path(p, "modified"))
	for _, l := range r.concepts(s, nsDCT+"language", path(p, "languages")) {
		d.Languages = append(d.Languages, Language(l))
	}
	d.Spatial = r.locations(s, path(p, "spatial"))
	d.Temporal = r.periods(s, path(p, "temporal"))
	d.AccrualPeriodicity = Frequency(r.conceptOne(s, nsDCT+"accrualPeriodicity", path(p, "accrual_periodicity")))
	d.AccessRights = AccessRights(r.conceptOne(s, nsDCT+"accessRights", path(p, "access_rights")))
	d.ConformsTo = r.standards(s, path(p, "conforms_to"))
	d.LandingPage = r.iriOne(s, nsDCAT+"landingPage", path(p, "landing_page"), nsFOAF+"Document")
	d.Documentation = r.iris(s, nsFOAF+"page", path(p, "documentation"), nsFOAF+"Document")
	for i, o := range r.take(s, nsADMS+"identifier") {
		if id, ok := r.identifier(o, index(path(p, "other_identifiers"), i)); ok {
			d.OtherIdentifiers = append(d.OtherIdentifiers, id)
		}
	}
	d.Version = r.str(s, nsDCAT+"version", path(p, "version"))
	d.License = r.licenseOne(s, nsDCT+"license", path(p, "license"))
	d.VersionNotes = r.text(s, nsADMS+"versionNotes", path(p, "version_notes"))
	d.HasVersion = r.iris(s, nsDCAT+"hasVersion", path(p, "has_version"), nsDCAT+"Dataset")
	d.IsVersionOf = r.iriOne(s, nsDCAT+"isVersionOf", path(p, "is_version_of"), nsDCAT+"Dataset")
	d.PreviousVersion = r.iriOne(s, nsDCAT+"previousVersion", path(p, "previous_version"), nsDCAT+"Dataset")
	d.InSeries = r.iris(s, nsDCAT+"inSeries", path(p, "in_series"), nsDCAT+"DatasetSeries")
	// Series navigation is derived from the members' issue dates.
	r.iris(s, nsDCAT+"prev", path(p, "prev"), nsDCAT+"Dataset")
	r.iris(s, nsDCAT+"next", path(p, "next"), nsDCAT+"Dataset")
	for i, o := range r.take(s, nsDCT+"provenance") {
		pp := index(path(p, "provenance"), i)
		r.mark(o, pp)
		r.takeTypes(o, nsDCT+"ProvenanceStatement")
		ps := ProvenanceStatement{Label: r.text(o, nsRDFS+"label", path(pp, "label"))}
		if o.kind == termIRI {
			ps.IRI = o.value
		} else if o.kind == termLiteral { // a bare statement
			ps.Label = Text{o.lang: o.value}
			r.problem(pp, RuleFormat, "dct:provenance: literal where a dct:ProvenanceStatement is expected", SeverityWarning)
		}
		d.Provenance = append(d.Provenance, ps)
	}
	for i, o := range r.take(s, nsPROV+"wasGeneratedBy") {
		ap := index(path(p, "was_generated_by"), i)
		if o.kind == termLiteral {
			r.malformed(ap, nsPROV+"wasGeneratedBy", "node expected")
			continue
		}
		r.mark(o, ap)
		r.takeTypes(o, nsPROV+"Activity")
		a := Activity{
			Label: r.text(o, nsRDFS+"label", path(ap, "label")),
			Start: r.timeOne(o, nsPROV+"startedAtTime", path(ap, "start")),
			End:   r.timeOne(o, nsPROV+"endedAtTime", path(ap, "end")),
		}
		if o.kind == termIRI {
			a.IRI = o.value
		}
		d.WasGeneratedBy = append(d.WasGeneratedBy, a)
	}
	for i, o := range r.take(s, nsPROV+"qualifiedAttribution") {
		ap := index(path(p, "attributions"), i)
		if o.kind == termLiteral {
			r.malformed(ap, nsPROV+"qualifiedAttribution", "node expected")
			continue
		}
		r.mark(o, ap)
		r.takeTypes(o, nsPROV+"Attribution")
		var at Attribution
		if a := r.agentOne(o, nsPROV+"agent", path(ap, "agent")); a != nil {
			at.Agent = *a
		}
		at.Role = r.iriOne(o, nsDCAT+"hadRole", path(ap, "role"), nsDCAT+"Role")
		d.Attributions = append(d.Attributions, at)
	}
	for i, o := range r.take(s, nsDQV+"hasQualityAnnotation") {
		qp := index(path(p, "quality_notes"), i)
		if o.kind == termLiteral {
			d.QualityNotes = append(d.QualityNotes, QualityNote{Body: Text{o.lang: o.value}})
			r.problem(qp, RuleFormat, "dqv:hasQualityAnnotation: literal where a dqv:QualityAnnotation is expected", SeverityWarning)
			continue
		}
		r.mark(o, qp)
		r.takeTypes(o, nsDQV+"QualityAnnotation", nsOA+"Annotation")
		for _, m := range r.take(o, nsOA+"motivatedBy") {
			if m.kind != termIRI || m.value != nsDQV+"qualityAssessment" {
				r.problem(qp, RuleVocabulary, "oa:motivatedBy", SeverityWarning)
			}
		}
		r.take(o, nsOA+"hasTarget") // the dataset itself
		q := QualityNote{Dimension: r.iriOne(o, nsDQV+"inDimension", path(qp, "dimension"))}
		for _, b := range r.take(o, nsOA+"hasBody") {
			if b.kind == termLiteral {
				if q.Body == nil {
					q.Body = Text{}
				}
				q.Body[b.lang] = b.value
				continue
			}
			r.mark(b, path(qp, "body"))
			r.takeTypes(b, nsOA+"TextualBody")
			for l, v := range r.text(b, nsRDF+"value", path(qp, "body")) {
				if q.Body == nil {
					q.Body = Text{}
				}
				q.Body[l] = v
			}
		}
		d.QualityNotes = append(d.QualityNotes, q)
	}
	d.Sources = r.iris(s, nsDCT+"source", path(p, "sources"), nsDCAT+"Dataset")
	d.Related = r.iris(s, nsDCT+"relation", path(p, "related"), nsRDFS+"Resource")
	// A referencing resource with a description is a reuse; a bare IRI
	// stays in IsReferencedBy.
	for _, o := range r.take(s, nsDCT+"isReferencedBy") {
		v, ok := r.iriValue(o, nsDCT+"isReferencedBy", path(p, "is_referenced_by"))
		if !ok {
			continue
		}
		r.ref(o, nsRDFS+"Resource")
		if o.kind != termIRI || !r.hasProps(o) {
			d.IsReferencedBy = append(d.IsReferencedBy, v)
			continue
		}
		rp := index(path(p, "reuses"), len(d.Reuses))
		r.mark(o, rp)
		u := Reuse{URL: v, Title: r.text(o, nsDCT+"title", path(rp, "title"))}
		u.Type = ReuseType(r.iriOne(o, nsDCT+"type", path(rp, "type")))
		u.Organization = r.agentOne(o, nsDCT+"creator", path(rp, "organization"))
		d.Reuses = append(d.Reuses, u)
	}
	// A relationship of role ReuseRole is the qualified form of a reuse:
	// one already read from dct:isReferencedBy is not repeated.
	for i, o := range r.take(s, nsDCAT+"qualifiedRelation") {
		qp := index(path(p, "qualified_relations"), i)
		if o.kind == termLiteral {
			r.malformed(qp, nsDCAT+"qualifiedRelation", "node expected")
			continue
		}
		r.mark(o, qp)
		r.takeTypes(o, nsDCAT+"Relationship")
		q := Relationship{
			Relation: r.iriOne(o, nsDCT+"relation", path(qp, "relation"), nsRDFS+"Resource"),
			Role:     r.iriOne(o, nsDCAT+"hadRole", path(qp, "role"), nsDCAT+"Role"),
		}
		switch {
		case q.Relation == "":
			r.problem(path(qp, "relation"), RuleMandatory, "dct:relation", SeverityViolation)
		case q.Role == "":
			// Kept as a plain relation rather than lost.
			r.problem(path(qp, "role"), RuleMandatory, "dcat:hadRole", SeverityWarning)
			d.Related = append(d.Related, q.Relation)
		case q.Role == ReuseRole:
			if !slices.ContainsFunc(d.Reuses, func(u Reuse) bool { return u.URL == q.Relation }) &&
				!slices.Contains(d.IsReferencedBy, q.Relation) {
				d.Reuses = append(d.Reuses, Reuse{URL: q.Relation})
			}
		default:
			d.QualifiedRelations = append(d.QualifiedRelations, q)
		}
	}
	d.Applicable = r.iris(s, nsDCATAP+"applicableLegislation", path(p, "applicable_legislation"), nsELI+"LegalResource")
	d.SpatialResolutionInMeters = r.floatOne(s, nsDCAT+"spatialResolutionInMeters", path(p, "spatial_resolution_in_meters"))
	d.TemporalResolution = r.str(s, nsDCAT+"temporalResolution", path(p, "temporal_resolution"))
	for i, o := range r.take(s, nsDCAT+"distribution") {
		dp := index(path(p, "distributions"), i)
		if o.kind == termLiteral {
			r.malformed(dp, nsDCAT+"distribution", "node expected")
			continue
		}
		d.Distributions = append(d.Distributions, r.distribution(o, dp, d, len(d.Distributions)))
	}
	sd := sampleHolder(d)
	for i, o := range r.take(s, nsADMS+"sample") {
		sp := index(path(p, "samples"), i)
		if o.kind == termLiteral {
			r.malformed(sp, nsADMS+"sample", "node expected")
			continue
		}
		sd.Distributions = append(sd.Distributions, r.distribution(o, sp, sd, len(sd.Distributions)))
	}
	d.Samples = sd.Distributions
	return d
}

func (r *rdfReader) distribution(s term, p string, d *Dataset, i int) Distribution {
	r.mark(s, p)
	r.takeTypes(s, nsDCAT+"Distribution")
	var ds Distribution
	if s.kind == termIRI && s.value != d.IRI+"#distribution-"+strconv.Itoa(i+1) {
		ds.IRI = s.value // not the IRI the writers make up
	}
	ds.Title = r.text(s, nsDCT+"title", path(p, "title"))
	ds.Description = r.text(s, nsDCT+"description", path(p, "description"))
	ds.AccessURL = r.iriOne(s, nsDCAT+"accessURL", path(p, "access_url"), nsRDFS+"Resource")
	ds.DownloadURL = r.iriOne(s, nsDCAT+"downloadURL", path(p, "download_url"), nsRDFS+"Resource")
	ds.AccessServices = r.iris(s, nsDCAT+"accessService", path(p, "access_services"), nsDCAT+"DataService")
	formatMedia := r.formatMediaType(s, path(p, "format"))
	if formatMedia == "" {
		ds.Format = FileType(r.conceptOne(s, nsDCT+"format", path(p, "format")))
	} else {
		for _, o := range r.take(s, nsDCT+"format") { // the literal is read
			if o.kind == termIRI && ds.Format == "" {
				ds.Format = FileType(o.value)
				r.concept(o)
			}
		}
	}
	if ds.Format == "" && formatMedia != "" {
		if sub := formatMedia[strings.LastIndex(string(formatMedia), "/")+1:]; sub != "" {
			if v, ok := conceptByLabel(SchemeFileType, strings.ToUpper(string(sub))); ok {
				ds.Format = FileType(v)
			}
		}
	}
	ds.MediaType = r.mediaType(s, nsDCAT+"mediaType", path(p, "media_type"))
	if ds.MediaType == "" {
		ds.MediaType = formatMedia
	}
	ds.CompressFormat = r.mediaType(s, nsDCAT+"compressFormat", path(p, "compress_format"))
	ds.PackageFormat = r.mediaType(s, nsDCAT+"packageFormat", path(p, "package_format"))
	ds.ByteSize = r.intOne(s, nsDCAT+"byteSize", path(p, "byte_size"))
	for _, o := range r.take(s, nsSPDX+"checksum") {
		cp := path(p, "checksum")
		if o.kind == termLiteral {
			r.malformed(cp, nsSPDX+"checksum", "node expected")
			continue
		}
		r.mark(o, cp)
		r.takeTypes(o, nsSPDX+"Checksum")
		ds.Checksum = &Checksum{
			Algorithm: ChecksumAlgorithm(r.iriOne(o, nsSPDX+"algorithm", path(cp, "algorithm"), nsSPDX+"ChecksumAlgorithm")),
			Value:     r.str(o, nsSPDX+"checksumValue", path(cp, "value")),
		}
	}
	ds.License = r.licenseOne(s, nsDCT+"license", path(p, "license"))
	ds.Rights = r.rightsOne(s, nsDCT+"rights", path(p, "rights"))
	for _, l := range r.concepts(s, nsDCT+"language", path(p, "languages")) {
		ds.Languages = append(ds.Languages, Language(l))
	}
	ds.ConformsTo = r.standards(s, path(p, "conforms_to"))
	ds.Issued = r.timeOne(s, nsDCT+"issued", path(p, "issued"))
	ds.Modified = r.timeOne(s, nsDCT+"modified", path(p, "modified"))
	ds.Status = DistributionStatus(r.conceptOne(s, nsADMS+"status", path(p, "status")))
	ds.Availability = Availability(r.conceptOne(s, nsDCATAP+"availability", path(p, "availability")))
	ds.Documentation = r.iris(s, nsFOAF+"page", path(p, "documentation"), nsFOAF+"Document")
	ds.SpatialResolutionInMeters = r.floatOne(s, nsDCAT+"spatialResolutionInMeters", path(p, "spatial_resolution_in_meters"))
	ds.TemporalResolution = r.str(s, nsDCAT+"temporalResolution", path(p, "temporal_resolution"))
	ds.Applicable = r.iris(s, nsDCATAP+"applicableLegislation", path(p, "applicable_legislation"), nsELI+"LegalResource")
	// The CSV dialect the writers give (csvw:dialect [ csvw:delimiter,
	// csvw:encoding ]).
	for _, o := range r.take(s, nsCSVW+"dialect") {
		if o.kind == termLiteral {
			r.malformed(p, nsCSVW+"dialect", "node expected")
			continue
		}
		r.mark(o, path(p, "dialect"))
		r.takeTypes(o, nsCSVW+"Dialect")
		ds.Delimiter = r.str(o, nsCSVW+"delimiter", path(p, "delimiter"))
		ds.Encoding = r.str(o, nsCSVW+"encoding", path(p, "encoding"))
	}
	for _, o := range r.take(s, nsCSVW+"tableSchema") {
		sp := path(p, "columns")
		if o.kind == termLiteral {
			r.malformed(sp, nsCSVW+"tableSchema", "node expected")
			continue
		}
		r.mark(o, sp)
		r.takeTypes(o, nsCSVW+"Schema")
		for _, col := range r.take(o, nsCSVW+"column") {
			cp := index(sp, len(ds.Columns))
			if col.kind == termLiteral {
				r.malformed(cp, nsCSVW+"column", "node expected")
				continue
			}
			r.mark(col, cp)
			r.takeTypes(col, nsCSVW+"Column")
			c := Column{
				Name:        r.str(col, nsCSVW+"name", path(cp, "name")),
				Title:       r.text(col, nsCSVW+"title", path(cp, "title")),
				Description: r.text(col, nsDCT+"description", path(cp, "description")),
			}
			c.Type = columnType(r.str(col, nsCSVW+"datatype", path(cp, "type")))
			for _, o := range r.take(col, nsCSVW+"required") {
				c.Required = o.kind == termLiteral && (o.value == "true" || o.value == "1")
			}
			ds.Columns = append(ds.Columns, c)
		}
	}
	return ds
}

// mediaType reads an IANA media type IRI, or the bare name ("text/csv")
// older catalogues write as a literal.
func (r *rdfReader) mediaType(s term, pred, p string) MediaType {
	var out MediaType
	for i, o := range r.take(s, pred) {
		var v MediaType
		if o.kind == termLiteral && isMediaTypeName(o.value) {
			v = MediaTypeOf(o.value)
			r.problem(p, RuleFormat, compactName(pred)+": literal "+strconv.Quote(truncateRunes(o.value, 40))+" read as "+string(v), SeverityWarning)
		} else if iri, ok := r.iriValue(o, pred, p); ok {
			v = MediaType(iri)
			r.ref(o, nsDCT+"MediaType", nsDCT+"MediaTypeOrExtent")
		} else {
			continue
		}
		if i > 0 {
			r.problem(p, RuleMaxCount, compactName(pred), SeverityWarning)
			continue
		}
		out = v
	}
	return out
}

// formatMediaType consumes a dct:format written as a media type literal
// ("text/csv", as DCAT-AP-SE's examples write it) and returns it as a
// media type; the file type is then looked up from its subtype.
func (r *rdfReader) formatMediaType(s term, p string) MediaType {
	var out MediaType
	for _, i := range r.bySubj[s] {
		t := r.triples[i]
		if r.used[i] || t.p.value != nsDCT+"format" || t.o.kind != termLiteral || !isMediaTypeName(t.o.value) {
			continue
		}
		r.used[i] = true
		if out == "" {
			out = MediaTypeOf(t.o.value)
			r.problem(p, RuleFormat, "dct:format: media type literal "+strconv.Quote(truncateRunes(t.o.value, 40))+" read as dcat:mediaType "+string(out), SeverityWarning)
		}
	}
	return out
}

// isMediaTypeName reports whether s looks like "type/subtype".
func isMediaTypeName(s string) bool {
	typ, sub, ok := strings.Cut(s, "/")
	return ok && typ != "" && sub != "" && !strings.ContainsAny(s, " :\t\n<>\"") && !strings.Contains(sub, "/")
}

// columnType maps a CSVW datatype name back to a Table Schema type.
func columnType(dt string) ColumnType {
	switch dt {
	case "integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger":
		return ColumnInteger
	case "number", "decimal", "double", "float":
		return ColumnNumber
	case "boolean":
		return ColumnBoolean
	case "date":
		return ColumnDate
	case "datetime", "dateTime":
		return ColumnDateTime
	case "gYear":
		return ColumnYear
	case "any":
		return ColumnAny
	case "", "string":
		return ColumnString
	}
	return ColumnString
}

func (r *rdfReader) series(s term, p string) *DatasetSeries {
	r.mark(s, p)
	r.takeTypes(s, nsDCAT+"DatasetSeries", nsDCAT+"Dataset")
	ds := &DatasetSeries{}
	if s.kind == termIRI {
		ds.IRI = s.value
	}
	ds.Identifier = r.str(s, nsDCT+"identifier", path(p, "identifier"))
	ds.Title = r.text(s, nsDCT+"title", path(p, "title"))
	ds.Description = r.text(s, nsDCT+"description", path(p, "description"))
	ds.Publisher = r.agentOne(s, nsDCT+"publisher", path(p, "publisher"))
	ds.ContactPoints = r.contacts(s, path(p, "contact_points"))
	ds.AccrualPeriodicity = Frequency(r.conceptOne(s, nsDCT+"accrualPeriodicity", path(p, "accrual_periodicity")))
	ds.Spatial = r.locations(s, path(p, "spatial"))
	ds.Temporal = r.periods(s, path(p, "temporal"))
	ds.Issued = r.timeOne(s, nsDCT+"issued", path(p, "issued"))
	ds.Modified = r.timeOne(s, nsDCT+"modified", path(p, "modified"))
	ds.Applicable = r.iris(s, nsDCATAP+"applicableLegislation", path(p, "applicable_legislation"), nsELI+"LegalResource")
	ds.Keywords = r.keywords(s, path(p, "keywords"))
	for _, t := range r.concepts(s, nsDCAT+"theme", path(p, "themes")) {
		ds.Themes = append(ds.Themes, Theme(t))
	}
	// Navigation, derived from the members.
	r.iris(s, nsDCAT+"first", path(p, "first"), nsDCAT+"Dataset")
	r.iris(s, nsDCAT+"last", path(p, "last"), nsDCAT+"Dataset")
	return ds
}

// addSeriesMembers reads dcat:seriesMember (the inverse of dcat:inSeries)
// into the members' InSeries.
func (r *rdfReader) addSeriesMembers(c *Catalog) {
	byIRI := make(map[string]*Dataset, len(c.Datasets))
	for _, d := range c.Datasets {
		if d.IRI != "" {
			byIRI[d.IRI] = d
		}
	}
	for i, s := range c.Series {
		if s.IRI == "" {
			continue
		}
		for _, m := range r.iris(iri(s.IRI), nsDCAT+"seriesMember", index("series", i), nsDCAT+"Dataset") {
			d, ok := byIRI[m]
			if !ok {
				r.problem(index("series", i), RuleUnknown, "dcat:seriesMember <"+m+">: dataset not in the document", SeverityWarning)
				continue
			}
			if !containsString(d.InSeries, s.IRI) {
				d.InSeries = append(d.InSeries, s.IRI)
			}
		}
	}
}

func containsString(ss []string, s string) bool {
	for _, v := range ss {
		if v == s {
			return true
		}
	}
	return false
}

func (r *rdfReader) service(s term, p string) *DataService {
	r.mark(s, p)
	r.takeTypes(s, nsDCAT+"DataService")
	sv := &DataService{}
	if s.kind == termIRI {
		sv.IRI = s.value
	}
	sv.Identifier = r.str(s, nsDCT+"identifier", path(p, "identifier"))
	sv.Title = r.text(s, nsDCT+"title", path(p, "title"))
	sv.Description = r.text(s, nsDCT+"description", path(p, "description"))
	sv.EndpointURLs = r.iris(s, nsDCAT+"endpointURL", path(p, "endpoint_urls"), nsRDFS+"Resource")
	sv.EndpointDescription = r.iris(s, nsDCAT+"endpointDescription", path(p, "endpoint_description"), nsRDFS+"Resource")
	sv.ServesDatasets = r.iris(s, nsDCAT+"servesDataset", path(p, "serves_datasets"), nsDCAT+"Dataset")
	sv.Publisher = r.agentOne(s, nsDCT+"publisher", path(p, "publisher"))
	sv.ContactPoints = r.contacts(s, path(p, "contact_points"))
	sv.Keywords = r.keywords(s, path(p, "keywords"))
	for _, t := range r.concepts(s, nsDCAT+"theme", path(p, "themes")) {
		sv.Themes = append(sv.Themes, Theme(t))
	}
	for _, f := range r.concepts(s, nsDCT+"format", path(p, "formats")) {
		sv.Formats = append(sv.Formats, FileType(f))
	}
	sv.License = r.licenseOne(s, nsDCT+"license", path(p, "license"))
	sv.AccessRights = AccessRights(r.conceptOne(s, nsDCT+"accessRights", path(p, "access_rights")))
	sv.ConformsTo = r.standards(s, path(p, "conforms_to"))
	sv.LandingPage = r.iriOne(s, nsDCAT+"landingPage", path(p, "landing_page"), nsFOAF+"Document")
	sv.Rights = r.rightsOne(s, nsDCT+"rights", path(p, "rights"))
	sv.Applicable = r.iris(s, nsDCATAP+"applicableLegislation", path(p, "applicable_legislation"), nsELI+"LegalResource")
	return sv
}

func (r *rdfReader) agentOne(s term, pred, p string) *Agent {
	var out *Agent
	for _, o := range r.take(s, pred) {
		a := r.agent(o, pred, p)
		if a == nil {
			continue
		}
		if out != nil {
			r.problem(p, RuleMaxCount, compactName(pred), SeverityWarning)
			continue
		}
		out = a
	}
	return out
}

func (r *rdfReader) agent(o term, pred, p string) *Agent {
	if o.kind == termLiteral {
		// A name where a foaf:Agent belongs: keep the name, report the form.
		r.problem(p, RuleFormat, compactName(pred)+": literal where a foaf:Agent is expected", SeverityWarning)
		return &Agent{Name: Text{o.lang: o.value}}
	}
	r.mark(o, p)
	a := &Agent{}
	if o.kind == termIRI {
		a.IRI = o.value
	}
	if r.hasType(o, nsFOAF+"Person") {
		a.Kind = AgentPerson
	}
	r.takeTypes(o, nsFOAF+"Agent", nsFOAF+"Organization", nsFOAF+"Person")
	a.Name = r.text(o, nsFOAF+"name", path(p, "name"))
	a.Type = AgentType(r.conceptOne(o, nsDCT+"type", path(p, "type")))
	a.Homepage = r.iriOne(o, nsFOAF+"homepage", path(p, "homepage"), nsFOAF+"Document")
	a.Email = strings.TrimPrefix(r.mailbox(o, nsFOAF+"mbox", path(p, "email")), "mailto:")
	a.Identifier = r.str(o, nsDCT+"identifier", path(p, "identifier"))
	return a
}

// mailbox reads a mailto: IRI or an address written as a literal.
func (r *rdfReader) mailbox(s term, pred, p string) string {
	out := ""
	for _, o := range r.take(s, pred) {
		v := o.value
		if o.kind == termBlank {
			r.malformed(p, pred, "IRI expected, found a blank node")
			continue
		}
		if out != "" {
			r.problem(p, RuleMaxCount, compactName(pred), SeverityWarning)
			continue
		}
		out = v
	}
	return out
}

// telephone reads vcard:hasTelephone: an IRI (tel:…) or, in vCard's own
// form (GovData, DIGG), a node whose vcard:hasValue is that IRI, typed
// with the kind of number (vcard:Voice, vcard:Work…).
func (r *rdfReader) telephone(s term, p string) string {
	pred := nsVCARD + "hasTelephone"
	out := ""
	for _, o := range r.take(s, pred) {
		v := o.value
		if o.kind != termLiteral && r.hasProps(o) {
			r.mark(o, p)
			r.takeTypes(o, nsVCARD+"Voice", nsVCARD+"Work", nsVCARD+"Home", nsVCARD+"Cell", nsVCARD+"Fax", nsVCARD+"TelephoneType")
			v = r.iriOne(o, nsVCARD+"hasValue", p)
		} else if o.kind == termBlank {
			r.malformed(p, pred, "IRI expected, found a blank node")
			continue
		}
		if v == "" {
			continue
		}
		if out != "" {
			r.problem(p, RuleMaxCount, compactName(pred), SeverityWarning)
			continue
		}
		out = v
	}
	return out
}

func (r *rdfReader) contacts(s term, p string) []Contact {
	var out []Contact
	for i, o := range r.take(s, nsDCAT+"contactPoint") {
		cp := index(p, i)
		if o.kind == termLiteral {
			r.malformed(cp, nsDCAT+"contactPoint", "vcard:Kind expected")
			continue
		}
		r.mark(o, cp)
		c := Contact{}
		if o.kind == termIRI {
			c.IRI = o.value
		}
		switch {
		case r.hasType(o, nsVCARD+"Individual"):
			c.Kind = ContactIndividual
		case r.hasType(o, nsVCARD+"Organization"):
			c.Kind = ContactOrganization
		}
		r.takeTypes(o, nsVCARD+"Kind", nsVCARD+"Organization", nsVCARD+"Individual", nsVCARD+"Group")
		c.Name = r.str(o, nsVCARD+"fn", path(cp, "name"))
		if c.Name == "" {
			c.Name = r.str(o, nsVCARD+"organization-name", path(cp, "name"))
		}
		c.Email = strings.TrimPrefix(r.mailbox(o, nsVCARD+"hasEmail", path(cp, "email")), "mailto:")
		c.Phone = strings.TrimPrefix(r.telephone(o, path(cp, "phone")), "tel:")
		c.URL = r.iriOne(o, nsVCARD+"hasURL", path(cp, "url"))
		for _, a := range r.take(o, nsVCARD+"hasAddress") {
			ap := path(cp, "address")
			if a.kind == termLiteral {
				r.malformed(ap, nsVCARD+"hasAddress", "vcard:Address expected")
				continue
			}
			r.mark(a, ap)
			r.takeTypes(a, nsVCARD+"Address")
			c.Address = Address{
				Street:     r.str(a, nsVCARD+"street-address", path(ap, "street")),
				Locality:   r.str(a, nsVCARD+"locality", path(ap, "locality")),
				PostalCode: r.str(a, nsVCARD+"postal-code", path(ap, "postal_code")),
				Region:     r.str(a, nsVCARD+"region", path(ap, "region")),
				Country:    r.str(a, nsVCARD+"country-name", path(ap, "country")),
			}
		}
		out = append(out, c)
	}
	return out
}

func (r *rdfReader) licenseOne(s term, pred, p string) LicenseDocument {
	var out LicenseDocument
	for i, o := range r.take(s, pred) {
		if i > 0 {
			r.problem(p, RuleMaxCount, compactName(pred), SeverityWarning)
			continue
		}
		if o.kind == termBlank {
			r.mark(o, p)
			r.takeTypes(o, nsDCT+"LicenseDocument")
			out.Title = r.text(o, nsDCT+"title", path(p, "title"))
			r.malformed(p, pred, "licence without an IRI")
			continue
		}
		v, ok := r.iriValue(o, pred, p)
		if !ok {
			continue
		}
		out.IRI = v
		r.mark(o, p)
		r.takeTypes(o, nsDCT+"LicenseDocument")
		out.Title = r.text(o, nsDCT+"title", path(p, "title"))
		out.Type = LicenseType(r.conceptOne(o, nsDCT+"type", path(p, "type")))
		out.SPDX = r.str(o, nsDCT+"identifier", path(p, "spdx"))
		if known, ok := KnownLicense(v); ok {
			if out.URL == "" {
				out.URL = known.URL
			}
			if out.SPDX == "" {
				out.SPDX = known.SPDX
			}
		}
	}
	return out
}

func (r *rdfReader) rightsOne(s term, pred, p string) RightsStatement {
	var out RightsStatement
	for i, o := range r.take(s, pred) {
		if i > 0 {
			r.problem(p, RuleMaxCount, compactName(pred), SeverityWarning)
			continue
		}
		if o.kind == termLiteral {
			out.Label = Text{o.lang: o.value}
			r.problem(p, RuleFormat, compactName(pred)+": literal where a dct:RightsStatement is expected", SeverityWarning)
			continue
		}
		r.mark(o, p)
		if o.kind == termIRI {
			out.IRI = o.value
		}
		r.takeTypes(o, nsDCT+"RightsStatement")
		out.Label = r.text(o, nsRDFS+"label", path(p, "label"))
	}
	return out
}

func (r *rdfReader) standards(s term, p string) []Standard {
	var out []Standard
	for i, o := range r.take(s, nsDCT+"conformsTo") {
		sp := index(p, i)
		v, ok := r.iriValue(o, nsDCT+"conformsTo", sp)
		if !ok {
			continue
		}
		r.mark(o, sp)
		r.takeTypes(o, nsDCT+"Standard")
		out = append(out, Standard{IRI: v, Title: r.text(o, nsDCT+"title", path(sp, "title"))})
	}
	return out
}

func (r *rdfReader) identifier(o term, p string) (Identifier, bool) {
	if o.kind == termLiteral {
		r.problem(p, RuleFormat, "adms:identifier: literal where an adms:Identifier is expected", SeverityWarning)
		return Identifier{Notation: o.value}, true
	}
	r.mark(o, p)
	r.takeTypes(o, nsADMS+"Identifier")
	var id Identifier
	for i, n := range r.take(o, nsSKOS+"notation") {
		if n.kind != termLiteral {
			r.malformed(path(p, "notation"), nsSKOS+"notation", "literal expected")
			continue
		}
		if i > 0 {
			r.problem(path(p, "notation"), RuleMaxCount, "skos:notation", SeverityWarning)
			continue
		}
		id.Notation = n.value
		if n.datatype != "" && n.datatype != nsXSD+"string" {
			id.Scheme = n.datatype
		}
	}
	if creator := r.iriOne(o, nsDCT+"creator", path(p, "scheme"), nsFOAF+"Agent"); id.Scheme == "" {
		id.Scheme = creator
	}
	id.Issuer = r.str(o, nsADMS+"schemaAgency", path(p, "issuer"))
	id.Created = r.str(o, nsDCT+"issued", path(p, "created"))
	return id, true
}

func (r *rdfReader) locations(s term, p string) []Location {
	var out []Location
	for i, o := range r.take(s, nsDCT+"spatial") {
		lp := index(p, i)
		if o.kind == termLiteral {
			r.problem(lp, RuleFormat, "dct:spatial: literal where a dct:Location is expected", SeverityWarning)
			out = append(out, Location{Label: Text{o.lang: o.value}})
			continue
		}
		r.mark(o, lp)
		var l Location
		if o.kind == termIRI {
			l.IRI = o.value
		}
		r.takeTypes(o, nsDCT+"Location", nsSKOS+"Concept")
		l.Label = r.text(o, nsSKOS+"prefLabel", path(lp, "label"))
		for _, sc := range r.take(o, nsSKOS+"inScheme") {
			r.scheme(sc)
		}
		if placeScheme(l.IRI) != "" && len(l.Label) == 1 && l.Label[""] == lastSegment(l.IRI) {
			l.Label = nil // the label the writers make up from the code
		}
		for _, g := range r.take(o, nsLOCN+"geometry") {
			gp := path(lp, "geometry")
			if g.kind == termLiteral {
				l.Geometry = g.value
				continue
			}
			r.mark(g, gp)
			r.takeTypes(g, nsLOCN+"Geometry")
			l.Geometry = r.str(g, nsGSP+"asWKT", gp)
		}
		l.BBox = r.str(o, nsDCAT+"bbox", path(lp, "bbox"))
		l.Centroid = r.str(o, nsDCAT+"centroid", path(lp, "centroid"))
		out = append(out, l)
	}
	return out
}

func (r *rdfReader) periods(s term, p string) []PeriodOfTime {
	var out []PeriodOfTime
	for i, o := range r.take(s, nsDCT+"temporal") {
		pp := index(p, i)
		if o.kind == termLiteral {
			r.malformed(pp, nsDCT+"temporal", "dct:PeriodOfTime expected")
			continue
		}
		r.mark(o, pp)
		r.takeTypes(o, nsDCT+"PeriodOfTime")
		pt := PeriodOfTime{
			Start: r.timeOne(o, nsDCAT+"startDate", path(pp, "start")),
			End:   r.timeOne(o, nsDCAT+"endDate", path(pp, "end")),
		}
		// DCAT-AP 2 wrote schema.org's properties.
		if pt.Start.IsZero() {
			pt.Start = r.timeOne(o, "http://schema.org/startDate", path(pp, "start"))
		}
		if pt.End.IsZero() {
			pt.End = r.timeOne(o, "http://schema.org/endDate", path(pp, "end"))
		}
		out = append(out, pt)
	}
	return out
}
