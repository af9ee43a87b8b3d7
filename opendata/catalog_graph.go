package opendata

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file turns the model into an RDF graph that the Turtle and JSON-LD
// writers print. Both formats therefore carry the same triples: every linked
// node gets its rdf:type (the SHACL range checks need them), and every
// controlled-vocabulary concept is described as a skos:Concept with a
// skos:prefLabel and its skos:inScheme, so a validator can check the
// vocabulary offline.
//
// Personal data never enters the graph: agents of kind AgentPerson and
// contacts of kind ContactIndividual are skipped.

// Namespaces used by the writers.
const (
	nsRDF    = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsRDFS   = "http://www.w3.org/2000/01/rdf-schema#"
	nsXSD    = "http://www.w3.org/2001/XMLSchema#"
	nsDCAT   = "http://www.w3.org/ns/dcat#"
	nsDCT    = "http://purl.org/dc/terms/"
	nsDCATAP = "http://data.europa.eu/r5r/"
	nsFOAF   = "http://xmlns.com/foaf/0.1/"
	nsVCARD  = "http://www.w3.org/2006/vcard/ns#"
	nsSKOS   = "http://www.w3.org/2004/02/skos/core#"
	nsADMS   = "http://www.w3.org/ns/adms#"
	nsSPDX   = "http://spdx.org/rdf/terms#"
	nsLOCN   = "http://www.w3.org/ns/locn#"
	nsGSP    = "http://www.opengis.net/ont/geosparql#"
	nsPROV   = "http://www.w3.org/ns/prov#"
	nsDQV    = "http://www.w3.org/ns/dqv#"
	nsOA     = "http://www.w3.org/ns/oa#"
	nsCSVW   = "http://www.w3.org/ns/csvw#"
	nsELI    = "http://data.europa.eu/eli/ontology#"
	nsHydra  = HydraNamespace
)

// prefixes in the order the writers declare them.
var graphPrefixes = [...]struct{ prefix, ns string }{
	{"dcat", nsDCAT}, {"dct", nsDCT}, {"dcatap", nsDCATAP}, {"foaf", nsFOAF},
	{"vcard", nsVCARD}, {"skos", nsSKOS}, {"adms", nsADMS}, {"spdx", nsSPDX},
	{"locn", nsLOCN}, {"gsp", nsGSP}, {"prov", nsPROV}, {"dqv", nsDQV},
	{"oa", nsOA}, {"csvw", nsCSVW}, {"eli", nsELI}, {"hydra", nsHydra},
	{"rdf", nsRDF}, {"rdfs", nsRDFS}, {"xsd", nsXSD},
}

type termKind uint8

const (
	termIRI termKind = iota
	termBlank
	termLiteral
)

// term is an RDF term. For literals, lang or datatype may be set
// (a plain literal is an xsd:string).
type term struct {
	kind     termKind
	value    string
	lang     string
	datatype string
}

func iri(s string) term { return term{kind: termIRI, value: s} }

func literal(s string) term { return term{kind: termLiteral, value: s} }

func langLiteral(s, lang string) term { return term{kind: termLiteral, value: s, lang: lang} }

func typed(s, datatype string) term { return term{kind: termLiteral, value: s, datatype: datatype} }

type property struct {
	pred string
	objs []term
}

type node struct {
	id    term // an IRI or a blank node
	types []string
	props []property
}

func (n *node) add(pred string, objs ...term) {
	if len(objs) == 0 {
		return
	}
	for i := range n.props {
		if n.props[i].pred == pred {
			n.props[i].objs = append(n.props[i].objs, objs...)
			return
		}
	}
	n.props = append(n.props, property{pred: pred, objs: objs})
}

// addText adds one literal per language. A malformed language tag (which
// Validate reports) is not written: its text becomes a plain literal, so
// the output still parses.
func (n *node) addText(pred string, t Text) {
	for _, l := range t.Langs() {
		n.addLangString(pred, t[l], l)
	}
}

func (n *node) addLangString(pred, s, lang string) {
	switch {
	case s == "":
	case lang == "" || !langTagRE.MatchString(lang):
		n.add(pred, literal(s))
	default:
		n.add(pred, langLiteral(s, lang))
	}
}

func (n *node) addString(pred, s string) {
	if s != "" {
		n.add(pred, literal(s))
	}
}

func (n *node) addTime(pred string, t time.Time) {
	if !t.IsZero() {
		n.add(pred, timeLiteral(t))
	}
}

// timeLiteral writes a time at UTC midnight as an xsd:date and any other
// time as an xsd:dateTime.
func timeLiteral(t time.Time) term {
	u := t.UTC()
	if u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 && u.Nanosecond() == 0 {
		return typed(u.Format(time.DateOnly), nsXSD+"date")
	}
	return typed(u.Format(time.RFC3339), nsXSD+"dateTime")
}

// graph is an ordered set of node descriptions.
type graph struct {
	nodes  []*node
	byIRI  map[string]*node
	blanks int
	// concepts records the vocabulary concepts and schemes to describe at
	// the end, in first-use order.
	concepts    []string
	conceptSeen map[string]bool
}

func newGraph() *graph {
	return &graph{byIRI: make(map[string]*node), conceptSeen: make(map[string]bool)}
}

