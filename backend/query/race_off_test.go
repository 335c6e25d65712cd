//go:build !race

package query

// raceBuild: the tests run with the race detector (see race_on_test.go).
const raceBuild = false
