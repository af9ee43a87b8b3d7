package associations

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/civickit/civickit"
)

// The RNA (Répertoire national des associations) is published as two kinds
// of `;`-separated files with a header line: the "waldec" files (41
// columns, ids "W" + 9 digits) and the older "import" files (26 columns,
// ids such as 751P00085568). Files come as UTF-8 or ISO-8859-1, sometimes
// both in one file, so each line is decoded on its own. The date
// 0001-01-01 means "no date".
//
// The reader works line by line rather than with encoding/csv: RNA records
// never span lines, and an unbalanced quote must cost one line, not the
// rest of the file.

// RNALayout names the layout of an RNA file.
type RNALayout string

const (
	RNAWaldec RNALayout = "waldec" // 41 columns, ids "W" + 9 digits
	RNAImport RNALayout = "import" // 26 columns, ids such as 751P00085568
)

// MaxRNALineBytes bounds one line of an RNA file; longer lines are
// rejected (rule "line_too_long") so that memory stays bounded.
const MaxRNALineBytes = 1 << 20

// RNARecord is one line of an RNA file mapped to an Association.
type RNARecord struct {
	Line        int         `json:"line"` // 1-based line number; the header is line 1
	Association Association `json:"association"`
	// Warnings lists values that were dropped without rejecting the line,
	// such as a website that is not a URL.
	Warnings []LineError `json:"warnings,omitempty"`
	// Superseded is set for position "R" (reprise): the record was taken
	// over into the Waldec register under a new number, so it is history,
	// not a current association. The reader returns it so that the file
	// can be studied whole; Service.ImportRNA skips it.
	Superseded bool `json:"superseded,omitempty"`
	// SupersededBy is the number of the record that took over, read from
	// the "observation" column when it holds a valid RNA number; "" when
	// it does not or the file lacks the column.
	SupersededBy string `json:"superseded_by,omitempty"`
}

// LineError says why a line of an RNA file was rejected (or, in
// RNARecord.Warnings, why a value was dropped). It matches ErrInvalid.
//
// Rules: "field_count", "quote" (unbalanced quote), "line_too_long",
// "rna" (id), "siret", "siren" (the SIRET's first 9 digits), "date",
// "category", "required", "conflict" (a unique key held by another
// association), "http_url", "position", the validator rules of
// Service.Validate ("max=250", "len=5", ...), and "superseded" (a line
// Service.ImportRNA skips, reported through ImportOptions.OnWarning).
type LineError struct {
	Line   int    `json:"line"`             // 1-based line number; the header is line 1
	Column string `json:"column,omitempty"` // RNA column name; "" when the whole line is at fault
	Rule   string `json:"rule"`             // the broken rule
	// Value is the offending value when it is an identifier, date or code;
	// it never holds personal data such as an email or phone number.
	Value string `json:"value,omitempty"`
}

func (e LineError) Error() string {
	var b strings.Builder
	b.WriteString("associations: rna line ")
	b.WriteString(strconv.Itoa(e.Line))
	b.WriteString(": ")
	if e.Column != "" {
		b.WriteString(e.Column)
		b.WriteString(": ")
	}
	b.WriteString(e.Rule)
	if e.Value != "" {
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(e.Value))
	}
	return b.String()
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e LineError) Unwrap() error { return ErrInvalid }

// RNAHeaderError reports a header that matches neither layout. It matches
// ErrInvalid.
type RNAHeaderError struct {
	Closest RNALayout `json:"closest"` // the layout whose columns matched best
	Missing []string  `json:"missing"` // the columns of Closest the header lacks
}

func (e *RNAHeaderError) Error() string {
	if len(e.Missing) == 0 {
		return "associations: rna: no header line"
	}
	return fmt.Sprintf("associations: rna: unknown header: missing %s columns %s",
		e.Closest, strings.Join(e.Missing, ", "))
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *RNAHeaderError) Unwrap() error { return ErrInvalid }

// rnaField is a value the mapping reads; each layout names its column.
type rnaField int

const (
	fID rnaField = iota
	fSIRET
	fCreated
	fDissolved
	fNature
	fGrouping
	fTitle
	fShortTitle
	fObject
	fCategory1
	fCategory2
	fComplement   // waldec
	fStreetNumber // waldec
	fStreetRepeat // waldec: bis, ter...
	fStreetType   // waldec
	fStreetName   // waldec
	fAdr1         // import: complement
	fAdr2         // import: number and street
	fAdr3         // import: distribution
	fPostalCode
	fCity
	fCommuneCode
	fPhone
	fWebsite
	fEmail
	fPosition
	fObservation // optional: read only for superseded records
	numRNAFields
)

// rnaColumns returns the column each field is read from in layout, ""
// when the layout lacks it. Columns are found by name, in any order; only
// those of rnaRequired must be present (the 39-column Waldec files have no
// telephone or email, older ones have them).
func rnaColumns(layout RNALayout) [numRNAFields]string {
	c := [numRNAFields]string{
		fID:          "id",
		fSIRET:       "siret",
		fCreated:     "date_creat",
		fNature:      "nature",
		fGrouping:    "groupement",
		fTitle:       "titre",
		fObject:      "objet",
		fCategory1:   "objet_social1",
		fCategory2:   "objet_social2",
		fPostalCode:  "adrs_codepostal",
		fCommuneCode: "adrs_codeinsee",
		fPhone:       "telephone",
		fWebsite:     "siteweb",
		fEmail:       "email",
		fPosition:    "position",
		fObservation: "observation",
	}
	switch layout {
	case RNAWaldec:
		c[fDissolved] = "date_disso"
		c[fShortTitle] = "titre_court"
		c[fComplement] = "adrs_complement"
		c[fStreetNumber] = "adrs_numvoie"
		c[fStreetRepeat] = "adrs_repetition"
		c[fStreetType] = "adrs_typevoie"
		c[fStreetName] = "adrs_libvoie"
		c[fCity] = "adrs_libcommune"
	case RNAImport:
		c[fAdr1] = "adr1"
		c[fAdr2] = "adr2"
		c[fAdr3] = "adr3"
		c[fCity] = "libcom"
	}
	return c
}

// rnaRequired reports whether a header must hold the column of f: the
// identifier, the title and the commune name, which also tells the
// layouts apart (adrs_libcommune for Waldec, libcom for import). Every
// other column is read when present.
func rnaRequired(f rnaField) bool { return f == fID || f == fTitle || f == fCity }

// RNAReader reads the records of an RNA file one line at a time, in
// constant memory.
type RNAReader struct {
	br     *bufio.Reader
	layout RNALayout
	names  [numRNAFields]string // column of each field
	col    [numRNAFields]int    // index of each field's column, -1 if none
	ncols  int                  // fields per line, from the header
	line   int                  // number of the last line read
	buf    []byte               // holds a line that spans bufio chunks
	fields []string             // reused by split
	err    error                // sticky: io.EOF or a read error
}

// NewRNAReader reads the header of an RNA file and detects its layout. A
// header matching neither layout gives an *RNAHeaderError naming the
// columns it lacks.
func NewRNAReader(r io.Reader) (*RNAReader, error) {
	rd := &RNAReader{br: bufio.NewReaderSize(r, 64<<10)}
	var header []string
	for {
		b, tooLong, err := rd.readLine()
		if err == io.EOF {
			return nil, &RNAHeaderError{}
		}
		if err != nil {
			return nil, fmt.Errorf("associations: rna: read header: %w", err)
		}
		rd.line++
		if tooLong {
			return nil, fmt.Errorf("%w: rna header longer than %d bytes", ErrInvalid, MaxRNALineBytes)
		}
		if rd.line == 1 {
			b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
		}
		if blank(b) {
			continue
		}
		var ok bool
		header, ok = split(decodeLine(b), nil)
		if !ok {
			return nil, fmt.Errorf("%w: rna header has an unbalanced quote", ErrInvalid)
		}
		break
	}
	index := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := index[h]; !dup {
			index[h] = i
		}
	}
	// The layout is the one whose required columns are all present; when
	// none fits, the error names the one sharing most columns.
	var best *RNAHeaderError
	bestMatched := -1
	for _, layout := range []RNALayout{RNAWaldec, RNAImport} {
		names := rnaColumns(layout)
		var missing []string
		matched := 0
		for f, name := range names {
			rd.col[f] = -1
			if name == "" {
				continue
			}
			i, ok := index[name]
			if !ok {
				if rnaRequired(rnaField(f)) {
					missing = append(missing, name)
				}
				continue
			}
			rd.col[f] = i
			matched++
		}
		if len(missing) == 0 {
			rd.layout, rd.names, rd.ncols = layout, names, len(header)
			return rd, nil
		}
		if matched > bestMatched {
			best, bestMatched = &RNAHeaderError{Closest: layout, Missing: missing}, matched
		}
	}
	return nil, best
}

