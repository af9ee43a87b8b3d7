// Package storage is the only package that imports bun and the database
// drivers. It opens SQLite (the embedded default, pure Go), PostgreSQL or
// MariaDB/MySQL, applies the embedded versioned migrations, maps driver
// errors to the kernel's error kinds (civickit.ErrNotFound, ErrConflict,
// ErrUnavailable) by error code, and implements each domain package's
// Store interface:
//
//	var _ associations.Store = (*AssociationStore)(nil)
//
// Domain packages never import storage; a program wires them together:
//
//	db, err := storage.Open(ctx, storage.Config{DSN: "sqlite:civickit.db"})
//	...
//	svc, err := associations.NewService(storage.NewAssociationStore(db), associations.Options{})
//
// # Embedding in an existing database
//
// Open makes a pool from a DSN; OpenDB takes the caller's *sql.DB and
// OpenBun the caller's *bun.DB (civickit keeps a bun handle of its own on
// that pool). A caller's pool keeps its settings and stays open when the
// DB is closed. The engine is told from the pool's driver (pgx,
// go-sql-driver/mysql, modernc.org/sqlite) or given in Config.Engine.
//
// Every table, index and constraint civickit creates starts with
// Config.TablePrefix ("civickit_" by default): civickit_associations,
// civickit_ballotbox_ballots… Two prefixes keep two independent schemas
// in one database. DB.TableName gives a table's name for raw SQL.
//
// Config.Domains lists the domains a program uses (DomainAssociations,
// DomainBallotBox, DomainParticipation, DomainOpenData, DomainServer;
// none means all):
// only their tables are created. Creating the store of a domain left out
// panics, naming the domain: a wiring mistake found at start-up rather
// than a missing table at the first request.
//
// # Migrations
//
// Migrations are plain SQL files embedded in the binary, under
// migrations/<domain>/<engine>/<YYYYMMDDHHMMSS>_<name>.sql, where every
// created name is written {{prefix}}name. Versions are timestamps, so that
// work on two branches does not pick the same number; the version table
// <prefix>migrations records each (domain, version) applied, and a
// migration missing from it is applied even if a later one was (a branch
// merged late). A database migrated by a newer program (a version of an
// enabled domain this one does not know) is refused.
//
// Open migrates unless Config.SkipMigrations; DB.Migrate does it on
// demand. Any number of processes may start at once: Migrate first takes
// a migration lock on a dedicated connection — pg_advisory_lock on
// PostgreSQL, GET_LOCK (named after the database) on MariaDB, the write
// lock (BEGIN IMMEDIATE, with the busy timeout) on SQLite — then reads
// what is applied and applies the rest; the others wait and find nothing
// to do. On PostgreSQL each migration commits with its version row; on
// SQLite the whole run is one transaction. MariaDB commits DDL statement
// by statement: its migrations record their progress after each
// statement and are written to be re-run (IF NOT EXISTS), so that one
// stopped halfway resumes and completes.
//
// A database of the layout before prefixes (unprefixed tables, versions
// 1 to 7 in civickit_schema_migrations) is carried over on the first
// Migrate: its tables, indexes and constraints are renamed with the
// prefix, the per-domain migrations recorded as applied and the old
// version table dropped — in one transaction on PostgreSQL and SQLite,
// step by step and resumably on MariaDB.
package storage
