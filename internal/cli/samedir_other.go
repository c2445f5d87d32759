//go:build !windows

package cli

func sameDir(a, b string) bool { return a == b }
