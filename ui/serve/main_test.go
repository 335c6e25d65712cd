package serve

import (
	"os"
	"testing"

	"orderdesk/internal/testpar"
)

// The tests mostly wait (for a session's screen, a timeout, a grace), so
// more of them run at once than there are CPUs.
func TestMain(m *testing.M) {
	testpar.Raise(8)
	os.Exit(m.Run())
}
