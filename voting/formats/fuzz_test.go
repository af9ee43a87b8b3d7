package formats_test

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/civickit/civickit/voting/formats"
)

// fuzzRead checks that a reader never panics, fails only with parse
// errors, and that what it accepts is written back and read again as the
// same election.
func fuzzRead(f *testing.F, format formats.Format, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := formats.Read(bytes.NewReader(data), format, formats.ReadOptions{})
		if err != nil {
			if !errors.Is(err, formats.ErrParse) {
				t.Fatalf("error is not a ParseError: %v", err)
			}
			return
		}
		back, out, err := roundTrip(e, format)
		if err != nil {
			t.Fatalf("accepted input not written back: %v\n%s", err, out)
		}
		if err := sameElection(e, back, format); err != nil {
			t.Fatalf("round trip: %v\nwritten:\n%s", err, out)
		}
	})
}

func seedFile(f *testing.F, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	return string(b)
}

const preflibSeed = "# TITLE: t\n# NUMBER ALTERNATIVES: 3\n# NUMBER VOTERS: 3\n# NUMBER UNIQUE ORDERS: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n# ALTERNATIVE NAME 3: C\n"

func FuzzReadSOC(f *testing.F) {
	fuzzRead(f, formats.PrefLibSOC, seedFile(f, "testdata/ED-00004-00000006.soc"),
		seedFile(f, "testdata/ED-00004-00000006-legacy.soc"), preflibSeed+"2: 1,2,3\n1: 3,2,1\n")
}

func FuzzReadSOI(f *testing.F) {
	fuzzRead(f, formats.PrefLibSOI, seedFile(f, "testdata/ED-00002-00000001.soi"), preflibSeed+"2: 1,2\n1: 3\n",
		"2\n1,A\n2,B\n3,3,2\n2,1\n1,2,1\n")
}

func FuzzReadTOC(f *testing.F) {
	fuzzRead(f, formats.PrefLibTOC, preflibSeed+"2: 1,{2,3}\n1: {3,2,1}\n", "2\n1,A\n2,B\n1,1,1\n1,{1,2}\n")
}

func FuzzReadTOI(f *testing.F) {
	fuzzRead(f, formats.PrefLibTOI, tennToi, preflibSeed+"2: 1,{2,3}\n1:\n")
}

func FuzzReadCAT(f *testing.F) {
	fuzzRead(f, formats.PrefLibCAT,
		"# NUMBER ALTERNATIVES: 3\n# NUMBER VOTERS: 4\n# NUMBER UNIQUE PREFERENCES: 2\n# NUMBER CATEGORIES: 2\n# CATEGORY NAME 1: Yes\n# CATEGORY NAME 2: No\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n# ALTERNATIVE NAME 3: C\n3: 2,{1,3}\n1: {},{1,2,3}\n",
		"# NUMBER ALTERNATIVES: 2\n# NUMBER CATEGORIES: 3\n# CATEGORY NAME 1: Good\n# CATEGORY NAME 2: Fair\n# CATEGORY NAME 3: Bad\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n4: 1,{},2\n")
}

func FuzzReadBLT(f *testing.F) {
	fuzzRead(f, formats.BLT, "4 2\n-2\n3 1 3 4 0\n4 1 3 2 0\n2 4 1=3 0\n1 2 0\n2 2=4=3 1 0\n1 3 4 2 0\n0\n\"Adam\"\n\"Basil\"\n\"Charlotte\"\n\"Donald\"\n\"Title\"\n",
		"3 1 # comment\n1 1 - 2 0 5 0\n0\nA \"B b\" C T \"source\" \"comment\"\n")
}

func FuzzReadHIL(f *testing.F) {
	fuzzRead(f, formats.HIL, "3 1\n1 2 1 3 0\n1 3 0\n1 0\n0\n\"Candidate  1\" \"Candidate  2\" \"Candidate  3\" \"f:a1\"\n",
		"2 1\n1 2 1 0\n0\n(Alice B.)\n(Bob)\n(Title)\n")
}

func FuzzReadABIF(f *testing.F) {
	fuzzRead(f, formats.ABIF, "{\"title\": \"T\"}\n{version: \"0.1\"}\n=Memph:[Memphis, TN]\n=Nash:[Nashville]\n42:Memph>Nash\n26: Nash = Memph # c\n3:\n",
		"{\"max_rating\": 5}\n42:Memph/5>Nash/2,Chat\n26:Nash/5\n",
		"5:[A,X]>[B,Y]>C\n4:[A,X]>[B,Y]\n")
}

func FuzzReadCSV(f *testing.F) {
	fuzzRead(f, formats.CSV, "Memphis,Nashville,Chattanooga,count\n1,2,3,42\n3,1,2,26\n,,1,15\n", "A,B,\"C, Jr\"\n1,3,\n5,,5\n")
}
