package cli

import (
	"io/fs"

	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/scan"
	"github.com/frebscan/frebscan/internal/state"
)

// archiveState lets a --state run treat a zip archive as one unit: the
// state file remembers the archive (size, time, first bytes) rather than
// its entries, which have no identity on disk. An archive unchanged since
// a complete run is skipped whole; a changed one is read in full again.
// An archive is remembered only when the run was not interrupted, so an
// archive cut off half-read is read again next time.
type archiveState struct {
	st   *state.State
	seen map[string]bool
}

func newArchiveState(st *state.State) *archiveState {
	return &archiveState{st: st, seen: map[string]bool{}}
}

// options hooks the state into the scan.
func (a *archiveState) options(so *scan.Options) {
	so.Skip, so.Defer, so.OnFile, so.Seed = a.skip, a.deferFile, a.record, a.st.Seed()
}

func (a *archiveState) skip(path string, info fs.FileInfo) bool {
	if archive, _, ok := scan.SplitArchivePath(path); ok {
		return a.st.Skip(archive, nil) // the state looks the archive up
	}
	return a.st.Skip(path, info)
}

// deferFile never holds an entry back: an archive is not written by IIS
// while it runs.
func (a *archiveState) deferFile(path string, t *freb.Trace, err error) bool {
	if _, _, ok := scan.SplitArchivePath(path); ok {
		return false
	}
	return a.st.Defer(path, t, err)
}

// record is called from the scan's one aggregating goroutine.
func (a *archiveState) record(path string, t *freb.Trace, err error) {
	if archive, _, ok := scan.SplitArchivePath(path); ok {
		a.seen[archive] = true
		return
	}
	a.st.Record(path, t, err)
}

// commit remembers the archives read, when the run read them whole.
func (a *archiveState) commit(r *scan.Result) {
	if r == nil || r.Partial {
		return
	}
	for archive := range a.seen {
		a.st.Record(archive, nil, nil)
	}
}
