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
	closed   chan struct{}
	readDone atomic.Bool
}

func (c *brokenConn) Write([]byte) (int, error) { return 0, errors.New("connection reset") }
func (c *brokenConn) Read([]byte) (int, error) {
	<-c.closed
	time.Sleep(20 * time.Millisecond) // the reader's last steps take time
	c.readDone.Store(true)
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
// closing the connection and seeing the read fail.
func TestFailedWriteWaitsForTheReader(t *testing.T) {
	bc := &brokenConn{closed: make(chan struct{})}
	c := newReaderFirstConn(bc)
	go func() {
		buf := make([]byte, 10)
		for {
			if _, err := c.Read(buf); err != nil {
				return
			}
		}
	}()
	if _, err := c.Write([]byte("a1 FETCH 1:* (UID)\r\n")); err == nil {
		t.Fatal("the write did not fail")
	}
	if !bc.readDone.Load() {
		t.Error("the write returned while the reader was still reading")
	}
	start := time.Now()
	if _, err := c.Write([]byte("x")); err == nil || time.Since(start) > time.Second {
		t.Errorf("a later write: %v after %v", err, time.Since(start))
	}
}
