package report

import (
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/scan"
)

// TestBoundsNote: a report says which counts are approximate and that
// sequences closed early, and says nothing when every count is exact.
func TestBoundsNote(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    scan.Result
		want []string
	}{
		{"exact", scan.Result{}, nil},
		{"tables", scan.Result{Tables: scan.Tables{Approximate: []string{"topUrls", "topClients"}}}, []string{"approximate counts in top URLs, top clients"}},
		{"groups", scan.Result{Findings: []scan.Group{{Approximate: true}, {}}, Unexplained: []scan.UnexplainedGroup{{Approximate: true}}},
			[]string{"2 finding groups' clients"}},
		{"evicted", scan.Result{Summary: scan.Summary{SequencesEvicted: 1}}, []string{"1 client sequence closed early"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := bounds(&tc.r)
			if len(tc.want) == 0 && got != "" {
				t.Errorf("note %q for exact counts", got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("note %q lacks %q", got, w)
				}
			}
			var b strings.Builder
			scanHeader(&b, &tc.r, Style{Width: 100})
			if strings.Contains(b.String(), "Bounded:") != (len(tc.want) > 0) {
				t.Errorf("text header:\n%s", b.String())
			}
		})
	}
}
