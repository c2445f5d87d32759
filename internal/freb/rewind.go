package freb

import (
	"bytes"
	"io"
)

// rewindLimit bounds what Read keeps of a stream it cannot seek, to read
// it again with the reference reader. FREB files are rarely above a few
// megabytes; past this the fast reader's answer stands (see readAuto).
const rewindLimit = 8 << 20

// rewinder lets Read start over when the fast reader gives up: a file
// (anything that seeks) is sought back, and a stream is replayed from a
// copy of what was consumed, up to rewindLimit.
type rewinder struct {
	r      io.Reader
	seeker io.Seeker
	start  int64
	kept   []byte
	over   bool
}

func newRewinder(r io.Reader) *rewinder {
	rw := &rewinder{r: r}
	if s, ok := r.(io.Seeker); ok {
		// Pipes are *os.File too: only a Seek that works counts.
		if off, err := s.Seek(0, io.SeekCurrent); err == nil {
			rw.seeker, rw.start = s, off
		}
	}
	return rw
}

func (rw *rewinder) Read(p []byte) (int, error) {
	n, err := rw.r.Read(p)
	if rw.seeker == nil && !rw.over && n > 0 {
		if len(rw.kept)+n > rewindLimit {
			rw.over, rw.kept = true, nil
		} else {
			rw.kept = append(rw.kept, p[:n]...)
		}
	}
	return n, err
}

// canRewind reports whether rewind will work.
func (rw *rewinder) canRewind() bool { return rw.seeker != nil || !rw.over }

// rewind returns a reader positioned where Read started.
func (rw *rewinder) rewind() (io.Reader, bool) {
	if rw.seeker != nil {
		if _, err := rw.seeker.Seek(rw.start, io.SeekStart); err != nil {
			return nil, false
		}
		return rw.r, true
	}
	if rw.over {
		return nil, false
	}
	return io.MultiReader(bytes.NewReader(rw.kept), rw.r), true
}
