// Package archive keeps the reports of scheduled scans in a directory:
// one incident report per run that found something, latest.* pointing at
// the newest, an index listing them with their headline findings, and
// retention so months of runs do not fill the disk.
package archive

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/atomicfile"
	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/scan"
)

// stampLayout names incident files; UTC and sortable.
const stampLayout = "20060102T150405Z"

// incidentName is the only shape of name retention deletes: what
// Update writes (incident-<stamp>[-n].<format>), with no separator and no
// "..", so an index entry such as "../outside/victim" or a user's own
// file that merely starts with "incident-" is never touched.
var incidentName = regexp.MustCompile(`^incident-[0-9]{8}T[0-9]{6}Z(-[0-9]{1,6})?\.(json|html)$`)

// MaxIndexSize bounds how much of index.json is read: an entry is about
// 500 bytes, so this is over a hundred thousand incidents; a larger file
// is not one frebscan wrote and is rebuilt from the incident files.
const MaxIndexSize = 64 << 20

// staleTemp is how old a temporary file left beside a report must be
// before a run removes it: older than any run still writing one.
const staleTemp = time.Hour

// Options configure one archive update.
type Options struct {
	Dir string
	// Formats to write per incident, in order (json, html); each needs a
	// writer in Write.
	Formats []string
	// Keep is how many incidents to keep (0: no limit); KeepDays drops
	// incidents older than that many days (0: no limit).
	Keep     int
	KeepDays int
	Now      time.Time
	// Stamp, when set, is the incident name reserved in the state's run
	// journal (NewStamp): an update with the stamp of an incident already
	// (partly) written replaces it instead of adding a second one.
	Stamp string
	// Warn receives what retention could not remove (a planted link at
	// an incident name, a permission problem). Retention problems do not
	// fail the run: its incident is written, and failing would make the
	// next run report the same traces again.
	Warn func(string)
}

// Entry is one incident in the index.
type Entry struct {
	Time     time.Time         `json:"time"`
	Files    map[string]string `json:"files"`
	Traces   int               `json:"traces"`
	Partial  bool              `json:"partial,omitempty"`
	Findings []Headline        `json:"findings"`
}

// Headline is one finding group as the index lists it.
type Headline struct {
	Rule     string            `json:"rule"`
	Title    string            `json:"title"`
	Severity diagnose.Severity `json:"severity"`
	Count    int               `json:"count"`
	Vendor   string            `json:"vendor,omitempty"`
}

// Index is index.json.
type Index struct {
	Entries []Entry `json:"entries"`
}

// WriteFunc writes the result in one format.
type WriteFunc func(format string, w io.Writer) error

