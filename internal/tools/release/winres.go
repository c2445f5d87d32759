package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// defaultWinres adds a version resource to frebscan.exe, so Explorer's
// Details tab, Get-Item's VersionInfo and inventory tools show the
// version; pinned like the SBOM generator.
const defaultWinres = "github.com/tc-hib/go-winres@v0.3.3"

// winresJSON is go-winres's description of the resources: a version
// resource only. No manifest: one would change how Windows starts the
// program (execution level, DPI, long paths), which is not this change.
func winresJSON(c config) ([]byte, error) {
	info := map[string]string{
		"CompanyName":      "The frebscan authors",
		"FileDescription":  "frebscan: IIS Failed Request Tracing (FREB) diagnosis",
		"FileVersion":      c.Version,
		"InternalName":     "frebscan",
		"LegalCopyright":   "Copyright The frebscan authors. Apache License 2.0.",
		"OriginalFilename": "frebscan.exe",
		"ProductName":      "frebscan",
		"ProductVersion":   c.Version + " (commit " + c.Commit + ")",
	}
	res := map[string]any{
		"RT_VERSION": map[string]any{"#1": map[string]any{"0000": map[string]any{
			"fixed": map[string]string{"file_version": numericVersion(c.Version), "product_version": numericVersion(c.Version)},
			"info":  map[string]any{"0409": info},
		}}},
	}
	return json.MarshalIndent(res, "", "  ")
}

// numericVersion is the a.b.c.0 a version resource's fixed part needs:
// the release numbers of 0.1.0, 0.0.0 for pseudo-versions' prefix alike.
func numericVersion(v string) string {
	core, _, _ := strings.Cut(v, "-")
	core, _, _ = strings.Cut(core, "+")
	parts := strings.Split(core, ".")
	out := []string{"0", "0", "0", "0"}
	for i := 0; i < len(parts) && i < 3; i++ {
		if n, err := strconv.ParseUint(parts[i], 10, 16); err == nil {
			out[i] = strconv.FormatUint(n, 10)
		}
	}
	return strings.Join(out, ".")
}

// installTool builds a pinned tool (module@version) for this machine into
// dir/name and returns the program's path.
func installTool(c config, pkg, dir, name string) (string, error) {
	bin, err := filepath.Abs(filepath.Join(dir, name))
	if err != nil {
		return "", err
	}
	cmd := exec.Command(c.Go, "install", pkg)
	cmd.Dir = c.Root
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k != "GOOS" && k != "GOARCH" && k != "GOBIN" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "GOBIN="+bin)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install %s: %v\n%s", pkg, err, out)
	}
	entries, err := os.ReadDir(bin)
	if err != nil || len(entries) != 1 {
		return "", fmt.Errorf("go install %s: expected one program in %s", pkg, bin)
	}
	return filepath.Join(bin, entries[0].Name()), nil
}

// addVersionResource patches exe's resources in place.
func addVersionResource(c config, tool, exe string) error {
	desc, err := winresJSON(c)
	if err != nil {
		return err
	}
	in := filepath.Join(filepath.Dir(exe), "winres.json")
	if err := os.WriteFile(in, desc, 0o644); err != nil {
		return err
	}
	defer os.Remove(in)
	cmd := exec.Command(tool, "patch", "--in", in, "--no-backup", exe)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("version resource for %s: %v\n%s", exe, err, out)
	}
	return nil
}
