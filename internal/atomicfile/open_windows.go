//go:build windows

package atomicfile

import "syscall"

// noFollowFlags: os.OpenFile passes the high bits of flag to CreateFile;
// FILE_FLAG_OPEN_REPARSE_POINT opens a symbolic link or junction itself
// instead of its target, so the regular-file check through the handle
// sees the reparse point and refuses it.
const noFollowFlags = syscall.FILE_FLAG_OPEN_REPARSE_POINT

// nonBlock: Windows has no named pipes in the file namespace to wait on.
const nonBlock = 0

// underDev: Windows devices (NUL, CON) are not links.
func underDev(string) bool { return false }
