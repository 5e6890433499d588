package mail

import (
	"net"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
)

// readerFirstConn orders the two ways a broken connection is noticed. In
// go-imap v2 beta.8 a failed write (the FETCH the sync pipelines while
// answers still arrive) closes every pending command's channel from the
// writing goroutine, while the reading goroutine may be handing an answer
// to one of them: the race detector reports it, and a send caught
// mid-close would panic the process. So once the client reads through
// this connection (follow), a failed write closes the connection and
// returns only when the client's reader has ended (or after readerGone):
// by then the reader has failed the pending commands itself and delivers
// nothing more, and the writer finds none left to fail.
//
// The reader's end is the client's Closed, not a failed Read: the reader
// still hands over the message it was parsing after its Read fails, and
// under TLS it also ends on a close_notify or a bad record without any
// Read of the connection failing.
type readerFirstConn struct {
	net.Conn
	readerDone atomic.Pointer[<-chan struct{}]
}

// readerGone bounds how long a failed write waits for the reader, which
// ends at once on a closed connection unless it waits for a command's
// reader to take an answer.
const readerGone = 2 * time.Second

func newReaderFirstConn(c net.Conn) *readerFirstConn {
	return &readerFirstConn{Conn: c}
}

// follow makes failed writes wait for c's reader. Before it (the TLS
// handshake, STARTTLS) no command can be pending and nothing waits: the
// handshake's own reads are in the writing goroutine.
func (c *readerFirstConn) follow(client *imapclient.Client) {
	c.waitFor(client.Closed())
}

// waitFor makes failed writes wait until done is closed.
func (c *readerFirstConn) waitFor(done <-chan struct{}) {
	c.readerDone.Store(&done)
}

func (c *readerFirstConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if done := c.readerDone.Load(); err != nil && done != nil {
		c.Conn.Close()
		select {
		case <-*done:
		case <-time.After(readerGone):
		}
	}
	return n, err
}
