package scan

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/freb"
)

// Options configure a scan.
type Options struct {
	Inputs []string
	// Engine runs the rules. The command layer builds it once from the
	// catalogue and passes it down; a test may pass an engine of two rules.
	Engine *diagnose.Engine
	// Clock gives the current time (the report's start, durations): the
	// command layer passes time.Now, tests a fixed clock.
	Clock   func() time.Time
	Workers int
	Filter  Filter
	// FilterDesc describes Filter as the user gave it, for the report.
	FilterDesc map[string]string
	Settings   diagnose.Settings
	// Top is the length of the top-N tables (default 10).
	Top int
	// Tool names the program and version in the result.
	Tool string
	// KeepTraces keeps every trace read, in full (events too unless
	// SkipEvents), diagnosed and redacted, in Result.Diagnosed, in the
	// order the inputs name them: `frebscan show` is a scan with it set.
	// Memory then grows with the traces, so scans of folders leave it off.
	KeepTraces bool
	// SkipEvents leaves events out of kept traces (show --events none).
	SkipEvents bool
	// Progress, when set, is called from the scanning goroutine after each
	// file; Total is known only after a counting pass, which Run makes
	// when Progress is set.
	Progress func(Progress)
	// Seed adds correlation state carried over from earlier runs
	// (scheduled scans): each sequence with its recent steps.
	Seed []*diagnose.Sequence
	// OnFile, when set, sees every file analysed and counted (trace nil
	// when it could not be read); a scheduled scan remembers them.
	OnFile func(path string, t *freb.Trace, err error)
	// Defer, when set, may hold a file back for a later run (still being
	// written); it is then neither counted nor reported.
	Defer func(path string, t *freb.Trace, err error) bool
	// Reader picks the XML reader (auto: fast with fallback).
	Reader freb.ReaderKind
	// Skip, when set, says which files to leave out (already analysed).
	// info is the walk's Lstat of a regular file found in a folder, nil
	// otherwise (a file named directly, a link).
	Skip func(path string, info fs.FileInfo) bool
	// Limits bound what one file may cost; a file past one is read in
	// part (or not at all) with a warning or error in the result.
	Limits Limits
	// DetailBudget bounds the events Detailer keeps of one trace, in
	// bytes as freb.EventSize counts them (0: DefaultDetailBudget), so a
	// report that details a trace of gigabytes holds a few megabytes of
	// it; frebscan show (KeepTraces) keeps every event.
	DetailBudget int64
	// Read, when set, replaces reading files: the inputs are then names
	// of traces, taken as given (not walked), and Read returns each trace
	// and its size in bytes. Tests use it to scan traces built in memory
	// through the same diagnosis and aggregation as files.
	Read func(name string) (*freb.Trace, int64, error)
	// NoRows drops the per-trace rows once counted, for reports that list
	// none (text, markdown).
	NoRows bool
	// RowsInMemory is how many rows a scan holds before it spills them to
	// a temporary file in TempDir (default DefaultRowsInMemory and the
	// system's temporary directory); Result.Close removes it.
	RowsInMemory int
	TempDir      string
}

// Progress reports how far a scan is.
type Progress struct {
	Done, Total int
	Bytes       int64
	TotalBytes  int64
	Elapsed     time.Duration
}

// outcome is one file's result, passed from a worker to the aggregator.
type outcome struct {
	// seq is the file's place in the walk: the aggregator takes outcomes
	// in this order whatever order the workers finish in, so the report
	// is the same bytes for any --workers.
	seq     int
	path    string
	size    int64
	trace   *freb.Trace
	subject *diagnose.Subject
	// findings are the trace's own findings (sequence findings come when
	// the scan finishes).
	findings []diagnose.Finding
	// kept is the trace in full, for KeepTraces.
	kept *DiagnosedTrace
	// where is the result of Filter.Where, evaluated on the worker
	// because it reads the file again.
	where bool
	err   error
	// modTime is an archive entry's modification time, the trace's time
	// when it records none (files have theirs on disk).
	modTime time.Time
}

