package scan

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"
)

// zipEntry is one entry of an archive built by a test. raw, when set,
// writes the header as given (sizes, flags, method) with data as the
// stored bytes: how a hostile or damaged archive is made.
type zipEntry struct {
	name   string
	data   []byte
	method uint16
	raw    *zip.FileHeader
}

func buildZip(t testing.TB, entries []zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		if e.raw != nil {
			fw, err := w.CreateRaw(e.raw)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := fw.Write(e.data); err != nil {
				t.Fatal(err)
			}
			continue
		}
		fw, err := w.CreateHeader(&zip.FileHeader{Name: e.name, Method: e.method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deflated compresses b as a zip entry stores it.
func deflated(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(b)
	fw.Close()
	return buf.Bytes()
}

// rawEntry is an entry whose header says what the test wants.
func rawEntry(t testing.TB, name string, content []byte, method uint16, declared uint64, flags uint16) zipEntry {
	data := content
	if method == zip.Deflate {
		data = deflated(t, content)
	}
	return zipEntry{data: data, raw: &zip.FileHeader{Name: name, Method: method, Flags: flags,
		CRC32: crc32.ChecksumIEEE(content), CompressedSize64: uint64(len(data)), UncompressedSize64: declared}}
}

func sampleTrace(t testing.TB, rule string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(samples, rule, "fr000001.xml"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// utf16LE re-encodes a trace as IIS may write it: UTF-16 with a BOM.
func utf16LE(b []byte) []byte {
	s := strings.Replace(string(b), `encoding="UTF-8"`, `encoding="UTF-16"`, 1)
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func writeZip(t testing.TB, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestArchives(t *testing.T) {
	t.Parallel()
	trace := sampleTrace(t, "app-startup-failed")
	other := sampleTrace(t, "auth-denied")
	bomb := bytes.Repeat([]byte(" "), 8<<20) // deflates about 1,000 times
	tests := []struct {
		name    string
		entries []zipEntry
		limits  ArchiveLimits
		// traces are the entry paths read as traces, in report order.
		traces []string
		// failed are patterns of what the unreadable files' messages say,
		// one file each.
		failed      []string
		skipped     int
		stylesheets int
	}{
		{name: "normal", entries: []zipEntry{
			{name: "W3SVC1/fr000002.xml", data: other, method: zip.Deflate},
			{name: "W3SVC1/fr000001.xml", data: trace, method: zip.Deflate},
			{name: "W3SVC1/freb.xsl", data: []byte("<xsl/>"), method: zip.Deflate},
			{name: "W3SVC1/", method: zip.Store},
		}, traces: []string{"W3SVC1/fr000001.xml", "W3SVC1/fr000002.xml"}, stylesheets: 1},
		{name: "servers in nested folders", entries: []zipEntry{
			{name: "WEB02/inetpub/logs/FailedReqLogFiles/W3SVC1/fr000001.xml", data: other, method: zip.Deflate},
			{name: "WEB01/inetpub/logs/FailedReqLogFiles/W3SVC1/fr000001.xml", data: trace, method: zip.Deflate},
			{name: "WEB01/readme.txt", data: []byte("case 1234"), method: zip.Deflate},
		}, traces: []string{"WEB01/inetpub/logs/FailedReqLogFiles/W3SVC1/fr000001.xml", "WEB02/inetpub/logs/FailedReqLogFiles/W3SVC1/fr000001.xml"}, skipped: 1},
		{name: "stored and deflate, UTF-16", entries: []zipEntry{
			{name: "a.xml", data: trace, method: zip.Store},
			{name: "b.xml", data: trace, method: zip.Deflate},
			{name: "c.xml", data: utf16LE(trace), method: zip.Deflate},
		}, traces: []string{"a.xml", "b.xml", "c.xml"}},
		{name: "bomb by ratio", entries: []zipEntry{
			{name: "fr000001.xml", data: trace, method: zip.Deflate},
			{name: "fr000002.xml", data: bomb, method: zip.Deflate},
		}, traces: []string{"fr000001.xml"}, failed: []string{`fr000002.xml: the entry expands more than --max-archive-ratio \(250\) times`}},
		{name: "bomb whose header claims a large compressed size", entries: []zipEntry{
			func() zipEntry {
				e := rawEntry(t, "fr000001.xml", bomb, zip.Deflate, uint64(len(bomb)), 0)
				e.raw.CompressedSize64 = uint64(len(bomb)) / 2
				return e
			}(),
		}, failed: []string{`fr000001.xml: the entry expands more than --max-archive-ratio \(250\) times \(8 MB from \d\.\d KB compressed\)`}},
		{name: "entry larger than its header says", entries: []zipEntry{
			rawEntry(t, "fr000001.xml", trace, zip.Deflate, 1000, 0),
		}, failed: []string{`fr000001.xml: the entry decompresses to more than the 1000 bytes its header declares`}},
		{name: "too many entries", limits: ArchiveLimits{MaxEntries: 2}, entries: []zipEntry{
			{name: "a.xml", data: trace}, {name: "b.xml", data: trace}, {name: "c.xml", data: trace},
		}, failed: []string{`case.zip: the archive has 3 entries, more than --max-archive-entries \(2\)`}},
		{name: "too large in total", limits: ArchiveLimits{MaxSize: int64(len(trace)) * 3 / 2}, entries: []zipEntry{
			{name: "b.xml", data: trace, method: zip.Deflate}, {name: "a.xml", data: trace, method: zip.Deflate}, {name: "c.xml", data: trace, method: zip.Deflate},
		}, traces: []string{"a.xml"}, failed: []string{`case.zip: the entries add up to more than --max-archive-size \(158.3 KB\) uncompressed: entries from "b.xml" on are not read`}},
		{name: "names that could escape", entries: []zipEntry{
			{name: "../../evil.xml", data: trace}, {name: "/etc/fr1.xml", data: trace}, {name: "C:/Windows/fr2.xml", data: trace},
			{name: `..\up.xml`, data: trace}, {name: `W3SVC1\fr000001.xml`, data: trace},
		}, traces: []string{`W3SVC1\fr000001.xml`}, failed: []string{`entry "\.\./\.\./evil\.xml" has a "\.\." step`, `entry "/etc/fr1\.xml" has an absolute path`, `entry "C:/Windows/fr2\.xml" has a drive letter`, `entry "\.\.\\\\up\.xml" has a "\.\." step`}},
		{name: "encrypted", entries: []zipEntry{
			rawEntry(t, "fr000001.xml", trace, zip.Deflate, uint64(len(trace)), 0x1),
		}, failed: []string{`fr000001.xml: the entry is encrypted`}},
		{name: "unsupported method", entries: []zipEntry{
			func() zipEntry {
				e := rawEntry(t, "fr000001.xml", trace, zip.Store, uint64(len(trace)), 0)
				e.raw.Method = 12
				return e
			}(),
		}, failed: []string{`fr000001.xml: the entry is compressed with method 12 \(bzip2\)`}},
		{name: "damaged data", entries: []zipEntry{
			func() zipEntry {
				e := rawEntry(t, "fr000001.xml", trace, zip.Deflate, uint64(len(trace)), 0)
				e.data = append([]byte(nil), e.data...)
				for i := len(e.data) / 2; i < len(e.data)/2+64; i++ {
					e.data[i] ^= 0x5A
				}
				return e
			}(),
		}, failed: []string{`fr000001.xml: the entry .*copy case\.zip again`}},
		{name: "wrong checksum", entries: []zipEntry{
			func() zipEntry {
				e := rawEntry(t, "fr000001.xml", trace, zip.Store, uint64(len(trace)), 0)
				e.raw.CRC32++
				return e
			}(),
		}, failed: []string{`fr000001.xml: the entry's checksum does not match its content: case\.zip is damaged`}},
		{name: "zip in a zip", entries: []zipEntry{
			{name: "inner.zip", data: buildZip(t, []zipEntry{{name: "fr000001.xml", data: trace}})},
		}, failed: []string{`inner\.zip: an archive inside an archive is not opened: extract case\.zip`}},
		{name: "same name twice", entries: []zipEntry{
			{name: "fr000001.xml", data: trace}, {name: "fr000001.xml", data: other},
		}, traces: []string{"fr000001.xml"}, failed: []string{`fr000001\.xml: a second entry of the same name`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			arc := writeZip(t, t.TempDir(), "case.zip", buildZip(t, tc.entries))
			r := run(t, Options{Inputs: []string{arc}, Workers: 3, Limits: Limits{Archive: tc.limits}, KeepTraces: true})
			var got []string
			for _, dt := range r.Diagnosed {
				got = append(got, strings.TrimPrefix(dt.Trace.File, arc+"/"))
			}
			if strings.Join(got, "|") != strings.Join(tc.traces, "|") {
				t.Errorf("traces %q, want %q", got, tc.traces)
			}
			if len(r.Unreadable) != len(tc.failed) {
				t.Errorf("unreadable %+v, want %d", r.Unreadable, len(tc.failed))
			}
			for _, want := range tc.failed {
				n := 0
				re := regexp.MustCompile(want)
				for _, fe := range r.Unreadable {
					// Every message starts with the path it is about.
					if strings.HasPrefix(fe.Error, fe.File+": ") && re.MatchString(fe.Error) {
						n++
					}
				}
				if n != 1 {
					t.Errorf("%d unreadable files say %q, want 1: %+v", n, want, r.Unreadable)
				}
			}
			if r.Summary.Skipped != tc.skipped || r.Summary.Stylesheets != tc.stylesheets {
				t.Errorf("skipped %d, stylesheets %d; want %d, %d", r.Summary.Skipped, r.Summary.Stylesheets, tc.skipped, tc.stylesheets)
			}
			s := r.Summary
			if s.Files != s.Traces+s.NotFREB+s.Failed+s.Skipped+s.Stylesheets {
				t.Errorf("counts do not add up: %+v", s)
			}
		})
	}
}

func TestArchiveNotAZip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	full := buildZip(t, []zipEntry{{name: "fr000001.xml", data: sampleTrace(t, "auth-denied"), method: zip.Deflate}})
	cut := writeZip(t, dir, "cut.zip", full[:len(full)/2])
	text := writeZip(t, dir, "notes.zip", []byte("not an archive"))
	r := run(t, Options{Inputs: []string{cut, text}})
	if len(r.Unreadable) != 2 {
		t.Fatalf("unreadable %+v, want both archives", r.Unreadable)
	}
	for _, fe := range r.Unreadable {
		if !strings.Contains(fe.Error, "not a readable zip archive") {
			t.Errorf("%s: %q", fe.File, fe.Error)
		}
	}
}

// TestArchiveBesideFolders scans a folder holding traces and an archive,
// and an archive named beside it: everything is read once, in walk order,
// and an entry path reads the one trace (show, Detailer).
func TestArchiveBesideFolders(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	trace := sampleTrace(t, "app-startup-failed")
	writeZip(t, dir, "logs/W3SVC1/fr000001.xml", trace)
	inFolder := writeZip(t, dir, "logs/old.zip", buildZip(t, []zipEntry{{name: "W3SVC2/fr000009.xml", data: trace, method: zip.Deflate}}))
	given := writeZip(t, dir, "case.zip", buildZip(t, []zipEntry{{name: "W3SVC1/fr000003.xml", data: trace, method: zip.Deflate}}))
	r := run(t, Options{Inputs: []string{filepath.Join(dir, "logs"), given, given}, KeepTraces: true})
	var got []string
	for _, dt := range r.Diagnosed {
		got = append(got, dt.Trace.File)
	}
	want := []string{filepath.Join(dir, "logs/W3SVC1/fr000001.xml"), inFolder + "/W3SVC2/fr000009.xml", given + "/W3SVC1/fr000003.xml"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("traces %q, want %q", got, want)
	}

	entry := given + "/W3SVC1/fr000003.xml"
	shown := run(t, Options{Inputs: []string{entry}, KeepTraces: true})
	if len(shown.Diagnosed) != 1 || shown.Diagnosed[0].Trace.File != entry {
		t.Fatalf("show %s: %d traces, unreadable %+v", entry, len(shown.Diagnosed), shown.Unreadable)
	}
	dt, err := Detailer(withDefaults(Options{}))(entry)
	if err != nil || dt.Trace.File != entry || len(dt.Trace.Events) == 0 {
		t.Fatalf("Detailer(%s): %v", entry, err)
	}
	ps := writeZip(t, dir, "ps.zip", buildZip(t, []zipEntry{{name: `W3SVC1\fr000001.xml`, data: trace}}))
	if r := run(t, Options{Inputs: []string{ps + "/W3SVC1/fr000001.xml"}, KeepTraces: true}); len(r.Diagnosed) != 1 || r.Diagnosed[0].Trace.File != ps+`/W3SVC1\fr000001.xml` {
		t.Errorf("an entry stored with backslashes, asked for with slashes: %d traces, unreadable %+v", len(r.Diagnosed), r.Unreadable)
	}
	if _, err := Detailer(withDefaults(Options{}))(given + "/W3SVC1/nope.xml"); err == nil || !strings.Contains(err.Error(), `no entry "W3SVC1/nope.xml"`) {
		t.Errorf("Detailer of a missing entry: %v", err)
	}
}

// TestArchiveClosed checks that archives are let go of once read, also
// when the scan is counted first (progress) and when a state skips
// entries: a folder of many archives must not run out of file handles.
func TestArchiveClosed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	arc := writeZip(t, dir, "case.zip", buildZip(t, []zipEntry{{name: "a.xml", data: sampleTrace(t, "auth-denied")}, {name: "b.xml", data: sampleTrace(t, "auth-denied")}}))
	var opened []*openedArchive
	ev := walkEvents{
		file: func(c candidate) bool {
			opened = append(opened, c.member.arc)
			c.done()
			return true
		},
		skipped: func(candidate, bool) {},
		failed:  func(p string, err error) { t.Errorf("%s: %v", p, err) },
	}
	walkArchive(arc, "", ArchiveLimits{}, ev)
	if len(opened) != 2 || opened[0].refs.Load() != 0 {
		t.Fatalf("entries %d, refs left %d", len(opened), opened[0].refs.Load())
	}
	if _, err := opened[0].f.Stat(); err == nil {
		t.Error("the archive is still open after its entries were done")
	}
	r := run(t, Options{Inputs: []string{arc}, Progress: func(Progress) {}, Skip: func(p string, _ fs.FileInfo) bool { return strings.HasSuffix(p, "a.xml") }})
	if r.Summary.Traces != 1 || r.Summary.Unchanged != 1 {
		t.Errorf("summary %+v", r.Summary)
	}
}

// TestArchiveWorkersSameResult holds archives to the scan's promise: the
// same result whatever the number of workers.
func TestArchiveWorkersSameResult(t *testing.T) {
	t.Parallel()
	var entries []zipEntry
	for _, rule := range []string{"app-startup-failed", "auth-denied", "not-found", "application-error"} {
		for i := range 3 {
			entries = append(entries, zipEntry{name: rule + "/" + string(rune('a'+i)) + ".xml", data: sampleTrace(t, rule), method: zip.Deflate})
		}
	}
	arc := writeZip(t, t.TempDir(), "case.zip", buildZip(t, entries))
	one := run(t, Options{Inputs: []string{arc}, Workers: 1})
	four := run(t, Options{Inputs: []string{arc}, Workers: 4})
	if len(one.Traces) != 12 || len(one.Findings) != len(four.Findings) {
		t.Fatalf("traces %d, findings %d and %d", len(one.Traces), len(one.Findings), len(four.Findings))
	}
	for i := range one.Traces {
		if one.Traces[i].File != four.Traces[i].File {
			t.Fatalf("row %d: %s and %s", i, one.Traces[i].File, four.Traces[i].File)
		}
	}
}

// FuzzArchive feeds untrusted bytes to the archive path: whatever a .zip
// holds, the scan reports and goes on, never panics, and lets the archive
// go.
func FuzzArchive(f *testing.F) {
	trace := sampleTrace(f, "auth-denied")
	good := buildZip(f, []zipEntry{{name: "W3SVC1/fr000001.xml", data: trace, method: zip.Deflate}, {name: "W3SVC1/freb.xsl", data: []byte("x")}})
	f.Add(good)
	f.Add(good[:len(good)-30])
	f.Add(buildZip(f, []zipEntry{rawEntry(f, "../x.xml", trace, zip.Deflate, 10, 1)}))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "fuzz.zip")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Run(context.Background(), withDefaults(Options{Inputs: []string{p}, Workers: 2, Limits: Limits{Archive: ArchiveLimits{MaxSize: 64 << 20}}}))
		if err != nil {
			t.Fatal(err)
		}
		s := r.Summary
		if s.Files != s.Traces+s.NotFREB+s.Failed+s.Skipped+s.Stylesheets {
			t.Errorf("counts do not add up: %+v", s)
		}
	})
}
