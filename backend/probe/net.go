package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"time"
)

// The network checks: name resolution, a TCP connection, the TLS
// handshake and certificate. Each returns its check and whether the next
// one can be tried.

// endpoint is where a shop is reached.
type endpoint struct {
	url    string // the configured address, for messages
	scheme string // http or https
	host   string // without port
	port   string
	proxy  bool // the proxy the shop's requests go through, not the shop
}

func (e endpoint) addr() string { return net.JoinHostPort(e.host, e.port) }

// lookup resolves the host (an IP address needs no lookup).
func lookup(ctx context.Context, e endpoint) (Check, []string) {
	if ip := net.ParseIP(e.host); ip != nil {
		return check(IDDNS, OK, e.host+" is an IP address: nothing to look up", ""), []string{e.host}
	}
	if e.proxy {
		c, addrs := lookup(ctx, endpoint{url: e.url, scheme: e.scheme, host: e.host, port: e.port})
		c.Detail = "the proxy: " + c.Detail
		return c, addrs
	}
	start := time.Now()
	addrs, err := net.DefaultResolver.LookupHost(ctx, e.host)
	took := time.Since(start)
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return check(IDDNS, Fail, "no such host "+e.host, "is the URL right?"), nil
	case errors.As(err, &dnsErr) && dnsErr.IsTimeout, ctx.Err() != nil:
		return check(IDDNS, Fail, "looking up "+e.host+" took too long",
			"is the network up, and a DNS server reachable?"), nil
	case err != nil:
		return check(IDDNS, Fail, "looking up "+e.host+" failed: "+lookupReason(err),
			"is the network up, and a DNS server reachable?"), nil
	case len(addrs) == 0:
		return check(IDDNS, Fail, e.host+" has no address", "is the URL right?"), nil
	}
	shown := addrs
	if len(shown) > 3 {
		shown = append(shown[:3:3], fmt.Sprintf("and %d more", len(addrs)-3))
	}
	return check(IDDNS, OK, fmt.Sprintf("%s → %s (%s)", e.host, strings.Join(shown, ", "), ms(took)), ""), addrs
}

func lookupReason(err error) string {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.Err != "" {
		return dnsErr.Err
	}
	return err.Error()
}

// connect opens (and closes) a TCP connection to the shop.
func connect(ctx context.Context, e endpoint) Check {
	start := time.Now()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", e.addr())
	took := time.Since(start)
	if err != nil {
		return dialFailure(ctx, e, err)
	}
	remote := conn.RemoteAddr().String()
	_ = conn.Close()
	if e.proxy {
		return check(IDTCP, OK, fmt.Sprintf("connected to the proxy %s at %s (%s)", e.url, remote, ms(took)), "")
	}
	return check(IDTCP, OK, fmt.Sprintf("connected to %s (%s)", remote, ms(took)), "")
}

// dialFailure says why a connection could not be opened, and what to do.
func dialFailure(ctx context.Context, e endpoint, err error) Check {
	if e.proxy {
		c := dialFailure(ctx, endpoint{url: e.url, scheme: e.scheme, host: e.host, port: e.port}, err)
		c.Detail = "the proxy: " + c.Detail
		c.Hint = "is the proxy up? It is named by HTTPS_PROXY or HTTP_PROXY (NO_PROXY exempts hosts)"
		return c
	}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return check(IDTCP, Fail, "connection refused at "+e.url, "is the URL right, is the shop up?")
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return check(IDTCP, Fail, "no route to "+e.addr()+" ("+e.url+")", "is the network up, is the URL right?")
	case ctx.Err() != nil, isTimeout(err):
		return check(IDTCP, Fail, "no answer from "+e.addr()+" ("+e.url+") in time",
			"is the shop up, is a firewall in the way?")
	}
	return check(IDTCP, Fail, "cannot connect to "+e.url+": "+opReason(err), "is the URL right, is the shop up?")
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// opReason is the innermost cause of a network error ("connection reset
// by peer"), without the addresses net.OpError repeats.
func opReason(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	return err.Error()
}

