package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/frebscan/frebscan/internal/runlock"
)

// outDirLockName is the lock file inside --out-dir.
const outDirLockName = ".frebscan.lock"

// lockRun takes the locks a scheduled run needs: <state>.lock for the
// state file and DIR/.frebscan.lock for the report directory, so neither
// two runs sharing a state nor two sharing an out-dir interleave their
// read-modify-write. Always in this order, so waiting runs cannot
// deadlock. The returned func releases them.
func lockRun(ctx context.Context, o scanFlags) (func(), error) {
	var held []*runlock.Lock
	release := func() {
		for i := len(held) - 1; i >= 0; i-- {
			held[i].Release()
		}
	}
	if o.State != "" {
		// The state's directory may not exist yet on a first scheduled
		// run (C:\ProgramData\frebscan, /var/lib/frebscan).
		if err := os.MkdirAll(filepath.Dir(o.State), 0o755); err != nil {
			return nil, fmt.Errorf("--state %s: %w", o.State, err)
		}
		l, err := runlock.Acquire(ctx, o.State+".lock", o.LockTimeout)
		if err != nil {
			return nil, fmt.Errorf("--state: %w", err)
		}
		held = append(held, l)
	}
	if o.OutDir != "" {
		if err := os.MkdirAll(o.OutDir, 0o755); err != nil {
			release()
			return nil, fmt.Errorf("--out-dir %s: %w", o.OutDir, err)
		}
		l, err := runlock.Acquire(ctx, filepath.Join(o.OutDir, outDirLockName), o.LockTimeout)
		if err != nil {
			release()
			return nil, fmt.Errorf("--out-dir: %w", err)
		}
		held = append(held, l)
	}
	return release, nil
}
