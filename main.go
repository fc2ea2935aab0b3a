// Command icrecon explains why Intercom's numbers disagree: it reads the
// Reports CSV export, REST API pulls, the dashboard figures an analyst typed
// and the workspace's settings, puts them on one footing, and accounts for
// every difference. Run "icrecon --help" for the manual.
package main

import (
	"context"
	"os"
	"runtime/debug"
	"runtime/pprof"
)

// The collector's targets (see main and collectSoonerWhileWriting).
var gcPercentWhileReading, gcPercentWhileWriting = 50, 25

func main() {
	// The heap is mostly one compact record per conversation, kept to the
	// end, and garbage from decoding around it: collecting when the heap
	// has grown by half, not doubled, took peak RSS at 500k conversations
	// from 567 MB to 446 MB for the same CPU time (36.5 s). GOGC still
	// overrides it.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercentWhileReading)
	}
	// ICRECON_CPUPROFILE=FILE writes a CPU profile of the run, for bench/
	// (go tool pprof -top icrecon FILE).
	if path := os.Getenv("ICRECON_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			code := run(context.Background(), os.Args, os.Stdout, os.Stderr)
			pprof.StopCPUProfile()
			f.Close()
			os.Exit(code)
		}
	}
	os.Exit(run(context.Background(), os.Args, os.Stdout, os.Stderr))
}

// collectSoonerWhileWriting lowers the collector's target while the outputs
// are written: the records are all that stays live then, and the writers'
// buffers (excelize keeps up to 16 MB per sheet) come and go, so collecting
// at a quarter's growth instead of a half's lowers the run's peak RSS.
// GOGC, when set, still decides.
func collectSoonerWhileWriting() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercentWhileWriting)
	}
}
