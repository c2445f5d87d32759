package freb

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// moduleRoot finds the directory holding go.mod above the package.
func moduleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the package")
		}
		dir = parent
	}
}

// corpusFiles lists the shared corpus of real traces, which sits next to
// the repository on the developers' machines and is absent in a clone.
func corpusFiles(t testing.TB) []string {
	t.Helper()
	dir := filepath.Join(moduleRoot(t), "..", "shared", "freb-corpus")
	files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	if len(files) == 0 {
		t.Skipf("no corpus at %s", dir)
	}
	return files
}

// streamOnly hides io.Seeker, so Read must replay what it consumed.
type streamOnly struct{ io.Reader }

// outcome is what a reader made of an input, in comparable form.
type outcome struct {
	Trace  *Trace
	Err    string
	NotFRB bool
}

func readOutcome(data []byte, opts Options, stream bool) (outcome, bool) {
	var r io.Reader = bytes.NewReader(data)
	if stream {
		r = streamOnly{r}
	}
	var (
		t        *Trace
		err      error
		fellBack bool
	)
	if opts.Reader == ReaderAuto {
		t, fellBack, err = readAuto(r, "trace.xml", opts)
	} else {
		t, err = Read(r, "trace.xml", opts)
	}
	o := outcome{Trace: t}
	if err != nil {
		o.Err, o.NotFRB = err.Error(), errors.Is(err, ErrNotFREB)
	}
	return o, fellBack
}

// diffReaders reads data with the reference reader and with ReaderAuto
// (seekable and not) and reports any difference; fellBack says the fast
// reader gave the file to the reference one.
func diffReaders(data []byte, opts Options) (fellBack bool, diff string) {
	opts.Reader = ReaderReference
	want, _ := readOutcome(data, opts, false)
	opts.Reader = ReaderAuto
	for _, stream := range []bool{false, true} {
		got, fb := readOutcome(data, opts, stream)
		fellBack = fellBack || fb
		if !reflect.DeepEqual(got, want) {
			return fellBack, describeDiff(got, want)
		}
	}
	return fellBack, ""
}

func describeDiff(got, want outcome) string {
	if got.Err != want.Err || got.Trace == nil || want.Trace == nil {
		return fmt.Sprintf("error: fast %q, reference %q", got.Err, want.Err)
	}
	g, w := reflect.ValueOf(*got.Trace), reflect.ValueOf(*want.Trace)
	var b strings.Builder
	for i := 0; i < g.NumField(); i++ {
		if reflect.DeepEqual(g.Field(i).Interface(), w.Field(i).Interface()) {
			continue
		}
		name := g.Type().Field(i).Name
		if name == "Events" {
			ge, we := got.Trace.Events, want.Trace.Events
			for j := 0; j < min(len(ge), len(we)); j++ {
				if !reflect.DeepEqual(ge[j], we[j]) {
					fmt.Fprintf(&b, "event %d:\n fast %+v\n  ref %+v\n", j, ge[j], we[j])
					break
				}
			}
			fmt.Fprintf(&b, "events: fast %d, reference %d\n", len(ge), len(we))
			continue
		}
		fmt.Fprintf(&b, "%s:\n fast %+v\n  ref %+v\n", name, g.Field(i).Interface(), w.Field(i).Interface())
	}
	return b.String()
}

func TestReadersAgreeOnCorpus(t *testing.T) {
	t.Parallel()
	for _, path := range corpusFiles(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fellBack, diff := diffReaders(data, DefaultOptions())
			if diff != "" {
				t.Fatalf("readers differ:\n%s", diff)
			}
			if fellBack {
				t.Errorf("the fast reader fell back on a real trace")
			}
		})
	}
}
