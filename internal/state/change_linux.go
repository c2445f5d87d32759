package state

import (
	"io/fs"
	"syscall"
)

// changeOf returns the file's status-change time (ctime, in Unix ns) and
// inode: the kernel sets the change time on every write, rename onto the
// name and attribute change, and no call sets it back (see State.Skip).
func changeOf(fi fs.FileInfo) (change int64, ino uint64, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return st.Ctim.Nano(), st.Ino, true
}
