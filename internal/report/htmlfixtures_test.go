package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose/rules"
	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/gen"
	"github.com/frebscan/frebscan/internal/headers"
	"github.com/frebscan/frebscan/internal/scan"
)

// Fixtures shared by the HTML tests: reports built the way `frebscan
// scan --format html` builds them, from samples/, from a hostile trace and
// from 10,000 generated traces.

const samplesDir = "../../samples"

// scanHTML scans inputs as the CLI does and renders the HTML report.
func scanHTML(t testing.TB, inputs ...string) (*scan.Result, []byte) {
	t.Helper()
	so := scanOptions(scan.Options{Inputs: inputs, Tool: "frebscan test"})
	r, err := scan.Run(context.Background(), so)
	if err != nil {
		t.Fatal(err)
	}
	r.Outside = rules.Outside(nil, r.OutsideFacts())
	var b bytes.Buffer
	if err := writeScan(&b, "html", r, Options{Detail: scan.Detailer(so)}); err != nil {
		t.Fatal(err)
	}
	return r, b.Bytes()
}

// Hostile values: each tries to run script, load something, hide text or
// reorder it. None may survive as markup.
const (
	hostileUA       = `Mozilla/5.0 <script>document.title='PWNED';window.pwned=1</script>`
	hostileVia      = `1.1 lb"><img src=x onerror="window.pwned=2">`
	hostileReferer  = `javascript:window.pwned=3`
	hostileXFF      = "203.0.113.9\u202Egnp.exe"
	hostileSVG      = `<svg onload="window.pwned=4"></svg><style>body{display:none}</style><img src="http://127.0.0.1:9/beacon">`
	hostileZeroW    = "adm\u200Bin\u2066x\u2069"
	hostileHost     = `mail.contoso.com"><a href="javascript:window.pwned=5">x</a>`
	hostileReflect  = `</script><script>window.pwned=6</script>`
	hostileComputer = `EX<b onmouseover="window.pwned=7">01</b>`
	secretPassword  = "hunter2"
	secretCookie    = "SECRETCOOKIE123"
	secretToken     = "SECRETTOKEN123"
)

// hostileScenarios are a normal Apple Mail handshake through KEMP whose
// headers, URL and host name carry hostile values.
func hostileScenarios() []gen.Scenario {
	var sample gen.Sample
	for _, s := range gen.Samples() {
		if s.Rule == "via-persistent-auth" {
			sample = s
		}
	}
	out := make([]gen.Scenario, 0, len(sample.Traces))
	for i, s := range sample.Traces {
		s.URL += "?x=<script>window.pwned=8</script>&access_token=" + secretToken
		s.Computer = hostileComputer
		var h headers.List
		for _, hd := range s.RequestHeaders {
			switch hd.Name {
			case "User-Agent":
				hd.Value = hostileUA
			case "Host":
				hd.Value = hostileHost
			case "Cookie":
				hd.Value = "session=" + secretCookie
			case "Authorization":
				if i == len(sample.Traces)-1 {
					continue
				}
			}
			h = append(h, hd)
		}
		h = append(h, headers.Header{Name: "Via", Value: hostileVia}, headers.Header{Name: "Referer", Value: hostileReferer},
			headers.Header{Name: "X-Forwarded-For", Value: hostileXFF}, headers.Header{Name: "X-Evil", Value: hostileSVG},
			headers.Header{Name: "X-Zero", Value: hostileZeroW})
		if i == 0 {
			h = append(h, headers.Header{Name: "Authorization", Value: "Basic dXNlcjpodW50ZXIy"}) // user:hunter2
		}
		s.RequestHeaders = h
		s.ResponseHeaders = append(s.ResponseHeaders, headers.Header{Name: "X-Reflect", Value: hostileReflect})
		out = append(out, s)
	}
	return out
}

// writeHostile writes the hostile traces into a new directory.
func writeHostile(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	for i, s := range hostileScenarios() {
		if err := gen.WriteFile(filepath.Join(dir, gen.SampleFileName(i+1)), s); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// bigCorpus is a 10,000-trace scan, built in memory from the generator's
// corpus scenarios so the test needs no gigabyte of files: each trace is
// generated, read and diagnosed as a scan would, then aggregated with
// scan.Run reading them through Options.Read. Traces are generated quiet
// (no padding) for the scan; Detail regenerates the full trace, as a
// re-read of the file would give.
type bigCorpus struct {
	result *scan.Result
	html   []byte
	build  time.Duration
	render time.Duration
}

const bigTraces = 10_000

var (
	bigOnce sync.Once
	big     bigCorpus
	bigErr  error
)

func bigReport(t testing.TB) bigCorpus {
	t.Helper()
	if testing.Short() {
		t.Skip("10,000-trace report skipped in -short mode")
	}
	bigOnce.Do(func() { big, bigErr = buildBig() })
	if bigErr != nil {
		t.Fatal(bigErr)
	}
	return big
}

func bigName(i int) string { return fmt.Sprintf("corpus/W3SVC1/fr%06d.xml", i+1) }

func bigIndex(name string) (int, bool) {
	n, ok := strings.CutPrefix(name, "corpus/W3SVC1/fr")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(strings.TrimSuffix(n, ".xml"))
	return i - 1, err == nil
}

func buildBig() (bigCorpus, error) {
	start := time.Now()
	opt := gen.CorpusOptions{Files: bigTraces, Seed: 7, Start: time.Date(2024, 3, 12, 6, 0, 0, 0, time.UTC), Hours: 10}
	generate := func(quiet bool) func(string) (*freb.Trace, int64, error) {
		return func(name string) (*freb.Trace, int64, error) {
			i, ok := bigIndex(name)
			if !ok {
				return nil, 0, os.ErrNotExist
			}
			s := gen.CorpusScenario(opt, i)
			read := freb.DefaultOptions()
			if quiet {
				s.Padding, s.Quiet, s.ResponseBody = 0, true, ""
				read = freb.Options{SlowSteps: 5}
			}
			data, err := gen.Bytes(s)
			if err != nil {
				return nil, 0, err
			}
			tr, err := freb.Read(bytes.NewReader(data), name, read)
			if err != nil {
				return nil, 0, fmt.Errorf("%s: %w", name, err)
			}
			return tr, int64(len(data)), nil
		}
	}
	names := make([]string, bigTraces)
	for i := range names {
		names[i] = bigName(i)
	}
	// Generated and read on every CPU: this is most of the test's time.
	// The rows stay in memory, as frebscan scan keeps them for HTML.
	so := scanOptions(scan.Options{Inputs: names, Tool: "frebscan test", Workers: runtime.NumCPU(), Read: generate(true), RowsInMemory: math.MaxInt})
	r, err := scan.Run(context.Background(), so)
	if err != nil {
		return bigCorpus{}, err
	}
	if len(r.Unreadable) > 0 {
		return bigCorpus{}, errors.New(r.Unreadable[0].Error)
	}
	built := time.Since(start)
	so.Read = generate(false)
	start = time.Now()
	var b bytes.Buffer
	if err := writeScan(&b, "html", r, Options{Detail: scan.Detailer(so)}); err != nil {
		return bigCorpus{}, err
	}
	return bigCorpus{result: r, html: b.Bytes(), build: built, render: time.Since(start)}, nil
}