// describe returns the node of the IRI (a new blank node when empty),
// creating it when needed and giving it the types it lacks, and reports
// whether it still has to be described (it has no properties yet).
func (g *graph) describe(id string, types ...string) (*node, bool) {
	if id != "" {
		if n, ok := g.byIRI[id]; ok {
			for _, t := range types {
				n.addType(t)
			}
			return n, len(n.props) == 0
		}
	}
	n := &node{types: types}
	if id == "" {
		g.blanks++
		n.id = term{kind: termBlank, value: "b" + strconv.Itoa(g.blanks)}
	} else {
		n.id = iri(id)
		g.byIRI[id] = n
	}
	g.nodes = append(g.nodes, n)
	return n, true
}

// addType adds a class; rdfs:Resource, the type of bare links, gives way
// to any other class.
func (n *node) addType(class string) {
	if hasType(n, class) {
		return
	}
	if class == nsRDFS+"Resource" {
		if len(n.types) == 0 {
			n.types = append(n.types, class)
		}
		return
	}
	if len(n.types) == 1 && n.types[0] == nsRDFS+"Resource" {
		n.types = n.types[:0]
	}
	n.types = append(n.types, class)
}

// concept notes that the vocabulary IRI must be described and returns it as
// an object term.
func (g *graph) concept(v string) term {
	if !g.conceptSeen[v] {
		g.conceptSeen[v] = true
		g.concepts = append(g.concepts, v)
	}
	return iri(v)
}

// addConcept adds pred -> concept when v is set.
func (g *graph) addConcept(n *node, pred, v string) {
	if v != "" {
		n.add(pred, g.concept(v))
	}
}

// typedRef describes a linked resource that has nothing but an IRI and a
// class (a landing page is a foaf:Document) and returns its term.
func (g *graph) typedRef(v, class string) term {
	n, _ := g.describe(v, class)
	return n.id
}

func hasType(n *node, class string) bool {
	for _, t := range n.types {
		if t == class {
			return true
		}
	}
	return false
}

// catalogGraph builds the graph of a catalogue, with its hydra page when
// page is not nil.
func catalogGraph(c *Catalog, page *Page) *graph {
	g := newGraph()
	cn, _ := g.describe(c.IRI, nsDCAT+"Catalog")
	cn.addText(nsDCT+"title", c.Title)
	cn.addText(nsDCT+"description", c.Description)
	if a := g.agent(c.Publisher); a != nil {
		cn.add(nsDCT+"publisher", *a)
	}
	if a := g.agent(c.Creator); a != nil {
		cn.add(nsDCT+"creator", *a)
	}
	if c.Homepage != "" {
		cn.add(nsFOAF+"homepage", g.typedRef(c.Homepage, nsFOAF+"Document"))
	}
	for _, l := range c.Languages {
		cn.add(nsDCT+"language", g.concept(string(l)))
	}
	if t := g.license(c.License); t != nil {
		cn.add(nsDCT+"license", *t)
	}
	if t := g.rights(c.Rights); t != nil {
		cn.add(nsDCT+"rights", *t)
	}
	cn.addTime(nsDCT+"issued", c.Issued)
	cn.addTime(nsDCT+"modified", c.Modified)
	for i := range c.Spatial {
		cn.add(nsDCT+"spatial", g.location(&c.Spatial[i]))
	}
	themes := c.ThemeTaxonomy
	if len(themes) == 0 {
		themes = []string{SchemeDataTheme}
	}
	for _, t := range themes {
		cn.add(nsDCAT+"themeTaxonomy", g.concept(t))
	}
	for _, s := range c.Applicable {
		cn.add(nsDCATAP+"applicableLegislation", g.typedRef(s, nsELI+"LegalResource"))
	}
	for _, s := range c.Catalogs {
		cn.add(nsDCAT+"catalog", g.typedRef(s, nsDCAT+"Catalog"))
	}
	for _, s := range c.Series {
		if s != nil {
			cn.add(nsDCAT+"dataset", iri(s.IRI))
		}
	}
	for _, d := range c.Datasets {
		if d != nil {
			cn.add(nsDCAT+"dataset", iri(d.IRI))
		}
	}
	for _, s := range c.Services {
		if s != nil {
			cn.add(nsDCAT+"service", iri(s.IRI))
		}
	}
	if page != nil {
		g.page(page)
	}
	series := seriesOrder(c)
	for _, s := range c.Series {
		if s != nil {
			g.series(s, series[s.IRI])
		}
	}
	for _, d := range c.Datasets {
		if d != nil {
			g.dataset(d, series)
		}
	}
	var onPage map[string]bool
	if c.all != nil {
		// One page of a paged catalogue: a service lists the datasets of
		// this page only (the union over the pages is the full list), so a
		// page stays proportional to its size.
		onPage = make(map[string]bool, len(c.Datasets))
		for _, d := range c.Datasets {
			if d != nil {
				onPage[d.IRI] = true
			}
		}
	}
	for _, s := range c.Services {
		if s != nil {
			g.service(s, onPage, c.all)
		}
	}
	g.describeStubs(c)
	g.describeConcepts()
	return g
}

