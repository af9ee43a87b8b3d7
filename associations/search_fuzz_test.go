package associations

import (
	"errors"
	"testing"

	"github.com/google/uuid"
)

// FuzzDecodeCursor: a cursor comes from the query string, so any input must
// either decode or fail with ErrInvalid, never panic; decoded cursors
// re-encode to an equivalent cursor.
func FuzzDecodeCursor(f *testing.F) {
	f.Add(EncodeSearchCursor(SearchCursor{SortKey: "comite des fetes", ID: uuid.New()}))
	f.Add(EncodeNearCursor(NearCursor{Meters: 434.2, ID: uuid.New()}))
	f.Add("")
	f.Add("!!")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := DecodeSearchCursor(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("DecodeSearchCursor(%q): %v is not ErrInvalid", s, err)
			}
		} else if c != nil {
			again, err := DecodeSearchCursor(EncodeSearchCursor(*c))
			if err != nil || *again != *c {
				t.Fatalf("search cursor %+v does not round-trip: %+v, %v", *c, again, err)
			}
		}
		n, err := DecodeNearCursor(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("DecodeNearCursor(%q): %v is not ErrInvalid", s, err)
			}
		} else if n != nil {
			again, err := DecodeNearCursor(EncodeNearCursor(*n))
			if err != nil || *again != *n {
				t.Fatalf("near cursor %+v does not round-trip: %+v, %v", *n, again, err)
			}
		}
	})
}
