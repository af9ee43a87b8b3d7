package associations_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/associations/associationstest"
)

// readRows reads an RNA file to the end and returns the number of records
// (rejected lines are skipped).
func readRows(b *testing.B, r io.Reader, every func()) int {
	rd, err := associations.NewRNAReader(r)
	if err != nil {
		b.Fatal(err)
	}
	rows := 0
	for {
		_, err := rd.Next()
		var le *associations.LineError
		switch {
		case err == io.EOF:
			return rows
		case errors.As(err, &le):
			continue
		case err != nil:
			b.Fatal(err)
		}
		rows++
		if every != nil && rows%100_000 == 0 {
			every()
		}
	}
}

// BenchmarkRNAReader parses a generated 100,000-line file held in memory.
func BenchmarkRNAReader(b *testing.B) {
	for _, layout := range []associations.RNALayout{associations.RNAWaldec, associations.RNAImport} {
		b.Run(string(layout), func(b *testing.B) {
			var buf bytes.Buffer
			if err := associationstest.WriteSyntheticRNA(&buf, 100_000, layout, 1); err != nil {
				b.Fatal(err)
			}
			data := buf.Bytes()
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			rows := 0
			for b.Loop() {
				rows += readRows(b, bytes.NewReader(data), nil)
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkRNAReaderFile streams a generated 1,000,000-line file from disk
// and reports the largest heap seen, which must not grow with the file.
func BenchmarkRNAReaderFile(b *testing.B) {
	path := filepath.Join(b.TempDir(), "rna.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := associationstest.WriteSyntheticRNA(f, 1_000_000, associations.RNAWaldec, 1); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	var peak uint64
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		peak = max(peak, m.HeapInuse)
	}
	runtime.GC()
	rows := 0
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		rows += readRows(b, f, sample)
		f.Close()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