// describeStubs completes the datasets that are linked (by dcat:hasVersion,
// dct:source, dcat:servesDataset...) but not described in this graph: a
// dataset of the catalogue on another page gets its identifier, title and
// description, which the Dataset shape requires. A link to a dataset the
// catalogue does not hold stays a bare typed node (Catalog.Validate
// reports it).
func (g *graph) describeStubs(c *Catalog) {
	all := c.all
	if all == nil {
		all = c.Datasets
	}
	var known map[string]*Dataset
	for _, n := range g.nodes {
		if n.id.kind != termIRI || len(n.props) > 0 || !hasType(n, nsDCAT+"Dataset") {
			continue
		}
		if known == nil {
			known = make(map[string]*Dataset, len(all))
			for _, d := range all {
				if d != nil {
					known[d.IRI] = d
				}
			}
		}
		if d, ok := known[n.id.value]; ok {
			n.addString(nsDCT+"identifier", d.Identifier)
			n.addText(nsDCT+"title", d.Title)
			n.addText(nsDCT+"description", d.Description)
			if d.LandingPage != "" {
				n.add(nsDCAT+"landingPage", g.typedRef(d.LandingPage, nsFOAF+"Document"))
			}
		}
	}
}

// datasetGraph builds the graph of one dataset alone.
func datasetGraph(d *Dataset) *graph {
	g := newGraph()
	g.dataset(d, nil)
	g.describeConcepts()
	return g
}

// seriesMembers lists the member datasets of each series by issue date
// (then identifier), for dcat:first, dcat:last and dcat:prev.
type seriesMembers []*Dataset

func seriesOrder(c *Catalog) map[string]seriesMembers {
	if len(c.Series) == 0 {
		return nil
	}
	m := make(map[string]seriesMembers, len(c.Series))
	for _, s := range c.Series {
		if s != nil {
			m[s.IRI] = nil
		}
	}
	for _, d := range c.Datasets {
		if d == nil {
			continue
		}
		for _, s := range d.InSeries {
			if members, ok := m[s]; ok {
				m[s] = append(members, d)
			}
		}
	}
	for k, members := range m {
		sort.SliceStable(members, func(i, j int) bool {
			if !members[i].Issued.Equal(members[j].Issued) {
				return members[i].Issued.Before(members[j].Issued)
			}
			return members[i].Identifier < members[j].Identifier
		})
		m[k] = members
	}
	return m
}

func (g *graph) page(p *Page) {
	n, _ := g.describe(p.IRI, nsHydra+"PartialCollectionView", nsHydra+"PagedCollection")
	for _, l := range []struct{ now, old, v string }{
		{"first", "firstPage", p.First}, {"previous", "previousPage", p.Previous},
		{"next", "nextPage", p.Next}, {"last", "lastPage", p.Last},
	} {
		if l.v != "" {
			n.add(nsHydra+l.now, iri(l.v))
			n.add(nsHydra+l.old, iri(l.v))
		}
	}
	n.add(nsHydra+"totalItems", typed(strconv.Itoa(p.TotalItems), nsXSD+"integer"))
	n.add(nsHydra+"itemsPerPage", typed(strconv.Itoa(p.ItemsPerPage), nsXSD+"integer"))
}

func (g *graph) series(s *DatasetSeries, members seriesMembers) {
	// A series is a dataset too: dcat:dataset's range is dcat:Dataset.
	n, fresh := g.describe(s.IRI, nsDCAT+"DatasetSeries", nsDCAT+"Dataset")
	if !fresh {
		return
	}
	n.addString(nsDCT+"identifier", s.Identifier)
	n.addText(nsDCT+"title", s.Title)
	n.addText(nsDCT+"description", s.Description)
	if a := g.agent(s.Publisher); a != nil {
		n.add(nsDCT+"publisher", *a)
	}
	for i := range s.ContactPoints {
		if t := g.contact(&s.ContactPoints[i]); t != nil {
			n.add(nsDCAT+"contactPoint", *t)
		}
	}
	g.addConcept(n, nsDCT+"accrualPeriodicity", string(s.AccrualPeriodicity))
	for i := range s.Spatial {
		n.add(nsDCT+"spatial", g.location(&s.Spatial[i]))
	}
	for i := range s.Temporal {
		n.add(nsDCT+"temporal", g.period(&s.Temporal[i]))
	}
	n.addTime(nsDCT+"issued", s.Issued)
	n.addTime(nsDCT+"modified", s.Modified)
	for _, v := range s.Applicable {
		n.add(nsDCATAP+"applicableLegislation", g.typedRef(v, nsELI+"LegalResource"))
	}
	for _, l := range s.Keywords.Langs() {
		for _, w := range s.Keywords[l] {
			n.addLangString(nsDCAT+"keyword", w, l)
		}
	}
	for _, t := range s.Themes {
		n.add(nsDCAT+"theme", g.concept(string(t)))
	}
	if len(members) > 0 {
		n.add(nsDCAT+"first", iri(members[0].IRI))
		n.add(nsDCAT+"last", iri(members[len(members)-1].IRI))
	}
}

