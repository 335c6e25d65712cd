// Package e2e holds the tests that drive the real orderdesk binary: the
// commands against simulated shops, the desk in tmux, the SSH server with
// the OpenSSH client, signals, damaged databases, the completion scripts
// in real shells. TestMain builds the binary once, with -race when the
// tests run with it. `go test -short` leaves out the slowest. It has no
// code: the tests of the command's internals are in internal/app.
package e2e
