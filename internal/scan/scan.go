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
	"github.com/frebscan/frebscan/internal/diagnose/rules"
	"github.com/frebscan/frebscan/internal/freb"
)

// Options configure a scan.
type Options struct {
	Inputs  []string
	Workers int
	Filter  Filter
	// FilterDesc describes Filter as the user gave it, for the report.
	FilterDesc map[string]string
	Settings   diagnose.Settings
	// Top is the length of the top-N tables (default 10).
	Top int
	// Tool names the program and version in the result.
	Tool string
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
	Skip func(path string, size int64) bool
	// Limits bound what one file may cost; a file past one is read in
	// part (or not at all) with a warning or error in the result.
	Limits Limits
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
	path     string
	size     int64
	trace    *freb.Trace
	subject  *diagnose.Subject
	findings []diagnose.Finding
	// where is the result of Filter.Where, evaluated on the worker
	// because it reads the file again.
	where bool
	err   error
}

// Run scans the inputs. It returns an error only when the scan could not
// run at all; unreadable files are listed in the result. When ctx is
// cancelled the result holds what was read and is marked Partial.
func Run(ctx context.Context, opts Options) (*Result, error) {
	if len(opts.Inputs) == 0 {
		return nil, errors.New("no input: name FREB files or directories")
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	engine := rules.Engine()
	agg := newAggregator(opts, engine)
	for _, seq := range opts.Seed {
		for _, st := range seq.Steps {
			agg.corr.AddStep(*seq, st)
		}
	}

	var total int
	var totalBytes int64
	if opts.Progress != nil {
		walk(ctx, opts.Inputs, walkEvents{
			file:    func(c candidate) bool { total++; totalBytes += c.size; return true },
			skipped: func(string) {},
			failed:  func(string, error) {},
		})
	}

	paths := make(chan candidate, workers*4)
	results := make(chan outcome, workers*4)
	var failMu sync.Mutex
	var walkFailures []FileError
	skipped, unchanged := 0, 0
	go func() {
		defer close(paths)
		walk(ctx, opts.Inputs, walkEvents{
			file: func(c candidate) bool {
				if opts.Skip != nil && opts.Skip(c.path, c.size) {
					failMu.Lock()
					unchanged++
					failMu.Unlock()
					return true
				}
				select {
				case paths <- c:
					return true
				case <-ctx.Done():
					return false
				}
			},
			skipped: func(string) { failMu.Lock(); skipped++; failMu.Unlock() },
			failed: func(p string, err error) {
				failMu.Lock()
				walkFailures = append(walkFailures, FileError{File: p, Error: err.Error()})
				failMu.Unlock()
			},
		})
	}()

	read := freb.Options{SlowSteps: 5, Reader: opts.Reader}
	opts.Limits.Apply(&read)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range paths {
				results <- process(c, read, opts.Settings, engine, opts.Filter.Where)
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	start := time.Now()
	done := 0
	var doneBytes int64
	deferred := 0
	for o := range results {
		if opts.Defer != nil && opts.Defer(o.path, o.trace, o.err) {
			deferred++
			continue
		}
		if opts.OnFile != nil {
			opts.OnFile(o.path, o.trace, o.err)
		}
		agg.add(o)
		done++
		doneBytes += o.size
		if opts.Progress != nil {
			opts.Progress(Progress{Done: done, Total: max(total, done), Bytes: doneBytes, TotalBytes: max(totalBytes, doneBytes), Elapsed: time.Since(start)})
		}
	}
	r := agg.finish()
	r.Summary.NotFREB += skipped
	r.Summary.Files += skipped
	r.Summary.Deferred = deferred
	r.Summary.Unchanged = unchanged
	r.Correlation = agg.corr.All()
	for _, f := range walkFailures {
		r.Unreadable = append(r.Unreadable, f)
		r.Summary.Failed++
	}
	r.Partial = ctx.Err() != nil
	r.Filters = opts.FilterDesc
	r.DurationSeconds = time.Since(agg.started).Seconds()
	return r, nil
}

// process reads and diagnoses one file. It runs on a worker; the trace is
// read without keeping events, so memory per file stays small.
func process(c candidate, read freb.Options, settings diagnose.Settings, engine *diagnose.Engine, where *freb.Where) outcome {
	o := outcome{path: c.path, size: c.size}
	// Only regular files are opened: opening a FIFO (or a symbolic link
	// to one) would block the worker until some writer appears, and a
	// device could be read forever.
	fi, err := os.Stat(c.path)
	if err != nil {
		o.err = err
		return o
	}
	if !fi.Mode().IsRegular() {
		o.err = fmt.Errorf("%s: not a regular file (%s); skipped", c.path, describeMode(fi.Mode()))
		return o
	}
	f, err := os.Open(c.path)
	if err != nil {
		o.err = err
		return o
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil {
		o.size = fi.Size()
	}
	t, err := freb.Read(f, c.path, read)
	if err != nil {
		o.err = err
		return o
	}
	o.trace = t
	o.subject = diagnose.NewSubject(t, settings)
	o.findings = engine.Trace(o.subject)
	if where != nil {
		o.where = where.MatchFile(c.path)
	}
	return o
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
