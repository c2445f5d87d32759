package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// config is one release: what to build, from where, named how.
type config struct {
	Root, Out string
	// Version (no leading v), Commit and Date (RFC 3339) are linked into
	// the binary and name the archives.
	Version, Commit, Date string
	// Modified: the tree had uncommitted changes (version gets +dirty).
	Modified bool
	// Epoch stamps every archive entry.
	Epoch   time.Time
	Targets []target
	SBOM    string // generator module@version, "" for none
	Winres  string // version resource tool module@version, "" for none
	Go      string
	Log     io.Writer
}

// target is one GOOS/GOARCH.
type target struct{ OS, Arch string }

func (t target) String() string { return t.OS + "/" + t.Arch }

// versionSyntax keeps file names and -ldflags safe: a version is SemVer-ish
// text, never a path or a quote.
var versionSyntax = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.+-]*$`)

// identify fills what the flags left empty from git and checks the result.
func (c *config) identify(log io.Writer) error {
	if c.Version == "" || c.Commit == "" || c.Date == "" {
		g, err := fromGit(c.Root)
		if err != nil {
			return fmt.Errorf("%w (outside a git checkout pass -version, -commit and -date)", err)
		}
		if c.Version == "" {
			c.Version = g.Version
		}
		if c.Commit == "" {
			c.Commit = g.Commit
		}
		if c.Date == "" {
			c.Date = g.Date
		}
		c.Modified = g.Modified
		if g.Modified {
			fmt.Fprintf(log, "release: warning: the tree has uncommitted changes; %s is not reproducible from commit %s\n", c.Version, c.Commit)
		}
	}
	c.Version = strings.TrimPrefix(c.Version, "v")
	if !versionSyntax.MatchString(c.Version) {
		return fmt.Errorf("version %q: use letters, digits and . + - only (e.g. 0.1.0)", c.Version)
	}
	if !regexp.MustCompile(`^[0-9a-f]{7,64}$`).MatchString(c.Commit) {
		return fmt.Errorf("commit %q is not a hexadecimal revision", c.Commit)
	}
	d, err := time.Parse(time.RFC3339, c.Date)
	if err != nil {
		return fmt.Errorf("date %q: want RFC 3339 (2026-11-29T17:18:17Z): %w", c.Date, err)
	}
	c.Date = d.UTC().Format(time.RFC3339)
	c.Epoch = d.UTC()
	// SOURCE_DATE_EPOCH is the reproducible-builds convention for
	// "the time to stamp on outputs"; the commit time is the default.
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("SOURCE_DATE_EPOCH=%q: want seconds since 1970", s)
		}
		c.Epoch = time.Unix(sec, 0).UTC()
	}
	return nil
}

// gitInfo is what git says about HEAD.
type gitInfo struct {
	Version, Commit, Date string
	Modified              bool
}

func fromGit(root string) (gitInfo, error) {
	var g gitInfo
	commit, err := git(root, "rev-parse", "HEAD")
	if err != nil {
		return g, err
	}
	ct, err := git(root, "log", "-1", "--format=%ct", "HEAD")
	if err != nil {
		return g, err
	}
	sec, err := strconv.ParseInt(ct, 10, 64)
	if err != nil {
		return g, fmt.Errorf("git log: commit time %q: %w", ct, err)
	}
	when := time.Unix(sec, 0).UTC()
	status, err := git(root, "status", "--porcelain", "--untracked-files=no")
	if err != nil {
		return g, err
	}
	g.Commit, g.Date, g.Modified = commit, when.Format(time.RFC3339), status != ""
	exact, _ := git(root, "describe", "--tags", "--exact-match", "--match", "v[0-9]*", "HEAD")
	base, _ := git(root, "describe", "--tags", "--abbrev=0", "--match", "v[0-9]*", "HEAD")
	g.Version = versionFor(exact, base, when, commit)
	if g.Modified {
		g.Version += "+dirty"
	}
	return g, nil
}

// versionFor names a build as the go command names a module version: the
// tag on the commit, else a pseudo-version after the nearest tag
// (v0.1.0 → 0.1.1-0.20261129171817-4405236aa1b2; v0.2.0-rc.1 →
// 0.2.0-rc.1.0.20261129171817-4405236aa1b2), else 0.0.0-<time>-<commit>.
func versionFor(exactTag, nearestTag string, when time.Time, commit string) string {
	if exactTag != "" {
		return strings.TrimPrefix(exactTag, "v")
	}
	rev := commit
	if len(rev) > 12 {
		rev = rev[:12]
	}
	stamp := when.UTC().Format("20060102150405") + "-" + rev
	tag := strings.TrimPrefix(nearestTag, "v")
	core, pre, hasPre := strings.Cut(tag, "-")
	core, _, _ = strings.Cut(core, "+")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return "0.0.0-" + stamp
	}
	if hasPre {
		return core + "-" + pre + ".0." + stamp
	}
	patch, err := strconv.Atoi(parts[2])
	if err != nil {
		return "0.0.0-" + stamp
	}
	return fmt.Sprintf("%s.%s.%d-0.%s", parts[0], parts[1], patch+1, stamp)
}

func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return strings.TrimSpace(out.String()), nil
}
