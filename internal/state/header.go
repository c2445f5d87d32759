package state

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"unicode"

	"github.com/frebscan/frebscan/internal/atomicfile"
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

// head reads the first bytes of a file already checked to be regular.
func head(path string) []byte {
	f, err := atomicfile.OpenOwned(path, os.O_RDONLY, 0)
	if err != nil {
		return nil
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 256))
	return b
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