// Run scans the inputs. It returns an error only when the scan could not
// run at all; unreadable files are listed in the result. When ctx is
// cancelled the result holds what was read and is marked Partial.
func Run(ctx context.Context, opts Options) (*Result, error) {
	if len(opts.Inputs) == 0 {
		return nil, errors.New("no input: name FREB files or directories")
	}
	if opts.Engine == nil || opts.Clock == nil {
		return nil, errors.New("scan: Options.Engine and Options.Clock are required")
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	agg := newAggregator(opts)
	for _, seq := range opts.Seed {
		for _, st := range seq.Steps {
			agg.corr.AddStep(*seq, st)
		}
	}

	walk := walk
	if opts.Read != nil {
		walk = listNames
	}
	var total int
	var totalBytes int64
	if opts.Progress != nil {
		walk(ctx, opts.Inputs, opts.Limits.Archive, walkEvents{
			file:    func(c candidate) bool { total++; totalBytes += c.size; c.done(); return true },
			skipped: func(candidate, bool) {},
			failed:  func(string, error) {},
		})
	}

	// window bounds how far the workers may run ahead of the oldest file
	// not finished yet, so outcomes waiting for their turn stay few.
	window := workers * 8
	tokens := make(chan struct{}, window)
	paths := make(chan job, workers*4)
	results := make(chan outcome, window)
	var failMu sync.Mutex
	var walkFailures []FileError
	skipped, stylesheets, unchanged := 0, 0, 0
	var skippedBytes int64
	go func() {
		defer close(paths)
		n := 0
		walk(ctx, opts.Inputs, opts.Limits.Archive, walkEvents{
			file: func(c candidate) bool {
				if opts.Skip != nil && opts.Skip(c.path, c.info) {
					c.done()
					failMu.Lock()
					unchanged++
					failMu.Unlock()
					return true
				}
				select {
				case tokens <- struct{}{}:
				case <-ctx.Done():
					c.done()
					return false
				}
				paths <- job{seq: n, c: c}
				n++
				return true
			},
			skipped: func(c candidate, stylesheet bool) {
				failMu.Lock()
				defer failMu.Unlock()
				skippedBytes += c.size
				if stylesheet {
					stylesheets++
					return
				}
				skipped++
			},
			failed: func(p string, err error) {
				failMu.Lock()
				walkFailures = append(walkFailures, FileError{File: p, Error: err.Error()})
				failMu.Unlock()
			},
		})
	}()

	d := newDiagnoser(opts)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range paths {
				o := d.candidate(j.c)
				o.seq = j.seq
				results <- o
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	start := opts.Clock()
	done := 0
	var doneBytes int64
	deferred := 0
	handle := func(o outcome) {
		if opts.Defer != nil && opts.Defer(o.path, o.trace, o.err) {
			deferred++
			return
		}
		if opts.OnFile != nil {
			opts.OnFile(o.path, o.trace, o.err)
		}
		agg.add(o)
		done++
		doneBytes += o.size
		if opts.Progress != nil {
			opts.Progress(Progress{Done: done, Total: max(total, done), Bytes: doneBytes, TotalBytes: max(totalBytes, doneBytes), Elapsed: opts.Clock().Sub(start)})
		}
	}
	pending := map[int]outcome{}
	next := 0
	for o := range results {
		pending[o.seq] = o
		for {
			p, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			handle(p)
			<-tokens
			next++
		}
	}
	r := agg.finish()
	r.Summary.Skipped, r.Summary.Stylesheets = skipped, stylesheets
	r.Summary.Files += skipped + stylesheets + len(walkFailures)
	r.Summary.Bytes += skippedBytes
	r.Summary.Deferred = deferred
	r.Summary.Unchanged = unchanged
	for _, f := range walkFailures {
		r.Unreadable = append(r.Unreadable, f)
		r.Summary.Failed++
	}
	r.Partial = ctx.Err() != nil
	r.Filters = opts.FilterDesc
	r.DurationSeconds = opts.Clock().Sub(agg.started).Seconds()
	return r, nil
}

// job is one file handed to a worker, with its place in the walk.
type job struct {
	seq int
	c   candidate
}

// diagnoser reads and diagnoses single files, for the workers and for
// reports that re-read a trace in full (Detailer): one path, so a trace
// shown in detail carries exactly the findings the scan gave it.
type diagnoser struct {
	read     freb.Options
	settings diagnose.Settings
	engine   *diagnose.Engine
	where    *freb.Where
	keep     bool
	readFn   func(string) (*freb.Trace, int64, error)
	archive  ArchiveLimits
}

func newDiagnoser(opts Options) *diagnoser {
	read := freb.Options{SlowSteps: 5, Reader: opts.Reader, KeepEvents: opts.KeepTraces && !opts.SkipEvents}
	opts.Limits.Apply(&read)
	return &diagnoser{read: read, settings: opts.Settings, engine: opts.Engine, where: opts.Filter.Where, keep: opts.KeepTraces, readFn: opts.Read, archive: opts.Limits.Archive}
}

// DefaultDetailBudget is how many bytes of events (freb.EventSize)
// Detailer keeps of one trace: every event of a trace IIS wrote within
// its default maxLogFileSizeKB (512 KB of XML holds well under 1 MB of
// event data), and the start, the end and what matters of a larger one.
const DefaultDetailBudget = 4 << 20

// Detailer returns a function that reads one trace for a detailed view
// and diagnoses it on its own, with the scan's engine, settings and
// limits: reports that expand a few traces call it instead of keeping
// every trace of a scan in memory. It keeps the trace's events within
// Options.DetailBudget while reading (Trace.Omitted counts the rest), so
// memory stays bounded whatever the size of the file.
func Detailer(opts Options) func(path string) (*DiagnosedTrace, error) {
	d := newDiagnoser(opts)
	d.read.KeepEvents, d.keep, d.where = true, true, nil
	d.read.EventBudget = opts.DetailBudget
	if d.read.EventBudget <= 0 {
		d.read.EventBudget = DefaultDetailBudget
	}
	return func(path string) (*DiagnosedTrace, error) {
		o := d.file(path, 0)
		if o.err != nil {
			return nil, o.err
		}
		return o.kept, nil
	}
}

// candidate reads and diagnoses what the walker found, and lets go of it.
func (d *diagnoser) candidate(c candidate) outcome {
	defer c.done()
	if c.member != nil {
		return d.member(c.path, c.size, c.member)
	}
	return d.file(c.path, c.size)
}

// member reads and diagnoses an archive entry, streamed from the archive.
// An archive limit or damage found while decompressing fails the entry,
// whatever the reader made of the bytes before it.
func (d *diagnoser) member(path string, size int64, m *member) outcome {
	o := outcome{path: path, size: size, modTime: m.file.Modified.UTC()}
	r, err := m.open()
	if err != nil {
		o.err = fmt.Errorf("%s: %w", path, err)
		return o
	}
	t, err := freb.Read(r, path, d.read)
	r.Close()
	switch {
	case r.fail != nil:
		o.err = fmt.Errorf("%s: %w", path, r.fail)
		return o
	case err != nil:
		o.err = err
		return o
	}
	o.trace = t
	d.diagnose(&o)
	if d.where != nil {
		if r, err := m.open(); err == nil {
			o.where = d.where.Match(r)
			r.Close()
		}
	}
	return o
}

// file reads and diagnoses one file. Unless traces are kept, the trace is
// read without events, so memory per file stays small.
func (d *diagnoser) file(path string, size int64) outcome {
	o := outcome{path: path, size: size}
	if d.readFn != nil {
		o.trace, o.size, o.err = d.readFn(path)
		if o.err == nil {
			d.diagnose(&o)
		}
		return o
	}
	// Only regular files are opened: opening a FIFO (or a symbolic link
	// to one) would block the worker until some writer appears, and a
	// device could be read forever.
	fi, err := os.Stat(path)
	if err != nil {
		if archive, entry, ok := SplitArchivePath(path); ok {
			return d.entry(archive, entry)
		}
		o.err = err
		return o
	}
	if !fi.Mode().IsRegular() {
		o.err = fmt.Errorf("%s: not a regular file (%s); skipped", path, describeMode(fi.Mode()))
		return o
	}
	f, err := os.Open(path)
	if err != nil {
		o.err = err
		return o
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil {
		o.size = fi.Size()
	}
	t, err := freb.Read(f, path, d.read)
	if err != nil {
		o.err = err
		return o
	}
	o.trace = t
	d.diagnose(&o)
	if d.where != nil {
		o.where = d.where.MatchFile(path)
	}
	return o
}

// entry reads one archive entry on its own (Detailer, for a trace a
// report expands), through the walker so it meets the same limits.
func (d *diagnoser) entry(archive, name string) outcome {
	o := outcome{path: entryPath(archive, name)}
	walkArchive(archive, name, d.archive, walkEvents{
		file:    func(c candidate) bool { o = d.candidate(c); return true },
		skipped: func(c candidate, _ bool) { o.err = fmt.Errorf("%s: not a trace (frebscan reads .xml entries)", c.path) },
		failed:  func(_ string, err error) { o.err = err },
	})
	return o
}

// diagnose runs the rules on a trace read.
func (d *diagnoser) diagnose(o *outcome) {
	o.subject = diagnose.NewSubject(o.trace, d.settings)
	o.findings = d.engine.Trace(o.subject)
	if d.keep {
		o.kept = newDiagnosedTrace(o.subject, o.findings)
	}
}

func describeMode(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return m.Type().String()
}
