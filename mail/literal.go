package mail

import (
	"io"
	"math/bits"
	"sync"

	"github.com/emersion/go-imap/v2"
)

// An initial sync reads every message twice, its header fields and then
// its body, each into a buffer of the literal's size: for 50,000 messages
// that is more than 300 MB of buffers that live only until the message is
// parsed, a third of what the sync allocates, and so a third of its
// garbage collections. The buffers are therefore recycled through pools
// by power-of-two size. Only code that knows a buffer is dead (nothing
// parsed from it keeps a reference: msgparse copies what it keeps) gives
// it back; a buffer never given back is simply collected.

const (
	minLiteralClass = 10 // 1 KiB
	maxLiteralClass = 20 // 1 MiB
)

// literalPools holds, for each size class c, buffers of capacity 1<<c.
var literalPools [maxLiteralClass + 1]sync.Pool

// literalClass is the smallest class whose buffers hold n bytes, or -1
// when n is too big to pool.
func literalClass(n int) int {
	if n <= 1<<minLiteralClass {
		return minLiteralClass
	}
	c := bits.Len(uint(n - 1))
	if c > maxLiteralClass {
		return -1
	}
	return c
}

// newLiteral returns a buffer of length n, recycled when one is free.
func newLiteral(n int) []byte {
	c := literalClass(n)
	if c < 0 {
		return make([]byte, n)
	}
	if p, ok := literalPools[c].Get().(*[]byte); ok {
		return (*p)[:n]
	}
	return make([]byte, n, 1<<c)
}

// freeLiteral gives back a buffer newLiteral made, once nothing refers to
// it any more. Buffers of other capacities are left to the collector.
func freeLiteral(b []byte) {
	c := literalClass(cap(b))
	if c < 0 || cap(b) != 1<<c {
		return
	}
	b = b[:0]
	literalPools[c].Put(&b)
}

// readLiteral reads a literal whole into a buffer of its size.
func readLiteral(lit imap.LiteralReader) ([]byte, error) {
	size := lit.Size()
	if size < 0 || size > maxLiteral {
		return io.ReadAll(lit)
	}
	b := newLiteral(int(size))
	n, err := io.ReadFull(lit, b)
	return b[:n], err
}

// maxLiteral bounds what readLiteral allocates up front on a server's
// word; a bigger literal is read as it comes.
const maxLiteral = 64 << 20
