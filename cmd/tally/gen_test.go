package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/civickit/civickit/voting/formats"
)

func TestGen(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		format formats.Format
		voters int64
	}{
		{[]string{"-culture", "mallows", "-phi", "0.4", "-m", "5", "-n", "300", "-seed", "2"}, formats.PrefLibSOC, 300},
		{[]string{"-culture", "urn", "-alpha", "0.5", "-m", "4", "-n", "50", "-format", "blt"}, formats.BLT, 50},
		{[]string{"-culture", "sp-conitzer", "-m", "6", "-n", "80", "-max-ranked", "3", "-ties", "0.2", "-format", "toi"}, formats.PrefLibTOI, 80},
		{[]string{"-culture", "euclidean", "-dim", "3", "-space", "gaussian", "-m", "5", "-n", "40", "-approval", "2", "-format", "cat"}, formats.PrefLibCAT, 40},
		{[]string{"-culture", "mallows-mixture", "-components", "3", "-m", "4", "-n", "60", "-format", "abif"}, formats.ABIF, 60},
		{[]string{"-culture", "plackett-luce", "-weights", "3,2,1", "-m", "3", "-n", "70", "-score", "5", "-format", "abif"}, formats.ABIF, 70},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, out2, errb bytes.Buffer
			if code := run(append([]string{"gen"}, tc.args...), &out, &errb); code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			run(append([]string{"gen"}, tc.args...), &out2, &errb)
			if out.String() != out2.String() {
				t.Error("same arguments, different files")
			}
			e, err := formats.Read(bytes.NewReader(out.Bytes()), tc.format, formats.ReadOptions{})
			if err != nil {
				t.Fatalf("the file does not read back: %v", err)
			}
			var v int64
			if e.Ranked != nil {
				v = e.Ranked.Voters()
			} else {
				v = e.Cardinal.Voters()
			}
			if v != tc.voters {
				t.Errorf("%d voters read back, want %d", v, tc.voters)
			}
		})
	}
	for _, bad := range [][]string{{"-culture", "nope"}, {"-m", "0"}, {"-culture", "mallows", "-phi", "3"}, {"-format", "xyz"}, {"-approval", "x"}, {"-culture", "euclidean", "-space", "torus"}} {
		var out, errb bytes.Buffer
		if code := run(append([]string{"gen"}, bad...), &out, &errb); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", bad, code, errb.String())
		}
	}
}

func TestAxiomTable(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"axioms", "-methods", "plurality,schulze", "-m", "4", "-n", "9", "-profiles", "40", "-witness"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	s := out.String()
	for _, want := range []string{"condorcet-winner", "plurality", "schulze", "40 profiles", "violates"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	if code := run([]string{"axioms", "-methods", "nope"}, &out, &errb); code != 2 {
		t.Errorf("unknown method: exit %d", code)
	}
}
