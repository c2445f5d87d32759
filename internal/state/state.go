// Package state remembers, between scheduled scans, which traces were
// analysed and the recent steps of each client's requests, so every trace
// is counted exactly once and a handshake split across two runs is still
// recognised.
package state

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
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

// Version is the state file format. Version 3 (a header line and a
// compact sorted file table, see format.go) replaced version 2's JSON
// map of every file; version 1 and 2 files still load and are saved as
// version 3. A file from a newer frebscan is refused rather than
// overwritten by an older one.
const Version = 3

// MaxSize bounds how much of a state file is read: version 3 holds about
// 50 bytes per trace (version 2 about 300) and the correlation window at
// most maxKeys x maxStepsPerKey steps of about 300 bytes, so a real state
// stays well under it, while a planted or runaway file cannot exhaust
// memory.
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
	Updated time.Time
	Window  Window
	// Alerted is when each rule last raised an alert (--notify-cmd, event
	// log), so an ongoing problem alerts once, not every run. Keyed by
	// rule ID: about thirty rules, so it needs no pruning.
	Alerted map[string]time.Time
	// Journal is the run in progress or the last one that did not finish
	// (see Journal); nil after a run that completed.
	Journal *Journal

	// files are the analysed files (see table).
	files *table
	// redo are the keys of an unfinished run's traces, analysed again.
	redo   map[string]bool
	settle time.Duration
	now    func() time.Time
	// cwd makes relative inputs absolute without asking the system for
	// every file (filepath.Abs does).
	cwd     string
	cwdOnce sync.Once
	// mu guards files: the scan's walker asks Skip while its aggregator
	// calls Defer and Record.
	mu sync.Mutex
}

// legacy is a version 1 or 2 file: one JSON document.
type legacy struct {
	Version int                  `json:"version"`
	Updated time.Time            `json:"updated"`
	Files   FileTable            `json:"files"`
	Window  Window               `json:"window"`
	Alerted map[string]time.Time `json:"alerted,omitempty"`
	Journal *Journal             `json:"journal,omitempty"`
}

// File is the identity of one analysed (or deferred) file.
type File struct {
	Path     string    `json:"path"`
	Size     int64     `json:"size"`
	ModTime  time.Time `json:"modTime"`
	Head     string    `json:"head"`
	Analysed time.Time `json:"analysed"`
	// Pending marks a file seen unfinished and not counted yet; Analysed
	// is then when it was first seen with this size and content.
	Pending bool `json:"pending,omitempty"`
	// Missing is when the file was first found gone together with its
	// folder (an unmounted share, a folder renamed for a while): it is
	// remembered for MissingGrace, so its traces are not reported again
	// when the folder comes back.
	Missing time.Time `json:"missing,omitzero"`

	// change and ino (hasChange) are the status-change time and inode
	// when the file was hashed (see State.Skip); not in version 2.
	change    int64
	ino       uint64
	hasChange bool
	// seen and recorded are this run's marks (see table flags).
	seen, recorded bool
}

// MissingGrace is how long files of a folder that has disappeared are
// remembered.
const MissingGrace = 7 * 24 * time.Hour

// New returns an empty state.
func New() *State {
	return &State{Window: Window{}, Alerted: map[string]time.Time{}, files: &table{}, settle: DefaultSettle, now: time.Now}
}

// Len is the number of files the state remembers.
func (s *State) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.files.len()
}

// Lookup returns what the state remembers of the file with key k.
func (s *State) Lookup(k string) (File, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.files.get(k)
}

// Load reads the state file. A missing file is a first run. A file that
// is not a frebscan state (no Format header: a FREB trace, a report, any
// other file), is not a regular file, or comes from a newer frebscan is
// refused with an error and must not be overwritten. A frebscan state
// that is damaged (a write cut short, a disk error) is reported in
// warning, which says so and what it costs, and replaced by a fresh
// state: a scheduled scan must keep running.
func Load(path string) (s *State, warning string, err error) {
	f, err := atomicfile.OpenOwned(path, os.O_RDONLY, 0)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return New(), "", nil
	case err != nil:
		return nil, "", fmt.Errorf("state %s: %w", path, err)
	}
	defer f.Close()
	start := make([]byte, 64)
	n, err := io.ReadFull(f, start)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, "", fmt.Errorf("state %s: %w", path, err)
	}
	start = start[:n]
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, "", fmt.Errorf("state %s: %w", path, err)
	}
	v, compact := sniffVersion(start)
	switch {
	case v > Version:
		return nil, "", newerError(path, v)
	case compact && v == Version:
		return loadCompact(path, f)
	}
	return loadLegacy(path, f)
}

func newerError(path string, v int) error {
	return fmt.Errorf("state %s was written by a newer frebscan (format version %d; this one writes %d): refusing to replace it; run the newer frebscan or name another --state", path, v, Version)
}

