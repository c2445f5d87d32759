package freb

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// input turns whatever bytes a FREB file holds into UTF-8 an XML decoder
// accepts: it strips a UTF-8 BOM, transcodes UTF-16 (with or without BOM),
// and replaces bytes XML 1.0 forbids with '?'. IIS copies binary response
// bodies into GENERAL_RESPONSE_ENTITY_BUFFER verbatim, so such bytes are
// ordinary in real traces; replacing them one for one keeps byte offsets
// of UTF-8 files exact.
type input struct {
	r        io.Reader
	br       *bufio.Reader // from readerPool, until release
	encoding string        // "UTF-8" or "UTF-16LE"/"UTF-16BE"
	carry    []byte        // an incomplete UTF-8 sequence held for the next Read
	scratch  []byte
	pending  []byte // cleaned bytes not yet returned
	err      error  // the error the source returned, reported once pending is drained
	base     int64  // offset of scratch[0], for warnings
	consumed int64  // bytes cleaned so far
	off      int64
	replaced int
	first    int64
}

// readerPool recycles the 64 KiB read buffers: a scan reads thousands of
// files, and a new buffer each was a third of all the bytes it allocated.
var readerPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 64<<10) }}

// newInput starts reading r; call release when done with the input.
func newInput(r io.Reader) (*input, error) {
	br := readerPool.Get().(*bufio.Reader)
	br.Reset(r)
	head, err := br.Peek(4)
	if len(head) == 0 {
		br.Reset(nil)
		readerPool.Put(br)
		if err == nil || err == io.EOF {
			return nil, fmt.Errorf("%w: the file is empty", ErrNotFREB)
		}
		return nil, err
	}
	in := &input{encoding: "UTF-8", first: -1, br: br}
	var src io.Reader = br
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		in.encoding = "UTF-16LE"
		src = transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		in.encoding = "UTF-16BE"
		src = transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder())
	case len(head) >= 2 && head[0] != 0 && head[1] == 0:
		in.encoding = "UTF-16LE"
		src = transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder())
	case len(head) >= 2 && head[0] == 0 && head[1] != 0:
		in.encoding = "UTF-16BE"
		src = transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder())
	}
	in.r = src
	return in, nil
}

// release returns the read buffer to the pool. Nothing refers to it once
// the reader is done: every Read copies out of it.
func (in *input) release() {
	if in.br != nil {
		in.br.Reset(nil)
		readerPool.Put(in.br)
		in.br, in.r = nil, nil
	}
}

// directMin is the smallest read cleaned in the caller's buffer rather
// than through scratch; it leaves room for a held-back UTF-8 sequence.
const directMin = 4 << 10

// Read implements io.Reader.
func (in *input) Read(p []byte) (int, error) {
	for len(in.pending) == 0 && in.err == nil && len(p) >= directMin {
		// Clean straight into p: one copy of every byte fewer.
		n := copy(p, in.carry)
		in.carry = in.carry[:0]
		m, err := in.r.Read(p[n:])
		n += m
		in.err = err
		in.base = in.consumed
		ready := in.clean(p[:n], err != nil)
		in.consumed += int64(ready)
		in.off += int64(ready)
		if ready > 0 {
			return ready, nil
		}
	}
	for len(in.pending) == 0 {
		if in.err != nil {
			return 0, in.err
		}
		if in.scratch == nil {
			in.scratch = make([]byte, 32<<10)
		}
		n := copy(in.scratch, in.carry)
		in.carry = in.carry[:0]
		m, err := in.r.Read(in.scratch[n:])
		n += m
		in.err = err
		in.base = in.consumed
		ready := in.clean(in.scratch[:n], err != nil)
		in.consumed += int64(ready)
		in.pending = in.scratch[:ready]
	}
	n := copy(p, in.pending)
	in.pending = in.pending[n:]
	in.off += int64(n)
	return n, nil
}

// clean fixes p in place and returns how many bytes are ready; an
// incomplete UTF-8 sequence at the end is held back unless final is set.
func (in *input) clean(p []byte, final bool) int {
	for i := 0; i < len(p); {
		// Skip eight bytes at a time while they are printable ASCII, which
		// is almost all of a trace.
		for i+8 <= len(p) && plainASCII(binary.LittleEndian.Uint64(p[i:])) {
			i += 8
		}
		if i == len(p) {
			break
		}
		b := p[i]
		if b < utf8.RuneSelf {
			if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
				in.replace(p, i, 1)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && size <= 1 {
			if !final && !utf8.FullRune(p[i:]) {
				in.carry = append(in.carry, p[i:]...)
				return i
			}
			in.replace(p, i, 1)
			i++
			continue
		}
		if r == 0xFFFE || r == 0xFFFF {
			in.replace(p, i, size)
		}
		i += size
	}
	return len(p)
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
	lows  = 0x7f7f7f7f7f7f7f7f
)

// plainASCII reports whether the eight bytes in w are ASCII that XML
// allows (no control character but tab, LF and CR), with word arithmetic
// that has no carries between bytes.
func plainASCII(w uint64) bool {
	if w&highs != 0 {
		return false
	}
	ctl := ^(w + 0x60*ones) & highs // high bit set where a byte is below 0x20
	if ctl == 0 {
		return true
	}
	allowed := zeroBytes(w^(0x09*ones)) | zeroBytes(w^(0x0A*ones)) | zeroBytes(w^(0x0D*ones))
	return ctl&^allowed == 0
}

// zeroBytes sets the high bit of each byte of t that is zero.
func zeroBytes(t uint64) uint64 { return ^(((t & lows) + lows) | t) & highs }

func (in *input) replace(p []byte, i, size int) {
	if in.first < 0 {
		in.first = in.base + int64(i)
	}
	for k := 0; k < size; k++ {
		p[i+k] = '?'
	}
	in.replaced += size
}

// warnings describes what the input layer changed.
func (in *input) warnings() []string {
	var w []string
	if in.encoding != "UTF-8" {
		w = append(w, fmt.Sprintf("file is %s; read it as such (byte offsets below count the UTF-8 text)", in.encoding))
	}
	if in.replaced > 0 {
		w = append(w, fmt.Sprintf("replaced %d byte(s) that XML does not allow (binary body data IIS copied into the trace) with '?', first at byte %d", in.replaced, in.first))
	}
	return w
}

// identityCharset tells the XML decoder that the stream is UTF-8 whatever
// the declaration says: input has already transcoded it.
func identityCharset(_ string, r io.Reader) (io.Reader, error) { return r, nil }
