package freb

import (
	"errors"
	"fmt"
)

// ErrNotFREB marks input that is not a FREB trace at all (not XML, another
// root element, empty). Directory scans count such files instead of
// reporting them as broken traces.
var ErrNotFREB = errors.New("not a FREB trace")

// ErrUnfinished marks a file that ends in the middle of the document:
// IIS (or a copy) was still writing it. A scheduled scan looks at such a
// file again later instead of counting it now.
var ErrUnfinished = errors.New("the file ends early (still being written or cut by a copy)")

// Error is a problem reading one file. It names the file and, where known,
// the line and byte offset, so users can open the file at the spot.
type Error struct {
	File   string
	Line   int   // 1-based; 0 when unknown
	Offset int64 // byte offset; -1 when unknown
	Err    error
}

func (e *Error) Error() string {
	where := e.File
	if where == "" {
		where = "<input>"
	}
	switch {
	case e.Line > 0:
		where = fmt.Sprintf("%s:%d", where, e.Line)
	case e.Offset >= 0:
		where = fmt.Sprintf("%s: byte %d", where, e.Offset)
	}
	return where + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }
