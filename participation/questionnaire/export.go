package questionnaire

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// ExportFormat is the file format of an export.
type ExportFormat string

const (
	ExportCSV    ExportFormat = "csv"    // RFC 4180, header line first
	ExportNDJSON ExportFormat = "ndjson" // one JSON object per line
)

// Metadata columns an export may hold. They are the quasi-identifiers
// of k-suppression.
const (
	ColChannel     = "channel"
	ColRecruitment = "recruitment"
	ColPlace       = "place"
	ColSubmittedOn = "submitted_on" // UTC day of submission, YYYY-MM-DD
)

// ExportOptions choose an export's format and columns.
type ExportOptions struct {
	Format ExportFormat `json:"format"`
	// Columns to export, in order, among ExportColumns (nil: all of
	// them). Free-text answers, participant and response IDs, agents and
	// timestamps finer than a day are never exportable.
	Columns []string `json:"columns,omitempty"`
	// K is the k-suppression threshold: responses whose combination of
	// the chosen metadata columns is shared by fewer than K responses are
	// left out. It cannot be lower than the questionnaire's (0: the
	// questionnaire's).
	K int `json:"k,omitempty"`
}

// ExportReport says what an export wrote.
type ExportReport struct {
	Columns    []string `json:"columns"`
	Rows       int      `json:"rows"`
	Suppressed int      `json:"suppressed"`
	K          int      `json:"k"`
}

// ExportColumns returns the columns an export of q may hold: the
// metadata columns, then one column per closed question ("<id>") or per
// row of a matrix or grid ("<id>.<row>"). Text questions have none.
func ExportColumns(q *Questionnaire) []string {
	cols := []string{ColChannel, ColRecruitment, ColPlace, ColSubmittedOn}
	for _, qq := range q.Questions {
		switch {
		case qq.Type.Text():
		case qq.Type.Matrix():
			for _, r := range qq.Rows {
				cols = append(cols, qq.ID+"."+r.ID)
			}
		default:
			cols = append(cols, qq.ID)
		}
	}
	return cols
}

// column is one resolved export column.
type column struct {
	name     string
	meta     string    // a metadata column, or ""
	question *Question // otherwise the question
	row      string    // and the row of a matrix
	list     bool      // several values (multiple choice, ranking, matrix_multiple)
	number   bool      // a number (number, scale)
}

func resolveColumns(q *Questionnaire, names []string) ([]column, error) {
	if names == nil {
		names = ExportColumns(q)
	}
	allowed := ExportColumns(q)
	ve := &civickit.ValidationError{}
	seen := map[string]bool{}
	out := make([]column, 0, len(names))
	for i, n := range names {
		field := fmt.Sprintf("columns[%d]", i)
		if seen[n] {
			ve.Add(field, "unique", n)
			continue
		}
		seen[n] = true
		if !slices.Contains(allowed, n) {
			rule := "allowed_column"
			id, _, _ := strings.Cut(n, ".")
			if qq := q.Question(id); qq != nil && qq.Type.Text() {
				rule = "free_text"
			}
			ve.Add(field, rule, n)
			continue
		}
		c := column{name: n}
		switch n {
		case ColChannel, ColRecruitment, ColPlace, ColSubmittedOn:
			c.meta = n
		default:
			id, row, _ := strings.Cut(n, ".")
			c.question, c.row = q.Question(id), row
			c.list = c.question.Type == QuestionMultipleChoice || c.question.Type == QuestionRanking ||
				c.question.Type == QuestionMatrixMultiple
			c.number = c.question.Type == QuestionNumber || c.question.Type == QuestionScale || c.question.Type == QuestionScore
		}
		out = append(out, c)
	}
	if len(out) == 0 && ve.Err() == nil {
		ve.Add("columns", "min", "1")
	}
	return out, ve.Err()
}

// groupKey is a response's combination of the chosen metadata columns.
func groupKey(cols []column, ch civickit.Channel, rec participation.Recruitment, place string, day int64) string {
	var b strings.Builder
	for _, c := range cols {
		switch c.meta {
		case ColChannel:
			b.WriteString(string(ch))
		case ColRecruitment:
			b.WriteString(string(rec))
		case ColPlace:
			b.WriteString(place)
		case ColSubmittedOn:
			fmt.Fprint(&b, day)
		default:
			continue
		}
		b.WriteByte(0)
	}
	return b.String()
}

// dayOf returns the UTC day number of t (days since 1970-01-01).
func dayOf(t time.Time) int64 {
	s := t.Unix()
	d := s / 86400
	if s < 0 && s%86400 != 0 {
		d--
	}
	return d
}

