package opendata

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/civickit/civickit"
)

// Publishing turns the results of participation, voting or associations
// into a dataset with CSV and JSON distributions, a column dictionary,
// provenance and a licence (Licence Ouverte 2.0 unless told otherwise).
//
// Personal data is excluded by construction:
//
//   - Only allow-listed columns are read: the publisher asks each Row for
//     the values of Publication.Columns and nothing else, so whatever else a
//     row holds (names, e-mails, addresses) is never seen.
//   - Column names that say "personal" (email, phone, first name, address,
//     birth date...) are refused, and so are string values that look like
//     an e-mail address or a phone number.
//   - Counts below k are suppressed: a Count column's value n with
//     0 < n < k is published empty (CSV) or null (JSON), so that no small
//     group of people can be singled out. k is Publication.K, else
//     PublisherOptions.K, else DefaultK.
//   - People are refused as publisher or contact point (RulePersonal).
//
// Suppression is primary only: a caller that also publishes totals must
// make sure a suppressed cell cannot be recomputed from them.
//
// The domains are not imported: they hand rows over through the Row and
// RowSource interfaces.

// DefaultK is the default suppression threshold: counts from 1 to 4 are
// suppressed.
const DefaultK = 5

// Row is one row of a result table. The publisher calls Value only with
// the names of allow-listed columns; ok is false for a missing value.
type Row interface {
	Value(column string) (v any, ok bool)
}

// RowSource yields the rows of a result table, in the order to publish.
type RowSource interface {
	EachRow(ctx context.Context, yield func(Row) error) error
}

// MapRow is a Row backed by a map.
type MapRow map[string]any

// Value implements Row.
func (r MapRow) Value(column string) (any, bool) {
	v, ok := r[column]
	return v, ok
}

// Rows is a RowSource over rows in memory.
type Rows []Row

// EachRow implements RowSource.
func (rs Rows) EachRow(ctx context.Context, yield func(Row) error) error {
	for _, r := range rs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := yield(r); err != nil {
			return err
		}
	}
	return nil
}

// RowFunc adapts a function to Row.
type RowFunc func(column string) (any, bool)

// Value implements Row.
func (f RowFunc) Value(column string) (any, bool) { return f(column) }

// PublishedColumn is an allow-listed column and its dictionary entry.
// Type (ColumnString when empty) decides which Go values are accepted:
// string for string; integers for integer and year; integers and floats
// for number; bool for boolean; time.Time for date and datetime.
type PublishedColumn struct {
	Column
	// Count marks a count of people: values from 1 to k-1 are suppressed.
	// The column must be of type integer.
	Count bool `json:"count,omitempty"`
}

// Publication describes a results dataset.
type Publication struct {
	Identifier    string         `json:"identifier"`               // dct:identifier (mandatory), stable across re-publications
	Title         Text           `json:"title"`                    // mandatory
	Description   Text           `json:"description"`              // mandatory
	Keywords      Keywords       `json:"keywords,omitempty"`       //
	Themes        []Theme        `json:"themes,omitempty"`         // EU data themes
	Publisher     *Agent         `json:"publisher,omitempty"`      // default: PublisherOptions.Publisher
	ContactPoints []Contact      `json:"contact_points,omitempty"` // organisational contact points only
	Languages     []Language     `json:"languages,omitempty"`      // default: French
	Spatial       []Location     `json:"spatial,omitempty"`        //
	Temporal      []PeriodOfTime `json:"temporal,omitempty"`       //
	InSeries      []string       `json:"in_series,omitempty"`      // dataset series IRIs (one vote per year...)
	// Columns is the allow-list, in output order (at least one).
	Columns []PublishedColumn `json:"columns"`
	// Schema is the Table Schema the CSV follows (a schema.data.gouv.fr
	// schema, say): the CSV distribution's dct:conformsTo, which
	// data.gouv.fr reads to check the file and list it under the schema.
	Schema *Standard `json:"schema,omitempty"`
	// License is the distributions' licence; DefaultLicense() (Licence
	// Ouverte 2.0) when zero.
	License LicenseDocument `json:"license,omitempty"`
	// Provenance says how the results came to be (dct:provenance).
	Provenance Text `json:"provenance,omitempty"`
	// Activity is the consultation, vote or survey that produced them
	// (prov:wasGeneratedBy).
	Activity *Activity `json:"activity,omitempty"`
	// K is the suppression threshold (0: the publisher's); 1 disables
	// suppression.
	K int `json:"k,omitempty"`
}

