package opendata

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// Search has one meaning on every store, defined here and checked by
// opendatatest against Match and CompareDatasets:
//
//   - Text: each query word (see QueryWords) must be a prefix of a word of the
//     dataset's title, description or keywords, in any language, after
//     folding case and accents. Engine full-text features (stemming, stop
//     words) are not used: SQLite, PostgreSQL and MariaDB would disagree.
//   - Filters are ANDed. A filter matches a dataset that has at least one
//     of its values for its facet (none of them when Exclude is set);
//     facet values are those FacetValues returns.
//   - Facet counts are taken over every dataset the query matches (not
//     only the page), most frequent first, then by value.
//   - Results are ordered by Sort, ties broken by ID in the same direction
//     (so that one index serves the order), and offset pages and cursor
//     pages are stable.

// Facet names a property datasets are filtered and counted by.
type Facet string

const (
	FacetTheme     Facet = "theme"     // dcat:theme IRIs
	FacetPublisher Facet = "publisher" // PublisherKey of dct:publisher
	FacetLicense   Facet = "license"   // licence IRI (else SPDX id) of each distribution
	FacetFormat    Facet = "format"    // dct:format IRI of each distribution
	FacetKeyword   Facet = "keyword"   // dcat:keyword literals of every language
)

// AllFacets lists the facets in a fixed order.
func AllFacets() []Facet {
	return []Facet{FacetTheme, FacetPublisher, FacetLicense, FacetFormat, FacetKeyword}
}

func (f Facet) valid() bool { return slices.Contains(AllFacets(), f) }

// Limits of indexed values. Longer values are cut (at a rune boundary) the
// same way when stored and when queried, so they still match.
const (
	MaxTermLen       = 48  // bytes of an indexed word
	MaxFacetValueLen = 500 // bytes of a facet value
	MaxSortKeyLen    = 250 // bytes of a title sort key
	MaxIdentifierLen = 500 // bytes of Dataset.Identifier (longer is refused)
	MaxIRILen        = 1000
	// MaxSearchLimit is the largest page of a search: CKAN's rows maximum,
	// above civickit.MaxLimit; a larger limit is cut to it.
	MaxSearchLimit   = 1000
	DefaultFacetSize = 50 // values per facet when SearchQuery.FacetLimit is 0
)

// SearchTerms returns the distinct words a store indexes for d: those of
// its title, description and keywords in every language, sorted.
func SearchTerms(d *Dataset) []string {
	seen := map[string]bool{}
	add := func(s string) {
		for _, w := range civickit.Words(s, MaxTermLen) {
			seen[w] = true
		}
	}
	for _, s := range d.Title {
		add(s)
	}
	for _, s := range d.Description {
		add(s)
	}
	for _, ws := range d.Keywords {
		for _, w := range ws {
			add(w)
		}
	}
	out := make([]string, 0, len(seen))
	for w := range seen {
		out = append(out, w)
	}
	slices.Sort(out)
	return out
}

// TitleKey is the key by which SortTitle orders datasets: the folded words
// of the title as Text.Get("") picks it, cut to MaxSortKeyLen bytes.
func TitleKey(t Text) string {
	return civickit.Truncate(strings.Join(civickit.Words(t.Get(""), MaxTermLen), " "), MaxSortKeyLen)
}

// Slug turns a name into a CKAN-style name: lower-case ASCII letters,
// digits and '-', at most 100 bytes; "" when nothing is left.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range civickit.Fold(s) {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 100 {
			break
		}
	}
	return strings.TrimRight(civickit.Truncate(b.String(), 100), "-")
}

// PublisherKey identifies a publisher in searches and facets (and is the
// name of its CKAN organization): the Slug of its name, else of its
// identifier; "" for no publisher or a person (never published).
func PublisherKey(a *Agent) string {
	if a == nil || a.IsPerson() {
		return ""
	}
	if k := Slug(a.Name.Get("")); k != "" {
		return k
	}
	return Slug(a.Identifier)
}

// FacetValue normalises a value as stored and queried: control
// characters become spaces, bytes that are not UTF-8 become U+FFFD (no
// engine stores them alike), then the value is trimmed and cut to
// MaxFacetValueLen bytes.
func FacetValue(v string) string {
	v = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(v, "\uFFFD"))
	return civickit.Truncate(strings.TrimSpace(v), MaxFacetValueLen)
}

