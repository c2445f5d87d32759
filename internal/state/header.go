package state

import (
	"bytes"
	"fmt"
	"unicode"
)

// kind is what the start of a would-be state file says it is.
type kind int

const (
	foreign kind = iota
	empty
	versionOne
	current
)

// recognise looks at the first bytes, ignoring JSON white space: a state
// starts {"format":"frebscan-state"; version 1 files, which had no
// format member, always started {"version":1,"updated":. Anything else
// (XML, another program's JSON, binary) is foreign.
func recognise(b []byte) kind {
	var compact []byte
	for _, c := range b {
		if !unicode.IsSpace(rune(c)) {
			compact = append(compact, c)
		}
		if len(compact) >= 64 {
			break
		}
	}
	switch {
	case len(compact) == 0:
		return empty
	case bytes.HasPrefix(compact, []byte(`{"format":"`+Format+`"`)):
		return current
	case bytes.HasPrefix(compact, []byte(`{"version":1,"updated":`)):
		return versionOne
	}
	return foreign
}

// compactStart is how a version 3 (or later) file starts: its header is
// written compact, so the version is at a known place.
var compactStart = []byte(`{"format":"` + Format + `","version":`)

// sniffVersion reads the version of a file written compact (version 3
// and later); compact is false for anything else (version 1 and 2 files
// are indented JSON and go through recognise).
func sniffVersion(start []byte) (version int, compact bool) {
	rest, ok := bytes.CutPrefix(start, compactStart)
	if !ok {
		return 0, false
	}
	n := 0
	for i, c := range rest {
		switch {
		case c >= '0' && c <= '9' && n < 1e6:
			n = n*10 + int(c-'0')
		case c == ',' && i > 0:
			return n, true
		default:
			return 0, false
		}
	}
	return 0, false
}

// ForeignError is returned by Load for a file that is not a frebscan
// state; the file is left as it is.
type ForeignError struct {
	Path  string
	Start []byte
}

func (e *ForeignError) Error() string {
	return fmt.Sprintf("--state %s is not a frebscan state file (it starts %q): refusing to read or overwrite it; name a new file for --state or move this one away", e.Path, e.Start)
}
