package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/reference-server/httpapi"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/google/uuid"
)

// benchAuth is the bench's Authenticator: "Authorization: Bench <uuid>"
// signs in the participant with that ID; "Bench organiser" is an
// organiser. It exists only in this program, on loopback: the reference
// server's own authenticators are issue 17a's.
type benchAuth struct{}

var errBenchAuth = civickit.Sentinel(civickit.ErrUnauthenticated, "httpload: bad bench credentials")

func (benchAuth) Authenticate(r *http.Request) (httpapi.Principal, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return httpapi.Principal{}, nil
	}
	who, ok := strings.CutPrefix(h, "Bench ")
	if !ok {
		return httpapi.Principal{}, errBenchAuth
	}
	if who == "organiser" {
		return httpapi.Principal{Subject: "bench-organiser", Participant: uuid.NewSHA1(uuid.Nil, []byte("organiser")),
			Grants: []httpapi.Grant{{Role: httpapi.RoleOrganiser}}}, nil
	}
	id, err := uuid.Parse(who)
	if err != nil {
		return httpapi.Principal{}, errBenchAuth
	}
	return httpapi.Principal{Subject: "bench-" + who, Participant: id}, nil
}

// serve runs one replica: the reference server's handler (package
// httpapi) over the ballot box on dsn, with the reference server's
// timeouts, until killed.
func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback)")
	dsn := fs.String("dsn", "", "database")
	secretFile := fs.String("secret-file", "", "the ballot box's secret")
	k := fs.Int("k", ballotbox.DefaultAnonymity, "anonymity set")
	conns := fs.Int("conns", 16, "database connections")
	stale := fs.Duration("idempotency-stale", time.Minute, "how long a key claimed by an unanswered request blocks its retries")
	if err := fs.Parse(args); err != nil {
		return err
	}
	secret, err := os.ReadFile(*secretFile)
	if err != nil {
		return err
	}
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := storage.Open(ctx, storage.Config{DSN: *dsn, Domains: []storage.Domain{storage.DomainBallotBox, storage.DomainServer},
		MaxOpenConns: *conns, SkipMigrations: true, Logger: log})
	if err != nil {
		return err
	}
	defer db.Close()
	box, err := ballotbox.NewService(storage.NewBallotBoxStore(db), ballotbox.Options{Secret: secret, Anonymity: *k})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler: httpapi.New(httpapi.Deps{Elections: box, Auth: benchAuth{}, Log: log, Limits: httpapi.Limits{IdempotencyStale: *stale},
			// Every replica shares the stored answers of idempotent requests.
			Idempotency: storage.NewServerStore(db)}),
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute,
	}
	fmt.Println("listening", ln.Addr().String())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
