package freb

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestWhere(t *testing.T) {
	t.Parallel()
	const file = "testdata/ews-400.xml"
	cases := []struct {
		name, expr string
		want       bool
	}{
		{"absolute, matching", "//Event[RenderingInfo/Opcode='MODULE_SET_RESPONSE_ERROR_STATUS' and EventData/Data[@Name='HttpStatus']='400']", true},
		{"absolute, no such status", "//Event[RenderingInfo/Opcode='MODULE_SET_RESPONSE_ERROR_STATUS' and EventData/Data[@Name='HttpStatus']='401']", false},
		{"relative to the event", "RenderingInfo/Opcode='GENERAL_REQUEST_HEADERS'", true},
		{"relative, absent opcode", "RenderingInfo/Opcode='AUTH_SUCCEEDED'", false},
		{"root attribute", "/failedRequest[@statusCode='400']", true},
		{"root attribute, other value", "/failedRequest[@statusCode='401']", false},
		{"header text", "//Data[@Name='Headers' and contains(., 'User-Agent:')]", true},
		{"numeric comparison", "//Event[System/Level=3]", true},
		{"numeric result", "count(EventData/Data[@Name='HttpStatus'])", true},
		{"numeric result zero", "count(EventData/Data[@Name='NoSuchField'])", false},
		{"string result", "string(System/Computer)", true},
		{"boolean false", "false()", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, err := CompileWhere(tc.expr)
			if err != nil {
				t.Fatal(err)
			}
			if got := w.MatchFile(file); got != tc.want {
				t.Errorf("%s on %s = %v, want %v", tc.expr, file, got, tc.want)
			}
		})
	}
}

func TestWhereInvalid(t *testing.T) {
	t.Parallel()
	for _, expr := range []string{"//Event[", "Event[@]", "))", ""} {
		_, err := CompileWhere(expr)
		if err == nil {
			t.Errorf("CompileWhere(%q) accepted an invalid expression", expr)
			continue
		}
		if !strings.Contains(err.Error(), expr) {
			t.Errorf("error %q does not name the expression %q", err, expr)
		}
	}
}

// TestWhereNamesTheSyntaxProblem: the library says "must evaluate to a
// node-set" for a missing bracket; the user needs to hear about the
// bracket.
func TestWhereNamesTheSyntaxProblem(t *testing.T) {
	for expr, want := range map[string]string{
		"//Event[":                           `'[' at character 8 is never closed (missing ']')`,
		"//Event[Data='x']]":                 `unexpected ']' at character 18`,
		"//Event[Data='x]":                   `the quote '\'' at character 14 is never closed`,
		"count(//Event[@x='1']":              `'(' at character 6 is never closed (missing ')')`,
		"//Event[RenderingInfo/Opcode='a')]": `unexpected ')'`,
	} {
		_, err := CompileWhere(expr)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CompileWhere(%q) = %v, want it to say %s", expr, err, want)
		}
	}
}

// TestWhereDamagedInput: events before a cut count, input that is not a
// trace matches nothing, and nothing panics.
func TestWhereDamagedInput(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/ews-400.xml")
	if err != nil {
		t.Fatal(err)
	}
	headers := strings.Index(string(data), "GENERAL_REQUEST_HEADERS")
	end := strings.Index(string(data[headers:]), "</Event>") + headers + len("</Event>")
	w, err := CompileWhere("RenderingInfo/Opcode='GENERAL_REQUEST_HEADERS'")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		data string
		want bool
	}{
		{"cut after the event", string(data[:end+40]), true},
		{"cut before the event", string(data[:headers]), false},
		{"empty", "", false},
		{"not XML", "hello", false},
		{"other XML", "<html><body/></html>", false},
	} {
		p := filepath.Join(dir, "t.xml")
		if err := os.WriteFile(p, []byte(tc.data), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := w.MatchFile(p); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	if w.MatchFile(filepath.Join(dir, "missing.xml")) {
		t.Error("a missing file matched")
	}
}

// TestWhereConcurrent: scan workers share one Where, so matching must be
// safe from several goroutines at once (run with -race).
func TestWhereConcurrent(t *testing.T) {
	t.Parallel()
	w, err := CompileWhere("//Event[RenderingInfo/Opcode='MODULE_SET_RESPONSE_ERROR_STATUS']")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 3 {
				if !w.MatchFile("testdata/ews-400.xml") {
					t.Error("no match")
				}
			}
		})
	}
	wg.Wait()
}
