package opendata

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strings"
	"time"
)

// UpsertOutcome is what an upsert did.
type UpsertOutcome int

const (
	UpsertCreated UpsertOutcome = iota + 1
	UpsertUpdated
	UpsertUnchanged
)

// UpsertReporter is a HarvestTarget that tells an update from an
// unchanged dataset; *Service implements it.
type UpsertReporter interface {
	UpsertDatasetOutcome(ctx context.Context, d *Dataset) (UpsertOutcome, error)
}

// HarvestTarget receives harvested datasets. It is the harvester's own
// view of where datasets go: *Service implements it, and so can anything
// that upserts datasets by their dct:identifier.
type HarvestTarget interface {
	// UpsertDataset creates the dataset, or replaces the one with the same
	// Identifier; created tells which.
	UpsertDataset(ctx context.Context, d *Dataset) (created bool, err error)
}

// Fetched is a document a FetchFunc returns.
type Fetched struct {
	// URL is the document's final address (after redirects); relative IRIs
	// and paging links are resolved against it. Empty means the requested
	// address.
	URL string `json:"url,omitempty"`
	// MediaType is the Content-Type given with the document, if any
	// ("text/turtle", "application/ld+json", "application/json").
	MediaType string `json:"media_type,omitempty"`
	Body      []byte `json:"body"`
}

// FetchFunc gets the document at url. The harvester never opens a network
// connection itself: the caller decides how (an http.Client with its
// timeouts and size limits, a file system, a test server).
type FetchFunc func(ctx context.Context, url string) (*Fetched, error)

// Format names a catalogue serialisation.
type Format string

// Formats a harvester reads. FormatAuto tells them apart by media type,
// then by content.
const (
	FormatAuto     Format = ""
	FormatTurtle   Format = "turtle"
	FormatJSONLD   Format = "json-ld"
	FormatDataJSON Format = "data.json"
)

// HarvesterOptions tunes a Harvester. The zero value works for
// HarvestDocument; Harvest needs Fetch.
type HarvesterOptions struct {
	// Fetch gets catalogue pages and remote JSON-LD contexts.
	Fetch FetchFunc
	// Format forces a format; FormatAuto (the default) detects it.
	Format Format
	// MaxPages bounds the pages followed in one harvest (default 1000).
	MaxPages int
	// CrossHostPaging lets next-page links lead to another scheme or host
	// than the first page's. Off by default: a catalogue cannot send the
	// harvester elsewhere.
	CrossHostPaging bool
	// SkipInvalid leaves out datasets with validation violations instead
	// of handing them to the target (which may refuse them anyway).
	SkipInvalid bool
	// Language is the language of data.json texts (see ReadOptions).
	Language string
	// Contexts are JSON-LD @context documents known in advance, by URL;
	// other remote contexts are fetched with Fetch.
	Contexts map[string][]byte
	// Now stamps the report (default time.Now).
	Now func() time.Time
	// Source names the harvested source (say "ville-lyon-ckan"): each
	// dataset stored gets it as HarvestSource. Needed by WithdrawDropped.
	Source string
	// WithdrawDropped, after a complete harvest (every page read, no
	// error), withdraws the published datasets of Source that the
	// harvest did not meet, when the target can (DroppedWithdrawer):
	// a portal that dropped a dataset has it withdrawn here, never
	// deleted. Set it for full harvests only: an incremental one meets
	// only what changed.
	WithdrawDropped bool
}

// DroppedWithdrawer withdraws what a full harvest of source did not meet;
// *Service implements it.
type DroppedWithdrawer interface {
	WithdrawDropped(ctx context.Context, source string, kept map[string]bool) ([]string, error)
}

