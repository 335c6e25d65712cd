package probe

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"orderdesk/backend"
)

// The checks made through the shop's API: one list call through the
// shop's adapter (authentication, the API version, read access, the
// order count), what the adapter knows without I/O (the writes), and what
// the answers said (rate limit, clock).

// apiChecks lists the first page of orders through the shop's adapter and
// reports what it showed.
func apiChecks(ctx context.Context, cfg backend.ShopConfig, rec *recorder, e endpoint, opt Options) []Check {
	shop, err := open(ctx, cfg, rec)
	if err != nil {
		var out []Check
		for _, id := range apiCheckIDs(cfg.Platform) {
			out = append(out, skipped(id, "the desk cannot use this shop's settings"))
		}
		out[0] = check(IDAuth, Fail, "the desk cannot use this shop's settings: "+err.Error(), "fix the shop's table in the config")
		return out
	}
	start := time.Now()
	page, err := shop.List(ctx, backend.ListQuery{})
	took := time.Since(start)
	seen := rec.seen()
	out := []Check{tokenExpiry(authCheck(cfg, err, seen), cfg, opt.Now(), opt.CertWarn)}
	version, read := readChecks(ctx, cfg, err, len(page.Orders), took)
	if cfg.Platform == backend.Shopline {
		out = append(out, version)
	}
	caps := shop.Capabilities()
	out = append(out, read, writesCheck(&caps), rateCheck(seen, backend.RequestRate(shop)),
		clockCheck(ctx, rec, e, opt.MaxSkew))
	if err == nil && page.Total >= 0 {
		out = append(out, check(IDOrders, OK, fmt.Sprintf("%d, as the shop's list reports", page.Total), ""))
	}
	return out
}

// authCheck: were the credentials accepted?
func authCheck(cfg backend.ShopConfig, err error, seen []exchange) Check {
	loggedIn := "logged in as " + backend.Quote(cfg.Username) + " (the shop issued a new session token)"
	switch {
	case err == nil && cfg.Platform == backend.Fecshop:
		return check(IDAuth, OK, loggedIn, "")
	case err == nil:
		return check(IDAuth, OK, "the token is accepted", "")
	case errors.Is(err, backend.ErrAuth):
		return authFailure(cfg, err, lastStatus(seen))
	case cfg.Platform == backend.Fecshop && sawPath(seen, "/account/login"):
		// A refused login is ErrAuth: one that was answered otherwise
		// was accepted, and the list after it failed on its own.
		return check(IDAuth, OK, loggedIn, "")
	}
	return skipped(IDAuth, "the list call failed before the credentials were confirmed")
}

// tokenExpiry adds to the auth check when the token expires, for a token
// that is a JWT with an exp claim (SHOPLINE's are): a warning when that
// is within warn, and the date on a refusal. Only the date is shown.
func tokenExpiry(c Check, cfg backend.ShopConfig, now time.Time, warn time.Duration) Check {
	exp, ok := jwtExpiry(cfg.Token.Reveal())
	if !ok || c.Status == Skipped {
		return c
	}
	date := exp.UTC().Format("2006-01-02")
	left := exp.Sub(now)
	switch {
	case c.Status == Fail && left <= 0:
		c.Detail += " (it expired on " + date + ")"
	case c.Status == Fail:
	case left <= 0:
		c.Detail += "; it says it expired on " + date
	case left < warn:
		c.Status, c.Hint = Warn, "create a new one before then"
		c.Detail += "; it expires on " + date + " (" + days(left) + " left)"
	default:
		c.Detail += "; it expires on " + date + " (" + days(left) + " left)"
	}
	return c
}

