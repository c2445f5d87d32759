package state

import (
	"bytes"
	"slices"
	"sort"
	"strings"
	"time"
)

// table is the analysed files, by Key, held compactly: the files loaded
// from the state sit in one sorted array (their keys in one byte arena,
// found by binary search), and only the files this run adds are in a map.
// A steady run over a million files then holds about 100 bytes per file
// (the key and a fixed record), not a Go map of structs and strings.
type table struct {
	// arena holds the loaded keys back to back in sorted order; ends[i]
	// is where key i ends.
	arena []byte
	ends  []uint32
	recs  []rec
	// missing is when the files of a vanished folder were first found
	// gone, by index in recs: rare, so not a field of every record.
	missing map[int]time.Time
	// added are the files new to this run (or loaded after a migration
	// from version 2), by key.
	added map[string]*File
}

// rec is one loaded file: what decides whether it is unchanged.
type rec struct {
	size, mtime int64 // bytes; modification time in Unix ns
	// change and ino are the file's status-change time (Unix ns) and
	// inode, when the system gives them (hasChange): equal values mean
	// nothing wrote to the file since it was hashed, so it need not be
	// opened again (see State.Skip).
	change   int64
	ino      uint64
	analysed int64 // Unix ns; kept for pending files only
	head     [16]byte
	flags    uint8
}

const (
	flagPending   = 1 << iota // seen unfinished, not counted yet
	flagHasChange             // change and ino are set
	flagNoHead                // no valid head hash: never matches
	flagMissing               // in missing
	// The flags below live only in memory, for this run.
	flagSeen     // found by this run's walk (Prune need not stat it)
	flagRecorded // recorded by this run (Recorded, the journal)
	flagDeleted  // forgotten by Prune
	flagsStored  = flagPending | flagHasChange | flagNoHead | flagMissing
)

func (t *table) key(i int) string {
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return string(t.arena[start:t.ends[i]])
}

func (t *table) keyBytes(i int) []byte {
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.arena[start:t.ends[i]]
}

// index returns where key is among the loaded files, or -1.
func (t *table) index(key string) int {
	n := len(t.ends)
	i := sort.Search(n, func(i int) bool { return string(t.keyBytes(i)) >= key })
	if i < n && string(t.keyBytes(i)) == key && t.recs[i].flags&flagDeleted == 0 {
		return i
	}
	return -1
}

// stat is what a stat tells of a file, for table.unchanged.
type stat struct {
	size, mtime, change int64
	ino                 uint64
}

// unchanged looks key up among the loaded files without building a File
// (a steady run asks it of every file): found reports whether its
// record has a change time and matches st; it is then marked seen, and
// pending and analysed say whether it is still settling.
func (t *table) unchanged(key string, st stat) (found, pending bool, analysed int64) {
	if f, ok := t.added[key]; ok {
		if !f.hasChange || f.Size != st.size || unixNano(f.ModTime) != st.mtime || f.change != st.change || f.ino != st.ino {
			return false, false, 0
		}
		f.seen = true
		return true, f.Pending, unixNano(f.Analysed)
	}
	i := t.index(key)
	if i < 0 {
		return false, false, 0
	}
	r := &t.recs[i]
	if r.flags&flagHasChange == 0 || r.size != st.size || r.mtime != st.mtime || r.change != st.change || r.ino != st.ino {
		return false, false, 0
	}
	r.flags |= flagSeen
	return true, r.flags&flagPending != 0, r.analysed
}

// get returns the file stored under key.
func (t *table) get(key string) (File, bool) {
	if f, ok := t.added[key]; ok {
		return *f, true
	}
	if i := t.index(key); i >= 0 {
		return t.file(i), true
	}
	return File{}, false
}

// put stores f under key, replacing what was there.
func (t *table) put(key string, f File) {
	if i := t.index(key); i >= 0 {
		t.recs[i] = f.rec(t.recs[i].flags &^ flagsStored)
		if f.Missing.IsZero() {
			delete(t.missing, i)
		} else {
			t.setMissing(i, f.Missing)
		}
		return
	}
	if t.added == nil {
		t.added = map[string]*File{}
	}
	f.Path = key
	t.added[key] = &f
}

func (t *table) setMissing(i int, when time.Time) {
	if t.missing == nil {
		t.missing = map[int]time.Time{}
	}
	t.missing[i] = when
	t.recs[i].flags |= flagMissing
}

// remove forgets key.
func (t *table) remove(key string) {
	if _, ok := t.added[key]; ok {
		delete(t.added, key)
		return
	}
	if i := t.index(key); i >= 0 {
		t.recs[i].flags |= flagDeleted
		delete(t.missing, i)
	}
}

