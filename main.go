// Command icrecon explains why Intercom's numbers disagree: it reads the
// Reports CSV export, REST API pulls, the dashboard figures an analyst typed
// and the workspace's settings, puts them on one footing, and accounts for
// every difference. Run "icrecon --help" for the manual.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args, os.Stdout, os.Stderr))
}
