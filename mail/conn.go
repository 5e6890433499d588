package mail

import (
	"net"
	"sync"
	"time"
)

// readerFirstConn orders the two ways a broken connection is noticed. In
// go-imap v2 beta.8 a failed write (the FETCH the sync pipelines while
// answers still arrive) closes every pending command's channel from the
// writing goroutine, while the reading goroutine may be handing an answer
// to one of them: the race detector reports it, and a send caught
// mid-close would panic the process. So a failed write closes the
// connection and returns only once the reader has failed too (or after
// readerGone): by then the reader delivers nothing more, and whichever
// side closes the channels does it alone.
type readerFirstConn struct {
	net.Conn
	once    sync.Once
	readEnd chan struct{}
}

// readerGone bounds how long a failed write waits for the reader; the
// reader fails at once on a closed connection unless it is blocked on a
// command nobody reads yet, the one being written.
const readerGone = 2 * time.Second

func newReaderFirstConn(c net.Conn) *readerFirstConn {
	return &readerFirstConn{Conn: c, readEnd: make(chan struct{})}
}

func (c *readerFirstConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if err != nil {
		c.once.Do(func() { close(c.readEnd) })
	}
	return n, err
}

func (c *readerFirstConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if err != nil {
		c.Conn.Close()
		select {
		case <-c.readEnd:
		case <-time.After(readerGone):
		}
	}
	return n, err
}