// FacetValues returns the distinct, sorted values d has for each facet.
// Facets without a value are absent.
func FacetValues(d *Dataset) map[Facet][]string {
	sets := map[Facet]map[string]bool{}
	add := func(f Facet, v string) {
		v = FacetValue(v)
		if v == "" {
			return
		}
		if sets[f] == nil {
			sets[f] = map[string]bool{}
		}
		sets[f][v] = true
	}
	for _, t := range d.Themes {
		add(FacetTheme, string(t))
	}
	add(FacetPublisher, PublisherKey(d.Publisher))
	for i := range d.Distributions {
		x := &d.Distributions[i]
		if x.License.IRI != "" {
			add(FacetLicense, x.License.IRI)
		} else {
			add(FacetLicense, x.License.SPDX)
		}
		add(FacetFormat, string(x.Format))
	}
	for _, ws := range d.Keywords {
		for _, w := range ws {
			add(FacetKeyword, w)
		}
	}
	out := make(map[Facet][]string, len(sets))
	for f, set := range sets {
		vs := make([]string, 0, len(set))
		for v := range set {
			vs = append(vs, v)
		}
		slices.Sort(vs)
		out[f] = vs
	}
	return out
}

// Filter keeps datasets having at least one of Values for Facet, or, with
// Exclude, none of them.
type Filter struct {
	Facet   Facet    `json:"facet"`
	Values  []string `json:"values"`
	Exclude bool     `json:"exclude,omitempty"`
}

// SortOrder orders search results; ties are broken by ID in the same
// direction.
type SortOrder string

const (
	SortModified    SortOrder = "-modified"  // UpdatedAt, newest first (the default)
	SortModifiedAsc SortOrder = "modified"   // UpdatedAt, oldest first
	SortCreated     SortOrder = "-created"   // CreatedAt, newest first
	SortCreatedAsc  SortOrder = "created"    // CreatedAt, oldest first
	SortTitle       SortOrder = "title"      // TitleKey, A to Z
	SortTitleDesc   SortOrder = "-title"     // TitleKey, Z to A
	SortIdentifier  SortOrder = "identifier" // Identifier, bytewise
)

// SortOrders lists the valid orders.
func SortOrders() []SortOrder {
	return []SortOrder{SortModified, SortModifiedAsc, SortCreated, SortCreatedAsc, SortTitle, SortTitleDesc, SortIdentifier}
}

// Descending reports whether the order's primary key goes down.
func (s SortOrder) Descending() bool { return strings.HasPrefix(string(s), "-") }

// ByTime reports whether the order's primary key is a time (Cursor.At).
func (s SortOrder) ByTime() bool {
	switch s {
	case SortModified, SortModifiedAsc, SortCreated, SortCreatedAsc:
		return true
	}
	return false
}

// Cursor is the position after which a page of a search starts: the sort
// key of the last dataset of the previous page (At for time orders, Key
// otherwise) and its ID. SearchResult.Next is civickit.EncodeCursor of
// the Cursor of a page's last dataset, and a store reads
// SearchQuery.After back with civickit.DecodeCursor; the position is
// defined here so that every store writes the same cursors.
type Cursor struct {
	Key string    `json:"k,omitempty"`
	At  int64     `json:"t,omitempty"` // Unix microseconds
	ID  uuid.UUID `json:"i"`
}

// CursorOf returns the cursor that names d in order s.
func CursorOf(d *Dataset, s SortOrder) Cursor {
	c := Cursor{ID: d.ID}
	switch s {
	case SortModified, SortModifiedAsc, "":
		c.At = d.UpdatedAt.UnixMicro()
	case SortCreated, SortCreatedAsc:
		c.At = d.CreatedAt.UnixMicro()
	case SortTitle, SortTitleDesc:
		c.Key = TitleKey(d.Title)
	case SortIdentifier:
		c.Key = d.Identifier
	}
	return c
}

