package scan

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// candidate is a file the walker found, with what it knows of it.
type candidate struct {
	path string
	size int64
	// info is what the walk learnt of the file without following a link
	// (nil for a file named directly): a scheduled run decides from it
	// whether the file is unchanged without a second stat.
	info fs.FileInfo
	// member is set for an entry of an archive; the candidate then holds
	// the archive open until done is called.
	member *member
}

// done lets go of what the candidate holds: whoever takes a candidate
// from the walker calls it once the file is read or left out.
func (c candidate) done() {
	if c.member != nil {
		c.member.arc.release()
	}
}

// walkEvents is what walking reports besides candidates.
type walkEvents struct {
	file func(candidate) bool // false stops the walk
	// skipped is a file that is not a trace: another kind of file, or
	// (stylesheet) IIS's freb.xsl, which IIS writes beside the traces
	// it renders.
	skipped func(c candidate, stylesheet bool)
	failed  func(path string, err error)
}

// isStylesheet reports whether name is the stylesheet IIS copies into
// every FailedReqLogFiles\W3SVCn folder: expected there, never a trace.
func isStylesheet(name string) bool {
	return strings.EqualFold(name, "freb.xsl")
}

// dedupe wraps ev so a file reached twice (the same path given twice, a
// folder and a file in it, overlapping patterns) is seen once: counted
// twice it would double every finding.
func dedupe(ev walkEvents) walkEvents {
	// Files read and files skipped are remembered apart: a FIFO skipped
	// in a folder walk and also named on its own is still read (and
	// reported) as the user asked.
	read, skipped := map[string]bool{}, map[string]bool{}
	first := func(seen map[string]bool, p string) bool {
		key := filepath.Clean(p)
		if abs, err := filepath.Abs(p); err == nil {
			key = abs
		}
		if seen[key] {
			return false
		}
		seen[key] = true
		return true
	}
	return walkEvents{
		file: func(c candidate) bool {
			if !first(read, c.path) {
				c.done()
				return true
			}
			return ev.file(c)
		},
		skipped: func(c candidate, stylesheet bool) {
			if first(skipped, c.path) {
				ev.skipped(c, stylesheet)
			}
		},
		failed: ev.failed,
	}
}

// isTraceName reports whether a file can be a FREB trace: IIS names them
// frNNNNNN.xml, but users copy and rename them, so any .xml counts and the
// reader decides.
func isTraceName(name string) bool {
	return strings.EqualFold(filepath.Ext(name), ".xml")
}

// walk expands the inputs: files are taken as given (whatever their name:
// the user named them), directories are walked recursively for .xml files
// (other files are counted as skipped), zip archives, named or found in a
// folder, are listed entry by entry (archive.go), and patterns are globbed.
// Directories are visited in name order so reports are stable.
func walk(ctx context.Context, inputs []string, al ArchiveLimits, ev walkEvents) {
	// One folder or file walks each path once: the memory of paths seen
	// (which grows with the tree) is only for inputs that may overlap.
	if len(inputs) > 1 || (len(inputs) == 1 && hasGlob(inputs[0])) {
		ev = dedupe(ev)
	}
	for _, in := range inputs {
		if ctx.Err() != nil {
			return
		}
		paths := []string{in}
		if hasGlob(in) {
			matches, err := filepath.Glob(in)
			if err != nil {
				ev.failed(in, fmt.Errorf("bad pattern: %w", err))
				continue
			}
			if len(matches) == 0 {
				ev.failed(in, errors.New("no file matches the pattern"))
				continue
			}
			sort.Strings(matches)
			paths = matches
		}
		for _, p := range paths {
			if !walkOne(ctx, p, al, ev) {
				return
			}
		}
	}
}

func walkOne(ctx context.Context, root string, al ArchiveLimits, ev walkEvents) bool {
	fi, err := os.Stat(root)
	if err != nil {
		if archive, entry, ok := SplitArchivePath(root); ok {
			return walkArchive(archive, entry, al, ev)
		}
		ev.failed(root, err)
		return true
	}
	if !fi.IsDir() {
		if isStylesheet(fi.Name()) {
			ev.skipped(candidate{path: root, size: fi.Size()}, true)
			return true
		}
		if isArchiveName(fi.Name()) && fi.Mode().IsRegular() {
			return walkArchive(root, "", al, ev)
		}
		return ev.file(candidate{path: root, size: fi.Size()})
	}
	cont := true
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return filepath.SkipAll
		}
		if err != nil {
			// A directory that vanished or cannot be listed is reported,
			// and the walk goes on with its siblings.
			ev.failed(path, err)
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		var size int64
		info, err := d.Info()
		if err == nil && info.Mode().IsRegular() {
			size = info.Size()
		} else {
			info = nil
		}
		if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			ev.skipped(candidate{path: path}, false)
			return nil
		}
		if isArchiveName(d.Name()) && d.Type().IsRegular() {
			if !walkArchive(path, "", al, ev) {
				cont = false
				return filepath.SkipAll
			}
			return nil
		}
		if !isTraceName(d.Name()) {
			ev.skipped(candidate{path: path, size: size}, isStylesheet(d.Name()))
			return nil
		}
		if !ev.file(candidate{path: path, size: size, info: info}) {
			cont = false
			return filepath.SkipAll
		}
		return nil
	})
	if err != nil {
		ev.failed(root, err)
	}
	return cont
}

func hasGlob(p string) bool { return strings.ContainsAny(p, "*?[") }

// listNames hands the inputs over as they are, for scans whose traces are
// not files (Options.Read).
func listNames(ctx context.Context, names []string, _ ArchiveLimits, ev walkEvents) {
	for _, n := range names {
		if ctx.Err() != nil || !ev.file(candidate{path: n}) {
			return
		}
	}
}
