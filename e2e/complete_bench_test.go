package e2e

import (
	"os/exec"
	"strings"
	"testing"

	"orderdesk/internal/scaledb"
)

// refCandidates is how many REFs __complete offers at most (the app's
// maxRefCandidates).
const refCandidates = 200

// BenchmarkScaleComplete: one <TAB> of `orderdesk show SHOP<TAB>` (the 200
// first REFs of the shop), the whole `__complete` process the completion
// scripts run. Budget ≤ 50 ms at 100k orders.
func BenchmarkScaleComplete(b *testing.B) {
	eachScale(b, func(b *testing.B, f *scaledb.Fixture) {
		shop, _, _ := strings.Cut(f.Refs[0], ":")
		args := []string{"__complete", "--", "show", shop[:len(shop)-2]}
		// __complete offers nothing rather than wait for a locked
		// database: make sure this one answers
		out, err := exec.Command(binary, append([]string{"--config", f.Config, "--db", f.DB}, args...)...).Output()
		if n := strings.Count(string(out), "\n"); err != nil || n != refCandidates || !strings.HasPrefix(string(out), shop+":") {
			b.Fatalf("__complete %q: %d candidates, %v (the database locked by another process?)\n%.200s", args, n, err, out)
		}
		scaleProcess(b, f, func(int) []string { return args })
	})
}
