//go:build unix

package opendata_test

import (
	"syscall"
	"time"
)

// processCPU returns the user and system CPU time the test process has used
// so far, to report CPU cost next to wall time on a shared machine.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
