package storage

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/civickit/civickit/opendata"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Row types mirror migrations/opendata/*/. A dataset is stored as
// its JSON document (without the store's own fields: ID, Revision,
// CreatedAt, UpdatedAt, which are columns) in opendata_dataset_docs; the
// narrow opendata_datasets row beside it holds the keys, sort keys and the
// encoded facet values that searches read, so that counting facets over a
// whole catalogue scans short rows. Terms and facet values are derived from
// the document on every write.

type datasetRow struct {
	bun.BaseModel `bun:"table:opendata_datasets,alias:d"`

	ID           uuid.UUID `bun:"id,pk"`
	Identifier   string    `bun:"identifier"`
	IRI          *string   `bun:"iri"` // NULL when absent: UNIQUE admits many NULLs
	TitleKey     string    `bun:"title_key"`
	PublisherKey string    `bun:"publisher_key"`
	Facets       string    `bun:"facets"` // see encodeFacets
	State        string    `bun:"state"`  // EffectiveState; the document keeps State as given
	Revision     int       `bun:"revision"`
	CreatedAt    int64     `bun:"created_at"`
	UpdatedAt    int64     `bun:"updated_at"`
}

type datasetDocRow struct {
	bun.BaseModel `bun:"table:opendata_dataset_docs,alias:dd"`

	DatasetID uuid.UUID `bun:"dataset_id,pk"`
	Publisher string    `bun:"publisher"` // JSON of the Agent, "" when none
	Doc       string    `bun:"doc"`
}

type datasetTermRow struct {
	bun.BaseModel `bun:"table:opendata_dataset_terms,alias:t"`

	DatasetID uuid.UUID `bun:"dataset_id,pk"`
	Term      string    `bun:"term,pk"`
}

type datasetFacetRow struct {
	bun.BaseModel `bun:"table:opendata_dataset_facets,alias:f"`

	DatasetID uuid.UUID `bun:"dataset_id,pk"`
	Facet     string    `bun:"facet,pk"`
	Value     string    `bun:"value,pk"`
}

// datasetDoc returns the JSON document of d's content: every field but
// the store's own, times in UTC. Equal documents mean unchanged content.
func datasetDoc(d *opendata.Dataset) string {
	c := utcDataset(d)
	c.ID, c.Revision = uuid.Nil, 0
	c.CreatedAt, c.UpdatedAt = time.Time{}, time.Time{}
	b, err := json.Marshal(c)
	if err != nil {
		// Only plain model structs are marshalled here.
		panic(fmt.Sprintf("storage: marshal dataset: %v", err))
	}
	return string(b)
}

// utcDataset returns a copy of d whose times are in UTC; slices holding
// times are copied, so d is left alone.
func utcDataset(d *opendata.Dataset) opendata.Dataset {
	c := *d
	c.Issued, c.Modified = c.Issued.UTC(), c.Modified.UTC()
	c.Temporal = slices.Clone(c.Temporal)
	for i := range c.Temporal {
		c.Temporal[i].Start, c.Temporal[i].End = c.Temporal[i].Start.UTC(), c.Temporal[i].End.UTC()
	}
	c.Distributions = slices.Clone(c.Distributions)
	for i := range c.Distributions {
		x := &c.Distributions[i]
		x.Issued, x.Modified = x.Issued.UTC(), x.Modified.UTC()
	}
	c.Samples = slices.Clone(c.Samples)
	for i := range c.Samples {
		x := &c.Samples[i]
		x.Issued, x.Modified = x.Issued.UTC(), x.Modified.UTC()
	}
	c.WasGeneratedBy = slices.Clone(c.WasGeneratedBy)
	for i := range c.WasGeneratedBy {
		a := &c.WasGeneratedBy[i]
		a.Start, a.End = a.Start.UTC(), a.End.UTC()
	}
	return c
}

func toDatasetRows(d *opendata.Dataset) (*datasetRow, *datasetDocRow) {
	r := &datasetRow{
		ID:           d.ID,
		Identifier:   d.Identifier,
		IRI:          nullString(d.IRI),
		TitleKey:     opendata.TitleKey(d.Title),
		PublisherKey: opendata.PublisherKey(d.Publisher),
		Facets:       encodeFacets(opendata.FacetValues(d)),
		State:        string(d.EffectiveState()),
		Revision:     d.Revision,
		CreatedAt:    micros(d.CreatedAt),
		UpdatedAt:    micros(d.UpdatedAt),
	}
	doc := &datasetDocRow{DatasetID: d.ID, Doc: datasetDoc(d)}
	if r.PublisherKey != "" {
		doc.Publisher = mustJSON(d.Publisher)
	}
	return r, doc
}

func (r *datasetRow) toDomain(doc string) (*opendata.Dataset, error) {
	var d opendata.Dataset
	if err := decodeDatasetDoc(doc, &d); err != nil {
		return nil, fmt.Errorf("storage: dataset %s document: %w", r.ID, err)
	}
	d.ID, d.Revision = r.ID, r.Revision
	d.CreatedAt, d.UpdatedAt = fromMicros(r.CreatedAt), fromMicros(r.UpdatedAt)
	return &d, nil
}

