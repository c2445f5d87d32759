//go:build windows

package cli

import "strings"

// sameDir: Windows paths are case-insensitive.
func sameDir(a, b string) bool { return strings.EqualFold(a, b) }
