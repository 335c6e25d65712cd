package app

// What `orderdesk COMMAND --help` says about each command besides its
// flags (help.go prints it).

// commandDoc is what a command's help says besides its flags, which come
// from the command's own flag set.
type commandDoc struct {
	summary  string   // one line in the global usage
	about    string   // what it does, a few sentences
	exits    string   // its exit codes, where they matter
	examples []string // command lines, with an optional "  # comment"
}

// commandOrder is the order of the global usage: every command of
// commands but the hidden ones, each with a commandDocs entry (a test
// holds them together).
var commandOrder = []string{"sync", "list", "show", "fetch", "status", "ship", "remark", "pending", "import-tracking", "backup", "serve", "doctor", "salvage", "completion"}

// editExits are the exit codes of status, ship and remark.
const editExits = `0  the shop confirmed the change
1  the shop rejected it (the reason is printed), or the order changed on the
   shop since it was cached (conflict); the edit waits in orderdesk pending.
   Also when the desk could not record what happened (a full disk): the
   message says whether the shop has the change; the next sync reads it back
2  usage or validation error: nothing was saved
3  saved in the outbox but not yet confirmed (offline, shop unreachable or
   busy); orderdesk sync (or the desk) sends it`

const refNote = "REF is SHOP:NUMBER (eu-store:100000123), or NUMBER alone when no other shop has that number."