// Harvester reads catalogues (DCAT-AP Turtle or JSON-LD with hydra
// paging, POD v1.1 data.json) into a HarvestTarget, idempotently by
// dataset identifier: harvesting the same catalogue twice creates nothing
// the second time. A dataset without dct:identifier is keyed by its IRI.
//
// Nothing is dropped silently: properties that cannot be mapped, malformed
// values, broken DCAT-AP rules and paging trouble are listed in the
// report with their page and field path. Natural persons (foaf:Person
// agents, vcard:Individual contacts) are not imported; each one left out
// is reported with RulePersonal, without its values.
//
// A Harvester holds no state between calls and may be used concurrently.
type Harvester struct {
	opts HarvesterOptions
}

// NewHarvester returns a harvester.
func NewHarvester(opts HarvesterOptions) *Harvester {
	if opts.MaxPages <= 0 {
		opts.MaxPages = 1000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Harvester{opts: opts}
}

// HarvestProblem is a Finding in one fetched document.
type HarvestProblem struct {
	URL string `json:"url"` // the page; "" for a document given directly
	Finding
}

func (p HarvestProblem) String() string {
	if p.URL == "" {
		return p.Finding.String()
	}
	return p.URL + ": " + p.Finding.String()
}

// HarvestStatus is what a harvest did with one dataset.
type HarvestStatus string

const (
	HarvestCreated   HarvestStatus = "created"
	HarvestUpdated   HarvestStatus = "updated"
	HarvestUnchanged HarvestStatus = "unchanged" // same content: nothing written
	HarvestSkipped   HarvestStatus = "skipped"   // not stored: see Reason
	HarvestWithdrawn HarvestStatus = "withdrawn" // dropped by the source: withdrawn here (WithdrawDropped)
)

// HarvestedDataset records what became of one dataset.
type HarvestedDataset struct {
	URL        string        `json:"url"`        // the page it was read from
	Path       string        `json:"path"`       // its path in the page, e.g. "datasets[3]"
	Identifier string        `json:"identifier"` // the key it was upserted by
	IRI        string        `json:"iri,omitempty"`
	Status     HarvestStatus `json:"status"`
	Reason     string        `json:"reason,omitempty"` // why it was skipped
	Created    bool          `json:"created"`
	// Err is why it was skipped (nil when upserted): ErrInvalid for a
	// dataset without identifier or with violations under SkipInvalid, a
	// duplicate identifier, or the target's refusal.
	Err error `json:"-"`
}

// HarvestReport is the outcome of a harvest.
type HarvestReport struct {
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Pages    []string  `json:"pages"`   // the pages read, in order
	Created  int       `json:"created"` // datasets created in the target
	Updated  int       `json:"updated"` // datasets replaced in the target (or unchanged, when the target cannot tell)
	// Unchanged counts datasets whose content was already stored, when
	// the target tells (UpsertReporter); they are not in Updated.
	Unchanged int `json:"unchanged"`
	// Withdrawn counts the datasets withdrawn because the source dropped
	// them (WithdrawDropped).
	Withdrawn int                `json:"withdrawn"`
	Datasets  []HarvestedDataset `json:"datasets"`
	// Series and Services found in the pages; HarvestTarget takes datasets
	// only, so the caller stores these as it sees fit.
	Series   []*DatasetSeries `json:"series,omitempty"`
	Services []*DataService   `json:"services,omitempty"`
	// Problems lists every property that could not be mapped or was
	// malformed, every validation rule a dataset breaks, and paging
	// trouble, each with its page and path.
	Problems []HarvestProblem `json:"problems,omitempty"`
}

// Skipped returns the datasets that were not upserted.
func (r *HarvestReport) Skipped() []HarvestedDataset {
	var out []HarvestedDataset
	for _, d := range r.Datasets {
		if d.Err != nil {
			out = append(out, d)
		}
	}
	return out
}

func (r *HarvestReport) problem(u, field, rule, param string, severity Severity) {
	r.Problems = append(r.Problems, HarvestProblem{URL: u, Finding: Finding{Path: field, Rule: rule, Param: param, Severity: severity}})
}

// Harvest reads the catalogue at startURL and the pages its hydra next
// links lead to, and upserts every dataset into target. It stops with an
// error when a page cannot be fetched or parsed, when the context ends, or
// when the target fails for a reason other than the dataset itself
// (ErrInvalid, ErrConflict); the report then tells what was done until
// then.
func (h *Harvester) Harvest(ctx context.Context, startURL string, target HarvestTarget) (*HarvestReport, error) {
	rep := &HarvestReport{Started: h.opts.Now()}
	defer func() { rep.Finished = h.opts.Now() }()
	if h.opts.Fetch == nil {
		return rep, fmt.Errorf("opendata: harvest: %w: no HarvesterOptions.Fetch", ErrInvalid)
	}
	start, err := url.Parse(startURL)
	if err != nil || !start.IsAbs() {
		return rep, fmt.Errorf("opendata: harvest %q: %w: not an absolute URL", startURL, ErrInvalid)
	}
	seenPage := make(map[string]bool)
	seenID := make(map[string]bool)
	refs := &references{}
	defer refs.report(rep)
	contexts := make(map[string][]byte, len(h.opts.Contexts))
	for k, v := range h.opts.Contexts {
		contexts[k] = v
	}
	if h.opts.WithdrawDropped && h.opts.Source == "" {
		return rep, fmt.Errorf("opendata: harvest: %w: WithdrawDropped needs HarvesterOptions.Source", ErrInvalid)
	}
	complete := true
	next := start.String()
	for next != "" {
		if len(rep.Pages) >= h.opts.MaxPages {
			rep.problem(next, "page", RuleMaxCount, fmt.Sprintf("more than %d pages: not followed", h.opts.MaxPages), SeverityViolation)
			complete = false
			break
		}
		seenPage[next] = true
		doc, err := h.opts.Fetch(ctx, next)
		if err != nil {
			return rep, fmt.Errorf("opendata: harvest: fetch %s: %w", next, err)
		}
		if doc == nil {
			return rep, fmt.Errorf("opendata: harvest: fetch %s: no document", next)
		}
		pageURL := next
		if doc.URL != "" {
			pageURL = doc.URL
		}
		rep.Pages = append(rep.Pages, pageURL)
		res, err := h.read(ctx, doc, pageURL, contexts)
		if err != nil {
			return rep, fmt.Errorf("opendata: harvest %s: %w", pageURL, err)
		}
		refs.add(pageURL, res)
		if err := h.store(ctx, rep, res, pageURL, target, seenID); err != nil {
			return rep, err
		}
		next = ""
		if link := res.NextPage(); link != "" {
			abs := resolveIRI(pageURL, link)
			u, err := url.Parse(abs)
			switch {
			case err != nil || !u.IsAbs():
				rep.problem(pageURL, "page.next", RuleFormat, "not an absolute URL: "+truncateRunes(link, 200), SeverityViolation)
			case !h.opts.CrossHostPaging && (u.Scheme != start.Scheme || u.Host != start.Host):
				rep.problem(pageURL, "page.next", RuleFormat, "leads to another host, not followed: "+truncateRunes(abs, 200), SeverityViolation)
			case seenPage[abs]:
				rep.problem(pageURL, "page.next", RuleUnique, "page already read, loop stopped: "+truncateRunes(abs, 200), SeverityViolation)
			default:
				next = abs
			}
			if next == "" {
				complete = false // a next page was announced and not read
			}
		}
	}
	if h.opts.WithdrawDropped && complete {
		w, ok := target.(DroppedWithdrawer)
		if !ok {
			rep.problem(start.String(), "withdraw_dropped", RuleFormat, "the target cannot withdraw datasets", SeverityWarning)
			return rep, nil
		}
		ids, err := w.WithdrawDropped(ctx, h.opts.Source, seenID)
		for _, id := range ids {
			rep.Withdrawn++
			rep.Datasets = append(rep.Datasets, HarvestedDataset{Identifier: id, Status: HarvestWithdrawn, Reason: "no longer in the source"})
		}
		if err != nil {
			return rep, fmt.Errorf("opendata: harvest: withdraw dropped datasets: %w", err)
		}
	}
	return rep, nil
}

// HarvestDocument reads one document (no paging is followed) and upserts
// its datasets into target. doc.URL, when set, is the base for relative
// IRIs.
func (h *Harvester) HarvestDocument(ctx context.Context, doc *Fetched, target HarvestTarget) (*HarvestReport, error) {
	rep := &HarvestReport{Started: h.opts.Now()}
	defer func() { rep.Finished = h.opts.Now() }()
	if doc == nil {
		return rep, fmt.Errorf("opendata: harvest: %w: no document", ErrInvalid)
	}
	contexts := make(map[string][]byte, len(h.opts.Contexts))
	for k, v := range h.opts.Contexts {
		contexts[k] = v
	}
	if doc.URL != "" {
		rep.Pages = append(rep.Pages, doc.URL)
	}
	res, err := h.read(ctx, doc, doc.URL, contexts)
	if err != nil {
		return rep, fmt.Errorf("opendata: harvest: %w", err)
	}
	refs := &references{}
	refs.add(doc.URL, res)
	defer refs.report(rep)
	return rep, h.store(ctx, rep, res, doc.URL, target, make(map[string]bool))
}

// read parses one document in its format.
func (h *Harvester) read(ctx context.Context, doc *Fetched, base string, contexts map[string][]byte) (*ReadResult, error) {
	opts := ReadOptions{Base: base, Language: h.opts.Language, Contexts: contexts}
	if h.opts.Fetch != nil {
		opts.LoadContext = func(ctx context.Context, u string) ([]byte, error) {
			f, err := h.opts.Fetch(ctx, u)
			if err != nil {
				return nil, err
			}
			if f == nil {
				return nil, errors.New("no document")
			}
			contexts[u] = f.Body
			return f.Body, nil
		}
	}
	format, how := h.opts.Format, "as configured"
	if format == FormatAuto {
		format = DetectFormat(doc.MediaType, doc.Body)
		how = "guessed from the content"
		if mediaTypeFormat(doc.MediaType) != FormatAuto {
			how = "guessed from the media type " + truncateRunes(doc.MediaType, 80)
		}
	}
	var res *ReadResult
	var err error
	switch format {
	case FormatTurtle:
		res, err = ReadTurtle(bytes.NewReader(doc.Body), opts)
	case FormatJSONLD:
		res, err = ReadJSONLD(ctx, bytes.NewReader(doc.Body), opts)
	case FormatDataJSON:
		res, err = ReadDataJSON(bytes.NewReader(doc.Body), opts)
	case FormatCKAN:
		res, err = ReadCKAN(bytes.NewReader(doc.Body), opts)
	case FormatRDFXML:
		res, err = ReadRDFXML(bytes.NewReader(doc.Body), opts)
	default:
		return nil, fmt.Errorf("%w: unknown format %q", ErrInvalid, format)
	}
	if err != nil {
		// Say which reader failed and why it was chosen: a misleading
		// "turtle: character not allowed" on an XML file helps nobody.
		return nil, fmt.Errorf("read as %s (%s): %w", format, how, err)
	}
	return res, nil
}

// mediaTypeFormat returns the format a Content-Type names, FormatAuto
// when it names none (application/json, text/plain...).
func mediaTypeFormat(mediaType string) Format {
	mt, _, err := mime.ParseMediaType(mediaType)
	if err != nil {
		return FormatAuto
	}
	switch mt {
	case "text/turtle", "application/x-turtle", "text/n3", "application/n-triples":
		return FormatTurtle
	case "application/ld+json":
		return FormatJSONLD
	case "application/rdf+xml", "application/xml", "text/xml":
		return FormatRDFXML
	}
	return FormatAuto
}

// looksLikeXML reports a document that starts as XML: a declaration, a
// comment or doctype, or an element name (Turtle starts with "<" too, but
// with an IRI: "<http://...>", "<#a>").
func looksLikeXML(b []byte) bool {
	if bytes.HasPrefix(b, []byte("<?xml")) || bytes.HasPrefix(b, []byte("<!")) {
		return true
	}
	if len(b) < 2 || b[0] != '<' {
		return false
	}
	i := 1
	for i < len(b) && (b[i] == ':' || b[i] == '_' || b[i] == '-' || b[i] == '.' ||
		'a' <= b[i] && b[i] <= 'z' || 'A' <= b[i] && b[i] <= 'Z' || '0' <= b[i] && b[i] <= '9') {
		i++
	}
	if i == 1 || i == len(b) {
		return false
	}
	switch b[i] {
	case ' ', '\t', '\r', '\n', '>', '/':
		return b[i] != '/' || (i+1 < len(b) && b[i+1] == '>')
	}
	return false
}

// store reports the page's problems and upserts its datasets.
func (h *Harvester) store(ctx context.Context, rep *HarvestReport, res *ReadResult, pageURL string, target HarvestTarget, seenID map[string]bool) error {
	for _, p := range res.Problems {
		rep.Problems = append(rep.Problems, HarvestProblem{URL: pageURL, Finding: p})
	}
	personal := func(f, param string) { rep.problem(pageURL, f, RulePersonal, param, SeverityWarning) }
	// Paged catalogues repeat their series and services on every page.
	for i, s := range res.Catalog.Series {
		if !containsSeries(rep.Series, s.IRI) {
			p := index("series", i)
			s.Publisher = stripPerson(s.Publisher, path(p, "publisher"), personal)
			s.ContactPoints = stripIndividuals(s.ContactPoints, path(p, "contact_points"), personal)
			rep.Series = append(rep.Series, s)
		}
	}
	for i, s := range res.Catalog.Services {
		if !containsService(rep.Services, s.IRI) {
			p := index("services", i)
			s.Publisher = stripPerson(s.Publisher, path(p, "publisher"), personal)
			s.ContactPoints = stripIndividuals(s.ContactPoints, path(p, "contact_points"), personal)
			rep.Services = append(rep.Services, s)
		}
	}
	for i, d := range res.Catalog.Datasets {
		if err := ctx.Err(); err != nil {
			return err
		}
		field := index("datasets", i)
		hd := HarvestedDataset{URL: pageURL, Path: field, Identifier: d.Identifier}
		hd.IRI = d.IRI
		hd.Status = HarvestSkipped
		if d.Identifier == "" && d.IRI == "" {
			// A blank-node dataset with neither key (GovData's DCAT-AP.de
			// examples write some): keyed, as ckanext-dcat keys it, by the
			// source and a slug of its title, so that a second harvest
			// finds it again. A new title makes it a new dataset.
			src := h.opts.Source
			if src == "" && len(rep.Pages) > 0 {
				src = rep.Pages[0]
			}
			if slug := Slug(d.Title.Get("")); slug != "" && firstNonEmpty(src, pageURL) != "" {
				d.Identifier = firstNonEmpty(src, pageURL) + "#" + slug
				hd.Identifier = d.Identifier
				rep.problem(pageURL, path(field, "identifier"), RuleMandatory, "dct:identifier and IRI missing: source and title used", SeverityWarning)
			}
		}
		if d.Identifier == "" {
			if d.IRI == "" {
				hd.Err = fmt.Errorf("%w: dataset without dct:identifier or IRI", ErrInvalid)
				hd.Reason = "no dct:identifier and no IRI"
				rep.problem(pageURL, path(field, "identifier"), RuleMandatory, "dct:identifier", SeverityViolation)
				rep.Datasets = append(rep.Datasets, hd)
				continue
			}
			// CKAN's harvester does the same: the IRI identifies the dataset.
			d.Identifier, hd.Identifier = d.IRI, d.IRI
			rep.problem(pageURL, path(field, "identifier"), RuleMandatory, "dct:identifier missing: the IRI is used", SeverityWarning)
		}
		if seenID[d.Identifier] {
			hd.Err = fmt.Errorf("%w: identifier %q met twice in one harvest", ErrConflict, d.Identifier)
			hd.Reason = "identifier met twice in one harvest"
			rep.problem(pageURL, path(field, "identifier"), RuleUnique, truncateRunes(d.Identifier, 200), SeverityViolation)
			rep.Datasets = append(rep.Datasets, hd)
			continue
		}
		seenID[d.Identifier] = true
		stripPersonal(d, field, func(f, param string) {
			rep.problem(pageURL, f, RulePersonal, param, SeverityWarning)
		})
		report := d.Validate()
		for _, f := range report.Findings {
			f.Path = path(field, f.Path)
			rep.Problems = append(rep.Problems, HarvestProblem{URL: pageURL, Finding: f})
		}
		if !report.OK() && h.opts.SkipInvalid {
			hd.Err = fmt.Errorf("%w: dataset breaks DCAT-AP rules (see the report's problems)", ErrInvalid)
			hd.Reason = "breaks DCAT-AP rules (SkipInvalid)"
			rep.Datasets = append(rep.Datasets, hd)
			continue
		}
		if h.opts.Source != "" {
			d.HarvestSource = h.opts.Source
		}
		outcome, err := upsert(ctx, target, d)
		switch {
		case err == nil:
			switch outcome {
			case UpsertCreated:
				hd.Created, hd.Status = true, HarvestCreated
				rep.Created++
			case UpsertUnchanged:
				hd.Status = HarvestUnchanged
				rep.Unchanged++
			default:
				hd.Status = HarvestUpdated
				rep.Updated++
			}
		case errors.Is(err, ErrInvalid) || errors.Is(err, ErrConflict) || errors.Is(err, ErrWrongState):
			hd.Err = err
			hd.Reason = "refused by the target: " + truncateRunes(err.Error(), 300)
		default:
			return fmt.Errorf("opendata: harvest %s: dataset %q: %w", pageURL, d.Identifier, err)
		}
		rep.Datasets = append(rep.Datasets, hd)
	}
	return nil
}

// upsert stores d in target, telling an unchanged dataset when target can.
func upsert(ctx context.Context, target HarvestTarget, d *Dataset) (UpsertOutcome, error) {
	if r, ok := target.(UpsertReporter); ok {
		return r.UpsertDatasetOutcome(ctx, d)
	}
	created, err := target.UpsertDataset(ctx, d)
	if created {
		return UpsertCreated, err
	}
	return UpsertUpdated, err
}

// references follows, over the pages of one harvest, the datasets a
// catalogue lists without describing (ReadResult.Referenced) and those it
// describes, so that a reference and its description meet whatever the
// page order, and a dataset listed but never described is reported.
type references struct {
	described map[string]bool
	listed    []HarvestedDataset
}

func (r *references) add(pageURL string, res *ReadResult) {
	if r.described == nil {
		r.described = map[string]bool{}
	}
	for _, d := range res.Catalog.Datasets {
		if d.IRI != "" {
			r.described[d.IRI] = true
		}
	}
	for _, iri := range res.Referenced {
		r.listed = append(r.listed, HarvestedDataset{URL: pageURL, Path: "referenced", Identifier: iri, IRI: iri})
	}
}

// report adds to rep the datasets listed and never described.
func (r *references) report(rep *HarvestReport) {
	seen := map[string]bool{}
	for _, hd := range r.listed {
		if r.described[hd.IRI] || seen[hd.IRI] {
			continue
		}
		seen[hd.IRI] = true
		hd.Status, hd.Reason = HarvestSkipped, "listed by the catalogue (dcat:dataset) but described on no page read"
		hd.Err = fmt.Errorf("%w: dataset %s listed but never described", ErrNotFound, truncateRunes(hd.IRI, 200))
		rep.Datasets = append(rep.Datasets, hd)
		rep.problem(hd.URL, "datasets", RuleMandatory, "described nowhere: "+truncateRunes(hd.IRI, 200), SeverityWarning)
	}
}

// stripPersonal removes the natural persons a harvested dataset names
// (foaf:Person agents, vcard:Individual contacts): personal data is not
// imported. Each removal is reported.
func stripPersonal(d *Dataset, field string, report func(field, param string)) {
	d.Publisher = stripPerson(d.Publisher, path(field, "publisher"), report)
	creators := d.Creators[:0]
	for i := range d.Creators {
		if d.Creators[i].IsPerson() {
			report(index(path(field, "creators"), i), "foaf:Person not imported")
			continue
		}
		creators = append(creators, d.Creators[i])
	}
	d.Creators = creators
	if len(d.Creators) == 0 {
		d.Creators = nil
	}
	d.ContactPoints = stripIndividuals(d.ContactPoints, path(field, "contact_points"), report)
	attributions := d.Attributions[:0]
	for i := range d.Attributions {
		if d.Attributions[i].Agent.IsPerson() {
			report(path(index(path(field, "attributions"), i), "agent"), "foaf:Person not imported")
			continue
		}
		attributions = append(attributions, d.Attributions[i])
	}
	d.Attributions = attributions
	if len(d.Attributions) == 0 {
		d.Attributions = nil
	}
}

func stripPerson(a *Agent, field string, report func(field, param string)) *Agent {
	if a.IsPerson() {
		report(field, "foaf:Person not imported")
		return nil
	}
	return a
}

func stripIndividuals(cs []Contact, field string, report func(field, param string)) []Contact {
	out := cs[:0]
	for i := range cs {
		if cs[i].IsIndividual() {
			report(index(field, i), "vcard:Individual not imported")
			continue
		}
		out = append(out, cs[i])
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func containsSeries(ss []*DatasetSeries, iri string) bool {
	for _, s := range ss {
		if iri != "" && s.IRI == iri {
			return true
		}
	}
	return false
}

func containsService(ss []*DataService, iri string) bool {
	for _, s := range ss {
		if iri != "" && s.IRI == iri {
			return true
		}
	}
	return false
}

// DetectFormat tells the format of a catalogue document from its media
// type, else from its content: XML is RDF/XML, a CKAN Action API
// envelope is FormatCKAN,
// JSON that declares the Project Open Data schema is data.json, other
// JSON is JSON-LD, anything else Turtle.
func DetectFormat(mediaType string, body []byte) Format {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
	switch f := mediaTypeFormat(mediaType); f {
	case FormatTurtle, FormatJSONLD:
		return f
	case FormatRDFXML:
		// application/xml is also what some servers say of anything.
		if looksLikeXML(trimmed) {
			return f
		}
	}
	if looksLikeXML(trimmed) {
		return FormatRDFXML
	}
	if len(trimmed) == 0 || (trimmed[0] != '{' && trimmed[0] != '[') {
		return FormatTurtle
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(trimmed, &top) == nil {
		// A CKAN Action API answer: {"help", "success", "result"|"error"}.
		if _, ok := top["success"]; ok {
			_, result := top["result"]
			_, failed := top["error"]
			if result || failed {
				return FormatCKAN
			}
		}
		for _, k := range []string{"conformsTo", "@context", "describedBy"} {
			var s string
			if json.Unmarshal(top[k], &s) == nil && strings.Contains(s, "project-open-data.cio.gov") {
				return FormatDataJSON
			}
		}
		if _, ok := top["dataset"]; ok {
			if _, ld := top["@context"]; !ld {
				return FormatDataJSON
			}
		}
	}
	return FormatJSONLD
}
