package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/civickit/civickit"
)

var errBodyTooLarge = civickit.Sentinel(civickit.ErrTooLarge, "httpapi: request body over 1 MiB")

// decodeBody is a stand-in for the request discipline's decoder (issue 17,
// part a), with the same name and signature; the merge keeps only one.
// It reads one JSON value of at most 1 MiB into v, refusing unknown
// fields.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return civickit.Invalid("content_type", "oneof", "application/json")
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
		if dec.More() {
			return civickit.Invalid("body", "single_value", "")
		}
		return nil
	case errors.As(err, &tooBig):
		return errBodyTooLarge
	case errors.Is(err, io.EOF):
		return civickit.Invalid("body", "required", "")
	case errors.As(err, &typeErr):
		return civickit.Invalid(typeErr.Field, "type", typeErr.Type.String())
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return civickit.Invalid(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), "unknown", "")
	}
	return civickit.Invalid("body", "json", "")
}
