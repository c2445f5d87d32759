package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"io"
	"io/fs"
	"path"
	"sort"
	"time"
)

// file is one archive member, its name relative to the archive's top
// directory.
type file struct {
	Name string
	Mode fs.FileMode // 0o755 for the binary, 0o644 for the rest
	Data []byte
}

// entry is a file or a directory (Data nil, Name ending in /) with its
// full name in the archive.
type entry struct {
	file
	dir bool
}

// entries puts the files under top/, adds every directory they need, and
// sorts the lot, so the archive's bytes depend on nothing but the files:
// not on the order they were staged in nor on the file system.
func entries(top string, files []file) []entry {
	dirs := map[string]bool{top + "/": true}
	var out []entry
	for _, f := range files {
		name := top + "/" + f.Name
		for d := path.Dir(name); d != "." && d != "/"; d = path.Dir(d) {
			dirs[d+"/"] = true
		}
		out = append(out, entry{file: file{Name: name, Mode: f.Mode, Data: f.Data}})
	}
	for d := range dirs {
		out = append(out, entry{file: file{Name: d, Mode: 0o755}, dir: true})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// writeTarGz writes a gzip-compressed tar, every entry owned by root
// (uid/gid 0, no user names) and stamped with mtime; the gzip header
// carries no name and no time.
func writeTarGz(w io.Writer, top string, files []file, mtime time.Time) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(zw)
	for _, e := range entries(top, files) {
		h := &tar.Header{Name: e.Name, Mode: int64(e.Mode), ModTime: mtime.UTC(), Typeflag: tar.TypeReg, Size: int64(len(e.Data))}
		if e.dir {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(e.Data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

// writeZip writes a zip (Deflate), every entry stamped with mtime in UTC
// and Unix permissions set, as for the tar.
func writeZip(w io.Writer, top string, files []file, mtime time.Time) error {
	zw := zip.NewWriter(w)
	for _, e := range entries(top, files) {
		h := &zip.FileHeader{Name: e.Name, Method: zip.Deflate, Modified: mtime.UTC()}
		mode := e.Mode
		if e.dir {
			h.Method, mode = zip.Store, mode|fs.ModeDir
		}
		h.SetMode(mode)
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := fw.Write(e.Data); err != nil {
			return err
		}
	}
	return zw.Close()
}
