// Package leakcheck collects the log lines and error strings produced by
// tests so a test run can prove none of them contains a secret.
package leakcheck

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync"
)

// Collector gathers text. It is safe for concurrent use.
type Collector struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	errs []string
}

func New() *Collector { return &Collector{} }

// Write makes the collector an io.Writer (log output).
func (c *Collector) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.Write(p)
}

// Logger logs everything, debug included, into the collector.
func (c *Collector) Logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(c, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// Err records an error's text and returns the error unchanged.
func (c *Collector) Err(err error) error {
	if err == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.errs = append(c.errs, err.Error())
	return err
}

// Lines returns how many log bytes and error strings were collected, so a
// check can show it saw something.
func (c *Collector) Count() (logBytes, errs int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.Len(), len(c.errs)
}

// Check reports every secret found in the collected text.
func (c *Collector) Check(secrets ...string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var found []string
	logs := c.buf.String()
	for _, s := range secrets {
		if s == "" {
			continue
		}
		if strings.Contains(logs, s) {
			found = append(found, fmt.Sprintf("a secret (%d chars) appears in the logs", len(s)))
		}
		for _, e := range c.errs {
			if strings.Contains(e, s) {
				found = append(found, fmt.Sprintf("a secret (%d chars) appears in error %q", len(s), strings.ReplaceAll(e, s, "<SECRET>")))
			}
		}
	}
	if len(found) > 0 {
		return fmt.Errorf("secret leak:\n  %s", strings.Join(found, "\n  "))
	}
	return nil
}
