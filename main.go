// Command icrecon explains why Intercom's numbers disagree: it reads the
// Reports CSV export, REST API pulls, the dashboard figures an analyst typed
// and the workspace's settings, puts them on one footing, and accounts for
// every difference. Run "icrecon --help" for the manual.
package main

import (
	"context"
	"os"
	"runtime/pprof"
)

func main() {
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
