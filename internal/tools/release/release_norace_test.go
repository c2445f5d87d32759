//go:build !race

// TestRelease's time is three builds of frebscan in child processes; the
// race detector has nothing to find in it and, in make test's race pass,
// it started last and ran alone at the end. make test runs this file in
// its second pass, without -race, first.

package main

import "testing"

// TestRelease builds linux/amd64 and windows/amd64 as make release does,
// then linux/amd64 again, and checks what an admin relies on: SHA256SUMS
// verifies the artifacts, two builds give the same bytes, the archive
// holds exactly the promised files with fixed metadata, the binary says
// which build it is, the SBOM lists what is linked in, and frebscan.exe
// carries a version resource.
func TestRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("builds frebscan three times")
	}
	sbom, winres := cachedTool(t, defaultSBOM), cachedTool(t, defaultWinres)
	out1, out2 := t.TempDir(), t.TempDir()
	linux, windows := target{"linux", "amd64"}, target{"windows", "amd64"}
	names := fakeRelease(t, out1, []target{linux, windows}, sbom, winres)
	fakeRelease(t, out2, []target{linux}, "", "")
	t.Run("archive", func(t *testing.T) { checkArchive(t, out1, out2, names) })
	t.Run("sbom", func(t *testing.T) {
		if sbom == "" {
			t.Skip("no SBOM generator")
		}
		checkSBOM(t, out1, names)
	})
	t.Run("windows version resource", func(t *testing.T) {
		if winres == "" {
			t.Skip("no go-winres")
		}
		checkVersionResource(t, out1)
	})
}
