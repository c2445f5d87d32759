package state

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"time"
)

// Version 3 files are a one-line JSON header (what a person may want to
// read: the window, the alerts, the journal, the number of files) and
// then the file table in binary, sorted by key, each key stored as the
// length it shares with the previous one plus the rest (file names of a
// folder share all but a few bytes), and a trailer with the number of
// files and a CRC-32C of everything before it, so a write cut short or a
// damaged disk is told apart from a state that is merely small. About 40
// bytes per file on disk, against about 300 in version 2's JSON.

// header is the first line of a version 3 file. Format and Version come
// first, compact, so recognise and sniffVersion see them in the first
// bytes.
type header struct {
	Format  string               `json:"format"`
	Version int                  `json:"version"`
	Updated time.Time            `json:"updated"`
	Window  Window               `json:"window"`
	Alerted map[string]time.Time `json:"alerted,omitempty"`
	Journal *Journal             `json:"journal,omitempty"`
	// Files is the number of files in the table; KeyBytes the length of
	// their keys together (what the reader allocates).
	Files    int `json:"files"`
	KeyBytes int `json:"keyBytes"`
}

// maxKey bounds one key: longer than any path Windows or Linux accepts.
const maxKey = 1 << 16

// maxEntry bounds one encoded file: a key and at most eight numbers.
const maxEntry = maxKey + 16 + 8*binary.MaxVarintLen64

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

const trailerPrefix = "\nend "

// encode writes s in version 3 to w.
func (s *State) encode(w io.Writer) error {
	h := header{Format: Format, Version: Version, Updated: s.Updated, Window: s.Window, Alerted: s.Alerted, Journal: s.Journal}
	t := s.files
	count := func(k []byte) { h.Files++; h.KeyBytes += len(k) }
	t.walk(func(i int) { count(t.keyBytes(i)) }, func(k string, _ File) { count([]byte(k)) })
	line, err := json.Marshal(h)
	if err != nil {
		return err
	}
	crc := crc32.New(castagnoli)
	out := io.MultiWriter(w, crc)
	if _, err := out.Write(append(line, '\n')); err != nil {
		return err
	}
	var buf, prev []byte
	var werr error
	put := func(k []byte, r rec, missing time.Time) {
		if werr != nil {
			return
		}
		buf = appendEntry(buf[:0], prev, k, r, missing)
		prev = append(prev[:0], k...)
		_, werr = out.Write(buf)
	}
	t.walk(func(i int) {
		put(t.keyBytes(i), t.recs[i], t.missing[i])
	}, func(k string, f File) {
		r := f.rec(0)
		if !f.Missing.IsZero() {
			r.flags |= flagMissing
		}
		put([]byte(k), r, f.Missing)
	})
	if werr != nil {
		return werr
	}
	_, err = fmt.Fprintf(w, "%s%d %08x\n", trailerPrefix, h.Files, crc.Sum32())
	return err
}

func appendEntry(b, prev, key []byte, r rec, missing time.Time) []byte {
	shared := 0
	for shared < len(prev) && shared < len(key) && prev[shared] == key[shared] {
		shared++
	}
	b = binary.AppendUvarint(b, uint64(shared))
	b = binary.AppendUvarint(b, uint64(len(key)-shared))
	b = append(b, key[shared:]...)
	b = append(b, r.flags&flagsStored)
	b = binary.AppendVarint(b, r.size)
	b = binary.AppendVarint(b, r.mtime)
	if r.flags&flagNoHead == 0 {
		b = append(b, r.head[:]...)
	}
	if r.flags&flagHasChange != 0 {
		b = binary.AppendVarint(b, r.change)
		b = binary.AppendUvarint(b, r.ino)
	}
	if r.flags&flagPending != 0 {
		b = binary.AppendVarint(b, r.analysed)
	}
	if r.flags&flagMissing != 0 {
		b = binary.AppendVarint(b, unixNano(missing))
	}
	return b
}

// damagedError says what is wrong with a version 3 file.
type damagedError struct{ what string }

func (e *damagedError) Error() string { return e.what }

func damaged(format string, args ...any) error {
	return &damagedError{what: fmt.Sprintf(format, args...)}
}

// decoder reads a version 3 file in chunks, hashing what it consumes, so
// the table is built without holding the file in memory.
type decoder struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool
	crc      uint32
}

// fill makes at least need bytes available, unless the file ends first.
func (d *decoder) fill(need int) error {
	for d.end-d.pos < need && !d.eof {
		d.crc = crc32.Update(d.crc, castagnoli, d.buf[:d.pos])
		n := copy(d.buf, d.buf[d.pos:d.end])
		d.pos, d.end = 0, n
		if d.end == len(d.buf) {
			d.buf = append(d.buf, make([]byte, len(d.buf))...)
		}
		m, err := d.r.Read(d.buf[d.end:])
		d.end += m
		switch {
		case errors.Is(err, io.EOF):
			d.eof = true
		case err != nil:
			return err
		}
	}
	return nil
}

func (d *decoder) uvarint() (uint64, error) {
	v, n := binary.Uvarint(d.buf[d.pos:d.end])
	if n <= 0 {
		return 0, errShort
	}
	d.pos += n
	return v, nil
}

func (d *decoder) varint() (int64, error) {
	v, n := binary.Varint(d.buf[d.pos:d.end])
	if n <= 0 {
		return 0, errShort
	}
	d.pos += n
	return v, nil
}

func (d *decoder) bytes(n int) ([]byte, error) {
	if d.end-d.pos < n {
		return nil, errShort
	}
	b := d.buf[d.pos : d.pos+n]
	d.pos += n
	return b, nil
}