// Facet values are encoded in one column as lines "<code>\t<value>\n",
// code one letter per facet. Values hold no control characters
// (opendata.FacetValue), so a leading control character can stand for
// one of the long prefixes below: the EU vocabulary IRIs would otherwise
// make up most of the column.
var facetCodes = map[opendata.Facet]byte{
	opendata.FacetTheme: 't', opendata.FacetPublisher: 'p', opendata.FacetLicense: 'l',
	opendata.FacetFormat: 'f', opendata.FacetKeyword: 'k',
}

var facetPrefixes = []string{
	opendata.SchemeDataTheme + "/",
	opendata.SchemeFileType + "/",
	opendata.SchemeLicence + "/",
	opendata.LicenseEtalab20,
	"https://",
	"http://",
}

func encodeFacets(values map[opendata.Facet][]string) string {
	var b strings.Builder
	for _, f := range opendata.AllFacets() {
		for _, v := range values[f] {
			b.WriteByte(facetCodes[f])
			b.WriteByte('\t')
			b.WriteString(compactFacetValue(v))
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func compactFacetValue(v string) string {
	for i, p := range facetPrefixes {
		if strings.HasPrefix(v, p) {
			return string(rune(1+i)) + v[len(p):]
		}
	}
	return v
}

func expandFacetValue(v string) string {
	if v != "" && v[0] >= 1 && int(v[0]) <= len(facetPrefixes) {
		return facetPrefixes[v[0]-1] + v[1:]
	}
	return v
}

func datasetTermRows(d *opendata.Dataset) []datasetTermRow {
	terms := opendata.SearchTerms(d)
	rows := make([]datasetTermRow, len(terms))
	for i, t := range terms {
		rows[i] = datasetTermRow{DatasetID: d.ID, Term: t}
	}
	return rows
}

func datasetFacetRows(d *opendata.Dataset) []datasetFacetRow {
	var rows []datasetFacetRow
	values := opendata.FacetValues(d)
	for _, f := range opendata.AllFacets() {
		for _, v := range values[f] {
			rows = append(rows, datasetFacetRow{DatasetID: d.ID, Facet: string(f), Value: v})
		}
	}
	return rows
}

// Dataset documents were first written with the model's camelCase JSON
// names ("contactPoints", "accessURL"); the model now uses snake_case
// ("contact_points", "access_url"). Documents of the first shape are read
// by renaming their keys, and rewritten in the current shape by the next
// update, so no data migration is needed.

// legacyDocKeys maps the first shape's names to the current ones: every
// multi-word JSON name of a Dataset and of the types it holds. One-word
// names ("title", "iri") did not change.
var legacyDocKeys = map[string]string{
	"accessRights": "access_rights", "accessServices": "access_services", "accessURL": "access_url",
	"accrualPeriodicity": "accrual_periodicity", "applicableLegislation": "applicable_legislation",
	"byteSize": "byte_size", "compressFormat": "compress_format", "conformsTo": "conforms_to",
	"contactPoints": "contact_points", "createdAt": "created_at", "downloadURL": "download_url",
	"hasVersion": "has_version", "inSeries": "in_series", "isReferencedBy": "is_referenced_by",
	"isVersionOf": "is_version_of", "landingPage": "landing_page", "mediaType": "media_type",
	"otherIdentifiers": "other_identifiers", "packageFormat": "package_format", "postalCode": "postal_code",
	"previousVersion": "previous_version", "primaryKey": "primary_key", "qualityNotes": "quality_notes",
	"spatialResolutionInMeters": "spatial_resolution_in_meters", "temporalResolution": "temporal_resolution",
	"updatedAt": "updated_at", "versionNotes": "version_notes", "wasGeneratedBy": "was_generated_by",
}

// isLegacyDatasetDoc reports whether doc has the first shape: every such
// document holds the top-level key "createdAt" (written as a zero time),
// and no string value can hold that key unescaped.
func isLegacyDatasetDoc(doc string) bool { return strings.Contains(doc, `"createdAt":`) }

// decodeDatasetDoc reads a stored document of either shape into d.
func decodeDatasetDoc(doc string, d *opendata.Dataset) error {
	if !isLegacyDatasetDoc(doc) {
		return json.Unmarshal([]byte(doc), d)
	}
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		return err
	}
	b, err := json.Marshal(renameLegacyKeys(v))
	if err != nil {
		return err
	}
	return json.Unmarshal(b, d)
}

// renameLegacyKeys renames the object keys of v found in legacyDocKeys.
// The other keys are language tags (Text, Keywords) or one-word names,
// which none of the old names can be.
func renameLegacyKeys(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if n, ok := legacyDocKeys[k]; ok {
				k = n
			}
			out[k] = renameLegacyKeys(e)
		}
		return out
	case []any:
		for i, e := range x {
			x[i] = renameLegacyKeys(e)
		}
		return x
	}
	return v
}
