package mail

import (
	"errors"
	"net"
	"sync/atomic"
	"testing"
	"time"
)

// brokenConn is a connection whose writes fail and whose reads block
// until it is closed, like a TCP connection the peer has reset.
type brokenConn struct {
	net.Conn
	closed    chan struct{}
	lastSteps atomic.Bool // for the test's reader
}

func (c *brokenConn) Write([]byte) (int, error) { return 0, errors.New("connection reset") }
func (c *brokenConn) Read([]byte) (int, error) {
	<-c.closed
	return 0, net.ErrClosed
}
func (c *brokenConn) Close() error {
	select {
	case <-c.closed:
	default:
		close(c.closed)
	}
	return nil
}

// TestFailedWriteWaitsForTheReader: go-imap's writer must not report a
// broken connection (and close the commands' channels) while its reader
// may still deliver an answer; the write returns its error only after
// closing the connection and seeing the reader end.
func TestFailedWriteWaitsForTheReader(t *testing.T) {
	bc := &brokenConn{closed: make(chan struct{})}
	c := newReaderFirstConn(bc)
	readerEnd := make(chan struct{})
	c.waitFor(readerEnd)
	go func() {
		defer close(readerEnd)
		buf := make([]byte, 10)
		for {
			if _, err := c.Read(buf); err != nil {
				// The reader's last steps (handing over the message it
				// was parsing) come after its read has failed.
				time.Sleep(20 * time.Millisecond)
				bc.lastSteps.Store(true)
				return
			}
		}
	}()
	if _, err := c.Write([]byte("a1 FETCH 1:* (UID)\r\n")); err == nil {
		t.Fatal("the write did not fail")
	}
	if !bc.lastSteps.Load() {
		t.Error("the write returned while the reader was still at work")
	}
	start := time.Now()
	if _, err := c.Write([]byte("x")); err == nil || time.Since(start) > time.Second {
		t.Errorf("a later write: %v after %v", err, time.Since(start))
	}
}

// TestFailedWriteBeforeTheClient: a write failing before go-imap reads
// the connection (a TLS handshake's) returns at once, without waiting for
// a reader that does not exist, and leaves the connection to its owner.
func TestFailedWriteBeforeTheClient(t *testing.T) {
	bc := &brokenConn{closed: make(chan struct{})}
	c := newReaderFirstConn(bc)
	start := time.Now()
	if _, err := c.Write([]byte("hello")); err == nil || time.Since(start) > time.Second {
		t.Errorf("the write: %v after %v", err, time.Since(start))
	}
	select {
	case <-bc.closed:
		t.Error("the write closed the connection")
	default:
	}
}
