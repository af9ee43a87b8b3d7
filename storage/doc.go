// Package storage is the only package that imports bun and the database
// drivers. It opens SQLite (the embedded default, pure Go), PostgreSQL or
// MariaDB/MySQL, applies the embedded versioned migrations, translates
// driver errors into the domain packages' sentinel errors by code, and
// implements each domain package's Store interface:
//
//	var _ associations.Store = (*AssociationStore)(nil)
//
// Domain packages never import storage; a program wires them together:
//
//	db, err := storage.Open(ctx, storage.Config{DSN: "sqlite:civickit.db"})
//	...
//	svc, err := associations.NewService(storage.NewAssociationStore(db), associations.Options{})
package storage