func (g *graph) dataset(d *Dataset, series map[string]seriesMembers) {
	n, fresh := g.describe(d.IRI, nsDCAT+"Dataset")
	if !fresh {
		return
	}
	n.addString(nsDCT+"identifier", d.Identifier)
	n.addText(nsDCT+"title", d.Title)
	n.addText(nsDCT+"description", d.Description)
	for _, l := range d.Keywords.Langs() {
		for _, w := range d.Keywords[l] {
			n.addLangString(nsDCAT+"keyword", w, l)
		}
	}
	for _, t := range d.Themes {
		n.add(nsDCAT+"theme", g.concept(string(t)))
	}
	g.addConcept(n, nsDCT+"type", string(d.Type))
	if a := g.agent(d.Publisher); a != nil {
		n.add(nsDCT+"publisher", *a)
	}
	for i := range d.Creators {
		if a := g.agent(&d.Creators[i]); a != nil {
			n.add(nsDCT+"creator", *a)
		}
	}
	for i := range d.ContactPoints {
		if t := g.contact(&d.ContactPoints[i]); t != nil {
			n.add(nsDCAT+"contactPoint", *t)
		}
	}
	n.addTime(nsDCT+"issued", d.Issued)
	n.addTime(nsDCT+"modified", d.Modified)
	for _, l := range d.Languages {
		n.add(nsDCT+"language", g.concept(string(l)))
	}
	for i := range d.Spatial {
		n.add(nsDCT+"spatial", g.location(&d.Spatial[i]))
	}
	for i := range d.Temporal {
		n.add(nsDCT+"temporal", g.period(&d.Temporal[i]))
	}
	g.addConcept(n, nsDCT+"accrualPeriodicity", string(d.AccrualPeriodicity))
	g.addConcept(n, nsDCT+"accessRights", string(d.AccessRights))
	for i := range d.ConformsTo {
		n.add(nsDCT+"conformsTo", g.standard(&d.ConformsTo[i]))
	}
	if d.LandingPage != "" {
		n.add(nsDCAT+"landingPage", g.typedRef(d.LandingPage, nsFOAF+"Document"))
	}
	for _, p := range d.Documentation {
		n.add(nsFOAF+"page", g.typedRef(p, nsFOAF+"Document"))
	}
	for i := range d.OtherIdentifiers {
		n.add(nsADMS+"identifier", g.identifier(&d.OtherIdentifiers[i]))
	}
	n.addString(nsDCAT+"version", d.Version)
	n.addText(nsADMS+"versionNotes", d.VersionNotes)
	for _, v := range d.HasVersion {
		n.add(nsDCAT+"hasVersion", g.typedRef(v, nsDCAT+"Dataset"))
	}
	if t := g.license(d.License); t != nil {
		n.add(nsDCT+"license", *t)
	}
	if d.IsVersionOf != "" {
		n.add(nsDCAT+"isVersionOf", g.typedRef(d.IsVersionOf, nsDCAT+"Dataset"))
	}
	if d.PreviousVersion != "" {
		n.add(nsDCAT+"previousVersion", g.typedRef(d.PreviousVersion, nsDCAT+"Dataset"))
	}
	for _, s := range d.InSeries {
		if _, known := series[s]; known {
			n.add(nsDCAT+"inSeries", iri(s))
		} else {
			n.add(nsDCAT+"inSeries", g.typedRef(s, nsDCAT+"DatasetSeries"))
		}
		if members := series[s]; len(members) > 1 {
			for i, m := range members {
				if m == d && i > 0 {
					n.add(nsDCAT+"prev", iri(members[i-1].IRI))
				}
			}
		}
	}
	for i := range d.Provenance {
		p := &d.Provenance[i]
		pn, fresh := g.describe(p.IRI, nsDCT+"ProvenanceStatement")
		if fresh {
			pn.addText(nsRDFS+"label", p.Label)
		}
		n.add(nsDCT+"provenance", pn.id)
	}
	for i := range d.WasGeneratedBy {
		a := &d.WasGeneratedBy[i]
		an, fresh := g.describe(a.IRI, nsPROV+"Activity")
		if fresh {
			an.addText(nsRDFS+"label", a.Label)
			an.addTime(nsPROV+"startedAtTime", a.Start)
			an.addTime(nsPROV+"endedAtTime", a.End)
		}
		n.add(nsPROV+"wasGeneratedBy", an.id)
	}
	for i := range d.Attributions {
		at := &d.Attributions[i]
		agent := g.agent(&at.Agent)
		if agent == nil {
			continue // a person: not published
		}
		an, _ := g.describe("", nsPROV+"Attribution")
		an.add(nsPROV+"agent", *agent)
		if at.Role != "" {
			an.add(nsDCAT+"hadRole", g.typedRef(at.Role, nsDCAT+"Role"))
		}
		n.add(nsPROV+"qualifiedAttribution", an.id)
	}
	for i := range d.QualityNotes {
		q := &d.QualityNotes[i]
		qn, _ := g.describe("", nsDQV+"QualityAnnotation", nsOA+"Annotation")
		qn.add(nsOA+"motivatedBy", iri(nsDQV+"qualityAssessment"))
		qn.add(nsOA+"hasTarget", n.id)
		body, _ := g.describe("", nsOA+"TextualBody")
		body.addText(nsRDF+"value", q.Body)
		qn.add(nsOA+"hasBody", body.id)
		if q.Dimension != "" {
			qn.add(nsDQV+"inDimension", iri(q.Dimension))
		}
		n.add(nsDQV+"hasQualityAnnotation", qn.id)
	}
	for _, s := range d.Sources {
		n.add(nsDCT+"source", g.typedRef(s, nsDCAT+"Dataset"))
	}
	for _, s := range d.Related {
		n.add(nsDCT+"relation", g.typedRef(s, nsRDFS+"Resource"))
	}
	for _, s := range d.IsReferencedBy {
		n.add(nsDCT+"isReferencedBy", g.typedRef(s, nsRDFS+"Resource"))
	}
	for _, u := range d.Reuses {
		if u.URL == "" {
			continue
		}
		rn, fresh := g.describe(u.URL, nsRDFS+"Resource")
		if fresh {
			rn.addText(nsDCT+"title", u.Title)
			if u.Type != "" {
				rn.add(nsDCT+"type", iri(string(u.Type)))
			}
			if a := g.agent(u.Organization); a != nil {
				rn.add(nsDCT+"creator", *a)
			}
		}
		n.add(nsDCT+"isReferencedBy", rn.id)
		g.qualifiedRelation(n, Relationship{Relation: u.URL, Role: ReuseRole})
	}
	for _, q := range d.QualifiedRelations {
		if q.Relation != "" && q.Role != "" {
			g.qualifiedRelation(n, q)
		}
	}
	for _, s := range d.Applicable {
		n.add(nsDCATAP+"applicableLegislation", g.typedRef(s, nsELI+"LegalResource"))
	}
	if d.SpatialResolutionInMeters > 0 {
		n.add(nsDCAT+"spatialResolutionInMeters", decimal(d.SpatialResolutionInMeters))
	}
	if d.TemporalResolution != "" {
		n.add(nsDCAT+"temporalResolution", typed(d.TemporalResolution, nsXSD+"duration"))
	}
	for i := range d.Distributions {
		n.add(nsDCAT+"distribution", g.distribution(d, i))
	}
	if len(d.Samples) > 0 {
		sd := sampleHolder(d)
		for i := range sd.Distributions {
			n.add(nsADMS+"sample", g.distribution(sd, i))
		}
	}
}