// fresh is the warning for a damaged state that is replaced.
func fresh(path, why string) string {
	return fmt.Sprintf("state %s is damaged: %s. Starting with a fresh state, so every trace still on disk is analysed and reported again in this run; "+
		"to keep the old state instead, stop the scheduled task and restore %s from a backup before the next run", path, why, path)
}

func loadCompact(path string, f *os.File) (*State, string, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, "", fmt.Errorf("state %s: %w", path, err)
	}
	if fi.Size() > MaxSize {
		return New(), fresh(path, fmt.Sprintf("it is larger than %d MiB, more than frebscan writes", MaxSize>>20)), nil
	}
	h, t, err := decode(io.LimitReader(f, MaxSize+1), fi.Size())
	var d *damagedError
	switch {
	case errors.As(err, &d):
		return New(), fresh(path, d.what), nil
	case err != nil:
		return nil, "", fmt.Errorf("state %s: %w", path, err)
	case h.Format != Format || h.Version != Version:
		return New(), fresh(path, "its header names format "+h.Format), nil
	}
	s := New()
	s.files = t
	s.restore(h.Updated, h.Window, h.Alerted, h.Journal)
	return s, "", nil
}

// restore takes what a loaded file carries besides the file table, then
// does what every load owes it: the traces of a run that stopped before its
// incident was written are read again, and alert times a fast clock left
// in the future are brought back to now.
func (s *State) restore(updated time.Time, w Window, alerted map[string]time.Time, j *Journal) {
	s.Updated = updated
	if w != nil {
		s.Window = w
	}
	if alerted != nil {
		s.Alerted = alerted
	}
	s.Journal = j
	s.redoPending()
	s.clampAlerted()
}

// loadLegacy reads a version 1 or 2 file (or what is not a state).
func loadLegacy(path string, f *os.File) (*State, string, error) {
	s := New()
	b, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	switch {
	case err != nil:
		return nil, "", fmt.Errorf("state %s: %w", path, err)
	case len(b) > MaxSize && recognise(b) != foreign:
		return s, fresh(path, fmt.Sprintf("it is larger than %d MiB, more than frebscan writes", MaxSize>>20)), nil
	case len(b) > MaxSize:
		return nil, "", fmt.Errorf("state %s: %w", path, &atomicfile.TooLargeError{Path: path, Limit: MaxSize})
	}
	switch recognise(b) {
	case empty:
		return s, fmt.Sprintf("state %s is empty: starting fresh", path), nil
	case foreign:
		return nil, "", &ForeignError{Path: path, Start: b[:min(len(b), 24)]}
	}
	var loaded legacy
	if err := json.Unmarshal(b, &loaded); err != nil {
		return s, fresh(path, fmt.Sprintf("it does not parse as a version 2 state (%v)", err)), nil
	}
	if loaded.Version > Version {
		return nil, "", newerError(path, loaded.Version)
	}
	if loaded.Files != nil {
		s.files = fromMap(loaded.Files)
	}
	s.restore(loaded.Updated, loaded.Window, loaded.Alerted, loaded.Journal)
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

// key is Key with the working directory looked up once per state: the
// walk hands relative names when the user named a relative folder, and
// filepath.Abs asks the system for the directory for each of them.
func (s *State) key(path string) string {
	// Windows resolves a name against the current drive and its own
	// directory per drive (`\x`, `D:x`): leave that to filepath.Abs.
	if !filepath.IsAbs(path) && runtime.GOOS != "windows" {
		s.cwdOnce.Do(func() { s.cwd, _ = os.Getwd() })
		if s.cwd != "" {
			path = filepath.Join(s.cwd, path)
		}
	}
	return Key(path)
}

// identify reads what makes a file this file: size, modification time and
// a hash of its first bytes, with the status-change time and inode that
// let the next run trust it unchanged without opening it (changeOf).
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
	cur := File{Path: path, Size: fi.Size(), ModTime: fi.ModTime().UTC(), Head: hex.EncodeToString(h.Sum(nil)[:16])}
	cur.change, cur.ino, cur.hasChange = changeOf(fi)
	return cur, nil
}

// racy is how recent a status change may be for it to prove nothing: a
// write in the same tick of a coarse file system clock (a second on some
// shares) leaves the change time as it was. A file changed this recently
// is stored without it and hashed again on the next run (git's "racily
// clean" entries).
const racy = 2 * time.Second

// trustChange keeps cur's change time only when it is old enough to
// prove the next run's "unchanged" (see racy).
func (s *State) trustChange(cur *File) {
	if cur.hasChange && s.now().UnixNano()-cur.change < int64(racy) {
		cur.hasChange = false
	}
}

