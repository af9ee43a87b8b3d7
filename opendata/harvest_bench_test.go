package opendata_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/civickit/civickit/opendata"
)

// Reading a 10,000-dataset catalogue in each format (the size of the
// serialisation benchmarks). Run with
//
//	go test ./opendata -run '^$' -bench 'BenchmarkRead' -benchmem
var benchDocs struct {
	once                     sync.Once
	turtle, jsonld, datajson []byte
}

func benchDocuments(b *testing.B) (turtle, jsonld, datajson []byte) {
	benchDocs.once.Do(func() {
		c := bigCatalog(10000 - 2)
		var t, j, d bytes.Buffer
		if err := opendata.WriteTurtle(&t, c); err != nil {
			b.Fatal(err)
		}
		if err := opendata.WriteJSONLD(&j, c); err != nil {
			b.Fatal(err)
		}
		if err := opendata.WriteDataJSON(&d, c, opendata.DataJSONOptions{}); err != nil {
			b.Fatal(err)
		}
		benchDocs.turtle, benchDocs.jsonld, benchDocs.datajson = t.Bytes(), j.Bytes(), d.Bytes()
	})
	return benchDocs.turtle, benchDocs.jsonld, benchDocs.datajson
}

func BenchmarkReadTurtle10k(b *testing.B) {
	doc, _, _ := benchDocuments(b)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := opendata.ReadTurtle(bytes.NewReader(doc), opendata.ReadOptions{})
		if err != nil || len(res.Catalog.Datasets) != 10000 {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadJSONLD10k(b *testing.B) {
	_, doc, _ := benchDocuments(b)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := opendata.ReadJSONLD(context.Background(), bytes.NewReader(doc), opendata.ReadOptions{})
		if err != nil || len(res.Catalog.Datasets) != 10000 {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadDataJSON10k(b *testing.B) {
	_, _, doc := benchDocuments(b)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := opendata.ReadDataJSON(bytes.NewReader(doc), opendata.ReadOptions{})
		if err != nil || len(res.Catalog.Datasets) != 10000 {
			b.Fatal(err)
		}
	}
}

// A page of 100 datasets, the unit a paging harvester reads.
func BenchmarkReadJSONLDPage100(b *testing.B) {
	c := bigCatalog(100 - 2)
	var buf bytes.Buffer
	if err := opendata.WriteJSONLD(&buf, c); err != nil {
		b.Fatal(err)
	}
	doc := buf.Bytes()
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := opendata.ReadJSONLD(context.Background(), bytes.NewReader(doc), opendata.ReadOptions{})
		if err != nil || len(res.Catalog.Datasets) != 100 {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadTurtlePage100(b *testing.B) {
	c := bigCatalog(100 - 2)
	var buf bytes.Buffer
	if err := opendata.WriteTurtle(&buf, c); err != nil {
		b.Fatal(err)
	}
	doc := buf.Bytes()
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := opendata.ReadTurtle(bytes.NewReader(doc), opendata.ReadOptions{})
		if err != nil || len(res.Catalog.Datasets) != 100 {
			b.Fatal(err)
		}
	}
}

// go test ./opendata -run '^$' -bench 'BenchmarkReadRDFXML10k' -benchmem
func BenchmarkReadRDFXML10k(b *testing.B) {
	var x bytes.Buffer
	if err := opendata.WriteRDFXML(&x, bigCatalog(10000-2)); err != nil {
		b.Fatal(err)
	}
	doc := x.Bytes()
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := opendata.ReadRDFXML(bytes.NewReader(doc), opendata.ReadOptions{})
		if err != nil || len(res.Catalog.Datasets) != 10000 {
			b.Fatal(err)
		}
	}
}
