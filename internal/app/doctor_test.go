package app

import (
	"os"
	"strings"
	"testing"

	"orderdesk/backend/config"
	"orderdesk/backend/probe"
)

// The local checks on files doctor is given: a config with a secret others
// may read fails, a file that is not a database fails, a database not
// created yet is fine.
func TestDoctorLocalChecks(t *testing.T) {
	dir := t.TempDir()
	cfgPath := dir + "/config.toml"
	text := "[[shops]]\nname = \"m\"\nplatform = \"fecmall\"\nurl = \"http://127.0.0.1:9\"\ntoken = \"inline-token-123\"\n"
	if err := os.WriteFile(cfgPath, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgPath, config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c := configCheck(cfgPath, cfg, nil); c.Status != probe.Fail || !strings.Contains(c.Hint, "chmod 600") || strings.Contains(c.Message(), "inline-token-123") {
		t.Errorf("open config with a secret: %s %q", c.Status, c.Message())
	}
	if err := os.Chmod(cfgPath, 0o600); err != nil {
		t.Fatal(err)
	}
	if c := configCheck(cfgPath, cfg, nil); c.Status != probe.OK {
		t.Errorf("private config: %s %q", c.Status, c.Message())
	}

	junk := dir + "/junk.db"
	if err := os.WriteFile(junk, []byte(strings.Repeat("not a database ", 700)), 0o600); err != nil {
		t.Fatal(err)
	}
	checks := databaseChecks(junk)
	if checks[0].ID != "database" || checks[0].Status != probe.Fail || !strings.Contains(checks[0].Detail, "not an orderdesk database") {
		t.Errorf("junk: %+v", checks)
	}
	checks = databaseChecks(dir + "/later/orderdesk.db")
	if len(checks) != 2 || checks[0].Status != probe.OK || !strings.Contains(checks[0].Detail, "not created yet") || checks[1].ID != "disk" {
		t.Errorf("no database yet: %+v", checks)
	}
	if _, err := os.Stat(dir + "/later"); err == nil {
		t.Error("doctor created the database's directory")
	}
}