// clearSeen forgets which files the walk found: the marks are this
// run's, and a later Prune must look again.
func (t *table) clearSeen() {
	for i := range t.recs {
		t.recs[i].flags &^= flagSeen
	}
	for _, f := range t.added {
		f.seen = false
	}
}

// len is the number of files remembered.
func (t *table) len() int {
	n := len(t.added)
	for i := range t.recs {
		if t.recs[i].flags&flagDeleted == 0 {
			n++
		}
	}
	return n
}

// file returns loaded file i.
func (t *table) file(i int) File {
	r := t.recs[i]
	f := File{
		Path: t.key(i), Size: r.size, ModTime: time.Unix(0, r.mtime).UTC(),
		Pending: r.flags&flagPending != 0, seen: r.flags&flagSeen != 0, recorded: r.flags&flagRecorded != 0,
	}
	if r.flags&flagNoHead == 0 {
		f.Head = hexHead(r.head)
	}
	if r.flags&flagHasChange != 0 {
		f.change, f.ino, f.hasChange = r.change, r.ino, true
	}
	if r.flags&flagPending != 0 {
		f.Analysed = time.Unix(0, r.analysed).UTC()
	}
	if r.flags&flagMissing != 0 {
		f.Missing = t.missing[i]
	}
	return f
}

// rec returns f as a record, with the in-memory flags given.
func (f File) rec(flags uint8) rec {
	r := rec{size: f.Size, mtime: unixNano(f.ModTime), flags: flags}
	if h, ok := parseHead(f.Head); ok {
		r.head = h
	} else {
		r.flags |= flagNoHead
	}
	if f.hasChange {
		r.change, r.ino = f.change, f.ino
		r.flags |= flagHasChange
	}
	if f.Pending {
		r.flags |= flagPending
		r.analysed = unixNano(f.Analysed)
	}
	if f.seen {
		r.flags |= flagSeen
	}
	if f.recorded {
		r.flags |= flagRecorded
	}
	return r
}

// unixNano is t in Unix ns, clamped to what an int64 holds (a damaged
// or hand-edited state may hold any year).
func unixNano(t time.Time) int64 {
	switch {
	case t.IsZero():
		return 0
	case t.Before(time.Unix(0, -1<<63)):
		return -1 << 63
	case t.After(time.Unix(0, 1<<63-1)):
		return 1<<63 - 1
	}
	return t.UnixNano()
}

// each calls fn for every file in key order, loaded and added merged.
func (t *table) each(fn func(key string, f File)) {
	t.walk(func(i int) { fn(t.key(i), t.file(i)) }, fn)
}

// walk goes through the files in key order, loaded and added merged:
// loaded files by index (building a File costs allocations, which a
// steady run over a million files would pay for each), added ones as
// File.
func (t *table) walk(loaded func(i int), added func(key string, f File)) {
	keys := make([]string, 0, len(t.added))
	for k := range t.added {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	j := 0
	for i := range t.recs {
		if t.recs[i].flags&flagDeleted != 0 {
			continue
		}
		k := t.keyBytes(i)
		for j < len(keys) && strings.Compare(keys[j], string(k)) < 0 {
			added(keys[j], *t.added[keys[j]])
			j++
		}
		loaded(i)
	}
	for ; j < len(keys); j++ {
		added(keys[j], *t.added[keys[j]])
	}
}

// loaded builds the sorted part of a table from files already in key
// order with no repeat (the reader checks that).
type tableBuilder struct {
	t    *table
	prev []byte
}

func (b *tableBuilder) add(key []byte, r rec, missing time.Time) {
	t := b.t
	t.arena = append(t.arena, key...)
	t.ends = append(t.ends, uint32(len(t.arena)))
	if r.flags&flagMissing != 0 {
		if t.missing == nil {
			t.missing = map[int]time.Time{}
		}
		t.missing[len(t.recs)] = missing
	}
	t.recs = append(t.recs, r)
	b.prev = t.keyBytes(len(t.recs) - 1)
}

// after reports whether key sorts strictly after the last key added.
func (b *tableBuilder) after(key []byte) bool {
	return b.prev == nil || bytes.Compare(key, b.prev) > 0
}

// fromMap builds a table from a version 2 file table.
func fromMap(files map[string]File) *table {
	keys := make([]string, 0, len(files))
	size := 0
	for k := range files {
		keys = append(keys, k)
		size += len(k)
	}
	slices.Sort(keys)
	t := &table{arena: make([]byte, 0, size), ends: make([]uint32, 0, len(keys)), recs: make([]rec, 0, len(keys))}
	b := tableBuilder{t: t}
	for _, k := range keys {
		f := files[k]
		r := f.rec(0)
		if !f.Missing.IsZero() {
			r.flags |= flagMissing
		}
		b.add([]byte(k), r, f.Missing)
	}
	return t
}