// jwtExpiry reads the exp claim of a JWT (seconds, or milliseconds when
// that large), without checking its signature: it is the shop's to check.
func jwtExpiry(token string) (time.Time, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, false
	}
	var claims struct {
		Exp json.Number `json:"exp"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return time.Time{}, false
	}
	n, err := claims.Exp.Int64()
	if err != nil || n <= 0 {
		return time.Time{}, false
	}
	if n > 1e12 {
		return time.UnixMilli(n), true
	}
	return time.Unix(n, 0), true
}

// authFailure says, in the platform's words, which credential was refused
// and where to get a new one.
func authFailure(cfg backend.ShopConfig, err error, status int) Check {
	reason := reasonOf(err)
	var be *backend.Error
	errors.As(err, &be)
	switch cfg.Platform {
	case backend.Shopline:
		if status == http.StatusForbidden {
			return check(IDAuth, Fail, "SHOPLINE answered 403: the token may not read orders",
				"give the app read access to orders in the admin's Apps > Develop apps, and use its new token")
		}
		if status == 0 {
			status = http.StatusUnauthorized
		}
		return check(IDAuth, Fail, fmt.Sprintf("SHOPLINE answered %d: the token is wrong or expired", status),
			"create a new one in the admin's Apps > Develop apps")
	case backend.Fecshop:
		if be != nil && be.Op == "log in" {
			return check(IDAuth, Fail, "Fecshop refused the login of "+backend.Quote(cfg.Username)+": "+reason,
				"check username and the password: an appadmin user allowed to use the API")
		}
		return check(IDAuth, Fail, "Fecshop refused the session token it had just issued: "+reason,
			"check the shop's appapi token timeout setting")
	case backend.Fecmall:
		return check(IDAuth, Fail, "Fecmall refused the token: "+reason,
			"create a new one in the admin's Open API plugin (开放api插件)")
	case backend.YMCart:
		return check(IDAuth, Fail, "YMCart refused the token: "+reason, "check the API token in the store's admin")
	}
	return check(IDAuth, Fail, "the shop refused the credentials: "+reason, "")
}

// readChecks say whether the list call worked and, for SHOPLINE, whether
// the configured API version is served.
func readChecks(ctx context.Context, cfg backend.ShopConfig, err error, orders int, took time.Duration) (version, read Check) {
	version = check(IDVersion, OK, cfg.APIVersion+" is served", "")
	if err == nil {
		return version, check(IDRead, OK, fmt.Sprintf("one list call: %d orders on the first page (%s)", orders, ms(took)), "")
	}
	version = skipped(IDVersion, "the list call failed before the version was confirmed")
	var be *backend.Error
	errors.As(err, &be)
	var silent *backend.NoAnswerError
	reason := reasonOf(err)
	switch {
	case errors.Is(err, backend.ErrAuth):
		return skipped(IDVersion, "authentication failed"), skipped(IDRead, "authentication failed")
	case cfg.Platform == backend.Shopline && errors.Is(err, backend.ErrRejected) && strings.Contains(reason, "HTTP 404"):
		return check(IDVersion, Fail, "this store does not serve api_version "+cfg.APIVersion+" (HTTP 404)",
				"set api_version to a current version, vYYYYMMDD: SHOPLINE serves each for about 12 months"),
			skipped(IDRead, "the API version is not served")
	case errors.As(err, &silent), ctx.Err() != nil && !errors.Is(err, backend.ErrRateLimited):
		return version, check(IDRead, Fail, "the list call had no answer in time",
			"the shop or the network is slow or down: try again later")
	case errors.Is(err, backend.ErrRateLimited):
		detail := "the shop answered the list call with too many requests"
		if be != nil && be.RetryAfter > 0 {
			detail += " (retry after " + backend.Seconds(be.RetryAfter) + ")"
		}
		return version, check(IDRead, Warn, detail, "another client is using the shop's allowance: try again later")
	case errors.Is(err, backend.ErrUnavailable):
		return version, check(IDRead, Fail, "the shop could not answer the list call: "+reason, "is the shop up? try again later")
	case errors.Is(err, backend.ErrBadResponse):
		return version, check(IDRead, Fail, "the shop's answer to the list call cannot be read: "+reason,
			"is the url the shop's API address, not a web page or a proxy's?")
	case errors.Is(err, backend.ErrNotFound):
		return version, check(IDRead, Fail, "no order list at this address: "+reason, "is the url the shop's API address?")
	}
	return version, check(IDRead, Fail, "the shop refused the list call: "+reason, "")
}

// reasonOf is an adapter error's reason (or its cause), without the shop
// name and operation the full text repeats.
func reasonOf(err error) string {
	var be *backend.Error
	if errors.As(err, &be) {
		switch {
		case be.Reason != "" && be.Field != "":
			return be.Reason + " (field " + be.Field + ")"
		case be.Reason != "":
			return be.Reason
		case be.Err != nil:
			return be.Err.Error()
		case be.Field != "":
			return "field " + be.Field
		case be.Kind != nil:
			return be.Kind.Error()
		}
	}
	return err.Error()
}

// writesCheck says which writes the platform lets the desk send (from the
// adapter's capabilities: no I/O).
func writesCheck(caps *backend.Capabilities) Check {
	if caps == nil {
		return skipped(IDWrites, "the shop's adapter could not be built")
	}
	var can, cannot []string
	for _, k := range []backend.ActionKind{backend.ActionStatus, backend.ActionShip, backend.ActionRemark} {
		c := caps.Of(k)
		if !c.Supported {
			cannot = append(cannot, string(k))
			continue
		}
		s := string(k)
		switch {
		case k == backend.ActionStatus:
			s += fmt.Sprintf(" (%d values)", len(c.Values))
		case c.Notifies == backend.NotifyAlways:
			s += " (emails the customer)"
		case c.Notifies == backend.NotifyOptional:
			s += " (emails the customer when asked)"
		}
		can = append(can, s)
	}
	switch {
	case len(can) == 0:
		return check(IDWrites, OK, "none: the platform's API lets the desk read this shop only", "")
	case len(cannot) > 0:
		return check(IDWrites, OK, strings.Join(can, ", ")+"; not "+strings.Join(cannot, ", "), "")
	}
	return check(IDWrites, OK, strings.Join(can, ", "), "")
}

// rateCheck reports the limit the shop's answers carry (Yii's
// X-Rate-Limit-* headers, Fecshop when its limit is on), a 429 met on the
// way, and the desk's own pace.
func rateCheck(seen []exchange, rate float64) Check {
	desk := "the desk sends at most " + strconv.FormatFloat(rate, 'f', -1, 64) + " requests a second"
	if rate <= 0 {
		desk = "the desk does not pace its requests"
	}
	for _, x := range seen {
		if x.status == http.StatusTooManyRequests {
			return check(IDRateLimit, Warn, "the shop answered 429 (too many requests) during the probe; "+desk,
				"another client shares the shop's allowance, or the config's rate is too high")
		}
	}
	for i := len(seen) - 1; i >= 0; i-- {
		l := seen[i].rateLimit
		if l[0] == "" {
			continue
		}
		s := "the shop allows " + l[0] + " requests a window"
		if l[1] != "" {
			s += ", " + l[1] + " left"
		}
		if l[2] != "" {
			s += ", all back in " + l[2] + " s"
		}
		return check(IDRateLimit, OK, s+"; "+desk, "")
	}
	if len(seen) == 0 {
		return check(IDRateLimit, OK, desk, "")
	}
	return check(IDRateLimit, OK, "the shop's answers report none; "+desk, "")
}

// clockCheck compares the shop's Date header with this machine's clock at
// the middle of the exchange. Date has whole seconds: a difference under
// 2 s is no difference.
func clockCheck(ctx context.Context, rec *recorder, e endpoint, maxSkew time.Duration) Check {
	x, ok := lastDated(rec.seen())
	if !ok {
		rec.head(ctx, e)
		x, ok = lastDated(rec.seen())
	}
	if !ok {
		return skipped(IDClock, "the shop's answers carry no Date header")
	}
	shop, _ := http.ParseTime(x.date)
	mid := x.sent.Add(x.got.Sub(x.sent) / 2)
	skew := shop.Add(500 * time.Millisecond).Sub(mid) // Date is cut to the second
	abs := skew.Abs()
	switch {
	case abs < 2*time.Second:
		return check(IDClock, OK, "the shop's clock and this machine's agree (its Date header)", "")
	case abs <= maxSkew && skew > 0:
		return check(IDClock, OK, "the shop's clock is "+span(abs)+" ahead of this machine's", "")
	case abs <= maxSkew:
		return check(IDClock, OK, "this machine's clock is "+span(abs)+" ahead of the shop's", "")
	}
	detail := "the shop's clock is " + span(abs) + " ahead of this machine's"
	if skew < 0 {
		detail = "this machine's clock is " + span(abs) + " ahead of the shop's"
	}
	return check(IDClock, Warn, detail,
		"set the clock that is wrong (NTP): the sync's overlap windows allow for a few minutes at most")
}

func lastDated(seen []exchange) (exchange, bool) {
	for i := len(seen) - 1; i >= 0; i-- {
		if _, err := http.ParseTime(seen[i].date); err == nil {
			return seen[i], true
		}
	}
	return exchange{}, false
}

func lastStatus(seen []exchange) int {
	if len(seen) == 0 {
		return 0
	}
	return seen[len(seen)-1].status
}

func sawPath(seen []exchange, suffix string) bool {
	for _, x := range seen {
		if strings.HasSuffix(x.path, suffix) {
			return true
		}
	}
	return false
}

// span writes a clock difference: "45 s", "12 min", "3 h 5 min".
func span(d time.Duration) string {
	if s := d.Round(time.Second); s < 2*time.Minute {
		return fmt.Sprintf("%d s", int(s.Seconds()))
	}
	d = d.Round(time.Minute) // rounded, not cut: 9 min 59.4 s is 10 min
	if d < 2*time.Hour {
		return fmt.Sprintf("%d min", int(d.Minutes()))
	}
	return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
}
