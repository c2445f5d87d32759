//go:build windows

package winevent

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
	"golang.org/x/sys/windows/svc/eventlog"
)

// Supported is true: this is Windows.
const Supported = true

const sourceKey = `SYSTEM\CurrentControlSet\Services\EventLog\Application\` + Source

// Write writes msg as one event. When the source is not registered yet it
// registers it (with EventCreate.exe's message file, so Event Viewer shows
// the text as written), which needs an elevated process; when that is not
// possible the event is still written and warning says how to fix the
// display ("The description for Event ID 1 ... cannot be found").
func Write(level Level, msg string) (warning string, err error) {
	if !registered() {
		if err := eventlog.InstallAsEventCreate(Source, eventlog.Error|eventlog.Warning|eventlog.Info); err != nil {
			if errors.Is(err, windows.ERROR_ACCESS_DENIED) {
				warning = fmt.Sprintf("event source %q is not registered and this run is not elevated: the event is written, but Event Viewer will not format it until one elevated run registers the source", Source)
			} else {
				warning = fmt.Sprintf("register event source %q: %v", Source, err)
			}
		}
	}
	l, err := eventlog.Open(Source)
	if err != nil {
		return warning, fmt.Errorf("open the Application event log: %w", err)
	}
	defer l.Close()
	if level == Error {
		err = l.Error(EventID, msg)
	} else {
		err = l.Warning(EventID, msg)
	}
	if err != nil {
		return warning, fmt.Errorf("write to the Application event log: %w", err)
	}
	return warning, nil
}

func registered() bool {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, sourceKey, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	k.Close()
	return true
}
