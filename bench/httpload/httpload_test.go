package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary serve as a replica, as the command does.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		if err := serve(os.Args[2:]); err != nil {
			os.Stderr.WriteString("httpload serve: " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestLoadAndCrashes runs the proof at a small size: every phase must
// count exactly one ballot per voter, lose and duplicate none, and its
// board must verify with `tally verify`.
func TestLoadAndCrashes(t *testing.T) {
	testLoadAndCrashes(t, "serve")
}

// TestLoadAndCrashesReference runs it through the reference-server binary
// (built once), signed in by its development login.
func TestLoadAndCrashesReference(t *testing.T) {
	testLoadAndCrashes(t, "reference")
}

func testLoadAndCrashes(t *testing.T, replica string) {
	admin := os.Getenv("CIVICKIT_TEST_POSTGRES_DSN")
	if admin == "" {
		t.Skip("CIVICKIT_TEST_POSTGRES_DSN is not set")
	}
	if testing.Short() {
		t.Skip("starts replicas and kills them")
	}
	cfg := config{voters: 20, casts: 5, replay: 0.2, replicas: 2, kills: 4, killEvery: 200 * time.Millisecond, k: 5, repeat: 1, admin: admin, replica: replica, conns: 4}
	rep, err := run(context.Background(), cfg)
	if rep != nil {
		var b strings.Builder
		rep.print(&b)
		t.Log("\n" + b.String())
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Phases) != 3 { // repeat 1
		t.Fatalf("%d phases, want in-process, http and http+kill-9", len(rep.Phases))
	}
	for _, p := range rep.Phases {
		if p.Counted != int64(cfg.voters) || p.Lost != 0 || p.Duplicated != 0 || p.Phantom != 0 || !p.TallyVerifies {
			t.Errorf("%s: counted %d of %d voters, %d lost, %d duplicated, %d phantom, tally verifies %v",
				p.Name, p.Counted, cfg.voters, p.Lost, p.Duplicated, p.Phantom, p.TallyVerifies)
		}
		if p.Casts != int64(cfg.voters*cfg.casts) {
			t.Errorf("%s: %d casts acknowledged, want %d", p.Name, p.Casts, cfg.voters*cfg.casts)
		}
	}
	if k := rep.Phases[2].Kills; k != cfg.kills {
		t.Errorf("%d kills, want %d", k, cfg.kills)
	}
}
