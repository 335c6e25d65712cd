package serve

import (
	"testing"

	"orderdesk/internal/testpar"
)

// The tests mostly wait (for a session's screen, a timeout, a grace), so
// all of them run at once (16), not as many as there are CPUs.
func TestMain(m *testing.M) { testpar.Main(m, 16) }