// PublisherOptions tunes a Publisher. Only BaseURL is required.
type PublisherOptions struct {
	// BaseURL is where the portal serves datasets and files: a dataset's
	// IRI is BaseURL + "/datasets/" + identifier, its files
	// BaseURL + "/files/" + identifier + ".csv" and ".json".
	BaseURL string
	// Publisher is the default publisher of publications.
	Publisher *Agent
	// K is the default suppression threshold (0: DefaultK).
	K int
	// Now is the clock (time.Now).
	Now func() time.Time
}

// Publisher publishes results as datasets. It is safe for concurrent use.
type Publisher struct {
	base      string
	publisher *Agent
	k         int
	now       func() time.Time
}

// NewPublisher returns a Publisher; ErrInvalid when BaseURL is not an
// absolute http(s) URL or K is negative.
func NewPublisher(opts PublisherOptions) (*Publisher, error) {
	ve := &civickit.ValidationError{}
	base := strings.TrimRight(opts.BaseURL, "/")
	if !ValidIRI(base) || !(strings.HasPrefix(base, "https://") || strings.HasPrefix(base, "http://")) {
		ve.Add("base_url", RuleFormat, "http(s) URL")
	}
	if opts.K < 0 {
		ve.Add("k", RuleFormat, ">=0")
	}
	if opts.Publisher != nil {
		if opts.Publisher.IsPerson() || opts.Publisher.Type == AgentPrivateIndividual {
			ve.Add("publisher.kind", RulePersonal, "foaf:Person")
		} else {
			var r Report
			opts.Publisher.validate("publisher", &r)
			ve.Merge("", r.Err())
		}
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	p := &Publisher{base: base, publisher: opts.Publisher, k: opts.K, now: opts.Now}
	if p.k == 0 {
		p.k = DefaultK
	}
	if p.now == nil {
		p.now = time.Now
	}
	return p, nil
}

// PublishedFile is one file of a publication.
type PublishedFile struct {
	Name      string    `json:"name"`       // file name, e.g. "bp-2025-results.csv"
	URL       string    `json:"url"`        // where it is to be served (the distribution's download URL)
	MediaType MediaType `json:"media_type"` //
	Data      []byte    `json:"data"`
}

// Published is the result of Publish: the dataset describing the files
// and the files themselves.
type Published struct {
	Dataset    *Dataset        `json:"dataset"`
	Files      []PublishedFile `json:"files"`      // CSV, then JSON
	Rows       int             `json:"rows"`       // rows published
	Suppressed int             `json:"suppressed"` // cells suppressed below k
}

// DatasetUpserter is what PublishTo needs: *Service implements it.
type DatasetUpserter interface {
	UpsertDataset(ctx context.Context, d *Dataset) (created bool, err error)
}

// personalColumn matches column names that announce personal data, once
// folded and split into words.
var personalWords = map[string]bool{
	"email": true, "mail": true, "courriel": true, "phone": true, "telephone": true, "tel": true,
	"mobile": true, "portable": true, "firstname": true, "lastname": true, "givenname": true,
	"familyname": true, "surname": true, "prenom": true, "address": true, "adresse": true,
	"street": true, "rue": true, "birthdate": true, "birthday": true, "naissance": true, "dob": true,
	"ip": true, "iban": true, "nir": true, "ssn": true, "password": true,
	// Who wrote or cast something: a contribution's author is a person.
	"auteur": true, "autrice": true, "author": true, "nomdefamille": true, "nomdusage": true,
	"prenoms": true, "birthname": true, "maidenname": true, "nomdenaissance": true, "nomdejeunefille": true,
	"username": true, "login": true, "pseudo": true, "pseudonyme": true, "signature": true, "signataire": true,
	// Free text: people write their names, addresses and lives in it.
	"commentaire": true, "commentaires": true, "comment": true, "comments": true, "remarque": true,
	"remarques": true, "observation": true, "observations": true, "message": true, "messages": true,
	"verbatim": true, "freetext": true, "textelibre": true, "champlibre": true,
}

// personalWholeNames are column names personal only as a whole: "nom"
// and "name" alone hold people's names ("nom du projet" does not).
var personalWholeNames = map[string]bool{
	"name": true, "names": true, "nom": true, "noms": true, "fullname": true, "nomcomplet": true,
	"nomprenom": true, "prenomnom": true, "displayname": true, "identite": true, "civilite": true,
	"nomprenoms": true, "namesurname": true,
}

var (
	emailLike = regexp.MustCompile(`[^\s@<>()]+@[^\s@<>()]+\.[A-Za-z]{2,}`)
	phoneLike = regexp.MustCompile(`(?:^|[^0-9])(?:\+\d{1,3}[ .-]?\(?\d\)?(?:[ .-]?\d){8,11}|0\d(?:[ .-]?\d\d){4})(?:$|[^0-9])`)
)

// looksPersonal reports whether a string value looks like an e-mail
// address or a phone number.
func looksPersonal(s string) bool { return emailLike.MatchString(s) || phoneLike.MatchString(s) }

func personalName(name string) bool {
	compact := strings.Join(civickit.Words(name, MaxTermLen), "")
	if personalWords[compact] || personalWholeNames[compact] {
		return true
	}
	for _, w := range civickit.Words(name, MaxTermLen) {
		if personalWords[w] {
			return true
		}
	}
	return false
}

// check validates a publication before any row is read.
func (p *Publisher) check(pub *Publication) error {
	ve := &civickit.ValidationError{}
	switch {
	case strings.TrimSpace(pub.Identifier) == "":
		ve.Add("identifier", RuleMandatory, "dct:identifier")
	case Slug(pub.Identifier) != pub.Identifier:
		ve.Add("identifier", RuleFormat, "lower-case letters, digits and '-'")
	}
	var texts Report
	checkText(&texts, "title", pub.Title, "dct:title", true)
	checkText(&texts, "description", pub.Description, "dct:description", true)
	ve.Merge("", texts.Err())
	if pub.K < 0 {
		ve.Add("k", RuleFormat, ">=0")
	}
	// People are refused here, whatever Validate makes of them: a
	// publication names organisations only.
	publisher := pub.Publisher
	if publisher == nil {
		publisher = p.publisher
	}
	if publisher.IsPerson() || (publisher != nil && publisher.Type == AgentPrivateIndividual) {
		ve.Add("publisher.kind", RulePersonal, "foaf:Person")
	}
	for i := range pub.ContactPoints {
		if pub.ContactPoints[i].IsIndividual() {
			ve.Add(index("contact_points", i)+".kind", RulePersonal, "vcard:Individual")
		}
	}
	if len(pub.Columns) == 0 {
		ve.Add("columns", RuleMandatory, "allow-list")
	}
	names := map[string]bool{}
	for i, c := range pub.Columns {
		cp := index("columns", i)
		switch {
		case strings.TrimSpace(c.Name) == "":
			ve.Add(path(cp, "name"), RuleMandatory, "name")
		case names[c.Name]:
			ve.Add(path(cp, "name"), RuleUnique, c.Name)
		case personalName(c.Name):
			ve.Add(path(cp, "name"), RulePersonal, c.Name)
		}
		names[c.Name] = true
		switch c.Type {
		case "", ColumnString, ColumnInteger, ColumnNumber, ColumnBoolean, ColumnDate, ColumnDateTime, ColumnYear:
		default:
			ve.Add(path(cp, "type"), RuleVocabulary, "string|integer|number|boolean|date|datetime|year")
		}
		if c.Count && c.Type != ColumnInteger {
			ve.Add(path(cp, "type"), RuleFormat, "a count is an integer")
		}
	}
	return ve.Err()
}

// Publish reads the rows of src through the allow-list and returns the
// dataset with its CSV and JSON files. A row value of the wrong type, a
// missing required value or a value that looks personal refuses the whole
// publication with a *civickit.ValidationError naming "rows[i].column". The
// dataset is checked with Validate and refused on any violation.
func (p *Publisher) Publish(ctx context.Context, pub Publication, src RowSource) (*Published, error) {
	if err := p.check(&pub); err != nil {
		return nil, err
	}
	k := pub.K
	if k == 0 {
		k = p.k
	}
	var (
		csvBuf  bytes.Buffer
		jsonBuf bytes.Buffer
		ve      = &civickit.ValidationError{}
		out     = &Published{}
	)
	cw := csv.NewWriter(&csvBuf)
	header := make([]string, len(pub.Columns))
	for i, c := range pub.Columns {
		header[i] = c.Name
	}
	if err := cw.Write(header); err != nil {
		return nil, err
	}
	jsonBuf.WriteString("[")
	record := make([]string, len(pub.Columns))
	err := src.EachRow(ctx, func(r Row) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if out.Rows > 0 {
			jsonBuf.WriteString(",")
		}
		jsonBuf.WriteString("\n{")
		for i, c := range pub.Columns {
			field := fmt.Sprintf("rows[%d].%s", out.Rows, c.Name)
			v, ok := r.Value(c.Name)
			cell, js, suppressed, rule := formatCell(c, v, ok, k)
			if rule != "" {
				ve.Add(field, rule, string(firstNonEmptyType(c.Type)))
				if len(ve.Fields) >= 100 {
					return ve
				}
			}
			if suppressed {
				out.Suppressed++
			}
			record[i] = cell
			if i > 0 {
				jsonBuf.WriteString(",")
			}
			name, _ := json.Marshal(c.Name)
			jsonBuf.Write(name)
			jsonBuf.WriteString(":")
			jsonBuf.WriteString(js)
		}
		jsonBuf.WriteString("}")
		out.Rows++
		return cw.Write(record)
	})
	if err != nil {
		return nil, err
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, err
	}
	jsonBuf.WriteString("\n]\n")
	d := p.dataset(&pub, k, out.Rows)
	for i, f := range []struct {
		ext  string
		data []byte
	}{{"csv", csvBuf.Bytes()}, {"json", jsonBuf.Bytes()}} {
		x := &d.Distributions[i]
		sum := sha256.Sum256(f.data)
		x.ByteSize = int64(len(f.data))
		x.Checksum = &Checksum{Algorithm: ChecksumSHA256, Value: hex.EncodeToString(sum[:])}
		out.Files = append(out.Files, PublishedFile{Name: pub.Identifier + "." + f.ext, URL: x.DownloadURL, MediaType: x.MediaType, Data: f.data})
	}
	if err := d.Validate().Err(); err != nil {
		return nil, err
	}
	out.Dataset = d
	return out, nil
}

