// Package version says which build of frebscan is running: the version,
// the commit it was built from and when that commit was made. Reports,
// alerts and `frebscan version` carry it, so an incident report sent to a
// colleague or to support names the exact build that wrote it.
//
// Release builds (make release) set the values with -ldflags -X, because
// they build with -buildvcs=false for reproducibility and a tag, not the
// module cache, names the version. Other builds fall back on what the Go
// toolchain records: the module version for `go install …@v0.1.0`, and
// the VCS revision, time and dirty flag for `go build` in a checkout.
package version

import (
	"runtime"
	"runtime/debug"
)

// Set by the release build:
//
//	-ldflags "-X github.com/frebscan/frebscan/internal/version.version=0.1.0
//	          -X github.com/frebscan/frebscan/internal/version.commit=<sha>
//	          -X github.com/frebscan/frebscan/internal/version.date=<RFC 3339>"
//
// Empty means "ask the build info".
var (
	version  string
	commit   string
	date     string
	modified string // "true" when built from a tree with uncommitted changes
)

// Dev is the version of a build that carries no version at all (go run,
// go build with -buildvcs=false outside a release).
const Dev = "dev"

// Info is one build's identity.
type Info struct {
	// Version is the release version without a leading "v" (0.1.0), a Go
	// pseudo-version for untagged commits, or Dev.
	Version string `json:"version"`
	// Commit is the full VCS revision, empty when the build did not
	// record one (go run, -buildvcs=false).
	Commit string `json:"commit,omitempty"`
	// Date is the commit time in RFC 3339 (UTC), not the build time, so
	// two builds of one commit say the same thing.
	Date string `json:"date,omitempty"`
	// Modified is true when the tree had uncommitted changes: the binary
	// is then not exactly what Commit names.
	Modified bool `json:"modified"`
	// GoVersion is the toolchain that built the binary (go1.26.8).
	GoVersion string `json:"goVersion"`
	// Platform is GOOS/GOARCH (windows/amd64).
	Platform string `json:"platform"`
}

// Get returns the running binary's identity.
func Get() Info {
	bi, _ := debug.ReadBuildInfo()
	return resolve(bi, version, commit, date, modified)
}

// resolve prefers the linker-set values over the build info; it takes
// both as arguments so tests can try every combination.
func resolve(bi *debug.BuildInfo, ldVersion, ldCommit, ldDate, ldModified string) Info {
	in := Info{Version: ldVersion, Commit: ldCommit, Date: ldDate, Modified: ldModified == "true",
		GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil {
		if bi.GoVersion != "" {
			in.GoVersion = bi.GoVersion
		}
		if in.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			in.Version = bi.Main.Version
		}
		// The VCS settings describe the tree only when the linker was not
		// told otherwise: a release build sets all three together.
		if ldCommit == "" {
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision":
					in.Commit = s.Value
				case "vcs.time":
					if in.Date == "" {
						in.Date = s.Value
					}
				case "vcs.modified":
					in.Modified = s.Value == "true"
				}
			}
		}
	}
	if in.Version == "" {
		in.Version = Dev
	}
	// Tags are v0.1.0; archives, --version and reports say 0.1.0, as gh,
	// trivy and golangci-lint do.
	if len(in.Version) > 1 && in.Version[0] == 'v' && in.Version[1] >= '0' && in.Version[1] <= '9' {
		in.Version = in.Version[1:]
	}
	return in
}

// Tool is how reports name the program that wrote them: "frebscan 0.1.0".
func (in Info) Tool() string { return "frebscan " + in.Version }

// ShortCommit is the first 12 characters of the commit, as Go
// pseudo-versions abbreviate it, or "unknown".
func (in Info) ShortCommit() string {
	switch {
	case in.Commit == "":
		return "unknown"
	case len(in.Commit) > 12:
		return in.Commit[:12]
	}
	return in.Commit
}

// String is the one-line form `frebscan --version` prints:
// "0.1.0 (commit 0123456789ab, 2026-11-29T17:00:00Z, go1.26.8 windows/amd64)",
// with "+dirty" after the commit of a modified tree.
func (in Info) String() string {
	s := in.Version + " (commit " + in.ShortCommit()
	if in.Modified {
		s += "+dirty"
	}
	if in.Date != "" {
		s += ", " + in.Date
	}
	return s + ", " + in.GoVersion + " " + in.Platform + ")"
}
