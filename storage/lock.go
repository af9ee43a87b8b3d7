package storage

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// migrationLockKey is PostgreSQL's advisory lock key for migrations
// (advisory keys are scoped to the current database): "civickit" in
// ASCII, far from small integers an application would pick.
const migrationLockKey int64 = 0x636976696b6974

// lockMigrations takes the engine's migration lock on conn, which must
// serve every statement of the migration, and returns its release. The
// release gets whether the work under the lock succeeded: on SQLite, whose
// lock is a transaction, it commits that work or rolls it back. A lock that cannot be released is dropped with its
// connection, so that no pooled session keeps it.
func (db *DB) lockMigrations(ctx context.Context, conn bun.Conn) (release func(ok bool) error, err error) {
	// Releasing must happen even when ctx was cancelled meanwhile.
	bg := func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	}
	switch db.engine {
	case Postgres:
		// Session level: held across the migrations' own transactions,
		// waited for as long as ctx allows.
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", migrationLockKey); err != nil {
			return nil, fmt.Errorf("storage: take the migration lock: %w", err)
		}
		return func(bool) error {
			ctx, cancel := bg()
			defer cancel()
			var released bool
			if err := conn.QueryRowContext(ctx, "SELECT pg_advisory_unlock(?)", migrationLockKey).Scan(&released); err != nil || !released {
				discard(conn)
				return fmt.Errorf("storage: release the migration lock (released %v): %w", released, err)
			}
			return nil
		}, nil

	case MySQL:
		// GET_LOCK names are server-wide: the name carries the database's.
		// It waits in rounds of a few seconds so that ctx is heeded.
		const name = "CONCAT('civickit_migrate:', SHA1(DATABASE()))"
		for {
			var got *int
			if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK("+name+", 5)").Scan(&got); err != nil {
				return nil, fmt.Errorf("storage: take the migration lock: %w", err)
			}
			if got == nil {
				return nil, errors.New("storage: take the migration lock: GET_LOCK failed")
			}
			if *got == 1 {
				break
			}
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("storage: take the migration lock: %w", err)
			}
		}
		return func(bool) error {
			ctx, cancel := bg()
			defer cancel()
			var released *int
			if err := conn.QueryRowContext(ctx, "SELECT RELEASE_LOCK("+name+")").Scan(&released); err != nil || released == nil || *released != 1 {
				discard(conn)
				return fmt.Errorf("storage: release the migration lock: %v", err)
			}
			return nil
		}, nil
	}

	// SQLite: the write lock, taken at BEGIN IMMEDIATE and held by the
	// transaction in which every migration then runs. The busy timeout of
	// this connection is set for the wait (a caller's pool may have none)
	// and put back after; SQLITE_BUSY past it is retried until ctx ends.
	var busy int64
	if err := conn.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
		return nil, fmt.Errorf("storage: sqlite busy timeout: %w", err)
	}
	restore := func() {
		ctx, cancel := bg()
		defer cancel()
		_, _ = conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", busy))
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", db.busyTimeout.Milliseconds())); err != nil {
		return nil, fmt.Errorf("storage: sqlite busy timeout: %w", err)
	}
	for {
		_, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE")
		if err == nil {
			break
		}
		if classify(err) != classRetry {
			restore()
			return nil, fmt.Errorf("storage: take the migration lock: %w", err)
		}
		select {
		case <-ctx.Done():
			restore()
			return nil, fmt.Errorf("storage: take the migration lock: %w (%w)", ctx.Err(), err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	return func(ok bool) error {
		defer restore()
		ctx, cancel := bg()
		defer cancel()
		if !ok {
			_, err := conn.ExecContext(ctx, "ROLLBACK")
			return err
		}
		if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
			_, _ = conn.ExecContext(ctx, "ROLLBACK")
			return fmt.Errorf("storage: commit the migrations: %w", err)
		}
		return nil
	}, nil
}

// discard closes conn's session instead of returning it to the pool.
func discard(conn bun.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
}
