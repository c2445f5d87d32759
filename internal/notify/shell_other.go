//go:build !windows

package notify

import (
	"context"
	"os/exec"
	"syscall"
)

// shellCommand runs command with sh -c in its own process group, so a
// timeout stops the whole pipeline (curl started by the shell), not only
// the shell.
func shellCommand(ctx context.Context, command string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", command)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	return cmd
}
