package opendata_test

import (
	"bytes"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/civickit/civickit/opendata"
)

// benchDatasets is the size of the catalogue the issue asks to measure.
const benchDatasets = 10_000

var benchCatalog = sync.OnceValue(func() *opendata.Catalog { return fullCatalog(benchDatasets) })

// countingWriter counts bytes without keeping them.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// benchWrite measures one serialisation of the 10,000-dataset catalogue:
// ns/op is the time for the whole catalogue; datasets/s and MB/s are
// reported.
func benchWrite(b *testing.B, write func(io.Writer, *opendata.Catalog) error) {
	c := benchCatalog()
	var cw countingWriter
	if err := write(&cw, c); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(cw.n)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		if err := write(io.Discard, c); err != nil {
			b.Fatal(err)
		}
	}
	reportThroughput(b, processCPU()-cpu)
}

// reportThroughput adds datasets per wall-clock second and, where the
// process CPU time is known, CPU seconds per op and datasets per CPU second
// (the machine may be shared: CPU time is what the work costs).
func reportThroughput(b *testing.B, cpu time.Duration) {
	b.ReportMetric(float64(benchDatasets)*float64(b.N)/b.Elapsed().Seconds(), "datasets/s")
	if cpu > 0 {
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		b.ReportMetric(float64(benchDatasets)*float64(b.N)/cpu.Seconds(), "datasets/cpu-s")
	}
}

func BenchmarkWriteTurtle10k(b *testing.B) { benchWrite(b, opendata.WriteTurtle) }

func BenchmarkWriteJSONLD10k(b *testing.B) { benchWrite(b, opendata.WriteJSONLD) }

func BenchmarkWriteDataJSON10k(b *testing.B) {
	benchWrite(b, func(w io.Writer, c *opendata.Catalog) error {
		return opendata.WriteDataJSON(w, c, opendata.DataJSONOptions{})
	})
}

func BenchmarkWriteSchemaOrg10k(b *testing.B) {
	benchWrite(b, func(w io.Writer, c *opendata.Catalog) error {
		return opendata.WriteSchemaOrg(w, c, opendata.SchemaOrgOptions{})
	})
}

// BenchmarkWriteDataPackage10k writes one datapackage.json per dataset
// (a data package describes one dataset), 10,000 in all per op.
func BenchmarkWriteDataPackage10k(b *testing.B) {
	benchWrite(b, func(w io.Writer, c *opendata.Catalog) error {
		for _, d := range c.Datasets {
			if err := opendata.WriteDataPackage(w, d, opendata.DataPackageOptions{}); err != nil {
				return err
			}
		}
		return nil
	})
}

// BenchmarkWritePagedTurtle10k writes the whole catalogue as 100 hydra
// pages of 100 datasets.
func BenchmarkWritePagedTurtle10k(b *testing.B) {
	benchWrite(b, func(w io.Writer, c *opendata.Catalog) error {
		for n := 1; ; n++ {
			page, p, err := opendata.Paginate(c, n, 100, pageIRI)
			if err != nil {
				return err
			}
			if err := opendata.WritePagedTurtle(w, page, p); err != nil {
				return err
			}
			if p.Next == "" {
				return nil
			}
		}
	})
}

func BenchmarkValidateCatalog10k(b *testing.B) {
	c := benchCatalog()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		if r := c.Validate(); len(r.Findings) > 0 {
			b.Fatal(r.Findings[0])
		}
	}
	reportThroughput(b, processCPU()-cpu)
}

// TestBenchCatalogWrites keeps the benchmark setup honest in normal test
// runs: a small catalogue goes through every benchmarked writer.
func TestBenchCatalogWrites(t *testing.T) {
	c := fullCatalog(20)
	for _, w := range []func(io.Writer, *opendata.Catalog) error{opendata.WriteTurtle, opendata.WriteJSONLD} {
		var buf bytes.Buffer
		if err := w(&buf, c); err != nil || buf.Len() == 0 {
			t.Fatal(err, buf.Len())
		}
	}
}
