// Command release builds frebscan's release artifacts into dist/ (make
// release): for each platform an archive named frebscan_<version>_<os>_<arch>
// (.zip for Windows, .tar.gz elsewhere) holding the binary, README.md,
// LICENSE, CHANGELOG.md, the man pages and the shell completion scripts
// (frebscan.exe with a Windows version resource); a
// CycloneDX SBOM per binary; and SHA256SUMS over all of them.
//
// The build is reproducible: the same commit and Go toolchain give the same
// bytes, so anyone can rebuild a release and compare checksums. Binaries are
// built with -trimpath, CGO_ENABLED=0, pinned GOAMD64/GOARM64 and the version,
// commit and commit date passed by -ldflags -X (-buildvcs=false, so nothing
// else about the checkout leaks in); archive entries are sorted, owned by
// uid 0 and stamped with the commit time (or $SOURCE_DATE_EPOCH), never the
// time of the build.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(2)
	}
}

// defaultTargets are the platforms frebscan ships for: Windows first, as
// that is where Exchange runs.
const defaultTargets = "windows/amd64,windows/arm64,linux/amd64,linux/arm64,darwin/amd64,darwin/arm64"

// defaultSBOM is the CycloneDX generator, pinned: it is maintained by the
// CycloneDX project (OWASP) and served by the Go module proxy.
const defaultSBOM = "github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod@v1.10.0"

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("release", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		c       config
		targets string
	)
	fs.StringVar(&c.Root, "root", ".", "module root (the directory with go.mod)")
	fs.StringVar(&c.Out, "out", "dist", "output directory; earlier frebscan_* artifacts and SHA256SUMS in it are replaced")
	fs.StringVar(&c.Version, "version", "", "version without a leading v (default: from git: the tag on HEAD, else a Go pseudo-version)")
	fs.StringVar(&c.Commit, "commit", "", "commit (default: git rev-parse HEAD)")
	fs.StringVar(&c.Date, "date", "", "commit date, RFC 3339 (default: HEAD's commit time)")
	fs.StringVar(&targets, "targets", defaultTargets, "comma-separated GOOS/GOARCH list")
	fs.StringVar(&c.SBOM, "sbom", defaultSBOM, `CycloneDX generator to "go install" (module@version), or "" for no SBOM`)
	fs.StringVar(&c.Winres, "winres", defaultWinres, `tool that adds a version resource to frebscan.exe (module@version), or "" for none`)
	fs.StringVar(&c.Go, "go", "go", "go command")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for _, t := range strings.Split(targets, ",") {
		goos, goarch, ok := strings.Cut(strings.TrimSpace(t), "/")
		if !ok || goos == "" || goarch == "" {
			return fmt.Errorf("-targets: %q is not GOOS/GOARCH", t)
		}
		c.Targets = append(c.Targets, target{OS: goos, Arch: goarch})
	}
	if err := c.identify(stderr); err != nil {
		return err
	}
	c.Log = stderr
	start := time.Now()
	artifacts, err := build(c)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "release: %d artifacts and SHA256SUMS for %s in %s (%s)\n", len(artifacts), c.Version, c.Out, time.Since(start).Round(time.Second))
	return nil
}
