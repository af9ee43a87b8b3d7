package ballotbox

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/civickit/civickit"
)

// hashJSON is ComputeHash without its fast path: the reference.
func hashJSON(e Entry) string {
	sum := sha256.Sum256(append([]byte(jsonText(e.Prev)+"\n"), e.hashBody()...))
	return hex.EncodeToString(sum[:])
}

func TestComputeHashMatchesJSON(t *testing.T) {
	ballot := json.RawMessage(`{"answers":[{"question":"q","ranking":[[0],[1,2]]}]}`)
	for _, e := range []Entry{
		{},
		{Index: 7, Tracker: "t", Ballot: ballot, Channel: civickit.ChannelWeb, Prev: "p"},
		{Index: -3, Tracker: "t", Replaces: "u", Channel: civickit.ChannelPaper, Place: "town hall"},
		{Index: 1 << 62, Tracker: "é", Ballot: ballot, Channel: civickit.ChannelKiosk},
		{Tracker: "a<b>&c", Ballot: ballot, Channel: civickit.ChannelWeb},
		{Tracker: `q"uote\`, Channel: "tab\there"},
		{Tracker: "t", Ballot: json.RawMessage(`{ "answers" : [ ] }`), Channel: civickit.ChannelWeb},
		{Tracker: "t", Ballot: json.RawMessage(`{"a":"<&>"}`), Channel: civickit.ChannelWeb},
		{Tracker: "t", Ballot: json.RawMessage("{\"a\":\"\u2028\"}"), Channel: civickit.ChannelWeb},
		{Tracker: "t", Ballot: json.RawMessage(`null`), Channel: civickit.ChannelWeb},
		{Tracker: "t", Ballot: json.RawMessage(`{"a":`), Channel: civickit.ChannelWeb},
		{Tracker: "t", Ballot: json.RawMessage(`[1,2]`), Channel: civickit.ChannelWeb, Place: "\x7f"},
		{Tracker: "t", Ballot: json.RawMessage("{\"a\":\"\xff\"}"), Channel: civickit.ChannelWeb},
	} {
		if got, want := e.ComputeHash(), hashJSON(e); got != want {
			t.Errorf("%+v: %s, want %s", e, got, want)
		}
	}
}

// The fast entry decoder agrees with json.Unmarshal wherever it answers,
// and the fast hash with json.Marshal.
func FuzzEntryCodec(f *testing.F) {
	for _, s := range []string{
		`{"index":0,"tracker":"t","ballot":{"answers":[{"question":"q","ranking":[[0]]}]},"channel":"web","prev":"p","hash":"h"}`,
		`{"index":12,"tracker":"t","replaces":"u","channel":"paper","place":"x","prev":"p","hash":"h"}  `,
		`{"index":-0,"tracker":"t","ballot":{"a":"}"},"channel":"web","prev":"p","hash":"h"}`,
		`{"index":01,"tracker":"t","channel":"web","prev":"p","hash":"h"}`,
		`{"index":1,"tracker":"t\u0041","channel":"web","prev":"p","hash":"h"}`,
		`{"index":1,"tracker":"t","ballot":{"a":[1,}},"channel":"web","prev":"p","hash":"h"}`,
		`{"index":1,"tracker":"t","ballot":null,"channel":"web","prev":"p","hash":"h"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		var want Entry
		werr := json.Unmarshal(line, &want)
		got, ok := decodeEntryFast(line)
		if ok {
			if werr != nil {
				t.Fatalf("fast decoder accepts what json.Unmarshal refuses: %v", werr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("fast decoder: %+v, json.Unmarshal: %+v", got, want)
			}
		}
		if werr == nil {
			if h, w := want.ComputeHash(), hashJSON(want); h != w {
				t.Fatalf("hash of %+v: %s, want %s", want, h, w)
			}
		}
		var back string
		enc, err := json.Marshal(string(line))
		if err != nil || json.Unmarshal(enc, &back) != nil || back != jsonText(string(line)) {
			t.Fatalf("jsonText(%q) = %q, a JSON round trip gives %q", line, jsonText(string(line)), back)
		}
		odd := Entry{Index: int64(len(line)), Tracker: string(line), Ballot: line, Channel: civickit.Channel(line), Prev: string(line)}
		if h, w := odd.ComputeHash(), hashJSON(odd); h != w {
			t.Fatalf("hash of %+v: %s, want %s", odd, h, w)
		}
	})
}
