package rules

import (
	"path/filepath"
	"testing"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/freb"
)

// sampleTraces reads every trace under samples/ as a scan does (without
// events): one or more per rule, so every match function does real work.
func sampleTraces(b *testing.B) []*freb.Trace {
	files, err := filepath.Glob(filepath.Join(samplesDir, "*", "*.xml"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no sample traces under %s", samplesDir)
	}
	var out []*freb.Trace
	for _, f := range files {
		t, err := freb.ReadFile(f, freb.Options{SlowSteps: 5})
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, t)
	}
	return out
}

// BenchmarkPrepare decodes what the rules need from each trace (headers,
// fingerprints, credentials): once per trace in a scan.
func BenchmarkPrepare(b *testing.B) {
	traces := sampleTraces(b)
	settings := diagnose.DefaultSettings()
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range traces {
			diagnose.NewSubject(t, settings)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(traces)), "ns/trace")
}

// BenchmarkEngineTrace runs every single-trace rule on prepared subjects:
// the rule engine alone.
func BenchmarkEngineTrace(b *testing.B) {
	traces := sampleTraces(b)
	e := testEngine
	subjects := make([]*diagnose.Subject, len(traces))
	for i, t := range traces {
		subjects[i] = diagnose.NewSubject(t, diagnose.DefaultSettings())
	}
	findings := 0
	b.ReportAllocs()
	for b.Loop() {
		findings = 0
		for _, s := range subjects {
			findings += len(e.Trace(s))
		}
	}
	if findings == 0 {
		b.Fatal("no finding on the samples")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(subjects)), "ns/trace")
}

// BenchmarkEngineSequence correlates the subjects into per-client
// sequences and runs the sequence rules on them.
func BenchmarkEngineSequence(b *testing.B) {
	traces := sampleTraces(b)
	e := testEngine
	subjects := make([]*diagnose.Subject, len(traces))
	for i, t := range traces {
		subjects[i] = diagnose.NewSubject(t, diagnose.DefaultSettings())
	}
	b.ReportAllocs()
	for b.Loop() {
		c := diagnose.NewCorrelator()
		for _, s := range subjects {
			c.Add(s)
		}
		for _, seq := range c.Sequences() {
			e.Sequence(seq)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(subjects)), "ns/trace")
}
