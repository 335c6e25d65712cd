package app

import (
	"runtime/debug"
	"strings"
)

// versionLine is what `orderdesk version` prints: the module version, then
// the commit the binary was built from and its date, from the build info
// go build and go install record, and the Go version:
//
//	orderdesk devel (commit 4228efe1…+dirty, 2026-12-02T06:40:11Z; go1.26.8)
//
// "+dirty": the checkout had uncommitted changes; "devel": built from a
// checkout without a version tag (go install module@v1.2.0 says v1.2.0).
// version, set with -ldflags "-X main.version=..." (Main), comes first
// unless it is "dev".
func versionLine(version string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "orderdesk " + version
	}
	return "orderdesk " + describeBuild(version, info)
}

// describeBuild words the build info: version (commit, date; Go).
func describeBuild(set string, info *debug.BuildInfo) string {
	v := set
	if v == "dev" || v == "" {
		v = info.Main.Version
	}
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	s := map[string]string{}
	for _, kv := range info.Settings {
		s[kv.Key] = kv.Value
	}
	var about []string
	if rev := s["vcs.revision"]; rev != "" {
		if s["vcs.modified"] == "true" {
			rev += "+dirty"
		}
		about = append(about, "commit "+rev)
	}
	if t := s["vcs.time"]; t != "" {
		about = append(about, t)
	}
	tail := strings.Join(about, ", ")
	if info.GoVersion != "" {
		tail = strings.TrimPrefix(tail+"; "+info.GoVersion, "; ")
	}
	if tail == "" {
		return v
	}
	return v + " (" + tail + ")"
}
