package ballotbox_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
)

// verifyLargeBoardFile writes a valid board of n entries to a file in dir,
// streaming (a BoardBuilder would hold every entry): one revote in 50.
// It returns the file's path and head.
func verifyLargeBoardFile(tb testing.TB, dir string, n int) (string, string) {
	tb.Helper()
	pub := verifyElection()
	e := &ballotbox.Election{ID: pub.ID, Questions: pub.Questions}
	r := rand.New(rand.NewPCG(uint64(n), 6))
	body, err := os.CreateTemp(dir, "entries")
	if err != nil {
		tb.Fatal(err)
	}
	defer body.Close()
	bw := bufio.NewWriterSize(body, 1<<20)
	enc := json.NewEncoder(bw)
	head := ballotbox.GenesisHash(pub)
	tracker := func(i int) string { return fmt.Sprintf("%016x", uint64(i)*0x9e3779b97f4a7c15) }
	for i := range n {
		p := verifyParts()[r.IntN(len(verifyParts()))]
		en := ballotbox.Entry{Tracker: tracker(i), Ballot: e.Canonical(verifyRandomBallot(r)), Channel: p.Channel, Place: p.Place}
		if i >= 100 && i%50 == 0 {
			en.Replaces = tracker(i - 99) // never a multiple of 50: replaced once
		}
		en = ballotbox.Seal(head, int64(i), en)
		head = en.Hash
		if err := enc.Encode(en); err != nil {
			tb.Fatal(err)
		}
	}
	if err := bw.Flush(); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, fmt.Sprintf("board-%d.jsonl", n))
	out, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer out.Close()
	h := ballotbox.BoardHeader{Format: ballotbox.BoardFormat, Election: pub, Genesis: ballotbox.GenesisHash(pub), Head: head, Entries: int64(n)}
	if err := json.NewEncoder(out).Encode(h); err != nil {
		tb.Fatal(err)
	}
	if _, err := body.Seek(0, io.SeekStart); err != nil {
		tb.Fatal(err)
	}
	if _, err := io.Copy(out, body); err != nil {
		tb.Fatal(err)
	}
	if err := out.Close(); err != nil {
		tb.Fatal(err)
	}
	return path, head
}

func TestLargeBoardVerifies(t *testing.T) {
	path, head := verifyLargeBoardFile(t, t.TempDir(), 5000)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := ballotbox.Verify(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Head != head || rep.Entries != 5000 || rep.Replaced != 98 || rep.Counted != 5000-98 {
		t.Fatalf("head %s entries %d replaced %d counted %d", rep.Head, rep.Entries, rep.Replaced, rep.Counted)
	}
}

// BenchmarkVerify verifies boards of 10^4 and 10^6 entries read from a
// file. heap-MB is the memory the verifier holds at the end of the board
// (its count and tracker index), after a garbage collection; cpu-ns/entry
// the CPU time of the process per entry (garbage collection included),
// steadier than wall time on a shared machine.
func BenchmarkVerify(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			path, head := verifyLargeBoardFile(b, b.TempDir(), n)
			st, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(st.Size())
			b.ReportAllocs()
			var heap, cpu float64
			for b.Loop() {
				c0 := verifyCPUSeconds()
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				br, err := ballotbox.NewBoardReader(bufio.NewReaderSize(f, 1<<20))
				if err != nil {
					b.Fatal(err)
				}
				v := ballotbox.NewVerifier(br.Header, ballotbox.VerifyOptions{Registry: voting.NewRegistry()})
				for {
					e, err := br.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					v.Entry(e, br.Line())
				}
				cpu += verifyCPUSeconds() - c0
				b.StopTimer()
				var ms runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&ms) // v is still live: it is finished below
				heap = float64(ms.HeapAlloc) / (1 << 20)
				b.StartTimer()
				c0 = verifyCPUSeconds()
				rep, err := v.Finish()
				if err != nil || rep.Head != head {
					b.Fatal(err)
				}
				f.Close()
				cpu += verifyCPUSeconds() - c0
			}
			b.ReportMetric(heap, "heap-MB")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/entry")
			b.ReportMetric(cpu*1e9/float64(b.N)/float64(n), "cpu-ns/entry")
		})
	}
}
