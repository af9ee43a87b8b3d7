package ballotbox_test

import (
	"github.com/civickit/civickit"
	"testing"
	"time"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestElectionValidate(t *testing.T) {
	reg := voting.NewRegistry()
	valid := func() *ballotbox.Election {
		return &ballotbox.Election{
			ID: uuid.New(), Title: "Budget", Opens: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC),
			Closes: time.Date(2026, 3, 15, 20, 0, 0, 0, time.UTC), Revote: ballotbox.RevoteLast,
			Visibility: ballotbox.VisibleAfterClose,
			Questions: []ballotbox.Question{
				{ID: "maire", Candidates: []string{"A", "B", "C"}, Method: "schulze"},
				{ID: "parc", Candidates: []string{"oui", "non"}, Method: "majority-judgment",
					Spec: voting.CardinalSpec{Kind: voting.Graded, Scale: voting.DefaultGrades()}},
			},
		}
	}
	require.NoError(t, valid().Validate(reg))
	for _, a := range []civickit.AssuranceLevel{civickit.AssuranceNone, civickit.AssuranceLow, civickit.AssuranceSubstantial, civickit.AssuranceHigh} {
		e := valid()
		e.Eligibility.Assurance = a
		require.NoError(t, e.Validate(reg), "assurance %q", a)
	}

	tests := []struct {
		name  string
		edit  func(e *ballotbox.Election)
		field string
		rule  string
	}{
		{"no title", func(e *ballotbox.Election) { e.Title = "" }, "title", "required"},
		{"closes before opens", func(e *ballotbox.Election) { e.Closes = e.Opens.Add(-time.Hour) }, "closes", "gtfield"},
		{"revote policy", func(e *ballotbox.Election) { e.Revote = "often" }, "revote", "oneof"},
		{"visibility", func(e *ballotbox.Election) { e.Visibility = "soon" }, "visibility", "oneof"},
		{"assurance", func(e *ballotbox.Election) { e.Eligibility.Assurance = "medium" }, "eligibility.assurance", "oneof"},
		{"assurance in capitals", func(e *ballotbox.Election) { e.Eligibility.Assurance = "High" }, "eligibility.assurance", "oneof"},
		{"no question", func(e *ballotbox.Election) { e.Questions = nil }, "questions", "required"},
		{"duplicate question", func(e *ballotbox.Election) { e.Questions[1].ID = "maire" }, "questions[1].id", "unique"},
		{"question id not UTF-8", func(e *ballotbox.Election) { e.Questions[0].ID = "m\xffaire" }, "questions[0].id", "utf8"},
		{"candidate not UTF-8", func(e *ballotbox.Election) { e.Questions[0].Candidates[1] = "\xc3" }, "questions[0].candidates[1]", "utf8"},
		{"duplicate candidate", func(e *ballotbox.Election) { e.Questions[0].Candidates[2] = "A" }, "questions[0].candidates[2]", "unique"},
		{"one candidate", func(e *ballotbox.Election) { e.Questions[0].Candidates = []string{"A"} }, "questions[0].candidates", "min"},
		{"unknown method", func(e *ballotbox.Election) { e.Questions[0].Method = "dictator" }, "questions[0].method", "unknown_method"},
		{"cardinal spec", func(e *ballotbox.Election) { e.Questions[1].Spec.Scale = nil }, "questions[1].spec", "invalid"},
		{"wrong cardinal kind", func(e *ballotbox.Election) { e.Questions[1].Spec = voting.CardinalSpec{Kind: voting.Approval} }, "questions[1].spec.kind", "oneof"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := valid()
			tt.edit(e)
			err := e.Validate(reg)
			require.ErrorIs(t, err, ballotbox.ErrInvalid)
			require.ErrorIs(t, err, civickit.ErrInvalid)
			var ve *civickit.ValidationError
			require.ErrorAs(t, err, &ve)
			var rules []string
			for _, f := range ve.Fields {
				if f.Path == tt.field {
					rules = append(rules, f.Rule)
				}
			}
			assert.Contains(t, rules, tt.rule, "fields: %v", ve.Fields)
		})
	}
}

// An early close ends the window; the published Closes stays.
func TestElectionEnd(t *testing.T) {
	opens := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	closes := time.Date(2026, 3, 15, 20, 0, 0, 0, time.UTC)
	e := &ballotbox.Election{Opens: opens, Closes: closes}
	assert.Equal(t, closes, e.End())
	assert.True(t, e.Open(closes.Add(-time.Nanosecond)))
	assert.True(t, e.Closed(closes))
	early := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	e.ClosedAt = &early
	assert.Equal(t, early, e.End())
	assert.True(t, e.Open(early.Add(-time.Nanosecond)))
	assert.False(t, e.Open(early))
	assert.True(t, e.Closed(early))
	late := closes.Add(time.Hour) // a later ClosedAt never extends the window
	e.ClosedAt = &late
	assert.Equal(t, closes, e.End())
	before := opens.Add(-time.Hour) // closed before it opened: never open
	e.ClosedAt = &before
	assert.False(t, e.Open(opens))
	assert.True(t, e.Closed(opens))
}
