package mail

import (
	"bufio"
	"io"
	"net"
	"sync"
	"testing"
)

// tcpProxy forwards loopback TCP connections to a server and can pass the
// lines going either way through a function, so tests watch what a real
// client sends or break what a real server answers without changing
// either; drop severs its connections as a network outage would.
type tcpProxy struct {
	addr string

	mu     sync.Mutex
	conns  []net.Conn
	closed bool
}

// newTCPProxy listens on a loopback port (p.addr) and connects each
// client to target. toServer and toClient, when set, are called with each
// line going that way (LF included; the last may lack it) and return what
// is forwarded instead; nil forwards the bytes as they come. The test's
// cleanup closes the listener and every connection and waits for the
// copying to end.
func newTCPProxy(t testing.TB, target string, toServer, toClient func(line string) string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{addr: ln.Addr().String()}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		p.closed = true
		p.mu.Unlock()
		p.drop()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			if p.closed {
				p.mu.Unlock()
				c.Close()
				s.Close()
				return
			}
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			wg.Add(2)
			go func() { defer wg.Done(); forward(s, c, toServer) }()
			go func() { defer wg.Done(); forward(c, s, toClient) }()
		}
	}()
	return p
}

// forward copies src to dst, line by line through edit when it is set,
// and closes dst when src ends or dst fails, so the other side sees the
// connection end.
func forward(dst, src net.Conn, edit func(line string) string) {
	defer dst.Close()
	if edit == nil {
		_, _ = io.Copy(dst, src)
		return
	}
	r := bufio.NewReader(src)
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			if _, werr := io.WriteString(dst, edit(line)); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// drop severs every connection, as a network change or a server restart
// does; new connections are forwarded as before.
func (p *tcpProxy) drop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}
