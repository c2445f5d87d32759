package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/frebscan/frebscan/internal/gen"
)

// The tests here need a real process: signals, devices and full disks.
// Everything else runs in process through cli.Run (internal/cli).

// binary is the real frebscan built once for these tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "frebscan-cli")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "frebscan")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		os.Stderr.Write(out)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

func frebscan(t *testing.T, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

const corpusFiles = 2000

// generatedCorpus writes 2,000 traces of realistic size (about 300 MB) for
// the test; a slow reader over them gives a signal time to arrive
// mid-scan. Forty distinct traces are generated and each is written fifty
// times: generating all 2,000 under -race cost a minute of CPU, and what
// the test needs is bytes to read, not variety.
func generatedCorpus(t *testing.T) (string, gen.CorpusOptions) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "W3SVC1")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	opt := gen.CorpusOptions{Files: corpusFiles, Seed: 7}
	const distinct = 40
	for i := 0; i < distinct; i++ {
		b, err := gen.Bytes(gen.CorpusScenario(opt, i))
		if err != nil {
			t.Fatal(err)
		}
		for j := i; j < corpusFiles; j += distinct {
			if err := os.WriteFile(filepath.Join(dir, gen.SampleFileName(j+1)), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return filepath.Dir(dir), opt
}
