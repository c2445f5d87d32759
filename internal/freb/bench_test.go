package freb

import (
	"bytes"
	"os"
	"testing"
)

// corpusData loads the shared corpus for benchmarks.
func corpusData(b *testing.B) [][]byte {
	var all [][]byte
	for _, p := range corpusFiles(b) {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, data)
	}
	return all
}

func benchRead(b *testing.B, kind ReaderKind, keep bool) {
	files := corpusData(b)
	total := 0
	for _, f := range files {
		total += len(f)
	}
	opts := Options{KeepEvents: keep, SlowSteps: 5, Reader: kind}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, f := range files {
			if _, err := Read(bytes.NewReader(f), "bench.xml", opts); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// The corpus one file at a time, as a scan reads it.
func BenchmarkReadReference(b *testing.B) { benchRead(b, ReaderReference, true) }
func BenchmarkReadFast(b *testing.B)      { benchRead(b, ReaderFast, true) }
func BenchmarkReadAuto(b *testing.B)      { benchRead(b, ReaderAuto, true) }

// Without keeping events: what a directory scan does.
func BenchmarkReadFastNoEvents(b *testing.B) { benchRead(b, ReaderFast, false) }