// Layout returns the layout the header showed.
func (r *RNAReader) Layout() RNALayout { return r.layout }

// Next returns the next record. At the end of the input it returns io.EOF;
// for a line that cannot be imported it returns a *LineError, after which
// Next may be called again; any other error is a read failure.
func (r *RNAReader) Next() (*RNARecord, error) {
	if r.err != nil {
		return nil, r.err
	}
	for {
		b, tooLong, err := r.readLine()
		if err != nil {
			if err != io.EOF {
				err = fmt.Errorf("associations: rna: read line %d: %w", r.line+1, err)
			}
			r.err = err
			return nil, err
		}
		r.line++
		if tooLong {
			return nil, &LineError{Line: r.line, Rule: "line_too_long"}
		}
		if blank(b) {
			continue
		}
		fields, ok := split(decodeLine(b), r.fields[:0])
		r.fields = fields
		if !ok {
			return nil, &LineError{Line: r.line, Rule: "quote"}
		}
		if len(fields) != r.ncols {
			return nil, &LineError{Line: r.line, Rule: "field_count", Value: strconv.Itoa(len(fields))}
		}
		rec := &RNARecord{Line: r.line}
		if le := r.mapRecord(fields, rec); le != nil {
			return nil, le
		}
		return rec, nil
	}
}

// readLine returns the next line without its line ending. The slice is
// valid until the next call. A line longer than MaxRNALineBytes is
// consumed and reported by tooLong.
func (r *RNAReader) readLine() (line []byte, tooLong bool, err error) {
	chunk, err := r.br.ReadSlice('\n')
	if err == nil {
		return trimEOL(chunk), false, nil // the usual case: no copy
	}
	r.buf = r.buf[:0]
	for {
		if len(r.buf)+len(chunk) <= MaxRNALineBytes {
			r.buf = append(r.buf, chunk...)
		} else {
			tooLong = true
		}
		switch err {
		case nil:
			return trimEOL(r.buf), tooLong, nil
		case bufio.ErrBufferFull:
			chunk, err = r.br.ReadSlice('\n')
			continue
		case io.EOF:
			if len(r.buf) == 0 && !tooLong {
				return nil, false, io.EOF
			}
			return trimEOL(r.buf), tooLong, nil // last line lacks '\n'
		default:
			return nil, false, err
		}
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte{'\n'})
	return bytes.TrimSuffix(b, []byte{'\r'})
}

func blank(b []byte) bool {
	return len(bytes.TrimSpace(b)) == 0
}

// decodeLine returns b as UTF-8: unchanged when it is valid UTF-8,
// otherwise read as ISO-8859-1. Bytes 0x80-0x9F, control characters in
// ISO-8859-1, are read as Windows-1252, which files labelled Latin-1
// often are (œ, Œ, ’, €).
func decodeLine(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var s strings.Builder
	s.Grow(len(b) + len(b)/4)
	for _, c := range b {
		switch {
		case c < 0x80:
			s.WriteByte(c)
		case c < 0xA0:
			s.WriteRune(cp1252(c))
		default:
			s.WriteRune(rune(c))
		}
	}
	return s.String()
}

// cp1252 maps a byte in 0x80-0x9F to its Windows-1252 character; the five
// bytes Windows-1252 leaves undefined keep their ISO-8859-1 meaning.
func cp1252(c byte) rune {
	switch c {
	case 0x80:
		return '€'
	case 0x82:
		return '‚'
	case 0x83:
		return 'ƒ'
	case 0x84:
		return '„'
	case 0x85:
		return '…'
	case 0x86:
		return '†'
	case 0x87:
		return '‡'
	case 0x88:
		return 'ˆ'
	case 0x89:
		return '‰'
	case 0x8A:
		return 'Š'
	case 0x8B:
		return '‹'
	case 0x8C:
		return 'Œ'
	case 0x8E:
		return 'Ž'
	case 0x91:
		return '‘'
	case 0x92:
		return '’'
	case 0x93:
		return '“'
	case 0x94:
		return '”'
	case 0x95:
		return '•'
	case 0x96:
		return '–'
	case 0x97:
		return '—'
	case 0x98:
		return '˜'
	case 0x99:
		return '™'
	case 0x9A:
		return 'š'
	case 0x9B:
		return '›'
	case 0x9C:
		return 'œ'
	case 0x9E:
		return 'ž'
	case 0x9F:
		return 'Ÿ'
	}
	return rune(c)
}

