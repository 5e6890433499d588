package mail

import "testing"

func TestLiteralBuffersAreRecycledBySize(t *testing.T) {
	for _, n := range []int{0, 1, 1024, 1025, 6000, 1 << 20} {
		b := newLiteral(n)
		if len(b) != n {
			t.Fatalf("newLiteral(%d) has length %d", n, len(b))
		}
		if c := literalClass(n); cap(b) != 1<<c {
			t.Fatalf("newLiteral(%d) has capacity %d, want %d", n, cap(b), 1<<c)
		}
	}
	if b := newLiteral(1<<20 + 1); cap(b) != 1<<20+1 {
		t.Fatalf("a literal over 1 MiB is not pooled, capacity %d", cap(b))
	}
	// A buffer of a foreign capacity is not taken: handing it out for
	// a literal of its class would be too small.
	freeLiteral(make([]byte, 10, 3000))
	for range 100 {
		if c := newLiteral(4000); cap(c) != 4096 {
			t.Fatalf("newLiteral(4000) has capacity %d", cap(c))
		}
	}
	// A buffer given back is handed out again for the same class, at the
	// length asked for.
	b := newLiteral(5000)
	freeLiteral(b)
	for range 100 { // sync.Pool may drop an item; it rarely drops all
		c := newLiteral(4100)
		if len(c) != 4100 || cap(c) != 8192 {
			t.Fatalf("length %d capacity %d", len(c), cap(c))
		}
		if &c[0] == &b[0] {
			return
		}
		freeLiteral(c)
	}
	t.Log("the pool never returned the freed buffer (allowed by sync.Pool)")
}
