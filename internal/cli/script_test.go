package cli

import (
	"archive/zip"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/text/encoding/unicode"
)

// TestScript runs the user journeys in testdata/script/*.txtar end to end:
// each `frebscan` line starts this test binary as the frebscan command
// (TestMain), with its own working directory and environment, so exit
// statuses, streams and files are what a user gets. $SAMPLES is the
// repository's samples/ directory (absolute); scripts cd into it to keep
// the paths in the output relative.
//
// Besides the standard commands, scripts have:
//
//	status CODE PROGRAM [ARGS...]  run PROGRAM like exec, and fail unless
//	                               it exits with CODE (1 findings, 2 error)
//	utf16 FILE OUT                 decode FILE, which must be UTF-16LE with
//	                               a byte-order mark, into OUT as UTF-8
//	zip OUT DIR [PREFIX]           write OUT, a zip (deflate) of DIR's files,
//	                               their names under PREFIX/ in the archive
func TestScript(t *testing.T) {
	t.Parallel()
	samples, err := filepath.Abs(filepath.Join("..", "..", "samples"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("SAMPLES", samples)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"status": scriptStatus,
			"utf16":  scriptUTF16,
			"zip":    scriptZip,
		},
	})
}

func scriptStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("status: %q is not an exit status", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("status: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

func scriptUTF16(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: utf16 FILE OUT")
	}
	dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
	text, err := dec.Bytes([]byte(ts.ReadFile(args[0])))
	if err != nil {
		ts.Fatalf("%s is not UTF-16LE with a byte-order mark: %v", args[0], err)
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), text, 0o644))
}

func scriptZip(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: zip OUT DIR [PREFIX]")
	}
	prefix := ""
	if len(args) == 3 {
		prefix = args[2] + "/"
	}
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	root := ts.MkAbs(args[1])
	ts.Check(filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		fw, err := w.CreateHeader(&zip.FileHeader{Name: prefix + filepath.ToSlash(rel), Method: zip.Deflate})
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = fw.Write(b)
		return err
	}))
	ts.Check(w.Close())
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), buf.Bytes(), 0o644))
}
