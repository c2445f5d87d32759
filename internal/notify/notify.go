// Package notify runs the admin's --notify-cmd: a command line run by the
// platform shell (sh -c, cmd /C) with a JSON document on its standard
// input, bounded in time, its output passed through to frebscan's stderr
// so it lands in the scheduler's log next to frebscan's own lines.
package notify

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"time"
)

// DefaultTimeout bounds a notify command (a mail relay or webhook that
// hangs must not stall the schedule; the next run is minutes away).
const DefaultTimeout = time.Minute

// waitDelay is how long after the timeout frebscan waits for the
// command's output pipes to close before giving up on them.
const waitDelay = 2 * time.Second

// Run runs command with input on its standard input. Every line the
// command prints, on stdout or stderr, goes to log prefixed with prefix.
// The error says how the command failed: exit status, timeout, or that it
// could not be started.
func Run(ctx context.Context, command string, input []byte, timeout time.Duration, log io.Writer, prefix string) error {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := shellCommand(ctx, command)
	cmd.Stdin = bytes.NewReader(input)
	out := &lineWriter{w: log, prefix: prefix}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = waitDelay
	err := cmd.Run()
	out.Flush()
	switch {
	case err == nil:
		return nil
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("notify command %q did not finish within %s and was stopped", command, timeout)
	default:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return fmt.Errorf("notify command %q failed: %s", command, ee.ProcessState)
		}
		return fmt.Errorf("notify command %q: %w", command, err)
	}
}

// lineWriter prefixes each line; stdout and stderr share it, so it locks.
type lineWriter struct {
	mu     sync.Mutex
	w      io.Writer
	prefix string
	buf    []byte
}

func (l *lineWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			break
		}
		l.emit(l.buf[:i])
		l.buf = l.buf[i+1:]
	}
	return len(p), nil
}

// Flush writes a last line that had no newline.
func (l *lineWriter) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buf) > 0 {
		l.emit(l.buf)
		l.buf = nil
	}
}

func (l *lineWriter) emit(line []byte) {
	line = bytes.TrimSuffix(line, []byte("\r"))
	w := bufio.NewWriter(l.w)
	w.WriteString(l.prefix)
	w.Write(line)
	w.WriteByte('\n')
	w.Flush()
}
