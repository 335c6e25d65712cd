package config

import (
	"cmp"
	"fmt"
	"math"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"orderdesk/backend"
)

// Shop is one [[shops]] table. It holds where its secrets come from, never
// a resolved secret: Resolve obtains them when the shop is about to be
// contacted.
type Shop struct {
	Name       string
	Platform   backend.Platform
	URL        string
	Username   string // fecshop
	APIVersion string // shopline
	Timezone   *time.Location
	// Timeout is how long one call to the shop, its retries included, may
	// go without an answer before the desk gives up on it: the shop's
	// timeout, else the top-level one, else backend.DefaultCallLimit.
	Timeout time.Duration
	// History, RecheckWindow and RecheckEvery say how much history syncs
	// look at (backend/engine.Plan); 0 = the default (everything, 14 days,
	// 24 hours).
	History       time.Duration
	RecheckWindow time.Duration
	RecheckEvery  time.Duration
	Rate          float64 // requests per second; 0 = the platform's default
	Burst         int     // 0 = the platform's default
	Line          int     // line of the shop's [[shops]] table
	Key           string  // "shops[2]", as messages name it
	// InsecureHTTP: the operator accepts an http:// url to a host other
	// than this machine (insecure_http = true).
	InsecureHTTP bool

	Password Source // fecshop
	Token    Source // fecmall, shopline, ymcart

	res resolver
}

// platformSecret says which secret each platform needs. A new platform is
// one row here (and its adapter's line in backend/platforms).
func platformSecret(p backend.Platform) (secret string, ok bool) {
	switch p {
	case backend.Fecshop:
		return "password", true
	case backend.Fecmall, backend.Shopline, backend.YMCart:
		return "token", true
	}
	return "", false
}

const platformList = "fecshop, fecmall, shopline or ymcart"

var (
	envName      = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	shoplineVers = regexp.MustCompile(`^v[0-9]{8}$`)
)

// shop validates the i-th [[shops]] table.
func (ps *problems) shop(i int, rs rawShop, displayZone *time.Location, timeout time.Duration, res resolver) Shop {
	key := fmt.Sprintf("shops[%d]", i+1)
	s := Shop{
		Name: rs.Name, Platform: backend.Platform(rs.Platform), URL: strings.TrimSpace(rs.URL),
		Username: rs.Username, APIVersion: rs.APIVersion, Timezone: displayZone,
		Rate: rs.Rate, Burst: rs.Burst, Line: ps.ix.lineOf(key), Key: key, res: res,
		InsecureHTTP: rs.InsecureHTTP, Timeout: timeout,
	}
	ps.shopName(key, s.Name)
	secret, known := platformSecret(s.Platform)
	switch {
	case rs.Platform == "":
		ps.add(key+".platform", "platform is required: %s", platformList)
	case !known:
		ps.add(key+".platform", "unknown platform %s (want %s)", backend.Quote(rs.Platform), platformList)
	}
	ps.shopURL(key, s)
	if rs.Timezone != nil {
		s.Timezone = ps.zone(key+".timezone", *rs.Timezone, displayZone)
	}
	if rs.Timeout != nil {
		s.Timeout = ps.callLimit(key+".timeout", *rs.Timeout, timeout)
	}
	if math.IsNaN(s.Rate) || math.IsInf(s.Rate, 0) || s.Rate < 0 {
		ps.add(key+".rate", "rate must be a positive number of requests per second (or left out for the platform's default)")
	}
	if s.Burst < 0 {
		ps.add(key+".burst", "burst must be a positive number of requests (or left out for the platform's default)")
	}
	ps.platformKeys(key, s.Platform, rs)
	if known {
		s.Password = ps.source(key, "password", secret == "password", s.Platform,
			rs.Password, rs.PasswordEnv, rs.PasswordCmd)
		s.Token = ps.source(key, "token", secret == "token", s.Platform,
			rs.Token, rs.TokenEnv, rs.TokenCmd)
	}
	return s
}

func (ps *problems) shopName(key, name string) {
	switch {
	case name == "":
		ps.add(key+".name", "a shop needs a name (it is used in order refs: NAME:NUMBER)")
	case strings.Contains(name, ":"):
		ps.add(key+".name", "shop name %s contains ':', which separates shop and number in refs (NAME:NUMBER)", backend.Quote(name))
	case strings.TrimSpace(name) != name:
		ps.add(key+".name", "shop name %s begins or ends with spaces", backend.Quote(name))
	}
}