var commandDocs = map[string]commandDoc{
	"salvage":    salvageDoc,
	"doctor":     doctorDoc,
	"completion": completionDoc,
	"sync": {
		summary: "fetch new and changed orders, then send the pending edits",
		about: "Fetches each shop's new and changed orders into the local database (the first sync of a shop " +
			"fetches everything its history allows), then sends the edits waiting in the outbox. " +
			"Progress goes to stderr: in a terminal a live bar per shop (orders of the shop's total, pages, time left at its " +
			"request rate; a spinner and \"ETA unknown\" where the platform reports no total, as Fecmall), otherwise a line per " +
			"shop at its first page, every 10 s while it runs and at its end; then a summary line. One line per shop goes to stdout. A shop that leaves a call unanswered is named after 10 s " +
			"(\"no answer for 10 s, still trying\") and given up on after its timeout (60 s unless the config's timeout says " +
			"otherwise): \"no answer in 60 s — unreachable\". It talks to the shops, so it cannot run with --offline.",
		exits: `0  every shop synced and every edit was confirmed
1  a shop failed (or did not answer in time), or this run left an edit
   failed or in conflict
   (orderdesk pending shows them)
3  every shop synced, but some edits are not confirmed yet`,
		examples: []string{
			"orderdesk sync",
			"orderdesk sync --shop eu-store --shop sl   # these two shops only",
		},
	},
	"list": {
		summary: "print cached orders as a table, JSON or CSV",
		about: "Prints the orders in the local database, newest first; it never contacts the shops (orderdesk sync " +
			"fetches). --filter takes the language of / in the desk (orderdesk help filter). " +
			"In the table, times are in the display zone (the config's timezone) and ORDER ends in * when " +
			"the order is archived on the shop (cancelled* = cancelled and archived). " +
			"--format json prints the orders with every field (orderdesk help json); --format csv prints one row per " +
			"order for spreadsheets, times in RFC 3339 with the display zone's offset (2026-11-30T18:04:05+08:00).",
		examples: []string{
			"orderdesk list --filter 'pay:paid ship:unfulfilled -is:cancelled'",
			"orderdesk list --shop sl --limit 20",
			"orderdesk list --format csv --bom > orders.csv   # for Excel",
			"orderdesk list --format json --filter is:attention",
		},
	},
	"show": {
		summary: "print one order",
		about: "Prints one cached order: customer, items, addresses, totals, shipments, remarks and the edits " +
			"not yet confirmed by the shop. It never contacts the shop. " + refNote,
		examples: []string{
			"orderdesk show eu-store:100000123",
			"orderdesk show 1001 --format json",
		},
	},
	"fetch": {
		summary: "fetch orders from their shops by ref, now",
		about: "Reads each order from its shop and stores it in the local database: an order older than the " +
			"shop's history (the config's history; syncs do not reach back further), or one to refresh " +
			"without a whole sync. Prints one line per order. REF is SHOP:NUMBER; a NUMBER alone only for an " +
			"order already cached. It talks to the shops, so it cannot run with --offline.",
		exits: `0  every order was fetched
1  an order could not be fetched (the line names it and why)`,
		examples: []string{
			"orderdesk fetch eu-store:100000123",
			"orderdesk fetch sl:1001 sl:1002 && orderdesk show sl:1001",
		},
	},
	"status": {
		summary: "set an order's status on its shop",
		about: "Sets the order's status to VALUE, one of the values its platform accepts (an unknown VALUE is " +
			"refused with the list). The edit is saved in the outbox, then sent to the shop; when the shop cannot " +
			"be reached it stays queued and a later sync sends it. A change that reaches the customer or cannot " +
			"be undone (cancel, void, refund, archive) asks first on a terminal; a script must say --yes, or " +
			"nothing is saved (exit 2). " + refNote,
		exits: editExits,
		examples: []string{
			"orderdesk status ym:100123 200",
			"orderdesk status sl:1001 cancel --yes   # irreversible: a script must confirm",
		},
	},
	"ship": {
		summary: "record a shipment (carrier and tracking number) on the shop",
		about: "Marks the order shipped with a carrier and tracking number. The number is checked against the " +
			"carrier's format and against the other cached orders (a warning, never a refusal: it asks on a " +
			"terminal). Whether the customer is emailed depends on the platform: YMCart always emails, " +
			"SHOPLINE only with --notify; when an email goes out a script must say --yes. " + refNote,
		exits: editExits,
		examples: []string{
			"orderdesk ship eu-store:100000123 --carrier UPS --tracking 1Z999AA10123456784",
			"orderdesk ship sl:1001 --carrier 'SF Express' --tracking SF1234567890 --yes",
			"orderdesk ship sl:1002 --carrier DHL --tracking 1234567890 --notify --yes",
		},
	},
	"remark": {
		summary: "add a remark to an order",
		about: "Adds TEXT (the rest of the command line) as an internal remark on the order, on the shop " +
			"(SHOPLINE and YMCart: Fecshop's API has no remarks, Fecmall's is read-only). " + refNote,
		exits: editExits,
		examples: []string{
			"orderdesk remark eu-store:100000123 'customer called: leave at the door'",
		},
	},
	"pending": {
		summary: "the outbox: edits not yet confirmed; retry or discard a stuck one",
		about: "Lists the edits not yet confirmed by the shops, with their state (queued, sending, unknown, " +
			"failed, conflict) and why. A failed or conflicting edit waits until the operator clears it: " +
			"'pending retry ID' decides the edit again on the shop's current order and sends it (for a conflict " +
			"it first shows what you saw beside what the shop has now); 'pending discard ID' drops it: it is " +
			"never sent, and stays in the audit log and the order's history (orderdesk show). " +
			"Discard asks on a terminal; a script must say --yes.",
		exits: `0  done (listed, retried and confirmed by the shop, or discarded)
1  the retried edit was rejected again or is in conflict again
2  usage error, no such edit, or an edit whose state allows no retry or
   discard; nothing changed
3  the retried edit is saved but not yet confirmed (offline, shop unreachable)`,
		examples: []string{
			"orderdesk pending",
			"orderdesk pending retry E3",
			"orderdesk pending discard E3 --yes",
		},
	},
	"import-tracking": {
		summary: "ship many orders from a spreadsheet of tracking numbers",
		about: "Reads a CSV file with order, carrier and tracking columns (headers in English or Chinese; " +
			"comma, semicolon or tab; UTF-8, GB18030 or UTF-16), checks every row against the cached orders, " +
			"prints the plan (one line per row, with the reason for each rejected row) and, unless --dry-run, " +
			"saves the accepted rows as shipments and sends them. Running the same file again finishes what an " +
			"outage left queued and applies nothing twice. FILE must be a regular file of at most 16 MB, " +
			"20,000 rows and 64 KB a line; a row whose carrier, tracking number or URL is longer than the desk " +
			"accepts (100, 64 and 2048 characters) is rejected.",
		exits: `0  every row is shipped or was already
1  some rows were rejected (by the plan or by the shop)
2  the file or the command line is wrong (not a regular file, too large,
   unreadable): nothing saved
3  nothing rejected, but some rows are queued (a shop offline)`,
		examples: []string{
			"orderdesk import-tracking tracking.csv --dry-run",
			"orderdesk import-tracking tracking.csv --yes",
		},
	},
	"backup": {
		summary: "write a consistent copy of the database while it is in use",
		about: "Copies the database to FILE in one read transaction, so the copy is consistent even while a sync " +
			"or an edit writes: every cached order and every edit in the outbox, sent or not. The copy is written " +
			"to a temporary file beside FILE, flushed to the disk and then renamed, so FILE is never half written; " +
			"it is private (mode 0600). An existing FILE is refused unless --force. When a desk or orderdesk serve " +
			"holds the database, the copy is made by that process. To restore: orderdesk --db FILE opens a backup " +
			"directly; to make it the database, stop the desk (and serve) and copy it over the database file. " +
			"orderdesk serve can also keep rotating backups: the config's [backup] table (orderdesk help config).",
		exits: `0  the copy was written
1  it could not be written (the message says why: a full disk, a directory
   that does not exist); FILE is as it was
2  FILE exists and --force was not given: FILE is untouched`,
		examples: []string{
			"orderdesk backup ~/orderdesk-$(date +%F).db",
			"orderdesk --db ~/orderdesk-2026-12-01.db list   # look into a backup",
		},
	},
	"serve": {
		summary: "the desk over SSH, for a team sharing one database",
		about: "Runs an SSH server: each operator whose public key is in the authorized keys file gets their " +
			"own desk on the shared database, outbox and sync. Edits are recorded under the operator's name " +
			"from the config's [operators] table, else the key's comment. The authorized keys file and its " +
			"directory must be owned by root or the server's user and writable by nobody else, or the server " +
			"refuses to start (exit 2); a key taken out of the file ends its sessions. The host key is created " +
			"on first start. Stops cleanly on SIGTERM or Ctrl-C, finishing edits being sent.",
		examples: []string{
			"orderdesk serve --listen 0.0.0.0:2222",
			"ssh -p 2222 desk.example.com   # from an operator's machine",
		},
	},
}

