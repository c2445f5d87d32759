package rules

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/freb"
)

// corpusDir is the shared collection of real FREB traces from public
// repositories (IIS and IIS Express, many sites), beside the repository.
const corpusDir = "../../../../shared/freb-corpus"

// corpusExpect is what an IIS support engineer would name for every
// failed trace of the corpus: the rule, and words its summary must
// contain so the explanation is the right one, not just the right rule.
// A failure frebscan cannot explain would be listed with rule "" and the
// reason in why.
var corpusExpect = map[string]struct {
	rule, says, why string
}{
	"CodeAcademyP503__ElshadIlkinAdigozelMisket_blogezy__fr000001.xml": {rule: "app-startup-failed", says: `roslyn\csc.exe`},
	"CodeAcademyP503__ElshadIlkinAdigozelMisket_blogezy__fr000002.xml": {rule: "app-startup-failed", says: "AspNetInitializationExceptionModule"},
	"Implicate-X__AluLab__fr000001.xml":                                {rule: "not-found", says: `coi-serviceworker.js`},
	"Mexia__AzureDemos-WebSites-ClassicAsp__fr000001.xml":              {rule: "not-found", says: "favicon.ico"},
	"Sakmatz93__SmartOffice__fr000047.xml":                             {rule: "not-found", says: "no page or route"},
	"hiwa__Thesis__fr000015.xml":                                       {rule: "not-found", says: "favicon.ico"},
	"nikhil19025__mayur_patil__fr000010.xml":                           {rule: "compilation-error", says: "inherits"},
	"plechenko__FrebViewer__fr000004.static-404.xml":                   {rule: "not-found", says: `nonexistent-page.html`},
	"plechenko__FrebViewer__fr000008.denied-ext.xml":                   {rule: "config-error", says: "duplicate"},
	"plechenko__FrebViewer__fr000010.asp-error.xml":                    {rule: "application-error", says: "Division by zero"},
	"plechenko__FrebViewer__fr000018.aspnet-error.xml":                 {rule: "application-error", says: "System.InvalidOperationException: Intentional FREB test error"},
	"plechenko__FrebViewer__fr000020.aspnet-400.xml":                   {rule: "handler-error", says: "set 400 itself"},
	"plechenko__FrebViewer__fr000021.aspnet-403.xml":                   {rule: "handler-error", says: "set 403 itself"},
	"plechenko__FrebViewer__fr000022.aspnet-503.xml":                   {rule: "handler-error", says: "set 503 itself"},
	"plechenko__FrebViewer__fr000031.auth-401-anon.xml":                {rule: "auth-denied", says: "first leg"},
	"plechenko__FrebViewer__fr000032.auth-401-secret.xml":              {rule: "auth-denied", says: "first leg"},
	"plechenko__FrebViewer__fr000033.auth-200-windows.xml":             {rule: "auth-denied", says: "first leg"},
	"plechenko__FrebViewer__fr000035.config-500-19.xml":                {rule: "config-error", says: "Module not recognized"},
	"plechenko__FrebViewer__fr000036.config-500-19-file.xml":           {rule: "config-error", says: "Module not recognized"},
	"plechenko__FrebViewer__fr000037.method-delete.xml":                {rule: "verb-not-allowed", says: "WebDAV"},
	"plechenko__FrebViewer__fr000043.jscript-error.xml":                {rule: "application-error", says: "Unable to get property"},
	"plechenko__FrebViewer__fr000046.vbnet-error.xml":                  {rule: "application-error", says: "IndexOutOfRangeException"},
	"plechenko__FrebViewer__fr000049.php-error.xml":                    {rule: "application-error", says: "PHP Fatal error"},
	"plechenko__FrebViewer__fr000052.php-slow-5s.xml":                  {rule: "application-error", says: "PHP Parse error"},
	"plechenko__FrebViewer__fr000056.node-error.xml":                   {rule: "application-error", says: "Intentional iisnode test error"},
	"plechenko__FrebViewer__fr000064.rewrite-abort.xml":                {rule: "rewrite-abort", says: "AbortRule"},
	"plechenko__FrebViewer__fr000065.rewrite-abort.xml":                {rule: "rewrite-abort", says: "AbortRule"},
	"plechenko__FrebViewer__fr000066.rewrite-abort.xml":                {rule: "rewrite-abort", says: "aborted"},
	"plechenko__FrebViewer__fr000067.rewrite-search.xml":               {rule: "request-filtering", says: "404.11"},
	"plechenko__FrebViewer__fr000069.arr-proxy.xml":                    {rule: "host-header-rewritten", says: "$Port"},
	"plechenko__FrebViewer__fr000070.arr-bad-backend.xml":              {rule: "arr-backend-connect", says: "CANNOT_CONNECT"},
	"plechenko__FrebViewer__fr000071.complex-multi.xml":                {rule: "application-error", says: "Server cannot append header"},
	"plechenko__FrebViewer__fr000072.complex-session.xml":              {rule: "application-error", says: "Server cannot append header"},
	"plechenko__FrebViewer__fr000073.huge-trace-50.xml":                {rule: "application-error", says: "Server cannot append header"},
	"plechenko__FrebViewer__fr000074.huge-trace-200.xml":               {rule: "application-error", says: "Server cannot append header"},
	"plechenko__FrebViewer__fr000075.huge-trace-500.xml":               {rule: "application-error", says: "Server cannot append header"},
	"plechenko__FrebViewer__fr000007.large-binary.xml":                 {rule: "client-disconnected", says: "131340 of 11536384"},
}