// Export writes the questionnaire's responses to w as CSV or NDJSON,
// one row per response, with only the allow-listed columns chosen in
// opts, and leaves out responses whose combination of metadata columns
// is shared by fewer than k responses (k-suppression). Responses are
// streamed from the store and written as they come, so memory does not
// grow with their number (only with the number of distinct metadata
// combinations). ErrHidden while results are hidden until the
// questionnaire closes; a *ValidationError for a column that is not
// allowed.
func (s *Service) Export(ctx context.Context, w io.Writer, questionnaireID uuid.UUID, opts ExportOptions) (*ExportReport, error) {
	if opts.Format != ExportCSV && opts.Format != ExportNDJSON {
		return nil, civickit.Invalid("format", "oneof", "csv ndjson")
	}
	q, err := s.resultsVisible(ctx, questionnaireID)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	cols, err := resolveColumns(q, opts.Columns)
	if err != nil {
		return nil, err
	}
	k := max(opts.K, q.K())
	groups, err := s.store.ResponseGroups(ctx, q.ID)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	// Group sizes are read before the stream: a response stored in
	// between may fall in a group counted smaller than it is, which only
	// suppresses more, never less (responses are never deleted).
	sizes := map[string]int{}
	for _, g := range groups {
		sizes[groupKey(cols, g.Channel, g.Recruitment, g.Place, g.Day)] += g.Count
	}
	rep := &ExportReport{K: k}
	for _, c := range cols {
		rep.Columns = append(rep.Columns, c.name)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := newRowEncoder(opts.Format, bw, cols)
	if err := enc.header(); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	answers := make(map[string]*Answer, len(q.Questions))
	err = s.store.StreamResponses(ctx, q.ID, func(r *Response) error {
		key := groupKey(cols, r.Provenance.Channel, r.Respondent.Recruitment, r.Provenance.Place, dayOf(r.SubmittedAt))
		if sizes[key] < k {
			rep.Suppressed++
			return nil
		}
		clear(answers)
		for i := range r.Answers {
			answers[r.Answers[i].Question] = &r.Answers[i]
		}
		rep.Rows++
		return enc.row(r, answers)
	})
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if err := enc.flush(); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return rep, nil
}

// rowEncoder writes header and rows in one format.
type rowEncoder struct {
	format ExportFormat
	cols   []column
	w      *bufio.Writer
	csv    *csv.Writer
	rec    []string // reused CSV record
	vals   [][]string
	buf    []byte // reused NDJSON line
}

func newRowEncoder(f ExportFormat, w *bufio.Writer, cols []column) *rowEncoder {
	e := &rowEncoder{format: f, cols: cols, w: w, vals: make([][]string, len(cols))}
	if f == ExportCSV {
		e.csv = csv.NewWriter(w)
		e.rec = make([]string, len(cols))
	}
	return e
}

func (e *rowEncoder) header() error {
	if e.format != ExportCSV {
		return nil
	}
	for i, c := range e.cols {
		e.rec[i] = c.name
	}
	return e.csv.Write(e.rec)
}

// values returns column i's values for response r (none: empty). The
// slice is reused from row to row.
func (e *rowEncoder) values(i int, r *Response, answers map[string]*Answer) []string {
	c := &e.cols[i]
	v := e.vals[i][:0]
	switch c.meta {
	case ColChannel:
		v = append(v, string(r.Provenance.Channel))
	case ColRecruitment:
		v = append(v, string(r.Respondent.Recruitment))
	case ColPlace:
		if r.Provenance.Place != "" {
			v = append(v, r.Provenance.Place)
		}
	case ColSubmittedOn:
		v = append(v, r.SubmittedAt.UTC().Format(DateLayout))
	default:
		a := answers[c.question.ID]
		switch {
		case a == nil:
		case c.row != "":
			v = append(v, a.Matrix[c.row]...)
		case a.Number != nil:
			v = append(v, formatNumber(*a.Number))
		case a.Date != "":
			v = append(v, a.Date)
		default:
			v = append(v, a.Choices...)
		}
	}
	e.vals[i] = v
	return v
}

func (e *rowEncoder) row(r *Response, answers map[string]*Answer) error {
	if e.format == ExportCSV {
		for i := range e.cols {
			vs := e.values(i, r, answers)
			switch len(vs) {
			case 0:
				e.rec[i] = ""
			case 1:
				e.rec[i] = csvSafe(vs[0])
			default:
				e.rec[i] = csvSafe(strings.Join(vs, "|"))
			}
		}
		return e.csv.Write(e.rec)
	}
	b := append(e.buf[:0], '{')
	for i, c := range e.cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, c.name)
		b = append(b, ':')
		vs := e.values(i, r, answers)
		switch {
		case c.list:
			b = append(b, '[')
			for j, v := range vs {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendJSONString(b, v)
			}
			b = append(b, ']')
		case len(vs) == 0:
			b = append(b, "null"...)
		case c.number:
			b = append(b, vs[0]...)
		default:
			b = appendJSONString(b, vs[0])
		}
	}
	b = append(b, '}', '\n')
	e.buf = b
	_, err := e.w.Write(b)
	return err
}

func (e *rowEncoder) flush() error {
	if e.csv != nil {
		e.csv.Flush()
		return e.csv.Error()
	}
	return nil
}

// csvSafe defuses values a spreadsheet would run as a formula.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// appendJSONString appends s as a JSON string; invalid UTF-8 becomes
// U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
