package civickit_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/civickit/civickit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidationErrorCollects(t *testing.T) {
	ve := &civickit.ValidationError{}
	require.NoError(t, ve.Err(), "no broken rule: no error")
	var nilVE *civickit.ValidationError
	require.NoError(t, nilVE.Err())

	ve.Add("title", "required", "")
	ve.Addf("max", "3", "phases[%d].ends", 1)
	err := ve.Err()
	require.Error(t, err)
	assert.ErrorIs(t, err, civickit.ErrInvalid)
	assert.Equal(t, "invalid input: title: required; phases[1].ends: max=3", err.Error())
	assert.True(t, ve.Has("phases[1].ends", "max"))
	assert.False(t, ve.Has("phases[1].ends", "required"))
	assert.Equal(t, ve.Fields, civickit.FieldErrors(fmt.Errorf("wrapped: %w", err)))
	assert.Nil(t, civickit.FieldErrors(errors.New("other")))
}

func TestValidationErrorMerge(t *testing.T) {
	tests := []struct {
		prefix, path, want string
	}{
		{"", "channel", "channel"},
		{"provenance", "channel", "provenance.channel"},
		{"answers", "[2].value", "answers[2].value"},
		{"settings", "", "settings"},
	}
	for _, tt := range tests {
		ve := &civickit.ValidationError{}
		ok := ve.Merge(tt.prefix, fmt.Errorf("inner: %w", civickit.Invalid(tt.path, "required", "")))
		require.True(t, ok)
		assert.Equal(t, []civickit.FieldError{{Path: tt.want, Rule: "required"}}, ve.Fields)
	}
	ve := &civickit.ValidationError{}
	assert.False(t, ve.Merge("x", errors.New("not a validation error")))
	assert.Empty(t, ve.Fields)
}

func TestValidationErrorJSON(t *testing.T) {
	ve := &civickit.ValidationError{}
	ve.Add("answers.budget", "max", "1000")
	ve.Add("title", "required", "")
	b, err := json.Marshal(ve)
	require.NoError(t, err)
	assert.JSONEq(t, `{"fields":[{"path":"answers.budget","rule":"max","param":"1000"},{"path":"title","rule":"required"}]}`, string(b))
}

type address struct {
	City string `json:"city" validate:"required"`
}

type embedded struct {
	Limit int `json:"limit" validate:"gte=0"`
}

type form struct {
	embedded
	Name    string           `json:"name" validate:"required,max=5"`
	Channel civickit.Channel `json:"channel" validate:"channel"`
	Code    string           `json:"code" validate:"omitempty,even_len"`
	Address address          `json:"address"`
	Skip    string           `json:"-" validate:"max=1"`
}

func TestCheckStructNamesJSONPaths(t *testing.T) {
	v := civickit.NewValidator(map[string]func(string) bool{
		"even_len": func(s string) bool { return len(s)%2 == 0 },
	})
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(v, "form", form{embedded: embedded{Limit: -1}, Name: "toolong", Channel: "fax", Code: "abc", Skip: "xx"}, ve)
	paths := map[string]string{}
	for _, f := range ve.Fields {
		paths[f.Path] = f.Rule
	}
	assert.Equal(t, map[string]string{
		"form.limit":        "gte", // embedded struct flattened, as JSON does
		"form.name":         "max",
		"form.channel":      "channel",
		"form.code":         "even_len",
		"form.address.city": "required",
		"form.Skip":         "max",
	}, paths)

	ok := &civickit.ValidationError{}
	civickit.CheckStruct(v, "", form{Name: "ok", Channel: civickit.ChannelPaper, Address: address{City: "Lyon"}}, ok)
	assert.Empty(t, ok.Fields)
}

func TestCheckIdempotencyKey(t *testing.T) {
	tests := []struct {
		key, rule string
	}{
		{"", ""},
		{"0190d7e4-8d7a-7cc2-9a5e-8a0c2f1d3b4e", ""},
		{strings.Repeat("k", civickit.MaxIdempotencyKeyLen), ""},
		{strings.Repeat("k", civickit.MaxIdempotencyKeyLen+1), "max"},
		{"two words", "printascii"},
		{"clé", "printascii"},
		{"tab\there", "printascii"},
	}
	for _, tt := range tests {
		ve := &civickit.ValidationError{}
		civickit.CheckIdempotencyKey("idempotency_key", tt.key, ve)
		if tt.rule == "" {
			assert.Empty(t, ve.Fields, "%q", tt.key)
			continue
		}
		assert.True(t, ve.Has("idempotency_key", tt.rule), "%q: %v", tt.key, ve.Fields)
	}
}