// qualifiedRelation writes a dcat:Relationship of n (a blank node: a
// relationship has no identity of its own).
func (g *graph) qualifiedRelation(n *node, q Relationship) {
	rel, _ := g.describe("", nsDCAT+"Relationship")
	rel.add(nsDCT+"relation", g.typedRef(q.Relation, nsRDFS+"Resource"))
	rel.add(nsDCAT+"hadRole", g.typedRef(q.Role, nsDCAT+"Role"))
	n.add(nsDCAT+"qualifiedRelation", rel.id)
}

func decimal(f float64) term {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return typed(s, nsXSD+"decimal")
}

// DistributionIRI returns the IRI a writer gives the i-th distribution of d
// when it has none: the dataset IRI with "#distribution-<i+1>".
func DistributionIRI(d *Dataset, i int) string {
	if i < 0 || i >= len(d.Distributions) {
		return ""
	}
	if s := d.Distributions[i].IRI; s != "" {
		return s
	}
	return d.IRI + "#distribution-" + strconv.Itoa(i+1)
}

// sampleHolder gives a dataset's samples the IRIs distributions get,
// under the dataset's IRI + "/sample": the reader clears them back.
func sampleHolder(d *Dataset) *Dataset {
	return &Dataset{IRI: d.IRI + "/sample", Distributions: d.Samples}
}

func (g *graph) distribution(d *Dataset, i int) term {
	ds := &d.Distributions[i]
	n, fresh := g.describe(DistributionIRI(d, i), nsDCAT+"Distribution")
	if !fresh {
		return n.id
	}
	n.addText(nsDCT+"title", ds.Title)
	n.addText(nsDCT+"description", ds.Description)
	if ds.AccessURL != "" {
		n.add(nsDCAT+"accessURL", g.typedRef(ds.AccessURL, nsRDFS+"Resource"))
	}
	if ds.DownloadURL != "" {
		n.add(nsDCAT+"downloadURL", g.typedRef(ds.DownloadURL, nsRDFS+"Resource"))
	}
	for _, s := range ds.AccessServices {
		n.add(nsDCAT+"accessService", g.typedRef(s, nsDCAT+"DataService"))
	}
	if ds.Format != "" {
		n.add(nsDCT+"format", g.concept(string(ds.Format)))
	}
	if ds.MediaType != "" {
		n.add(nsDCAT+"mediaType", g.typedRef(string(ds.MediaType), nsDCT+"MediaType"))
	}
	if ds.CompressFormat != "" {
		n.add(nsDCAT+"compressFormat", g.typedRef(string(ds.CompressFormat), nsDCT+"MediaType"))
	}
	if ds.PackageFormat != "" {
		n.add(nsDCAT+"packageFormat", g.typedRef(string(ds.PackageFormat), nsDCT+"MediaType"))
	}
	if ds.ByteSize > 0 {
		n.add(nsDCAT+"byteSize", typed(strconv.FormatInt(ds.ByteSize, 10), nsXSD+"nonNegativeInteger"))
	}
	if ds.Checksum != nil && ds.Checksum.Value != "" {
		cn, _ := g.describe("", nsSPDX+"Checksum")
		cn.add(nsSPDX+"algorithm", g.typedRef(string(ds.Checksum.Algorithm.Canonical()), nsSPDX+"ChecksumAlgorithm"))
		cn.add(nsSPDX+"checksumValue", typed(strings.ToLower(ds.Checksum.Value), nsXSD+"hexBinary"))
		n.add(nsSPDX+"checksum", cn.id)
	}
	if t := g.license(ds.License); t != nil {
		n.add(nsDCT+"license", *t)
	}
	if t := g.rights(ds.Rights); t != nil {
		n.add(nsDCT+"rights", *t)
	}
	for _, l := range ds.Languages {
		n.add(nsDCT+"language", g.concept(string(l)))
	}
	for i := range ds.ConformsTo {
		n.add(nsDCT+"conformsTo", g.standard(&ds.ConformsTo[i]))
	}
	n.addTime(nsDCT+"issued", ds.Issued)
	n.addTime(nsDCT+"modified", ds.Modified)
	g.addConcept(n, nsADMS+"status", string(ds.Status))
	g.addConcept(n, nsDCATAP+"availability", string(ds.Availability))
	for _, p := range ds.Documentation {
		n.add(nsFOAF+"page", g.typedRef(p, nsFOAF+"Document"))
	}
	if ds.SpatialResolutionInMeters > 0 {
		n.add(nsDCAT+"spatialResolutionInMeters", decimal(ds.SpatialResolutionInMeters))
	}
	if ds.TemporalResolution != "" {
		n.add(nsDCAT+"temporalResolution", typed(ds.TemporalResolution, nsXSD+"duration"))
	}
	if len(ds.Columns) > 0 {
		// The column dictionary as a CSVW table schema.
		sn, _ := g.describe("", nsCSVW+"Schema")
		for _, c := range ds.Columns {
			col, _ := g.describe("", nsCSVW+"Column")
			col.addString(nsCSVW+"name", c.Name)
			col.addText(nsCSVW+"title", c.Title)
			col.addText(nsDCT+"description", c.Description)
			col.add(nsCSVW+"datatype", literal(csvwDatatype(c.Type)))
			if c.Required {
				col.add(nsCSVW+"required", typed("true", nsXSD+"boolean"))
			}
			sn.add(nsCSVW+"column", col.id)
			if c.PrimaryKey {
				sn.add(nsCSVW+"primaryKey", literal(c.Name))
			}
		}
		n.add(nsCSVW+"tableSchema", sn.id)
	}
	for _, v := range ds.Applicable {
		n.add(nsDCATAP+"applicableLegislation", g.typedRef(v, nsELI+"LegalResource"))
	}
	if ds.Delimiter != "" || ds.Encoding != "" {
		dn, _ := g.describe("", nsCSVW+"Dialect")
		dn.addString(nsCSVW+"delimiter", ds.Delimiter)
		dn.addString(nsCSVW+"encoding", ds.Encoding)
		n.add(nsCSVW+"dialect", dn.id)
	}
	return n.id
}