// split appends the `;`-separated fields of line to dst. A field starting
// with a double quote runs to the next quote followed by `;` or the end of
// the line, and "" in it stands for one quote; other quotes are kept as
// they are, as the RNA files hold many. ok is false when a quoted field is
// never closed.
func split(line string, dst []string) (fields []string, ok bool) {
	for {
		if !strings.HasPrefix(line, `"`) {
			i := strings.IndexByte(line, ';')
			if i < 0 {
				return append(dst, line), true
			}
			dst = append(dst, line[:i])
			line = line[i+1:]
			continue
		}
		var unq strings.Builder // used only when the field holds ""
		start, i := 1, 1
		for {
			j := strings.IndexByte(line[i:], '"')
			if j < 0 {
				return dst, false
			}
			j += i
			switch {
			case j+1 < len(line) && line[j+1] == '"':
				unq.WriteString(line[start : j+1])
				i = j + 2
				start = i
				continue
			case j+1 < len(line) && line[j+1] != ';':
				i = j + 1 // a stray quote inside the field
				continue
			}
			field := line[start:j]
			if unq.Len() > 0 {
				unq.WriteString(field)
				field = unq.String()
			}
			dst = append(dst, field)
			if j+1 == len(line) {
				return dst, true
			}
			line = line[j+2:]
			break
		}
	}
}

// mapRecord fills rec.Association from the fields of one line, or says
// why the line is rejected.
func (r *RNAReader) mapRecord(fields []string, rec *RNARecord) *LineError {
	get := func(f rnaField) string {
		if i := r.col[f]; i >= 0 {
			return clean(fields[i])
		}
		return ""
	}
	reject := func(f rnaField, rule, value string) *LineError {
		return &LineError{Line: r.line, Column: r.names[f], Rule: rule, Value: truncate(value)}
	}
	warn := func(f rnaField, rule, value string) {
		rec.Warnings = append(rec.Warnings, LineError{Line: r.line, Column: r.names[f], Rule: rule, Value: truncate(value)})
	}
	a := &rec.Association

	a.RNA = strings.ToUpper(get(fID))
	if !ValidRNA(a.RNA) {
		return reject(fID, "rna", a.RNA)
	}
	if siret := strings.ReplaceAll(get(fSIRET), " ", ""); siret != "" {
		if !ValidSIRET(siret) {
			return reject(fSIRET, "siret", siret)
		}
		// A SIRET passes Luhn over 14 digits; its SIREN must on its own.
		if !ValidSIREN(siret[:9]) {
			return reject(fSIRET, "siren", siret)
		}
		a.SIRET, a.SIREN = siret, siret[:9]
	}
	a.Name = get(fTitle)
	if a.Name == "" {
		return reject(fTitle, "required", "")
	}
	for _, d := range []struct {
		f   rnaField
		dst **time.Time
	}{{fCreated, &a.CreatedOn}, {fDissolved, &a.DissolvedOn}} {
		v := get(d.f)
		t, ok := parseRNADate(v)
		if !ok {
			return reject(d.f, "date", v)
		}
		*d.dst = t
	}
	for _, f := range []rnaField{fCategory1, fCategory2} {
		code := get(f)
		switch {
		case code == "" || code == NoCategory:
		case !ValidCategory(code):
			return reject(f, "category", code)
		case len(a.Categories) == 0 || a.Categories[0] != code:
			a.Categories = append(a.Categories, code)
		}
	}

	// titre_court is a short form of the title, often the title cut
	// ("UNITE FRANCAISE D'INTERVENTION EN ..."), seldom an acronym: it is
	// kept as the short title, and only when it says something the title
	// does not.
	if short := collapseSpaces(get(fShortTitle)); short != "" && short != a.Name {
		if utf8.RuneCountInString(short) <= MaxShortTitleRunes {
			a.ShortTitle = short
		} else {
			warn(fShortTitle, "max="+strconv.Itoa(MaxShortTitleRunes), "")
		}
	}
	a.Object = get(fObject)
	switch strings.ToUpper(get(fNature)) {
	case "":
	case "D":
		a.LegalStatus = LegalDeclared
	case "R":
		a.LegalStatus = LegalPublicUtility
	case "G":
		a.LegalStatus = LegalGeneralInterest
	default:
		a.LegalStatus = LegalOther
	}
	switch strings.ToUpper(get(fGrouping)) {
	case "S":
		a.Grouping = GroupingSimple
	case "U":
		a.Grouping = GroupingUnion
	case "F":
		a.Grouping = GroupingFederation
	}
	// A: active; D: dissolved; S: "supprimée", deleted from the registry;
	// R: "reprise", taken over into the Waldec register under a new W
	// number, which the observation column often holds. An R record is
	// superseded: it duplicates the newer record, so ImportRNA skips it
	// (reporting it as a warning, rule "superseded"), but the reader still
	// returns it. Its status, like that of an unknown code (which gets a
	// "position" warning), is guessed from the dissolution date.
	switch pos := strings.ToUpper(get(fPosition)); pos {
	case "A":
		a.Status = StatusActive
	case "D", "S":
		a.Status = StatusDissolved
	default:
		switch pos {
		case "":
		case "R":
			rec.Superseded = true
			if by := strings.ToUpper(get(fObservation)); ValidRNA(by) {
				rec.SupersededBy = by
			}
		default:
			warn(fPosition, "position", pos)
		}
		a.Status = StatusActive
		if a.DissolvedOn != nil {
			a.Status = StatusDissolved
		}
	}

	switch r.layout {
	case RNAWaldec:
		a.Address.Line1 = joinNonEmpty(" ", get(fStreetNumber), get(fStreetRepeat), get(fStreetType), get(fStreetName))
		a.Address.Line2 = collapseSpaces(get(fComplement))
	case RNAImport:
		a.Address.Line1 = collapseSpaces(get(fAdr2))
		a.Address.Line2 = joinNonEmpty(", ", get(fAdr1), get(fAdr3))
		if a.Address.Line1 == "" {
			a.Address.Line1, a.Address.Line2 = a.Address.Line2, ""
		}
	}
	a.Address.PostalCode = collapseSpaces(get(fPostalCode))
	a.Address.City = collapseSpaces(get(fCity))
	a.Address.CommuneCode = strings.ToUpper(get(fCommuneCode))
	a.Address.Country = "FR"

	if site := get(fWebsite); site != "" {
		if a.Website = website(site); a.Website == "" {
			warn(fWebsite, "http_url", "")
		}
	}
	// The declarant's phone and email are for the city's staff only.
	for _, c := range []struct {
		f    rnaField
		kind ContactKind
	}{{fPhone, ContactPhone}, {fEmail, ContactEmail}} {
		v := get(c.f)
		switch {
		case v == "":
		case utf8.RuneCountInString(v) > 250:
			warn(c.f, "max=250", "")
		default:
			a.Contacts = append(a.Contacts, Contact{Kind: c.kind, Value: v})
		}
	}
	return nil
}

