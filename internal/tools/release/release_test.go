package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"debug/pe"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

const (
	fakeVersion = "9.9.9-test"
	fakeCommit  = "0123456789abcdef0123456789abcdef01234567"
	fakeDate    = "2026-01-02T03:04:05Z"
)

// fakeRelease builds a release into out with a fake identity, as make
// release would (no git needed, so it runs in CI's clean clone with
// -buildvcs=false all the same).
func fakeRelease(t *testing.T, out string, targets []target, sbom, winres string) []string {
	t.Helper()
	c := config{Root: filepath.Join("..", "..", ".."), Out: out, Version: fakeVersion, Commit: fakeCommit, Date: fakeDate,
		Targets: targets, SBOM: sbom, Winres: winres, Go: "go", Log: io.Discard}
	if err := c.identify(io.Discard); err != nil {
		t.Fatal(err)
	}
	names, err := build(c)
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// cachedTool makes the module cache the module proxy for the rest of the
// test and returns pkg (module@version), or "" when it is not in the
// cache: a test does not download tools; make release does.
func cachedTool(t *testing.T, pkg string) string {
	t.Helper()
	cache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.ToSlash(filepath.Join(strings.TrimSpace(string(cache)), "cache", "download"))
	if !strings.HasPrefix(dir, "/") {
		dir = "/" + dir // file:///C:/… on Windows
	}
	t.Setenv("GOPROXY", "file://"+dir)
	probe := exec.Command("go", "install", pkg)
	probe.Env = append(os.Environ(), "GOBIN="+t.TempDir())
	if b, err := probe.CombinedOutput(); err != nil {
		t.Logf("%s is not in the module cache, its part is skipped: %s", pkg, b)
		return ""
	}
	return pkg
}

func checkArchive(t *testing.T, out1, out2 string, names []string) {
	base := "frebscan_" + fakeVersion + "_linux_amd64"
	name := base + ".tar.gz"
	sums1, err := os.ReadFile(filepath.Join(out1, SumsFile))
	if err != nil {
		t.Fatal(err)
	}
	sums2, err := os.ReadFile(filepath.Join(out2, SumsFile))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(sums1), "\n"); n != len(names) {
		t.Errorf("SHA256SUMS has %d lines for %d artifacts %v:\n%s", n, len(names), names, sums1)
	}
	data, err := os.ReadFile(filepath.Join(out2, name))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	want := hex.EncodeToString(sum[:]) + "  " + name + "\n"
	if string(sums2) != want {
		t.Errorf("SHA256SUMS =\n%q\nwant\n%q", sums2, want)
	}
	if !strings.Contains(string(sums1), want) {
		t.Errorf("two builds of one commit differ (not reproducible):\n%s\n%s", sums1, sums2)
	}
	if _, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command("sha256sum", "-c", SumsFile)
		cmd.Dir = out1
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum -c: %v\n%s", err, b)
		}
	}

	members := readTarGz(t, data)
	var got []string
	for n := range members {
		got = append(got, n)
	}
	sort.Strings(got)
	wantNames := []string{base + "/", base + "/CHANGELOG.md", base + "/LICENSE", base + "/README.md",
		base + "/completions/", base + "/completions/_frebscan", base + "/completions/frebscan.bash",
		base + "/completions/frebscan.fish", base + "/completions/frebscan.ps1", base + "/frebscan",
		base + "/man/", base + "/man/man1/"}
	pages, err := filepath.Glob(filepath.Join("..", "..", "..", "docs", "man", "*.1"))
	if err != nil || len(pages) < 10 {
		t.Fatalf("docs/man: %v, %d pages", err, len(pages))
	}
	for _, p := range pages {
		wantNames = append(wantNames, base+"/man/man1/"+filepath.Base(p))
	}
	sort.Strings(wantNames)
	if strings.Join(got, "\n") != strings.Join(wantNames, "\n") {
		t.Errorf("archive members:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantNames, "\n"))
	}
	epoch, _ := time.Parse(time.RFC3339, fakeDate)
	for n, m := range members {
		h := m.h
		if !h.ModTime.Equal(epoch) || h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" {
			t.Errorf("%s: mtime %v uid %d gid %d %q %q, want the commit time and root", n, h.ModTime, h.Uid, h.Gid, h.Uname, h.Gname)
		}
		wantMode := int64(0o644)
		if strings.HasSuffix(n, "/") || n == base+"/frebscan" {
			wantMode = 0o755
		}
		if h.Mode != wantMode {
			t.Errorf("%s: mode %o, want %o", n, h.Mode, wantMode)
		}
	}
	for file, text := range map[string]string{"LICENSE": "Apache License", "CHANGELOG.md": "## [Unreleased]",
		"README.md": "# frebscan", "completions/frebscan.bash": "__start_frebscan", "completions/_frebscan": "#compdef frebscan",
		"completions/frebscan.fish": "complete -c frebscan", "completions/frebscan.ps1": "Register-ArgumentCompleter"} {
		if !strings.Contains(string(members[base+"/"+file].data), text) {
			t.Errorf("%s lacks %q", file, text)
		}
	}
	for _, p := range pages {
		disk, _ := os.ReadFile(p)
		if !bytes.Equal(members[base+"/man/man1/"+filepath.Base(p)].data, disk) {
			t.Errorf("archived %s differs from docs/man", filepath.Base(p))
		}
	}

	if runtime.GOOS+"/"+runtime.GOARCH != "linux/amd64" {
		t.Logf("host is %s/%s: the linux/amd64 binary is not run", runtime.GOOS, runtime.GOARCH)
		return
	}
	exe := filepath.Join(t.TempDir(), "frebscan")
	if err := os.WriteFile(exe, members[base+"/frebscan"].data, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := exec.Command(exe, "--version").CombinedOutput()
	wantVersion := "frebscan 9.9.9-test (commit 0123456789ab, 2026-01-02T03:04:05Z, " + runtime.Version() + " linux/amd64)\n"
	if err != nil || string(b) != wantVersion {
		t.Errorf("--version: %v: %q, want %q", err, b, wantVersion)
	}
	b, err = exec.Command(exe, "version", "--format", "json").Output()
	var in map[string]any
	if err != nil || json.Unmarshal(b, &in) != nil || in["commit"] != fakeCommit || in["date"] != fakeDate || in["modified"] != false {
		t.Errorf("version --format json: %v: %s", err, b)
	}
}