// SearchQuery asks for a page of datasets. The zero value lists the first
// civickit.DefaultLimit datasets, most recently modified first, without
// facets.
//
// Pages follow the kernel's convention: After is the Next of the previous
// page ("" for the first). CKAN's package_search pages by offset instead
// (rows and start): Offset skips that many datasets; After and Offset
// cannot both be set.
type SearchQuery struct {
	Text    string    `json:"q,omitempty"`
	Filters []Filter  `json:"filters,omitempty"`
	Sort    SortOrder `json:"sort,omitempty"` // SortModified when empty
	// Limit is the page size: 0 for civickit.DefaultLimit, negative is
	// invalid, more than MaxSearchLimit is cut to it.
	Limit  int    `json:"limit,omitempty"`
	Offset int    `json:"offset,omitempty"`
	After  string `json:"after,omitempty"`
	// Facets to count; FacetLimit values each (0: DefaultFacetSize).
	Facets     []Facet `json:"facets,omitempty"`
	FacetLimit int     `json:"facet_limit,omitempty"`
	// Modified and Created keep the datasets whose UpdatedAt or CreatedAt
	// falls in the range: what CKAN harvesters ask with
	// fq=metadata_modified:[since TO *] to harvest incrementally.
	Modified TimeRange `json:"modified,omitzero"`
	Created  TimeRange `json:"created,omitzero"`
	// States keeps the datasets in one of these states (EffectiveState);
	// empty means published only: what every public feed shows.
	States []DatasetState `json:"states,omitempty"`
}

// AllStates lists the dataset states.
func AllStates() []DatasetState { return []DatasetState{StatePublished, StateDraft, StateWithdrawn} }

// TimeRange is an inclusive range of instants; a zero bound is open.
// Stores keep times to the microsecond: bounds are cut to it.
type TimeRange struct {
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
}

// IsZero reports whether the range is open at both ends.
func (r TimeRange) IsZero() bool { return r.From.IsZero() && r.To.IsZero() }

// Contains reports whether t is in the range.
func (r TimeRange) Contains(t time.Time) bool {
	t = t.Truncate(time.Microsecond)
	return (r.From.IsZero() || !t.Before(r.From)) && (r.To.IsZero() || !t.After(r.To))
}

// FacetCount is one value of a facet and the number of datasets having it.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// SearchResult is one page of a search: the datasets (Items) and the
// cursor of the next page (Next, "" on the last page), with the number of
// datasets matching the query over all pages and the facet counts.
type SearchResult struct {
	civickit.Page[Dataset]
	Total  int                    `json:"total"`
	Facets map[Facet][]FacetCount `json:"facets,omitempty"`
}

// Normalize checks q and fills its defaults (Sort, Limit, FacetLimit),
// cutting filter values as FacetValue does. The Service calls it before
// the store; it returns a *civickit.ValidationError naming every bad
// field.
func (q *SearchQuery) Normalize() error {
	ve := &civickit.ValidationError{}
	if q.Sort == "" {
		q.Sort = SortModified
	} else if !slices.Contains(SortOrders(), q.Sort) {
		ve.Add("sort", RuleVocabulary, string(q.Sort))
	}
	switch {
	case q.Limit == 0:
		q.Limit = civickit.DefaultLimit
	case q.Limit < 0:
		ve.Add("limit", "gte", "0")
	case q.Limit > MaxSearchLimit:
		q.Limit = MaxSearchLimit
	}
	if q.Offset < 0 {
		ve.Add("offset", RuleFormat, ">=0")
	}
	if q.After != "" {
		if q.Offset > 0 {
			ve.Add("after", RuleFormat, "not with offset")
		} else if _, err := civickit.DecodeCursor(q.After, &Cursor{}); err != nil {
			ve.Merge("", err)
		}
	}
	if q.FacetLimit == 0 {
		q.FacetLimit = DefaultFacetSize
	} else if q.FacetLimit < 0 || q.FacetLimit > MaxSearchLimit {
		ve.Add("facet_limit", RuleFormat, "1.."+strconv.Itoa(MaxSearchLimit))
	}
	for i, st := range q.States {
		if !slices.Contains(AllStates(), st) {
			ve.Add(index("states", i), RuleVocabulary, string(st))
		}
	}
	for _, r := range []*TimeRange{&q.Modified, &q.Created} {
		// A range whose To comes before its From matches nothing (two
		// CKAN ranges that exclude each other): not an error.
		r.From, r.To = r.From.UTC().Truncate(time.Microsecond), r.To.UTC().Truncate(time.Microsecond)
	}
	if len(q.Text) > 1000 {
		ve.Add("q", RuleFormat, "at most 1000 bytes")
	}
	for i, f := range q.Filters {
		if !f.Facet.valid() {
			ve.Add(index("filters", i)+".facet", RuleVocabulary, string(f.Facet))
		}
		if len(f.Values) == 0 || len(f.Values) > 100 {
			ve.Add(index("filters", i)+".values", RuleFormat, "1..100 values")
		}
		vs := make([]string, 0, len(f.Values))
		for _, v := range f.Values {
			vs = append(vs, FacetValue(v))
		}
		q.Filters[i].Values = vs
	}
	seen := map[Facet]bool{}
	for i, f := range q.Facets {
		if !f.valid() {
			ve.Add(index("facets", i), RuleVocabulary, string(f))
		} else if seen[f] {
			ve.Add(index("facets", i), RuleUnique, string(f))
		}
		seen[f] = true
	}
	return ve.Err()
}

