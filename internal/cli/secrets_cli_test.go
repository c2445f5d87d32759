package cli

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/auth"
	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/headers"
	"github.com/frebscan/frebscan/internal/report"
)

const samplesDir = "../../samples"

// sampleFiles lists every trace under samples/.
func sampleFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(samplesDir, "*", "*.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	sort.Strings(files)
	return files
}

// The test finds these secrets with its own patterns, not redact's, so a
// pattern missing in redact shows as a leak here.
var (
	rePagePassword = regexp.MustCompile(`(?i)\b(?:password|pwd)\s*=\s*([^;"'<\s]+)`)
	reSQLLogin     = regexp.MustCompile(`Login failed for user '([^']+)'`)
)

// sampleSecrets reads the samples with the project's own reader and
// decoders and returns every secret they hold: Authorization and
// WWW-Authenticate tokens, cookie values, the user, domain and workstation
// of NTLM type 3 messages, and the user names IIS recorded. Short values
// (a cookie "1") are left out: they would match anywhere.
func sampleSecrets(t *testing.T) map[string]string {
	t.Helper()
	secrets := map[string]string{}
	add := func(kind, v string) {
		v = strings.TrimSpace(v)
		if len(v) >= 4 {
			secrets[v] = kind
		}
	}
	credentials := func(kind string, c auth.Credentials) {
		add(kind+" token", c.Token)
		add(kind+" user", c.User)
		if m := c.NTLM; m != nil && m.Type == 3 {
			add("NTLM user", m.User)
			add("NTLM domain", m.Domain)
			add("NTLM workstation", m.Workstation)
			if m.Domain != "" && m.User != "" {
				add("NTLM account", m.Domain+`\`+m.User)
			}
		}
	}
	header := func(h headers.Header) {
		switch strings.ToLower(h.Name) {
		case "authorization", "proxy-authorization":
			credentials("Authorization", auth.Parse(h.Value))
		case "www-authenticate", "proxy-authenticate":
			for _, c := range auth.ParseChallenges(h.Value) {
				add("challenge token", c.Token)
			}
		case "cookie", "set-cookie":
			first := h.Value
			if strings.EqualFold(h.Name, "set-cookie") {
				first, _, _ = strings.Cut(h.Value, ";")
			}
			for _, p := range strings.Split(first, ";") {
				if _, v, ok := strings.Cut(p, "="); ok {
					add("cookie value", v)
				}
			}
		}
	}
	for _, f := range sampleFiles(t) {
		tr, err := freb.ReadFile(f, freb.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []string{tr.UserName, tr.RemoteUserName, tr.TokenUserName} {
			// Built-in accounts name no person and are kept on purpose
			// (docs/SECURITY.md).
			if !strings.HasPrefix(strings.ToUpper(a), `NT AUTHORITY\`) && !strings.HasPrefix(strings.ToUpper(a), `IIS APPPOOL\`) {
				add("IIS user name", a)
			}
		}
		for _, ev := range tr.Events {
			// Error pages and FastCGI's stderr quote connection strings
			// and SQL login names.
			for _, text := range []string{ev.Get("Buffer"), ev.Get("Data2")} {
				text = html.UnescapeString(text)
				for _, m := range rePagePassword.FindAllStringSubmatch(text, -1) {
					add("connection-string password", m[1])
				}
				for _, m := range reSQLLogin.FindAllStringSubmatch(text, -1) {
					add("SQL login", m[1])
				}
			}
			for _, h := range headers.ParseBlock(ev.Get("Headers")) {
				header(h)
			}
			if name := ev.Get("HeaderName"); name != "" {
				header(headers.Header{Name: headers.NormalizeName(name), Value: ev.Get("HeaderValue")})
			}
		}
	}
	return secrets
}

// outputs runs every scan format and show in every format over the samples.
func outputs(t *testing.T, extra ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, format := range report.Formats(report.KindScan) {
		args := append([]string{"scan", "--format", format, "--fail-on", "none", "--progress", "never"}, extra...)
		r := frebscan(t, append(args, samplesDir)...)
		if r.code != 0 {
			t.Fatalf("scan --format %s: exit %d: %s", format, r.code, r.stderr)
		}
		out["scan --format "+format] = r.stdout + r.stderr
	}
	dir := t.TempDir()
	r := frebscan(t, append([]string{"scan", "--fail-on", "none", "--progress", "never", "--out-dir", dir, "-o", os.DevNull}, append(extra, samplesDir)...)...)
	if r.code != 0 {
		t.Fatalf("scan --out-dir: exit %d: %s", r.code, r.stderr)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err == nil {
			out["--out-dir "+e.Name()] = string(data)
		}
	}
	for _, format := range []string{"text", "json"} {
		args := append([]string{"show", "--format", format, "--events", "all"}, extra...)
		r := frebscan(t, append(args, sampleFiles(t)...)...)
		if r.code != 0 {
			t.Fatalf("show --format %s: exit %d: %s", format, r.code, r.stderr)
		}
		out["show --format "+format] = r.stdout + r.stderr
	}
	return out
}
