package associations_test

import (
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// FuzzSearchCursor: a cursor comes from the query string, so any after
// given to Search or Near must either be read or be refused with a
// *civickit.ValidationError on "after", never panic or reach the store
// as something else.
func FuzzSearchCursor(f *testing.F) {
	f.Add(civickit.EncodeCursor(associations.SearchCursor{SortKey: "comite des fetes", ID: uuid.New()}))
	f.Add(civickit.EncodeCursor(associations.NearCursor{Meters: 434.2, ID: uuid.New()}))
	f.Add("")
	f.Add("!!")
	f.Add("bnVsbA") // "null"
	svc, err := associations.NewService(storage.NewAssociationStore(storagetest.Open(f, storage.SQLite)), associations.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check := func(what string, err error) {
			if err == nil {
				return
			}
			var ve *civickit.ValidationError
			if !errors.As(err, &ve) || !ve.Has("after", "cursor") {
				t.Fatalf("%s(after %q): %v is not a cursor error", what, s, err)
			}
		}
		_, err := svc.Search(t.Context(), associations.SearchQuery{After: s, Limit: 5})
		check("Search", err)
		_, err = svc.Near(t.Context(), associations.NearQuery{
			Center: associations.Point{Lat: 48.85, Lon: 2.35}, RadiusMeters: 1000, After: s, Limit: 5,
		})
		check("Near", err)
	})
}
