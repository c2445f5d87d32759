package report

import (
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/frebscan/frebscan/internal/scan"
)

// Progress draws a one-line progress bar on a terminal (files, MB, rate,
// ETA). It returns nil when f is not a terminal, so pipes, files and CI
// logs get nothing.
func Progress(f *os.File) (update func(scan.Progress), done func()) {
	if f == nil || !isTerminal(f) {
		return nil, func() {}
	}
	var mu sync.Mutex
	last := time.Time{}
	drawn := false
	update = func(p scan.Progress) {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(last) < 100*time.Millisecond && p.Done < p.Total {
			return
		}
		last = time.Now()
		drawn = true
		pct := 0.0
		if p.Total > 0 {
			pct = float64(p.Done) / float64(p.Total)
		}
		const width = 28
		filled := int(pct * width)
		bar := make([]rune, width)
		for i := range bar {
			bar[i] = '░'
			if i < filled {
				bar[i] = '█'
			}
		}
		rate := 0.0
		if s := p.Elapsed.Seconds(); s > 0 {
			rate = float64(p.Bytes) / s / (1 << 20)
		}
		eta := "--"
		if p.Done > 0 && p.Done < p.Total {
			left := time.Duration(float64(p.Elapsed) / float64(p.Done) * float64(p.Total-p.Done))
			eta = left.Round(time.Second).String()
		}
		fmt.Fprintf(f, "\r%s %3.0f%% %d/%d files  %.1f/%.1f MB  %.1f MB/s  ETA %s   ", string(bar), pct*100, p.Done, p.Total,
			float64(p.Bytes)/(1<<20), float64(p.TotalBytes)/(1<<20), rate, eta)
	}
	done = func() {
		mu.Lock()
		defer mu.Unlock()
		if drawn {
			fmt.Fprint(f, "\r\033[K")
			drawn = false
		}
	}
	return update, done
}
