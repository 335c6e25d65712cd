package engine_test

import (
	"testing"

	"orderdesk/internal/testpar"
)

// Many tests wait (on backoff retries of an offline shop, a silent
// shop's call limit) more than they compute: 4 at once unless -parallel
// is given.
func TestMain(m *testing.M) { testpar.Main(m, 4) }
