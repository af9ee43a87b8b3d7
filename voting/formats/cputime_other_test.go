//go:build !unix

package formats_test

func cpuSeconds() float64 { return 0 }
