package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"orderdesk/backend/config"
	"orderdesk/backend/probe"
	"orderdesk/cache"
	"orderdesk/internal/relay"
)

// doctor's checks of this machine: the config file, the database (its
// size, whether another process has it open, Verify) and the free disk
// space beside it.

func localCheck(id string, st probe.Status, detail, hint string) probe.Check {
	return probe.Check{ID: id, Name: strings.ReplaceAll(id, "_", " "), Status: st, Detail: detail, Hint: hint}
}

// configCheck reports the config file: whether it loads, its mode, and
// whether a secret written in it can be read by others.
func configCheck(path string, cfg *config.Config, err error) probe.Check {
	if err != nil {
		return localCheck("config", probe.Fail, err.Error(), "")
	}
	fi, err := os.Stat(path)
	if err != nil {
		return localCheck("config", probe.Fail, err.Error(), "")
	}
	perm := fi.Mode().Perm()
	inline := false
	for _, s := range cfg.Shops {
		inline = inline || s.Password.Kind == config.FromFile || s.Token.Kind == config.FromFile
	}
	shops := fmt.Sprintf("%d shops", len(cfg.Shops))
	if len(cfg.Shops) == 1 {
		shops = "1 shop"
	}
	switch {
	case perm&0o077 != 0 && inline:
		return localCheck("config", probe.Fail, fmt.Sprintf("%s has a secret written in it and other users may read it (mode %04o)", path, perm),
			"run chmod 600 "+path+", or move the secret to *_env or *_cmd")
	case perm&0o077 != 0:
		return localCheck("config", probe.OK, fmt.Sprintf("%s: %s; mode %04o, no secret is written in it", path, shops, perm), "")
	}
	return localCheck("config", probe.OK, fmt.Sprintf("%s: %s; mode %04o", path, shops, perm), "")
}

// verifyWait is how long doctor waits for the database's lock: it only
// wants to know whether another process has it.
const verifyWait = 300 * time.Millisecond

// databaseChecks report the database at path, whether another process
// has it open, what Verify finds (when doctor can open it: read-only, so
// it writes nothing) and the free space of its disk.
func databaseChecks(path string) []probe.Check {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return []probe.Check{
			localCheck("database", probe.OK, path+": not created yet (the first sync creates it)", ""),
			diskCheck(path),
		}
	case err != nil:
		return []probe.Check{localCheck("database", probe.Fail, err.Error(), ""), diskCheck(path)}
	case !fi.Mode().IsRegular():
		return []probe.Check{localCheck("database", probe.Fail, path+" is not a file", "use --db FILE"), diskCheck(path)}
	}
	was := fi.Mode().Perm()
	db := localCheck("database", probe.OK, fmt.Sprintf("%s: %s", path, size(fi.Size())), "")
	var inUse, verify probe.Check
	st, err := cache.Open(path, cache.Options{Timeout: verifyWait, ReadOnly: true})
	var locked *cache.LockedError
	switch {
	case errors.As(err, &locked):
		inUse = localCheck("in_use", probe.OK, "open in "+holder(locked.PID)+"; "+relayState(path), "")
		verify = localCheck("verify", probe.Skipped, "not run: Verify reads the database alone", "run doctor again when that process has ended")
	case errors.Is(err, cache.ErrDamaged):
		db.Status, db.Detail, db.Hint = probe.Fail, err.Error(), "restore it from a backup, or copy what can still be read: orderdesk salvage NEW.db --db "+path
	case err != nil:
		db.Status, db.Detail = probe.Fail, err.Error()
	default:
		inUse = localCheck("in_use", probe.OK, "no other process has it open", "")
		verify = verifyCheck(st, path)
		st.Close()
	}
	if now, err := os.Stat(path); err == nil && now.Mode().Perm() != was {
		db.Detail += fmt.Sprintf("; other users could read it (mode %04o): it holds customer data, so it is now %04o", was, now.Mode().Perm())
	} else if was&0o077 != 0 && db.Status == probe.OK {
		db.Status, db.Hint = probe.Warn, "it holds customer data: run chmod 600 "+path
		db.Detail += fmt.Sprintf("; other users may read it (mode %04o)", was)
	}
	out := []probe.Check{db}
	for _, c := range []probe.Check{inUse, verify} {
		if c.ID != "" {
			out = append(out, c)
		}
	}
	return append(out, diskCheck(path))
}

