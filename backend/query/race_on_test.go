//go:build race

package query

// raceBuild: the tests run with the race detector, which slows the
// library's parse some thirty times; long sequential checks sample.
const raceBuild = true