// csvwDatatype maps a Table Schema type to a CSVW built-in datatype name.
func csvwDatatype(t ColumnType) string {
	switch t {
	case ColumnInteger:
		return "integer"
	case ColumnNumber:
		return "number"
	case ColumnBoolean:
		return "boolean"
	case ColumnDate:
		return "date"
	case ColumnDateTime:
		return "datetime"
	case ColumnYear:
		return "gYear"
	case ColumnAny:
		return "any"
	}
	return "string"
}

// service describes a data service; on a page (onPage not nil) the
// datasets of the catalogue that are on other pages are left out of
// dcat:servesDataset.
func (g *graph) service(s *DataService, onPage map[string]bool, all []*Dataset) {
	n, fresh := g.describe(s.IRI, nsDCAT+"DataService")
	if !fresh {
		return
	}
	n.addString(nsDCT+"identifier", s.Identifier)
	n.addText(nsDCT+"title", s.Title)
	n.addText(nsDCT+"description", s.Description)
	for _, u := range s.EndpointURLs {
		n.add(nsDCAT+"endpointURL", g.typedRef(u, nsRDFS+"Resource"))
	}
	for _, u := range s.EndpointDescription {
		n.add(nsDCAT+"endpointDescription", g.typedRef(u, nsRDFS+"Resource"))
	}
	var inCatalog map[string]bool
	if onPage != nil {
		inCatalog = make(map[string]bool, len(all))
		for _, d := range all {
			if d != nil {
				inCatalog[d.IRI] = true
			}
		}
	}
	for _, u := range s.ServesDatasets {
		if onPage != nil && inCatalog[u] && !onPage[u] {
			continue
		}
		n.add(nsDCAT+"servesDataset", g.typedRef(u, nsDCAT+"Dataset"))
	}
	if a := g.agent(s.Publisher); a != nil {
		n.add(nsDCT+"publisher", *a)
	}
	for i := range s.ContactPoints {
		if t := g.contact(&s.ContactPoints[i]); t != nil {
			n.add(nsDCAT+"contactPoint", *t)
		}
	}
	for _, l := range s.Keywords.Langs() {
		for _, w := range s.Keywords[l] {
			n.addLangString(nsDCAT+"keyword", w, l)
		}
	}
	for _, t := range s.Themes {
		n.add(nsDCAT+"theme", g.concept(string(t)))
	}
	for _, f := range s.Formats {
		n.add(nsDCT+"format", g.concept(string(f)))
	}
	if t := g.license(s.License); t != nil {
		n.add(nsDCT+"license", *t)
	}
	g.addConcept(n, nsDCT+"accessRights", string(s.AccessRights))
	for i := range s.ConformsTo {
		n.add(nsDCT+"conformsTo", g.standard(&s.ConformsTo[i]))
	}
	if s.LandingPage != "" {
		n.add(nsDCAT+"landingPage", g.typedRef(s.LandingPage, nsFOAF+"Document"))
	}
	for _, v := range s.Applicable {
		n.add(nsDCATAP+"applicableLegislation", g.typedRef(v, nsELI+"LegalResource"))
	}
}

// agent describes an organisation and returns its term; nil for no agent or
// a person (personal data is never written).
func (g *graph) agent(a *Agent) *term {
	if a == nil || a.IsPerson() || a.Type == AgentPrivateIndividual {
		return nil
	}
	n, fresh := g.describe(a.IRI, nsFOAF+"Agent", nsFOAF+"Organization")
	if fresh {
		n.addText(nsFOAF+"name", a.Name)
		g.addConcept(n, nsDCT+"type", string(a.Type))
		if a.Homepage != "" {
			n.add(nsFOAF+"homepage", g.typedRef(a.Homepage, nsFOAF+"Document"))
		}
		if a.Email != "" {
			n.add(nsFOAF+"mbox", iri(mailto(a.Email)))
		}
		n.addString(nsDCT+"identifier", a.Identifier)
	}
	return &n.id
}

