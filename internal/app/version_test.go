package app

import (
	"runtime/debug"
	"testing"
)

func TestVersionDescribeBuild(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "4228efe1c0de"},
		{Key: "vcs.time", Value: "2026-12-02T06:40:11Z"}, {Key: "vcs.modified", Value: "false"}}
	dirty := append(append([]debug.BuildSetting{}, vcs[:3]...), debug.BuildSetting{Key: "vcs.modified", Value: "true"})
	for _, tc := range []struct {
		set, main string
		settings  []debug.BuildSetting
		want      string
	}{
		{"dev", "(devel)", vcs, "devel (commit 4228efe1c0de, 2026-12-02T06:40:11Z; go1.26.8)"},
		{"dev", "(devel)", dirty, "devel (commit 4228efe1c0de+dirty, 2026-12-02T06:40:11Z; go1.26.8)"},
		{"dev", "v0.0.0-20261202064011-4228efe1c0de", vcs, "v0.0.0-20261202064011-4228efe1c0de (commit 4228efe1c0de, 2026-12-02T06:40:11Z; go1.26.8)"},
		{"dev", "v1.2.0", nil, "v1.2.0 (go1.26.8)"},                                                // go install orderdesk@v1.2.0
		{"v1.3.0", "(devel)", vcs, "v1.3.0 (commit 4228efe1c0de, 2026-12-02T06:40:11Z; go1.26.8)"}, // -ldflags -X
		{"dev", "", nil, "devel (go1.26.8)"},
	} {
		info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "orderdesk", Version: tc.main}, Settings: tc.settings}
		if got := describeBuild(tc.set, info); got != tc.want {
			t.Errorf("describeBuild(%q, %q) = %q, want %q", tc.set, tc.main, got, tc.want)
		}
	}
}
