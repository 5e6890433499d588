package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The control protocol is one request line per connection. "backup\n" is
// answered with "OK <size>\n" and exactly size bytes of database (bbolt
// tx.WriteTo), then the connection closes; anything else gets
// "ERR <message>\n". The size lets the client tell a complete copy from
// one cut short.

const (
	dialTimeout    = 2 * time.Second
	requestTimeout = 5 * time.Second
	// backupTimeout bounds how long a client may hold a read transaction
	// open; a stalled reader must not pin old pages forever.
	backupTimeout = 10 * time.Minute
	// idleTimeout is how long a client waits for the next bytes.
	idleTimeout = 30 * time.Second
)

// ControlPath is where the process holding the database at dbPath answers
// control requests: the database path plus ".sock". Being next to the file
// means anyone who can name the database can find it, and it inherits the
// data directory's permissions.
func ControlPath(dbPath string) string {
	if abs, err := filepath.Abs(dbPath); err == nil {
		dbPath = abs
	}
	return dbPath + ".sock"
}

// ServeControl answers control requests on ControlPath(db.Path()) until ctx
// ends, stop is called or the DB is closed. It exists because bbolt admits
// one process per file: `roster backup` run beside a live roster cannot
// open the database, so it asks the running process for a snapshot
// instead. A stale socket left by a crashed roster is replaced; the socket
// is mode 0600. stop closes open connections and waits for their handlers.
func (db *DB) ServeControl(ctx context.Context) (stop func(), err error) {
	sock := ControlPath(db.path)
	if err := clearStaleSocket(sock); err != nil {
		return nil, err
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: sock, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("control socket %s: %w", sock, err)
	}
	if err := os.Chmod(sock, 0o600); err != nil {
		_ = ln.Close()
		return nil, err
	}
	s := &controlServer{db: db, ln: ln, conns: map[net.Conn]struct{}{}}
	ctx, cancel := context.WithCancel(ctx)
	s.wg.Add(2)
	go s.acceptLoop()
	go func() {
		defer s.wg.Done()
		<-ctx.Done()
		s.shutdown()
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			s.wg.Wait()
		})
	}
	db.ctlMu.Lock()
	db.ctlStops = append(db.ctlStops, stop)
	db.ctlMu.Unlock()
	return stop, nil
}

func (db *DB) stopControl() {
	db.ctlMu.Lock()
	stops := db.ctlStops
	db.ctlStops = nil
	db.ctlMu.Unlock()
	for _, stop := range stops {
		stop()
	}
}

// clearStaleSocket removes a socket nobody answers on, and refuses to
// touch anything else at that path.
func clearStaleSocket(sock string) error {
	fi, err := os.Lstat(sock)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSocket == 0 {
		return fmt.Errorf("%s exists and is not a socket; roster will not remove it", sock)
	}
	if c, err := net.DialTimeout("unix", sock, 500*time.Millisecond); err == nil {
		_ = c.Close()
		return fmt.Errorf("control socket %s is already being served", sock)
	}
	return os.Remove(sock)
}

type controlServer struct {
	db *DB
	ln *net.UnixListener
	wg sync.WaitGroup

	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]struct{}
}

func (s *controlServer) acceptLoop() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return // listener closed
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			_ = conn.Close()
			return
		}
		s.conns[conn] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			s.handle(conn)
			s.mu.Lock()
			delete(s.conns, conn)
			s.mu.Unlock()
		}()
	}
}

// shutdown closes the listener (which removes the socket file) and every
// open connection, which ends their transactions.
func (s *controlServer) shutdown() {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	_ = s.ln.Close()
}

func (s *controlServer) handle(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(requestTimeout))
	line, err := bufio.NewReader(io.LimitReader(conn, 256)).ReadString('\n')
	if err != nil {
		return
	}
	_ = conn.SetDeadline(time.Now().Add(backupTimeout))
	switch req := strings.TrimSpace(line); req {
	case "backup":
		// A failure mid-stream cannot be reported in-band; the client
		// sees fewer bytes than announced.
		_ = s.db.bolt.View(func(tx *bolt.Tx) error {
			if _, err := fmt.Fprintf(conn, "OK %d\n", tx.Size()); err != nil {
				return err
			}
			_, err := tx.WriteTo(conn)
			return err
		})
	default:
		_, _ = fmt.Fprintf(conn, "ERR unknown request %q\n", req)
	}
}

// RemoteBackup asks the roster process that holds the database at dbPath
// for a consistent backup through its control socket and writes it to w.
// Callers use it after Open fails with ErrLocked; when nothing answers,
// the error says so and wraps ErrLocked.
func RemoteBackup(dbPath string, w io.Writer) (int64, error) {
	sock := ControlPath(dbPath)
	conn, err := net.DialTimeout("unix", sock, dialTimeout)
	if err != nil {
		return 0, fmt.Errorf("the database %s is locked (%w) and no control socket answered at %s: %v", dbPath, ErrLocked, sock, err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(requestTimeout))
	if _, err := io.WriteString(conn, "backup\n"); err != nil {
		return 0, fmt.Errorf("control socket %s: %w", sock, err)
	}
	r := bufio.NewReader(idleReader{conn})
	status, err := r.ReadString('\n')
	if err != nil {
		return 0, fmt.Errorf("control socket %s: no answer: %w", sock, err)
	}
	status = strings.TrimSpace(status)
	if msg, ok := strings.CutPrefix(status, "ERR "); ok {
		return 0, fmt.Errorf("control socket %s: %s", sock, msg)
	}
	sizeText, ok := strings.CutPrefix(status, "OK ")
	size, perr := strconv.ParseInt(sizeText, 10, 64)
	if !ok || perr != nil || size < 0 {
		return 0, fmt.Errorf("control socket %s: unexpected answer %q", sock, status)
	}
	n, err := io.CopyN(w, r, size)
	if errors.Is(err, io.EOF) {
		return n, fmt.Errorf("backup through %s stopped after %d of %d bytes", sock, n, size)
	}
	return n, err
}

// idleReader fails a read that waits longer than idleTimeout, so a stalled
// server cannot hang the client, however large the database.
type idleReader struct{ c net.Conn }

func (r idleReader) Read(p []byte) (int, error) {
	_ = r.c.SetReadDeadline(time.Now().Add(idleTimeout))
	return r.c.Read(p)
}
