package storage_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/debate"
	"github.com/civickit/civickit/participation/debate/debatetest"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// Debate benchmarks, on every engine of the matrix:
//
//	go test -run '^$' -bench Debate -benchmem ./storage/
//
// CIVICKIT_BENCH_COMMENTS (default 3000) sizes the thread listed;
// CIVICKIT_BENCH_VOTERS (default 2000) the participants of the opinion
// matrix, each voting on about half of 100 statements.

func debateBenchEnv(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// debateBenchService opens engine e and returns a debate Service (and
// the consultation Service beside it) in the debate phase of a fresh
// consultation, with its database.
func debateBenchService(b *testing.B, e storage.Engine) (*participation.Service, *debate.Service, *storage.DB, *participation.Consultation) {
	b.Helper()
	ctx := context.Background()
	db := storagetest.Open(b, e)
	now := participationtest.BaseTime.Add(8 * 24 * time.Hour)
	clock := func() time.Time { return now }
	core, err := participation.NewService(storage.NewParticipationStore(db), participation.Options{Now: clock})
	if err != nil {
		b.Fatal(err)
	}
	svc, err := debate.NewService(storage.NewDebateStore(db), core, debate.Options{Now: clock})
	if err != nil {
		b.Fatal(err)
	}
	in := *participationtest.NewConsultation(participationtest.NewRand(1), 0)
	in.Settings.Eligibility = participation.Eligibility{}
	c, err := core.CreateConsultation(ctx, in)
	if err != nil {
		b.Fatal(err)
	}
	c, err = core.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseDebate, Actor: "organiser"})
	if err != nil {
		b.Fatal(err)
	}
	return core, svc, db, c
}

// debateInsertRows inserts rows of len(cols) values into table, 500 per
// statement.
func debateInsertRows(ctx context.Context, db *storage.DB, table string, cols []string, rows [][]any) error {
	for len(rows) > 0 {
		n := min(len(rows), 500)
		var q strings.Builder
		fmt.Fprintf(&q, "INSERT INTO %s (%s) VALUES ", db.TableName(table), strings.Join(cols, ", "))
		args := make([]any, 0, n*len(cols))
		for i, r := range rows[:n] {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")")
			args = append(args, r...)
		}
		if _, err := db.Bun().ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// debateAnalyze gathers the planner statistics of a freshly loaded table,
// as a live database would have them (autovacuum, persistent InnoDB
// statistics); without them PostgreSQL sorts a whole consultation for
// every page.
func debateAnalyze(b *testing.B, db *storage.DB, table string) {
	b.Helper()
	var q string
	switch db.Engine() {
	case storage.Postgres:
		q = "ANALYZE " + db.TableName(table)
	case storage.MySQL:
		q = "ANALYZE TABLE " + db.TableName(table)
	default:
		return
	}
	if _, err := db.Bun().ExecContext(context.Background(), q); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkDebateListComments lists a whole thread (a third of the
// comments at each depth 1-3) in pages of 100, as a portal renders it.
func BenchmarkDebateListComments(b *testing.B) {
	n := debateBenchEnv("CIVICKIT_BENCH_COMMENTS", 3000)
	forEachEngineB(b, func(b *testing.B, e storage.Engine) {
		ctx := context.Background()
		core, svc, db, c := debateBenchService(b, e)
		st := storage.NewDebateStore(db)
		rng := participationtest.NewRand(2)
		author, err := core.RegisterParticipant(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		var levels [3][]*debate.Comment
		for i := range n {
			d := i % 3
			var parent *debate.Comment
			if d > 0 {
				parent = levels[d-1][rng.IntN(len(levels[d-1]))]
			}
			cm := debatetest.NewComment(rng, c.ID, author.ID, parent, i)
			if _, err := st.CreateComment(ctx, cm); err != nil {
				b.Fatal(err)
			}
			levels[d] = append(levels[d], cm)
		}
		debateAnalyze(b, db, "debate_comments")
		b.ResetTimer()
		for range b.N {
			got := 0
			after := ""
			for {
				page, err := svc.ListComments(ctx, c.ID, false, after, 100)
				if err != nil {
					b.Fatal(err)
				}
				got += len(page.Items)
				if page.Next == "" {
					break
				}
				after = page.Next
			}
			if got != n {
				b.Fatalf("listed %d comments of %d", got, n)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "comments/s")
	})
}

// BenchmarkDebateOpinionMatrix exports the participant × statement matrix
// as CSV: voters × 100 statements, each vote present with probability
// 1/2. It reports votes read per second, rows written per second and the
// peak Go heap during the export.
func BenchmarkDebateOpinionMatrix(b *testing.B) {
	voters := debateBenchEnv("CIVICKIT_BENCH_VOTERS", 2000)
	const statements = 100
	forEachEngineB(b, func(b *testing.B, e storage.Engine) {
		ctx := context.Background()
		_, svc, db, c := debateBenchService(b, e)
		rng := participationtest.NewRand(3)
		var sts []uuid.UUID
		for i := range statements {
			st, err := svc.SeedStatement(ctx, c.ID, "organiser", fmt.Sprintf("Proposition %d", i))
			if err != nil {
				b.Fatal(err)
			}
			sts = append(sts, st.ID)
		}
		var people, votes [][]any
		at := participationtest.BaseTime.UnixMicro()
		for range voters {
			id := participationtest.NewID(rng)
			voter := participationtest.NewID(rng)
			people = append(people, []any{id, at})
			for _, s := range sts {
				if rng.IntN(2) == 0 {
					votes = append(votes, []any{s, id, c.ID, fmt.Sprintf("%x", voter[:]), rng.IntN(3) - 1, "web", at})
				}
			}
		}
		if err := debateInsertRows(ctx, db, "participants", []string{"id", "created_at"}, people); err != nil {
			b.Fatal(err)
		}
		if err := debateInsertRows(ctx, db, "debate_statement_votes",
			[]string{"statement_id", "participant_id", "consultation_id", "voter", "value", "channel", "voted_at"}, votes); err != nil {
			b.Fatal(err)
		}
		debateAnalyze(b, db, "debate_statement_votes")
		nVotes := len(votes)
		people, votes = nil, nil
		runtime.GC()
		var peak uint64
		b.ResetTimer()
		stop := sampleHeap(&peak)
		for range b.N {
			rows := 0
			err := svc.OpinionMatrix(ctx, c.ID, debate.MatrixOptions{}, func(row []string) error {
				rows++
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			if rows != voters+1 {
				b.Fatalf("%d rows for %d voters", rows-1, voters)
			}
		}
		stop()
		b.ReportMetric(float64(nVotes)*float64(b.N)/b.Elapsed().Seconds(), "votes/s")
		b.ReportMetric(float64(voters)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	})
}