// clean trims s and turns control characters into spaces: some engines
// refuse NUL in text, and none belong in the registry.
func clean(s string) string {
	for i := 0; i < len(s); i++ {
		// 0xC2 leads the UTF-8 encoding of the C1 controls U+0080-U+009F.
		if c := s[i]; c < 0x20 || c == 0x7F || c == 0xC2 {
			s = strings.Map(func(r rune) rune {
				if r < 0x20 || (r >= 0x7F && r < 0xA0) {
					return ' '
				}
				return r
			}, s)
			break
		}
	}
	return strings.TrimSpace(s)
}

// collapseSpaces replaces each run of spaces with one: the import files
// pad street numbers ("1         PL  de l Eglise").
func collapseSpaces(s string) string {
	if !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func joinNonEmpty(sep string, parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p = collapseSpaces(p); p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p)
	}
	return b.String()
}

// truncate bounds a LineError value so that a garbage field cannot bloat
// a report.
func truncate(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	s = s[:limit]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}

// parseRNADate parses a YYYY-MM-DD date as UTC midnight; "" and 0001-01-01
// give nil.
func parseRNADate(s string) (*time.Time, bool) {
	if s == "" || s == "0001-01-01" {
		return nil, true
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil, false
	}
	return &t, true
}

// website returns s as an http(s) URL, adding "http://" to a bare host
// name such as "www.example.fr", or "" when s is neither.
func website(s string) string {
	if httpURL(s) {
		return s
	}
	if strings.Contains(s, "://") {
		return ""
	}
	host := s
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host = host[:i]
	}
	if !hostLike(host) {
		return ""
	}
	if s = "http://" + s; httpURL(s) {
		return s
	}
	return ""
}

