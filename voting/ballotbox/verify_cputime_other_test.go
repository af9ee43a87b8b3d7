//go:build !unix

package ballotbox_test

func verifyCPUSeconds() float64 { return 0 }
