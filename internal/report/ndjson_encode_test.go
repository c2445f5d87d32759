package report

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/frebscan/frebscan/internal/scan"
)

// reference encodes v as writeScanNDJSON did before lineEncoder.
func reference(t testing.TB, v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestLineEncoderMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	values := []any{
		obj{},
		obj{"int": int64(44000000), "port": 443, "list": []string{"a", "b"}},
		obj{"b": 1, "a": "x", "c": obj{"z": true, "y": nil, "x": []string{"web"}}},
		obj{"nil slice": []string(nil), "empty": []string{}, "int64": int64(-1 << 62), "float": 1.5, "bytes": []byte("raw")},
		obj{"html": "<script>&</script>", "quote": `say "hi" \ now`, "ctl": "a\x00b\tc\nd\re\x7f"},
		obj{"utf8": "Grüße – 日本語", "sep": "a\u2028b\u2029c", "bad": "a\xffb\xc3", "emoji": "😀"},
		obj{"é-key": 1, "\"quoted\"": 2, "": 3},
	}
	e := newLineEncoder()
	for _, v := range values {
		got, err := e.line(v)
		if err != nil {
			t.Fatal(err)
		}
		if want := reference(t, v); !bytes.Equal(got, want) {
			t.Errorf("line encoder:\n%s\nencoding/json:\n%s", got, want)
		}
	}
}

// TestNDJSONUnchanged: the report of the samples is what encoding/json
// writes for the same events, line for line.
func TestNDJSONUnchanged(t *testing.T) {
	t.Parallel()
	r, err := scan.Run(context.Background(), scanOptions(scan.Options{Inputs: []string{"../../samples", "../freb/testdata"}}))
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]*scan.Group{}
	for i := range r.Findings {
		groups[r.Findings[i].Rule] = &r.Findings[i]
	}
	for _, format := range []string{"ndjson", "ndjson-flat"} {
		var got bytes.Buffer
		if err := writeScan(&got, format, r, Options{}); err != nil {
			t.Fatal(err)
		}
		shape := func(ev obj) obj { return ev }
		if format == "ndjson-flat" {
			shape = flatten
		}
		var want bytes.Buffer
		for _, row := range r.Traces {
			want.Write(reference(t, shape(stamp(traceEvent(row), r.Tool))))
			for i, ref := range row.Findings {
				want.Write(reference(t, shape(stamp(findingEvent(row, ref, groups[ref.Rule], about(row.Findings, i)), r.Tool))))
			}
		}
		if want.Len() == 0 || !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s differs from encoding/json's (%d vs %d bytes)", format, got.Len(), want.Len())
		}
	}
}

func FuzzLineEncoder(f *testing.F) {
	for _, s := range []string{"", "plain", "<&>", "a\u2028", "\xff", "\x00\"\\"} {
		f.Add(s, s)
	}
	e := newLineEncoder()
	f.Fuzz(func(t *testing.T, k, v string) {
		val := obj{k: v, "n": obj{v: []string{k, v}}}
		got, err := e.line(val)
		if err != nil {
			t.Fatal(err)
		}
		if want := reference(t, val); !bytes.Equal(got, want) {
			t.Errorf("line encoder:\n%q\nencoding/json:\n%q", got, want)
		}
	})
}
