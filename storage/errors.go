package storage

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/civickit/civickit"
	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// class is what a driver error means to a store, decided by the error's
// code or type and never by its message text.
type class int

const (
	classOther      class = iota
	classUnique           // a unique or primary key is taken
	classForeignKey       // a referenced row is missing (or still referenced)
	classRetry            // serialization failure, deadlock, busy or locked: try again
)

// classify reads the engine's error code.
func classify(err error) class {
	if err == nil {
		return classOther
	}
	var oe *opError
	if errors.As(err, &oe) {
		return classify(oe.cause) // mapped already: the driver error is out of the chain
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505": // unique_violation
			return classUnique
		case "23503": // foreign_key_violation
			return classForeignKey
		case "40001", "40P01": // serialization_failure, deadlock_detected
			return classRetry
		case "53300", "57P03": // too_many_connections, cannot_connect_now: the server is full or starting
			return classRetry
		}
		return classOther
	}
	var myErr *mysql.MySQLError
	if errors.As(err, &myErr) {
		switch myErr.Number {
		case 1062, 1586: // ER_DUP_ENTRY, ER_DUP_ENTRY_WITH_KEY_NAME
			return classUnique
		case 1451, 1452, 1216, 1217: // row referenced / no referenced row
			return classForeignKey
		case 1213, 1205: // ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT
			return classRetry
		case 1040: // ER_CON_COUNT_ERROR: too many connections
			return classRetry
		}
		return classOther
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		code := liteErr.Code()
		switch code {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return classUnique
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return classForeignKey
		}
		switch code & 0xff { // primary result code
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return classRetry
		}
	}
	return classOther
}

// ErrRetriesExhausted wraps the last error of a transaction that kept
// hitting serialization failures or a busy database. It matches
// civickit.ErrUnavailable.
var ErrRetriesExhausted = civickit.Sentinel(civickit.ErrUnavailable, "storage: transaction retries exhausted")

// mapErr is the stores' one error mapper: it turns a driver or bun error
// into the kernel's kinds, by error code (see classify), with the
// operation for context. No row and a missing referenced row become
// civickit.ErrNotFound, a taken key civickit.ErrConflict, a busy or
// deadlocked database (retries exhausted) civickit.ErrUnavailable. The
// driver's error stays in the message, for logs, but out of the chain
// that errors.Is and errors.As walk: a caller (an HTTP layer) sees the
// kind, never the database's wording. Other errors, which may already
// carry a kind (a stale version, a cancelled context), are only given
// the operation.
func mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &opError{op: op, kind: civickit.ErrNotFound}
	}
	if errors.Is(err, ErrRetriesExhausted) {
		return &opError{op: op, kind: ErrRetriesExhausted, cause: err}
	}
	switch classify(err) {
	case classUnique:
		return &opError{op: op, kind: civickit.ErrConflict, cause: err}
	case classForeignKey:
		return &opError{op: op, kind: civickit.ErrNotFound, cause: err}
	case classRetry:
		return &opError{op: op, kind: civickit.ErrUnavailable, cause: err}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// opError is a store operation's failure of a known kind.
type opError struct {
	op    string
	kind  error // a civickit kind, or a sentinel refining one
	cause error // the driver's error: in the message only
	// sentinel is the domain's own sentinel of the kind while the domain
	// declares distinct values (see withSentinels).
	sentinel error
}

func (e *opError) Error() string {
	s := e.op + ": " + e.kind.Error()
	if e.sentinel != nil {
		s = e.op + ": " + e.sentinel.Error()
	}
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	return s
}

func (e *opError) Unwrap() []error {
	if e.sentinel != nil {
		return []error{e.kind, e.sentinel}
	}
	return []error{e.kind}
}

// sentinels maps the kinds a store error may have to a domain's own
// sentinels of those kinds.
type sentinels map[*civickit.Kind]error

// withSentinels makes a mapped error match the domain's sentinel of its
// kind too. It is a bridge for domains whose ErrNotFound, ErrConflict
// and ErrUnavailable are not yet aliases of the kernel's kinds; once they
// are, it changes nothing and mapErr alone does.
func withSentinels(err error, s sentinels) error {
	var oe *opError
	if !errors.As(err, &oe) {
		return err
	}
	k := civickit.KindOf(oe.kind)
	if domain := s[k]; domain != nil && domain != error(k) {
		oe.sentinel = domain
	}
	return err
}
