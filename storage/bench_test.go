package storage_test

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"testing"
	"time"

	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/associations/associationstest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// Benchmarks run on every engine of the matrix (PostgreSQL and MariaDB when
// their DSNs are set). The registry size for the search benchmarks is
// CIVICKIT_BENCH_N (default 100000):
//
//	go test -run '^$' -bench . -benchmem -benchtime 100000x ./storage/   # 100k inserts
//	go test -run '^$' -bench Near -benchmem ./storage/

func benchN() int {
	if n, err := strconv.Atoi(os.Getenv("CIVICKIT_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 100000
}

func forEachEngineB(b *testing.B, fn func(b *testing.B, e storage.Engine)) {
	for _, e := range storagetest.Engines() {
		b.Run(string(e), func(b *testing.B) { fn(b, e) })
	}
}

// inFrance moves a's location to a uniform point of metropolitan France, so
// that search density resembles a national registry.
func inFrance(rng *rand.Rand, a *associations.Association) {
	a.Address.Location = &associations.Point{Lat: 42.5 + rng.Float64()*8.5, Lon: -4.5 + rng.Float64()*12.5}
}

// BenchmarkCreateAssociation inserts one association per operation, each
// in its own transaction, as a portal's form would.
func BenchmarkCreateAssociation(b *testing.B) {
	forEachEngineB(b, func(b *testing.B, e storage.Engine) {
		st := storage.NewAssociationStore(storagetest.Open(b, e))
		rng := associationstest.NewRand(1)
		as := make([]associations.Association, b.N)
		for i := range as {
			as[i] = associationstest.NewAssociation(rng, i)
		}
		ctx := context.Background()
		b.ResetTimer()
		for i := range as {
			if err := st.CreateAssociation(ctx, &as[i]); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}

// BenchmarkUpsertBatch inserts associations 500 per transaction, as the
// RNA import does.
func BenchmarkUpsertBatch(b *testing.B) {
	forEachEngineB(b, func(b *testing.B, e storage.Engine) {
		st := storage.NewAssociationStore(storagetest.Open(b, e))
		rng := associationstest.NewRand(2)
		as := make([]associations.Association, b.N)
		for i := range as {
			as[i] = associationstest.NewAssociation(rng, i)
		}
		ctx := context.Background()
		b.ResetTimer()
		if err := upsertAll(ctx, st, as); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}

func upsertAll(ctx context.Context, st *storage.AssociationStore, as []associations.Association) error {
	const batch = 500
	ptrs := make([]*associations.Association, 0, batch)
	for i := range as {
		ptrs = append(ptrs, &as[i])
		if len(ptrs) == batch || i == len(as)-1 {
			if _, err := st.UpsertAssociationsByRNA(ctx, ptrs); err != nil {
				return err
			}
			ptrs = ptrs[:0]
		}
	}
	return nil
}

// BenchmarkNear runs "near me" queries (first page of 50) at random points
// of metropolitan France over a registry of benchN() associations.
func BenchmarkNear(b *testing.B) {
	forEachEngineB(b, func(b *testing.B, e storage.Engine) {
		st := storage.NewAssociationStore(storagetest.Open(b, e))
		rng := associationstest.NewRand(3)
		as := make([]associations.Association, benchN())
		for i := range as {
			as[i] = associationstest.NewAssociation(rng, i)
			inFrance(rng, &as[i])
		}
		ctx := context.Background()
		if err := upsertAll(ctx, st, as); err != nil {
			b.Fatal(err)
		}
		for _, radius := range []float64{2000, 10000, 50000} {
			b.Run(strconv.Itoa(int(radius/1000))+"km", func(b *testing.B) {
				hits := 0
				for b.Loop() {
					p := associations.NearParams{RadiusMeters: radius}
					inFrance(rng, &as[0])
					p.Center = *as[0].Address.Location
					got, err := st.NearAssociations(ctx, p, "", 50)
					if err != nil {
						b.Fatal(err)
					}
					hits += len(got.Items)
				}
				b.ReportMetric(float64(hits)/float64(b.N), "hits/op")
			})
		}
		b.Run("text", func(b *testing.B) {
			for b.Loop() {
				_, err := st.SearchAssociations(ctx, associations.Filter{Text: "jardin"}, "", 50)
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// BenchmarkImportRNA imports a generated RNA file (waldec layout, one line
// in 50 bad) from disk through the service, as a city would the national
// file. Lines: CIVICKIT_BENCH_RNA_LINES (default 1,000,000). It reports
// rows/s and the peak Go heap seen during the import, sampled every 5 ms.
//
//	go test -run '^$' -bench ImportRNA -benchtime 1x -benchmem ./storage/
func BenchmarkImportRNA(b *testing.B) {
	lines := 1000000
	if n, err := strconv.Atoi(os.Getenv("CIVICKIT_BENCH_RNA_LINES")); err == nil && n > 0 {
		lines = n
	}
	path := filepath.Join(b.TempDir(), "rna.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := associationstest.WriteSyntheticRNA(f, lines, associations.RNAWaldec, 1); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	forEachEngineB(b, func(b *testing.B, e storage.Engine) {
		var peak uint64
		for b.Loop() {
			b.StopTimer()
			svc, err := associations.NewService(storage.NewAssociationStore(storagetest.Open(b, e)), associations.Options{})
			if err != nil {
				b.Fatal(err)
			}
			in, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			stop := sampleHeap(&peak)
			b.StartTimer()
			rep, err := svc.ImportRNA(context.Background(), in, associations.ImportOptions{})
			b.StopTimer()
			stop()
			in.Close()
			if err != nil {
				b.Fatal(err)
			}
			if rep.Created+rep.Rejected+rep.Superseded != lines {
				b.Fatalf("report %+v does not account for %d lines", rep, lines)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(lines*b.N)/b.Elapsed().Seconds(), "rows/s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	})
}

// sampleHeap records the largest live heap until the returned stop is called.
func sampleHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > *peak {
				*peak = v
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}
