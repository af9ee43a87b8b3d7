package storagetest

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"testing"

	"github.com/civickit/civickit/storage"
)

// TestOwnerAlive: the sweep keeps the pools of running processes and of
// names it cannot read, and drops those of processes that have exited.
func TestOwnerAlive(t *testing.T) {
	exited := exec.Command(os.Args[0], "-test.run=^$")
	if err := exited.Run(); err != nil {
		t.Skipf("cannot run a child process: %v", err)
	}
	tests := []struct {
		name string
		want bool
	}{
		{fmt.Sprintf("civickit_p_%d_abc", os.Getpid()), true},
		{fmt.Sprintf("civickit_p_%d_abc", os.Getppid()), true},
		{fmt.Sprintf("civickit_p_%d_abc", exited.Process.Pid), false},
		{"civickit_p_notapid_abc", true},
		{"civickit_t_123", true},
	}
	for _, tt := range tests {
		if got := ownerAlive(tt.name); got != tt.want {
			t.Errorf("ownerAlive(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestPoolKey: a pooled database is shared by the tests that ask for the
// same engine, prefix and domains, however they spell them.
func TestPoolKey(t *testing.T) {
	all := storage.AllDomains()
	slices.Reverse(all)
	def := keyOf(storage.Postgres, storage.Config{})
	if got := keyOf(storage.Postgres, storage.Config{TablePrefix: storage.DefaultTablePrefix, Domains: all}); got != def {
		t.Errorf("explicit defaults: %v, want %v", got, def)
	}
	for _, other := range []poolKey{
		keyOf(storage.MySQL, storage.Config{}),
		keyOf(storage.Postgres, storage.Config{TablePrefix: "portal_"}),
		keyOf(storage.Postgres, storage.Config{Domains: []storage.Domain{storage.DomainOpenData}}),
	} {
		if other == def {
			t.Errorf("%v shares the default's pool", other)
		}
	}
}