// contact describes a vcard:Organization; nil for an individual.
func (g *graph) contact(c *Contact) *term {
	if c == nil || c.IsIndividual() {
		return nil
	}
	// vcard:Organization only when the contact says so: a harvested
	// contact typed vcard:Kind alone is not asserted to be one.
	types := []string{nsVCARD + "Kind"}
	if c.Kind == ContactOrganization {
		types = append(types, nsVCARD+"Organization")
	}
	n, fresh := g.describe(c.IRI, types...)
	if fresh {
		n.addString(nsVCARD+"fn", c.Name)
		if c.Email != "" {
			n.add(nsVCARD+"hasEmail", iri(mailto(c.Email)))
		}
		if c.Phone != "" {
			n.add(nsVCARD+"hasTelephone", iri(tel(c.Phone)))
		}
		if c.URL != "" {
			n.add(nsVCARD+"hasURL", iri(c.URL))
		}
		if !c.Address.IsZero() {
			an, _ := g.describe("", nsVCARD+"Address")
			an.addString(nsVCARD+"street-address", c.Address.Street)
			an.addString(nsVCARD+"locality", c.Address.Locality)
			an.addString(nsVCARD+"postal-code", c.Address.PostalCode)
			an.addString(nsVCARD+"region", c.Address.Region)
			an.addString(nsVCARD+"country-name", c.Address.Country)
			n.add(nsVCARD+"hasAddress", an.id)
		}
	}
	return &n.id
}

func mailto(s string) string {
	if strings.HasPrefix(s, "mailto:") {
		return s
	}
	return "mailto:" + s
}

