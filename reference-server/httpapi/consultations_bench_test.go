package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/reference-server/httpapi"
	"github.com/civickit/civickit/storage"
)

// BenchmarkDebateOverHTTP measures, on SQLite through loopback HTTP, a
// participant posting a comment (phase check, eligibility, insert) and
// anyone reading the first page of 50 comments in thread order.
func BenchmarkDebateOverHTTP(b *testing.B) {
	s := newPartServer(b, storage.SQLite)
	s.user("alice")
	s.user("org", httpapi.Grant{Role: httpapi.RoleOrganiser})
	var c participation.Consultation
	s.must(http.StatusCreated, "org", "POST", "/api/v1/consultations", square("Bench"), &c)
	base := "/api/v1/consultations/" + c.ID.String()
	s.must(http.StatusOK, "org", "POST", base+"/transitions", map[string]any{"to": "debate"}, nil)
	b.Run("post_comment", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if st, raw := s.do("alice", "POST", base+"/comments", map[string]any{"body": fmt.Sprintf("commentaire %d", i)}, nil); st != http.StatusCreated {
				b.Fatalf("%d %s", st, raw)
			}
		}
	})
	b.Run("list_comments_50", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if st, raw := s.do("", "GET", base+"/comments?limit=50", nil, nil); st != http.StatusOK {
				b.Fatalf("%d %s", st, raw)
			}
		}
	})
}
