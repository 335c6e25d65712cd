package config

import (
	"fmt"
	"strings"
)

// Example is a commented config using every key; the README shows it and a
// test loads it.
const Example = `# orderdesk configuration: $XDG_CONFIG_HOME/orderdesk/config.toml
# (~/.config/orderdesk/config.toml by default; another file with --config FILE).

timezone = "Asia/Shanghai"     # zone the desk displays times in; default: the system's
operator = "anna"              # name stamped on edits in the audit log; default: the OS user
timeout  = "60s"               # give up on a shop that leaves a call unanswered this long (retries
                               # included; "still trying" is said after 10 s); default: 60s
recheck_window = "14d"         # Fecshop and Fecmall list orders by creation date only: every sync
                               # lists the orders created this recently; default: 14d
recheck_every  = "24h"         # ...and lists older orders that are still open again at least this
                               # often, a share at each sync; default: 24h

# One [[shops]] table per shop. The name is used in order refs (eu-store:100000123)
# and may not contain ':'. A shop's password or token comes from exactly one of:
#   *_env   an environment variable              password_env = "EU_STORE_PASSWORD"
#   *_cmd   a command printing it on stdout       token_cmd = "pass show shops/sl"
#           (run with sh -c only when the desk talks to the shop; first line; 10 s limit)
#   the key itself, accepted only while this file is private (chmod 600), like ssh keys

[[shops]]
name         = "eu-store"
platform     = "fecshop"                    # fecshop, fecmall, shopline or ymcart
url          = "https://appapi.example.com" # the appapi host
username     = "desk"                       # fecshop logs in with username + password
password_env = "EU_STORE_PASSWORD"
# password_cmd = "pass show shops/eu"       # ...or from a password manager
# password     = "..."                      # ...or here, in a chmod 600 file
timezone     = "Europe/Berlin"              # the shop's zone, for its naive times and date filters;
                                            # default: the top-level timezone
rate         = 2                            # requests per second; default: the platform's
burst        = 4                            # requests at once after a pause; default: the platform's
timeout      = "2m"                         # this shop's own timeout (a slow host); default: the top-level one
history      = "365d"                       # the first sync goes back no further (older orders: by ref);
                                            # default: everything
recheck_every = "12h"                       # this shop's own recheck_every (recheck_window too)

[[shops]]
name      = "mall"
platform  = "fecmall"                       # read-only: the API has no write calls
url       = "https://mall.example.com"
token_env = "MALL_TOKEN"                    # open-access-token from the Open API plugin

[[shops]]
name        = "sl"
platform    = "shopline"
url         = "https://open001.myshopline.com"
api_version = "v20251201"                   # Admin API version, vYYYYMMDD
token_cmd   = "pass show shops/sl"
rate        = 4

[[shops]]
name      = "ym"
platform  = "ymcart"
url       = "https://shop.example.com"
token_env = "YM_TOKEN"                      # the ERP API token
# token   = "..."                           # ...or here, in a chmod 600 file
# A url with http:// is refused unless its host is this machine (localhost, 127.0.0.1,
# ::1): the token and every order would cross the network in clear text.
# url           = "http://10.0.0.7:8080"
# insecure_http = true                      # ...unless you accept that (a trusted network); default: false

# Saved views, shown as tabs after the built-in ones (filter language: see the README).
[[views]]
name  = "CN to ship"
query = "country:CN ship:unfulfilled pay:paid -is:cancelled"

[[views]]
name  = "Big unpaid"
query = "pay:unpaid total>500"

# Key bindings: action = "key" or ["key", "key"]. Press ? in the desk for every action.
[keys]
quit   = ["q", "ctrl+c"]
filter = "/"

# CSV files: the desk's export (X) and orderdesk list --format csv.
[export]
bom = true                     # start with a UTF-8 byte order mark, so Excel shows 李娜, not mojibake;
                               # default: false (list --bom=false turns it off for one run)

# orderdesk serve keeps rotating backups of the database (orderdesk backup FILE
# writes one by hand). Leave the table out for none.
[backup]
every = "24h"                  # how often, like "6h" or "7d"
keep  = 7                      # how many; the oldest beyond this are removed (default 7)
dir   = "~/orderdesk-backups"  # where; default: "backups" beside the database

# orderdesk serve: the operator behind each SSH key (ssh-keygen -lf KEY.pub
# prints the fingerprint). Without an entry, the key line's comment is used.
[operators]
"SHA256:2r8pUPlEXV1uK5xb3vA1YQ9yAZ3sVbq6QfGmz4wN0cE" = "alice"
`

// minimalExample is what the missing-file message shows.
const minimalExample = `[[shops]]
name        = "main"                        # used in order refs: main:1001
platform    = "shopline"                    # fecshop, fecmall, shopline or ymcart
url         = "https://yourshop.myshopline.com"
api_version = "v20251201"
token_env   = "MAIN_SHOP_TOKEN"             # the token is read from this variable`

func missingMessage(path string, isDefault bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "no config file at %s\n", path)
	if isDefault {
		b.WriteString("(the default place: $XDG_CONFIG_HOME/orderdesk/config.toml, or ~/.config/orderdesk/config.toml;\n" +
			"use --config FILE for another one)\n")
	} else {
		b.WriteString("(given with --config)\n")
	}
	b.WriteString("\nA minimal config, one shop with its token in an environment variable:\n\n")
	for line := range strings.Lines(minimalExample) {
		b.WriteString("    " + line)
	}
	b.WriteString("\n\nThe README shows every option; or try `orderdesk --demo` to explore with simulated shops.")
	return b.String()
}
