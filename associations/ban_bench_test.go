package associations_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/civickit/civickit/associations"
)

// banGrid places address i of n: 1,000 communes of 100 streets of
// numbered addresses, in that order, as the BAN's files are sorted.
func banGrid(i, n int) (commune, street, number int) {
	perStreet := max(1, n/100000)
	perCommune := perStreet * 100
	return (i / perCommune) % 1000, (i % perCommune) / perStreet, i%perStreet + 1
}

// writeBAN writes n generated addresses in the BAN layout (banGrid).
func writeBAN(b *testing.B, n int) string {
	path := filepath.Join(b.TempDir(), "adresses.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;source_position;source_nom_voie;certification_commune;cad_parcelles")
	for i := range n {
		commune, street, number := banGrid(i, n)
		fmt.Fprintf(w, "%05d_%04d_%05d;;%d;;Rue Numéro %d;%05d;%05d;Commune %d;;;;;%.6f;%.6f;entrée;;;;;commune;commune;1;\n",
			10000+commune, street, number, number, street, 10000+commune, 10000+commune, commune,
			-4.5+float64(commune%100)*0.12+float64(number)*1e-4, 42.5+float64(commune/100)*0.8+float64(street)*1e-3)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkBAN loads CIVICKIT_BENCH_BAN_LINES generated addresses
// (default 1,000,000) into a BANIndex, reporting addresses/s and the heap
// the index keeps, then geocodes addresses from it.
//
//	go test -run '^$' -bench 'BANLoad' -benchtime 1x ./associations/
//	go test -run '^$' -bench 'BANGeocode' -benchtime 1000000x ./associations/
func BenchmarkBANLoad(b *testing.B) {
	n := banLines()
	path := writeBAN(b, n)
	b.ResetTimer()
	{
		for b.Loop() {
			b.StopTimer()
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			b.StartTimer()
			x := associations.NewBANIndex()
			rep, err := x.Load(context.Background(), f)
			f.Close()
			if err != nil || rep.Addresses != n {
				b.Fatalf("%+v %v", rep, err)
			}
			b.StopTimer()
			runtime.GC()
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "index-heap-MB")
			runtime.KeepAlive(x)
			b.StartTimer()
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "addresses/s")
	}
}

func banLines() int {
	if v, err := strconv.Atoi(os.Getenv("CIVICKIT_BENCH_BAN_LINES")); err == nil && v > 0 {
		return v
	}
	return 1000000
}

// BenchmarkBANGeocode geocodes addresses of the generated file (loaded
// untimed): one lookup per operation.
func BenchmarkBANGeocode(b *testing.B) {
	n := banLines()
	f, err := os.Open(writeBAN(b, n))
	if err != nil {
		b.Fatal(err)
	}
	x := associations.NewBANIndex()
	if _, err := x.Load(context.Background(), f); err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.ResetTimer()
	{
		ctx := context.Background()
		i, found := 0, 0
		for b.Loop() {
			commune, street, number := banGrid(i%n, n)
			g, err := x.Geocode(ctx, associations.Address{Line1: fmt.Sprintf("%d RUE NUMERO %d", number, street), CommuneCode: fmt.Sprintf("%05d", 10000+commune)})
			if err == nil && g.Precision == associations.PrecisionHouseNumber {
				found++
			}
			i += 7919
		}
		b.ReportMetric(float64(found)/float64(b.N), "housenumber-hits/op")
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "addresses/s")
	}
}
