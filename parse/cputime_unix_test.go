//go:build unix

package parse

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used, user and system; false
// where it cannot be told.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
