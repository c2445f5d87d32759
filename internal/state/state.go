// Package state remembers, between scheduled scans, which traces were
// analysed and the recent steps of each client's requests, so every trace
// is counted exactly once and a handshake split across two runs is still
// recognised.
package state

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/frebscan/frebscan/internal/atomicfile"
	"github.com/frebscan/frebscan/internal/freb"
)

// Format is the first member of every state file: a scheduled run checks
// it before using or replacing a file, so --state naming a FREB trace, a
// report or any other file refuses instead of overwriting it.
const Format = "frebscan-state"

// Version is the state file format. Version 1 files (which had no Format
// member) still load; a file from a newer frebscan is refused rather than
// overwritten by an older one.
const Version = 2

// MaxSize bounds how much of a state file is read: the file table holds
// about 300 bytes per trace and the correlation window at most
// maxKeys x maxStepsPerKey steps of about 300 bytes, so a real state stays
// well under it, while a planted or runaway file cannot exhaust memory.
const MaxSize = 256 << 20

// headBytes is how much of a file's start is hashed into its identity:
// IIS reuses names (fr000001.xml comes back after maxLogFiles), and the
// root element with its activityId sits in the first kilobyte.
const headBytes = 4096

// Defaults for how long files and steps are remembered.
const (
	// Settle is how long an unfinished file may stay unchanged before it
	// is taken as final (a copy that was cut, not a write in progress).
	DefaultSettle = 2 * time.Minute
	// DefaultWindow is how far back correlation steps are kept.
	DefaultWindow  = time.Hour
	maxStepsPerKey = 50
	maxKeys        = 20000
)

// State is what a scheduled scan remembers.
type State struct {
	Format  string    `json:"format"`
	Version int       `json:"version"`
	Updated time.Time `json:"updated"`
	Files   FileTable `json:"files"`
	Window  Window    `json:"window"`
	// Alerted is when each rule last raised an alert (--notify-cmd, event
	// log), so an ongoing problem alerts once, not every run. Keyed by
	// rule ID: about thirty rules, so it needs no pruning.
	Alerted map[string]time.Time `json:"alerted,omitempty"`
	// Journal is the run in progress or the last one that did not finish
	// (see Journal); nil after a run that completed.
	Journal *Journal `json:"journal,omitempty"`

	// recorded are the keys Record stored in this run; redo the keys of
	// an unfinished run's traces, analysed again.
	recorded map[string]bool
	redo     map[string]bool
	settle   time.Duration
	now      func() time.Time
	// mu guards Files: the scan's walker asks Skip while its aggregator
	// calls Defer and Record.
	mu sync.Mutex
}

// File is the identity of one analysed (or deferred) file.
type File struct {
	Path       string    `json:"path"`
	Size       int64     `json:"size"`
	ModTime    time.Time `json:"modTime"`
	Head       string    `json:"head"`
	ActivityID string    `json:"activityId,omitempty"`
	Analysed   time.Time `json:"analysed"`
	// Pending marks a file seen unfinished and not counted yet; Analysed
	// is then when it was first seen with this size and content.
	Pending bool `json:"pending,omitempty"`
	// Missing is when the file was first found gone together with its
	// folder (an unmounted share, a folder renamed for a while): it is
	// remembered for MissingGrace, so its traces are not reported again
	// when the folder comes back.
	Missing time.Time `json:"missing,omitzero"`
}

// MissingGrace is how long files of a folder that has disappeared are
// remembered.
const MissingGrace = 7 * 24 * time.Hour

// New returns an empty state.
func New() *State {
	return &State{Format: Format, Version: Version, Files: FileTable{}, Window: Window{}, Alerted: map[string]time.Time{}, settle: DefaultSettle, now: time.Now}
}

// Load reads the state file. A missing file is a first run. A file that
// is not a frebscan state (no Format header: a FREB trace, a report, any
// other file), is not a regular file, or comes from a newer frebscan is
// refused with an error and must not be overwritten. A frebscan state
// that is corrupt is reported in warning and replaced by a fresh state:
// a scheduled scan must keep running.
func Load(path string) (s *State, warning string, err error) {
	s = New()
	b, err := atomicfile.ReadFile(path, MaxSize)
	var tooLarge *atomicfile.TooLargeError
	switch {
	case errors.Is(err, os.ErrNotExist):
		return s, "", nil
	case errors.As(err, &tooLarge) && recognise(head(path)) != foreign:
		return s, fmt.Sprintf("state %s is larger than %d MiB (%v): starting fresh; traces already reported may be reported again", path, MaxSize>>20, err), nil
	case err != nil:
		return nil, "", fmt.Errorf("state %s: %w", path, err)
	}
	kind := recognise(b)
	switch kind {
	case empty:
		return s, fmt.Sprintf("state %s is empty: starting fresh", path), nil
	case foreign:
		return nil, "", &ForeignError{Path: path, Start: b[:min(len(b), 24)]}
	}
	var loaded State
	if err := json.Unmarshal(b, &loaded); err != nil {
		return s, fmt.Sprintf("state %s is corrupt (%v): starting fresh; traces already reported may be reported again", path, err), nil
	}
	if loaded.Version > Version {
		return nil, "", fmt.Errorf("state %s was written by a newer frebscan (format version %d; this one writes %d): refusing to replace it; run the newer frebscan or name another --state", path, loaded.Version, Version)
	}
	if loaded.Files != nil {
		s.Files = loaded.Files
	}
	if loaded.Window != nil {
		s.Window = loaded.Window
	}
	if loaded.Alerted != nil {
		s.Alerted = loaded.Alerted
	}
	s.Journal = loaded.Journal
	s.redoPending()
	s.clampAlerted()
	s.Updated = loaded.Updated
	return s, "", nil
}

