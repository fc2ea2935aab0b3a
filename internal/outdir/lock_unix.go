//go:build unix

package outdir

import (
	"os"
	"syscall"
)

// lock takes an exclusive advisory lock that the system releases when the
// process ends, however it ends: a killed run never leaves the folder locked.
func lock(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) }

func unlock(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