// TestCorpusFailuresAreExplained runs the catalogue over every real trace
// of the shared corpus: each failed trace gets its expected, specific
// explanation (at least 90% of them, and no wrong finding), and the
// traces that did not fail stay quiet (only the performance rules may
// speak). It skips when the corpus is not beside the repository.
func TestCorpusFailuresAreExplained(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.xml"))
	if len(files) == 0 {
		t.Skipf("no FREB corpus at %s (../shared beside the repository)", corpusDir)
	}
	sort.Strings(files)
	var failed, explained, wrong int
	seen := map[string]bool{}
	for _, path := range files {
		name := filepath.Base(path)
		tr, err := freb.ReadFile(path, freb.Options{SlowSteps: 5})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		s := diagnose.NewSubject(tr, diagnose.DefaultSettings())
		fs := testEngine.Trace(s)
		_, isFailure := s.Failure()
		want, listed := corpusExpect[name]
		seen[name] = listed
		switch {
		case isFailure && !listed:
			t.Errorf("%s failed (status %s) but the table does not say what explains it", name, tr.Status())
			continue
		case !isFailure && listed:
			t.Errorf("%s is listed as a failure but Failure() says it is not", name)
			continue
		case !isFailure:
			for _, f := range fs {
				if r := testEngine.Rule(f.Rule); !r.Performance {
					t.Errorf("%s did not fail (status %s) but %s fired: %s", name, tr.Status(), f.Rule, f.Summary)
				}
			}
			continue
		}
		failed++
		if want.rule == "" {
			t.Logf("%s: not diagnosed, because %s", name, want.why)
		}
		right := false
		for _, f := range fs {
			r := testEngine.Rule(f.Rule)
			switch {
			case r.Performance:
			case f.Rule == want.rule && strings.Contains(f.Summary+" "+evidenceText(f), want.says):
				right = true
			default:
				wrong++
				t.Errorf("%s: wrong finding %s (%s); want %s", name, f.Rule, f.Summary, want.rule)
			}
		}
		if right {
			explained++
		} else if want.rule != "" {
			t.Errorf("%s: want %s saying %q, got %s", name, want.rule, want.says, rulesOf(fs))
		}
	}
	for name := range corpusExpect {
		if _, ok := seen[name]; !ok {
			t.Errorf("%s is in the table but not in the corpus", name)
		}
	}
	t.Logf("corpus: %d files, %d failed, %d explained correctly (%.0f%%), %d wrong findings", len(files), failed, explained, 100*float64(explained)/float64(max(failed, 1)), wrong)
	if failed > 0 && explained*10 < failed*9 {
		t.Errorf("only %d of %d failed traces explained; want at least 90%%", explained, failed)
	}
}

func evidenceText(f diagnose.Finding) string {
	var b strings.Builder
	for _, e := range f.Evidence {
		b.WriteString(e.Name + " " + e.Value + " ")
	}
	return b.String()
}

func rulesOf(fs []diagnose.Finding) string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.Rule)
	}
	if len(ids) == 0 {
		return "no finding"
	}
	return strings.Join(ids, ", ")
}

// TestCorpusDirIsBesideTheRepository guards the relative path: the
// corpus test must find ../shared from the repository root.
func TestCorpusDirIsBesideTheRepository(t *testing.T) {
	if _, err := os.Stat("../../../go.mod"); err != nil {
		t.Fatalf("the rules package moved; fix corpusDir: %v", err)
	}
}
