//go:build !unix

package outdir

import "os"

// lock is a no-op where advisory locks are not available: two runs into one
// folder are then not refused, but each still switches its results whole.
func lock(*os.File) error { return nil }

func unlock(*os.File) {}
