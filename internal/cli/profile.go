package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/spf13/cobra"
)

// profileFlags are hidden flags for whoever chases a benchmark figure
// (docs/BENCHMARKS.md): a CPU profile of the whole command and a heap
// profile taken when the heap was largest, for go tool pprof.
type profileFlags struct{ cpu, mem string }

func (p *profileFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&p.cpu, "cpuprofile", "", "write a CPU profile to FILE")
	f.StringVar(&p.mem, "memprofile", "", "write to FILE the heap profile taken when the heap was largest")
	_ = f.MarkHidden("cpuprofile")
	_ = f.MarkHidden("memprofile")
}

// start begins profiling; the returned function ends it and writes the
// files.
func (p *profileFlags) start(stderr io.Writer) (stop func(), err error) {
	var cpu *os.File
	if p.cpu != "" {
		if cpu, err = os.Create(p.cpu); err != nil {
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			cpu.Close()
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
	}
	var peak *heapPeak
	if p.mem != "" {
		peak = watchHeap()
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		if peak != nil {
			if err := os.WriteFile(p.mem, peak.stop(), 0o644); err != nil {
				fmt.Fprintln(stderr, "frebscan: --memprofile:", err)
			}
		}
	}, nil
}

// heapPeak samples the heap every 100 ms and keeps the profile of the
// sample with the most bytes in use: at the command's end the result is
// garbage already, and the peak is what RSS figures are about.
type heapPeak struct {
	done chan struct{}
	prof chan []byte
}

func watchHeap() *heapPeak {
	h := &heapPeak{done: make(chan struct{}), prof: make(chan []byte)}
	go func() {
		var best []byte
		var most uint64
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > most || best == nil {
				var buf bytes.Buffer
				runtime.GC()
				if pprof.Lookup("heap").WriteTo(&buf, 0) == nil {
					best, most = buf.Bytes(), ms.HeapInuse
				}
			}
			select {
			case <-h.done:
				h.prof <- best
				return
			case <-t.C:
			}
		}
	}()
	return h
}

func (h *heapPeak) stop() []byte {
	close(h.done)
	return <-h.prof
}