func verifyCheck(st *cache.Store, path string) probe.Check {
	n, _ := st.Count("")
	start := time.Now()
	err := st.Verify()
	took := fmt.Sprintf("%d ms", time.Since(start).Milliseconds())
	if d := time.Since(start); d >= time.Second {
		took = fmt.Sprintf("%.1f s", d.Seconds())
	}
	if err != nil {
		return localCheck("verify", probe.Fail, err.Error(),
			"restore it from a backup, or copy what can still be read: orderdesk salvage NEW.db --db "+path)
	}
	return localCheck("verify", probe.OK, fmt.Sprintf("no problem found in %d orders, their indexes and edits (%s)", n, took), "")
}

// holder names the process that has the database open: its pid and, when
// it is an orderdesk, which command (never its arguments).
func holder(pid int) string {
	if pid <= 0 {
		return "another process"
	}
	who := "pid " + strconv.Itoa(pid)
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	if err != nil {
		return who
	}
	argv := strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
	if base := filepath.Base(argv[0]); !strings.Contains(base, "orderdesk") && base != filepath.Base(os.Args[0]) {
		return who
	}
	// Only a word that looks like a command is shown: the command line
	// is another process's, and may hold anything.
	switch name, _ := splitCommand(argv[1:]); {
	case name == "":
		return who + " (the desk)"
	case commandWord.MatchString(name):
		return who + " (orderdesk " + name + ")"
	}
	return who + " (orderdesk)"
}

var commandWord = regexp.MustCompile(`^[a-z][a-z-]{0,19}$`)

// Free space below which doctor warns, and fails: a full disk stops the
// desk recording edits.
const (
	diskWarn     = 1 << 30 // or under diskWarnShare of the disk, when also under diskWarnShareMax
	diskWarnMax  = 10 << 30
	diskWarnPart = 20 // 1/20 = 5 %
	diskFail     = 64 << 20
)

// diskCheck reports the free space of the disk the database is (or will
// be) on.
func diskCheck(path string) probe.Check {
	dir := filepath.Dir(absPath(path))
	for {
		if _, err := os.Stat(dir); err == nil || filepath.Dir(dir) == dir {
			break
		}
		dir = filepath.Dir(dir)
	}
	free, total, err := diskSpace(dir)
	if err != nil {
		return localCheck("disk", probe.Skipped, "free space not known: "+err.Error(), "")
	}
	detail := fmt.Sprintf("%s free of %s at %s", size(int64(free)), size(int64(total)), dir)
	switch {
	case free < diskFail:
		return localCheck("disk", probe.Fail, detail, "free some space: the desk cannot record edits on a full disk")
	case free < diskWarn || free < total/diskWarnPart && free < diskWarnMax:
		return localCheck("disk", probe.Warn, detail, "free some space before the disk fills")
	}
	return localCheck("disk", probe.OK, detail, "")
}

// size writes a byte count: "812 KB", "12.4 MB", "3.1 GB" (powers of 1024).
func size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	v, u := float64(n)/unit, 0
	for v >= unit && u < 4 {
		v /= unit
		u++
	}
	return fmt.Sprintf("%.1f %cB", v, "KMGTP"[u])
}

// relayState says whether the process holding the database takes the
// commands run beside it (relay.go).
func relayState(db string) string {
	c, err := relay.Dial(db)
	if err != nil {
		return "it takes no commands through " + filepath.Base(relay.SocketPath(db)) + ", so other commands wait for it to end"
	}
	c.Close()
	return "commands run beside it go through it (" + filepath.Base(relay.SocketPath(db)) + ")"
}
