package storage_test

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/associations/associationstest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// BenchmarkNearConcurrent runs "near me" through the Service (first page
// of 50) from 32 concurrent clients at random points of metropolitan
// France over benchN() associations, for radii from 1 km to the 100 km
// maximum, and reports the p50 and p99 latency of one query.
//
//	CIVICKIT_BENCH_N=100000 go test -run '^$' -bench NearConcurrent -benchtime 3200x ./storage/
func BenchmarkNearConcurrent(b *testing.B) {
	const clients = 32
	forEachEngineB(b, func(b *testing.B, e storage.Engine) {
		st := storage.NewAssociationStore(storagetest.Open(b, e))
		svc, err := associations.NewService(st, associations.Options{})
		if err != nil {
			b.Fatal(err)
		}
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
		for _, km := range []int{1, 10, 50, 100} {
			b.Run(strconv.Itoa(km)+"km", func(b *testing.B) {
				centers := make([]associations.Point, b.N)
				for i := range centers {
					var a associations.Association
					inFrance(rng, &a)
					centers[i] = *a.Address.Location
				}
				lat := make([]time.Duration, b.N)
				var next int
				var mu sync.Mutex
				var wg sync.WaitGroup
				b.ResetTimer()
				for range clients {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							mu.Lock()
							i := next
							next++
							mu.Unlock()
							if i >= b.N {
								return
							}
							t0 := time.Now()
							_, err := svc.Near(ctx, associations.NearQuery{Center: centers[i], RadiusMeters: float64(km) * 1000, Limit: 50})
							lat[i] = time.Since(t0)
							if err != nil {
								b.Error(err)
								return
							}
						}
					}()
				}
				wg.Wait()
				b.StopTimer()
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
			})
		}
	})
}
