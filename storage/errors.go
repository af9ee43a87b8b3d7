package storage

import (
	"errors"

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
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505": // unique_violation
			return classUnique
		case "23503": // foreign_key_violation
			return classForeignKey
		case "40001", "40P01": // serialization_failure, deadlock_detected
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
// hitting serialization failures or a busy database.
var ErrRetriesExhausted = errors.New("storage: transaction retries exhausted")
