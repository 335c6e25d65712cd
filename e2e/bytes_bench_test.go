//go:build unix

package e2e

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/creack/pty"

	"orderdesk/backend"
	"orderdesk/backend/safe"
	"orderdesk/backend/simshop"
	"orderdesk/cache"
	"orderdesk/internal/scaledb"
)

// BenchmarkBytesPerKey counts what the desk writes to the terminal for one
// key, as operators on slow links meet it: the real binary behind a pty
// ("pty"), and `orderdesk serve` through the real OpenSSH client ("ssh",
// whose B/… is what reaches the client's terminal and wireB/… what crossed
// the TCP connection, SSH framing included). Each case starts a desk,
// waits until the output is quiet (nothing for bytesQuiet), then sends one
// key at a time, waits for quiet again and counts the bytes:
//
//	B/j       a cursor move down the list (within the screen, no scroll)
//	B/held    the same with j held down: bytesSamples moves bytesRepeat
//	          apart (a keyboard's repeat), counted together, per move
//	B/filter  one letter typed into the filter (after `/`)
//	B/open    enter on the list (the detail opens, or takes the focus)
//	B/close   esc from there
//
// at 80×24 and 160×50, on orders whose names, addresses and items are all
// ASCII ("ascii") and on orders with Chinese, Japanese and Korean names,
// addresses and items ("cjk"). The desk runs --offline on a database filled
// from the simulated shops, so no sync draws while keys are counted.
// ns/op means nothing here (mostly the quiet waits).
//
// ORDERDESK_BYTES_DUMP=DIR writes every counted key's bytes to DIR, to see
// what a frame repaints.
func BenchmarkBytesPerKey(b *testing.B) {
	root, err := os.MkdirTemp("", "orderdesk-bytes")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(root)
	desks := map[string]*bytesDesk{}
	for _, data := range []string{"ascii", "cjk"} {
		desks[data] = buildBytesDesk(b, filepath.Join(root, data), data)
	}
	var table []string
	for _, mode := range []string{"pty", "ssh"} {
		for _, size := range [][2]int{{80, 24}, {160, 50}} {
			for _, data := range []string{"ascii", "cjk"} {
				name := fmt.Sprintf("%s/%dx%d/%s", mode, size[0], size[1], data)
				b.Run(name, func(b *testing.B) {
					if mode == "ssh" {
						if _, err := exec.LookPath("ssh"); err != nil {
							b.Skip("the OpenSSH client (ssh) is not installed: the ssh cases of BytesPerKey need it")
						}
					}
					var r bytesResult
					for b.Loop() {
						r = desks[data].measure(b, mode, size[0], size[1], name)
					}
					for _, k := range bytesKeyNames {
						b.ReportMetric(r.term[k], "B/"+k)
						if mode == "ssh" {
							b.ReportMetric(r.wire[k], "wireB/"+k)
						}
					}
					row := fmt.Sprintf("%-20s", name)
					for _, k := range bytesKeyNames {
						cell := fmt.Sprintf("%.0f", r.term[k])
						if mode == "ssh" {
							cell += fmt.Sprintf(" (%.0f)", r.wire[k])
						}
						row += fmt.Sprintf(" %14s", cell)
					}
					if r.noisy {
						row += "  (never quiet: something draws on its own)"
					}
					table = append(table, row)
				})
			}
		}
	}
	head := fmt.Sprintf("%-20s", "bytes per key")
	for _, k := range bytesKeyNames {
		head += fmt.Sprintf(" %14s", k)
	}
	// printed, not logged: a parent benchmark's log shows only with -v
	fmt.Printf("%s\n%s\n(ssh: bytes to the terminal, in brackets bytes on the wire)\n", head, strings.Join(table, "\n"))
}

// bytesKeyNames are the keys counted, in the table's order.
var bytesKeyNames = []string{"j", "held", "filter", "open", "close"}

const (
	bytesQuiet   = 300 * time.Millisecond // no output this long: the frame is done
	bytesSamples = 8                      // keys averaged for each figure
	bytesRepeat  = 33 * time.Millisecond  // a held key's repeat: 30 a second
	bytesOrders  = 150                    // orders per simulated shop
)

