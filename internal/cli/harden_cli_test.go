package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHostileTextIsNeutralised: escape sequences, C1 controls and bidi
// overrides a trace carries (in the URL as raw UTF-8, in a header as
// character references, in the file name) reach neither the text report
// nor show as raw bytes a terminal would obey.
func TestHostileTextIsNeutralised(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../samples/healthy-direct/fr000001.xml")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(string(data), "User-Agent: ", "User-Agent: &#x9b;2J&#x9d;0;title&#x7; &#x202e;gnp.exe ", 1)
	doc = strings.Replace(doc, `<failedRequest url="https://`, "<failedRequest url=\"https://\u009b31m\u202e", 1)
	dir := t.TempDir()
	name := filepath.Join(dir, "fr\u009b2J\u202e000001.xml")
	if err := os.WriteFile(name, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"show", "--events", "all", name},
		{"scan", "--fail-on", "none", "--progress", "never", dir},
		{"scan", "--fail-on", "none", "--progress", "never", "--status", "200", filepath.Join(dir, "*.xml")},
	} {
		r := frebscan(t, args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		out := r.stdout + r.stderr
		for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u009d", "\u202e"} {
			if strings.Contains(out, bad) {
				t.Errorf("%v: output carries %q", args, bad)
			}
		}
		if !strings.Contains(out, `\u009b`) {
			t.Errorf("%v: the neutralised sequence is not shown", args)
		}
	}
}

// TestLimitFlags: each limit flag, set low, cuts the samples with a warning
// in the scan report and in show.
func TestLimitFlags(t *testing.T) {
	t.Parallel()
	// A copy of a sample with a 400 KB response body in one event: events
	// that fit the reader's 256 KiB buffer are always read.
	data, err := os.ReadFile("../../samples/via-persistent-auth/fr000001.xml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	k := strings.LastIndex(string(data), "</Data>")
	big := string(data[:k]) + strings.Repeat("body ", 80<<10) + string(data[k:])
	if err := os.WriteFile(filepath.Join(dir, "fr000001.xml"), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		flag, value, want string
	}{
		{"--max-file-size", "20KB", "larger than the file size limit (20480 bytes)"},
		{"--max-event-size", "300KB", "larger than MaxEventSize (307200 bytes)"},
		{"--max-headers", "3", "more than the limit of 3; kept the first 3"},
	} {
		doc, _ := scanJSON(t, "--progress", "never", tc.flag, tc.value, dir)
		b, _ := json.Marshal(doc["warnings"])
		if !strings.Contains(string(b), tc.want) {
			t.Errorf("scan %s %s: warnings %s lack %q", tc.flag, tc.value, b, tc.want)
		}
		r := frebscan(t, "show", tc.flag, tc.value, filepath.Join(dir, "fr000001.xml"))
		// The terminal view wraps warnings at spaces: compare words.
		if r.code != 0 || !strings.Contains(strings.Join(strings.Fields(r.stdout), " "), tc.want) {
			t.Errorf("show %s %s: exit %d, no %q in the output", tc.flag, tc.value, r.code, tc.want)
		}
	}
	if r := frebscan(t, "scan", "--max-file-size", "lots", "../../samples"); r.code != 2 || !strings.Contains(r.stderr, "--max-file-size") {
		t.Errorf("bad size: exit %d, %q", r.code, r.stderr)
	}
}
