//go:build !unix

package parse

import "time"

func processCPU() (time.Duration, bool) { return 0, false }
