package questionnaire

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/civickit/civickit"
)

// ConditionKind is the test a display condition applies to the answer of
// an earlier question.
type ConditionKind string

const (
	CondAnswered    ConditionKind = "answered"     // the question was answered
	CondNotAnswered ConditionKind = "not_answered" // it was not (or was not displayed)
	CondEquals      ConditionKind = "equals"       // the answer is, or contains, Value
	CondNotEquals   ConditionKind = "not_equals"   // answered, and not equals
	CondMatches     ConditionKind = "matches"      // the answer matches the pattern Value
)

// Valid reports whether k is a known condition kind.
func (k ConditionKind) Valid() bool {
	switch k {
	case CondAnswered, CondNotAnswered, CondEquals, CondNotEquals, CondMatches:
		return true
	}
	return false
}

// Condition makes a question's display depend on the answer to an earlier
// question. Value means, by the type of that question:
//
//	text                          the whole text
//	single/multiple choice,
//	ranking                       an option ID (equals: it was chosen)
//	matrices, majority judgment   "row=column" (equals: that cell was chosen)
//	score grid                    "row=value" (equals: the row got that score)
//	number, scale                 a number
//	date                          YYYY-MM-DD
//
// For CondMatches, Value is a regular expression (RE2 syntax) matched
// against the text, each chosen option ID, each "row=column" cell, the
// number as written by strconv ('g') or the date; one match suffices.
type Condition struct {
	Question string        `json:"question"`
	Kind     ConditionKind `json:"kind"`
	Value    string        `json:"value,omitempty"`
}

func (c *Condition) checkDefinition(path string, earlier []Question, ve *civickit.ValidationError) {
	i := slices.IndexFunc(earlier, func(q Question) bool { return q.ID == c.Question })
	if i < 0 {
		ve.Add(path+".question", "earlier_question", c.Question)
		return
	}
	if !c.Kind.Valid() {
		ve.Add(path+".kind", "oneof", "answered not_answered equals not_equals matches")
		return
	}
	ref := &earlier[i]
	switch c.Kind {
	case CondAnswered, CondNotAnswered:
		if c.Value != "" {
			ve.Add(path+".value", "excluded_with", string(c.Kind))
		}
	case CondMatches:
		switch {
		case c.Value == "":
			ve.Add(path+".value", "required", "")
		case len(c.Value) > MaxPatternLen:
			ve.Add(path+".value", "max", strconv.Itoa(MaxPatternLen))
		default:
			if _, err := regexp.Compile(c.Value); err != nil {
				ve.Add(path+".value", "regexp", "")
			}
		}
	case CondEquals, CondNotEquals:
		if !ref.acceptsValue(c.Value) {
			ve.Add(path+".value", "value_of", ref.ID)
		}
	}
}

// acceptsValue reports whether v can equal an answer to q.
func (q *Question) acceptsValue(v string) bool {
	switch {
	case v == "":
		return false
	case q.Type.Text():
		return true
	case q.Type == QuestionNumber || q.Type == QuestionScale:
		_, err := strconv.ParseFloat(v, 64)
		return err == nil
	case q.Type == QuestionDate:
		return len(v) == len(DateLayout)
	case q.Type == QuestionScore:
		row, val, ok := strings.Cut(v, "=")
		ve := &civickit.ValidationError{}
		q.checkScore("", []string{val}, ve)
		return ok && optionIndex(q.Rows, row) >= 0 && ve.Err() == nil
	case q.Type.Matrix():
		row, col, ok := strings.Cut(v, "=")
		return ok && optionIndex(q.Rows, row) >= 0 && optionIndex(q.Options, col) >= 0
	}
	return optionIndex(q.Options, v) >= 0
}

// holds evaluates c against the displayed answers so far (by question
// ID), given the referenced question's definition.
func (c *Condition) holds(ref *Question, a *Answer) bool {
	answered := a != nil && !a.Empty()
	switch c.Kind {
	case CondAnswered:
		return answered
	case CondNotAnswered:
		return !answered
	case CondEquals:
		return answered && answerEquals(ref, a, c.Value)
	case CondNotEquals:
		return answered && !answerEquals(ref, a, c.Value)
	case CondMatches:
		if !answered {
			return false
		}
		re, err := regexp.Compile(c.Value)
		if err != nil {
			return false
		}
		return slices.ContainsFunc(answerStrings(ref, a), re.MatchString)
	}
	return false
}

func answerEquals(q *Question, a *Answer, v string) bool {
	switch {
	case q.Type.Text():
		return a.Text == v
	case q.Type == QuestionNumber || q.Type == QuestionScale:
		f, err := strconv.ParseFloat(v, 64)
		return err == nil && a.Number != nil && *a.Number == f
	case q.Type == QuestionDate:
		return a.Date == v
	case q.Type.Matrix():
		row, col, _ := strings.Cut(v, "=")
		return slices.Contains(a.Matrix[row], col)
	}
	return slices.Contains(a.Choices, v)
}

// answerStrings returns the strings a pattern is matched against.
func answerStrings(q *Question, a *Answer) []string {
	switch {
	case q.Type.Text():
		return []string{a.Text}
	case a.Number != nil:
		return []string{formatNumber(*a.Number)}
	case q.Type == QuestionDate:
		return []string{a.Date}
	case q.Type.Matrix():
		var out []string
		for _, row := range sortedKeys(a.Matrix) {
			for _, col := range a.Matrix[row] {
				out = append(out, row+"="+col)
			}
		}
		return out
	}
	return a.Choices
}

// matchPattern reports whether s matches the regular expression p; a
// pattern that does not compile matches nothing.
func matchPattern(p, s string) bool {
	re, err := regexp.Compile(p)
	return err == nil && re.MatchString(s)
}
