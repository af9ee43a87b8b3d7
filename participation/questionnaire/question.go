package questionnaire

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/civickit/civickit"
)

// QuestionType is the kind of answer a question takes.
type QuestionType string

const (
	QuestionShortText      QuestionType = "short_text"      // one line of text
	QuestionLongText       QuestionType = "long_text"       // free text
	QuestionSingleChoice   QuestionType = "single_choice"   // one option
	QuestionMultipleChoice QuestionType = "multiple_choice" // MinChoices..MaxChoices options
	QuestionRanking        QuestionType = "ranking"         // options in order of preference
	QuestionMatrixSingle   QuestionType = "matrix_single"   // one column per row
	QuestionMatrixMultiple QuestionType = "matrix_multiple" // MinChoices..MaxChoices columns per row
	QuestionNumber         QuestionType = "number"          // a number, optionally bounded or whole
	QuestionScale          QuestionType = "scale"           // a whole number from Min to Max
	QuestionMajority       QuestionType = "majority_judgment"
	QuestionScore          QuestionType = "score" // a whole number from Min to Max per row
	QuestionDate           QuestionType = "date"  // YYYY-MM-DD
)

// QuestionTypes lists every question type in a stable order.
func QuestionTypes() []QuestionType {
	return []QuestionType{
		QuestionShortText, QuestionLongText, QuestionSingleChoice, QuestionMultipleChoice,
		QuestionRanking, QuestionMatrixSingle, QuestionMatrixMultiple, QuestionNumber,
		QuestionScale, QuestionMajority, QuestionScore, QuestionDate,
	}
}

// Valid reports whether t is a known question type.
func (t QuestionType) Valid() bool { return slices.Contains(QuestionTypes(), t) }

// Text reports whether answers to t are free text, which may hold
// personal data: they are never tallied nor exported.
func (t QuestionType) Text() bool { return t == QuestionShortText || t == QuestionLongText }

// Matrix reports whether answers to t are given row by row (the two
// matrices, the majority-judgment grid and the score grid).
func (t QuestionType) Matrix() bool {
	return t == QuestionMatrixSingle || t == QuestionMatrixMultiple || t == QuestionMajority || t == QuestionScore
}

// Counted reports whether the answers to t are ballots that a voting
// method counts (see Question.Method): the majority-judgment and score
// grids, rankings and multiple choices (approval).
func (t QuestionType) Counted() bool {
	return t == QuestionMajority || t == QuestionScore || t == QuestionRanking || t == QuestionMultipleChoice
}

// Limits of questionnaire definitions.
const (
	MaxQuestions        = 500
	MaxOptions          = 200
	MaxShortTextLen     = 500   // runes
	MaxLongTextLen      = 20000 // runes
	DefaultLongTextLen  = 5000
	MaxPatternLen       = 200
	MaxScaleSteps       = 100
	MaxConditions       = 20
	DateLayout          = "2006-01-02"
	questionIDMaxLength = 40
)

// Option is a choice of a choice question, a column of a matrix, a
// candidate (row) or a grade of a majority-judgment grid.
type Option struct {
	ID    string `json:"id" validate:"required,max=40"`
	Label string `json:"label" validate:"required,max=500"`
}

