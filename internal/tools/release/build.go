package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/frebscan/frebscan/internal/cli"
	"github.com/frebscan/frebscan/internal/manpage"
)

// SumsFile lists the SHA-256 of every other artifact, in the format
// `sha256sum -c SHA256SUMS` checks.
const SumsFile = "SHA256SUMS"

// versionPkg is where -ldflags -X sets the build identity.
const versionPkg = "github.com/frebscan/frebscan/internal/version"

// build makes every artifact and SHA256SUMS in c.Out and returns the
// artifacts' names.
func build(c config) ([]string, error) {
	docs, err := staticFiles(c.Root)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(c.Out, 0o755); err != nil {
		return nil, err
	}
	if err := clean(c.Out); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "frebscan-release-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	sbom, winres := "", ""
	if c.SBOM != "" {
		if sbom, err = installTool(c, c.SBOM, tmp, "sbom-tool"); err != nil {
			return nil, fmt.Errorf("SBOM generator (-sbom= skips SBOMs): %w", err)
		}
	}
	if c.Winres != "" {
		if winres, err = installTool(c, c.Winres, tmp, "winres-tool"); err != nil {
			return nil, fmt.Errorf("version resource tool (-winres= skips it): %w", err)
		}
	}
	var names []string
	for _, t := range c.Targets {
		fmt.Fprintf(c.Log, "release: %s\n", t)
		exe, err := compile(c, t, filepath.Join(tmp, t.OS+"_"+t.Arch))
		if err != nil {
			return nil, err
		}
		if winres != "" && t.OS == "windows" {
			if err := addVersionResource(c, winres, exe); err != nil {
				return nil, err
			}
		}
		name, err := pack(c, t, exe, docs)
		if err != nil {
			return nil, err
		}
		names = append(names, name)
		if sbom != "" {
			name, err := writeSBOM(c, t, sbom, exe)
			if err != nil {
				return nil, err
			}
			names = append(names, name)
		}
	}
	return names, writeSums(c.Out, names)
}

// baseName is frebscan_<version>_<os>_<arch>, the archive's name and its
// top directory.
func baseName(version string, t target) string {
	return fmt.Sprintf("frebscan_%s_%s_%s", version, t.OS, t.Arch)
}

// clean removes what an earlier release left in out, and nothing else.
func clean(out string) error {
	old, err := filepath.Glob(filepath.Join(out, "frebscan_*"))
	if err != nil {
		return err
	}
	for _, p := range append(old, filepath.Join(out, SumsFile)) {
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	return nil
}

// staticFiles are the archive members every platform shares: the docs,
// the man pages and the completion scripts, all rendered from the command
// tree in this process.
func staticFiles(root string) ([]file, error) {
	var files []file
	for _, name := range []string{"README.md", "LICENSE", "CHANGELOG.md"} {
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			return nil, fmt.Errorf("%w: every archive carries %s", err, name)
		}
		files = append(files, file{Name: name, Mode: 0o644, Data: b})
	}
	pages, err := manpage.Render(cli.NewRootCommand())
	if err != nil {
		return nil, err
	}
	for _, name := range manpage.Names(pages) {
		files = append(files, file{Name: "man/man1/" + name, Mode: 0o644, Data: pages[name]})
	}
	comp, err := completions()
	if err != nil {
		return nil, err
	}
	return append(files, comp...), nil
}

// completions are cobra's scripts under the names each shell's loader
// looks for (zsh: _frebscan on $fpath).
func completions() ([]file, error) {
	gens := []struct {
		name string
		gen  func(root *cobra.Command, b *bytes.Buffer) error
	}{
		{"frebscan.bash", func(r *cobra.Command, b *bytes.Buffer) error { return r.GenBashCompletionV2(b, true) }},
		{"_frebscan", func(r *cobra.Command, b *bytes.Buffer) error { return r.GenZshCompletion(b) }},
		{"frebscan.fish", func(r *cobra.Command, b *bytes.Buffer) error { return r.GenFishCompletion(b, true) }},
		{"frebscan.ps1", func(r *cobra.Command, b *bytes.Buffer) error { return r.GenPowerShellCompletionWithDesc(b) }},
	}
	var files []file
	for _, g := range gens {
		var b bytes.Buffer
		if err := g.gen(cli.NewRootCommand(), &b); err != nil {
			return nil, fmt.Errorf("completion %s: %w", g.name, err)
		}
		files = append(files, file{Name: "completions/" + g.name, Mode: 0o644, Data: b.Bytes()})
	}
	return files, nil
}