// httpURL applies the rule of the validator's http_url tag, plus the
// Association.Website length limit.
func httpURL(s string) bool {
	if utf8.RuneCountInString(s) > 500 {
		return false
	}
	u, err := url.Parse(strings.ToLower(s))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// hostLike reports whether s looks like a DNS name with an optional port:
// dot-separated labels of letters, digits and hyphens, the last one
// alphabetic.
func hostLike(s string) bool {
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		if port := s[i+1:]; port == "" || len(port) > 5 || !allDigits(port) {
			return false
		}
		s = s[:i]
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i] | 0x20 // ASCII lower case
			if !(c >= 'a' && c <= 'z' || l[i] >= '0' && l[i] <= '9' || l[i] == '-') {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	for i := 0; i < len(tld); i++ {
		if c := tld[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return len(tld) >= 2
}

// ImportOptions tunes Service.ImportRNA.
type ImportOptions struct {
	// OnReject, when set, is called for every rejected line.
	OnReject func(LineError)
	// OnWarning, when set, is called for every value dropped from an
	// imported line, and for every superseded line skipped (rule
	// "superseded", Column "position", Value the number of the record
	// that took over when the file names it).
	OnWarning func(LineError)
	// MaxRejectsKept bounds ImportReport.Rejects: 1000 when 0, none when
	// negative.
	MaxRejectsKept int
	// BatchSize is how many associations are written per transaction:
	// 500 when 0 or negative.
	BatchSize int
	// OnProgress, when set, is called about every ProgressInterval during
	// the import and once at the end, so that a long import (a full
	// département file takes minutes) can show its pace.
	OnProgress func(ImportProgress)
	// ProgressInterval is the time between OnProgress calls: 1 s when 0.
	ProgressInterval time.Duration
}

// ImportProgress is where an import stands.
type ImportProgress struct {
	Lines   int           `json:"lines"`   // data lines read
	Bytes   int64         `json:"bytes"`   // bytes of the file read (buffered ahead of Lines)
	Elapsed time.Duration `json:"elapsed"` // since the import started
	Done    bool          `json:"done"`    // the last call
}

// LinesPerSecond is the average pace so far.
func (p ImportProgress) LinesPerSecond() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Lines) / p.Elapsed.Seconds()
}

// Remaining estimates the time left to read a file of total bytes at the
// pace so far; 0 when unknown (nothing read yet, or total unknown).
func (p ImportProgress) Remaining(total int64) time.Duration {
	if p.Bytes <= 0 || total <= p.Bytes || p.Elapsed <= 0 {
		return 0
	}
	return time.Duration(float64(p.Elapsed) * float64(total-p.Bytes) / float64(p.Bytes))
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// ImportReport sums up an import. Lines counts the data lines read
// (neither the header nor blank lines); each is Created, Updated,
// Unchanged, Superseded or Rejected, except, after an error, lines read
// but not yet written.
type ImportReport struct {
	Layout    RNALayout `json:"layout"`
	Lines     int       `json:"lines"`
	Created   int       `json:"created"`
	Updated   int       `json:"updated"`
	Unchanged int       `json:"unchanged"`
	Rejected  int       `json:"rejected"`
	// Superseded counts the lines skipped because a newer record took
	// them over (RNARecord.Superseded); they are not rejects.
	Superseded int `json:"superseded"`
	// Warnings counts values dropped from imported lines; superseded
	// lines are not imported and add nothing here.
	Warnings int `json:"warnings"`
	// RejectedByRule counts the rejected lines by rule ("rna", "date",
	// "field_count", ...), all of them, not only those kept in Rejects.
	RejectedByRule map[string]int `json:"rejected_by_rule,omitempty"`
	// Rejects holds the first MaxRejectsKept rejections, in the order they
	// were found: a line the store refuses is found when its batch is
	// written, after the parse errors of the lines that follow it.
	Rejects []LineError `json:"rejects,omitempty"`
}

// ImportRNA reads an RNA file and upserts its associations by RNA number,
// in batches. Bad lines are rejected, reported and skipped. Superseded
// lines (position "R") are counted, reported through
// ImportOptions.OnWarning and skipped without being validated, since
// importing them would duplicate the record that took them over; a
// superseded line the reader cannot parse is still rejected. Importing
// the same file again leaves every association Unchanged. It stops at the
// first store failure, naming the line, or when ctx is done, and returns
// the report so far with the error.
func (s *Service) ImportRNA(ctx context.Context, r io.Reader, opts ImportOptions) (ImportReport, error) {
	start := time.Now() // wall clock for the pace, not the service's clock
	im := &rnaImport{}
	counter := &countingReader{r: r}
	rd, err := NewRNAReader(counter)
	if err != nil {
		return ImportReport{}, err
	}
	if opts.ProgressInterval <= 0 {
		opts.ProgressInterval = time.Second
	}
	progress := func(done bool) {
		if opts.OnProgress != nil {
			opts.OnProgress(ImportProgress{Lines: im.rep.Lines, Bytes: counter.n, Elapsed: time.Since(start), Done: done})
		}
	}
	lastProgress := start
	if opts.MaxRejectsKept == 0 {
		opts.MaxRejectsKept = 1000
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 500
	}
	im.s, im.rd, im.opts = s, rd, opts
	im.rep = ImportReport{Layout: rd.layout}
	im.rnas = make(map[string]bool, opts.BatchSize)
	for {
		if err := ctx.Err(); err != nil {
			return im.rep, fmt.Errorf("associations: import rna: %w", err)
		}
		if opts.OnProgress != nil && im.rep.Lines%256 == 0 {
			if now := time.Now(); now.Sub(lastProgress) >= opts.ProgressInterval {
				lastProgress = now
				progress(false)
			}
		}
		rec, err := rd.Next()
		var le *LineError
		switch {
		case err == io.EOF:
			err := im.flush(ctx)
			progress(true)
			return im.rep, err
		case errors.As(err, &le):
			im.rep.Lines++
			im.reject(*le)
			continue
		case err != nil:
			return im.rep, fmt.Errorf("associations: import rna: %w", err)
		}
		im.rep.Lines++
		if rec.Superseded {
			im.superseded(rec)
			continue
		}
		a := rec.Association
		normalize(&a)
		if err := s.Validate(&a); err != nil {
			im.reject(validationLineError(rd, rec.Line, &a, err))
			continue
		}
		now := s.now().UTC()
		a.ID = s.newID()
		a.Version = 1
		a.CreatedAt, a.UpdatedAt = now, now
		// A batch holds each RNA number once; a repeated one is written
		// after the earlier line, as line-by-line upserts would.
		if im.rnas[a.RNA] {
			if err := im.flush(ctx); err != nil {
				return im.rep, err
			}
		}
		im.rnas[a.RNA] = true
		im.batch = append(im.batch, a)
		im.lines = append(im.lines, rec.Line)
		im.warnings = append(im.warnings, rec.Warnings)
		if len(im.batch) >= opts.BatchSize {
			if err := im.flush(ctx); err != nil {
				return im.rep, err
			}
		}
	}
}

// rnaImport is the state of one ImportRNA call: the report and the batch
// of validated associations not yet written.
type rnaImport struct {
	s    *Service
	rd   *RNAReader
	opts ImportOptions
	rep  ImportReport

	batch    []Association   // validated, not yet written
	lines    []int           // line of each batch element
	warnings [][]LineError   // warnings of each batch element
	rnas     map[string]bool // RNA numbers in the batch
	work     []Association   // the copy the store may modify
	ptrs     []*Association
}

func (im *rnaImport) reject(le LineError) {
	im.rep.Rejected++
	if im.rep.RejectedByRule == nil {
		im.rep.RejectedByRule = make(map[string]int)
	}
	im.rep.RejectedByRule[le.Rule]++
	if len(im.rep.Rejects) < im.opts.MaxRejectsKept {
		im.rep.Rejects = append(im.rep.Rejects, le)
	}
	if im.opts.OnReject != nil {
		im.opts.OnReject(le)
	}
}

// superseded reports a line skipped because a newer record took it over.
func (im *rnaImport) superseded(rec *RNARecord) {
	im.rep.Superseded++
	if im.opts.OnWarning != nil {
		im.opts.OnWarning(LineError{Line: rec.Line, Column: im.rd.names[fPosition], Rule: "superseded", Value: rec.SupersededBy})
	}
}

func (im *rnaImport) written(i int, res UpsertResult) {
	switch res {
	case Created:
		im.rep.Created++
	case Updated:
		im.rep.Updated++
	default:
		im.rep.Unchanged++
	}
	im.rep.Warnings += len(im.warnings[i])
	if im.opts.OnWarning != nil {
		for _, w := range im.warnings[i] {
			im.opts.OnWarning(w)
		}
	}
}

// flush writes the batch in one transaction. When the store refuses it,
// the batch is written again line by line so that only the offending
// lines are rejected, and a failure names its line.
func (im *rnaImport) flush(ctx context.Context) error {
	if len(im.batch) == 0 {
		return nil
	}
	defer func() {
		im.batch, im.lines, im.warnings = im.batch[:0], im.lines[:0], im.warnings[:0]
		clear(im.rnas)
	}()
	// The store sets IDs and versions even in a transaction it rolls
	// back: give it a copy, and keep the batch intact for the retry.
	im.work = append(im.work[:0], im.batch...)
	im.ptrs = im.ptrs[:0]
	for i := range im.work {
		im.ptrs = append(im.ptrs, &im.work[i])
	}
	results, err := im.s.store.UpsertAssociationsByRNA(ctx, im.ptrs)
	if err == nil {
		if len(results) != len(im.batch) {
			return fmt.Errorf("associations: import rna lines %d-%d: store gave %d results for %d associations",
				im.lines[0], im.lines[len(im.lines)-1], len(results), len(im.batch))
		}
		for i, res := range results {
			im.written(i, res)
		}
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("associations: import rna lines %d-%d: %w", im.lines[0], im.lines[len(im.lines)-1], ctxErr)
	}
	for i := range im.batch {
		a := &im.batch[i]
		res, err := im.s.store.UpsertAssociationByRNA(ctx, a)
		switch {
		case errors.Is(err, ErrInvalid):
			im.reject(validationLineError(im.rd, im.lines[i], a, err))
		case errors.Is(err, ErrConflict):
			// Another association holds this SIRET (the registry has
			// duplicates); the rest of the file is still good.
			im.reject(LineError{Line: im.lines[i], Column: "id", Rule: "conflict", Value: a.RNA})
		case err != nil:
			return fmt.Errorf("associations: import rna line %d: %w", im.lines[i], err)
		default:
			im.written(i, res)
		}
	}
	return nil
}

// validationLineError turns the first broken rule of a validation error
// into a LineError naming the RNA column.
func validationLineError(rd *RNAReader, line int, a *Association, err error) LineError {
	le := LineError{Line: line, Rule: "invalid"}
	var ve *civickit.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) == 0 {
		return le
	}
	fe := ve.Fields[0]
	le.Rule = fe.Rule
	if fe.Param != "" {
		le.Rule += "=" + fe.Param
	}
	col := func(f rnaField) string { return rd.names[f] }
	field, _, _ := strings.Cut(fe.Path, "[")
	switch field {
	case "name":
		le.Column = col(fTitle)
	case "short_title":
		le.Column = col(fShortTitle)
	case "rna":
		le.Column, le.Value = col(fID), a.RNA
	case "siren", "siret":
		le.Column, le.Value = col(fSIRET), a.SIRET
	case "legal_status":
		le.Column, le.Value = col(fNature), string(a.LegalStatus)
	case "grouping":
		le.Column, le.Value = col(fGrouping), string(a.Grouping)
	case "object":
		le.Column = col(fObject)
	case "categories":
		le.Column = col(fCategory1)
	case "created_on":
		le.Column, le.Value = col(fCreated), formatDate(a.CreatedOn)
	case "dissolved_on":
		le.Column, le.Value = col(fDissolved), formatDate(a.DissolvedOn)
	case "status":
		le.Column = col(fPosition)
	case "address.line1":
		le.Column = col(fStreetName)
		if rd.layout == RNAImport {
			le.Column = col(fAdr2)
		}
	case "address.line2":
		le.Column = col(fComplement)
		if rd.layout == RNAImport {
			le.Column = col(fAdr1)
		}
	case "address.postal_code":
		le.Column, le.Value = col(fPostalCode), a.Address.PostalCode
	case "address.city":
		le.Column = col(fCity)
	case "address.commune_code":
		le.Column, le.Value = col(fCommuneCode), a.Address.CommuneCode
	case "contacts":
		le.Column = col(fEmail)
		if i, ok := contactIndex(fe.Path); ok && i < len(a.Contacts) && a.Contacts[i].Kind == ContactPhone {
			le.Column = col(fPhone)
		}
	case "website":
		le.Column = col(fWebsite)
	default:
		le.Column = fe.Path
	}
	le.Value = truncate(le.Value)
	return le
}

// contactIndex reads i from a field path "contacts[i]...".
func contactIndex(path string) (int, bool) {
	_, rest, ok := strings.Cut(path, "[")
	if !ok {
		return 0, false
	}
	n, _, _ := strings.Cut(rest, "]")
	i, err := strconv.Atoi(n)
	return i, err == nil
}

func formatDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}