// Question is one question of a questionnaire. Which fields apply depends
// on Type:
//
//	short_text, long_text   MaxLength (runes; 0: 500 or 5000), Pattern (short text)
//	single_choice           Options (at least 2)
//	multiple_choice         Options, MinChoices, MaxChoices (0: all)
//	ranking                 Options; between MinChoices (0: 1) and MaxChoices (0: all) ranked
//	matrix_single           Rows, Options (the columns): one column per answered row
//	matrix_multiple         Rows, Options, MinChoices and MaxChoices per answered row
//	number                  Min, Max (optional bounds), Integer
//	scale                   Min and Max (whole, at most 100 steps), MinLabel, MaxLabel
//	majority_judgment       Rows (the candidates), Options (the grades, best first):
//	                        one grade for every candidate
//	score                   Rows (the candidates), Min and Max (whole, at most 100
//	                        steps): a whole number for each candidate scored
//	date                    MinDate, MaxDate (optional, YYYY-MM-DD)
//
// A Mandatory question must be answered whenever it is displayed; a
// question with Conditions is displayed only when all of them hold.
// Method names the voting method (package voting) that counts a grid, a
// ranking or a multiple choice in the results ("" for the default of
// the type, see DefaultMethod).
type Question struct {
	ID         string       `json:"id" validate:"required,max=40"`
	Type       QuestionType `json:"type"`
	Title      string       `json:"title" validate:"required,max=500"`
	Help       string       `json:"help,omitempty" validate:"max=5000"`
	Mandatory  bool         `json:"mandatory,omitempty"`
	Options    []Option     `json:"options,omitempty" validate:"max=200,dive"`
	Rows       []Option     `json:"rows,omitempty" validate:"max=200,dive"`
	MinChoices int          `json:"min_choices,omitempty"`
	MaxChoices int          `json:"max_choices,omitempty"`
	Min        *float64     `json:"min,omitempty"`
	Max        *float64     `json:"max,omitempty"`
	Integer    bool         `json:"integer,omitempty"`
	MinLabel   string       `json:"min_label,omitempty" validate:"max=200"`
	MaxLabel   string       `json:"max_label,omitempty" validate:"max=200"`
	MaxLength  int          `json:"max_length,omitempty"`
	Pattern    string       `json:"pattern,omitempty"`
	MinDate    string       `json:"min_date,omitempty"`
	MaxDate    string       `json:"max_date,omitempty"`
	Conditions []Condition  `json:"conditions,omitempty"`
	Method     string       `json:"method,omitempty"`
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,40}$`)

// option returns the index of the option with that ID, or -1.
func optionIndex(opts []Option, id string) int {
	for i := range opts {
		if opts[i].ID == id {
			return i
		}
	}
	return -1
}

// maxLength returns the text length limit in force.
func (q *Question) maxLength() int {
	switch {
	case q.MaxLength > 0:
		return q.MaxLength
	case q.Type == QuestionShortText:
		return MaxShortTextLen
	}
	return DefaultLongTextLen
}

// choiceBounds returns the minimum and maximum number of choices (per row
// for matrix_multiple) an answer may hold.
func (q *Question) choiceBounds() (lo, hi int) {
	lo, hi = q.MinChoices, q.MaxChoices
	if hi == 0 {
		hi = len(q.Options)
	}
	if q.Type == QuestionRanking && lo == 0 {
		lo = 1
	}
	return lo, hi
}

// checkDefinition adds the broken rules of q (the index-th question) to
// ve; earlier are the questions before it, which its conditions may
// reference.
func (q *Question) checkDefinition(path string, earlier []Question, ve *civickit.ValidationError) {
	if q.ID != "" && !idPattern.MatchString(q.ID) {
		ve.Add(path+".id", "question_id", "[A-Za-z0-9_-]{1,40}")
	}
	if !q.Type.Valid() {
		ve.Add(path+".type", "question_type", "")
		return
	}
	checkOptionIDs := func(field string, opts []Option, atLeast int) {
		if len(opts) < atLeast {
			ve.Add(path+"."+field, "min", strconv.Itoa(atLeast))
		}
		seen := make(map[string]bool, len(opts))
		for i, o := range opts {
			p := fmt.Sprintf("%s.%s[%d].id", path, field, i)
			switch {
			case o.ID != "" && !idPattern.MatchString(o.ID):
				ve.Add(p, "option_id", "[A-Za-z0-9_-]{1,40}")
			case seen[o.ID]:
				ve.Add(p, "unique", "")
			}
			seen[o.ID] = true
		}
	}
	unused := func(field string, set bool) {
		if set {
			ve.Add(path+"."+field, "excluded_with", string(q.Type))
		}
	}
	t := q.Type
	unused("options", len(q.Options) > 0 && !(t == QuestionSingleChoice || t == QuestionMultipleChoice || t == QuestionRanking || (t.Matrix() && t != QuestionScore)))
	unused("rows", len(q.Rows) > 0 && !t.Matrix())
	unused("min", q.Min != nil && t != QuestionNumber && t != QuestionScale && t != QuestionScore)
	unused("max", q.Max != nil && t != QuestionNumber && t != QuestionScale && t != QuestionScore)
	unused("method", q.Method != "" && !t.Counted())
	unused("max_length", q.MaxLength != 0 && !t.Text())
	unused("pattern", q.Pattern != "" && t != QuestionShortText)
	unused("min_date", q.MinDate != "" && t != QuestionDate)
	unused("max_date", q.MaxDate != "" && t != QuestionDate)
	unused("min_choices", q.MinChoices != 0 && t != QuestionMultipleChoice && t != QuestionRanking && t != QuestionMatrixMultiple)
	unused("max_choices", q.MaxChoices != 0 && t != QuestionMultipleChoice && t != QuestionRanking && t != QuestionMatrixMultiple)
	unused("integer", q.Integer && t != QuestionNumber)
	switch t {
	case QuestionShortText, QuestionLongText:
		limit := MaxShortTextLen
		if t == QuestionLongText {
			limit = MaxLongTextLen
		}
		if q.MaxLength < 0 || q.MaxLength > limit {
			ve.Add(path+".max_length", "lte", strconv.Itoa(limit))
		}
		if q.Pattern != "" {
			if len(q.Pattern) > MaxPatternLen {
				ve.Add(path+".pattern", "max", strconv.Itoa(MaxPatternLen))
			} else if _, err := regexp.Compile(q.Pattern); err != nil {
				ve.Add(path+".pattern", "regexp", "")
			}
		}
	case QuestionSingleChoice:
		checkOptionIDs("options", q.Options, 2)
	case QuestionMultipleChoice, QuestionRanking, QuestionMatrixMultiple:
		atLeast := 2
		if t == QuestionMatrixMultiple {
			checkOptionIDs("rows", q.Rows, 1)
		}
		checkOptionIDs("options", q.Options, atLeast)
		lo, hi := q.choiceBounds()
		switch {
		case q.MinChoices < 0 || q.MinChoices > len(q.Options):
			ve.Add(path+".min_choices", "lte", strconv.Itoa(len(q.Options)))
		case q.MaxChoices < 0 || q.MaxChoices > len(q.Options):
			ve.Add(path+".max_choices", "lte", strconv.Itoa(len(q.Options)))
		case hi < lo:
			ve.Add(path+".max_choices", "gtefield", "min_choices")
		}
	case QuestionMatrixSingle, QuestionMajority:
		checkOptionIDs("rows", q.Rows, 1)
		checkOptionIDs("options", q.Options, 2)
	case QuestionNumber:
		for _, b := range []struct {
			field string
			v     *float64
		}{{"min", q.Min}, {"max", q.Max}} {
			if b.v != nil && (math.IsNaN(*b.v) || math.IsInf(*b.v, 0)) {
				ve.Add(path+"."+b.field, "finite", "")
			}
		}
		if q.Min != nil && q.Max != nil && *q.Max < *q.Min {
			ve.Add(path+".max", "gtefield", "min")
		}
	case QuestionScale, QuestionScore:
		if t == QuestionScore {
			checkOptionIDs("rows", q.Rows, 1)
		}
		switch {
		case q.Min == nil:
			ve.Add(path+".min", "required", "")
		case q.Max == nil:
			ve.Add(path+".max", "required", "")
		case *q.Min != math.Trunc(*q.Min) || math.Abs(*q.Min) > 1e6:
			ve.Add(path+".min", "integer", "")
		case *q.Max != math.Trunc(*q.Max) || math.Abs(*q.Max) > 1e6:
			ve.Add(path+".max", "integer", "")
		case *q.Max <= *q.Min:
			ve.Add(path+".max", "gtfield", "min")
		case *q.Max-*q.Min > MaxScaleSteps:
			ve.Add(path+".max", "scale_steps", strconv.Itoa(MaxScaleSteps))
		}
	case QuestionDate:
		var lo, hi time.Time
		var err error
		if q.MinDate != "" {
			if lo, err = time.Parse(DateLayout, q.MinDate); err != nil {
				ve.Add(path+".min_date", "date", DateLayout)
			}
		}
		if q.MaxDate != "" {
			if hi, err = time.Parse(DateLayout, q.MaxDate); err != nil {
				ve.Add(path+".max_date", "date", DateLayout)
			}
		}
		if !lo.IsZero() && !hi.IsZero() && hi.Before(lo) {
			ve.Add(path+".max_date", "gtefield", "min_date")
		}
	}
	if len(q.Conditions) > MaxConditions {
		ve.Add(path+".conditions", "max", strconv.Itoa(MaxConditions))
	}
	for i := range q.Conditions {
		q.Conditions[i].checkDefinition(fmt.Sprintf("%s.conditions[%d]", path, i), earlier, ve)
	}
}

// checkAnswer adds the rules a (non-empty) answer to q breaks to ve,
// under field (e.g. "answers.q3").
func (q *Question) checkAnswer(field string, a *Answer, ve *civickit.ValidationError) {
	shape := func(text, choices, number, date, matrix bool) bool {
		ok := (a.Text != "") == text && (len(a.Choices) > 0) == choices && (a.Number != nil) == number &&
			(a.Date != "") == date && (len(a.Matrix) > 0) == matrix
		if !ok {
			ve.Add(field, "answer_type", string(q.Type))
		}
		return ok
	}
	switch q.Type {
	case QuestionShortText, QuestionLongText:
		if !shape(true, false, false, false, false) {
			return
		}
		switch {
		case !utf8.ValidString(a.Text):
			ve.Add(field, "utf8", "")
		case utf8.RuneCountInString(a.Text) > q.maxLength():
			ve.Add(field, "max_length", strconv.Itoa(q.maxLength()))
		case q.Pattern != "" && !matchPattern(q.Pattern, a.Text):
			ve.Add(field, "pattern", q.Pattern)
		}
	case QuestionSingleChoice:
		if !shape(false, true, false, false, false) {
			return
		}
		switch {
		case len(a.Choices) != 1:
			ve.Add(field, "one_choice", "")
		case optionIndex(q.Options, a.Choices[0]) < 0:
			ve.Add(field, "option", a.Choices[0])
		}
	case QuestionMultipleChoice, QuestionRanking:
		if !shape(false, true, false, false, false) {
			return
		}
		if !checkChoices(field, q.Options, a.Choices, ve) {
			return
		}
		lo, hi := q.choiceBounds()
		minRule, maxRule := "min_choices", "max_choices"
		if q.Type == QuestionRanking {
			minRule, maxRule = "min_ranked", "max_ranked"
		}
		switch {
		case len(a.Choices) < lo:
			ve.Add(field, minRule, strconv.Itoa(lo))
		case len(a.Choices) > hi:
			ve.Add(field, maxRule, strconv.Itoa(hi))
		}
	case QuestionMatrixSingle, QuestionMatrixMultiple, QuestionMajority, QuestionScore:
		if !shape(false, false, false, false, true) {
			return
		}
		for _, row := range sortedKeys(a.Matrix) {
			rf := field + "." + row
			if optionIndex(q.Rows, row) < 0 {
				ve.Add(rf, "row", row)
				continue
			}
			cols := a.Matrix[row]
			if q.Type == QuestionScore {
				q.checkScore(rf, cols, ve)
				continue
			}
			if !checkChoices(rf, q.Options, cols, ve) {
				continue
			}
			switch {
			case q.Type != QuestionMatrixMultiple && len(cols) != 1:
				ve.Add(rf, "one_per_row", "")
			case q.Type == QuestionMatrixMultiple:
				lo, hi := q.choiceBounds()
				if len(cols) < max(lo, 1) {
					ve.Add(rf, "min_choices", strconv.Itoa(max(lo, 1)))
				} else if len(cols) > hi {
					ve.Add(rf, "max_choices", strconv.Itoa(hi))
				}
			}
		}
		if q.Type == QuestionMajority || q.Mandatory {
			// every row: graded, or (mandatory) answered
			for _, r := range q.Rows {
				if len(a.Matrix[r.ID]) == 0 {
					rule := "all_rows"
					if q.Type == QuestionMajority {
						rule = "grade_all"
					}
					ve.Add(field+"."+r.ID, rule, "")
				}
			}
		}
	case QuestionNumber, QuestionScale:
		if !shape(false, false, true, false, false) {
			return
		}
		v := *a.Number
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			ve.Add(field, "finite", "")
		case (q.Integer || q.Type == QuestionScale) && v != math.Trunc(v):
			ve.Add(field, "integer", "")
		case q.Min != nil && v < *q.Min:
			ve.Add(field, "min", formatNumber(*q.Min))
		case q.Max != nil && v > *q.Max:
			ve.Add(field, "max", formatNumber(*q.Max))
		}
	case QuestionDate:
		if !shape(false, false, false, true, false) {
			return
		}
		d, err := time.Parse(DateLayout, a.Date)
		switch {
		case err != nil || d.Format(DateLayout) != a.Date:
			ve.Add(field, "date", DateLayout)
		case q.MinDate != "" && a.Date < q.MinDate:
			ve.Add(field, "min_date", q.MinDate)
		case q.MaxDate != "" && a.Date > q.MaxDate:
			ve.Add(field, "max_date", q.MaxDate)
		}
	}
}

// checkScore checks the values given to one row of a score grid: one
// whole number from Min to Max, written as strconv.Itoa writes it.
func (q *Question) checkScore(field string, vals []string, ve *civickit.ValidationError) {
	if len(vals) != 1 {
		ve.Add(field, "one_per_row", "")
		return
	}
	v, err := strconv.Atoi(vals[0])
	switch {
	case err != nil || strconv.Itoa(v) != vals[0]:
		ve.Add(field, "integer", "")
	case q.Min != nil && float64(v) < *q.Min:
		ve.Add(field, "min", formatNumber(*q.Min))
	case q.Max != nil && float64(v) > *q.Max:
		ve.Add(field, "max", formatNumber(*q.Max))
	}
}

// checkChoices checks that every choice is a known option, given once.
func checkChoices(field string, opts []Option, choices []string, ve *civickit.ValidationError) bool {
	ok := true
	seen := make(map[string]bool, len(choices))
	for _, c := range choices {
		switch {
		case optionIndex(opts, c) < 0:
			ve.Add(field, "option", c)
			ok = false
		case seen[c]:
			ve.Add(field, "unique", c)
			ok = false
		}
		seen[c] = true
	}
	return ok
}

func formatNumber(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
