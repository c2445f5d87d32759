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
	"sort"
	"time"

	"github.com/frebscan/frebscan/internal/atomicfile"
	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/scan"
)

// stampLayout names incident files; UTC and sortable.
const stampLayout = "20060102T150405Z"

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
	stamp := uniqueStamp(opts.Dir, now.UTC().Format(stampLayout))
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
	// Old incident files go only after the index no longer lists them.
	for _, old := range removed {
		for _, f := range old.Files {
			if err := os.Remove(filepath.Join(opts.Dir, f)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return e, true, fmt.Errorf("retention: %w", err)
			}
		}
	}
	return e, true, nil
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
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if errors.Is(err, os.ErrNotExist) {
		return &Index{Entries: []Entry{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read report index: %w", err)
	}
	var idx Index
	if err := json.Unmarshal(b, &idx); err != nil {
		// A damaged index is rebuilt from what remains on disk rather than
		// stopping the schedule.
		return rebuildIndex(dir)
	}
	return &idx, nil
}

// rebuildIndex lists incident files when index.json is unreadable.
func rebuildIndex(dir string) (*Index, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "incident-*.*"))
	if err != nil {
		return nil, err
	}
	byStamp := map[string]*Entry{}
	for _, m := range matches {
		base := filepath.Base(m)
		ext := filepath.Ext(base)
		stamp := base[len("incident-") : len(base)-len(ext)]
		t, err := time.Parse(stampLayout, stamp[:min(len(stamp), len(stampLayout))])
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
	idx := &Index{Entries: []Entry{}}
	for _, e := range byStamp {
		idx.Entries = append(idx.Entries, *e)
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