// Update records a run. When the run found nothing it writes no incident
// and returns false. Every file is written through a temporary file and
// renamed into place, so an error (disk full, read-only directory) leaves
// the previous reports as they were.
func Update(opts Options, r *scan.Result, write WriteFunc) (Entry, bool, error) {
	if len(r.Findings) == 0 {
		return Entry{}, false, nil
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return Entry{}, false, fmt.Errorf("report directory: %w", err)
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	idx, err := loadIndex(opts.Dir)
	if err != nil {
		return Entry{}, false, err
	}
	stamp := opts.Stamp
	if stamp == "" {
		stamp = NewStamp(opts.Dir, now)
	} else if !ValidStamp(stamp) {
		return Entry{}, false, fmt.Errorf("incident name %q is not one frebscan makes", stamp)
	}
	idx.drop(stamp)
	e := Entry{Time: now.UTC(), Files: map[string]string{}, Traces: r.Summary.Matched, Partial: r.Partial, Findings: headlines(r)}
	for _, format := range opts.Formats {
		name := fmt.Sprintf("incident-%s.%s", stamp, format)
		if err := atomicfile.Write(filepath.Join(opts.Dir, name), 0o644, func(w io.Writer) error { return write(format, w) }); err != nil {
			return Entry{}, false, err
		}
		if err := atomicfile.Write(filepath.Join(opts.Dir, "latest."+format), 0o644, func(w io.Writer) error { return write(format, w) }); err != nil {
			return Entry{}, false, err
		}
		e.Files[format] = name
	}
	idx.Entries = append([]Entry{e}, idx.Entries...)
	removed := idx.retain(opts.Keep, opts.KeepDays, now)
	if err := saveIndex(opts.Dir, idx); err != nil {
		return Entry{}, false, err
	}
	// Old incident files go only after the index no longer lists them,
	// and only names Update itself generates (loadIndex has dropped any
	// other), as regular files (atomicfile.Remove follows no link).
	for _, old := range removed {
		for _, f := range old.Files {
			if !incidentName.MatchString(f) {
				continue
			}
			if err := atomicfile.Remove(filepath.Join(opts.Dir, f)); err != nil && opts.Warn != nil {
				opts.Warn(fmt.Sprintf("retention left %s: %v", f, err))
			}
		}
	}
	CleanTemps(opts.Dir, now)
	return e, true, nil
}

// Check returns an error naming the first file of the report folder that
// exists and is not a regular file (a planted link or pipe), so a run
// stops before it writes anything.
func Check(dir string, formats []string) error {
	names := []string{"index.json", "index.html"}
	for _, f := range formats {
		names = append(names, "latest."+f)
	}
	for _, n := range names {
		if err := atomicfile.Check(filepath.Join(dir, n)); err != nil {
			return err
		}
	}
	return nil
}

// CleanTemps removes temporary files that a killed run left beside the
// files of the report folder (.latest.json.123.tmp), once they are older
// than staleTemp. Best effort: a leftover only costs disk space.
func CleanTemps(dir string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, de := range entries {
		name := de.Name()
		base, ok := tempOf(name)
		if !ok || !(incidentName.MatchString(base) || ownedNames[base]) {
			continue
		}
		fi, err := de.Info()
		if err != nil || !fi.Mode().IsRegular() || now.Sub(fi.ModTime()) < staleTemp {
			continue
		}
		atomicfile.Remove(filepath.Join(dir, name))
	}
}

// ownedNames are the fixed names frebscan writes in the report folder.
var ownedNames = map[string]bool{"latest.json": true, "latest.html": true, "index.json": true, "index.html": true, "last-run.json": true}

// tempName matches atomicfile's temporary names: "." + base + "." +
// digits + ".tmp".
var tempName = regexp.MustCompile(`^\.(.+)\.[0-9]+\.tmp$`)

func tempOf(name string) (base string, ok bool) {
	m := tempName.FindStringSubmatch(name)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// ValidStamp reports whether stamp is one NewStamp could have made (a
// journal read from a damaged or forged state may hold anything).
func ValidStamp(stamp string) bool {
	return incidentName.MatchString("incident-" + stamp + ".json")
}

// NewStamp reserves the name of a new incident in dir: its UTC time, with
// a counter when that name is taken.
func NewStamp(dir string, now time.Time) string {
	return uniqueStamp(dir, now.UTC().Format(stampLayout))
}

// drop removes the index entry of the incident stamp (a run that is
// being completed again).
func (idx *Index) drop(stamp string) {
	kept := idx.Entries[:0]
	for _, e := range idx.Entries {
		mine := false
		for _, f := range e.Files {
			if strings.HasPrefix(f, "incident-"+stamp+".") {
				mine = true
			}
		}
		if !mine {
			kept = append(kept, e)
		}
	}
	idx.Entries = kept
}

// uniqueStamp adds a counter when two runs finish within one second, so
// one run never overwrites (or, through retention, deletes) another's
// report.
func uniqueStamp(dir, stamp string) string {
	candidate := stamp
	for n := 2; ; n++ {
		matches, _ := filepath.Glob(filepath.Join(dir, "incident-"+candidate+".*"))
		if len(matches) == 0 {
			return candidate
		}
		candidate = fmt.Sprintf("%s-%d", stamp, n)
	}
}

func headlines(r *scan.Result) []Headline {
	var out []Headline
	for _, g := range r.Findings {
		if g.Severity == diagnose.Info {
			continue
		}
		out = append(out, Headline{Rule: g.Rule, Title: g.Title, Severity: g.Severity, Count: g.Count, Vendor: g.Vendor})
	}
	if out == nil {
		out = []Headline{}
	}
	return out
}

// retain applies --keep and --keep-days and returns the dropped entries.
func (idx *Index) retain(keep, keepDays int, now time.Time) []Entry {
	sort.SliceStable(idx.Entries, func(i, j int) bool { return idx.Entries[i].Time.After(idx.Entries[j].Time) })
	var kept, dropped []Entry
	for i, e := range idx.Entries {
		tooMany := keep > 0 && i >= keep
		tooOld := keepDays > 0 && now.Sub(e.Time) > time.Duration(keepDays)*24*time.Hour
		if tooMany || tooOld {
			dropped = append(dropped, e)
			continue
		}
		kept = append(kept, e)
	}
	if kept == nil {
		kept = []Entry{}
	}
	idx.Entries = kept
	return dropped
}

func loadIndex(dir string) (*Index, error) {
	path := filepath.Join(dir, "index.json")
	b, err := atomicfile.ReadFile(path, MaxIndexSize)
	var tooLarge *atomicfile.TooLargeError
	switch {
	case errors.Is(err, os.ErrNotExist):
		return &Index{Entries: []Entry{}}, nil
	case errors.As(err, &tooLarge):
		return rebuildIndex(dir)
	case err != nil:
		return nil, fmt.Errorf("read report index: %w", err)
	}
	var idx Index
	if err := json.Unmarshal(b, &idx); err != nil {
		// A damaged index is rebuilt from what remains on disk rather than
		// stopping the schedule.
		return rebuildIndex(dir)
	}
	idx.dropForeignNames()
	return &idx, nil
}

// dropForeignNames forgets file names in the index that Update would
// never have written: whoever edited the index cannot steer retention.
func (idx *Index) dropForeignNames() {
	if idx.Entries == nil {
		idx.Entries = []Entry{}
	}
	for i := range idx.Entries {
		for format, name := range idx.Entries[i].Files {
			if !incidentName.MatchString(name) {
				delete(idx.Entries[i].Files, format)
			}
		}
	}
}

// rebuildIndex lists incident files when index.json is unreadable: only
// regular files with names Update generates.
func rebuildIndex(dir string) (*Index, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	byStamp := map[string]*Entry{}
	for _, de := range entries {
		base := de.Name()
		if !incidentName.MatchString(base) || !de.Type().IsRegular() {
			continue
		}
		ext := filepath.Ext(base)
		stamp := base[len("incident-") : len(base)-len(ext)]
		t, err := time.Parse(stampLayout, stamp[:len(stampLayout)])
		if err != nil {
			continue
		}
		e := byStamp[stamp]
		if e == nil {
			e = &Entry{Time: t, Files: map[string]string{}, Findings: []Headline{}}
			byStamp[stamp] = e
		}
		e.Files[ext[1:]] = base
	}
	stamps := make([]string, 0, len(byStamp))
	for s := range byStamp {
		stamps = append(stamps, s)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(stamps)))
	idx := &Index{Entries: []Entry{}}
	for _, s := range stamps {
		idx.Entries = append(idx.Entries, *byStamp[s])
	}
	return idx, nil
}

func saveIndex(dir string, idx *Index) error {
	b, err := json.MarshalIndent(idx, "", " ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "index.json"), b, 0o644); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, "index.html"), 0o644, func(w io.Writer) error { return indexHTML(w, idx) })
}
