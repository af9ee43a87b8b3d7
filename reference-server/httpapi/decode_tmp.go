package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/civickit/civickit"
)

// decodeBody is 17c's stand-in for 17a's shared body decoder (same name
// and signature, see API17.md); the coordinator keeps 17a's at merge.
// It reads one JSON object of at most 1 MiB and refuses unknown fields.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooBig):
			return civickit.Sentinel(civickit.ErrTooLarge, "httpapi: body over 1 MiB")
		case errors.As(err, &typeErr):
			return civickit.Invalid(typeErr.Field, "type", typeErr.Type.String())
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return civickit.Invalid(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), "unknown_field", "")
		}
		return civickit.Invalid("body", "json", "")
	}
	return nil
}
