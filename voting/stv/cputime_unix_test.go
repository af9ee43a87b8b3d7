//go:build unix

package stv

import "syscall"

// cpuSeconds returns the CPU time used by the process so far, so that
// benchmarks on a shared machine can report CPU time per count.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
