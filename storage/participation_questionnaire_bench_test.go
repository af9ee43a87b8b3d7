package storage_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/participation/questionnaire"
	"github.com/civickit/civickit/participation/questionnaire/questionnairetest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// Benchmarks of questionnaire responses, on every engine of the matrix:
//
//	go test -run '^$' -bench SubmitResponse -benchtime 2000x ./storage/
//	go test -run '^$' -bench ExportResponses -benchtime 1x -timeout 60m ./storage/
//
// The export benchmark stores CIVICKIT_BENCH_RESPONSES responses (default
// 1,000,000) to the participationtest questionnaire (13 questions of
// every type) before it measures.

// respBenchEnv is a service over a fresh database with a consultation
// open for responses and its questionnaire.
type respBenchEnv struct {
	db  *storage.DB
	st  *storage.QuestionnaireStore
	svc *questionnaire.Service
	q   *questionnaire.Questionnaire
}

func newRespBenchEnv(b *testing.B, e storage.Engine) *respBenchEnv {
	b.Helper()
	ctx := context.Background()
	db := storagetest.Open(b, e)
	st := storage.NewQuestionnaireStore(db)
	core, err := participation.NewService(storage.NewParticipationStore(db), participation.Options{})
	if err != nil {
		b.Fatal(err)
	}
	svc, err := questionnaire.NewService(st, core, questionnaire.Options{})
	if err != nil {
		b.Fatal(err)
	}
	in := *participationtest.NewConsultation(participationtest.NewRand(1), 0)
	in.Settings.Eligibility = participation.Eligibility{}
	c, err := core.CreateConsultation(ctx, in)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := core.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseExpression, Actor: "bench"}); err != nil {
		b.Fatal(err)
	}
	qin := *questionnairetest.NewQuestionnaire(participationtest.NewRand(2), c.ID, 0)
	q, err := svc.CreateQuestionnaire(ctx, qin)
	if err != nil {
		b.Fatal(err)
	}
	return &respBenchEnv{db: db, st: st, svc: svc, q: q}
}

// participants inserts n participants, 500 per statement, and returns
// their IDs.
func (env *respBenchEnv) participants(b *testing.B, n int) []uuid.UUID {
	b.Helper()
	ids := make([]uuid.UUID, n)
	for i := range ids {
		ids[i] = uuid.New()
	}
	var sb strings.Builder
	for i := 0; i < n; i += 500 {
		sb.Reset()
		sb.WriteString("INSERT INTO " + env.db.TableName("participants") + " (id, created_at) VALUES ")
		for j, id := range ids[i:min(i+500, n)] {
			if j > 0 {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, "('%s', %d)", id, time.Now().UnixMicro())
		}
		if _, err := env.db.Bun().ExecContext(context.Background(), sb.String()); err != nil {
			b.Fatal(err)
		}
	}
	return ids
}

// BenchmarkSubmitResponse submits one questionnaire response per
// operation through the Service (phase, channel, eligibility and answer
// checks, idempotency key, one-per-person record), from 1 and from 16
// concurrent writers.
func BenchmarkSubmitResponse(b *testing.B) {
	for _, e := range storagetest.Engines() {
		b.Run(string(e), func(b *testing.B) {
			for _, writers := range []int{1, 16} {
				b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
					env := newRespBenchEnv(b, e)
					people := env.participants(b, b.N)
					rng := participationtest.NewRand(3)
					reqs := make([]questionnaire.SubmitRequest, b.N)
					for i := range reqs {
						reqs[i] = questionnaire.SubmitRequest{
							QuestionnaireID: env.q.ID,
							Respondent:      participation.Respondent{ParticipantID: people[i], Recruitment: participation.RecruitOpenCall},
							Provenance:      civickit.Provenance{Channel: civickit.ChannelWeb},
							IdempotencyKey:  uuid.NewString(),
							Answers:         questionnairetest.NewAnswers(rng, env.q),
						}
					}
					ctx := context.Background()
					var next atomic.Int64
					var failed atomic.Value
					var wg sync.WaitGroup
					b.ResetTimer()
					for range writers {
						wg.Go(func() {
							for {
								i := int(next.Add(1)) - 1
								if i >= len(reqs) {
									return
								}
								if _, _, err := env.svc.Submit(ctx, reqs[i]); err != nil {
									failed.Store(err)
									return
								}
							}
						})
					}
					wg.Wait()
					b.StopTimer()
					if err, _ := failed.Load().(error); err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
				})
			}
		})
	}
}

func benchResponses() int {
	if n, err := strconv.Atoi(os.Getenv("CIVICKIT_BENCH_RESPONSES")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// countingWriter counts the bytes an export writes and drops them.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)

// BenchmarkExportResponses exports benchResponses() stored responses with
// every allowed column, as CSV and as NDJSON, and tallies them (Results).
// It reports rows/s and the peak live Go heap during the operation,
// sampled every 5 ms.
func BenchmarkExportResponses(b *testing.B) {
	n := benchResponses()
	for _, e := range storagetest.Engines() {
		b.Run(string(e), func(b *testing.B) {
			env := newRespBenchEnv(b, e)
			ctx := context.Background()
			start := time.Now()
			people := env.participants(b, n)
			rng := participationtest.NewRand(4)
			// 2000 distinct responses, reused with new IDs, respondents
			// and times: generating a million answer sets would cost more
			// than storing them.
			pool := make([]*questionnaire.Response, 2000)
			for i := range pool {
				pool[i] = questionnairetest.NewResponse(rng, env.q, uuid.Nil, 0)
			}
			const chunk = 5000
			subs := make([]questionnaire.Submission, 0, chunk)
			rs := make([]questionnaire.Response, chunk)
			for i := 0; i < n; i += chunk {
				subs = subs[:0]
				for j := i; j < min(i+chunk, n); j++ {
					r := &rs[j-i]
					*r = *pool[j%len(pool)]
					r.ID, r.Respondent.ParticipantID = uuid.New(), people[j]
					r.SubmittedAt = participationtest.BaseTime.Add(time.Duration(j%(30*86400)) * time.Second)
					subs = append(subs, questionnaire.Submission{ParticipantID: people[j], Response: r})
				}
				if err := env.st.ImportResponses(ctx, subs); err != nil {
					b.Fatal(err)
				}
			}
			b.Logf("%s: stored %d responses in %v", e, n, time.Since(start).Round(time.Second))
			for _, op := range []string{"csv", "ndjson", "results"} {
				b.Run(op, func(b *testing.B) {
					var peak uint64
					rows := 0
					for b.Loop() {
						b.StopTimer()
						runtime.GC()
						stop := samplePeakHeap(&peak)
						w := &countingWriter{}
						b.StartTimer()
						var err error
						switch op {
						case "results":
							var res *questionnaire.Results
							res, err = env.svc.Results(ctx, env.q.ID)
							if err == nil {
								rows += res.Responses.Total
							}
						default:
							var rep *questionnaire.ExportReport
							rep, err = env.svc.Export(ctx, w, env.q.ID, questionnaire.ExportOptions{Format: questionnaire.ExportFormat(op)})
							if err == nil {
								rows += rep.Rows + rep.Suppressed
							}
						}
						b.StopTimer()
						stop()
						if err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
					}
					if rows != n*b.N {
						b.Fatalf("%d rows for %d responses", rows, n*b.N)
					}
					b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
					b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
				})
			}
		})
	}
}

// samplePeakHeap records the largest live heap until stop is called.
func samplePeakHeap(peak *uint64) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
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
