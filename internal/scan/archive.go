package scan

import (
	"archive/zip"
	"compress/flate"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
)

// Support cases arrive zipped: one or several servers' FailedReqLogFiles
// folders in one .zip. frebscan reads the entries where they are, as
// streams, and never writes them to disk, so no entry name is ever used
// as a path. An entry is named like a file in a folder: the archive's path,
// a slash, and the entry's name as stored (case.zip/W3SVC1/fr000001.xml),
// the way Explorer and 7-Zip show it. The name is unambiguous: a path
// cannot go on through a regular file, so when a part of a path ending in
// .zip is a file, what follows is an entry of that archive. (The
// archive.zip!/entry form of Java and others was not taken: an
// interactive bash expands "!/" as a history event and refuses the line
// a report tells the user to copy.)

// Defaults of the archive limits (--max-archive-size, --max-archive-ratio,
// --max-archive-entries). IIS keeps 50 traces of at most 512 KB per site
// (maxLogFiles, maxLogFileSizeKB), 25 MB a site, so a case of many servers
// and sites fits in 4 GB and 100,000 entries many times over. FREB XML
// compresses 8 to 73 times with deflate (median 28, measured on the 147
// traces of the corpus and samples; 88 for the most repetitive one
// re-encoded as UTF-16), while a zip bomb expands about 1,000 times: 250
// separates them.
const (
	DefaultMaxArchiveSize    = 4 << 30
	DefaultMaxArchiveRatio   = 250
	DefaultMaxArchiveEntries = 100_000
)

// ratioFloor is the size below which the ratio is not checked: a small
// entry cannot cost much whatever its ratio, and a tiny trace of repeated
// text may legitimately compress further than a large one.
const ratioFloor = 1 << 20

// ArchiveLimits bound what one archive may cost. Zero values mean the
// defaults.
type ArchiveLimits struct {
	// MaxSize bounds the uncompressed bytes read from one archive, all
	// entries together.
	MaxSize int64
	// MaxRatio bounds how many times an entry may expand (uncompressed
	// bytes over compressed bytes).
	MaxRatio int64
	// MaxEntries bounds the number of entries (folders included).
	MaxEntries int
}

func (l ArchiveLimits) withDefaults() ArchiveLimits {
	if l.MaxSize <= 0 {
		l.MaxSize = DefaultMaxArchiveSize
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = DefaultMaxArchiveRatio
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = DefaultMaxArchiveEntries
	}
	return l
}

// isArchiveName reports whether a file is read as a zip archive.
func isArchiveName(name string) bool {
	return strings.EqualFold(filepath.Ext(name), ".zip")
}

