package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestApportion(t *testing.T) {
	code, out, errOut := tallyRun(t, "apportion", "-method", "sainte-lague", "-seats", "120", "-threshold", "0.05", "-exempt", "Māori Party", "-json", "testdata/nz2020.csv")
	require.Equal(t, 0, code, errOut)
	var got struct {
		Parties []string `json:"parties"`
		Seats   []int    `json:"seats"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	// The Electoral Commission's allocation of 2020.
	assert.Equal(t, []int{65, 33, 10, 10, 2, 0}, got.Seats)

	code, out, errOut = tallyRun(t, "apportion", "-method", "dhondt", "-seats", "120", "testdata/nz2020.csv")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Apportionment: dhondt, 120 seats")
	assert.Contains(t, out, "seat 1: Labour")

	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"apportion", "-seats", "0", "testdata/nz2020.csv"}, "-seats 0"},
		{[]string{"apportion", "-seats", "5", "-method", "nope", "testdata/nz2020.csv"}, "no apportionment method"},
		{[]string{"apportion", "-seats", "5", "-exempt", "Nobody", "testdata/nz2020.csv"}, `no party "Nobody"`},
		{[]string{"apportion", "-seats", "5", "testdata/two-seats.blt"}, "wrong number of fields"},
	} {
		code, _, errOut := tallyRun(t, tt.args...)
		assert.Equal(t, 2, code, tt.args)
		assert.Contains(t, errOut, tt.msg)
	}
}