// PublishTo publishes and stores the dataset by its identifier: publishing
// the same results again changes nothing (created is false and the stored
// revision stays), new results update it. The caller serves the files at
// their URLs.
func (p *Publisher) PublishTo(ctx context.Context, st DatasetUpserter, pub Publication, src RowSource) (*Published, bool, error) {
	out, err := p.Publish(ctx, pub, src)
	if err != nil {
		return nil, false, err
	}
	created, err := st.UpsertDataset(ctx, out.Dataset)
	if err != nil {
		return nil, false, err
	}
	return out, created, nil
}

// formatCell renders one value for CSV and JSON. rule is non-empty when
// the value is refused.
func formatCell(c PublishedColumn, v any, ok bool, k int) (cell, js string, suppressed bool, rule string) {
	if !ok || v == nil {
		if c.Required {
			return "", "null", false, RuleMandatory
		}
		return "", "null", false, ""
	}
	switch c.Type {
	case "", ColumnString:
		s, isString := v.(string)
		if !isString {
			return "", "null", false, RuleFormat
		}
		if looksPersonal(s) {
			return "", "null", false, RulePersonal
		}
		b, _ := json.Marshal(s)
		return s, string(b), false, ""
	case ColumnInteger, ColumnYear:
		n, isInt := asInt(v)
		if !isInt {
			return "", "null", false, RuleFormat
		}
		if c.Count && n > 0 && n < int64(k) {
			return "", "null", true, ""
		}
		if c.Count && n < 0 {
			return "", "null", false, RuleFormat
		}
		s := strconv.FormatInt(n, 10)
		return s, s, false, ""
	case ColumnNumber:
		var f float64
		if n, isInt := asInt(v); isInt {
			f = float64(n)
		} else if x, isFloat := v.(float64); isFloat {
			f = x
		} else if x, isFloat := v.(float32); isFloat {
			f = float64(x)
		} else {
			return "", "null", false, RuleFormat
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return "", "null", false, RuleFormat
		}
		s := strconv.FormatFloat(f, 'f', -1, 64)
		return s, s, false, ""
	case ColumnBoolean:
		b, isBool := v.(bool)
		if !isBool {
			return "", "null", false, RuleFormat
		}
		s := strconv.FormatBool(b)
		return s, s, false, ""
	case ColumnDate, ColumnDateTime:
		t, isTime := v.(time.Time)
		if !isTime {
			return "", "null", false, RuleFormat
		}
		s := t.UTC().Format("2006-01-02")
		if c.Type == ColumnDateTime {
			s = t.UTC().Format(time.RFC3339)
		}
		return s, strconv.Quote(s), false, ""
	}
	return "", "null", false, RuleVocabulary
}