// Skip reports whether a file was already analysed and has not changed
// since: same size, modification time and first bytes. A pending file is
// skipped only while it may still be being written.
//
// A steady scheduled run asks this of every file, so it must cost about
// a stat: where the system gives a status-change time and inode (Linux),
// a file whose size, modification time, change time and inode are all
// as they were when its first bytes were hashed has not been written
// since (no write leaves the change time alone, and nothing but the clock
// can set it back), so its head is as it was and it is not opened. Any
// difference, or a system without change times (Windows), and the file
// is hashed as before: the decision is the same, only cheaper.
//
// info is what the walk already knows of a regular file (nil: Skip
// stats it).
func (s *State) Skip(path string, info fs.FileInfo) bool {
	key := s.key(path)
	if info == nil || !info.Mode().IsRegular() {
		info, _ = os.Stat(path)
	}
	if info != nil {
		if change, ino, has := changeOf(info); has {
			st := stat{size: info.Size(), mtime: unixNano(info.ModTime()), change: change, ino: ino}
			s.mu.Lock()
			found, pending, analysed := s.files.unchanged(key, st)
			redo := s.redo[key]
			s.mu.Unlock()
			switch {
			case redo:
				return false
			case found && pending:
				return !s.settled(File{Analysed: time.Unix(0, analysed)})
			case found:
				return true
			}
		}
	}
	s.mu.Lock()
	prev, ok := s.files.get(key)
	redo := s.redo[key]
	s.mu.Unlock()
	if !ok || redo {
		return false
	}
	cur, err := identify(path)
	if err != nil || !sameContent(cur, prev) {
		return false
	}
	// Unchanged: remember the change time so the next run need not open
	// it (a file carried over from version 2 is hashed once more).
	s.trustChange(&cur)
	if cur.hasChange {
		prev.change, prev.ino, prev.hasChange = cur.change, cur.ino, true
	}
	return s.skipSame(key, prev)
}

// skipSame decides for a file found unchanged, and marks it seen.
func (s *State) skipSame(key string, prev File) bool {
	prev.seen = true
	s.mu.Lock()
	s.files.put(key, prev)
	s.mu.Unlock()
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
	s.trustChange(&cur)
	key := s.key(path)
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, ok := s.files.get(key); ok && prev.Pending && sameContent(prev, cur) {
		if s.settled(prev) {
			return false // cut for good: count it now
		}
		return true
	}
	cur.Pending = true
	cur.seen = true
	cur.Analysed = s.now().UTC()
	s.files.put(key, cur)
	return true
}

func sameContent(a, b File) bool {
	return a.Size == b.Size && a.ModTime.Equal(b.ModTime) && a.Head == b.Head
}

// Record remembers an analysed file (trace may be nil for unreadable or
// non-FREB files, which are remembered too so they are not re-reported).
func (s *State) Record(path string, _ *freb.Trace, _ error) {
	cur, err := identify(path)
	if err != nil {
		return
	}
	s.trustChange(&cur)
	cur.Analysed = s.now().UTC()
	cur.seen, cur.recorded = true, true
	key := s.key(path)
	s.mu.Lock()
	s.files.put(key, cur)
	s.mu.Unlock()
}

// Prune forgets files that no longer exist (IIS deletes the oldest traces
// past maxLogFiles), so the state does not grow for months. A file whose
// folder is gone too is kept, marked missing, for MissingGrace: the folder
// is more likely unmounted than deleted, and forgetting its files would
// report every trace again when it returns. Files this run's walk found
// exist: only the others are looked up (the walk's look is this run's,
// so Prune clears it).
func (s *State) Prune() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UTC()
	var gone []string
	changed := map[string]File{}
	check := func(k string, f File) {
		if f.seen {
			if !f.Missing.IsZero() {
				f.Missing = time.Time{}
				changed[k] = f
			}
			return
		}
		_, err := os.Lstat(k)
		switch {
		case err == nil:
			if !f.Missing.IsZero() {
				f.Missing = time.Time{}
				changed[k] = f
			}
		case !errors.Is(err, os.ErrNotExist):
			// Cannot tell (permissions, a share that errors): keep it.
		case folderExists(filepath.Dir(k)):
			gone = append(gone, k)
		case f.Missing.IsZero():
			f.Missing = now
			changed[k] = f
		case now.Sub(f.Missing) > MissingGrace:
			gone = append(gone, k)
		}
	}
	s.files.walk(func(i int) {
		// A loaded file the walk saw, and not marked missing, needs
		// nothing: most files of a steady run.
		if s.files.recs[i].flags&(flagSeen|flagMissing) != flagSeen {
			check(s.files.key(i), s.files.file(i))
		}
	}, check)
	for _, k := range gone {
		s.files.remove(k)
	}
	for k, f := range changed {
		s.files.put(k, f)
	}
	s.files.clearSeen()
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

// Marshal returns the state as it is saved (version 3).
func (s *State) Marshal() ([]byte, error) {
	var b bytes.Buffer
	err := s.write(&b)
	return b.Bytes(), err
}

func (s *State) write(w io.Writer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Updated = s.now().UTC()
	return s.encode(w)
}