// handshake checks the TLS handshake and the certificate the shop shows:
// its chain (against roots, nil = the system's), its name and how long it
// stays valid. Plain http is not checked: fine to this machine, a warning
// to any other.
func handshake(ctx context.Context, e endpoint, roots *x509.CertPool, now time.Time, warnBefore time.Duration) Check {
	if e.scheme != "https" {
		if loopback(e.host) {
			return check(IDTLS, OK, "not used: plain http to this machine", "")
		}
		return check(IDTLS, Warn, "not used: plain http to "+e.host+", so the credentials and the orders cross the network in clear text",
			"use the shop's https:// address")
	}
	// Verified below, by hand, so that a bad certificate is described
	// (expired when, issued for what) rather than only refused.
	d := tls.Dialer{Config: &tls.Config{ServerName: e.host, InsecureSkipVerify: true}} //nolint:gosec // verified below
	conn, err := d.DialContext(ctx, "tcp", e.addr())
	if err != nil {
		return check(IDTLS, Fail, "TLS handshake with "+e.addr()+" failed: "+opReason(err),
			"is the URL's port an https one?")
	}
	state := conn.(*tls.Conn).ConnectionState()
	_ = conn.Close()
	if len(state.PeerCertificates) == 0 {
		return check(IDTLS, Fail, "the shop showed no certificate", "")
	}
	leaf := state.PeerCertificates[0]
	inter := x509.NewCertPool()
	for _, c := range state.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	_, verr := leaf.Verify(x509.VerifyOptions{DNSName: e.host, Roots: roots, Intermediates: inter, CurrentTime: now})
	until := leaf.NotAfter.UTC().Format("2006-01-02")
	left := leaf.NotAfter.Sub(now)
	var (
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
		unknown  x509.UnknownAuthorityError
	)
	switch {
	case errors.As(verr, &invalid) && invalid.Reason == x509.Expired && now.After(leaf.NotAfter):
		return check(IDTLS, Fail, "the certificate of "+e.host+" expired on "+until,
			"the shop's certificate must be renewed (by its host)")
	case errors.As(verr, &invalid) && invalid.Reason == x509.Expired:
		return check(IDTLS, Fail, "the certificate of "+e.host+" is not valid yet (from "+leaf.NotBefore.UTC().Format("2006-01-02")+")",
			"is this machine's clock right?")
	case errors.As(verr, &hostname):
		return check(IDTLS, Fail, "the certificate is for "+certNames(leaf)+", not "+e.host,
			"is the URL the shop's own address?")
	case errors.As(verr, &unknown):
		return check(IDTLS, Fail, "the certificate of "+e.host+" is not signed by an authority this machine trusts (issuer "+
			issuer(leaf)+")", "a self-signed or private certificate: install the shop's CA on this machine, or get a public certificate")
	case verr != nil:
		return check(IDTLS, Fail, "the certificate of "+e.host+" is not valid: "+verr.Error(), "")
	}
	detail := fmt.Sprintf("%s, certificate valid until %s (%s left), issued by %s",
		tls.VersionName(state.Version), until, days(left), issuer(leaf))
	if left < warnBefore {
		return check(IDTLS, Warn, detail, "the certificate expires soon: it must be renewed (by the shop's host)")
	}
	return check(IDTLS, OK, detail, "")
}

func certNames(c *x509.Certificate) string {
	names := c.DNSNames
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && c.Subject.CommonName != "" {
		names = []string{c.Subject.CommonName}
	}
	if len(names) == 0 {
		return "no name"
	}
	if len(names) > 4 {
		names = append(names[:4:4], "…")
	}
	return strings.Join(names, ", ")
}

func issuer(c *x509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return c.Issuer.CommonName
	}
	if len(c.Issuer.Organization) > 0 {
		return c.Issuer.Organization[0]
	}
	return "an unnamed issuer"
}

// loopback reports whether host is this machine: localhost, 127.0.0.0/8
// or ::1.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func ms(d time.Duration) string {
	if d < time.Millisecond {
		return "<1 ms"
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

func days(d time.Duration) string {
	n := int(d.Hours() / 24)
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}
