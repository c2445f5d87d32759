package freb

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/frebscan/frebscan/internal/corpus"
)

// FuzzRead feeds arbitrary bytes to the reader: it must never panic, and
// every failure must be an *Error naming the input.
func FuzzRead(f *testing.F) {
	base, err := os.ReadFile("testdata/ews-400.xml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(base)
	f.Add(base[:len(base)/2])
	f.Add(base[:300])
	f.Add([]byte{})
	f.Add([]byte("\xff\xfe<\x00f\x00"))
	f.Add([]byte(`<failedRequest url="x"><Event><System><Provider Name="a"/></System></Event></failedRequest>`))
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><failedRequest>&b;</failedRequest>`))
	if dir := corpus.Dir(); dir != "" {
		for _, name := range []string{"hiwa__Thesis__fr000016.xml", "plechenko__FrebViewer__fr000069.arr-proxy.xml"} {
			if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
				f.Add(b[:min(len(b), 16<<10)])
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := Read(bytes.NewReader(data), "fuzz.xml", DefaultOptions())
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) || fe.File != "fuzz.xml" {
				t.Fatalf("error %v is not an *Error naming the file", err)
			}
			return
		}
		if tr.EventCount != len(tr.Events) {
			t.Fatalf("EventCount %d but %d events kept", tr.EventCount, len(tr.Events))
		}
	})
}