func tel(s string) string {
	if strings.HasPrefix(s, "tel:") {
		return s
	}
	var b strings.Builder
	b.WriteString("tel:")
	for _, r := range s {
		if r == '+' || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (g *graph) license(l LicenseDocument) *term {
	if l.IRI == "" {
		return nil
	}
	n, fresh := g.describe(l.IRI, nsDCT+"LicenseDocument")
	if fresh {
		n.addText(nsDCT+"title", l.Title)
		g.addConcept(n, nsDCT+"type", string(l.Type))
		if l.SPDX != "" {
			n.add(nsDCT+"identifier", literal(l.SPDX))
		}
	}
	return &n.id
}

func (g *graph) rights(r RightsStatement) *term {
	if r.IsZero() {
		return nil
	}
	n, fresh := g.describe(r.IRI, nsDCT+"RightsStatement")
	if fresh {
		n.addText(nsRDFS+"label", r.Label)
	}
	return &n.id
}

func (g *graph) standard(s *Standard) term {
	n, fresh := g.describe(s.IRI, nsDCT+"Standard")
	if fresh {
		n.addText(nsDCT+"title", s.Title)
	}
	return n.id
}

func (g *graph) identifier(id *Identifier) term {
	// The scheme is the notation's datatype, as DCAT-AP and ADMS say.
	n, _ := g.describe("", nsADMS+"Identifier")
	if id.Scheme != "" {
		n.add(nsSKOS+"notation", typed(id.Notation, id.Scheme))
	} else {
		n.addString(nsSKOS+"notation", id.Notation)
	}
	n.addString(nsADMS+"schemaAgency", id.Issuer)
	if id.Created != "" {
		if t, err := time.Parse(time.DateOnly, id.Created); err == nil {
			n.add(nsDCT+"issued", timeLiteral(t))
		} else {
			n.add(nsDCT+"issued", literal(id.Created))
		}
	}
	return n.id
}

func (g *graph) location(l *Location) term {
	n, fresh := g.describe(l.IRI, nsDCT+"Location")
	if !fresh {
		return n.id
	}
	n.addText(nsSKOS+"prefLabel", l.Label)
	if l.Geometry != "" {
		gn, _ := g.describe("", nsLOCN+"Geometry")
		gn.add(nsGSP+"asWKT", typed(l.Geometry, nsGSP+"wktLiteral"))
		n.add(nsLOCN+"geometry", gn.id)
	}
	if l.BBox != "" {
		n.add(nsDCAT+"bbox", typed(l.BBox, nsGSP+"wktLiteral"))
	}
	if l.Centroid != "" {
		n.add(nsDCAT+"centroid", typed(l.Centroid, nsGSP+"wktLiteral"))
	}
	if inScheme := placeScheme(l.IRI); inScheme != "" {
		n.addType(nsSKOS + "Concept")
		n.add(nsSKOS+"inScheme", g.concept(inScheme))
		if l.Label.IsZero() {
			n.add(nsSKOS+"prefLabel", literal(lastSegment(l.IRI)))
		}
	}
	return n.id
}

// placeScheme returns the EU authority scheme of a place IRI, if any.
func placeScheme(v string) string {
	for _, s := range []string{SchemeCountry, SchemePlace, euAuthority + "continent"} {
		if strings.HasPrefix(v, s+"/") {
			return s
		}
	}
	return ""
}

func (g *graph) period(p *PeriodOfTime) term {
	n, _ := g.describe("", nsDCT+"PeriodOfTime")
	n.addTime(nsDCAT+"startDate", p.Start)
	n.addTime(nsDCAT+"endDate", p.End)
	return n.id
}

// describeConcepts appends the description of every vocabulary concept and
// scheme used: rdf:type, skos:prefLabel, skos:inScheme (dct:title for a
// scheme), plus the class the DCAT-AP range asks for.
func (g *graph) describeConcepts() {
	for i := 0; i < len(g.concepts); i++ { // describing may add schemes
		v := g.concepts[i]
		if isScheme(v) {
			n, _ := g.describe(v)
			n.addType(nsSKOS + "ConceptScheme")
			if !hasProp(n, nsDCT+"title") {
				n.add(nsDCT+"title", langLiteral(schemeTitle(v), "en"))
			}
			continue
		}
		scheme, extra := conceptScheme(v)
		n, _ := g.describe(v, append([]string{nsSKOS + "Concept"}, extra...)...)
		if !hasProp(n, nsSKOS+"prefLabel") {
			n.addText(nsSKOS+"prefLabel", conceptLabel(v))
		}
		if scheme != "" && !hasProp(n, nsSKOS+"inScheme") {
			n.add(nsSKOS+"inScheme", g.concept(scheme))
		}
	}
}

func hasProp(n *node, pred string) bool {
	for _, p := range n.props {
		if p.pred == pred {
			return true
		}
	}
	return false
}

// conceptScheme returns the scheme of a vocabulary concept and the classes
// its DCAT-AP range adds; "" for a concept of an unknown vocabulary.
func conceptScheme(v string) (string, []string) {
	switch {
	case strings.HasPrefix(v, SchemeDataTheme+"/"):
		return SchemeDataTheme, nil
	case strings.HasPrefix(v, SchemeFrequency+"/"):
		return SchemeFrequency, []string{nsDCT + "Frequency"}
	case strings.HasPrefix(v, SchemeAccessRight+"/"):
		return SchemeAccessRight, []string{nsDCT + "RightsStatement"}
	case strings.HasPrefix(v, SchemeLanguage+"/"):
		return SchemeLanguage, []string{nsDCT + "LinguisticSystem"}
	case strings.HasPrefix(v, SchemeFileType+"/"):
		return SchemeFileType, []string{nsDCT + "MediaTypeOrExtent"}
	case strings.HasPrefix(v, SchemeDatasetType+"/"):
		return SchemeDatasetType, nil
	case strings.HasPrefix(v, SchemeDistributionStatus+"/"):
		return SchemeDistributionStatus, nil
	case strings.HasPrefix(v, SchemeAvailability+"/"):
		return SchemeAvailability, nil
	case strings.HasPrefix(v, SchemeCountry+"/"):
		return SchemeCountry, nil
	case strings.HasPrefix(v, SchemePlace+"/"):
		return SchemePlace, nil
	case strings.HasPrefix(v, "http://purl.org/adms/publishertype/") && v != SchemePublisherType:
		return SchemePublisherType, nil
	case strings.HasPrefix(v, "http://purl.org/adms/licencetype/") && v != SchemeLicenceType:
		return SchemeLicenceType, nil
	}
	// A concept outside the known vocabularies (a local theme, say): still
	// a skos:Concept; its scheme is unknown.
	return "", nil
}

func isScheme(v string) bool {
	switch v {
	case SchemeDataTheme, SchemeFrequency, SchemeAccessRight, SchemeLanguage, SchemeFileType,
		SchemeDatasetType, SchemeDistributionStatus, SchemeAvailability, SchemeLicence,
		SchemeCountry, SchemePlace, SchemePublisherType, SchemeLicenceType:
		return true
	}
	return false
}

func lastSegment(v string) string {
	if i := strings.LastIndexAny(v, "/#"); i >= 0 && i < len(v)-1 {
		return v[i+1:]
	}
	return v
}

// wktBox turns a WKT polygon or envelope into schema.org's box
// "south west north east"; ok is false when it cannot.
func wktBox(wkt string) (string, bool) {
	pts := wktNumbers(wkt)
	if len(pts) < 4 || len(pts)%2 != 0 {
		return "", false
	}
	minX, minY, maxX, maxY := pts[0], pts[1], pts[0], pts[1]
	for i := 0; i+1 < len(pts); i += 2 {
		minX, maxX = min(minX, pts[i]), max(maxX, pts[i])
		minY, maxY = min(minY, pts[i+1]), max(maxY, pts[i+1])
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	return f(minY) + " " + f(minX) + " " + f(maxY) + " " + f(maxX), true
}

// wktPoint reads a WKT POINT(lon lat).
func wktPoint(wkt string) (lat, lon float64, ok bool) {
	if !strings.Contains(strings.ToUpper(wkt), "POINT") {
		return 0, 0, false
	}
	pts := wktNumbers(wkt)
	if len(pts) != 2 {
		return 0, 0, false
	}
	return pts[1], pts[0], true
}

// wktNumbers returns the numbers of a WKT literal in order (an optional
// leading <crs IRI> is skipped).
func wktNumbers(wkt string) []float64 {
	if strings.HasPrefix(strings.TrimSpace(wkt), "<") {
		if i := strings.IndexByte(wkt, '>'); i >= 0 {
			wkt = wkt[i+1:]
		}
	}
	var out []float64
	for _, f := range strings.FieldsFunc(wkt, func(r rune) bool {
		return !(r == '.' || r == '-' || r == '+' || r == 'e' || r == 'E' || (r >= '0' && r <= '9'))
	}) {
		if v, err := strconv.ParseFloat(f, 64); err == nil {
			out = append(out, v)
		}
	}
	return out
}
