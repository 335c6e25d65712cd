package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/query"
	"orderdesk/backend/storage"
	"orderdesk/ui"
)

// ListArgs is one `list` command.
type ListArgs struct {
	Shop   string
	Filter string
	Limit  int // 0: no limit
	Format string
	// BOM starts CSV output with a UTF-8 byte order mark, for Excel.
	BOM bool
}

// List prints cached orders, newest first. It never touches the network.
func (e *Env) List(args ListArgs) int {
	if err := checkFormat(args.Format, "table", "json", "csv"); err != nil {
		return e.Fail(err)
	}
	if args.Limit < 0 {
		return e.Fail(Usagef("--limit must be 0 (no limit) or more, not %d", args.Limit))
	}
	if args.Shop != "" {
		if !e.known(args.Shop) {
			return e.Fail(e.unknownShop(args.Shop))
		}
	}
	q, err := query.Parse(args.Filter, query.Options{Now: e.now(), Loc: e.shopLoc})
	if err != nil {
		return e.Fail(&UsageError{Msg: err.Error()})
	}
	out := bufio.NewWriterSize(e.Stdout, 1<<16)
	var sink orderSink
	switch args.Format {
	case "json":
		sink = &jsonSink{w: out}
	case "csv":
		sink = &csvSink{w: ui.NewCSVWriter(out, ui.CSVOptions{BOM: args.BOM, Loc: e.loc()})}
	default:
		sink = &tableSink{w: out, loc: e.loc()}
	}
	n := 0
	scan := storage.ScanQuery{Shop: args.Shop, Full: args.Format == "json"}
	if !q.Empty() {
		scan.Match = q.MatchOrder
	}
	err = e.Desk.Reader().Scan(scan, func(o *backend.Order, doc []byte) error {
		if err := sink.add(o, doc); err != nil {
			return err
		}
		n++
		if args.Limit > 0 && n >= args.Limit {
			return storage.ErrStop
		}
		return nil
	})
	if err == nil {
		err = sink.close()
	}
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		return e.Fail(err)
	}
	return ExitOK
}

func checkFormat(got string, allowed ...string) error {
	for _, a := range allowed {
		if got == a {
			return nil
		}
	}
	return Usagef("--format %s: want %s", backend.Quote(got), strings.Join(allowed, ", "))
}

// shopLoc is the zone of a shop's date filters: the shop's own.
func (e *Env) shopLoc(shop string) *time.Location {
	if l := e.ShopZones[shop]; l != nil {
		return l
	}
	return time.UTC
}

type orderSink interface {
	add(o *backend.Order, doc []byte) error
	close() error
}

// jsonSink writes one JSON array, streaming the stored documents; only an
// order with open edits is re-encoded to carry its pending list.
type jsonSink struct {
	w *bufio.Writer
	n int
}

func (s *jsonSink) add(o *backend.Order, doc []byte) error {
	if s.n == 0 {
		s.w.WriteString("[\n")
	} else {
		s.w.WriteString(",\n")
	}
	s.n++
	if len(o.Pending) > 0 {
		var full backend.Order
		if err := json.Unmarshal(doc, &full); err != nil {
			return fmt.Errorf("cached order %s: %w", o.Ref, err)
		}
		full.Pending = o.Pending
		b, err := json.Marshal(full)
		if err != nil {
			return err
		}
		doc = b
	}
	_, err := s.w.Write(doc)
	return err
}

func (s *jsonSink) close() error {
	if s.n == 0 {
		_, err := s.w.WriteString("[]\n")
		return err
	}
	_, err := s.w.WriteString("\n]\n")
	return err
}

// tableSink collects the orders and writes one aligned table.
type tableSink struct {
	w      io.Writer
	loc    *time.Location
	orders []*backend.Order
}

func (s *tableSink) add(o *backend.Order, _ []byte) error {
	s.orders = append(s.orders, o)
	return nil
}

func (s *tableSink) close() error { return ui.WriteTable(s.w, s.orders, s.loc) }

type csvSink struct{ w *ui.CSVWriter }

func (s *csvSink) add(o *backend.Order, _ []byte) error { return s.w.Write(o) }

func (s *csvSink) close() error { return s.w.Flush() }
