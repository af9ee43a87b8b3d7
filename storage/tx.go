package storage

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/uptrace/bun"
)

// RunInTx runs fn in a transaction and commits it. When the engine reports
// a serialization failure, a deadlock or a busy database — at any
// statement or at commit — the whole transaction is rolled back and run
// again, at most the configured number of attempts, with a short jittered
// backoff. fn must therefore be safe to run more than once: it should only
// touch the database through tx. Other errors roll back and return at once.
func (db *DB) RunInTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = db.bun.RunInTx(ctx, db.txOptions(), fn)
		if err == nil || classify(err) != classRetry {
			return err
		}
		if attempt >= db.maxAttempts {
			return fmt.Errorf("%w after %d attempts: %w", ErrRetriesExhausted, attempt, err)
		}
		// Backoff grows with the attempt; jitter keeps colliding writers
		// from retrying in lockstep.
		d := time.Duration(attempt*attempt) * time.Millisecond
		d += rand.N(d + time.Millisecond)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(d):
		}
	}
}

// txOptions asks MariaDB/MySQL for READ COMMITTED, PostgreSQL's default:
// under InnoDB's REPEATABLE READ a transaction keeps its first snapshot
// and takes gap locks, which turns concurrent inserts into deadlocks.
func (db *DB) txOptions() *sql.TxOptions {
	if db.engine == MySQL {
		return &sql.TxOptions{Isolation: sql.LevelReadCommitted}
	}
	return &sql.TxOptions{}
}