var errShort = errors.New("short")

// minEntry is the fewest bytes a file takes in the table.
const minEntry = 5

// decode reads a version 3 file of size bytes from r.
func decode(r io.Reader, size int64) (*header, *table, error) {
	d := &decoder{r: r, buf: make([]byte, 256<<10)}
	line, err := d.line()
	if err != nil {
		return nil, nil, err
	}
	var h header
	if err := json.Unmarshal(line, &h); err != nil {
		return nil, nil, damaged("its header does not parse (%v)", err)
	}
	// A header announcing more than the file can hold is damaged, and
	// must not make the reader allocate it: keys share their prefixes,
	// but a key is at most maxKey bytes and adds at least one.
	if h.Files < 0 || h.KeyBytes < 0 || int64(h.Files) > size/minEntry || int64(h.KeyBytes) > int64(h.Files)*maxKey {
		return nil, nil, damaged("its header gives %d files of %d key bytes in %d bytes", h.Files, h.KeyBytes, size)
	}
	t := &table{
		arena: make([]byte, 0, min(int64(h.KeyBytes), 64*size)),
		ends:  make([]uint32, 0, h.Files),
		recs:  make([]rec, 0, h.Files),
	}
	b := tableBuilder{t: t}
	key := make([]byte, 0, 256)
	for i := 0; i < h.Files; i++ {
		if err := d.fill(maxEntry); err != nil {
			return nil, nil, err
		}
		var missing time.Time
		r, err := d.entry(&key, &missing)
		if errors.Is(err, errShort) {
			return nil, nil, damaged("it ends after %d of its %d files (a write cut short, or a copy of part of it)", i, h.Files)
		}
		if err != nil {
			return nil, nil, err
		}
		if !b.after(key) {
			return nil, nil, damaged("file %d is out of order", i+1)
		}
		if len(t.arena)+len(key) > max(h.KeyBytes, 0) || len(t.arena)+len(key) > MaxSize {
			return nil, nil, damaged("its keys are longer than its header says (%d bytes)", h.KeyBytes)
		}
		b.add(key, r, missing)
	}
	// The trailer is under 40 bytes: reading 64 either reaches the end
	// of the file or shows bytes after it.
	if err := d.fill(64); err != nil {
		return nil, nil, err
	}
	d.crc = crc32.Update(d.crc, castagnoli, d.buf[:d.pos])
	rest := d.buf[d.pos:d.end]
	want := fmt.Appendf(nil, "%s%d %08x\n", trailerPrefix, h.Files, d.crc)
	switch {
	case !bytes.HasPrefix(rest, []byte(trailerPrefix)):
		return nil, nil, damaged("its end marker is missing after %d files (a write cut short)", h.Files)
	case !bytes.Equal(rest, want) || !d.eof:
		return nil, nil, damaged("its checksum does not match (expected end %q, found %q): the file was changed or damaged", bytes.TrimSpace(want), bytes.TrimSpace(rest[:min(len(rest), 40)]))
	}
	return &h, t, nil
}

// line reads the header line.
func (d *decoder) line() ([]byte, error) {
	for {
		if i := bytes.IndexByte(d.buf[d.pos:d.end], '\n'); i >= 0 {
			line := d.buf[d.pos : d.pos+i]
			d.pos += i + 1
			return line, nil
		}
		if d.eof {
			return nil, damaged("its header line is not finished (a write cut short)")
		}
		if err := d.fill(d.end - d.pos + 1); err != nil {
			return nil, err
		}
	}
}

// entry decodes one file into key (the previous key on entry) and r.
func (d *decoder) entry(key *[]byte, missing *time.Time) (rec, error) {
	var r rec
	shared, err := d.uvarint()
	if err != nil {
		return r, err
	}
	n, err := d.uvarint()
	if err != nil {
		return r, err
	}
	if shared > uint64(len(*key)) || n > maxKey || shared+n > maxKey {
		return r, damaged("a key of %d+%d bytes follows one of %d", shared, n, len(*key))
	}
	suffix, err := d.bytes(int(n))
	if err != nil {
		return r, err
	}
	*key = append((*key)[:shared], suffix...)
	flags, err := d.bytes(1)
	if err != nil {
		return r, err
	}
	r.flags = flags[0]
	if r.flags&^flagsStored != 0 {
		return r, damaged("a file has unknown flags %#x", r.flags)
	}
	if r.size, err = d.varint(); err != nil {
		return r, err
	}
	if r.mtime, err = d.varint(); err != nil {
		return r, err
	}
	if r.flags&flagNoHead == 0 {
		h, err := d.bytes(16)
		if err != nil {
			return r, err
		}
		copy(r.head[:], h)
	}
	if r.flags&flagHasChange != 0 {
		if r.change, err = d.varint(); err != nil {
			return r, err
		}
		if r.ino, err = d.uvarint(); err != nil {
			return r, err
		}
	}
	if r.flags&flagPending != 0 {
		if r.analysed, err = d.varint(); err != nil {
			return r, err
		}
	}
	if r.flags&flagMissing != 0 {
		m, err := d.varint()
		if err != nil {
			return r, err
		}
		*missing = time.Unix(0, m).UTC()
	}
	return r, nil
}

func hexHead(h [16]byte) string { return hex.EncodeToString(h[:]) }

// parseHead reads a head hash as identify writes it (32 lowercase hex
// digits); anything else never matches a file.
func parseHead(s string) (h [16]byte, ok bool) {
	if len(s) != 32 {
		return h, false
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil || hexHead(h) != s {
		return h, false
	}
	return h, true
}