// EffectiveStates returns the states q keeps: States, else published.
func (q *SearchQuery) EffectiveStates() []DatasetState {
	if len(q.States) == 0 {
		return []DatasetState{StatePublished}
	}
	return q.States
}

// QueryWords returns the distinct words of the text query, in order.
func (q *SearchQuery) QueryWords() []string {
	var out []string
	for _, w := range civickit.Words(q.Text, MaxTermLen) {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// Match reports whether d passes q's text and filters: the reference
// semantics every store implements.
func (q *SearchQuery) Match(d *Dataset) bool {
	if !q.Modified.Contains(d.UpdatedAt) || !q.Created.Contains(d.CreatedAt) {
		return false
	}
	if !slices.Contains(q.EffectiveStates(), d.EffectiveState()) {
		return false
	}
	if words := q.QueryWords(); len(words) > 0 {
		terms := SearchTerms(d)
		for _, w := range words {
			if !slices.ContainsFunc(terms, func(t string) bool { return strings.HasPrefix(t, w) }) {
				return false
			}
		}
	}
	values := FacetValues(d)
	for _, f := range q.Filters {
		has := slices.ContainsFunc(f.Values, func(v string) bool {
			return slices.Contains(values[f.Facet], FacetValue(v))
		})
		if has == f.Exclude {
			return false
		}
	}
	return true
}

// CompareDatasets orders a before b (negative), after (positive) or as
// equal in order s, the reference order of every store.
func CompareDatasets(a, b *Dataset, s SortOrder) int {
	ca, cb := CursorOf(a, s), CursorOf(b, s)
	return compareCursors(ca, cb, s)
}

func compareCursors(a, b Cursor, s SortOrder) int {
	c := cmp.Compare(a.At, b.At)
	if c == 0 {
		c = strings.Compare(a.Key, b.Key)
	}
	if c == 0 {
		c = strings.Compare(a.ID.String(), b.ID.String())
	}
	if s.Descending() {
		c = -c
	}
	return c
}

// Before reports whether cursor c comes strictly before d in order s:
// whether d belongs to the pages after c.
func (c Cursor) Before(d *Dataset, s SortOrder) bool {
	return compareCursors(c, CursorOf(d, s), s) < 0
}

// CountFacets returns the facet counts of ds for the given facets, at most
// limit values each, most frequent first, then by value: the reference
// computation of SearchResult.Facets.
func CountFacets(ds []*Dataset, facets []Facet, limit int) map[Facet][]FacetCount {
	if len(facets) == 0 {
		return nil
	}
	counts := make(map[Facet]map[string]int, len(facets))
	for _, f := range facets {
		counts[f] = map[string]int{}
	}
	for _, d := range ds {
		for f, vs := range FacetValues(d) {
			if m, ok := counts[f]; ok {
				for _, v := range vs {
					m[v]++
				}
			}
		}
	}
	out := make(map[Facet][]FacetCount, len(facets))
	for _, f := range facets {
		fc := make([]FacetCount, 0, len(counts[f]))
		for v, n := range counts[f] {
			fc = append(fc, FacetCount{Value: v, Count: n})
		}
		SortFacetCounts(fc)
		if limit > 0 && len(fc) > limit {
			fc = fc[:limit]
		}
		out[f] = fc
	}
	return out
}

// SortFacetCounts orders counts most frequent first, then by value.
func SortFacetCounts(fc []FacetCount) {
	slices.SortFunc(fc, func(a, b FacetCount) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
}