// buildEnv is the environment for the go command: the caller's, with
// everything that changes the output pinned. GOFLAGS is cleared so a
// developer's -race or -tags cannot slip into a release.
func buildEnv(t target) []string {
	pinned := map[string]string{
		"CGO_ENABLED": "0", "GOOS": t.OS, "GOARCH": t.Arch, "GOFLAGS": "-mod=readonly",
		"GOAMD64": "v1", "GOARM64": "v8.0", "GOEXPERIMENT": "",
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := pinned[k]; !ok {
			env = append(env, kv)
		}
	}
	for _, k := range []string{"CGO_ENABLED", "GOOS", "GOARCH", "GOFLAGS", "GOAMD64", "GOARM64", "GOEXPERIMENT"} {
		env = append(env, k+"="+pinned[k])
	}
	return env
}

// ldflags strips the symbol table and DWARF (-s -w: a third smaller, as
// gh, trivy and golangci-lint ship) and sets the build identity.
func ldflags(c config) string {
	modified := "false"
	if c.Modified {
		modified = "true"
	}
	return strings.Join([]string{"-s", "-w",
		"-X", versionPkg + ".version=" + c.Version,
		"-X", versionPkg + ".commit=" + c.Commit,
		"-X", versionPkg + ".date=" + c.Date,
		"-X", versionPkg + ".modified=" + modified,
	}, " ")
}

// compile builds frebscan for t into dir and returns the binary's path.
func compile(c config, t target, dir string) (string, error) {
	exe := filepath.Join(dir, "frebscan")
	if t.OS == "windows" {
		exe += ".exe"
	}
	abs, err := filepath.Abs(exe)
	if err != nil {
		return "", err
	}
	cmd := exec.Command(c.Go, "build", "-trimpath", "-buildvcs=false", "-ldflags", ldflags(c), "-o", abs, "./cmd/frebscan")
	cmd.Dir, cmd.Env = c.Root, buildEnv(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build for %s: %v\n%s", t, err, out)
	}
	return abs, nil
}

// pack writes t's archive into c.Out and returns its name.
func pack(c config, t target, exe string, docs []file) (string, error) {
	bin, err := os.ReadFile(exe)
	if err != nil {
		return "", err
	}
	files := append([]file{{Name: filepath.Base(exe), Mode: 0o755, Data: bin}}, docs...)
	base := baseName(c.Version, t)
	name, write := base+".tar.gz", writeTarGz
	if t.OS == "windows" {
		name, write = base+".zip", writeZip
	}
	var b bytes.Buffer
	if err := write(&b, base, files, c.Epoch); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return name, os.WriteFile(filepath.Join(c.Out, name), b.Bytes(), 0o644)
}

// writeSBOM writes the CycloneDX JSON SBOM of the modules linked into exe
// (from its build information, so exactly what ships, per platform). No
// serial number or timestamp, so the SBOM is as reproducible as the
// binary; no licence detection, which would look the unpublished main
// module up on the module proxy.
func writeSBOM(c config, t target, tool, exe string) (string, error) {
	name := baseName(c.Version, t) + ".sbom.cdx.json"
	out, err := filepath.Abs(filepath.Join(c.Out, name))
	if err != nil {
		return "", err
	}
	cmd := exec.Command(tool, "bin", "-json", "-noserial", "-notimestamp", "-version", "v"+c.Version, "-output", out, exe)
	// The generator takes the platform for package URLs from GOOS/GOARCH.
	cmd.Dir, cmd.Env = c.Root, buildEnv(t)
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("SBOM for %s: %v\n%s", t, err, b)
	}
	return name, nil
}

// writeSums writes SHA256SUMS for names (files in out), sorted.
func writeSums(out string, names []string) error {
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	var b strings.Builder
	for _, n := range sorted {
		data, err := os.ReadFile(filepath.Join(out, n))
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(sum[:]), n)
	}
	return os.WriteFile(filepath.Join(out, SumsFile), []byte(b.String()), 0o644)
}