// checkSBOM: the CycloneDX SBOM of the linux binary names frebscan at the
// release version, lists the modules linked in (and not the test-only
// ones), has no serial number or timestamp (reproducible), and
// SHA256SUMS covers it.
func checkSBOM(t *testing.T, out string, names []string) {
	sbomName := "frebscan_" + fakeVersion + "_linux_amd64.sbom.cdx.json"
	found := false
	for _, n := range names {
		found = found || n == sbomName
	}
	if !found {
		t.Fatalf("artifacts %v lack %s", names, sbomName)
	}
	b, err := os.ReadFile(filepath.Join(out, sbomName))
	if err != nil {
		t.Fatal(err)
	}
	var bom struct {
		BOMFormat string `json:"bomFormat"`
		Metadata  struct {
			Timestamp string `json:"timestamp"`
			Component struct{ Name, Version string }
		}
		SerialNumber string `json:"serialNumber"`
		Components   []struct{ Name, Version, Purl string }
	}
	if err := json.Unmarshal(b, &bom); err != nil {
		t.Fatal(err)
	}
	if bom.BOMFormat != "CycloneDX" || bom.Metadata.Component.Name != "github.com/frebscan/frebscan" ||
		bom.Metadata.Component.Version != "v"+fakeVersion || bom.Metadata.Timestamp != "" || bom.SerialNumber != "" {
		t.Errorf("SBOM header: %+v serial %q", bom.Metadata, bom.SerialNumber)
	}
	cobra := false
	for _, c := range bom.Components {
		if c.Name == "github.com/spf13/cobra" && strings.Contains(c.Purl, "goos=linux") {
			cobra = true
		}
		if strings.Contains(c.Name, "chromedp") {
			t.Errorf("SBOM lists %s, a test-only module not linked into frebscan", c.Name)
		}
	}
	if !cobra {
		t.Errorf("SBOM lacks github.com/spf13/cobra for linux: %+v", bom.Components)
	}
	sums, _ := os.ReadFile(filepath.Join(out, SumsFile))
	if !strings.Contains(string(sums), "  "+sbomName+"\n") {
		t.Errorf("SHA256SUMS does not cover the SBOM:\n%s", sums)
	}
}

