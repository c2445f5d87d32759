package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/gen"
	"github.com/frebscan/frebscan/internal/scan"
)

// A trace too large to show whole: its details keep the start, the end
// and what matters within the reader's budget, and the page says how many
// events it left out, which ones, and how to see them all.
func TestHTMLLargeTraceSaysWhatWasCut(t *testing.T) {
	t.Parallel()
	file := writeHuge(t)
	full, err := freb.ReadFile(file, freb.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}

	so := largeTraceOptions(file)
	r, err := scan.Run(context.Background(), so)
	if err != nil {
		t.Fatal(err)
	}
	detail := scan.Detailer(so)
	d, err := detail(file)
	if err != nil {
		t.Fatal(err)
	}
	o := d.Omitted
	if o == nil {
		t.Fatalf("the reader kept all %d events of a 4 MB trace within 256 KB", len(d.Events))
	}
	if o.Events+len(d.Events) != full.EventCount {
		t.Errorf("kept %d and left out %d events of %d", len(d.Events), o.Events, full.EventCount)
	}
	var b bytes.Buffer
	if err := writeScan(&b, "html", r, Options{Detail: detail}); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{
		"1 trace(s) are too large to show whole",
		fmt.Sprintf("This trace is too large to show whole: %d events (%s of event data, events #%d to #%d) are not shown", o.Events, humanBytes(o.Bytes), o.First, o.Last),
		"frebscan show --events all " + file,
		"Events not shown, by name",
		fmt.Sprintf(`<th class="mono">%s</th><td>%d (`, o.ByName[0].Name, o.ByName[0].Events),
		"Module times are measured on the events shown",
		// The last event of the trace is there.
		fmt.Sprintf("#%d ", full.EventCount-1),
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// The events tab counts every event: those shown and those not.
	m := regexp.MustCompile(`All events \((\d+)\+(\d+)\)`).FindStringSubmatch(html)
	if m == nil {
		t.Fatal("no All events tab with a count of events not shown")
	}
	shown, _ := strconv.Atoi(m[1])
	rest, _ := strconv.Atoi(m[2])
	if shown+rest != full.EventCount {
		t.Errorf("All events tab says %d+%d, the trace has %d", shown, rest, full.EventCount)
	}
	if len(html) > 4<<20 {
		t.Errorf("the page of one trace is %d bytes", len(html))
	}
}

// A trace within the budget is shown whole: no note about events left
// out.
func TestHTMLNormalTraceIsWhole(t *testing.T) {
	t.Parallel()
	_, page := scanHTML(t, filepath.Join(samplesDir, "slow-request"))
	if bytes.Contains(page, []byte("too large to show whole")) {
		t.Error("a sample trace is said to be too large to show whole")
	}
}

// writeHuge writes a 4 MB trace, about 1,700 events: whole within the
// default detail budget, cut within largeTraceOptions'.
func writeHuge(t testing.TB) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "huge.xml")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := gen.WriteHuge(f, 4<<20, 1); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return file
}

// largeTraceOptions scan file with a detail budget small enough to cut it.
func largeTraceOptions(file string) scan.Options {
	return scanOptions(scan.Options{Inputs: []string{file}, Tool: "frebscan test", DetailBudget: 256 << 10})
}

// largeTracePage is the HTML report of a trace too large to show whole.
func largeTracePage(t testing.TB) []byte {
	t.Helper()
	so := largeTraceOptions(writeHuge(t))
	r, err := scan.Run(context.Background(), so)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := writeScan(&b, "html", r, Options{Detail: scan.Detailer(so)}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
