package trackimport_test

import (
	"testing"

	"orderdesk/internal/testpar"
)

// The tests wait on simulated shops (one offline, retried with backoff)
// more than they compute: 8 at once unless -parallel is given.
func TestMain(m *testing.M) { testpar.Main(m, 8) }