// Key normalises a path for the file table: absolute, cleaned, and
// case-folded on Windows, whose file names are case-insensitive.
func Key(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if runtime.GOOS == "windows" {
		return windowsKey(path)
	}
	return filepath.Clean(path)
}

// windowsKey normalises a Windows path without needing Windows: either
// slash, repeated separators and letter case all name the same file
// (C:\inetpub\logs\FailedReqLogFiles\W3SVC1\FR000001.XML).
func windowsKey(p string) string {
	p = strings.ReplaceAll(p, "/", `\`)
	prefix := ""
	if strings.HasPrefix(p, `\\`) {
		prefix, p = `\\`, p[2:] // UNC: \\server\share
	}
	for strings.Contains(p, `\\`) {
		p = strings.ReplaceAll(p, `\\`, `\`)
	}
	p = strings.TrimSuffix(p, `\`)
	return strings.ToLower(prefix + p)
}

// identify reads what makes a file this file: size, modification time and
// a hash of its first bytes.
func identify(path string) (File, error) {
	f, err := os.Open(path)
	if err != nil {
		return File{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return File{}, err
	}
	h := sha256.New()
	if _, err := io.CopyN(h, f, headBytes); err != nil && !errors.Is(err, io.EOF) {
		return File{}, err
	}
	return File{Path: path, Size: fi.Size(), ModTime: fi.ModTime().UTC(), Head: hex.EncodeToString(h.Sum(nil)[:16])}, nil
}

// Skip reports whether a file was already analysed and has not changed
// since: same size, modification time and first bytes. A pending file is
// skipped only while it may still be being written.
func (s *State) Skip(path string, _ int64) bool {
	key := Key(path)
	s.mu.Lock()
	prev, ok := s.Files[key]
	redo := s.redo[key]
	s.mu.Unlock()
	if !ok || redo {
		return false
	}
	cur, err := identify(path)
	if err != nil || !sameContent(cur, prev) {
		return false
	}
	if prev.Pending {
		return !s.settled(prev)
	}
	return true
}

// settled reports whether a pending file has stayed the same for the
// settle period, as this program observed it: since prev was recorded.
// The file's own modification time is not trusted for this: a copy tool
// can set an old one while still writing, and a fast clock a future one.
func (s *State) settled(prev File) bool { return s.now().Sub(prev.Analysed) >= s.settle }

// Defer decides whether a trace is held back for a later run: the file
// ends mid-document and changed recently, so IIS is probably still writing
// it. It is then recorded as pending and not counted now.
func (s *State) Defer(path string, t *freb.Trace, readErr error) bool {
	unfinished := (t != nil && t.Unfinished) || errors.Is(readErr, freb.ErrUnfinished)
	if !unfinished {
		return false
	}
	cur, err := identify(path)
	if err != nil {
		return false
	}
	key := Key(path)
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, ok := s.Files[key]; ok && prev.Pending && sameContent(prev, cur) {
		if s.settled(prev) {
			return false // cut for good: count it now
		}
		return true
	}
	cur.Pending = true
	cur.Analysed = s.now().UTC()
	s.Files[key] = cur
	return true
}

func sameContent(a, b File) bool {
	return a.Size == b.Size && a.ModTime.Equal(b.ModTime) && a.Head == b.Head
}

// Record remembers an analysed file (trace may be nil for unreadable or
// non-FREB files, which are remembered too so they are not re-reported).
func (s *State) Record(path string, t *freb.Trace, _ error) {
	cur, err := identify(path)
	if err != nil {
		return
	}
	if t != nil {
		cur.ActivityID = t.ActivityID
	}
	cur.Analysed = s.now().UTC()
	key := Key(path)
	s.mu.Lock()
	s.Files[key] = cur
	if s.recorded == nil {
		s.recorded = map[string]bool{}
	}
	s.recorded[key] = true
	s.mu.Unlock()
}

// Prune forgets files that no longer exist (IIS deletes the oldest traces
// past maxLogFiles), so the state does not grow for months. A file whose
// folder is gone too is kept, marked missing, for MissingGrace: the folder
// is more likely unmounted than deleted, and forgetting its files would
// report every trace again when it returns.
func (s *State) Prune() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UTC()
	for k, f := range s.Files {
		_, err := os.Lstat(f.Path)
		switch {
		case err == nil:
			if !f.Missing.IsZero() {
				f.Missing = time.Time{}
				s.Files[k] = f
			}
		case !errors.Is(err, os.ErrNotExist):
			// Cannot tell (permissions, a share that errors): keep it.
		case folderExists(filepath.Dir(f.Path)):
			delete(s.Files, k)
		case f.Missing.IsZero():
			f.Missing = now
			s.Files[k] = f
		case now.Sub(f.Missing) > MissingGrace:
			delete(s.Files, k)
		}
	}
}

func folderExists(dir string) bool {
	fi, err := os.Stat(dir)
	return err == nil && fi.IsDir()
}

// SetClock makes the state use now instead of the system clock (the
// command layer's injected clock) and brings alert times later than now
// back to it.
func (s *State) SetClock(now func() time.Time) {
	s.now = now
	s.clampAlerted()
}

// Marshal returns the state as JSON.
func (s *State) Marshal() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Format, s.Version = Format, Version
	s.Updated = s.now().UTC()
	return json.MarshalIndent(s, "", " ")
}
