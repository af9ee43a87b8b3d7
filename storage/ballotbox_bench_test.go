package storage_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/civickit/civickit/voting/ballotbox/ballotboxtest"
)

// BenchmarkCast measures accepted casts per second through the Service on
// each engine, with 1, 16 and 64 voters casting at the same time. Each
// operation is a new voter's full ballot (three questions) with an
// idempotency key, queued (the default anonymity set: register mark,
// sealed request and ballot, concurrent casts sharing transactions) and
// appended in shuffled batches by the sequencer. The test databases run
// PostgreSQL with synchronous_commit off: for durable figures next to
// pgbench, see bench/ballotbox.
//
//	go test -run '^$' -bench BenchmarkCast -benchtime 2000x ./storage/
func BenchmarkCast(b *testing.B) {
	forEachEngineB(b, func(b *testing.B, e storage.Engine) {
		for _, voters := range []int{1, 16, 64} {
			b.Run(fmt.Sprintf("voters=%d", voters), func(b *testing.B) {
				st := storage.NewBallotBoxStore(storagetest.Open(b, e))
				clock := ballotboxtest.NewClock(ballotboxtest.During)
				svc, err := ballotbox.NewService(st, ballotbox.Options{Now: clock.Now, Secret: ballotboxtest.Secret})
				if err != nil {
					b.Fatal(err)
				}
				el := ballotboxtest.NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive)
				if err := svc.CreateElection(b.Context(), el); err != nil {
					b.Fatal(err)
				}
				var next atomic.Int64
				var failed atomic.Pointer[error]
				b.ReportAllocs()
				b.ResetTimer()
				var wg sync.WaitGroup
				for range voters {
					wg.Go(func() {
						for {
							i := int(next.Add(1)) - 1
							if i >= b.N {
								return
							}
							_, err := svc.Cast(b.Context(), ballotbox.Cast{ElectionID: el.ID, Voter: ballotboxtest.Voter(i),
								Ballot: ballotboxtest.Full(i), IdempotencyKey: "bench"})
							if err != nil {
								failed.CompareAndSwap(nil, &err)
								return
							}
						}
					})
				}
				wg.Wait()
				b.StopTimer()
				if err := failed.Load(); err != nil {
					b.Fatal(*err)
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "casts/s")
			})
		}
	})
}