// salvageDoc is salvage's entry of commandDocs.
var salvageDoc = commandDoc{
	summary: "copy what can be read from a damaged database into a new one",
	about: "Reads the database (--db, else the default one) page by page without trusting it and copies every " +
		"order, edit and audit line it can read into NEW.db, a file that must not exist yet; the damaged file " +
		"is only read. Records the file's index no longer reaches are found by scanning every page. It prints " +
		"what was copied and what was lost. The sync cursors are copied only when nothing was lost, so a later " +
		"sync fetches every order again after a loss. Then check NEW.db and put it in place of the damaged file " +
		"(keep that one aside), or use --db NEW.db. Restoring a backup, where you have one, loses nothing.",
	exits: `0  NEW.db was written (what was lost, if anything, is printed)
1  NEW.db could not be written
2  usage error: NEW.db exists, or no database to read; nothing written`,
	examples: []string{
		"orderdesk salvage ~/orderdesk-saved.db",
		"orderdesk salvage new.db --db /srv/desk/orderdesk.db",
	},
}

// doctorDoc is doctor's entry of commandDocs.
var doctorDoc = commandDoc{
	summary: "check each shop's connection and login, and this machine",
	about: "For each shop (config order, all at once, at most 10 s each), one line naming it with its verdict and, " +
		"when something is wrong, the cause and what to do; under it a line per check: name resolution, " +
		"connection, TLS (certificate valid, and for how long; plain http is fine to this machine and a warning " +
		"to another), authentication (Fecshop logs in, which gives the user a new session token: a desk running " +
		"elsewhere as the same user logs in again on its next call; the other platforms' tokens; a SHOPLINE token's expiry, a warning within 14 days), the API version (SHOPLINE), read access (one list call), which writes the platform " +
		"allows, the rate limit the shop reports and the desk's own pace, the clock difference from the shop's " +
		"Date header (a warning above 2 minutes), and the order count where the list reports it. Then this " +
		"machine: the config file (and whether a secret written in it is readable by others), the database " +
		"(size; whether another process has it open; Verify, read-only, when none has), and the free disk space. " +
		"Where each secret comes from is shown, never its value. It sends no write to any shop. A secret that " +
		"cannot be obtained fails its shop's line and the others are still checked. --format json prints the " +
		"same findings for scripts: {ok, shops: [{shop, platform, url, status, cause, checks}], local: [checks]}, " +
		"each check {id, name, status (ok, warn, fail, skipped), detail, hint}.",
	exits: `0  every shop works and this machine is fine (warnings allowed)
1  a shop or a local check failed (its line says why)
2  usage error: an unknown --shop or --format`,
	examples: []string{
		"orderdesk doctor",
		"orderdesk doctor --shop sl --format json",
		"orderdesk doctor --demo   # the built-in simulated shops",
	},
}

// deskDoc is the help of `orderdesk` without a command.
var deskDoc = commandDoc{
	about: "Opens the desk: every shop's orders in tabs (All, To ship, Unpaid, Shipped, Cancelled, Needs " +
		"attention, and the config's [[views]]), a filter (/), the order's detail, and keys to set a status, " +
		"ship, add a remark, import tracking numbers and export the view to CSV (orderdesk help keys). " +
		"It syncs when it opens and every few minutes. Without a terminal (orderdesk > file) it prints the " +
		"orders as orderdesk list does. --demo opens it on simulated shops of all four platforms, with no " +
		"config and no network.",
	examples: []string{
		"orderdesk",
		"orderdesk --demo",
		"orderdesk --demo --demo-orders 500 --demo-latency 2s   # slow shops",
		"orderdesk --offline   # work from the cache; edits wait for the next sync",
	},
}