// bytesDesk is a database of bytesOrders orders per platform, a config
// naming their shops (never contacted: the desk runs --offline), and a key
// to log in over SSH.
type bytesDesk struct {
	dir, db, cfg, keys, hostKey, key string
}

func buildBytesDesk(b *testing.B, dir, data string) *bytesDesk {
	b.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	d := &bytesDesk{dir: dir, db: filepath.Join(dir, "desk.db"), cfg: filepath.Join(dir, "config.toml"),
		keys: filepath.Join(dir, "authorized_keys"), hostKey: filepath.Join(dir, "host_key")}
	st, err := cache.Open(d.db, cache.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var cfg strings.Builder
	n := 0
	for i, p := range []backend.Platform{backend.Fecshop, backend.Fecmall, backend.Shopline, backend.YMCart} {
		srv, err := simshop.New(p, simshop.Options{Seed: int64(i + 1), Orders: bytesOrders})
		if err != nil {
			b.Fatal(err)
		}
		name := "shop-" + string(p)
		orders := srv.Orders()
		srv.Close()
		for _, o := range orders {
			o.Shop, o.Ref = name, backend.Ref{Shop: name, Number: o.Number}
			rewriteOrder(o, data, n)
			n++
		}
		if err := cache.Fill(st, orders, 500); err != nil {
			b.Fatal(err)
		}
		cfg.WriteString(scaledb.ShopTable(name, p))
	}
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(d.cfg, []byte(cfg.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	k := writeKey(b, dir, "operator", "bench")
	d.key = k.path
	if err := os.WriteFile(d.keys, k.line, 0o600); err != nil {
		b.Fatal(err)
	}
	return d
}

// Names for the two data sets; the CJK ones are Chinese, Japanese and
// Korean, as the shops' customers write them.
var (
	asciiNames = []string{"John Smith", "Maria Garcia", "Juergen Mueller", "Francois Dupont", "Olivia O'Brien", "Wang Xiaoming", "Sato Hanako", "Kim Minsu"}
	cjkNames   = []string{"王小明", "李娜", "赵地虎", "陈静", "佐藤 花子", "鈴木 一郎", "김민수", "欧阳娜娜"}
	cjkCities  = []string{"上海市", "天津市", "渋谷区", "서울", "北京市", "大阪市"}
	cjkItems   = []string{"龙井绿茶 250g", "有田焼 マグカップ", "真丝围巾", "机械键盘 87键", "羊毛袜 (3双)", "帆布托特包"}
)

// rewriteOrder makes an order of the data set: "ascii" folds every text
// to ASCII, "cjk" gives it a CJK customer, address and item titles.
func rewriteOrder(o *backend.Order, data string, i int) {
	if data == "ascii" {
		foldASCII(reflect.ValueOf(o).Elem())
		o.Customer.Name = asciiNames[i%len(asciiNames)]
		if o.ShippingAddress != nil {
			o.ShippingAddress.Name = o.Customer.Name
		}
		return
	}
	o.Customer.Name = cjkNames[i%len(cjkNames)]
	for _, a := range []*backend.Address{o.ShippingAddress, o.BillingAddress} {
		if a != nil {
			a.Name, a.City, a.Province = o.Customer.Name, cjkCities[i%len(cjkCities)], cjkCities[(i+1)%len(cjkCities)]
			a.Line1 = "世纪大道" + fmt.Sprint(100+i%50) + "号"
		}
	}
	for k := range o.Items {
		o.Items[k].Title = cjkItems[(i+k)%len(cjkItems)]
	}
}

// foldASCII replaces every non-ASCII character of every text in v by a
// letter.
func foldASCII(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			foldASCII(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				foldASCII(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // raw bytes: the platform's own record, never shown
		}
		for i := range v.Len() {
			foldASCII(v.Index(i))
		}
	case reflect.Map:
		if v.Type().Elem().Kind() == reflect.String {
			for _, k := range v.MapKeys() {
				v.SetMapIndex(k, reflect.ValueOf(fold(v.MapIndex(k).String())).Convert(v.Type().Elem()))
			}
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(fold(v.String()))
		}
	}
}

func fold(s string) string {
	if len(s) == utf8.RuneCountInString(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r >= utf8.RuneSelf {
			r = 'a' + r%26
		}
		b.WriteRune(r)
	}
	return b.String()
}

// bytesResult is the average bytes per key, to the terminal and (ssh) on
// the wire.
type bytesResult struct {
	term, wire map[string]float64
	noisy      bool // some wait for quiet timed out
}

// bytesTerm is a terminal that counts what it is sent.
type bytesTerm struct {
	pty    *os.File
	mu     sync.Mutex
	n      int       // bytes read from the terminal
	wire   int       // bytes from the server on the TCP connection (ssh)
	last   time.Time // when the latest byte came
	dump   []byte
	keep   bool // keep the bytes for dumps
	noisy  bool
	closed bool // the terminal's program ended
}

func (t *bytesTerm) read() {
	buf := make([]byte, 32<<10)
	for {
		n, err := t.pty.Read(buf)
		t.mu.Lock()
		t.n += n
		if n > 0 {
			t.last = time.Now()
			if t.keep {
				t.dump = append(t.dump, buf[:n]...)
			}
		}
		if err != nil {
			t.closed = true
		}
		t.mu.Unlock()
		if err != nil {
			return
		}
	}
}

func (t *bytesTerm) ended() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.closed
}

func (t *bytesTerm) counts() (term, wire int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n, t.wire
}

// holds says whether the kept output holds s.
func (t *bytesTerm) holds(s string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Contains(string(t.dump), s)
}

// quiet waits until nothing came for bytesQuiet (at most limit).
func (t *bytesTerm) quiet(limit time.Duration) {
	start := time.Now()
	for {
		time.Sleep(bytesQuiet / 10)
		t.mu.Lock()
		last := t.last
		t.mu.Unlock()
		if now := time.Now(); now.Sub(last) >= bytesQuiet && now.Sub(start) >= bytesQuiet {
			return
		}
		if time.Since(start) > limit {
			t.noisy = true
			return
		}
	}
}

// key sends one key, waits for quiet and returns the bytes it cost.
func (t *bytesTerm) key(b *testing.B, k string) (term, wire int) {
	t0, w0 := t.counts()
	t.mu.Lock()
	t.dump = t.dump[:0]
	t.mu.Unlock()
	if _, err := t.pty.WriteString(k); err != nil {
		b.Fatal(err)
	}
	t.quiet(5 * time.Second)
	t1, w1 := t.counts()
	return t1 - t0, w1 - w0
}

// measure starts a desk in mode at cols×rows and counts its keys.
func (d *bytesDesk) measure(b *testing.B, mode string, cols, rows int, name string) bytesResult {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// the shops are never contacted; their secrets need only be set
	env := append(isolatedEnv(filepath.Join(d.dir, "home")), "TERM=xterm-256color", "UNUSED=unused")
	var cmd *exec.Cmd
	term := &bytesTerm{}
	if mode == "pty" {
		cmd = exec.Command(binary, "--offline", "--config", d.cfg, "--db", d.db)
	} else {
		port := d.startServe(b, ctx, env)
		cmd = exec.Command("ssh", "-tt", "-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
			"-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-o", "IdentityAgent=none", "-o", "IdentitiesOnly=yes",
			"-i", d.key, "-p", proxy(b, ctx, port, term), "op@127.0.0.1")
	}
	cmd.Env = env
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		b.Fatal(err)
	}
	term.pty = f
	safe.Go(ctx, term.read, nil)
	defer func() {
		f.WriteString("q")
		done := make(chan struct{})
		safe.Go(ctx, func() { cmd.Wait(); close(done) }, nil)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		f.Close()
	}()
	term.mu.Lock()
	term.keep = true
	term.mu.Unlock()
	for start := time.Now(); !term.holds(" orders"); time.Sleep(50 * time.Millisecond) {
		if time.Since(start) > 30*time.Second || term.ended() {
			term.mu.Lock()
			b.Fatalf("%s: no list of orders (within 30 s); the terminal got:\n%q", name, term.dump)
		}
	}
	term.quiet(30 * time.Second)
	term.mu.Lock()
	term.keep, term.dump = os.Getenv("ORDERDESK_BYTES_DUMP") != "", nil
	term.mu.Unlock()
	r := bytesResult{term: map[string]float64{}, wire: map[string]float64{}}
	samples := map[string]int{}
	dumpDir := os.Getenv("ORDERDESK_BYTES_DUMP")
	count := func(k, key string) {
		tn, wn := term.key(b, key)
		r.term[k] += float64(tn)
		r.wire[k] += float64(wn)
		samples[k]++
		if dumpDir != "" {
			file := fmt.Sprintf("%s-%s-%d.bin", strings.ReplaceAll(name, "/", "-"), k, samples[k])
			term.mu.Lock()
			os.WriteFile(filepath.Join(dumpDir, file), term.dump, 0o644)
			term.mu.Unlock()
		}
	}
	skip := func(keys ...string) {
		for _, k := range keys {
			term.key(b, k)
		}
	}
	for range bytesSamples { // within the first screen: no scrolling
		count("j", "j")
	}
	skip("g")
	t0, w0 := term.counts()
	for range bytesSamples {
		if _, err := term.pty.WriteString("j"); err != nil {
			b.Fatal(err)
		}
		time.Sleep(bytesRepeat)
	}
	term.quiet(5 * time.Second)
	t1, w1 := term.counts()
	r.term["held"], r.wire["held"], samples["held"] = float64(t1-t0), float64(w1-w0), bytesSamples
	skip("g")
	for samples["filter"] < bytesSamples {
		skip("/")
		for _, c := range "114" { // order numbers, in both data sets: fewer rows at each key
			count("filter", string(c))
		}
		skip("\x1b")
	}
	for range bytesSamples {
		count("open", "\r")
		count("close", "\x1b")
	}
	for k, n := range samples {
		r.term[k] /= float64(n)
		r.wire[k] /= float64(n)
	}
	r.noisy = term.noisy
	return r
}

// startServe runs `orderdesk serve --offline` and returns its port.
func (d *bytesDesk) startServe(b *testing.B, ctx context.Context, env []string) string {
	cmd := exec.CommandContext(ctx, binary, "--offline", "--config", d.cfg, "--db", d.db,
		"serve", "--listen", "127.0.0.1:0", "--authorized-keys", d.keys, "--host-key", d.hostKey, "--idle-timeout", "0")
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	port := make(chan string, 1)
	safe.Go(ctx, func() {
		var log strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := stderr.Read(buf)
			log.Write(buf[:n])
			if m := listening.FindStringSubmatch(log.String()); m != nil {
				select {
				case port <- m[1]:
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}, nil)
	select {
	case p := <-port:
		return p
	case <-time.After(20 * time.Second):
		b.Fatal("orderdesk serve did not start listening within 20 s")
	}
	return ""
}

// proxy forwards a local port to the server's, counting the bytes the
// server sends into term.wire; it returns the local port.
func proxy(b *testing.B, ctx context.Context, serverPort string, term *bytesTerm) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	safe.Go(ctx, func() { <-ctx.Done(); l.Close() }, nil)
	safe.Go(ctx, func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", "127.0.0.1:"+serverPort)
			if err != nil {
				c.Close()
				return
			}
			safe.Go(ctx, func() { io.Copy(s, c); s.Close() }, nil)
			safe.Go(ctx, func() {
				buf := make([]byte, 32<<10)
				for {
					n, err := s.Read(buf)
					term.mu.Lock()
					term.wire += n
					term.mu.Unlock()
					if n > 0 {
						if _, werr := c.Write(buf[:n]); werr != nil {
							break
						}
					}
					if err != nil {
						break
					}
				}
				c.Close()
			}, nil)
		}
	}, nil)
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}