// checkVersionResource: frebscan.exe in the Windows archive carries a
// version resource naming the version and the commit (a Go binary has no
// resource section at all without it).
func checkVersionResource(t *testing.T, out string) {
	base := "frebscan_" + fakeVersion + "_windows_amd64"
	zr, err := zip.OpenReader(filepath.Join(out, base+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open(base + "/frebscan.exe")
	if err != nil {
		t.Fatal(err)
	}
	exe, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	pf, err := pe.NewFile(bytes.NewReader(exe))
	if err != nil {
		t.Fatal(err)
	}
	rsrc := pf.Section(".rsrc")
	if rsrc == nil {
		t.Fatal("frebscan.exe has no .rsrc section")
	}
	data, err := rsrc.Data()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"VS_VERSION_INFO", "ProductVersion", fakeVersion + " (commit " + fakeCommit + ")", "OriginalFilename", "frebscan.exe"} {
		if !bytes.Contains(data, utf16le(want)) {
			t.Errorf("version resource lacks %q", want)
		}
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

func TestNumericVersion(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"0.1.0": "0.1.0.0", "1.2.10-0.20261129161817-4405236aa1b2": "1.2.10.0",
		"0.0.0-20261129161817-4405236aa1b2+dirty": "0.0.0.0", "9.9.9-test": "9.9.9.0", "70000.1": "0.1.0.0", "dev": "0.0.0.0"} {
		if got := numericVersion(in); got != want {
			t.Errorf("numericVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

type member struct {
	h    *tar.Header
	data []byte
}

func readTarGz(t *testing.T, data []byte) map[string]member {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if !zr.ModTime.IsZero() || zr.Name != "" {
		t.Errorf("gzip header carries time %v / name %q", zr.ModTime, zr.Name)
	}
	tr := tar.NewReader(zr)
	out := map[string]member{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out[h.Name] = member{h, b}
	}
}

// TestArchiveWritersDeterministic: the order files are staged in does not
// change a byte, entries come out sorted with their directories, and the
// zip keeps the time and the binary's execute bit.
func TestArchiveWritersDeterministic(t *testing.T) {
	t.Parallel()
	mtime := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	files := []file{
		{Name: "frebscan.exe", Mode: 0o755, Data: []byte("MZ binary")},
		{Name: "man/man1/frebscan.1", Mode: 0o644, Data: []byte(".TH")},
		{Name: "LICENSE", Mode: 0o644, Data: []byte("Apache")},
		{Name: "completions/frebscan.ps1", Mode: 0o644, Data: []byte("Register-ArgumentCompleter")},
	}
	reversed := append([]file(nil), files...)
	for i, j := 0, len(reversed)-1; i < j; i, j = i+1, j-1 {
		reversed[i], reversed[j] = reversed[j], reversed[i]
	}
	for _, w := range []struct {
		name  string
		write func(io.Writer, string, []file, time.Time) error
	}{{"tar.gz", writeTarGz}, {"zip", writeZip}} {
		var a, b bytes.Buffer
		if err := w.write(&a, "top", files, mtime); err != nil {
			t.Fatal(err)
		}
		if err := w.write(&b, "top", reversed, mtime); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: staging order changed the bytes", w.name)
		}
	}

	var z bytes.Buffer
	if err := writeZip(&z, "top", files, mtime); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(z.Bytes()), int64(z.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if !f.Modified.Equal(mtime) {
			t.Errorf("%s: modified %v, want %v", f.Name, f.Modified, mtime)
		}
		if f.Name == "top/frebscan.exe" && f.Mode().Perm() != 0o755 {
			t.Errorf("%s: mode %v", f.Name, f.Mode())
		}
		if strings.HasSuffix(f.Name, "/") != f.Mode().IsDir() {
			t.Errorf("%s: mode %v", f.Name, f.Mode())
		}
	}
	want := "top/ top/LICENSE top/completions/ top/completions/frebscan.ps1 top/frebscan.exe top/man/ top/man/man1/ top/man/man1/frebscan.1"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("zip entries:\n%s\nwant\n%s", got, want)
	}
}

func TestVersionFor(t *testing.T) {
	t.Parallel()
	when := time.Date(2026, 11, 29, 17, 18, 17, 0, time.FixedZone("CET", 3600))
	const commit = "4405236aa1b2c3d4e5f60718293a4b5c6d7e8f90"
	tests := []struct{ exact, nearest, want string }{
		{"v0.1.0", "v0.1.0", "0.1.0"},
		{"", "v0.1.0", "0.1.1-0.20261129161817-4405236aa1b2"},
		{"", "v1.2.9", "1.2.10-0.20261129161817-4405236aa1b2"},
		{"", "v0.2.0-rc.1", "0.2.0-rc.1.0.20261129161817-4405236aa1b2"},
		{"", "", "0.0.0-20261129161817-4405236aa1b2"},
		{"", "vfoo", "0.0.0-20261129161817-4405236aa1b2"},
	}
	for _, tt := range tests {
		if got := versionFor(tt.exact, tt.nearest, when, commit); got != tt.want {
			t.Errorf("versionFor(%q, %q) = %q, want %q", tt.exact, tt.nearest, got, tt.want)
		}
	}
}

func TestIdentifyRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		c    config
		want string
	}{
		{config{Version: "../../etc", Commit: fakeCommit, Date: fakeDate}, "letters, digits"},
		{config{Version: `1.0"`, Commit: fakeCommit, Date: fakeDate}, "letters, digits"},
		{config{Version: "1.0.0", Commit: "HEAD", Date: fakeDate}, "hexadecimal"},
		{config{Version: "1.0.0", Commit: fakeCommit, Date: "yesterday"}, "RFC 3339"},
	}
	for _, tt := range tests {
		err := tt.c.identify(io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("identify(%+v) = %v, want an error about %s", tt.c, err, tt.want)
		}
	}
	c := config{Version: "v0.1.0", Commit: fakeCommit, Date: "2026-01-02T04:04:05+01:00"}
	if err := c.identify(io.Discard); err != nil || c.Version != "0.1.0" || c.Date != fakeDate {
		t.Errorf("identify: %v, %+v", err, c)
	}
}
