package rules

import (
	"fmt"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/freb"
)

// warmupShare is the part of the time taken a start-up step must account
// for before the slowness is put down to warm-up rather than to the
// request's own work.
const warmupShare = 0.4

// appWarmupRule returns the app-warmup rule.
func appWarmupRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "app-warmup",
		Title:    "Slow first request while the application starts",
		Severity: diagnose.Low,
		Explanation: `The request was slow because the application was starting: ASP.NET creating the
application domain and loading assemblies (the gap before VIRTUAL_MODULE_UNRESOLVED
after the managed handler was chosen), compiling pages on first use
(AspNetCompileEnter to AspNetCompileLeave), or a FastCGI/iisnode process starting.
The first request after an app pool start, recycle, idle shut-down or deployment
pays for it; later requests are fast.`,
		Looks: []string{"a slow request (failureReason TIME_TAKEN or over --slow) whose longest gap is application start or first-use compilation"},
		Fix: `Keep the application warm: install Application Initialization and set the site's
preloadEnabled="true" with the pool's startMode="AlwaysRunning" (add
<applicationInitialization> initializationPage entries for the slow pages), raise
or disable the pool's idleTimeout, schedule recycles off-hours, and precompile the
site (aspnet_compiler, "Precompile during publishing") so pages are not compiled on
first use.`,
		References:  []string{"Microsoft: IIS 8.0 Application Initialization — https://learn.microsoft.com/en-us/iis/configuration/system.webserver/applicationinitialization", "Microsoft: ASP.NET precompilation overview"},
		Performance: true,
		Trace: func(s *diagnose.Subject) *diagnose.Match {
			st, what, ok := warmupStep(s)
			if !ok {
				return nil
			}
			t := s.Trace
			ev := []diagnose.Evidence{urlEvidence(s), {Where: diagnose.InTrace, Name: "timeTaken", Value: fmt.Sprintf("%d ms", t.TimeTakenMs)},
				{Where: diagnose.InEvent, Name: "start-up step", Value: fmt.Sprintf("%.0f ms %s (events #%d %s → %s)", st.DurationMs, what, st.Event, st.Name, st.Next)}}
			return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev,
				Summary: fmt.Sprintf("%d ms, %.0f ms of it %s", t.TimeTakenMs, st.DurationMs, what)}
		},
	}
}

// slow reports whether the trace is slow by the FREB rule or by --slow.
func slow(s *diagnose.Subject) bool {
	threshold := s.Settings.SlowMs
	if threshold <= 0 {
		threshold = diagnose.DefaultSettings().SlowMs
	}
	return s.Trace.FailureReason == "TIME_TAKEN" || s.Trace.TimeTakenMs >= threshold
}

// warmupStep returns the longest start-up step of a slow trace when it
// accounts for most of the time.
func warmupStep(s *diagnose.Subject) (freb.Step, string, bool) {
	t := s.Trace
	if !slow(s) || t.TimeTakenMs <= 0 {
		return freb.Step{}, "", false
	}
	var total float64
	var best freb.Step
	what := ""
	for _, st := range t.SlowestSteps {
		w := warmupKind(st)
		if w == "" {
			continue
		}
		total += st.DurationMs
		if st.DurationMs > best.DurationMs {
			best, what = st, w
		}
	}
	if what == "" || total < warmupShare*float64(t.TimeTakenMs) {
		return freb.Step{}, "", false
	}
	return best, what, true
}

// warmupKind names a gap that is application start-up, or "".
func warmupKind(st freb.Step) string {
	switch {
	case st.Next == "VIRTUAL_MODULE_UNRESOLVED" || st.Next == "AspNetAppDomainEnter" || st.Name == "AspNetAppDomainEnter":
		return "ASP.NET loading the application domain (first request after a start, recycle or application restart)"
	case st.Activity == "AspNetCompileEnter":
		return "ASP.NET compiling pages on first use"
	case st.Activity == "FASTCGI_START" || st.Name == "FASTCGI_ASSIGN_PROCESS" && strings.Contains(st.Next, "FASTCGI"):
		return "starting the FastCGI process"
	}
	return ""
}
