package archive

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/scan"
)

func result(n int) *scan.Result {
	return &scan.Result{Summary: scan.Summary{Matched: n}, Findings: []scan.Group{
		{Rule: "via-persistent-auth", Title: "Proxy adds Via <b>", Severity: diagnose.High, Count: n, Vendor: "KEMP LoadMaster"},
		{Rule: "auth-denied", Title: "challenge", Severity: diagnose.Info, Count: 1},
	}}
}

func writer(tag string) WriteFunc {
	return func(format string, w io.Writer) error {
		_, err := fmt.Fprintf(w, "%s report %s", format, tag)
		return err
	}
}

func TestUpdateAndRetention(t *testing.T) {
	dir := t.TempDir()
	base := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for i := 0; i < 4; i++ {
		_, wrote, err := Update(Options{Dir: dir, Formats: []string{"json", "html"}, Keep: 3, Now: base.Add(time.Duration(i) * time.Hour)}, result(i+1), writer(fmt.Sprint(i)))
		if err != nil || !wrote {
			t.Fatalf("run %d: %v %v", i, wrote, err)
		}
	}
	idx, err := loadIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(idx.Entries) != 3 || idx.Entries[0].Traces != 4 {
		t.Fatalf("entries = %+v", idx.Entries)
	}
	if len(idx.Entries[0].Findings) != 1 {
		t.Errorf("informational findings listed as headlines: %+v", idx.Entries[0].Findings)
	}
	if _, err := os.Stat(filepath.Join(dir, "incident-20260302T100000Z.json")); !errors.Is(err, os.ErrNotExist) {
		t.Error("the oldest incident was not removed by --keep 3")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "latest.html")); string(b) != "html report 3" {
		t.Errorf("latest.html = %q", b)
	}
	page, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if !strings.Contains(string(page), "Proxy adds Via &lt;b&gt;") || strings.Contains(string(page), "<b>") {
		t.Error("index.html does not escape titles")
	}
	// --keep-days drops everything older.
	if _, _, err := Update(Options{Dir: dir, Formats: []string{"json"}, KeepDays: 1, Now: base.Add(72 * time.Hour)}, result(9), writer("x")); err != nil {
		t.Fatal(err)
	}
	idx, _ = loadIndex(dir)
	if len(idx.Entries) != 1 {
		t.Errorf("--keep-days 1 kept %d entries", len(idx.Entries))
	}
}

func TestNoFindingsWritesNothing(t *testing.T) {
	dir := t.TempDir()
	if _, wrote, err := Update(Options{Dir: dir, Formats: []string{"json"}}, &scan.Result{}, writer("")); wrote || err != nil {
		t.Fatalf("wrote=%v err=%v", wrote, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written for a clean run: %v", entries)
	}
}

// TestFailureLeavesPreviousReports simulates a disk that fills up while
// the second run writes its report.
func TestFailureLeavesPreviousReports(t *testing.T) {
	dir := t.TempDir()
	base := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	if _, _, err := Update(Options{Dir: dir, Formats: []string{"json", "html"}, Now: base}, result(1), writer("first")); err != nil {
		t.Fatal(err)
	}
	full := func(format string, w io.Writer) error {
		if format == "html" {
			io.WriteString(w, "<html>half")
			return errors.New("write: no space left on device")
		}
		return writer("second")(format, w)
	}
	_, _, err := Update(Options{Dir: dir, Formats: []string{"json", "html"}, Now: base.Add(time.Hour)}, result(2), full)
	if err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "latest.html")); string(b) != "html report first" {
		t.Errorf("latest.html damaged: %q", b)
	}
	var idx Index
	b, _ := os.ReadFile(filepath.Join(dir, "index.json"))
	if json.Unmarshal(b, &idx) != nil || len(idx.Entries) != 1 {
		t.Errorf("index changed by a failed run: %s", b)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	if len(matches) != 0 {
		t.Errorf("temporary files left: %v", matches)
	}
}

func TestOutDirIsAFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "reports")
	os.WriteFile(f, nil, 0o644)
	if _, _, err := Update(Options{Dir: f, Formats: []string{"json"}}, result(1), writer("")); err == nil {
		t.Fatal("no error for an out-dir that is a file")
	}
}

func TestCorruptIndexIsRebuilt(t *testing.T) {
	dir := t.TempDir()
	base := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	Update(Options{Dir: dir, Formats: []string{"json"}, Now: base}, result(1), writer("a"))
	os.WriteFile(filepath.Join(dir, "index.json"), []byte("{broken"), 0o644)
	if _, _, err := Update(Options{Dir: dir, Formats: []string{"json"}, Now: base.Add(time.Hour)}, result(2), writer("b")); err != nil {
		t.Fatal(err)
	}
	idx, _ := loadIndex(dir)
	if len(idx.Entries) != 2 {
		t.Errorf("rebuilt index has %d entries, want 2", len(idx.Entries))
	}
}

func TestSameSecondRunsKeepBoth(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for i := 0; i < 2; i++ {
		if _, _, err := Update(Options{Dir: dir, Formats: []string{"json"}, Now: now}, result(1), writer(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "incident-*.json"))
	if len(matches) != 2 {
		t.Errorf("incidents = %v", matches)
	}
}
