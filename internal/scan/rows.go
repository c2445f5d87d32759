package scan

import (
	"bufio"
	"container/heap"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// DefaultRowsInMemory is how many rows a scan holds before it spills them,
// sorted, to a temporary file: about 5 MB of rows.
const DefaultRowsInMemory = 8192

// rowStore keeps a scan's rows in report order (time, then file) without
// holding them all: rows come in batches of at most limit, each batch is
// sorted and written to one temporary file as a run, and reading merges
// the runs. A scan whose rows fit in one batch never touches the disk.
type rowStore struct {
	limit int
	dir   string
	buf   []Row
	file  *os.File
	// name is the file's name while it must still be removed (systems
	// that cannot remove an open file); empty once removed.
	name string
	w    *bufio.Writer
	runs []spillRun
	off  int64
	err  error
}

// spillRun is one sorted batch in the file.
type spillRun struct {
	off, size int64
	n         int
}

func newRowStore(limit int, dir string) *rowStore {
	if limit <= 0 {
		limit = DefaultRowsInMemory
	}
	return &rowStore{limit: limit, dir: dir}
}

// rowLess is the report's order of rows: by time, then file.
func rowLess(a, b *Row) bool {
	if !a.Time.Equal(b.Time) {
		return a.Time.Before(b.Time)
	}
	return a.File < b.File
}

func sortRows(rows []Row) {
	slices.SortStableFunc(rows, func(a, b Row) int {
		switch {
		case rowLess(&a, &b):
			return -1
		case rowLess(&b, &a):
			return 1
		}
		return 0
	})
}

func (s *rowStore) add(r Row) {
	if len(s.buf) >= s.limit {
		s.spill()
	}
	s.buf = append(s.buf, r)
}

// spill writes the batch as one sorted run.
func (s *rowStore) spill() {
	if s.err != nil || len(s.buf) == 0 {
		s.buf = s.buf[:0]
		return
	}
	if s.file == nil {
		if s.err = s.create(); s.err != nil {
			return
		}
	}
	sortRows(s.buf)
	// Each run has its own encoder, so that it can be decoded alone.
	cw := &countWriter{w: s.w}
	enc := gob.NewEncoder(cw)
	for i := range s.buf {
		if err := enc.Encode(&s.buf[i]); err != nil {
			s.err = fmt.Errorf("spill rows to %s: %w", s.file.Name(), err)
			return
		}
	}
	if err := s.w.Flush(); err != nil {
		s.err = fmt.Errorf("spill rows to %s: %w", s.file.Name(), err)
		return
	}
	s.runs = append(s.runs, spillRun{off: s.off, size: cw.n, n: len(s.buf)})
	s.off += cw.n
	clear(s.buf)
	s.buf = s.buf[:0]
}

// create makes the spill file: os.CreateTemp opens a new name with
// O_EXCL and mode 0600, so it never follows or reuses a file someone
// placed there. On systems that allow it the name is removed at once: the
// rows then vanish with the process, however it ends.
func (s *rowStore) create() error {
	f, err := os.CreateTemp(s.dir, "frebscan-rows-*")
	if err != nil {
		return fmt.Errorf("cannot spill the rows of a large scan: %w (set TMPDIR to a writable directory)", err)
	}
	s.file, s.name = f, f.Name()
	if os.Remove(f.Name()) == nil {
		s.name = ""
	}
	s.w = bufio.NewWriterSize(f, 256<<10)
	return nil
}

// done ends adding: a scan that never spilled keeps its rows sorted in
// memory; otherwise the last batch joins the runs.
func (s *rowStore) done() {
	if s.file == nil {
		sortRows(s.buf)
		return
	}
	s.spill()
}

// each calls fn with every row in report order; the row is valid only
// during the call.
func (s *rowStore) each(fn func(*Row) error) error {
	if s.err != nil {
		return s.err
	}
	if s.file == nil {
		for i := range s.buf {
			if err := fn(&s.buf[i]); err != nil {
				return err
			}
		}
		return nil
	}
	m := &merge{}
	for _, r := range s.runs {
		c := &cursor{dec: gob.NewDecoder(bufio.NewReaderSize(io.NewSectionReader(s.file, r.off, r.size), 32<<10)), left: r.n}
		if err := c.next(); err != nil {
			return fmt.Errorf("read spilled rows: %w", err)
		}
		if c.ok {
			m.cursors = append(m.cursors, c)
		}
	}
	heap.Init(m)
	for m.Len() > 0 {
		c := m.cursors[0]
		if err := fn(&c.row); err != nil {
			return err
		}
		if err := c.next(); err != nil {
			return fmt.Errorf("read spilled rows: %w", err)
		}
		if c.ok {
			heap.Fix(m, 0)
		} else {
			heap.Pop(m)
		}
	}
	return nil
}

// close removes the spill file.
func (s *rowStore) close() error {
	if s.file == nil {
		return nil
	}
	err := s.file.Close()
	if s.name != "" {
		err = errors.Join(err, os.Remove(s.name))
		s.name = ""
	}
	s.file = nil
	s.buf = nil
	return err
}

type cursor struct {
	dec  *gob.Decoder
	row  Row
	left int
	ok   bool
}

func (c *cursor) next() error {
	if c.left == 0 {
		c.ok = false
		return nil
	}
	c.row = Row{}
	if err := c.dec.Decode(&c.row); err != nil {
		return err
	}
	// Gob leaves empty slices out; reports write an empty list as [].
	if c.row.Findings == nil {
		c.row.Findings = []Ref{}
	}
	c.left--
	c.ok = true
	return nil
}

// merge is a heap of run cursors by their current row; ties (rows equal in
// time and file, which one walk does not give) go to the earlier run.
type merge struct{ cursors []*cursor }

func (m *merge) Len() int           { return len(m.cursors) }
func (m *merge) Less(i, j int) bool { return rowLess(&m.cursors[i].row, &m.cursors[j].row) }
func (m *merge) Swap(i, j int)      { m.cursors[i], m.cursors[j] = m.cursors[j], m.cursors[i] }
func (m *merge) Push(x any)         { m.cursors = append(m.cursors, x.(*cursor)) }
func (m *merge) Pop() any {
	c := m.cursors[len(m.cursors)-1]
	m.cursors = m.cursors[:len(m.cursors)-1]
	return c
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
