// Package desk is the order desk's terminal UI: one root Bubble Tea model
// that routes, with small components beside it (the virtual order table,
// the detail pane of package detail, the forms of package form).
//
// House rules, which every file here keeps:
//   - No I/O in Update: the store, the shops, the clock and files are
//     touched only inside tea.Cmds (commands.go, filecommands.go), which
//     copy what they need before they start and report back with a
//     message; they never touch the model.
//   - Time arrives in messages: Update and View never read the clock
//     (Config.Now); they use m.now, the latest time a message brought
//     (the tick every 15 s, a sync event, a health or sync result; New
//     starts it). So an age, an ETA or a date filter is at most a tick
//     old, and the same messages give the same screen.
//   - No package-level mutable state: a Model is one session (the SSH
//     server runs many in one process).
//   - Results of background work carry the generation they were started
//     for; a result for an older filter, view, sort or order is dropped.
//   - Only visible rows are rendered, and row renderings are cached.
package desk

import (
	"context"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/query"
	"orderdesk/keymap"
	"orderdesk/ui"
	"orderdesk/ui/theme"
)

// Config is what a session needs from the process that starts it.
type Config struct {
	Desk      *engine.Desk
	Loc       *time.Location            // the operator's zone
	ShopZones map[string]*time.Location // each shop's zone (date filters)
	Operator  string                    // who the audit log names
	Keys      keymap.KeyMap
	Views     []View // saved views from config, after the built-in ones
	Offline   bool   // never talk to the shops
	Now       func() time.Time
	// SyncEvery is how often each shop is synced in the background (0:
	// 5 minutes; negative: only on demand). A shop whose sync fails is
	// retried with a growing back-off instead.
	SyncEvery time.Duration
	// SyncOnStart syncs every shop as soon as the desk opens.
	SyncOnStart bool
	// Dark is the theme before the terminal answers the background query.
	Dark bool
	// ExportBOM starts exported CSV files with a UTF-8 byte order mark, for
	// spreadsheets that guess the encoding otherwise (config [export] bom).
	ExportBOM bool
	// Work bounds what the session starts on the shops (syncs, sends,
	// refreshes). The SSH server gives every session its own lifetime, so
	// an edit sent as the operator disconnects still finishes; nil means
	// the session's own context.
	Work context.Context
}

// ClosingMsg tells a session that it is being closed from outside (the
// server shuts down, the operator was idle too long): the desk shows Text
// for a moment, then quits. Edits already saved are kept.
type ClosingMsg struct{ Text string }

// View is one tab: a name and a filter query.
type View struct {
	Name  string
	Query string
	// Short is the name when the tab bar is short of room ("" : the name
	// cut to a few columns).
	Short string
}

// BuiltinViews are the tabs every desk has.
var BuiltinViews = []View{
	{"All", "", ""},
	{"To ship", "pay:paid ship:unfulfilled,partial -is:cancelled", "Ship"},
	{"Unpaid", "pay:unpaid,pending -is:cancelled", ""},
	{"Shipped", "ship:fulfilled,delivered", "Sent"},
	{"Cancelled", "is:cancelled", "Canc."},
	{"Needs attention", "is:attention", "Attn"},
}

// focus says which part of the screen takes keys.
type focus uint8

const (
	focusList focus = iota
	focusFilter
	focusDetail
	focusModal
	focusHelp
)

