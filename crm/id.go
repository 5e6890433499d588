package crm

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sync"
	"time"
)

// ID identifies a record. IDs are 24 lowercase hex digits: 48 bits of
// milliseconds since the Unix epoch, then 48 bits that are random for the
// first ID of a millisecond and counted up after it. They therefore sort by
// creation time as plain strings, which the store relies on to keep the
// activity log in order without a secondary index.
type ID string

// IDGen hands out time-ordered IDs. It is safe for concurrent use; the zero
// value is not usable, call NewIDGen.
type IDGen struct {
	mu    sync.Mutex
	clock Clock
	lastT uint64
	seq   uint64
}

// NewIDGen returns a generator that takes its time from clock.
func NewIDGen(clock Clock) *IDGen { return &IDGen{clock: clock} }

// New returns an ID greater than every ID this generator returned before,
// even when the clock stands still or steps back.
func (g *IDGen) New() ID {
	g.mu.Lock()
	defer g.mu.Unlock()
	ms := uint64(g.clock.Now().UnixMilli())
	if ms <= g.lastT {
		ms = g.lastT
		g.seq++
	} else {
		var b [8]byte
		_, _ = rand.Read(b[2:])
		// Keep the top bit clear so the counter has room to grow.
		g.seq = binary.BigEndian.Uint64(b[:]) & 0x7fff_ffff_ffff
	}
	g.lastT = ms
	var out [12]byte
	binary.BigEndian.PutUint16(out[0:2], uint16(ms>>32))
	binary.BigEndian.PutUint32(out[2:6], uint32(ms))
	binary.BigEndian.PutUint16(out[6:8], uint16(g.seq>>32))
	binary.BigEndian.PutUint32(out[8:12], uint32(g.seq))
	return ID(hex.EncodeToString(out[:]))
}

// Time returns the creation time encoded in id, or the zero time when id
// was not made by an IDGen.
func (id ID) Time() time.Time {
	if len(id) != 24 {
		return time.Time{}
	}
	b, err := hex.DecodeString(string(id[:12]))
	if err != nil {
		return time.Time{}
	}
	ms := uint64(b[0])<<40 | uint64(b[1])<<32 | uint64(binary.BigEndian.Uint32(b[2:6]))
	return time.UnixMilli(int64(ms))
}

// Clock tells the time. The service takes one so that tests and the demo
// can fix "now" and views can print "3d ago" deterministically.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns time.Now.
func (SystemClock) Now() time.Time { return time.Now() }

// FixedClock is a Clock that always says T. Tests and goldens use it.
type FixedClock struct{ T time.Time }

// Now returns c.T.
func (c FixedClock) Now() time.Time { return c.T }
