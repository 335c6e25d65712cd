package cache

import (
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"orderdesk/backend"
)

// Bucket names; see the package doc for what each holds.
const (
	bMeta       = "meta"
	bOrders     = "orders"
	bRaw        = "raw"
	bRows       = "rows"
	bCreated    = "created"
	bByNumber   = "by_number"
	bByTracking = "by_tracking"
	bOpen       = "open_by_created"
	bEdits      = "edits"
	bEditsByRef = "edits_by_ref"
	bEditsOpen  = "edits_open"
	bAudit      = "audit"
	bAuditByRef = "audit_by_ref"
	bCursors    = "cursors"
	schemaKey   = "schema"
)

// bucketNames lists every bucket, in the order tables holds them.
func bucketNames() []string {
	return []string{bMeta, bOrders, bRaw, bRows, bCreated, bByNumber, bByTracking, bOpen,
		bEdits, bEditsByRef, bEditsOpen, bAudit, bAuditByRef, bCursors}
}

const ckeyLen = 13 // flag byte + 8 bytes seconds + 4 bytes nanoseconds

// refKey is the key of an order in the orders, raw and created buckets.
func refKey(r backend.Ref) []byte { return []byte(r.Shop + ":" + r.Number) }

// shopPrefix is the prefix every refKey of the shop starts with.
func shopPrefix(shop string) []byte { return []byte(shop + ":") }

// parseRefKey reads a refKey back.
func parseRefKey(k []byte) backend.Ref {
	shop, num, _ := strings.Cut(string(k), ":")
	return backend.Ref{Shop: shop, Number: num}
}

// createdKey sorts newest first, orders without a created time last.
func createdKey(t *time.Time) [ckeyLen]byte {
	var k [ckeyLen]byte
	if t == nil {
		k[0] = 1
		return k
	}
	binary.BigEndian.PutUint64(k[1:9], ^(uint64(t.Unix()) ^ 1<<63))
	binary.BigEndian.PutUint32(k[9:13], ^uint32(t.Nanosecond()))
	return k
}

// rowKey is the key of an order's slim row.
func rowKey(ck [ckeyLen]byte, ref []byte) []byte {
	k := make([]byte, 0, ckeyLen+len(ref))
	return append(append(k, ck[:]...), ref...)
}

// ascTime is a time as 12 bytes that sort ascending.
func ascTime(dst []byte, t time.Time) []byte {
	dst = binary.BigEndian.AppendUint64(dst, uint64(t.Unix())^1<<63)
	return binary.BigEndian.AppendUint32(dst, uint32(t.Nanosecond()))
}

func readAscTime(b []byte) time.Time {
	sec := int64(binary.BigEndian.Uint64(b[:8]) ^ 1<<63)
	return time.Unix(sec, int64(binary.BigEndian.Uint32(b[8:12]))).UTC()
}

// bareNumber is an order number as the by_number index files it.
func bareNumber(n string) string { return strings.TrimPrefix(n, "#") }

// seqKey is a sequence number as a key.
func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// joinKey is a + NUL + b.
func joinKey(a string, b []byte) []byte {
	k := make([]byte, 0, len(a)+1+len(b))
	return append(append(append(k, a...), 0), b...)
}

// indexKeys are the secondary index entries of one stored order.
type indexKeys struct {
	number   []byte   // by_number
	tracking [][]byte // by_tracking
	open     []byte   // open_by_created, nil when not open or no created_at
}

// indexKeysOf derives the index entries of o. Both a new copy and the
// stored copy (decoded from its row) go through here, so what is deleted on
// replacement is exactly what was written.
func indexKeysOf(o *backend.Order) indexKeys {
	ref := refKey(o.Ref)
	ik := indexKeys{number: joinKey(bareNumber(o.Ref.Number), ref)}
	for _, sh := range o.Shipments {
		if t := backend.TrackingKey(sh.TrackingNumber); t != "" {
			ik.tracking = append(ik.tracking, joinKey(t, ref))
		}
	}
	if o.CreatedAt != nil && isOpen(o.State.Order) {
		k := ascTime([]byte(o.Ref.Shop+":"), *o.CreatedAt)
		ik.open = append(k, o.Ref.Number...)
	}
	return ik
}

// isOpen is OldestOpen's notion: neither cancelled nor completed.
func isOpen(s backend.OrderState) bool {
	return s != backend.OrderCancelled && s != backend.OrderCompleted
}

// validName checks a shop name or order number for the characters keys
// cannot hold.
func validName(what, s string, colonOK bool) error {
	switch {
	case s == "":
		return fmt.Errorf("empty %s", what)
	case strings.IndexByte(s, 0) >= 0:
		return fmt.Errorf("%s %q contains a NUL byte", what, s)
	case !colonOK && strings.IndexByte(s, ':') >= 0:
		return fmt.Errorf("%s %q contains ':'", what, s)
	}
	return nil
}
