//go:build !unix

package stv

func cpuSeconds() float64 { return 0 }
