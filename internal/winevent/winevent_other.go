//go:build !windows

package winevent

// Supported is false: there is no Windows event log here.
const Supported = false

// Write does nothing outside Windows.
func Write(Level, string) (warning string, err error) { return "", nil }