// shopURL checks the address. The URL is not echoed: it might carry a
// password someone pasted in.
func (ps *problems) shopURL(key string, s Shop) {
	k := key + ".url"
	if s.URL == "" {
		ps.add(k, "url is required: the shop's address, like https://shop.example.com")
		return
	}
	u, err := url.Parse(s.URL)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		ps.add(k, "url must be an http:// or https:// address with a host, like https://shop.example.com")
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		ps.add(k, "url must not carry credentials, a query or a fragment: secrets go in *_env or *_cmd")
	case s.Platform == backend.Shopline && strings.Trim(u.Path, "/") != "":
		ps.add(k, "a shopline url is the store address only (https://HANDLE.myshopline.com); the desk adds /admin/openapi/VERSION")
	case u.Scheme == "http" && !loopback(u.Hostname()) && !s.InsecureHTTP:
		secret, _ := platformSecret(s.Platform)
		if secret == "" {
			secret = "password or token"
		}
		ps.add(k, "an http:// url to another machine sends the shop's %s and every order in clear text: "+
			"use https://, or set insecure_http = true in this shop if the network to it is trusted", secret)
	case u.Scheme == "https" && s.InsecureHTTP:
		ps.add(key+".insecure_http", "insecure_http is only for an http:// url; this shop's url is https:// (remove the key)")
	}
}

// loopback reports whether host is this machine: localhost, 127.0.0.0/8
// or ::1. Plain http to it never crosses a network.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// platformKeys rejects keys the platform would ignore, and checks the ones
// it needs besides the secret.
func (ps *problems) platformKeys(key string, p backend.Platform, rs rawShop) {
	if p == backend.Fecshop {
		if strings.TrimSpace(rs.Username) == "" {
			ps.add(key+".username", "fecshop logs in: username is required (an appadmin user allowed to use the API)")
		}
	} else if _, known := platformSecret(p); known && ps.ix.has(key+".username") {
		ps.add(key+".username", "username is only used by fecshop; %s shops use a token", p)
	}
	if p == backend.Shopline {
		if !shoplineVers.MatchString(rs.APIVersion) {
			ps.add(key+".api_version", "shopline needs api_version, the Admin API version like \"v20251201\" (vYYYYMMDD)")
		}
	} else if _, known := platformSecret(p); known && ps.ix.has(key+".api_version") {
		ps.add(key+".api_version", "api_version is only used by shopline")
	}
}

// source reads the three keys that may give one secret (literal, *_env,
// *_cmd). needed says whether the platform uses it: then exactly one must be
// set; otherwise none may be.
func (ps *problems) source(key, secret string, needed bool, p backend.Platform, literal, env, cmd string) Source {
	var set []Source
	for _, c := range []Source{
		{Kind: FromFile, Key: secret, literal: backend.NewSecret(literal)},
		{Kind: FromEnv, Key: secret + "_env", Ref: env},
		{Kind: FromCmd, Key: secret + "_cmd", Ref: cmd},
	} {
		if ps.ix.has(key + "." + c.Key) {
			c.Line = ps.ix.lineOf(key + "." + c.Key)
			set = append(set, c)
		}
	}
	slices.SortFunc(set, func(a, b Source) int { return cmp.Compare(a.Line, b.Line) })
	switch {
	case !needed && len(set) > 0:
		other := "token"
		if secret == "token" {
			other = "password"
		}
		ps.add(key+"."+set[0].Key, "%s shops use a %s, not a %s (%s_env, %s_cmd or %s)", p, other, secret, other, other, other)
		return Source{}
	case !needed:
		return Source{}
	case len(set) == 0:
		ps.add(key, "no %s: set one of %s_env (an environment variable), %s_cmd (a command printing it) or %s (in a chmod 600 file)",
			secret, secret, secret, secret)
		return Source{}
	case len(set) > 1:
		ps.add(key+"."+set[1].Key, "%s is also given by %s (line %d): keep exactly one of %s, %s_env, %s_cmd",
			secret, set[0].Key, set[0].Line, secret, secret, secret)
		return Source{}
	}
	src := set[0]
	switch src.Kind {
	case FromFile:
		if src.literal.IsZero() {
			ps.add(key+"."+src.Key, "%s is empty", secret)
		}
	case FromEnv:
		if !envName.MatchString(src.Ref) {
			ps.add(key+"."+src.Key, "must be the name of an environment variable (letters, digits and _), not the %s itself", secret)
		}
	case FromCmd:
		if strings.TrimSpace(src.Ref) == "" {
			ps.add(key+"."+src.Key, "empty command: give one that prints the %s, like \"pass show shops/NAME\"", secret)
		}
	}
	return src
}

// uniqueShops rejects names that only differ by case: refs and --shop must
// name one shop.
func (ps *problems) uniqueShops(shops []Shop) {
	seen := map[string]Shop{}
	for _, s := range shops {
		if s.Name == "" {
			continue
		}
		k := strings.ToLower(s.Name)
		if first, dup := seen[k]; dup {
			ps.add(s.Key+".name", "duplicate shop name %s (also %s, line %d)", backend.Quote(s.Name), first.Key, first.Line)
			continue
		}
		seen[k] = s
	}
}