// Model is one desk session.
type Model struct {
	cfg    Config
	ctx    context.Context
	cancel context.CancelFunc
	keys   keymap.KeyMap
	styles theme.Styles
	feed   *engine.Feed // the desk's events: this session's and every other's
	now    time.Time    // the latest time a message brought (see the house rules); never read the clock for it

	width, height int
	focus         focus
	zoom          bool // detail pane full screen

	// data
	data    *dataset
	loading bool
	loadErr error

	// the list
	tabs      []tab
	tab       int
	filter    textinput.Model
	filterQ   *query.Query // last valid filter
	filterErr *query.Error
	sortCol   int // index into columns; -1 = created (scan order)
	sortDesc  bool
	gen       int     // bumps when what the list shows must be recomputed
	rows      []int32 // visible rows: indices into data.orders
	rowsGen   int
	rowsKey   rowsKey // what rows were computed for
	recent    recentRows
	cursor    int
	offset    int
	cursorRef backend.Ref
	marked    map[backend.Ref]bool
	table     tableCache

	// the detail pane
	detail detailPane

	// the open flow (a box over the list), and the import, which goes on
	// in the background when its box is hidden
	flow       flow
	flowSeq    int
	imp        *importFlow
	importPath string // the last file imported, offered again
	boxX, boxY int    // where the open box was last drawn, for its cursor

	// at most one health load in flight; events meanwhile ask for one more
	// (a 500-row import would otherwise read the outbox once per event)
	healthLoading, healthAgain bool

	// orders re-read after a change wait here for the next snapshot
	queued     []*backend.Order
	rebuilding bool

	// status bar
	shops   []shopHealth
	syncing int // shops whose sync is running
	flash   flash
	help    bool
	// helpOffset is the first line of the help screen shown (it scrolls)
	helpOffset int

	startedSync bool
	quitting    bool
}

// tab is one view and its count (with the filter applied).
type tab struct {
	View
	q     *query.Query
	count int // -1 until counted
}

// New builds a session. The model loads its orders in the background:
// the first rows show as soon as the first chunk of the cache is read.
func New(ctx context.Context, cfg Config) *Model {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Loc == nil {
		cfg.Loc = time.Local
	}
	if cfg.SyncEvery == 0 {
		cfg.SyncEvery = 5 * time.Minute
	}
	ctx, cancel := context.WithCancel(ctx)
	m := &Model{
		cfg: cfg, ctx: ctx, cancel: cancel, keys: cfg.Keys,
		styles:  theme.New(cfg.Dark),
		feed:    cfg.Desk.Subscribe(),
		loading: true,
		sortCol: -1, sortDesc: true,
		marked: map[backend.Ref]bool{},
		data:   emptyDataset(),
	}
	m.filter = newFilterInput(m.styles)
	m.now = cfg.Now() // the one reading outside a command: where the session's time starts
	for _, v := range append(append([]View{}, BuiltinViews...), cfg.Views...) {
		q, err := query.Parse(v.Query, query.Options{Now: m.now})
		if err != nil {
			continue // config validated saved views already; a built-in never fails
		}
		m.tabs = append(m.tabs, tab{View: v, q: q, count: -1})
	}
	for _, s := range cfg.Desk.Shops() {
		m.shops = append(m.shops, shopHealth{name: s.Name(), platform: s.Platform(), pass: ui.NewPass(s.Name(), backend.RequestRate(s))})
	}
	return m
}

// Init starts loading the cache, asks the terminal for its background,
// and listens for background progress.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{
		tea.RequestBackgroundColor,
		loadOrders(m.ctx, m.cfg.Desk.Reader(), m.shopLoc()),
		m.refreshHealth(),
		waitEvent(m.ctx, m.feed, m.cfg.Now),
		tickEvery(m.cfg.Now),
	}
	return tea.Batch(cmds...)
}

// at moves the session's time (m.now) to t, a time a message brought; a
// zero t (a message that carries none), or one before m.now (messages
// from several goroutines), leaves it.
func (m *Model) at(t time.Time) {
	if t.After(m.now) {
		m.now = t
	}
}

// work is the context of what the session starts on the shops.
func (m *Model) work() context.Context {
	if m.cfg.Work != nil {
		return m.cfg.Work
	}
	return m.ctx
}

// Close cancels the session's background work (in-flight sends end as
// `unknown` and are settled by read-back on the next start) and leaves
// the desk's feed.
func (m *Model) Close() {
	m.cancel()
	m.feed.Close()
}

// OpenEdits is how many edits the outbox still holds, for the message
// printed after the program ends.
func (m *Model) OpenEdits() int {
	n := 0
	for _, s := range m.shops {
		n += s.open
	}
	return n
}

func (m *Model) shopNames() []string {
	out := make([]string, len(m.shops))
	for i, s := range m.shops {
		out[i] = s.name
	}
	return out
}

// shopLoc returns each shop's zone for date filters (UTC when unknown).
func (m *Model) shopLoc() func(string) *time.Location {
	zones := m.cfg.ShopZones
	return func(shop string) *time.Location {
		if z := zones[shop]; z != nil {
			return z
		}
		return time.UTC
	}
}
