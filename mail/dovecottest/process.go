package dovecottest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// waitReady waits until the plain listener greets with Dovecot's "ready"
// (a first greeting may say it is still waiting for auth), or the master
// exits, or the timeout passes.
func (s *Server) waitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			if strings.Contains(s.LogTail(50)+s.stderr.String(), "Address already in use") {
				return errAddrInUse
			}
			return fmt.Errorf("dovecot exited at start: %s", strings.TrimSpace(s.stderr.String()))
		default:
		}
		if greeted(s.Addr, time.Until(deadline)) {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("dovecot not ready on %s after %v", s.Addr, timeout)
}

// greeted reports whether addr sends an IMAP greeting saying ready.
func greeted(addr string, limit time.Duration) bool {
	conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
	if err != nil {
		return false
	}
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(min(limit, time.Second)))
	var got []byte
	buf := make([]byte, 512)
	for {
		n, err := conn.Read(buf)
		got = append(got, buf[:n]...)
		if bytes.Contains(got, []byte("ready")) {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// stop ends the master by the PID it wrote (which, run with -F, is our
// child), waits for it, and removes the directory. Never by name: other
// Dovecots on the machine are not ours.
func (s *Server) stop() error {
	s.mu.Lock()
	for _, c := range s.clients {
		_ = c.Close()
	}
	s.clients = nil
	s.mu.Unlock()
	var err error
	if s.cmd != nil && s.cmd.Process != nil {
		pid := s.cmd.Process.Pid
		if b, rerr := os.ReadFile(filepath.Join(s.Dir, "run", "master.pid")); rerr == nil {
			if got := strings.TrimSpace(string(b)); got != fmt.Sprint(pid) {
				err = fmt.Errorf("master.pid says %s, started %d; stopping %d", got, pid, pid)
			}
		}
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(5 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.exited
			err = errors.Join(err, fmt.Errorf("dovecot %d ignored SIGTERM for 5s; killed", pid))
		}
	}
	if rerr := os.RemoveAll(s.Dir); rerr != nil {
		err = errors.Join(err, rerr)
	}
	return err
}

// LogTail returns the last n lines of Dovecot's log, for failure
// messages.
func (s *Server) LogTail(n int) string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
