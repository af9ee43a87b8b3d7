package associations_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/civickit/civickit/associations"
)

// FuzzBANLoad feeds arbitrary files to the BAN reader and the lookups:
// no panic, and every address it reports indexed can be found again.
func FuzzBANLoad(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "ban", "adresses-extract.csv")); err == nil {
		f.Add(string(b))
	}
	f.Add("numero;nom_voie;code_postal;code_insee;nom_commune;lon;lat\n1;Rue;99100;99001;X;NaN;Inf\n")
	f.Fuzz(func(t *testing.T, file string) {
		x := associations.NewBANIndex()
		rep, err := x.Load(context.Background(), strings.NewReader(file))
		if err != nil {
			return
		}
		if rep.Addresses+rep.Rejected != rep.Lines {
			t.Fatalf("report %+v does not add up", rep)
		}
		for _, line := range strings.Split(file, "\n") {
			fields := strings.Split(line, ";")
			if len(fields) < 3 {
				continue
			}
			g, err := x.Geocode(context.Background(), associations.Address{Line1: fields[0] + " " + fields[1], PostalCode: fields[2], City: fields[len(fields)-1]})
			if err == nil && (g.Point.Lat < -90 || g.Point.Lat > 90 || g.Point.Lon < -180 || g.Point.Lon > 180 || g.Point.Lat != g.Point.Lat) {
				t.Fatalf("position out of range: %+v", g)
			}
		}
	})
}
