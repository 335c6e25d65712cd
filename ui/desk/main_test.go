package desk

import (
	"testing"

	"orderdesk/internal/testpar"
)

// The tests drive sessions that mostly wait for their commands, so more
// of them run at once than there are CPUs.
func TestMain(m *testing.M) { testpar.Main(m, 8) }