func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int8:
		return int64(n), true
	case int16:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case uint:
		return int64(n), n <= math.MaxInt64
	case uint8:
		return int64(n), true
	case uint16:
		return int64(n), true
	case uint32:
		return int64(n), true
	case uint64:
		return int64(n), n <= math.MaxInt64
	}
	return 0, false
}

// dataset builds the dataset describing the publication's files.
func (p *Publisher) dataset(pub *Publication, k, rows int) *Dataset {
	now := p.now().UTC().Truncate(time.Second)
	iri := p.base + "/datasets/" + pub.Identifier
	lic := pub.License
	if lic.IsZero() {
		lic = DefaultLicense()
	}
	publisher := pub.Publisher
	if publisher == nil {
		publisher = p.publisher
	}
	langs := pub.Languages
	if len(langs) == 0 {
		langs = []Language{LanguageFrench}
	}
	cols := make([]Column, len(pub.Columns))
	suppressedCols := 0
	for i, c := range pub.Columns {
		col := c.Column
		if col.Type == "" {
			col.Type = ColumnString
		}
		if c.Count && k > 1 {
			suppressedCols++
			col.Description = withSentence(col.Description,
				fmt.Sprintf("Values from 1 to %d are suppressed (empty) to protect small groups.", k-1),
				fmt.Sprintf("Les valeurs de 1 à %d sont masquées (vides) pour protéger les petits effectifs.", k-1))
		}
		cols[i] = col
	}
	d := &Dataset{
		Identifier:         pub.Identifier,
		IRI:                iri,
		Title:              pub.Title,
		Description:        pub.Description,
		Keywords:           pub.Keywords,
		Themes:             pub.Themes,
		Type:               DatasetStatistical,
		Publisher:          publisher,
		ContactPoints:      pub.ContactPoints,
		Issued:             now,
		Modified:           now,
		Languages:          langs,
		Spatial:            pub.Spatial,
		Temporal:           pub.Temporal,
		AccessRights:       AccessPublic,
		AccrualPeriodicity: FrequencyNever,
		InSeries:           pub.InSeries,
		LandingPage:        iri,
	}
	if !pub.Provenance.IsZero() {
		d.Provenance = []ProvenanceStatement{{Label: pub.Provenance}}
	}
	if pub.Activity != nil {
		d.WasGeneratedBy = []Activity{*pub.Activity}
	}
	note := fmt.Sprintf("%d rows. Only the listed columns are published; no personal data.", rows)
	noteFR := fmt.Sprintf("%d lignes. Seules les colonnes décrites sont publiées ; aucune donnée personnelle.", rows)
	if suppressedCols > 0 {
		note += fmt.Sprintf(" Counts from 1 to %d are suppressed.", k-1)
		noteFR += fmt.Sprintf(" Les effectifs de 1 à %d sont masqués.", k-1)
	}
	d.QualityNotes = []QualityNote{{Body: Text{"en": note, "fr": noteFR}}}
	for _, f := range []struct {
		ext    string
		format FileType
		media  MediaType
		label  string
	}{{"csv", FileTypeCSV, MediaTypeCSV, "CSV"}, {"json", FileTypeJSON, MediaTypeJSON, "JSON"}} {
		url := p.base + "/files/" + pub.Identifier + "." + f.ext
		x := Distribution{
			Title:        Text{"en": pub.Title.Get("en") + " (" + f.label + ")", "fr": pub.Title.Get("fr") + " (" + f.label + ")"},
			Description:  Text{"en": "Results, one row per line, columns as described.", "fr": "Résultats, une ligne par enregistrement, colonnes décrites."},
			AccessURL:    url,
			DownloadURL:  url,
			Format:       f.format,
			MediaType:    f.media,
			License:      lic,
			Issued:       now,
			Modified:     now,
			Status:       StatusCompleted,
			Availability: AvailabilityStable,
			Languages:    langs,
		}
		if f.ext == "csv" {
			x.Columns, x.Encoding, x.Delimiter = cols, "utf-8", ","
			if pub.Schema != nil && pub.Schema.IRI != "" {
				x.ConformsTo = []Standard{*pub.Schema}
			}
		}
		d.Distributions = append(d.Distributions, x)
	}
	return d
}

// withSentence appends an English and a French sentence to t (a copy).
func withSentence(t Text, en, fr string) Text {
	out := Text{}
	for l, s := range t {
		out[l] = s
	}
	add := func(lang, s string) {
		if out[lang] == "" {
			out[lang] = s
		} else {
			out[lang] += " " + s
		}
	}
	add("en", en)
	add("fr", fr)
	return out
}