// SplitArchivePath splits a path naming an archive entry
// (case.zip/W3SVC1/fr000001.xml) into the archive's path and the entry's
// name. ok is false when no part of p ending in .zip is a regular file.
// On Windows a backslash after the archive's name is a separator too, and
// the entry's backslashes become slashes, as entry names are stored.
func SplitArchivePath(p string) (archive, entry string, ok bool) {
	lower := strings.ToLower(p)
	for from := 0; ; {
		i := strings.Index(lower[from:], ".zip")
		if i < 0 {
			return "", "", false
		}
		end := from + i + len(".zip")
		from = end
		if end >= len(p) || !isSeparator(p[end]) {
			continue
		}
		if fi, err := os.Stat(p[:end]); err == nil && fi.Mode().IsRegular() {
			entry = p[end+1:]
			if runtime.GOOS == "windows" {
				entry = strings.ReplaceAll(entry, `\`, "/")
			}
			return p[:end], entry, true
		}
	}
}

func isSeparator(c byte) bool {
	return c == '/' || (runtime.GOOS == "windows" && c == '\\')
}

// entryPath is how reports name an entry.
func entryPath(archive, name string) string { return archive + "/" + name }

// openedArchive is one archive open for reading. The walker lists it and
// hands its entries to the workers; it stays open until the walker and
// every entry handed out are done with it (refs), so a folder of many
// archives does not hold them all open at once.
type openedArchive struct {
	path string
	f    *os.File
	zr   *zip.Reader
	// size is the archive's size on disk: no entry can have more
	// compressed bytes, whatever its header says.
	size int64
	refs atomic.Int64
}

func (a *openedArchive) hold() { a.refs.Add(1) }

func (a *openedArchive) release() {
	if a.refs.Add(-1) == 0 {
		a.f.Close()
	}
}

// member is an archive entry handed to a worker.
type member struct {
	arc  *openedArchive
	file *zip.File
}

// unsafeName says why an entry name could point outside the folder it
// would be extracted to ("" when it cannot): frebscan never extracts, but
// such a name in a support case is worth a word, and such an entry is not
// read.
func unsafeName(name string) string {
	n := slashed(name)
	switch {
	case strings.HasPrefix(n, "/"):
		return "an absolute path"
	case len(n) >= 2 && n[1] == ':' && (n[0]|0x20 >= 'a' && n[0]|0x20 <= 'z'):
		return "a drive letter"
	case strings.ContainsRune(n, 0):
		return "a NUL character"
	}
	for _, part := range strings.Split(n, "/") {
		if part == ".." {
			return `a ".." step`
		}
	}
	return ""
}

// methodName names the compression methods people meet in zips.
func methodName(m uint16) string {
	switch m {
	case 1:
		return "shrink"
	case 6:
		return "implode"
	case 9:
		return "deflate64"
	case 12:
		return "bzip2"
	case 14:
		return "lzma"
	case 93:
		return "zstd"
	case 95:
		return "xz"
	case 98:
		return "ppmd"
	case 99:
		return "AES encryption"
	}
	return "unknown"
}

// slashed writes an entry name with forward slashes. Windows PowerShell
// 5.1's Compress-Archive, the zip tool an IIS admin has at hand, stores
// names with backslashes against the zip specification
// (PowerShell/Microsoft.PowerShell.Archive#48, fixed in a later module):
// such entries are read, named as stored, and a path typed with either
// separator finds them.
func slashed(name string) string { return strings.ReplaceAll(name, `\`, "/") }

// walkArchive lists an archive's entries in name order and hands each
// trace to ev.file. only, when not empty, picks the one entry of that
// name (frebscan show case.zip/W3SVC1/fr000001.xml). It returns false when
// ev.file asked to stop.
func walkArchive(path, only string, l ArchiveLimits, ev walkEvents) bool {
	l = l.withDefaults()
	// Messages start with the path they are about, as Go's own do: a
	// report's table strips it (FileError.Reason), show prints it whole.
	fail := func(p string, err error) { ev.failed(p, fmt.Errorf("%s: %w", p, err)) }
	f, err := os.Open(path)
	if err != nil {
		ev.failed(path, err)
		return true
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		ev.failed(path, err)
		return true
	}
	zr, err := zip.NewReader(f, fi.Size())
	// ErrInsecurePath comes with a usable reader (GODEBUG zipinsecurepath=0):
	// names are checked below, entry by entry, whatever the setting.
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		f.Close()
		fail(path, fmt.Errorf("not a readable zip archive (%v): if it was cut short while copied, copy it again; if it is another kind of archive, extract it and scan the folder", err))
		return true
	}
	if len(zr.File) > l.MaxEntries {
		f.Close()
		fail(path, fmt.Errorf("the archive has %d entries, more than --max-archive-entries (%d): not read; raise the limit if the archive is genuine", len(zr.File), l.MaxEntries))
		return true
	}
	a := &openedArchive{path: path, f: f, zr: zr, size: fi.Size()}
	a.refs.Store(1) // the walker's own hold, released when listing ends
	defer a.release()

	files := append([]*zip.File(nil), zr.File...)
	sort.SliceStable(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	var total uint64
	seen := map[string]bool{}
	found := false
	for _, zf := range files {
		if only != "" && slashed(zf.Name) != slashed(only) {
			continue
		}
		found = true
		name := entryPath(path, zf.Name)
		if why := unsafeName(zf.Name); why != "" {
			fail(path, fmt.Errorf("entry %q has %s in its name: not read (frebscan never extracts, so it is not used as a path)", zf.Name, why))
			continue
		}
		if strings.HasSuffix(zf.Name, "/") || zf.FileInfo().IsDir() {
			continue
		}
		if seen[zf.Name] {
			fail(name, errors.New("a second entry of the same name in the archive: only the first is read"))
			continue
		}
		seen[zf.Name] = true
		base := zf.Name[strings.LastIndexAny(zf.Name, `/\`)+1:]
		size := int64(min(zf.UncompressedSize64, 1<<62))
		switch {
		case isArchiveName(base):
			// One archive level only: a zip inside a zip would have to be
			// held in memory (zip needs random access) and could nest
			// without end.
			fail(name, fmt.Errorf("an archive inside an archive is not opened: extract %s and scan the folder", filepath.Base(path)))
			continue
		case !isTraceName(base):
			ev.skipped(candidate{path: name, size: size}, isStylesheet(base))
			continue
		case zf.Flags&0x1 != 0:
			fail(name, fmt.Errorf("the entry is encrypted, which frebscan does not read: extract %s with its password and scan the folder", filepath.Base(path)))
			continue
		case zf.Method != zip.Store && zf.Method != zip.Deflate:
			fail(name, fmt.Errorf("the entry is compressed with method %d (%s), which frebscan does not read (only stored and deflate): extract %s and scan the folder, or zip it again with Explorer's \"Send to > Compressed folder\"", zf.Method, methodName(zf.Method), filepath.Base(path)))
			continue
		}
		if err := declaredRatio(zf, a.size, l.MaxRatio); err != nil {
			fail(name, err)
			continue
		}
		// The declared sizes only decide which entries are handed out, in
		// name order, so the same archive gives the same report; while
		// decompressing, each entry is held to its declared size (and
		// ratio), so the bytes read cannot add up to more than the limit
		// whatever the headers say.
		total += zf.UncompressedSize64
		if total > uint64(l.MaxSize) {
			fail(path, fmt.Errorf("the entries add up to more than --max-archive-size (%s) uncompressed: entries from %q on are not read; raise the limit if the archive is genuine", sizeText(l.MaxSize), zf.Name))
			return true
		}
		a.hold()
		if !ev.file(candidate{path: name, size: size, member: &member{arc: a, file: zf}}) {
			return false
		}
	}
	if only != "" && !found {
		fail(entryPath(path, only), fmt.Errorf("no entry %q in the archive (it has %d entries; frebscan scan %s lists its traces)", only, len(zr.File), path))
	}
	return true
}

// declaredRatio refuses an entry whose header already says it expands past
// the limit, before any byte is decompressed.
func declaredRatio(zf *zip.File, archiveSize, limit int64) error {
	if zf.UncompressedSize64 < ratioFloor || zf.Method == zip.Store {
		return nil
	}
	c := compressedBound(zf, archiveSize)
	if zf.UncompressedSize64/c > uint64(limit) {
		return ratioError(zf.UncompressedSize64, c, limit)
	}
	return nil
}

// compressedBound is the most compressed bytes an entry can have: its
// declared size, but never more than the archive (a header may claim a
// large compressed size to make a bomb's ratio look ordinary).
func compressedBound(zf *zip.File, archiveSize int64) uint64 {
	return max(min(zf.CompressedSize64, uint64(max(archiveSize, 1))), 1)
}

func ratioError(uncompressed, compressed uint64, limit int64) error {
	return fmt.Errorf("the entry expands more than --max-archive-ratio (%d) times (%s from %s compressed): a zip bomb or a damaged archive; not read", limit, sizeText(int64(min(uncompressed, 1<<62))), sizeText(int64(min(compressed, 1<<62))))
}

// sizeText writes a byte count for messages.
func sizeText(n int64) string {
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}} {
		if n >= u.mult {
			if n%u.mult == 0 {
				return fmt.Sprintf("%d %s", n/u.mult, u.suffix)
			}
			return fmt.Sprintf("%.1f %s", float64(n)/float64(u.mult), u.suffix)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// open starts decompressing the entry. The decompressor is frebscan's
// own over the raw bytes (archive/zip's OpenRaw), so the counting, the
// size and checksum checks and their messages are in entryReader.
func (m *member) open() (*entryReader, error) {
	raw, err := m.file.OpenRaw()
	if err != nil {
		return nil, m.damaged(err)
	}
	r := &entryReader{m: m, crc: crc32.NewIEEE()}
	switch m.file.Method {
	case zip.Store:
		r.src = raw
	case zip.Deflate:
		fr := flate.NewReader(raw)
		r.src, r.closer = fr, fr
	default: // the walker hands out no other method
		return nil, fmt.Errorf("the entry is compressed with method %d, which frebscan does not read", m.file.Method)
	}
	return r, nil
}

// damaged says what an error from the archive's bytes means to the user.
func (m *member) damaged(err error) error {
	return fmt.Errorf("the entry is damaged or cut short (%v): copy %s again", err, filepath.Base(m.arc.path))
}

// entryReader counts the bytes decompressed itself, never trusting the
// header: past the declared size it stops with an error, and it keeps the
// first error so the trace read from it is reported as failed, not as a
// trace cut short. Holding each entry to its declared size is what makes
// the checks made on the declared sizes when listing (the archive's total,
// the ratio against a compressed size bounded by the archive's own size)
// hold for the bytes actually decompressed.
type entryReader struct {
	m      *member
	src    io.Reader
	closer io.Closer
	crc    hash.Hash32
	n      uint64
	fail   error
}

func (r *entryReader) Read(p []byte) (int, error) {
	if r.fail != nil {
		return 0, r.fail
	}
	zf := r.m.file
	// Ask for one byte more than the header allows, at most, so an entry
	// that goes on is caught without decompressing further.
	if left := zf.UncompressedSize64 - min(r.n, zf.UncompressedSize64) + 1; uint64(len(p)) > left {
		p = p[:left]
	}
	n, err := r.src.Read(p)
	r.n += uint64(n)
	r.crc.Write(p[:n])
	switch {
	case r.n > zf.UncompressedSize64:
		r.fail = fmt.Errorf("the entry decompresses to more than the %s its header declares: the archive is damaged or hostile; not read", sizeText(int64(min(zf.UncompressedSize64, 1<<62))))
	case err == io.EOF && r.n < zf.UncompressedSize64:
		r.fail = r.m.damaged(fmt.Errorf("%s of the %s its header declares", sizeText(int64(r.n)), sizeText(int64(min(zf.UncompressedSize64, 1<<62)))))
	case err == io.EOF && r.crc.Sum32() != zf.CRC32:
		r.fail = fmt.Errorf("the entry's checksum does not match its content: %s is damaged; copy it again", filepath.Base(r.m.arc.path))
	case err != nil && err != io.EOF:
		r.fail = r.m.damaged(err)
	}
	if r.fail != nil {
		return 0, r.fail
	}
	return n, err
}

// Close ends the read.
func (r *entryReader) Close() error {
	if r.closer != nil {
		return r.closer.Close()
	}
	return nil
}
