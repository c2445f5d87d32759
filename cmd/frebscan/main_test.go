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

// generatedCorpus writes a corpus of realistic traces for the test; a
// slow reader over it gives a signal time to arrive mid-scan.
func generatedCorpus(t *testing.T) (string, gen.CorpusOptions) {
	t.Helper()
	dir := t.TempDir()
	opt := gen.CorpusOptions{Files: corpusFiles, Seed: 7}
	if err := gen.WriteCorpus(dir, opt); err != nil {
		t.Fatal(err)
	}
	return dir, opt
}
